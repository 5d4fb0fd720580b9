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
# # Project: spelling to sound with seq2seq
#
# How do you pronounce a word you have never seen? Grapheme-to-phoneme conversion (G2P) turns a
# spelling into phonemes; text-to-speech systems need it for every word missing from their
# dictionary. It is a real sequence-to-sequence task: "ph" is one sound, "x" two, a final "e"
# often none, so the output is not aligned letter by letter with the input.
#
# The data is the CMU Pronouncing Dictionary (`dlguide.load_cmudict`), split by word: no test word
# is ever seen in training. Two recurrent encoder-decoders (`dlguide.rnn_seq2seq`) are trained the
# same way, one without attention (the encoder's last state is all the decoder gets) and one with
# additive attention (the decoder looks back at every letter), and measured on whole test words:
# the word error rate, the phoneme error rate, and how both change with the length of the word,
# where the fixed-size bottleneck should show.

# %%
# %matplotlib inline
import keras
import numpy as np
from matplotlib.figure import Figure

import dlguide

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The data
#
# 4000 training words and 1500 test words. Spellings are cut to 14 letters and pronunciations to
# 13 phonemes (with the start and end tokens, 15), which affects under 1% of the words.

# %%
(words, phonemes), (test_words, test_phonemes) = dlguide.load_cmudict(
    num_train=4000, num_test=1500
)
print(f"{len(words)} training words, {len(test_words)} test words")
for w, p in zip(test_words[:5], test_phonemes[:5]):
    print(f"{w:>12} -> {p}")
letter_id = {c: i + 1 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
symbols = sorted({p for pron in phonemes for p in pron.split()})
phoneme_id = {p: i + 3 for i, p in enumerate(symbols)}
names = {i: p for p, i in phoneme_id.items()}
START, END = 1, 2
print(f"{len(symbols)} phonemes")


def encode(words, prons):
    X = [[letter_id[c] for c in w] for w in words]
    Y = [[START, *[phoneme_id.get(p, END) for p in pron.split()], END] for pron in prons]
    pad = keras.utils.pad_sequences
    return (pad(X, maxlen=14, padding="post", truncating="post"),
            pad(Y, maxlen=15, padding="post", truncating="post"))


X, Y = encode(words, phonemes)
X_test, Y_test = encode(test_words, test_phonemes)
assert len(set(words) & set(test_words)) == 0

# %% [markdown]
# ## 2. Two encoder-decoders, trained the same way
#
# Teacher forcing: the decoder reads the true pronunciation shifted right (a start token first)
# and predicts the next phoneme at every step; the padding is excluded from the loss with
# `sample_weight`. The models differ only in the attention. Both train for 3 epochs in batches of
# 64 words (189 steps), enough for the comparison but far from the best either could do.

# %%
models, histories = {}, {}
for attention in (None, "additive"):
    keras.utils.set_random_seed(0)
    model = dlguide.rnn_seq2seq(27, len(symbols) + 3, embedding_dim=16, units=64,
                                attention=attention)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  weighted_metrics=["accuracy"])
    # optimizer variables now, not in fit's first step (saves a retrace)
    model.optimizer.build(model.trainable_variables)
    histories[attention] = model.fit(
        [X, Y[:, :-1]], Y[:, 1:], sample_weight=(Y[:, 1:] > 0) * 1.0,
        epochs=3, batch_size=64, verbose=0)
    models[attention] = model
    print(f"attention={attention}: {model.count_params():,} parameters, training accuracy "
          f"per phoneme {histories[attention].history['accuracy'][-1]:.3f}")

# %% [markdown]
# ## 3. Whole words: word and phoneme error rates
#
# Now each model writes the test pronunciations on its own (`dlguide.greedy_decode`: its own
# previous phoneme is fed back at each step). A word counts as right only if every phoneme is.
# The phoneme error rate is the edit distance between the written and the true phonemes
# (insertions, deletions, substitutions), divided by the number of true phonemes.


