# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Project: a small GPT on Shakespeare
#
# A GPT is a stack of causal transformer blocks trained to predict the next token
# ([BERT and GPT](../../architectures/bert-gpt/)). This project trains a small one, character by
# character, on the plays of Shakespeare, and measures it the way language models are measured:
# the validation loss in nats per character, on plays it never saw, against two baselines trained
# on the same text, a character n-gram model and the LSTM language model of the
# [text-generation project](../char_text_generation/). Then it writes, at two temperatures, and
# compares generation with and without the key/value cache.
#
# For scale: nanoGPT's CPU configuration (Karpathy; 4 blocks of width 128, 2000 steps, about 3
# minutes on a laptop) reaches a validation loss of 1.88 on *tiny-shakespeare*, a 1.1-million
# character excerpt with speaker names. This notebook has a budget of about half a minute of
# computing on two cores, and a different split (whole plays held out), so it gets less far; it
# says how far.

# %%
# %matplotlib inline
import time

import keras
import numpy as np

import dlguide
from dlguide import text

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The text
#
# `dlguide.load_shakespeare` gives the spoken lines of 38 plays (speaker names and stage
# directions removed). Four whole plays are held out for validation. To fit the budget every model
# here, the counting baselines too, trains on the first 300,000 characters of the training plays
# (7% of them), and all are validated on the first 30,000 characters of the held-out
# ones.

# %%
train_text, valid_text = dlguide.load_shakespeare(
    num_train_chars=300_000, num_validation_chars=30_000
)
vocabulary = text.CharVocabulary(train_text + valid_text)
train_ids, valid_ids = vocabulary.encode(train_text), vocabulary.encode(valid_text)
V = len(vocabulary)
print(f"{len(train_text):,} training and {len(valid_text):,} validation characters, {V} symbols")
print(valid_text[:220])

# %% [markdown]
# ## 2. Baselines: character n-grams
#
# An n-gram model predicts the next character from the previous $n - 1$ by counting. Unseen
# contexts are handled by Witten-Bell interpolation: each order mixes its counts with the next
# lower order, trusting a context less when many different characters have followed it. Nothing is
# tuned. The loss is the average of $-\ln p$ of each validation character, in nats.


# %%
def codes(ids, n):
    """One integer per n-gram: the n ids read as a number in base V."""
    out = np.zeros(len(ids) - n + 1, dtype=np.int64)
    for j in range(n):
        out = out * V + ids[j : len(ids) - n + 1 + j]
    return out


def counter(keys):
    """A function telling how often each query occurs in keys."""
    unique, counts = np.unique(keys, return_counts=True)

    def count(queries):
        index = np.clip(np.searchsorted(unique, queries), 0, len(unique) - 1)
        return np.where(unique[index] == queries, counts[index], 0)

    return count


counters = {}  # per n, computed once and shared by every order


