"""The diffusion process of DDPM and DDIM in NumPy: schedule, forward noising, reverse steps.

Notation of Ho et al. (2020): timesteps run from 1 to T, and index 0 is the
clean data. Every array of a schedule has T + 1 entries, so that
`alpha_bars[t]` is the $\\bar\\alpha_t$ of the paper with `alpha_bars[0] = 1`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import (
    check_array,
    check_choice,
    check_non_negative_float,
    check_positive_float,
    check_positive_int,
    check_schedule,
)

_KINDS = ("linear", "cosine")


def _check_timestep(t: Any, name: str, steps: int, *, low: int = 1) -> np.ndarray:
    """Return `t` (an int or an array of ints) as an int array, each in [low, steps]."""
    array = np.asarray(t)
    if (
        array.size == 0
        or not np.issubdtype(array.dtype, np.integer)
        or array.ndim > 1
        or array.min() < low
        or array.max() > steps
    ):
        raise ValueError(
            f"Expected an integer timestep (or an array of them) from {low} to {steps}. "
            f"Received: {name}={t!r}"
        )
    return array.astype(np.int64)


def _per_example(values: np.ndarray, ndim: int) -> np.ndarray:
    """Reshape one value per example, shape (batch,), to broadcast over (batch, ...)."""
    return values.reshape(values.shape + (1,) * (ndim - values.ndim))


def noise_schedule(
    steps: int = 1000,
    *,
    kind: str = "linear",
    beta_start: float | None = None,
    beta_end: float | None = None,
) -> dict[str, np.ndarray]:
    """Compute a diffusion noise schedule: the variance $\\beta_t$ added at each step.

    Step $t$ of the forward process keeps a fraction $\\sqrt{1-\\beta_t}$ of
    the signal and adds Gaussian noise of variance $\\beta_t$. After $t$ steps
    the signal left is $\\sqrt{\\bar\\alpha_t}$, with
    $\\alpha_t = 1 - \\beta_t$ and $\\bar\\alpha_t = \\prod_{s=1}^{t}\\alpha_s$.

    `"linear"` spaces $\\beta_t$ evenly from `beta_start` to `beta_end` (Ho et
    al., 2020: 1e-4 to 0.02 for T = 1000; the defaults scale these by
    1000 / T, so that a shorter schedule still ends in almost pure noise).
    `"cosine"` (Nichol and Dhariwal, 2021) sets
    $\\bar\\alpha_t = \\cos^2\\!\\big(\\frac{t/T + 0.008}{1.008}\\cdot\\frac{\\pi}{2}\\big)$
    (normalised to 1 at t = 0), which destroys the signal more gradually.

    Args:
        steps: Number of noising steps T.
        kind: `"linear"` or `"cosine"`.
        beta_start: First $\\beta$ of the linear schedule (default 0.1 / T).
        beta_end: Last $\\beta$ of the linear schedule (default 20 / T,
            at most 0.999).

    Returns:
        A dict of float64 arrays of length `steps + 1`, indexed by t:
        `"betas"`, `"alphas"` and `"alpha_bars"`. Index 0 is the clean data
        (`betas[0] = 0`, `alpha_bars[0] = 1`).

    Raises:
        ValueError: If `steps` is not a positive integer, `kind` is unknown,
            or the betas are not in (0, 1) with `beta_start <= beta_end`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import noise_schedule
        >>> schedule = noise_schedule(1000)
        >>> schedule["betas"][[1, 1000]].tolist(), float(schedule["alpha_bars"][0])
        ([0.0001, 0.02], 1.0)
        >>> print(f"{schedule['alpha_bars'][1000]:.1e}")  # almost no signal left
        4.0e-05
        >>> cosine = noise_schedule(100, kind="cosine")
        >>> # half-way: half of the variance
        >>> round(float(cosine["alpha_bars"][50]), 3)
        0.494
    """
    steps = check_positive_int(steps, "steps")
    kind = check_choice(kind, "kind", _KINDS)
    if kind == "linear":
        end = (
            min(20 / steps, 0.999)
            if beta_end is None
            else check_positive_float(beta_end, "beta_end")
        )
        start = (
            min(0.1 / steps, end)
            if beta_start is None
            else check_positive_float(beta_start, "beta_start")
        )
        if not start <= end < 1:
            raise ValueError(
                "Expected 0 < beta_start <= beta_end < 1. "
                f"Received: beta_start={beta_start!r}, beta_end={beta_end!r} (steps={steps})"
            )
        betas = np.linspace(start, end, steps) if steps > 1 else np.array([start])
    else:
        if beta_start is not None or beta_end is not None:
            raise ValueError(
                "beta_start and beta_end only apply to kind='linear'. "
                f"Received: beta_start={beta_start!r}, beta_end={beta_end!r}"
            )
        s = 0.008
        f = np.cos((np.arange(steps + 1) / steps + s) / (1 + s) * math.pi / 2) ** 2
        betas = np.clip(1 - f[1:] / f[:-1], 0, 0.999)
    betas = np.concatenate([[0.0], betas])
    alphas = 1 - betas
    return {"betas": betas, "alphas": alphas, "alpha_bars": np.cumprod(alphas)}


def q_sample(x0: Any, t: Any, noise: Any, alpha_bars: Any) -> np.ndarray:
    """Jump straight to step t of the forward process: $x_t$ from $x_0$ in one formula.

    $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1-\\bar\\alpha_t}\\, \\epsilon,
    \\qquad \\epsilon \\sim \\mathcal N(0, I).$$

    This is the closed form of $q(x_t \\mid x_0)$: the same distribution as
    `forward_diffusion` reaches in t small steps, at the cost of one. It is
    what makes diffusion training cheap: any noise level of any example in
    one line.

    Args:
        x0: Clean data, an array of shape `(batch_size, ...)`.
        t: The timestep, from 0 (no noise) to T: an int, or one int per
            example (shape `(batch_size,)`).
        noise: Standard normal noise $\\epsilon$ of the shape of `x0`.
        alpha_bars: `noise_schedule(T)["alpha_bars"]`.

    Returns:
        $x_t$, a float64 array of the shape of `x0`.

    Raises:
        ValueError: If the arrays are not finite or their shapes differ, or a
            timestep is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import noise_schedule, q_sample
        >>> alpha_bars = noise_schedule(100)["alpha_bars"]
        >>> x0, noise = np.ones((3, 2)), np.zeros((3, 2))
        >>> q_sample(x0, np.array([0, 10, 100]), noise, alpha_bars).round(3)
        array([[1.   , 1.   ],
               [0.951, 0.951],
               [0.005, 0.005]])
    """
    alpha_bars = check_array(
        alpha_bars, "alpha_bars", "Expected a 1-D array of finite numbers.", ndims=(1,)
    )
    x0 = check_array(x0, "x0", "Expected an array of finite numbers.", ndims=range(1, 6))
    noise = check_array(noise, "noise", "Expected an array of finite numbers.", ndims=(x0.ndim,))
    if noise.shape != x0.shape:
        raise ValueError(
            f"Expected noise of the shape of x0, {x0.shape}. Received: noise.shape={noise.shape}"
        )
    t = _check_timestep(t, "t", len(alpha_bars) - 1, low=0)
    if t.ndim == 1 and len(t) != len(x0):
        raise ValueError(
            f"Expected one timestep per example ({len(x0)}). Received: t.shape={t.shape}"
        )
    ab = _per_example(alpha_bars[t], x0.ndim) if t.ndim else alpha_bars[t]
    return np.sqrt(ab) * x0 + np.sqrt(1 - ab) * noise


def forward_diffusion(x0: Any, t: int, betas: Any, *, seed: int | None = None) -> np.ndarray:
    """Run the forward process step by step: add a little Gaussian noise t times.

    Each step $s = 1, \\dots, t$ draws fresh noise:
    $x_s = \\sqrt{1-\\beta_s}\\, x_{s-1} + \\sqrt{\\beta_s}\\, \\epsilon_s$.
    `q_sample` reaches the same distribution in one formula; the tests check
    that both give the same mean and variance.

    Args:
        x0: Clean data, an array of shape `(batch_size, ...)`.
        t: Number of steps to run, from 0 to T.
        betas: `noise_schedule(T)["betas"]`.
        seed: Seed of the noise (None: a different draw each call).

    Returns:
        $x_t$, a float64 array of the shape of `x0`.

    Raises:
        ValueError: If `x0` or `betas` is not a finite array, or `t` is out of
            range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import forward_diffusion, noise_schedule
        >>> schedule = noise_schedule(100)
        >>> x0 = np.full((20000, 1), 2.0)
        >>> x_t = forward_diffusion(x0, 30, schedule["betas"], seed=0)
        >>> ab = schedule["alpha_bars"][30]
        >>> print(f"mean {x_t.mean():.3f} vs {np.sqrt(ab) * 2:.3f}, "
        ...       f"variance {x_t.var():.3f} vs {1 - ab:.3f}")
        mean 1.269 vs 1.261, variance 0.601 vs 0.603
    """
    betas = check_array(betas, "betas", "Expected a 1-D array of finite numbers.", ndims=(1,))
    x = check_array(x0, "x0", "Expected an array of finite numbers.", ndims=range(1, 6)).copy()
    t = int(_check_timestep(t, "t", len(betas) - 1, low=0))
    rng = np.random.default_rng(seed)
    for s in range(1, t + 1):
        x = np.sqrt(1 - betas[s]) * x + np.sqrt(betas[s]) * rng.standard_normal(x.shape)
    return x


def predict_x0(x_t: Any, t: Any, eps_hat: Any, alpha_bars: Any) -> np.ndarray:
    """Estimate the clean data $x_0$ from $x_t$ and the predicted noise.

    Solving the closed form of `q_sample` for $x_0$:
    $\\hat x_0 = (x_t - \\sqrt{1-\\bar\\alpha_t}\\,\\hat\\epsilon) / \\sqrt{\\bar\\alpha_t}$.

    Args:
        x_t: Noisy data, shape `(batch_size, ...)`.
        t: The timestep of `x_t` (1 to T), an int or one per example.
        eps_hat: The predicted noise, the shape of `x_t`.
        alpha_bars: `noise_schedule(T)["alpha_bars"]`.

    Returns:
        $\\hat x_0$, a float64 array of the shape of `x_t`.

    Raises:
        ValueError: If the arrays are not finite or their shapes differ, or a
            timestep is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import noise_schedule, predict_x0, q_sample
        >>> alpha_bars = noise_schedule(50)["alpha_bars"]
        >>> x0, eps = np.array([[0.5, -1.0]]), np.array([[0.3, 0.7]])
        >>> x_t = q_sample(x0, 20, eps, alpha_bars)
        >>> predict_x0(x_t, 20, eps, alpha_bars)  # the true noise gives x0 back
        array([[ 0.5, -1. ]])
    """
    alpha_bars = check_array(
        alpha_bars, "alpha_bars", "Expected a 1-D array of finite numbers.", ndims=(1,)
    )
    x_t, eps_hat = _check_pair(x_t, eps_hat, "eps_hat")
    t = _check_timestep(t, "t", len(alpha_bars) - 1)
    ab = _per_example(alpha_bars[t], x_t.ndim) if t.ndim else alpha_bars[t]
    return (x_t - np.sqrt(1 - ab) * eps_hat) / np.sqrt(ab)


def _check_pair(x_t: Any, other: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    x_t = check_array(x_t, "x_t", "Expected an array of finite numbers.", ndims=range(1, 6))
    other = check_array(other, name, "Expected an array of finite numbers.", ndims=(x_t.ndim,))
    if other.shape != x_t.shape:
        raise ValueError(
            f"Expected {name} of the shape of x_t, {x_t.shape}. "
            f"Received: {name}.shape={other.shape}"
        )
    return x_t, other


def ddpm_step(
    x_t: Any, t: int, eps_hat: Any, schedule: dict[str, np.ndarray], noise: Any
) -> np.ndarray:
    """One reverse step of DDPM (Ho et al., 2020): from $x_t$ to $x_{t-1}$.

    $$x_{t-1} = \\frac{1}{\\sqrt{\\alpha_t}}\\Big(x_t -
    \\frac{\\beta_t}{\\sqrt{1-\\bar\\alpha_t}}\\,\\hat\\epsilon\\Big)
    + \\sigma_t z, \\qquad
    \\sigma_t^2 = \\frac{1-\\bar\\alpha_{t-1}}{1-\\bar\\alpha_t}\\,\\beta_t,$$

    where $\\hat\\epsilon$ is the network's estimate of the noise in $x_t$ and
    $z$ fresh standard normal noise (not used at t = 1, the last step).
    Sampling runs this for t = T, T-1, ..., 1, starting from pure noise.

    Args:
        x_t: The current sample, shape `(batch_size, ...)`.
        t: The current timestep, from 1 to T (the same for the whole batch).
        eps_hat: The predicted noise, the shape of `x_t`.
        schedule: The dict returned by `noise_schedule`.
        noise: Standard normal noise $z$, the shape of `x_t`.

    Returns:
        $x_{t-1}$, a float64 array of the shape of `x_t`.

    Raises:
        ValueError: If the arrays are not finite or their shapes differ, the
            schedule is not one from `noise_schedule`, or `t` is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import ddpm_step, noise_schedule
        >>> schedule = noise_schedule(100)
        >>> x_t, eps_hat = np.array([[1.0, -1.0]]), np.array([[0.2, 0.0]])
        >>> ddpm_step(x_t, 5, eps_hat, schedule, np.zeros((1, 2))).round(4)
        array([[ 0.993 , -1.0046]])
    """
    schedule = check_schedule(schedule)
    x_t, eps_hat = _check_pair(x_t, eps_hat, "eps_hat")
    _, noise = _check_pair(x_t, noise, "noise")
    t = int(_check_timestep(t, "t", len(schedule["betas"]) - 1))
    beta, alpha = schedule["betas"][t], schedule["alphas"][t]
    ab, ab_prev = schedule["alpha_bars"][t], schedule["alpha_bars"][t - 1]
    mean = (x_t - beta / np.sqrt(1 - ab) * eps_hat) / np.sqrt(alpha)
    if t == 1:
        return mean
    sigma = np.sqrt((1 - ab_prev) / (1 - ab) * beta)
    return mean + sigma * noise


def ddim_step(
    x_t: Any,
    t: int,
    t_prev: int,
    eps_hat: Any,
    alpha_bars: Any,
    *,
    eta: float = 0.0,
    noise: Any = None,
    clip: float | None = None,
) -> np.ndarray:
    """One reverse step of DDIM (Song et al., 2020): from $x_t$ to $x_{t'}$, any $t' < t$.

    DDIM first estimates the clean data $\\hat x_0$ (see `predict_x0`), then
    moves to the noise level of $t'$, reusing the predicted noise:

    $$x_{t'} = \\sqrt{\\bar\\alpha_{t'}}\\,\\hat x_0
    + \\sqrt{1-\\bar\\alpha_{t'}-\\sigma^2}\\,\\hat\\epsilon + \\sigma z,
    \\quad \\sigma = \\eta \\sqrt{\\tfrac{1-\\bar\\alpha_{t'}}{1-\\bar\\alpha_t}}
    \\sqrt{1-\\tfrac{\\bar\\alpha_t}{\\bar\\alpha_{t'}}}.$$

    With $\\eta = 0$ the step is deterministic, and it can skip many
    timesteps at once: 20 steps instead of 1000. With $\\eta = 1$ and
    $t' = t - 1$ it is exactly `ddpm_step`.

    Args:
        x_t: The current sample, shape `(batch_size, ...)`.
        t: The current timestep, from 1 to T.
        t_prev: The timestep to move to, from 0 (clean data) to t - 1.
        eps_hat: The predicted noise, the shape of `x_t`.
        alpha_bars: `noise_schedule(T)["alpha_bars"]`.
        eta: Amount of fresh noise, from 0 (DDIM) to 1 (DDPM-like).
        noise: Standard normal noise $z$, the shape of `x_t` (needed only if
            `eta > 0`).
        clip: If given, $\\hat x_0$ is clipped to `[-clip, clip]` (the data
            range) before the move, which steadies the first, noisiest steps.

    Returns:
        $x_{t'}$, a float64 array of the shape of `x_t`.

    Raises:
        ValueError: If the arrays are not finite or their shapes differ, a
            timestep is out of range, or `eta > 0` without `noise`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import ddim_step, ddpm_step, noise_schedule
        >>> schedule = noise_schedule(100)
        >>> x_t, eps_hat = np.array([[1.0, -1.0]]), np.array([[0.2, 0.0]])
        >>> z = np.array([[0.5, -0.3]])
        >>> alpha_bars = schedule["alpha_bars"]
        >>> # one jump to x0
        >>> ddim_step(x_t, 10, 0, eps_hat, alpha_bars).round(4)
        array([[ 0.9866, -1.0519]])
        >>> same = ddim_step(x_t, 5, 4, eps_hat, alpha_bars, eta=1.0, noise=z)
        >>> bool(np.allclose(same, ddpm_step(x_t, 5, eps_hat, schedule, z)))
        True
    """
    alpha_bars = check_array(
        alpha_bars, "alpha_bars", "Expected a 1-D array of finite numbers.", ndims=(1,)
    )
    x_t, eps_hat = _check_pair(x_t, eps_hat, "eps_hat")
    t = int(_check_timestep(t, "t", len(alpha_bars) - 1))
    t_prev = int(_check_timestep(t_prev, "t_prev", t - 1, low=0))
    eta = check_non_negative_float(eta, "eta")
    if clip is not None:
        clip = check_positive_float(clip, "clip")
    ab, ab_prev = alpha_bars[t], alpha_bars[t_prev]
    x0_hat = (x_t - np.sqrt(1 - ab) * eps_hat) / np.sqrt(ab)
    if clip is not None:
        x0_hat = np.clip(x0_hat, -clip, clip)
        eps_hat = (x_t - np.sqrt(ab) * x0_hat) / np.sqrt(1 - ab)
    sigma = eta * np.sqrt((1 - ab_prev) / (1 - ab)) * np.sqrt(1 - ab / ab_prev)
    x_prev = np.sqrt(ab_prev) * x0_hat + np.sqrt(np.maximum(1 - ab_prev - sigma**2, 0)) * eps_hat
    if sigma > 0:
        if noise is None:
            raise ValueError(f"Expected noise when eta > 0. Received: eta={eta!r}, noise=None")
        _, noise = _check_pair(x_t, noise, "noise")
        x_prev = x_prev + sigma * noise
    return x_prev