# %%
def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


truth = [pron.split() for pron in test_phonemes]
written, word_error, phoneme_error = {}, {}, {}
for attention, model in models.items():
    # All test words in one batch: one traced step, half as many calls
    ids = dlguide.greedy_decode(model, X_test, start_id=START, end_id=END, max_length=14,
                                batch_size=len(X_test))
    written[attention] = [[names[i] for i in row if i > 0] for row in ids]
    right = np.array([w == t for w, t in zip(written[attention], truth)])
    errors = sum(edit_distance(w, t) for w, t in zip(written[attention], truth))
    word_error[attention] = 1 - right.mean()
    phoneme_error[attention] = errors / sum(len(t) for t in truth)
    print(f"attention={attention!s:9} word error rate {word_error[attention]:.3f}, "
          f"phoneme error rate {phoneme_error[attention]:.3f}")
for w, t, a, b in list(zip(test_words, truth, written[None], written["additive"]))[:6]:
    print(f"{w:>12}: true {' '.join(t):22} plain {' '.join(a):22} attention {' '.join(b)}")
assert word_error["additive"] < word_error[None] - 0.1
assert phoneme_error["additive"] < phoneme_error[None] - 0.1
assert round(phoneme_error[None], 2) == 0.64 and round(phoneme_error["additive"], 2) == 0.39
assert round(word_error[None], 2) == 0.99 and round(word_error["additive"], 2) == 0.88

# %% [markdown]
# Attention cuts both error rates with the same recurrent layers, data and training: the phoneme
# error rate falls from 0.64 to 0.39 and the word error rate from 0.99 to 0.88. These are small
# models trained for seconds on 4000 words: published G2P systems reach
# word error rates near 0.2 on this dictionary (with stress marks, which make it harder), so both
# are far from the state of the art, and the comparison between them is the point. The model
# without attention, after 3 epochs, gets only 1% of the test words entirely right, the one with
# attention 12%; more epochs would help both, and they cost time this notebook does not have.
# <!-- number: phoneme_error[None] = 0.64 -->
# <!-- number: phoneme_error["additive"] = 0.39 -->
# <!-- number: word_error[None] = 0.99 -->
# <!-- number: word_error["additive"] = 0.88 -->
# <!-- number: 1 - word_error[None] = 0.01 -->
# <!-- number: 1 - word_error["additive"] = 0.12 -->
#
# ## 4. Where the bottleneck shows: accuracy against word length
#
# Two accuracies per length: the share of words entirely right, and the share of phonemes right
# (one minus the phoneme error rate), which still separates the models where few words come out
# entirely right.

# %%
lengths = np.array([len(w) for w in test_words])
bins = [(1, 4), (5, 6), (7, 8), (9, 10), (11, 14)]
accuracy = {attention: [] for attention in models}  # words entirely right
phoneme_accuracy = {attention: [] for attention in models}  # 1 - phoneme error rate
for low, high in bins:
    chosen = np.flatnonzero((lengths >= low) & (lengths <= high))
    for attention in models:
        right = [written[attention][i] == truth[i] for i in chosen]
        accuracy[attention].append(np.mean(right))
        errors = sum(edit_distance(written[attention][i], truth[i]) for i in chosen)
        phoneme_accuracy[attention].append(1 - errors / sum(len(truth[i]) for i in chosen))
    print(f"{low:2d}-{high:2d} letters ({len(chosen):4d} words): words right "
          f"{accuracy[None][-1]:.2f} / {accuracy['additive'][-1]:.2f}, phonemes right "
          f"{phoneme_accuracy[None][-1]:.2f} / {phoneme_accuracy['additive'][-1]:.2f} "
          "(without / with attention)")
fig = Figure(figsize=(7, 3.2), layout="constrained")
axes = fig.subplots(1, 2, sharey=True)
labels = [f"{low}-{high}" for low, high in bins]
for ax, values, title in zip(
    axes, (accuracy, phoneme_accuracy), ("words entirely right", "phonemes right")
):
    ax.plot(labels, values[None], "o-", label="without attention")
    ax.plot(labels, values["additive"], "o-", label="with attention")
    ax.set(xlabel="letters in the word", title=title, ylim=(0, 1))
