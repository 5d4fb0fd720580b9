"""The exercises of the generative-models track: cases and reference answers.

Registered like those of `_solutions.py`, after them, in the order of the pages.
"""

from __future__ import annotations

import numpy as np

from ._compare import ALLCLOSE
from ._registry import _Case, _exercise

# --- Autoencoders ---------------------------------------------------------------


def _per_example_mse_cases() -> list[_Case]:
    rng = np.random.default_rng(20)
    return [
        _Case((np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.0, 0.5], [0.0, 1.0]]))),
        _Case((rng.random((3, 4, 4)), rng.random((3, 4, 4)))),  # images: average 16 pixels
        _Case((rng.random((1, 5)), rng.random((1, 5)))),  # a batch of one
    ]


@_exercise(
    title="Per-example reconstruction errors",
    page="Autoencoders",
    task=f"""
    Return the mean squared reconstruction error of each example: for example
    i, the mean of `(X[i] - X_hat[i]) ** 2` over all its values.

    X and X_hat have the same shape, `(batch_size, ...)`: vectors
    `(batch_size, d)` or images `(batch_size, height, width)`. Return an array
    of shape `(batch_size,)`. The check compares your output with the
    reference on 3 fixed inputs (vectors, images, a batch of one) with
    {ALLCLOSE}.
    """,
    hint="""Average over every axis except the first: reshape the squared
    differences to (batch_size, -1) and take the mean of axis 1, or use
    mean(axis=tuple(range(1, X.ndim))).""",
    cases=_per_example_mse_cases,
)
def per_example_mse(X, X_hat):
    squared = (X - X_hat) ** 2
    return squared.reshape(len(squared), -1).mean(axis=1)


# --- Variational autoencoders ---------------------------------------------------


def _gaussian_kl_cases() -> list[_Case]:
    rng = np.random.default_rng(21)
    return [
        _Case((np.zeros((2, 3)), np.zeros((2, 3)))),  # the prior itself: KL 0
        _Case((np.array([[1.0, -2.0]]), np.array([[0.0, np.log(4.0)]]))),
        _Case((rng.normal(size=(4, 2)), rng.normal(size=(4, 2)))),
        _Case((np.array([[0.0]]), np.array([[-30.0]]))),  # a very narrow Gaussian
    ]


@_exercise(
    title="KL divergence from the VAE's prior",
    page="Variational autoencoders",
    task=f"""
    The encoder of a VAE gives each example a Gaussian with mean `mean` and
    log-variance `log_var` (one value per latent dimension). Return, for each
    example, the KL divergence from that Gaussian to the prior N(0, I), summed
    over the latent dimensions:

        KL = -0.5 * sum(1 + log_var - mean ** 2 - exp(log_var))

    mean and log_var have shape `(batch_size, latent_dim)`; return shape
    `(batch_size,)`. The check compares with the reference on 4 fixed inputs
    (including the prior itself and a very narrow Gaussian) with {ALLCLOSE}.
    """,
    hint="""Work elementwise, then sum over axis 1 (the latent dimensions), not
    over the whole batch; the variance is exp(log_var), not log_var.""",
    cases=_gaussian_kl_cases,
)
def gaussian_kl(mean, log_var):
    return -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1)


# --- Generative adversarial networks ----------------------------------------------


def _gan_losses_cases() -> list[_Case]:
    rng = np.random.default_rng(22)
    return [
        _Case((np.array([0.0, 0.0]), np.array([0.0, 0.0]))),  # D undecided: 2 log 2 and log 2
        _Case((rng.normal(size=5), rng.normal(size=5))),
        _Case((rng.normal(size=(4, 1)), rng.normal(size=(4, 1)))),
        # D very sure and right: its loss ~0, the generator's ~1000; no inf or nan.
        _Case((np.array([1000.0]), np.array([-1000.0]))),
    ]


@_exercise(
    title="The two losses of a GAN, from logits",
    page="Generative adversarial networks",
    task=f"""
    Given the discriminator's logits on a batch of real samples and on a
    batch of generated ones, return `(d_loss, g_loss)`, two numbers:

    - d_loss: binary cross-entropy with label 1 for the real logits plus
      binary cross-entropy with label 0 for the fake logits, each averaged
      over its batch;
    - g_loss: the non-saturating generator loss, binary cross-entropy of the
      fake logits with label 1, averaged.

    Both must stay finite for logits of +-1000. The check compares with the
    reference on 4 fixed inputs with {ALLCLOSE}.
    """,
    hint="""The cross-entropy of a logit z with label 1 is softplus(-z) =
    log(1 + exp(-z)), with label 0 it is softplus(z); np.logaddexp(0, z)
    computes softplus(z) without overflow.""",
    cases=_gan_losses_cases,
    outputs=("d_loss", "g_loss"),
)
def gan_losses(real_logits, fake_logits):
    # binary cross-entropy from a logit z: label 1 costs softplus(-z), label 0 softplus(z)
    d_loss = np.mean(np.logaddexp(0, -real_logits)) + np.mean(np.logaddexp(0, fake_logits))
    g_loss = np.mean(np.logaddexp(0, -fake_logits))
    return d_loss, g_loss


