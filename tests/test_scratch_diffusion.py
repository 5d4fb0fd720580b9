"""The NumPy diffusion process: the closed form q(x_t | x_0) against t noising steps, the
reverse steps (DDPM is DDIM with eta = 1), the schedules, and every validation message."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.scratch import (
    ddim_step,
    ddpm_step,
    forward_diffusion,
    noise_schedule,
    predict_x0,
    q_sample,
)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
@pytest.mark.parametrize("t", [1, 5, 20, 50])
def test_closed_form_matches_t_steps_of_noising_in_mean_and_variance(kind, t):
    schedule = noise_schedule(50, kind=kind)
    # Two pixels with different clean values, 40000 independent chains each.
    x0 = np.tile([[1.5, -0.5]], (40000, 1))
    stepped = forward_diffusion(x0, t, schedule["betas"], seed=t)
    rng = np.random.default_rng(100 + t)
    jumped = q_sample(x0, t, rng.standard_normal(x0.shape), schedule["alpha_bars"])
    ab = schedule["alpha_bars"][t]
    # The exact moments of q(x_t | x_0): mean sqrt(ab) x0, variance 1 - ab.
    for samples in (stepped, jumped):
        standard_error = np.sqrt((1 - ab) / len(x0))
        np.testing.assert_allclose(
            samples.mean(axis=0), np.sqrt(ab) * x0[0], atol=5 * standard_error
        )
        np.testing.assert_allclose(samples.var(axis=0), 1 - ab, rtol=0.03)
    # And the two samplers agree with each other.
    np.testing.assert_allclose(stepped.mean(axis=0), jumped.mean(axis=0), atol=0.03)
    np.testing.assert_allclose(stepped.var(axis=0), jumped.var(axis=0), rtol=0.04)


def test_forward_diffusion_with_zero_steps_is_the_data_and_is_reproducible():
    x0 = np.arange(6.0).reshape(2, 3)
    betas = noise_schedule(10)["betas"]
    np.testing.assert_array_equal(forward_diffusion(x0, 0, betas, seed=0), x0)
    a = forward_diffusion(x0, 7, betas, seed=3)
    np.testing.assert_array_equal(a, forward_diffusion(x0, 7, betas, seed=3))
    assert not np.array_equal(a, forward_diffusion(x0, 7, betas, seed=4))


def test_linear_schedule_defaults_follow_ho_et_al_scaled_by_steps():
    s = noise_schedule(1000)
    assert s["betas"].shape == s["alphas"].shape == s["alpha_bars"].shape == (1001,)
    assert s["betas"][0] == 0 and s["alpha_bars"][0] == 1
    np.testing.assert_allclose(s["betas"][[1, 1000]], [1e-4, 0.02])
    np.testing.assert_allclose(s["alpha_bars"], np.cumprod(1 - s["betas"]))
    short = noise_schedule(100)
    np.testing.assert_allclose(short["betas"][[1, 100]], [1e-3, 0.2])
    # Both end in almost pure noise.
    assert s["alpha_bars"][-1] < 1e-4 and short["alpha_bars"][-1] < 1e-4
    # Very short schedules cap beta below 1.
    assert noise_schedule(5)["betas"].max() == pytest.approx(0.999)


def test_cosine_schedule_is_monotone_and_ends_in_noise():
    s = noise_schedule(200, kind="cosine")
    assert np.all(np.diff(s["alpha_bars"]) < 0)
    assert s["alpha_bars"][-1] < 1e-4
    # Half-way the signal and the noise have about equal variance.
    assert s["alpha_bars"][100] == pytest.approx(0.5, abs=0.02)
    custom = noise_schedule(10, beta_start=0.01, beta_end=0.3)
    np.testing.assert_allclose(custom["betas"][[1, 10]], [0.01, 0.3])


def test_q_sample_and_predict_x0_invert_each_other_with_per_example_timesteps():
    rng = np.random.default_rng(0)
    alpha_bars = noise_schedule(100)["alpha_bars"]
    x0 = rng.normal(size=(4, 3, 3))
    eps = rng.normal(size=x0.shape)
    t = np.array([1, 10, 50, 100])
    x_t = q_sample(x0, t, eps, alpha_bars)
    for i in range(4):  # per-example timesteps broadcast over the image axes
        np.testing.assert_allclose(
            x_t[i], q_sample(x0[i : i + 1], int(t[i]), eps[i : i + 1], alpha_bars)[0]
        )
    np.testing.assert_allclose(predict_x0(x_t, t, eps, alpha_bars), x0, atol=1e-8)


@pytest.mark.parametrize("t", [1, 2, 30, 100])
def test_ddim_with_eta_one_and_one_step_is_ddpm(t):
    rng = np.random.default_rng(t)
    schedule = noise_schedule(100)
    x_t, eps_hat, z = (rng.normal(size=(5, 4)) for _ in range(3))
    ddpm = ddpm_step(x_t, t, eps_hat, schedule, z)
    ddim = ddim_step(x_t, t, t - 1, eps_hat, schedule["alpha_bars"], eta=1.0, noise=z)
    np.testing.assert_allclose(ddim, ddpm, atol=1e-10)


def test_ddim_with_the_true_noise_recovers_x0_in_one_jump_and_is_deterministic():
    rng = np.random.default_rng(1)
    alpha_bars = noise_schedule(100)["alpha_bars"]
    x0, eps = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    x_t = q_sample(x0, 80, eps, alpha_bars)
    np.testing.assert_allclose(ddim_step(x_t, 80, 0, eps, alpha_bars), x0, atol=1e-10)
    # A step to an intermediate t' lands exactly on q_sample(x0, t', eps).
    np.testing.assert_allclose(
        ddim_step(x_t, 80, 30, eps, alpha_bars), q_sample(x0, 30, eps, alpha_bars), atol=1e-10
    )


def test_ddim_clip_keeps_the_x0_estimate_in_range():
    alpha_bars = noise_schedule(100)["alpha_bars"]
    x_t, eps_hat = np.array([[3.0, -3.0, 0.1]]), np.array([[-2.0, 2.0, 0.0]])
    free = ddim_step(x_t, 100, 0, eps_hat, alpha_bars)
    clipped = ddim_step(x_t, 100, 0, eps_hat, alpha_bars, clip=1.0)
    assert np.abs(free).max() > 100
    np.testing.assert_allclose(clipped[0, :2], [1.0, -1.0])


def test_ddpm_last_step_adds_no_noise():
    schedule = noise_schedule(20)
    x_t, eps_hat = np.ones((2, 2)), np.zeros((2, 2))
    a = ddpm_step(x_t, 1, eps_hat, schedule, np.zeros((2, 2)))
    b = ddpm_step(x_t, 1, eps_hat, schedule, np.full((2, 2), 5.0))
    np.testing.assert_array_equal(a, b)


SCHEDULE = noise_schedule(10)
AB = SCHEDULE["alpha_bars"]
X = np.zeros((2, 3))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: noise_schedule(0), r"Expected a positive integer. Received: steps=0"),
        (
            lambda: noise_schedule(10, kind="sigmoid"),
            r"Expected one of 'linear', 'cosine'. Received: kind='sigmoid'",
        ),
        (
            lambda: noise_schedule(10, beta_start=0.5, beta_end=0.1),
            r"Expected 0 < beta_start <= beta_end < 1. Received: beta_start=0.5, beta_end=0.1 \(steps=10\)",
        ),
        (lambda: noise_schedule(10, beta_end=1.5), r"Expected 0 < beta_start <= beta_end < 1"),
        (
            lambda: noise_schedule(10, beta_start=-1.0),
            r"Expected a positive float. Received: beta_start=-1.0",
        ),
        (
            lambda: noise_schedule(10, kind="cosine", beta_end=0.1),
            r"beta_start and beta_end only apply to kind='linear'",
        ),
        (
            lambda: q_sample(X, 11, X, AB),
            r"Expected an integer timestep \(or an array of them\) from 0 to 10. Received: t=11",
        ),
        (lambda: q_sample(X, 2.5, X, AB), r"Received: t=2.5"),
        (
            lambda: q_sample(X, np.array([1, 2, 3]), X, AB),
            r"Expected one timestep per example \(2\). Received: t.shape=\(3,\)",
        ),
        (
            lambda: q_sample(X, 1, np.zeros((2, 2)), AB),
            r"Expected noise of the shape of x0, \(2, 3\). Received: noise.shape=\(2, 2\)",
        ),
        (
            lambda: q_sample([[np.nan]], 1, [[0.0]], AB),
            r"Expected an array of finite numbers. Received: x0 with 1 NaN",
        ),
        (lambda: forward_diffusion(X, -1, SCHEDULE["betas"]), r"from 0 to 10. Received: t=-1"),
        (lambda: predict_x0(X, 0, X, AB), r"from 1 to 10. Received: t=0"),
        (
            lambda: ddpm_step(X, 3, X, {"betas": 1}, X),
            r"Expected a schedule from dlguide.scratch.noise_schedule",
        ),
        (
            lambda: ddpm_step(X, 3, np.zeros((3, 2)), SCHEDULE, X),
            r"Expected eps_hat of the shape of x_t",
        ),
        (lambda: ddim_step(X, 5, 5, X, AB), r"from 0 to 4. Received: t_prev=5"),
        (
            lambda: ddim_step(X, 5, 2, X, AB, eta=-0.5),
            r"Expected a non-negative float. Received: eta=-0.5",
        ),
        (
            lambda: ddim_step(X, 5, 2, X, AB, eta=0.5),
            r"Expected noise when eta > 0. Received: eta=0.5, noise=None",
        ),
        (lambda: ddim_step(X, 5, 2, X, AB, clip=0), r"Expected a positive float. Received: clip=0"),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