axes[0].legend()
fig
# %%
assert accuracy[None][-1] < accuracy[None][0]
assert accuracy["additive"][-1] < accuracy["additive"][0]
assert all(a >= b for a, b in zip(accuracy["additive"], accuracy[None]))
assert all(a > b + 0.2 for a, b in zip(phoneme_accuracy["additive"], phoneme_accuracy[None]))
assert [round(a, 2) for a in accuracy[None]] == [0.06, 0.01, 0.0, 0.0, 0.0]
assert [round(a, 2) for a in accuracy["additive"]] == [0.29, 0.2, 0.09, 0.04, 0.0]
assert [round(a, 2) for a in phoneme_accuracy[None]] == [0.4, 0.39, 0.38, 0.33, 0.3]
assert [round(a, 2) for a in phoneme_accuracy["additive"]] == [0.68, 0.68, 0.63, 0.57, 0.54]

# %% [markdown]
# Both models find long words harder: more phonemes to get right, each a chance to slip. With
# attention the share of words entirely right falls from 0.29 (up to 4 letters) to 0.09 (7-8
# letters), 0.04 (9-10) and 0.00 from 11 letters on; without attention it is 0.06 for the
# shortest words and 0.01 or less from 5 letters on. Counted in phonemes, attention is ahead at
# every length: 0.68 of the phonemes right against 0.40 on the shortest words, 0.54 against 0.30
# on the longest. At this budget the gap does not widen with length: the model without
# attention, whose whole word must squeeze through one state vector of 64 numbers, is weak at
# every length, short words included, so this run shows the bottleneck as a gap at every length
# rather than as a collapse on long words.
# <!-- number: accuracy[None][0] = 0.06 -->
# <!-- number: max(accuracy[None][1:]) = 0.01 -->
# <!-- number: accuracy["additive"][0] = 0.29 -->
# <!-- number: accuracy["additive"][2] = 0.09 -->
# <!-- number: accuracy["additive"][3] = 0.04 -->
# <!-- number: accuracy["additive"][-1] = 0.00 -->
# <!-- number: phoneme_accuracy["additive"][0] = 0.68 -->
# <!-- number: phoneme_accuracy[None][0] = 0.40 -->
# <!-- number: phoneme_accuracy["additive"][-1] = 0.54 -->
# <!-- number: phoneme_accuracy[None][-1] = 0.30 -->
#
# ## 5. What the attention looks at

# %%
word = max((w for w, a, t in zip(test_words, written["additive"], truth) if a == t), key=len)
source, target = encode([word], [" ".join(truth[list(test_words).index(word)])])
written_word = truth[list(test_words).index(word)]
weights = dlguide.attention_weights(models["additive"], source, target[:, : len(written_word)])
dlguide.plot_attention(weights[0, :, : len(word)], keys=list(word), queries=written_word,
                       xlabel="letter", ylabel="phoneme written")

# %% [markdown]
# For the longest test word the model gets entirely right, each phoneme puts its weight on the
# letters that spell it: the alignment runs along the diagonal, with jumps where several letters
# make one sound. Nobody told the model this alignment; it learned it because it helps predict.
#
# ## What to take away
#
# - An encoder-decoder without attention must pass the whole input through one vector; here
#   that costs it about a quarter of the phonemes at every word length.
# - Attention lets each output step look at the relevant input positions: here fewer word and
#   phoneme errors with the same recurrent layers, and a learned letter-to-sound alignment.
# - Measure sequence models on whole outputs they write themselves (word and phoneme error
#   rates), not only on per-step accuracy under teacher forcing.
# - `dlguide.transformer_seq2seq` builds the attention-only version of the same model, with the
#   same `[source, target]` inputs and `greedy_decode`.