# --- Diffusion models ------------------------------------------------------------


def _noisy_sample_cases() -> list[_Case]:
    rng = np.random.default_rng(23)
    return [
        _Case((np.array([1.0, -1.0]), 1.0, np.array([0.5, 0.5]))),  # t = 0: no noise
        _Case((np.array([1.0, -1.0]), 0.0, np.array([0.5, 0.5]))),  # pure noise
        _Case((np.array([[2.0, 0.0]]), 0.64, np.array([[1.0, -1.0]]))),
        _Case((rng.normal(size=(3, 4, 4)), 0.3, rng.normal(size=(3, 4, 4)))),
    ]


@_exercise(
    title="Noising in one step (the closed form)",
    page="Diffusion models",
    task=f"""
    Return x_t, the data x0 after t steps of the forward process, in one
    formula: `sqrt(alpha_bar) * x0 + sqrt(1 - alpha_bar) * noise`, where
    alpha_bar is the share of the signal's variance left at step t (a number
    in [0, 1]) and noise is standard normal noise of the shape of x0.

    The check compares with the reference on 4 fixed inputs (alpha_bar 1,
    alpha_bar 0, vectors and images) with {ALLCLOSE}.
    """,
    hint="""Square roots on both weights: the signal keeps sqrt(alpha_bar) of its
    size and the noise gets sqrt(1 - alpha_bar), so that the variances add up
    to 1 for unit-variance data.""",
    cases=_noisy_sample_cases,
)
def noisy_sample(x0, alpha_bar, noise):
    return np.sqrt(alpha_bar) * x0 + np.sqrt(1 - alpha_bar) * noise


# --- Latent diffusion ------------------------------------------------------------


def _guided_noise_cases() -> list[_Case]:
    rng = np.random.default_rng(24)
    return [
        _Case((np.array([1.0, 2.0]), np.array([0.0, 1.0]), 0.0)),  # w = 0: the conditional one
        _Case((np.array([1.0, 2.0]), np.array([0.0, 1.0]), 2.0)),
        _Case((rng.normal(size=(3, 8)), rng.normal(size=(3, 8)), 4.5)),
    ]


@_exercise(
    title="Classifier-free guidance",
    page="Latent diffusion",
    task=f"""
    Combine the denoiser's two predictions of the noise, with the class
    (`eps_cond`) and without it (`eps_uncond`), into the guided prediction of
    Ho and Salimans (2022):

        (1 + guidance) * eps_cond - guidance * eps_uncond

    A guidance of 0 gives eps_cond; larger values push further away from the
    unconditional prediction. The check compares with the reference on 3
    fixed inputs with {ALLCLOSE}.
    """,
    hint="""It is an extrapolation from eps_uncond through eps_cond:
    eps_cond + guidance * (eps_cond - eps_uncond), which is the same.""",
    cases=_guided_noise_cases,
)
def guided_noise(eps_cond, eps_uncond, guidance):
    return eps_cond + guidance * (eps_cond - eps_uncond)


# --- Project: generating digits --------------------------------------------------


def _frechet_1d_cases() -> list[_Case]:
    rng = np.random.default_rng(25)
    return [
        _Case((np.array([0.0, 2.0]), np.array([0.0, 2.0]))),  # the same set: 0
        _Case((np.array([0.0, 2.0, 4.0]), np.array([10.0, 12.0]))),
        _Case((rng.normal(1.0, 2.0, size=50), rng.normal(-1.0, 0.5, size=80))),
    ]


@_exercise(
    title="Fréchet distance of one feature",
    page="Project: generating digits",
    task=f"""
    For one feature, the Fréchet distance between two sets of values a and b
    (1-D arrays, possibly of different lengths) is the squared difference of
    their means plus the squared difference of their standard deviations:
    `(mean(a) - mean(b)) ** 2 + (std(a) - std(b)) ** 2`, with the sample
    standard deviation (ddof=1), as `dlguide.metrics.frechet_distance` uses.

    The check compares with the reference on 3 fixed inputs with {ALLCLOSE}.
    """,
    hint="""np.std divides by n by default; pass ddof=1 to divide by n - 1, the
    covariance estimate that frechet_distance (like np.cov) uses.""",
    cases=_frechet_1d_cases,
)
def frechet_1d(a, b):
    return (np.mean(a) - np.mean(b)) ** 2 + (np.std(a, ddof=1) - np.std(b, ddof=1)) ** 2
