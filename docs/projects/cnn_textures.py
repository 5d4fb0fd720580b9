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
# # Project: recognising textures with a CNN
#
# Digits are a solved toy. This project takes a CNN to real photographs of surfaces: from a small
# 16x16 patch, tell **brick**, **grass** and **gravel** apart. The three 512x512 photographs ship
# inside the scikit-image wheel under the CC0 licence, so the project runs offline on a CPU, in
# under a minute. Download this notebook with the button at the top of the page and run it
# yourself: the numbers you get are the numbers shown here.
#
# Recognising a surface is what a robot needs to decide where it can drive, and what a quality
# check needs to find a scratched panel. It also shows what convolutions are built for: the same
# small pattern, repeated anywhere in the patch.
#
# The steps:
#
# 1. cut the photographs into patches, with a test set that never overlaps the training set,
# 2. fix baselines: classifiers on raw pixels, and a classical texture descriptor,
# 3. train a small CNN and compare, in the same run,
# 4. look at the mistakes,
# 5. test what happens when the light changes, and fix it.

# %%
# %matplotlib inline
import time

import keras
import numpy as np
from skimage import data
from skimage.feature import local_binary_pattern
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

import dlguide

keras.utils.set_random_seed(0)
class_names = ["brick", "grass", "gravel"]

# %% [markdown]
# ## 1. Patches, split in space
#
# `dlguide.load_textures` cuts each photograph into square patches. Training patches may overlap
# (here a 16x16 patch every 8 pixels), which gives more of them. With overlapping patches, a random
# train/test split would put pixels of almost every test patch into some training patch, and the
# test score would measure memory rather than recognition. So the split is **spatial**: the bottom
# quarter of every photograph (below the red line) is reserved for test patches, which never
# overlap each other or any training patch.

# %%
(x_train, y_train), (x_test, y_test) = dlguide.load_textures(
    patch_size=16, strides=8
)
print("train:", x_train.shape, " test:", x_test.shape)
print("test patches per class:", dict(zip(class_names, np.bincount(y_test).tolist())))

photos = []
for photo in (data.brick(), data.grass(), data.gravel()):
    rgb = np.repeat(photo[:, :, None], 3, axis=2)
    rgb[382:386] = (255, 0, 0)  # the boundary between training and test rows
    photos.append(rgb)
dlguide.plot_images(photos, class_names, ncols=3)

# %% [markdown]
# A 16x16 patch is small: it shows a piece of mortar line, a few blades of grass or a few stones.

# %%
examples = np.concatenate([x_train[y_train == c][:6] for c in range(3)])
dlguide.plot_images(examples, [class_names[c] for c in range(3) for _ in range(6)], ncols=6)

# %% [markdown]
# ## 2. Baselines
#
# Two classical models, fitted and scored in this run with scikit-learn's default settings:
#
# - **logistic regression on the 256 pixels**: one linear score per class;
# - **an SVM (RBF kernel) on local binary patterns (LBP)**, a texture descriptor of Ojala,
#   Pietikäinen and Harwood (1994; journal version 1996), here in the rotation-invariant
#   "uniform" variant of Ojala, Pietikäinen and Mäenpää (2002): each pixel is coded by which of
#   its 8 neighbours are at least as bright as itself, and the patch is described by the
#   histogram of those codes. It is the kind of hand-made feature that CNNs replaced.
#
# (`threadpool_limits(1)` keeps NumPy's linear algebra on one thread, which is faster on a busy
# 2-core machine.)

# %%
def pixels(x):
    return x.reshape(len(x), -1) / 255


def lbp_histograms(x):
    """Histogram of the 10 rotation-invariant uniform LBP codes of each patch."""
    codes = [local_binary_pattern(patch, P=8, R=1, method="uniform") for patch in x]
    return np.array([np.bincount(c.astype(int).ravel(), minlength=10) / c.size for c in codes])


baselines = {
    "logistic regression, pixels": (LogisticRegression(max_iter=1000), pixels),
    "SVM, LBP histograms": (SVC(), lbp_histograms),
}
accuracy = {}
with threadpool_limits(limits=1):
    for name, (classifier, features) in baselines.items():
        start = time.perf_counter()
        classifier.fit(features(x_train), y_train)
        accuracy[name] = classifier.score(features(x_test), y_test)
        print(f"{name:28s} test accuracy {accuracy[name]:.3f}  "
              f"({time.perf_counter() - start:.1f} s)")