def ngram_counters(n):
    """Counters of the n-grams, of their contexts, and of the distinct n-grams per context."""
    if n not in counters:
        grams = codes(train_ids, n)
        counters[n] = counter(grams), counter(grams // V), counter(np.unique(grams) // V)
    return counters[n]


def ngram_loss(order):
    """Validation loss (nats per character) of an interpolated Witten-Bell n-gram model."""
    targets = valid_ids[order - 1 :]
    p = np.full(len(targets), 1.0 / V)
    for n in range(1, order + 1):
        count_grams, count_contexts, count_followers = ngram_counters(n)
        queries = codes(valid_ids, n)[order - n :]
        c_gram = count_grams(queries)
        c_context = count_contexts(queries // V)
        followers = count_followers(queries // V)
        seen = c_context > 0
        p = np.where(seen, (c_gram + followers * p) / np.maximum(c_context + followers, 1), p)
    return float(-np.mean(np.log(p)))


ngram = {order: ngram_loss(order) for order in range(1, 8)}
for order, loss in ngram.items():
    print(f"{order}-gram: {loss:.3f} nats per character")
best_order = min(ngram, key=ngram.get)
uniform_loss = np.log(V)
assert ngram[1] < uniform_loss and ngram[best_order] < ngram[1] - 0.8

# %% [markdown]
# Counting helps up to a point: longer contexts are more informative but rarer, and past the best
# order the counts get too sparse. The best order is chosen here on the validation text itself,
# which flatters the baseline slightly.
#
# ## 3. The GPT
#
# `dlguide.transformer_language_model` with its defaults is a GPT: learned positions, pre-norm
# causal blocks, a final normalisation and a softmax over the characters. Here: width 64, 2 heads,
# 2 blocks, a context of 32 characters. Training pairs are windows of 32 characters and the same
# windows shifted by one, 64 windows a batch. The budget allows one pass over the training
# windows; to see the loss
# fall, the pass is cut into four quarters (`steps_per_epoch`: Keras continues where the last
# "epoch" stopped) with a validation after each.

# %%
sequence_length, batch_size = 32, 64
x_train, y_train = text.shifted_sequences(train_ids, sequence_length)
x_valid, y_valid = text.shifted_sequences(valid_ids, sequence_length)
quarter = len(x_train) // batch_size // 4  # steps in a quarter of the pass
# All validation windows in one batch: no ragged last batch, so the validation step is traced once
validation_batch_size = len(x_valid)
gpt = dlguide.transformer_language_model(
    V, sequence_length, embedding_dim=64, num_heads=2, num_blocks=2, classifier_activation=None
)
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
gpt.compile(optimizer=keras.optimizers.Adam(0.005), loss=loss)
# optimizer variables now, not in fit's first step (saves a retrace)
gpt.optimizer.build(gpt.trainable_variables)
print(f"{gpt.count_params():,} parameters; {len(x_train)} training windows")
start = time.perf_counter()
history = gpt.fit(x_train, y_train, validation_data=(x_valid, y_valid), epochs=4,
                  steps_per_epoch=quarter, batch_size=batch_size,
                  validation_batch_size=validation_batch_size, verbose=0)
gpt_seconds = time.perf_counter() - start
gpt_loss = history.history["val_loss"][-1]
print(f"GPT validation loss per quarter: {np.round(history.history['val_loss'], 3)} "
      f"({gpt_seconds:.0f} s of training)")

# %% [markdown]
# ## 4. The LSTM language model
#
# The recurrent baseline: `dlguide.char_language_model`, an embedding, one LSTM of 64 units and
# a softmax, the same windows, optimizer and single pass. (The
# [text-generation project](../char_text_generation/) uses 128 units; half the width keeps this
# baseline within the budget.)

# %%
keras.utils.set_random_seed(0)
lstm = dlguide.char_language_model(
    V, cell="lstm", units=64, classifier_activation=None
)
lstm.compile(optimizer=keras.optimizers.Adam(0.005), loss=loss)
# optimizer variables now, not in fit's first step (saves a retrace)
lstm.optimizer.build(lstm.trainable_variables)
start = time.perf_counter()
lstm_history = lstm.fit(x_train, y_train, validation_data=(x_valid, y_valid), epochs=4,
                        steps_per_epoch=quarter, batch_size=batch_size,
                        validation_batch_size=validation_batch_size, verbose=0)
lstm_seconds = time.perf_counter() - start
lstm_loss = lstm_history.history["val_loss"][-1]
print(f"LSTM validation loss per quarter: {np.round(lstm_history.history['val_loss'], 3)} "
      f"({lstm_seconds:.0f} s of training)")

# %% [markdown]
# ## 5. The results

# %%
print(f"{'model':<28}{'params':>9}  val nats/char  perplexity")
rows = [
    ("uniform", 0, uniform_loss),
    ("unigram (1-gram)", V, ngram[1]),
    (f"{best_order}-gram (best order)", None, ngram[best_order]),
    ("LSTM, 64 units", lstm.count_params(), lstm_loss),
    ("GPT, 2 blocks of 64", gpt.count_params(), gpt_loss),
]
for name, params, value in rows:
    shown = "counts" if params is None else f"{params:,}"
    print(f"{name:<28}{shown:>9}  {value:13.3f}  {np.exp(value):10.2f}")
print(f"nanoGPT's CPU configuration on tiny-shakespeare: 1.88; gap to it: {gpt_loss - 1.88:.2f}")
dlguide.plot_history({"GPT val_loss": history.history["val_loss"],
                      "LSTM val_loss": lstm_history.history["val_loss"]},
                     title="Validation loss (nats per character)")
# GPT minus LSTM after each quarter of the pass (negative: the GPT is ahead)
gaps = np.subtract(history.history["val_loss"], lstm_history.history["val_loss"])
print("GPT minus LSTM after each quarter:", np.round(gaps, 2))
assert ngram[2] > gpt_loss > ngram[best_order] + 0.15, (gpt_loss, ngram[best_order])
assert gaps[0] < gaps[1] < gaps[-1] < 0.05, (gpt_loss, lstm_loss, gaps)
assert round(gpt_loss, 2) == 2.38 and round(lstm_loss, 2) == 2.39
assert best_order == 5 and round(ngram[5], 3) == 1.705
assert [round(-gap, 2) for gap in gaps[[0, 1, -1]]] == [0.26, 0.10, 0.01]

# %% [markdown]
# The honest result: **neither network comes near the n-gram here, and the GPT and the LSTM
# tie.** After one pass over 300,000 training characters the GPT reaches 2.38 nats per character
# on plays it never saw, the LSTM 2.39, and a 5-gram model made of counts 1.705. Both networks
# are far better than character frequencies (3.14) and still improving at the last quarter; the
# n-gram is better than both because one pass (144 steps) is very little training for a network,
# while counting uses every 5-gram of the text exactly. The GPT starts ahead, 0.26 lower after
# the first quarter, and the LSTM catches up: it is 0.10 behind after half the pass, 0.01 at the
# end.
# That is one run with one seed, so read the end as a tie, reached by an LSTM with a quarter of
# the GPT's parameters; this short run does not show where the two curves would go next. The GPT
# is 0.50 short of nanoGPT's 1.88, which trains a model with about seven times the parameters
# for 2000 steps (here: 144) on text whose validation lines come from the same plays as its
# training lines. With more steps, width and text the neural models overtake the n-gram
# (nanoGPT's larger GPU configuration reaches 1.47 on tiny-shakespeare), and the transformer
# pulls ahead of the LSTM as the model grows; this budget is below that point.
# <!-- number: gpt_loss = 2.38 -->
# <!-- number: lstm_loss = 2.39 -->
# <!-- number: ngram[5] = 1.705 -->
# <!-- number: ngram[1] = 3.14 -->
# <!-- number: -gaps[0] = 0.26 -->
# <!-- number: -gaps[1] = 0.10 -->
# <!-- number: -gaps[-1] = 0.01 -->
# <!-- number: gpt_loss - 1.88 = 0.50 -->
# <!-- number: 4 * quarter = 144 -->
#
# ## 6. Samples at two temperatures
#
# `dlguide.generate_tokens` writes one character at a time; the temperature divides the
# log-probabilities before sampling.

# %%
prompt = "To be"
prompt_ids = vocabulary.encode(prompt)
num_new = sequence_length - len(prompt_ids)
samples = {
    temperature: vocabulary.decode(
        dlguide.generate_tokens(gpt, prompt_ids, num_new, temperature=temperature, seed=0)
    )
    for temperature in (0.5, 1.0)
}
print(text.format_samples(samples))
assert all(len(sample) == sequence_length for sample in samples.values())

# %% [markdown]
# At 0.5 the text sticks to frequent short words and syllables; at 1.0 it invents more words and
# punctuation. Neither is good Shakespeare: this model has seen each character of its training
# text once.
#
# ## 7. The key/value cache
#
# Without a cache, each new character reruns the model on the whole text so far. In a causal
# model the keys and values of the earlier positions never change, so each block can keep them:
# with the cache each step reads only the new character. The same seed must give the same text,
# and the work per new character must drop from the whole sequence to one position.

# %%
# The first calls trace the compiled functions (for every length); time the second ones.
_ = dlguide.generate_tokens(gpt, prompt_ids, num_new, use_cache=True)
_ = dlguide.generate_tokens(gpt, prompt_ids, num_new, use_cache=False)
timings, outputs = {}, {}
for use_cache in (True, False):
    start = time.perf_counter()
    outputs[use_cache] = dlguide.generate_tokens(
        gpt, prompt_ids, num_new, temperature=1.0, seed=1, use_cache=use_cache, return_work=True
    )
    timings[use_cache] = time.perf_counter() - start
(cached_ids, cached_work), (plain_ids, plain_work) = outputs[True], outputs[False]
print("same text:", cached_ids.tolist() == plain_ids.tolist())
print("positions processed per new character, with cache:", cached_work["positions"][:6], "...")
print("without cache:                                     ", plain_work["positions"][:6], "...")
print(f"attention scores computed: {cached_work['scores'].sum():,} with the cache, "
      f"{plain_work['scores'].sum():,} without")
print(f"time for {num_new} characters: {timings[True]:.2f} s with the cache, "
      f"{timings[False]:.2f} s without ({timings[False] / timings[True]:.1f} times faster)")
assert cached_ids.tolist() == plain_ids.tolist()
assert np.all(cached_work["positions"][1:] == 1)
assert np.array_equal(plain_work["positions"], len(prompt_ids) + np.arange(num_new))
assert round(plain_work["scores"].sum() / cached_work["scores"].sum()) == 21

# %% [markdown]
# The text is identical, and with the cache each new character is one position through the
# blocks instead of up to 32, and the attention computes a row of scores instead of a square (21
# times fewer scores in all, here). The measured times, printed above, show far less than that
# ratio, if any gain at all: this model is tiny and the text short, so each step's time is mostly
# fixed overhead (Python, launching the graph), not arithmetic. For a large
# model and long texts the cache is what makes generation affordable, at the price of memory:
# two arrays of (positions × width) per block, kept for the whole text.
# <!-- number: plain_work["scores"].sum() / cached_work["scores"].sum() = 21 -->
#
# ## What to take away
#
# - Measure a language model by its validation loss in nats per token (perplexity is its
#   exponential), on held-out text, next to n-gram and recurrent baselines.
# - A small GPT trained for one pass over 300,000 characters ties with a smaller LSTM and loses
#   to a character 5-gram; neural models, and transformers most, pull ahead with more width,
#   depth, data and steps.
# - The key/value cache gives the same text as rerunning the model, with work per new token
#   proportional to the text length instead of its square.
