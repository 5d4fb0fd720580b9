"""The exercises: reference answers pass, typical mistakes fail with a hint, one line each."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from dlguide import scratch
from dlguide.exercises import check, describe, list_exercises, solution
from dlguide.exercises._check import _get_exercise

EXERCISES = [
    "dense_forward",
    "perceptron_update",
    "sigmoid_grad",
    "backward_pass",
    "relu_grad",
    "bce_from_logits",
    "momentum_step",
    "inverted_dropout",
    "quantize_int8",
    "latency_percentile",
    "data_parallel_grad",
    "attention_pooling",
    "causal_attention",
    "position_encoding",
    "layer_norm",
    "mlm_inputs",
    "per_example_mse",
    "gaussian_kl",
    "gan_losses",
    "noisy_sample",
    "guided_noise",
    "frechet_1d",
    "lora_forward",
    "patchify",
    "balance_loss",
    "merge_softmax",
]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _backward(X, y, W1, b1, W2, b2, *, relu_mask=True, mean=True):
    """A reader's backward pass, correct unless told to make a mistake."""
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    dZ2 = (_sigmoid(H @ W2 + b2) - y) / (len(X) if mean else 1)
    dZ1 = dZ2 @ W2.T * ((Z1 > 0) if relu_mask else 1)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}