# %% [markdown]
# Logistic regression on pixels gets only 52.6% of the patches right (guessing gets a third): a
# texture is the same texture wherever its stones or bricks happen to sit, but a linear model gives
# each pixel position its own fixed weight. The LBP descriptor, which ignores *where* a pattern is
# and counts *how often* it occurs, does far better (95.7%).
# <!-- number: accuracy["logistic regression, pixels"] = 0.526 -->
# <!-- number: accuracy["SVM, LBP histograms"] = 0.957 -->

# %%
assert accuracy["logistic regression, pixels"] < 0.65
assert accuracy["SVM, LBP histograms"] >= 0.94
best_baseline = max(accuracy, key=accuracy.get)
assert best_baseline == "SVM, LBP histograms"

# %% [markdown]
# ## 3. A small CNN
#
# Two blocks of 3x3 convolutions (32 and 64 filters) with 2x2 max pooling, then dropout and a
# softmax over the 3 classes. Like LBP, convolutions look at small neighbourhoods and apply the
# same detector everywhere; unlike LBP, the detectors are learned. The training is kept short for
# a CPU budget: 4 epochs of batches of 64 with Adam at 0.003. 10% of the training patches are
# held out as validation data to watch it.

# %%
def train_cnn(x, y, rescale):
    keras.utils.set_random_seed(0)
    model = dlguide.cnn(
        (16, 16), filters=(32, 64), dropout=0.3, rescale=rescale, classes=3
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.003),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    # optimizer variables now, not in fit's first step (saves a retrace)
    model.optimizer.build(model.trainable_variables)
    wall, cpu = time.perf_counter(), time.process_time()
    history = model.fit(x, y, validation_split=0.1, epochs=4, batch_size=64, verbose=0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"training: {wall:.1f} s wall-clock, {cpu:.1f} s of CPU time")
    return model, history


model, history = train_cnn(x_train, y_train, rescale=1 / 255)
print(f"parameters: {model.count_params()}")
dlguide.plot_history(history, ("loss", "accuracy"))

# %%
test_proba = model.predict(x_test, verbose=0)
cnn_accuracy = (test_proba.argmax(axis=1) == y_test).mean()
print(f"CNN test accuracy: {cnn_accuracy:.3f}")
for name, value in accuracy.items():
    print(f"  vs {name}: {value:.3f}")
assert cnn_accuracy >= 0.96, cnn_accuracy
assert cnn_accuracy > accuracy[best_baseline], (cnn_accuracy, accuracy)

# %% [markdown]
# The CNN beats both baselines on the 768 held-out patches (97.0%), including the texture
# descriptor, but only just: its margin over LBP (95.7%) is 10 patches, against 341 over the pixel
# classifier. The right hand-made feature gets most of the way.
# <!-- number: cnn_accuracy = 0.970 -->
# <!-- number: round((cnn_accuracy - accuracy["SVM, LBP histograms"]) * len(y_test)) = 10 -->
# <!-- number: round((cnn_accuracy - min(accuracy.values())) * len(y_test)) = 341 -->
#
# ## 4. The mistakes

# %%
dlguide.plot_confusion_matrix(y_test, test_proba, class_names=class_names)

# %%
counts = np.zeros((3, 3), dtype=int)
np.add.at(counts, (y_test, test_proba.argmax(axis=1)), 1)
grass_gravel = counts[1, 2] + counts[2, 1]
print(f"brick patches recognised: {counts[0, 0]} of {counts[0].sum()}; "
      f"grass/gravel mix-ups: {grass_gravel} of {counts.sum() - np.trace(counts)} mistakes")
assert counts[0, 0] / counts[0].sum() >= 0.99 and grass_gravel >= counts.sum() - np.trace(counts) - 5

# %% [markdown]
# Brick, with its straight mortar lines, is never missed in this run (256 of 256); 21 of the 23
# mistakes are grass taken for gravel and back. The misclassified patches show why: in a 16x16
# window, a patch of light and shadow between grass blades can look like a stone.
# <!-- number: counts[0, 0] = 256 -->
# <!-- number: grass_gravel = 21 -->
# <!-- number: counts.sum() - np.trace(counts) = 23 -->

# %%
dlguide.plot_misclassified(x_test, y_test, test_proba, class_names=class_names, max_images=12)

