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
# # Project: generating digits
#
# The generative track built four generators: a [VAE](../generative/vae.md), a
# [DCGAN](../generative/gan.md), a [diffusion model](../generative/diffusion.md) and a
# [latent diffusion model](../generative/latent-diffusion.md). This notebook trains all four on
# the same real digits, in one run, and measures them side by side against two references: a
# **Gaussian baseline** (new images drawn from a Gaussian with the training pixels' mean and
# covariance) and **real digits** (the best any generator can hope for).
#
# The data are scikit-learn's 1,797 8×8 digits (1,438 for training, 359 held out), the largest
# images for which four generators train on 2 CPU cores within this notebook's budget of about
# half a minute. The yardsticks:
#
# - **Fréchet distance** to the held-out digits in the feature space of the guide's own digit
#   classifier, trained here (the idea of the FID of Heusel et al.,
#   [2017](https://arxiv.org/abs/1706.08500); *not* the published FID, which uses an Inception
#   network on large colour images, so the numbers compare only within this notebook);
# - **class accuracy**: for the models that can be asked for a digit, the share of samples the
#   classifier reads as the requested digit (the goal: at least 90% for guided diffusion);
# - **classes covered**: how many of the 10 digits get at least 5% of the samples (mode collapse
#   shows here);
# - **training and sampling time** (wall clock on a shared machine: indicative only).

# %%
# %matplotlib inline
import time

import keras
import numpy as np

import dlguide
from dlguide import metrics, scratch

keras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = dlguide.load_digits()
images, real_test = x_train / 16, x_test / 16  # pixels in [0, 1]
print("train:", images.shape, " held out:", real_test.shape)

# %% [markdown]
# ## 1. The judge: a digit classifier
#
# `metrics.ClassifierFeatures` trains the guide's small CNN on the training digits; its 64-unit
# hidden layer is the feature space of the Fréchet distance, and its predictions give the class
# accuracy and coverage.

# %%
classifier = metrics.ClassifierFeatures().fit(images, y_train, epochs=8)
test_features = classifier.features(real_test)
print(f"classifier accuracy on held-out digits: {classifier.score(real_test, y_test):.1%}")


def measure(imgs, requested=None):
    """Fréchet distance, class accuracy (if digits were requested), classes covered."""
    imgs = np.clip(imgs, 0, 1).reshape(-1, 8, 8)
    predicted = classifier.predict(imgs)
    return {
        "FD": metrics.frechet_distance(classifier.features(imgs), test_features),
        "accuracy": None if requested is None else float(np.mean(predicted == requested)),
        "covered": metrics.class_coverage(predicted, 10),
    }


results, timings = {}, {}
requested = np.arange(500) % 10  # each digit 50 times, for the conditional models

# %% [markdown]
# ## 2. The references
#
# Real *training* digits, compared with the held-out ones, give the floor; the Gaussian baseline
# knows only the pixels' means and correlations.

# %%
results["real digits (floor)"] = measure(images[:500])
pixels = images.reshape(-1, 64)
start = time.perf_counter()
gauss = np.random.default_rng(1).multivariate_normal(
    pixels.mean(axis=0), np.cov(pixels.T), size=500
)
timings["Gaussian baseline"] = (0.0, time.perf_counter() - start)
results["Gaussian baseline"] = measure(gauss)

# %% [markdown]
# ## 3. The four generators
#
# Each is built as on its page (the DCGAN and the pixel diffusion model trained for fewer epochs,
# to keep the notebook within its budget), timed, and asked for 500 samples. The latent diffusion model reuses the VAE's encoder
# and decoder, so its training time counts only its own denoiser.

# %%
# VAE: sample codes from N(0, I) and decode.
start = time.perf_counter()
vae = dlguide.vae((8, 8), latent_dim=6, units=(128,), seed=0)
dlguide.train_vae(vae, images, epochs=20, batch_size=64, learning_rate=3e-3)
trained = time.perf_counter()
decoder = vae.get_layer("decoder")
vae_samples = decoder.predict(np.random.default_rng(2).normal(size=(500, 6)), verbose=0)
timings["VAE"] = (trained - start, time.perf_counter() - trained)
results["VAE"] = measure(vae_samples)