def _naive_bce(y, logits):
    p = _sigmoid(logits)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _clipped_bce(y, logits):
    p = np.clip(_sigmoid(logits), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _torch_momentum(w, grad, velocity, lr, momentum):
    velocity = momentum * velocity + grad
    return w - lr * velocity, velocity


def _perceptron_ge(w, b, x, y, lr):
    y_hat = int(x @ w + b >= 0)
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def _perceptron_no_bias(w, b, x, y, lr):
    y_hat = int(x @ w + b > 0)
    return w + lr * (y - y_hat) * x, b


def _mlm_in_place(ids, chosen, mask_id):
    ids = ids.copy()
    ids[chosen] = mask_id
    return ids, chosen * 1.0


def _softmax_rows(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _mask_after_softmax(Q, K, V):
    weights = _softmax_rows(Q @ K.T / np.sqrt(Q.shape[1])) * np.tril(np.ones((len(Q), len(K))))
    return weights @ V


def _encoding_wrong_exponent(num_steps, num_hiddens):
    i = np.arange(num_hiddens // 2)
    angles = np.arange(num_steps)[:, None] / 10000 ** (i / num_hiddens)
    P = np.zeros((num_steps, num_hiddens))
    P[:, 0::2], P[:, 1::2] = np.sin(angles), np.cos(angles)
    return P


# A correct answer written the way a reader would, for each exercise.
def _quantize_keepdims(w):
    scale = np.max(np.abs(w), axis=0, keepdims=True) / 127
    return (w / scale).round().astype("int8"), scale.ravel()


READER_ANSWERS = {
    "dense_forward": lambda X, W, b: _sigmoid(X @ W + b),
    "perceptron_update": lambda w, b, x, y, lr: (
        w + lr * (y - int(x @ w + b > 0)) * x,
        b + lr * (y - int(x @ w + b > 0)),
    ),
    "sigmoid_grad": lambda x: _sigmoid(x) * (1 - _sigmoid(x)),
    "backward_pass": _backward,
    "relu_grad": lambda x: (x > 0).astype(float),
    "bce_from_logits": lambda y, z: np.mean(np.logaddexp(0, z) - z * y),
    "momentum_step": lambda w, g, v, lr, m: (w + (m * v - lr * g), m * v - lr * g),
    "inverted_dropout": lambda x, rate, rng: x * (rng.random(x.shape) < 1 - rate) / (1 - rate),
    "quantize_int8": _quantize_keepdims,
    "latency_percentile": lambda latencies, q: np.percentile(latencies, q),
    "data_parallel_grad": lambda X, y, w, n: 2 / len(X) * X.T @ (X @ w - y),
    "attention_pooling": lambda q, K, V: scratch.scaled_dot_product_attention(q[None], K, V)[0][0],
    "causal_attention": lambda Q, K, V: scratch.scaled_dot_product_attention(Q, K, V, causal=True)[
        0
    ],
    "position_encoding": lambda n, d: scratch.positional_encoding(n, d),
    "layer_norm": lambda X, g, b: scratch.layer_norm(X, g, b),
    "mlm_inputs": _mlm_in_place,
    "per_example_mse": lambda X, X_hat: ((X - X_hat) ** 2).mean(axis=tuple(range(1, X.ndim))),
    "gaussian_kl": lambda m, lv: 0.5 * (m**2 + np.exp(lv) - 1 - lv).sum(axis=1),
    "gan_losses": lambda r, f: (
        np.mean(np.logaddexp(0, -r) + 0) + np.mean(np.logaddexp(0, f)),
        np.mean(np.logaddexp(0, -f)),
    ),
    "noisy_sample": lambda x0, ab, noise: ab**0.5 * x0 + (1 - ab) ** 0.5 * noise,
    "guided_noise": lambda c, u, w: (1 + w) * c - w * u,
    "frechet_1d": lambda a, b: (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2,
    "patchify": lambda image, p: np.array(
        [
            image[r : r + p, c : c + p].ravel()
            for r in range(0, image.shape[0], p)
            for c in range(0, image.shape[1], p)
        ]
    ),
    "balance_loss": lambda P: (
        P.shape[1] * np.sum(np.bincount(P.argmax(1), minlength=P.shape[1]) / len(P) * P.mean(0))
    ),
    "merge_softmax": lambda m1, l1, m2, l2: (
        np.maximum(m1, m2),
        np.exp(np.logaddexp(np.log(l1) + m1, np.log(l2) + m2) - np.maximum(m1, m2)),
    ),
    "lora_forward": lambda X, W, b, A, B, alpha: X @ W + b + alpha / A.shape[1] * (X @ A) @ B,
}

# Typical mistakes, and a piece of the FAIL report each must produce (its lines joined).
MISTAKES = {
    "merge_softmax without rescaling": (
        "merge_softmax",
        lambda m1, l1, m2, l2: (np.maximum(m1, m2), l1 + l2),
        "merge_softmax(",
    ),
    "balance_loss with soft shares": (
        "balance_loss",
        lambda P: P.shape[1] * np.sum(P.mean(0) ** 2),
        "balance_loss(",
    ),
    "patchify reshaping directly": (
        "patchify",
        lambda image, p: image.reshape(-1, p * p),
        "patchify(",
    ),
    "lora_forward without the alpha / r scale": (
        "lora_forward",
        lambda X, W, b, A, B, alpha: X @ (W + A @ B) + b,
        "lora_forward(",
    ),
    "attention_pooling without the scale": (
        "attention_pooling",
        lambda q, K, V: _softmax_rows(K @ q) @ V,
        "attention_pooling(query=[1, 0], keys=[[1, 0], [0, 1]], values=[[1], [3]]) expected [1.66]",
    ),
    "causal_attention masking after the softmax": (
        "causal_attention",
        _mask_after_softmax,
        "causal_attention(Q.shape=(3, 3), K.shape=(3, 3), V.shape=(3, 3)) 5 of 9 values differ",
    ),
    "position_encoding with i instead of 2i": (
        "position_encoding",
        _encoding_wrong_exponent,
        "position_encoding(num_steps=4, num_hiddens=6) 12 of 24 values differ",
    ),
    "layer_norm over the batch": (
        "layer_norm",
        lambda X, g, b: (X - X.mean(0)) / np.sqrt(X.var(0) + 1e-3) * g + b,
        "layer_norm(X=[[1, 2, 3]], gamma=[1, 1, 1], beta=[0, 0, 0]) expected",
    ),
    "mlm_inputs weighting every position": (
        "mlm_inputs",
        lambda ids, chosen, m: (np.where(chosen, m, ids), np.ones(ids.shape)),
        "sample_weight",
    ),
    "dense_forward, no bias": (
        "dense_forward",
        lambda X, W, b: _sigmoid(X @ W),
        "dense_forward(X=[[1, 2]], W=[[0.5], [-0.25]], b=[0.1]) expected [[0.525]], got [[0.5]]",
    ),
    "dense_forward, W @ X": (
        "dense_forward",
        lambda X, W, b: _sigmoid(W @ X + b),
        "expected shape (1, 1), got shape (2, 2)",
    ),
    "dense_forward, flattened output": (
        "dense_forward",
        lambda X, W, b: _sigmoid(X @ W + b).ravel(),
        "expected shape (1, 1), got shape (1,)",
    ),
    "perceptron_update, score 0 predicts 1": (
        "perceptron_update",
        _perceptron_ge,
        "perceptron_update(w=[0, 0], b=0, x=[1, 1], y=1, learning_rate=1) w: expected [1, 1], got [0, 0]",
    ),
    "perceptron_update, bias not updated": (
        "perceptron_update",
        _perceptron_no_bias,
        "b: expected 1, got 0",
    ),
    "sigmoid_grad returns the sigmoid": (
        "sigmoid_grad",
        _sigmoid,
        "sigmoid_grad(x=[-2, -0.5, 0, 0.5, 2]) expected [0.105, 0.235, 0.25, 0.235, 0.105], "
        "got [0.1192, 0.3775, 0.5, 0.6225, 0.8808]",
    ),
    "sigmoid_grad overflows in the tails": (
        "sigmoid_grad",
        lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
        "sigmoid_grad(x=[-1000, -40, 40, 1000]) expected [0, 4.248e-18, 0, 0], got [nan,",
    ),
    "backward_pass without the ReLU mask": (
        "backward_pass",
        lambda *args: _backward(*args, relu_mask=False),
        "result['W1']: 15 of 15 values differ, e.g. at index (0, 0): expected 0.007031, got",
    ),
    "backward_pass summing instead of averaging": (
        "backward_pass",
        lambda *args: _backward(*args, mean=False),
        "result['W1']: ",
    ),
    "backward_pass with a missing key": (
        "backward_pass",
        lambda *args: {k: v for k, v in _backward(*args).items() if k != "b1"},
        "expected a dict with keys 'W1', 'b1', 'W2', 'b2', got one without 'b1'",
    ),
    "relu_grad is 1 at 0": (
        "relu_grad",
        lambda x: (x >= 0).astype(float),
        "relu_grad(x=[-3, -0.5, 0, 0.5, 3]) expected [0, 0, 0, 1, 1], got [0, 0, 1, 1, 1]",
    ),
    "relu_grad returns relu": (
        "relu_grad",
        lambda x: np.maximum(x, 0),
        "expected [0, 0, 0, 1, 1], got [0, 0, 0, 0.5, 3]",
    ),
    "bce_from_logits overflows without the stable form": (
        "bce_from_logits",
        _naive_bce,
        "bce_from_logits(y=[1, 0, 1, 0], logits=[1000, -1000, -1000, 1000]) expected 500, got nan",
    ),
    "bce_from_logits clips probabilities like Keras does": (
        "bce_from_logits",
        _clipped_bce,
        "expected 500, got 8.059",
    ),
    "momentum_step in PyTorch's form": (
        "momentum_step",
        _torch_momentum,
        "momentum_step(w=[1, -2], grad=[0.5, -1], velocity=[0, 0], learning_rate=0.1, momentum=0.9) "
        "velocity: expected [-0.05, 0.1], got [0.5, -1]",
    ),
    "momentum_step returns only w": (
        "momentum_step",
        lambda w, g, v, lr, m: w + (m * v - lr * g),
        "expected a tuple (w, velocity), got [0.95, -1.9]",
    ),
    "inverted_dropout without dividing by 1 - rate": (
        "inverted_dropout",
        lambda x, rate, rng: x * (rng.random(x.shape) >= rate),
        "inverted_dropout(x.shape=(200, 500), rate=0.2, rng=Generator) expected the mean to "
        "stay about 1.0005 (within 2%), got 0.8",
    ),
    "inverted_dropout keeping with probability rate": (
        "inverted_dropout",
        lambda x, rate, rng: x * (rng.random(x.shape) < rate) / (1 - rate),
        "rate=0, rng=Generator) expected about 0% of the values zeroed (within 1%), got 100.0%",
    ),
    "inverted_dropout multiplying by 1 - rate": (
        "inverted_dropout",
        lambda x, rate, rng: x * (rng.random(x.shape) >= rate) * (1 - rate),
        "expected the mean to stay about 1.0005 (within 2%), got 0.64",
    ),
    "per_example_mse averaging over axis 1 only": (
        "per_example_mse",
        lambda X, X_hat: ((X - X_hat) ** 2).mean(axis=1),
        "expected shape (3,), got shape (3, 4)",
    ),
    "gaussian_kl summed over the batch": (
        "gaussian_kl",
        lambda m, lv: -0.5 * np.sum(1 + lv - m**2 - np.exp(lv)),
        "expected shape (2,), got shape ()",
    ),
    "gan_losses with the saturating generator loss": (
        "gan_losses",
        lambda r, f: (
            np.mean(np.logaddexp(0, -r)) + np.mean(np.logaddexp(0, f)),
            -np.mean(np.logaddexp(0, f)),
        ),
        "g_loss: expected 0.6931, got -0.6931",
    ),
    "gan_losses overflowing through the sigmoid": (
        "gan_losses",
        lambda r, f: (
            -np.mean(np.log(1 / (1 + np.exp(-r)))) - np.mean(np.log(1 - 1 / (1 + np.exp(-f)))),
            -np.mean(np.log(1 / (1 + np.exp(-f)))),
        ),
        "gan_losses(real_logits=[1000], fake_logits=[-1000]) g_loss: expected 1000, got inf",
    ),
    "noisy_sample without square roots": (
        "noisy_sample",
        lambda x0, ab, noise: ab * x0 + (1 - ab) * noise,
        "noisy_sample(x0=[[2, 0]], alpha_bar=0.64, noise=[[1, -1]]) expected [[2.2, -0.6]], "
        "got [[1.64, -0.36]]",
    ),
    "guided_noise with the weights swapped": (
        "guided_noise",
        lambda c, u, w: (1 + w) * u - w * c,
        "guided_noise(eps_cond=[1, 2], eps_uncond=[0, 1], guidance=0) expected [1, 2], got [0, 1]",
    ),
    "frechet_1d with np.std's default ddof": (
        "frechet_1d",
        lambda a, b: (a.mean() - b.mean()) ** 2 + (a.std() - b.std()) ** 2,
        "frechet_1d(a=[0, 2, 4], b=[10, 12]) expected 81.34, got 81.4",
    ),
    "inverted_dropout ignoring rng": (
        "inverted_dropout",
        lambda x, rate, rng: x * (np.random.random(x.shape) >= rate) / (1 - rate),
        "expected the same mask from a generator with the same seed, got a different one",
    ),
    "quantize_int8 with one scale for the whole kernel": (
        "quantize_int8",
        lambda w: (np.round(w / (np.abs(w).max() / 127)).astype(np.int8), np.abs(w).max() / 127),
        "quantize_int8(w.shape=(6, 4)) q: 18 of 24 values differ",
    ),
    "quantize_int8 with one scale per input (row)": (
        "quantize_int8",
        lambda w: (
            np.round(w / (np.abs(w).max(axis=1, keepdims=True) / 127)).astype(np.int8),
            np.abs(w).max(axis=1) / 127,
        ),
        "q: 23 of 24 values differ",
    ),
    "quantize_int8 without rounding": (
        "quantize_int8",
        lambda w: (
            (w / (np.abs(w).max(axis=0) / 127)).astype(np.int8),
            np.abs(w).max(axis=0) / 127,
        ),
        "values differ",
    ),
    "latency_percentile with the nearest rank": (
        "latency_percentile",
        lambda lat, q: np.sort(lat)[int(round((len(lat) - 1) * q / 100))],
        "latency_percentile(latencies=[12, 3, 7, 5], q=50) expected 6, got 7",
    ),
    "latency_percentile without sorting": (
        "latency_percentile",
        lambda lat, q: lat[int((len(lat) - 1) * q / 100)],
        "expected 6, got",
    ),
    "data_parallel_grad summing the shards": (
        "data_parallel_grad",
        lambda X, y, w, n: np.sum(
            [
                2 / len(a) * a.T @ (a @ w - b)
                for a, b in zip(np.split(X, n), np.split(y, n), strict=True)
            ],
            axis=0,
        ),
        "num_devices=2) expected [-1.672, 2.115, 0.9705], got [-3.343, 4.23, 1.941]",
    ),
}


def _one_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert len(lines) == 1, captured.out
    return lines[0]


def _report(capsys) -> str:
    """A FAIL report, checked for its shape, with its lines joined into one."""
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].startswith("FAIL: "), captured.out
    hint = [i for i, line in enumerate(lines) if line.startswith("Hint: ")]
    assert len(hint) == 1 and hint[0] >= 2, f"no problem line before the hint:\n{captured.out}"
    assert all(line.startswith("  ") for line in lines[1 : hint[0]] + lines[hint[0] + 1 :])
    too_long = [line for line in lines if len(line) > 75]
    assert not too_long, f"feedback lines wider than a code block: {too_long}"
    return " ".join(captured.out.split())


def test_the_exercises_follow_the_pages_in_order():
    assert list_exercises() == EXERCISES


@pytest.mark.parametrize("name", EXERCISES)
def test_reference_answer_passes(name, capsys):
    exercise = _get_exercise(name)
    assert check(name, exercise.reference) is True
    assert _one_line(capsys) == f"PASS: {exercise.title}"


@pytest.mark.parametrize("name", EXERCISES)
def test_solution_source_runs_as_shown_and_passes(name, capsys):
    source = solution(name)
    assert f"def {name}(" in source and "@_exercise" not in source
    namespace: dict[str, object] = {}
    exec(source, namespace)  # the code a reader would paste
    assert check(name, namespace[name]) is True
    assert _one_line(capsys).startswith("PASS: ")


@pytest.mark.parametrize("name", EXERCISES)
def test_a_reader_written_answer_passes(name, capsys):
    assert check(name, READER_ANSWERS[name]) is True
    assert _one_line(capsys).startswith("PASS: ")


@pytest.mark.parametrize(("name", "func", "expected"), MISTAKES.values(), ids=list(MISTAKES))
def test_typical_mistake_fails_with_what_differs_and_the_hint(
    name, func, expected, recwarn, capsys
):
    assert check(name, func) is False
    report = _report(capsys)
    assert expected in report
    assert report.endswith(" Hint: " + " ".join(_get_exercise(name).hint.split()))
    assert len(recwarn) == 0  # overflow warnings of the reader's code stay quiet


def test_a_raising_function_is_a_fail_line_not_a_traceback(capsys):
    def sigmoid_grad(x):
        raise NotImplementedError("write me\nfirst")

    assert check("sigmoid_grad", sigmoid_grad) is False
    report = _report(capsys)
    assert report.startswith(
        "FAIL: sigmoid_grad(x=[-2, -0.5, 0, 0.5, 2]) raised NotImplementedError: write me first "
        "Hint: "
    )
    assert "Traceback" not in report


def test_a_wrong_signature_is_a_fail_line(capsys):
    assert check("inverted_dropout", lambda x, rate: x) is False
    assert "raised TypeError: " in _report(capsys)


def test_changing_the_inputs_in_place_does_not_fool_the_check(capsys):
    def momentum_step(w, grad, velocity, lr, momentum):
        velocity *= momentum
        velocity -= lr * grad
        w += velocity
        return w, velocity

    assert check("momentum_step", momentum_step) is True
    assert check("momentum_step", lambda w, g, v, lr, m: (w * 0, v * 0)) is False
    capsys.readouterr()


@pytest.mark.parametrize("func", [check, describe, solution])
def test_unknown_names_suggest_the_closest_exercise(func):
    args = ("relu_gard", np.abs) if func is check else ("relu_gard",)
    with pytest.raises(ValueError, match=r"^Unknown exercise\. Did you mean 'relu_grad'\? "):
        func(*args)


def test_a_name_far_from_every_exercise_lists_them_all():
    with pytest.raises(
        ValueError, match=r"Expected one of 'attention_pooling', .*Received: name=42"
    ):
        describe(42)


def test_the_stated_tolerance_is_the_one_used():
    from dlguide.exercises import _compare

    stated = re.fullmatch(
        r"`np\.allclose\(got, expected, rtol=(\S+), atol=(\S+)\)`", _compare.ALLCLOSE
    )
    assert (float(stated[1]), float(stated[2])) == (_compare.RTOL, _compare.ATOL)


def test_check_needs_a_function():
    with pytest.raises(ValueError, match=r"Expected a function to check\. Received: func=3"):
        check("relu_grad", 3)


@pytest.mark.parametrize("name", EXERCISES)
def test_describe_gives_the_task_and_signature(name):
    text = describe(name)
    exercise = _get_exercise(name)
    assert text.startswith(f"{exercise.title} (page: ")
    assert f"Write {exercise.signature}." in text
    assert f'check("{name}", {name})' in text
    assert "`np.allclose(got, expected, rtol=1e-6, atol=1e-9)`" in text
    assert max(len(line) for line in text.splitlines()) <= 80


# --- The reference answers agree with dlguide.scratch -------------------------------


def test_sigmoid_and_relu_grads_match_scratch_and_finite_differences():
    for name, grad, f in [
        ("sigmoid_grad", scratch.sigmoid_grad, scratch.sigmoid),
        ("relu_grad", scratch.relu_grad, scratch.relu),
    ]:
        exercise = _get_exercise(name)
        for case in exercise.cases():
            (x,) = case.args
            np.testing.assert_allclose(exercise.reference(x), grad(x), rtol=1e-12, atol=1e-15)
        x = np.array([-3.0, -0.7, 0.4, 2.5])
        numeric = scratch.numerical_gradient(lambda v, f=f: f(v).sum(), x)
        np.testing.assert_allclose(exercise.reference(x), numeric, atol=1e-8)


def test_bce_from_logits_matches_scratch_binary_crossentropy():
    exercise = _get_exercise("bce_from_logits")
    for case in exercise.cases():
        y, logits = case.args
        expected = scratch.binary_crossentropy(y, logits, from_logits=True)
        assert exercise.reference(y, logits) == pytest.approx(expected, rel=1e-12)
        assert np.isfinite(exercise.reference(y, logits))


def test_backward_pass_matches_the_scratch_mlp_and_finite_differences():
    exercise = _get_exercise("backward_pass")
    for case in exercise.cases():
        X, y, W1, b1, W2, b2 = case.args
        grads = exercise.reference(*case.args)
        net = scratch.MLP(X.shape[1], W1.shape[1], 1, activation="relu", output="sigmoid")
        net.set_weights([W1, b1, W2, b2])
        expected = net.backward(X, y)
        assert list(grads) == list(expected)
        for key in expected:
            assert grads[key].shape == expected[key].shape
            assert scratch.relative_error(grads[key], expected[key]) < 1e-12
            numeric = scratch.numerical_gradient(
                lambda _, net=net, X=X, y=y: net.loss(X, y), net.params[key]
            )
            assert scratch.relative_error(grads[key], numeric) < 1e-6


def test_momentum_step_follows_scratch_sgd_for_20_steps():
    exercise = _get_exercise("momentum_step")
    w = np.array([1.5, -2.0, 0.5])
    params = {"w": w.copy()}
    optimizer = scratch.SGD(learning_rate=0.05, momentum=0.9)
    velocity = np.zeros_like(w)
    for _ in range(20):
        grad = 2 * w * np.array([1.0, 3.0, 0.5])  # gradient of a tilted bowl
        w, velocity = exercise.reference(w, grad, velocity, 0.05, 0.9)
        optimizer.step(params, {"w": grad})
        np.testing.assert_allclose(w, params["w"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(velocity, optimizer.momentums["w"], rtol=1e-12, atol=1e-15)


def test_perceptron_update_replays_the_scratch_perceptron():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 0, 0, 1])  # AND
    exercise = _get_exercise("perceptron_update")
    perceptron = scratch.Perceptron(num_inputs=2, learning_rate=0.5)
    w, b = perceptron.w.copy(), perceptron.b
    perceptron.fit(X, y, num_epochs=10)
    for _ in range(10):
        for x_i, y_i in zip(X, y, strict=True):
            w, b = exercise.reference(w, b, x_i, y_i, 0.5)
    np.testing.assert_array_equal(w, perceptron.w)
    assert b == perceptron.b


def test_inverted_dropout_reference_keeps_the_mean_and_the_rate():
    exercise = _get_exercise("inverted_dropout")
    x = np.ones((100, 1000))
    out = exercise.reference(x, 0.3, np.random.default_rng(0))
    assert set(np.unique(out).round(12)) == {0.0, round(1 / 0.7, 12)}
    assert abs((out == 0).mean() - 0.3) < 0.005
    assert abs(out.mean() - 1.0) < 0.01


def test_exercises_do_not_import_keras_or_tensorflow():
    code = (
        "import sys\n"
        "from dlguide import exercises\n"
        "from dlguide.exercises._check import _get_exercise\n"
        "for name in exercises.list_exercises():\n"
        "    exercises.check(name, _get_exercise(name).reference)\n"
        "    exercises.describe(name), exercises.solution(name)\n"
        "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.splitlines()[-1] == "[]"
    assert out.count("PASS: ") == len(EXERCISES)


def test_feedback_breaks_lines_between_values_not_inside_them(capsys):
    assert check("sigmoid_grad", lambda x: x * (1 - x)) is False
    lines = capsys.readouterr().out.splitlines()
    assert any("[-6, -0.75, 0, 0.25, -2]" in line for line in lines), lines
    assert check("backward_pass", lambda *args: _backward(*args, relu_mask=False)) is False
    lines = capsys.readouterr().out.splitlines()
    assert any("W1.shape=(3, 5)," in line for line in lines), lines
    assert lines[1].startswith("    ") and not lines[2].startswith("    "), lines