# %% [markdown]
# ## 5. When the light changes
#
# A model is only useful if it keeps working on new photos. A simple, realistic change: the same
# surfaces photographed in dimmer light. Darken every test patch to 60% of its brightness and score
# all the models again, without retraining.

# %%
x_dark = (x_test * 0.6).round().astype(np.uint8)
dark_accuracy = {
    name: classifier.score(features(x_dark), y_test)
    for name, (classifier, features) in baselines.items()
}
dark_accuracy["CNN"] = (model.predict(x_dark, verbose=0).argmax(axis=1) == y_test).mean()
for name, value in dark_accuracy.items():
    before = cnn_accuracy if name == "CNN" else accuracy[name]
    print(f"{name:28s} {before:.3f} -> {value:.3f} in dim light")

# %% [markdown]
# The pixel classifier falls to chance (0.333) and the CNN drops from 0.970 to 0.674, while LBP
# does not move: its codes only compare each pixel with its neighbours, so they do not change when
# everything gets darker. The CNN has learned to rely partly on how bright each surface is in these
# three photographs, a cue that holds on the test rows and fails as soon as the light changes (the
# next experiment confirms it). A high test score on data from the same conditions says nothing
# about this.
# <!-- number: dark_accuracy["logistic regression, pixels"] = 0.333 -->
# <!-- number: dark_accuracy["CNN"] = 0.674 -->

# %%
assert dark_accuracy["CNN"] < cnn_accuracy - 0.15
assert dark_accuracy["logistic regression, pixels"] < 0.4
assert abs(dark_accuracy["SVM, LBP histograms"] - accuracy["SVM, LBP histograms"]) <= 0.01
assert dark_accuracy["SVM, LBP histograms"] > dark_accuracy["CNN"]

# %% [markdown]
# The fix is to take the cue away: **standardise each patch** by its own mean and standard
# deviation before the network sees it. Brightness and contrast then carry no information, and the
# network must rely on the pattern alone. (Training with random brightness and contrast
# augmentation is the other common fix.)

# %%
def standardise(x):
    x = x.astype(np.float32)
    mean = x.mean(axis=(1, 2), keepdims=True)
    std = x.std(axis=(1, 2), keepdims=True)
    return (x - mean) / (std + 1e-6)


robust_model, _ = train_cnn(standardise(x_train), y_train, rescale=None)
robust = {
    "normal light": (robust_model.predict(standardise(x_test), verbose=0).argmax(axis=1)
                     == y_test).mean(),
    "dim light": (robust_model.predict(standardise(x_dark), verbose=0).argmax(axis=1)
                  == y_test).mean(),
}
print(f"CNN on standardised patches: {robust['normal light']:.3f} in normal light, "
      f"{robust['dim light']:.3f} in dim light")

# %% [markdown]
# The standardised CNN holds up in dim light (0.970) and beats LBP in both conditions, and in
# this run its robustness costs nothing measurable: in normal light it gets 0.966, against the
# first CNN's 0.970, 3 patches fewer out of 768, a difference that another seed could reverse.
# Brightness was a cue the first CNN could use on these photographs, but not one it needed. Whether
# such a cue helps or hurts depends on what the deployed camera will see, which is a question
# about the data, not about the network.
# <!-- number: robust["dim light"] = 0.970 -->
# <!-- number: robust["normal light"] = 0.966 -->
# <!-- number: round((cnn_accuracy - robust["normal light"]) * len(y_test)) = 3 -->

# %%
assert abs(robust["normal light"] - robust["dim light"]) <= 0.02, robust
assert robust["dim light"] > dark_accuracy["SVM, LBP histograms"], robust
assert robust["normal light"] > accuracy["SVM, LBP histograms"], robust
assert abs(robust["normal light"] - cnn_accuracy) <= 0.01, robust

# %% [markdown]
# ## What to take away
#
# - When patches or crops overlap, split the data in space (or time), never at random.
# - On textures, a pixel classifier fails: the class does not depend on where a pattern sits.
#   Convolutions and hand-made descriptors such as LBP both build that in.
# - The CNN beat the best classical baseline on test data from the same photographs, but only
#   by 10 patches in 768: a good descriptor came close.
# - Test under the changes you expect in use. A model can score 97% and still lean on a cue
#   (brightness) that breaks under new conditions; removing the cue (standardising each patch) or
#   training with augmentation makes it robust, here at no measurable cost.