# %%
# DCGAN: the generator turns noise into images in [-1, 1].
start = time.perf_counter()
generator = dlguide.dcgan_generator((8, 8), latent_dim=32, filters=(32, 16), kernel_size=3)
discriminator = dlguide.dcgan_discriminator((8, 8), filters=(16, 32), kernel_size=3, dropout=0.0)
dlguide.train_gan(
    generator, discriminator, images * 2 - 1, epochs=8, batch_size=32, learning_rate=1e-3, seed=0
)
trained = time.perf_counter()
z = np.random.default_rng(2).normal(size=(500, 32))
gan_samples = (generator.predict(z, verbose=0) + 1) / 2
timings["DCGAN"] = (trained - start, time.perf_counter() - trained)
results["DCGAN"] = measure(gan_samples)

# %%
# Diffusion on the 64 pixels, class-conditional, 25 DDIM steps with guidance w = 1.
schedule = scratch.noise_schedule(200)
start = time.perf_counter()
denoiser = dlguide.diffusion_denoiser((64,), classes=10, units=(256, 256, 256))
dlguide.train_diffusion(
    denoiser,
    (images * 2 - 1).reshape(-1, 64),
    y_train,
    schedule=schedule,
    epochs=20,
    batch_size=64,
    learning_rate=1e-3,
    seed=0,
)
trained = time.perf_counter()
x = dlguide.diffusion_sample(
    denoiser, schedule, labels=requested, sampling_steps=25, guidance=1.0, clip=1.0, seed=1
)
diffusion_samples = (x + 1) / 2
timings["diffusion (w = 1)"] = (trained - start, time.perf_counter() - trained)
results["diffusion (w = 1)"] = measure(diffusion_samples, requested)

# %%
# Latent diffusion: the same process on the VAE's 6-number codes, guidance w = 3.
codes, _ = vae.get_layer("encoder").predict(images, verbose=0)
scale = codes.std()
start = time.perf_counter()
latent_denoiser = dlguide.diffusion_denoiser((6,), classes=10, units=(128, 128, 128))
dlguide.train_diffusion(
    latent_denoiser,
    codes / scale,
    y_train,
    schedule=schedule,
    epochs=30,
    batch_size=128,
    learning_rate=3e-3,
    seed=0,
)
trained = time.perf_counter()
z = dlguide.diffusion_sample(
    latent_denoiser, schedule, labels=requested, sampling_steps=25, guidance=3.0, seed=1
)
latent_samples = decoder.predict(z * scale, verbose=0)
timings["latent diffusion (w = 3)"] = (trained - start, time.perf_counter() - trained)
results["latent diffusion (w = 3)"] = measure(latent_samples, requested)

# %% [markdown]
# ## 4. Side by side

# %%
print(f"{'model':<26}{'FD':>6}{'class acc.':>12}{'covered':>9}{'train s':>9}{'sample s':>10}")
for name, r in results.items():
    accuracy = "-" if r["accuracy"] is None else f"{r['accuracy']:.0%}"
    train_s, sample_s = (f"{v:.1f}" for v in timings[name]) if name in timings else ("-", "-")
    print(f"{name:<26}{r['FD']:>6.1f}{accuracy:>12}{r['covered']:>9}{train_s:>9}{sample_s:>10}")
fig = dlguide.plot_sample_grid(
    np.concatenate(
        [
            real_test[:10],
            gauss[:10].reshape(-1, 8, 8),
            vae_samples[:10],
            gan_samples[:10],
            diffusion_samples[:10].reshape(-1, 8, 8),
            latent_samples[:10],
        ]
    ),
    row_titles=["real", "Gaussian", "VAE", "DCGAN", "diffusion", "latent diff."],
)

# %%
# The checks behind the prose below (the run must reproduce them).
diffusion, latent = results["diffusion (w = 1)"], results["latent diffusion (w = 3)"]
# The track's goal of 90%: latent diffusion reaches it, pixel diffusion (shorter training
# than on its page, and w = 1) falls short.
assert latent["accuracy"] >= 0.9 and 0.8 <= diffusion["accuracy"] < 0.9
assert results["real digits (floor)"]["FD"] < diffusion["FD"] < results["Gaussian baseline"]["FD"]
assert round(diffusion["FD"], 1) == 2.5 and round(diffusion["accuracy"], 2) == 0.81
assert round(latent["FD"], 1) == 3.9 and round(latent["accuracy"], 2) == 0.94
assert round(results["Gaussian baseline"]["FD"], 1) == 3.1
assert round(results["real digits (floor)"]["FD"], 1) == 0.3
assert round(results["VAE"]["FD"], 1) == 6.3
assert round(results["DCGAN"]["FD"], 1) == 34.3 and results["DCGAN"]["covered"] == 4

# %% [markdown]
# What the table says:
#
# - **Diffusion on the pixels has the best samples**: a Fréchet distance of 2.5, against 3.1 for
#   the Gaussian baseline and 0.3 for real digits. But only 81% of its samples are read as the
#   digit that was asked for, short of the 90% goal: with fewer training epochs than the
#   [diffusion page](../generative/diffusion.md), guidance w = 1 is not enough (the page shows that
#   a larger w follows requests better, at the cost of variety).
# <!-- number: diffusion["FD"] = 2.5 -->
# <!-- number: diffusion["accuracy"] = 0.81 -->
# <!-- number: results["Gaussian baseline"]["FD"] = 3.1 -->
#
# - **Latent diffusion** follows requests best (94%, above the goal), but its samples go through
#   the small VAE's blurry decoder, and its distance of 3.9 is worse than the Gaussian baseline's.
#   It beats the plain VAE (6.3), which draws from the same decoder without choosing the code. Its
#   training is cheap because the denoiser works on 6 numbers instead of 64 pixels, but it needs
#   the VAE first.
# <!-- number: latent["accuracy"] = 0.94 -->
# <!-- number: latent["FD"] = 3.9 -->
# <!-- number: results["VAE"]["FD"] = 6.3 -->
#
# - **The DCGAN loses to the Gaussian baseline** here: a distance of 34.3, and only 4 of the 10
#   digits get their share of samples, a strong mode collapse (see the
#   [GAN page](../generative/gan.md)). GANs need more data, more epochs and more care than this
#   budget gives; the other three train on a plain regression or likelihood loss and are far
#   easier to get right at this size.
# <!-- number: results["DCGAN"]["FD"] = 34.3 -->
# <!-- number: results["DCGAN"]["covered"] = 4 -->
#
# - **Sampling time**: diffusion runs its denoiser 25 times per batch, twice per step with
#   guidance; a VAE or GAN runs once. On 8×8 images and 500 samples all of them take a few seconds
#   at most; on large images that gap is why DDIM and latent diffusion matter.
#
# The Fréchet distances are in the guide classifier's feature space, not the published FID, and
# they compare only within this notebook. The times are wall-clock on a shared machine.

# %% [markdown]
# ## 5. Exercise: the Fréchet distance of one feature
#
# With a single feature, the Fréchet distance between two Gaussians is the squared difference of
# the means plus the squared difference of the standard deviations. Write it, and compare with
# `metrics.frechet_distance` on one column of the classifier's features.

# %%
from dlguide import exercises  # noqa: E402


def frechet_1d(a, b):
    return (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2


assert exercises.check("frechet_1d", frechet_1d)
# The feature that varies most among the held-out digits, for the Gaussian baseline's samples.
k = int(test_features.std(axis=0).argmax())
column = classifier.features(np.clip(gauss, 0, 1).reshape(-1, 8, 8))[:, k]
by_hand = frechet_1d(column, test_features[:, k])
library = metrics.frechet_distance(column[:, None], test_features[:, k : k + 1])
print(f"feature {k}: by hand {by_hand:.4f}, metrics.frechet_distance {library:.4f}")
assert np.isclose(by_hand, library)
