"""The exercises of the foundations and transformer tracks: cases and reference answers.

Each reference answer is registered with `@_exercise(...)`; `solution(name)`
shows its source to the reader, so keep them short and plain. They build on
`dlguide.scratch` where it has the piece they need (a stable sigmoid, ReLU),
and write out the step the exercise is about.
"""

from __future__ import annotations

import numpy as np

from .. import scratch
from ._compare import ALLCLOSE, ATOL, RTOL, _call_label, _format, _run
from ._registry import _Case, _exercise

# --- What deep learning is ------------------------------------------------------


def _dense_forward_cases() -> list[_Case]:
    rng = np.random.default_rng(1)
    return [
        _Case((np.array([[1.0, 2.0]]), np.array([[0.5], [-0.25]]), np.array([0.1]))),
        _Case((rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2))),
        _Case((rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), np.zeros(3))),
        # Saturated neurons: logits of about +-1000 must give exactly 0 and 1.
        _Case((np.array([[100.0, -100.0]]), np.array([[10.0, -10.0], [0.0, 0.0]]), np.zeros(2))),
    ]


@_exercise(
    title="Forward pass of a Dense layer",
    page="What deep learning is",
    task=f"""
    Compute the output of a Dense layer with a sigmoid activation for a batch
    of examples: `sigmoid(X @ W + b)`.

    - X: inputs, shape `(batch_size, num_inputs)`, one example per row.
    - W: weights, shape `(num_inputs, num_outputs)`, one column per neuron
      (the layout of a Keras Dense kernel).
    - b: biases, shape `(num_outputs,)`.

    Return an array of shape `(batch_size, num_outputs)`. The check compares
    your output with the reference on 4 fixed inputs, including a batch of one
    and saturated neurons, with {ALLCLOSE}.
    """,
    hint="""Compute z = X @ W + b (the bias broadcasts over the rows), then apply
    sigmoid(z) = 1 / (1 + exp(-z)) elementwise; dlguide.scratch.sigmoid does it
    without overflow.""",
    cases=_dense_forward_cases,
)
def dense_forward(X, W, b):
    z = X @ W + b
    return scratch.sigmoid(z)


# --- Perceptron and MLP ---------------------------------------------------------


def _perceptron_update_cases() -> list[_Case]:
    return [
        # Score 0 at the all-zero start: the prediction is 0, so a label 1 updates.
        _Case((np.zeros(2), 0.0, np.array([1.0, 1.0]), 1, 1.0)),
        # Score exactly 0 again, label 0: right prediction, nothing changes.
        _Case((np.zeros(2), 0.0, np.array([1.0, 1.0]), 0, 1.0)),
        # Predicted 1, label 0: move away from x.
        _Case((np.array([0.5, 0.5]), 0.0, np.array([1.0, 0.0]), 0, 0.1)),
        # Correct prediction 1: nothing changes.
        _Case((np.array([0.2, -0.4, 0.1]), 0.3, np.array([1.0, 0.5, 2.0]), 1, 0.5)),
        # Predicted 0 (negative score), label 1: move towards x.
        _Case((np.array([-1.0, 0.5, 0.0]), -0.2, np.array([0.5, 0.2, -1.0]), 1, 0.5)),
    ]


@_exercise(
    title="One step of the perceptron learning rule",
    page="Perceptron and MLP",
    task=f"""
    Apply Rosenblatt's learning rule for one training example and return the
    new `(w, b)`, without changing the arrays you are given.

    - w: weights, shape `(num_inputs,)`; b: the bias, a float.
    - x: one example, shape `(num_inputs,)`; y: its label, 0 or 1.
    - learning_rate: the learning rate.

    The perceptron predicts `y_hat = 1` when `w . x + b > 0` and `y_hat = 0`
    otherwise (so a score of exactly 0 predicts 0). Then it moves by
    `w <- w + learning_rate * (y - y_hat) * x` and `b <- b + learning_rate * (y - y_hat)`. The check
    compares both outputs with the reference on 5 fixed inputs (right and wrong
    predictions, a score of exactly 0) with {ALLCLOSE}.
    """,
    hint="""Predict first with the step function (1 only when w @ x + b > 0), then
    move w by learning_rate * (y - y_hat) * x and b by learning_rate * (y - y_hat): nothing moves when
    the prediction is right.""",
    cases=_perceptron_update_cases,
    outputs=("w", "b"),
)
def perceptron_update(w, b, x, y, learning_rate):
    y_hat = 1 if x @ w + b > 0 else 0
    w = w + learning_rate * (y - y_hat) * x
    b = b + learning_rate * (y - y_hat)
    return w, b


# --- Backpropagation ------------------------------------------------------------


def _sigmoid_grad_cases() -> list[_Case]:
    rng = np.random.default_rng(2)
    return [
        _Case((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
        _Case((rng.normal(scale=3.0, size=(3, 4)),)),
        # Far in the tails the derivative is 0, and must not be nan.
        _Case((np.array([-1000.0, -40.0, 40.0, 1000.0]),)),
    ]


@_exercise(
    title="Derivative of the sigmoid",
    page="Backpropagation",
    task=f"""
    Return the derivative of `sigmoid(x) = 1 / (1 + exp(-x))` with respect to
    x, elementwise, as an array of the shape of x.

    The check compares your output with the reference on 3 fixed arrays,
    including values far in the tails (x = -1000 and 1000), with {ALLCLOSE}.
    """,
    hint="""The derivative is sigmoid(x) * (1 - sigmoid(x)), at most 0.25 (at x = 0).
    Compute sigmoid(x) once and reuse it; dlguide.scratch.sigmoid does not
    overflow.""",
    cases=_sigmoid_grad_cases,
)
def sigmoid_grad(x):
    s = scratch.sigmoid(x)
    return s * (1 - s)


def _backward_pass_cases() -> list[_Case]:
    rng = np.random.default_rng(3)

    def case(batch_size, num_inputs, num_hiddens, b1=None):
        X = rng.normal(size=(batch_size, num_inputs))
        y = rng.integers(0, 2, size=(batch_size, 1)).astype(float)
        W1 = rng.normal(size=(num_inputs, num_hiddens))
        b1 = rng.normal(scale=0.1, size=num_hiddens) if b1 is None else b1
        W2 = rng.normal(size=(num_hiddens, 1))
        b2 = rng.normal(scale=0.1, size=1)
        return _Case((X, y, W1, b1, W2, b2))

    return [
        case(4, 3, 5),
        case(1, 2, 3),  # a batch of one example
        case(6, 2, 3, b1=np.array([0.0, -100.0, 0.0])),  # hidden unit 1 is dead
    ]


@_exercise(
    title="Backward pass of a one-hidden-layer network",
    page="Backpropagation",
    task=f"""
    Return the gradients of the loss with respect to every parameter of the
    network `y_hat = sigmoid(relu(X @ W1 + b1) @ W2 + b2)`, as a dict with keys
    "W1", "b1", "W2", "b2" (each gradient has the shape of its parameter).

    - X: inputs, shape `(batch_size, num_inputs)`.
    - y: labels 0 or 1, shape `(batch_size, 1)`.
    - W1: shape `(num_inputs, num_hiddens)`; b1: shape `(num_hiddens,)`.
    - W2: shape `(num_hiddens, 1)`; b2: shape `(1,)`.

    The loss is the mean binary cross-entropy over the batch,
    `L = -mean(y * log(y_hat) + (1 - y) * log(1 - y_hat))`, and the derivative
    of relu at 0 is taken as 0. The check compares every gradient with the
    reference on 3 fixed networks (a batch of one, a dead hidden unit) with
    {ALLCLOSE}.
    """,
    hint="""Run the forward pass keeping Z1 = X @ W1 + b1 and H = relu(Z1). With a
    sigmoid output and mean BCE, dL/dZ2 = (y_hat - y) / batch_size. Then
    dW2 = H.T @ dZ2, db2 = dZ2.sum(axis=0), dZ1 = (dZ2 @ W2.T) * relu_grad(Z1),
    dW1 = X.T @ dZ1, db1 = dZ1.sum(axis=0).""",
    cases=_backward_pass_cases,
    outputs=("W1", "b1", "W2", "b2"),
)
def backward_pass(X, y, W1, b1, W2, b2):
    # Forward pass, keeping what the backward pass needs.
    Z1 = X @ W1 + b1
    H = scratch.relu(Z1)
    y_hat = scratch.sigmoid(H @ W2 + b2)
    # Backward pass: sigmoid + mean BCE give dL/dZ2 = (y_hat - y) / batch_size.
    dZ2 = (y_hat - y) / len(X)
    dZ1 = (dZ2 @ W2.T) * scratch.relu_grad(Z1)
    return {
        "W1": X.T @ dZ1,
        "b1": dZ1.sum(axis=0),
        "W2": H.T @ dZ2,
        "b2": dZ2.sum(axis=0),
    }


# --- Activation functions -------------------------------------------------------


def _relu_grad_cases() -> list[_Case]:
    rng = np.random.default_rng(4)
    return [
        _Case((np.array([-3.0, -0.5, 0.0, 0.5, 3.0]),)),
        _Case((rng.normal(size=(3, 4)),)),
        _Case((np.array([-1e-12, 0.0, 1e-12]),)),  # right around the kink
    ]


@_exercise(
    title="Derivative of ReLU",
    page="Activation functions",
    task=f"""
    Return the derivative of `relu(x) = max(x, 0)` with respect to x,
    elementwise: a float array of the shape of x.

    ReLU has no derivative at x = 0; use 0 there, as TensorFlow's autodiff
    does. The check compares your output with the reference on 3 fixed arrays
    (including x = 0 and tiny values on both sides of it) with {ALLCLOSE}.
    """,
    hint="""The slope of max(x, 0) is 1 where x > 0 and 0 elsewhere, including at
    x = 0: compare x with 0 and turn the booleans into floats.""",
    cases=_relu_grad_cases,
)
def relu_grad(x):
    return (x > 0).astype(float)


# --- Loss functions -------------------------------------------------------------


def _bce_from_logits_cases() -> list[_Case]:
    rng = np.random.default_rng(5)
    return [
        _Case((np.array([0.0, 1.0, 1.0, 0.0]), np.array([-2.0, 3.0, 0.5, 0.1]))),
        _Case((rng.integers(0, 2, size=(5, 1)).astype(float), rng.normal(size=(5, 1)))),
        _Case((np.array([0.2, 0.9]), np.array([0.0, -1.5]))),  # soft labels
        # Confident logits: right ones cost 0, wrong ones cost |z|; no inf/nan.
        _Case((np.array([1.0, 0.0, 1.0, 0.0]), np.array([1000.0, -1000.0, -1000.0, 1000.0]))),
    ]


@_exercise(
    title="Stable binary cross-entropy from logits",
    page="Loss functions",
    task=f"""
    Return the mean binary cross-entropy between labels y and logits z (the
    output of the last layer, before the sigmoid), as one number:
    `mean(-y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)))`.

    y and logits have the same shape; y holds values in [0, 1]. The result must
    stay finite and exact for logits as large as 1000 in absolute value, as
    `keras.losses.BinaryCrossentropy(from_logits=True)` does. The check
    compares your output with the reference on 4 fixed inputs (including soft
    labels and logits of +-1000) with {ALLCLOSE}.
    """,
    hint="""Never form sigmoid(z): for large |z| it rounds to 0 or 1 and the log
    gives inf or nan. Use the equivalent form
    max(z, 0) - z * y + log(1 + exp(-|z|)), with np.log1p for the last term.""",
    cases=_bce_from_logits_cases,
)
def bce_from_logits(y, logits):
    # -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)), rewritten so that nothing overflows
    z = logits
    loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return np.mean(loss)


# --- Gradient descent and optimizers --------------------------------------------


def _momentum_step_cases() -> list[_Case]:
    rng = np.random.default_rng(6)
    return [
        _Case((np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.zeros(2), 0.1, 0.9)),
        _Case((np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([0.2, -0.1]), 0.1, 0.9)),
        _Case((np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([0.2, -0.1]), 0.05, 0.0)),
        _Case(
            (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.01, 0.99)
        ),
    ]


@_exercise(
    title="One step of SGD with momentum",
    page="Gradient descent and optimizers",
    task=f"""
    Apply one step of gradient descent with momentum, in the form that
    `keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)` uses, and
    return the new `(w, velocity)` without changing the arrays you are given:

        velocity = momentum * velocity - learning_rate * grad
        w = w + velocity

    w, grad and velocity have the same shape; learning_rate and momentum are floats (a
    momentum of 0 is plain SGD). The check compares both outputs with the
    reference on 4 fixed inputs with {ALLCLOSE}.
    """,
    hint="""In Keras' form the velocity already holds the step, learning rate
    included: first velocity = momentum * velocity - learning_rate * grad, then
    w = w + velocity. (The form velocity = momentum * velocity + grad,
    w = w - learning_rate * velocity gives a different velocity.)""",
    cases=_momentum_step_cases,
    outputs=("w", "velocity"),
)
def momentum_step(w, grad, velocity, learning_rate, momentum):
    velocity = momentum * velocity - learning_rate * grad
    w = w + velocity
    return w, velocity


# --- Training practice ----------------------------------------------------------

_DROPOUT_RATES = (0.0, 0.2, 0.5, 0.8)
_DROPOUT_SHAPE = (200, 500)
_DROPOUT_FRACTION_TOL = 0.01  # |fraction zeroed - rate|; 6 standard deviations
_DROPOUT_MEAN_RTOL = 0.02  # |mean(out) - mean(x)| / mean(x)


def _dropout_input() -> np.ndarray:
    return np.random.default_rng(7).uniform(0.5, 1.5, size=_DROPOUT_SHAPE)


def _dropout_cases() -> list[_Case]:
    return [_Case((_dropout_input(), rate, np.random.default_rng(8))) for rate in _DROPOUT_RATES]


def _verify_dropout(func) -> str | None:
    """Check the statistics of the reader's dropout; return what is wrong, if anything."""
    for case in _dropout_cases():
        x, rate, _ = case.args
        call = _call_label("inverted_dropout", ("x", "rate", "rng"), case.args)
        out, error = _run(func, case.args)
        if error:
            return f"{call} raised {error}"
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return f"{call} -> expected an array, got a {type(out).__name__}"
        if out.shape != x.shape:
            return f"{call} -> expected shape {x.shape}, got shape {out.shape}"
        if not np.all(np.isfinite(out)):
            return f"{call} -> expected finite values, got nan or inf"
        dropped = out == 0
        if abs(dropped.mean() - rate) > _DROPOUT_FRACTION_TOL:
            return (
                f"{call} -> expected about {rate:.0%} of the values zeroed "
                f"(within {_DROPOUT_FRACTION_TOL:.0%}), got {dropped.mean():.1%}"
            )
        if abs(out.mean() - x.mean()) > _DROPOUT_MEAN_RTOL * x.mean():
            return (
                f"{call} -> expected the mean to stay about {x.mean():.4f} "
                f"(within {_DROPOUT_MEAN_RTOL:.0%}), got {out.mean():.4f}"
            )
        kept = ~dropped
        expected = x[kept] / (1 - rate)
        if not np.allclose(out[kept], expected, rtol=RTOL, atol=ATOL):
            i = int(np.argmax(~np.isclose(out[kept], expected, rtol=RTOL, atol=ATOL)))
            return (
                f"{call} -> expected every kept value to be x / (1 - rate), e.g. "
                f"x={_format(x[kept][i])} gives {_format(expected[i])}, got "
                f"{_format(out[kept][i])}"
            )
        again, _ = _run(func, (x, rate, np.random.default_rng(8)))
        if rate > 0 and not np.array_equal(np.asarray(again) == 0, dropped):
            return (
                f"{call} -> expected the same mask from a generator with the same "
                f"seed, got a different one: draw the mask from rng"
            )
    return None


@_exercise(
    title="Inverted dropout",
    page="Training practice",
    task=f"""
    Apply inverted dropout, as `keras.layers.Dropout(rate)` does in training:
    zero each entry of x independently with probability rate, and divide the
    entries you keep by `(1 - rate)`, so that the expected value of every entry
    is unchanged. Return an array of the shape of x.

    - x: activations, an array of any shape.
    - rate: the fraction to drop, in [0, 1).
    - rng: a `numpy.random.Generator`; draw the random mask from it (not from
      np.random), so that the same seed gives the same mask.

    The mask is random, so the check tests properties, for rates
    {", ".join(map(str, _DROPOUT_RATES))} on an array of shape
    {_DROPOUT_SHAPE} with values in [0.5, 1.5): the fraction of zeros is
    within {_DROPOUT_FRACTION_TOL} of rate, the mean is preserved within
    {_DROPOUT_MEAN_RTOL:.0%}, every kept value equals `x / (1 - rate)`
    ({ALLCLOSE}), and the same seed gives the same mask.
    """,
    hint="""Draw keep = rng.random(x.shape) >= rate (True with probability
    1 - rate), then return x * keep / (1 - rate). Without the division the mean
    shrinks by a factor (1 - rate).""",
    cases=_dropout_cases,
    verify=_verify_dropout,
)
def inverted_dropout(x, rate, rng):
    keep = rng.random(x.shape) >= rate  # each entry is kept with probability 1 - rate
    return x * keep / (1 - rate)


# --- Making models small and fast -----------------------------------------------


def _quantize_int8_cases() -> list[_Case]:
    rng = np.random.default_rng(9)
    # Columns of very different sizes: one scale for the whole kernel would crush the small ones.
    uneven = rng.normal(size=(6, 4)) * np.array([1.0, 0.01, 5.0, 0.2])
    return [
        _Case((uneven,)),
        _Case((rng.normal(size=(3, 2)),)),
        _Case((np.array([[0.5, -2.0], [-0.25, 1.0], [0.0, 0.5]]),)),
    ]


@_exercise(
    title="int8 quantization, one scale per unit",
    page="Making models small and fast",
    task=f"""
    Quantize a Dense kernel `w` of shape `(inputs, units)` to 8-bit integers
    the way Keras's int8 scheme does, with one scale per unit (column):

        scale[j] = max(|w[:, j]|) / 127
        q = round(w / scale)            (as np.int8)

    Return `(q, scale)`; `q * scale` is then close to `w`, and every entry of
    `q` lies in [-127, 127]. The kernels have no all-zero column. The check
    compares both outputs with the reference on 3 fixed kernels with
    {ALLCLOSE}.
    """,
    hint="""Take the maximum of np.abs(w) over axis 0 (the inputs), so that
    there is one scale per column, divide it by 127, then
    np.round(w / scale).astype(np.int8); w / scale broadcasts over the rows.""",
    cases=_quantize_int8_cases,
    outputs=("q", "scale"),
)
def quantize_int8(w):
    scale = np.abs(w).max(axis=0) / 127
    q = np.round(w / scale).astype(np.int8)
    return q, scale


# --- Deploying a model ----------------------------------------------------------


def _latency_percentile_cases() -> list[_Case]:
    rng = np.random.default_rng(10)
    return [
        _Case((np.array([12.0, 3.0, 7.0, 5.0]), 50.0)),
        _Case((np.array([4.0, 1.0, 3.0, 2.0, 10.0]), 90.0)),
        _Case((rng.exponential(20.0, size=200), 99.0)),
        _Case((np.array([5.0]), 99.0)),
        _Case((rng.normal(50.0, 5.0, size=37), 0.0)),
        _Case((rng.normal(50.0, 5.0, size=37), 100.0)),
    ]


@_exercise(
    title="A latency percentile by hand",
    page="Deploying a model",
    task=f"""
    Return the `q`-th percentile (0 <= q <= 100) of the request latencies
    `latencies` (a 1-D array, in any order), as NumPy's default
    `np.percentile` computes it, but without calling it: sort the values,
    find the position

        position = (n - 1) * q / 100

    in the sorted array (counting from 0), and interpolate linearly between
    the two values around it when the position falls between them. The
    check compares your result with the reference on 6 fixed inputs with
    {ALLCLOSE}.
    """,
    hint="""Sort first (np.sort). With lower = floor(position) and
    upper = min(lower + 1, n - 1), the answer is
    sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]).""",
    cases=_latency_percentile_cases,
)
def latency_percentile(latencies, q):
    ordered = np.sort(latencies)
    position = (len(ordered) - 1) * q / 100
    lower = int(np.floor(position))
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (position - lower) * (ordered[upper] - ordered[lower])


# --- Training on many devices ---------------------------------------------------


def _data_parallel_grad_cases() -> list[_Case]:
    rng = np.random.default_rng(11)
    cases = []
    for n, d, devices in [(8, 3, 2), (12, 2, 4), (6, 4, 1), (64, 5, 8)]:
        X = rng.normal(size=(n, d))
        cases.append(_Case((X, rng.normal(size=n), rng.normal(size=d), devices)))
    return cases


@_exercise(
    title="The gradient of data parallelism",
    page="Training on many devices",
    task=f"""
    Simulate one step of data parallelism for linear regression with the
    mean squared error `mean((X @ w - y) ** 2)`. Split the batch `X`, `y`
    into `num_devices` equal consecutive shards (the batch size is a multiple
    of `num_devices`), compute on each "device" the gradient of the loss of
    its own shard with respect to `w` (m is the shard size),

        grad = 2 / m * X_shard.T @ (X_shard @ w - y_shard)

    and combine them as an all-reduce does for data parallelism. Return the
    combined gradient: it must equal the gradient of the whole batch. The
    check compares it with the reference on 4 fixed batches with {ALLCLOSE}.
    """,
    hint="""Each shard's gradient is a mean over its own m examples, so the
    whole batch's gradient is the average of the shard gradients (their sum
    divided by num_devices), not their sum.""",
    cases=_data_parallel_grad_cases,
)
def data_parallel_grad(X, y, w, num_devices):
    gradients = []
    for X_shard, y_shard in zip(np.split(X, num_devices), np.split(y, num_devices), strict=True):
        m = len(X_shard)
        gradients.append(2 / m * X_shard.T @ (X_shard @ w - y_shard))
    return np.mean(gradients, axis=0)


# --- Attention ------------------------------------------------------------------


def _attention_pooling_cases() -> list[_Case]:
    rng = np.random.default_rng(11)
    return [
        _Case((np.array([1.0, 0.0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0], [3.0]]))),
        _Case((rng.normal(size=4), rng.normal(size=(6, 4)), rng.normal(size=(6, 3)))),
        # One key far ahead: its weight is 1 and the scores are large (no overflow).
        _Case((np.array([30.0, 30.0]), np.array([[10.0, 10.0], [0.0, 0.0]]), np.eye(2))),
    ]


@_exercise(
    title="Attention pooling for one query",
    page="Attention",
    task=f"""
    Compute scaled dot-product attention for a single query: score every key
    by its dot product with the query divided by `sqrt(d)`, turn the scores
    into weights with a softmax, and return the weighted average of the
    values.

    - query: shape `(d,)`.
    - keys: shape `(num_keys, d)`, one key per row.
    - values: shape `(num_keys, d_v)`, one value per row.

    Return an array of shape `(d_v,)`. The check compares your output with the
    reference on 3 fixed inputs, one with very large scores, with {ALLCLOSE}.
    """,
    hint="""scores = keys @ query / sqrt(d); subtract scores.max() before exp so
    that large scores do not overflow; weights = exp(scores) / sum; return
    weights @ values.""",
    cases=_attention_pooling_cases,
)
def attention_pooling(query, keys, values):
    scores = keys @ query / np.sqrt(len(query))
    weights = np.exp(scores - scores.max())
    weights = weights / weights.sum()
    return weights @ values


# --- Self-attention and multi-head attention --------------------------------------


def _causal_attention_cases() -> list[_Case]:
    rng = np.random.default_rng(12)
    return [
        _Case((np.eye(3), np.eye(3), np.arange(9.0).reshape(3, 3))),
        _Case((rng.normal(size=(5, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2)))),
        _Case((rng.normal(size=(1, 2)), rng.normal(size=(1, 2)), rng.normal(size=(1, 2)))),
    ]


@_exercise(
    title="Causal self-attention",
    page="Self-attention and multi-head attention",
    task=f"""
    Compute scaled dot-product attention with a causal mask, as a decoder
    does: position i may attend to positions 0 to i only, never to a later
    one.

    - Q, K: shape `(num_steps, d)`; V: shape `(num_steps, d_v)`.

    Return the output, shape `(num_steps, d_v)`. The check compares your
    output with the reference on 3 fixed inputs (one of a single step) with
    {ALLCLOSE}.
    """,
    hint="""Compute scores = Q @ K.T / sqrt(d), then set the entries above the
    diagonal (np.triu(..., k=1)) to a very large negative number, or -inf,
    BEFORE the softmax over each row; masking after the softmax leaves rows
    that do not sum to 1.""",
    cases=_causal_attention_cases,
)
def causal_attention(Q, K, V):
    scores = Q @ K.T / np.sqrt(Q.shape[1])
    future = np.triu(np.ones(scores.shape, dtype=bool), k=1)
    scores = np.where(future, -np.inf, scores)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = weights / weights.sum(axis=1, keepdims=True)
    return weights @ V


# --- Positional encoding -------------------------------------------------------


def _position_encoding_cases() -> list[_Case]:
    return [_Case((4, 6)), _Case((50, 16)), _Case((1, 2)), _Case((3, 8))]


@_exercise(
    title="Sinusoidal positional encoding",
    page="Positional encoding",
    task=f"""
    Return the positional encoding of Vaswani et al. (2017), an array P of
    shape `(num_steps, num_hiddens)` (num_hiddens is even) with, for position
    pos and i = 0, 1, ..., num_hiddens / 2 - 1:

        P[pos, 2 * i] = sin(pos / 10000 ** (2 * i / num_hiddens))
        P[pos, 2 * i + 1] = cos(pos / 10000 ** (2 * i / num_hiddens))

    The check compares your output with the reference on 4 sizes with
    {ALLCLOSE}.
    """,
    hint="""Build the angles as an outer product: positions np.arange(num_steps)[:, None]
    times frequencies 10000 ** (-np.arange(0, num_hiddens, 2) / num_hiddens);
    put their sines in the even columns P[:, 0::2] and cosines in the odd
    columns P[:, 1::2]. The exponent uses 2 * i, the even column index.""",
    cases=_position_encoding_cases,
)
def position_encoding(num_steps, num_hiddens):
    angles = np.arange(num_steps)[:, None] / 10000 ** (np.arange(0, num_hiddens, 2) / num_hiddens)
    P = np.zeros((num_steps, num_hiddens))
    P[:, 0::2] = np.sin(angles)
    P[:, 1::2] = np.cos(angles)
    return P


# --- The transformer block -----------------------------------------------------


def _layer_norm_cases() -> list[_Case]:
    rng = np.random.default_rng(13)
    return [
        _Case((np.array([[1.0, 2.0, 3.0]]), np.ones(3), np.zeros(3))),
        _Case((rng.normal(3.0, 2.0, size=(4, 6)), rng.normal(size=6), rng.normal(size=6))),
        _Case((rng.normal(size=(2, 3, 5)), rng.normal(size=5), rng.normal(size=5))),
        # A constant vector: variance 0, epsilon keeps the division finite.
        _Case((np.full((1, 4), 7.0), np.ones(4), np.full(4, 0.5))),
    ]


@_exercise(
    title="Layer normalisation",
    page="The transformer block",
    task=f"""
    Normalise every vector of X over its last axis, as
    `keras.layers.LayerNormalization()` does: subtract the vector's mean,
    divide by `sqrt(variance + 1e-3)`, then multiply by gamma and add beta.

    - X: shape `(..., num_hiddens)`, any number of leading axes.
    - gamma, beta: shape `(num_hiddens,)`.

    Return an array of the shape of X. The check compares your output with
    the reference on 4 fixed inputs, one of them constant (variance 0), with
    {ALLCLOSE}.
    """,
    hint="""Take mean and var over axis=-1 with keepdims=True (not over the
    batch, which is batch normalisation), use the population variance
    (X.var, not ddof=1) and epsilon 1e-3 inside the square root.""",
    cases=_layer_norm_cases,
)
def layer_norm(X, gamma, beta):
    mean = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    return (X - mean) / np.sqrt(var + 1e-3) * gamma + beta


# --- BERT and GPT --------------------------------------------------------------


def _mlm_inputs_cases() -> list[_Case]:
    rng = np.random.default_rng(14)
    ids = rng.integers(2, 50, size=(3, 8))
    chosen = rng.random((3, 8)) < 0.15
    return [
        _Case((np.array([[5, 6, 7, 8]]), np.array([[False, True, False, False]]), 1)),
        _Case((ids, chosen, 1)),
        _Case((np.array([[9, 9]]), np.array([[False, False]]), 3)),
    ]


@_exercise(
    title="Inputs for masked language modelling",
    page="BERT and GPT",
    task=f"""
    Prepare one batch for masked language modelling, the pretraining task of
    BERT: the model sees the text with some tokens hidden, and its loss counts
    only the hidden positions. Return `(inputs, sample_weight)`:

    - inputs: a copy of ids where every chosen position holds mask_id;
    - sample_weight: a float array of the shape of ids, 1.0 at the chosen
      positions and 0.0 elsewhere.

    ids is an integer array `(batch, steps)`, chosen a boolean array of the
    same shape, mask_id an int. (The targets are the original ids.) The
    check compares both outputs with the reference on 3 fixed inputs with
    {ALLCLOSE}.
    """,
    hint="""inputs = np.where(chosen, mask_id, ids) leaves ids alone (ids[chosen] =
    mask_id would change the caller's targets too); sample_weight =
    chosen.astype(float), so the other positions add nothing to the loss.""",
    cases=_mlm_inputs_cases,
    outputs=("inputs", "sample_weight"),
)
def mlm_inputs(ids, chosen, mask_id):
    inputs = np.where(chosen, mask_id, ids)
    sample_weight = chosen.astype(float)
    return inputs, sample_weight


# --- LoRA -----------------------------------------------------------------------


def _lora_forward_cases() -> list[_Case]:
    rng = np.random.default_rng(21)
    return [
        _Case(
            (np.array([[1.0, 2.0]]), np.eye(2), np.zeros(2), np.ones((2, 1)), np.ones((1, 2)), 2)
        ),
        _Case(
            (
                rng.normal(size=(4, 6)),
                rng.normal(size=(6, 3)),
                rng.normal(size=3),
                rng.normal(size=(6, 2)),
                rng.normal(size=(2, 3)),
                4,
            )
        ),
        _Case(
            (
                rng.normal(size=(2, 5)),
                rng.normal(size=(5, 4)),
                rng.normal(size=4),
                rng.normal(size=(5, 4)),
                rng.normal(size=(4, 4)),
                1,
            )
        ),
    ]


@_exercise(
    title="A LoRA forward pass",
    page="LoRA",
    task=f"""
    Compute the output of a Dense layer (no activation) fine-tuned with a LoRA
    adapter: the frozen kernel W plus the low-rank update A @ B scaled by
    alpha / r, where the rank r is the number of columns of A.

    - X: inputs, shape `(batch_size, num_inputs)`.
    - W: frozen kernel, shape `(num_inputs, num_outputs)`; b: bias.
    - A: shape `(num_inputs, r)`; B: shape `(r, num_outputs)`.
    - alpha: the scale numerator (Keras's `lora_alpha`).

    Return an array of shape `(batch_size, num_outputs)`. The check compares
    your output with the reference on 3 fixed inputs with {ALLCLOSE}.
    """,
    hint="""The layer computes X @ (W + (alpha / r) * A @ B) + b with r = A.shape[1];
    without the alpha / r scale the update is too large or too small whenever
    alpha differs from the rank.""",
    cases=_lora_forward_cases,
)
def lora_forward(X, W, b, A, B, alpha):
    rank = A.shape[1]
    return X @ (W + alpha / rank * A @ B) + b


# --- Vision transformer ---------------------------------------------------------


def _patchify_cases() -> list[_Case]:
    rng = np.random.default_rng(22)
    return [
        _Case((np.arange(16.0).reshape(4, 4), 2)),
        _Case((rng.normal(size=(28, 28)), 7)),
        _Case((rng.normal(size=(6, 9)), 3)),
        _Case((rng.normal(size=(5, 5)), 5)),
    ]


@_exercise(
    title="Cut an image into patches",
    page="Vision transformer",
    task=f"""
    Cut an image into non-overlapping square patches, as a vision transformer
    does before embedding them: image has shape `(height, width)`, both
    multiples of patch_size. Return an array of shape
    `(num_patches, patch_size * patch_size)`: one row per patch, in reading
    order (the patches of the top row from left to right, then the next row),
    each patch flattened row by row. The check compares your output with the
    reference on 4 fixed inputs with {ALLCLOSE}.
    """,
    hint="""image.reshape(-1, patch_size ** 2) takes runs of consecutive pixels, which
    cross patch borders. Reshape to (rows, patch_size, cols, patch_size), swap
    the two middle axes with transpose(0, 2, 1, 3), then flatten each patch.""",
    cases=_patchify_cases,
)
def patchify(image, patch_size):
    rows = image.shape[0] // patch_size
    cols = image.shape[1] // patch_size
    blocks = image.reshape(rows, patch_size, cols, patch_size).transpose(0, 2, 1, 3)
    return blocks.reshape(rows * cols, patch_size * patch_size)


# --- Mixture of experts -----------------------------------------------------------


def _balance_loss_cases() -> list[_Case]:
    rng = np.random.default_rng(23)
    logits = rng.normal(size=(20, 4))
    soft = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return [
        _Case((np.array([[0.7, 0.3], [0.2, 0.8]]),)),
        _Case((np.array([[0.9, 0.05, 0.05]] * 4),)),
        _Case((soft,)),
    ]


@_exercise(
    title="The load-balancing loss",
    page="Mixture of experts",
    task=f"""
    Compute the Switch Transformer's load-balancing loss from router
    probabilities P of shape `(tokens, experts)` (each row sums to 1):
    `experts * sum_i f_i * P_i`, where f_i is the fraction of tokens whose
    largest probability is expert i and P_i the mean probability of expert i
    over the tokens. Return a float: 1 for tokens spread evenly, up to the
    number of experts when one expert takes every token. The check compares
    your output with the reference on 3 fixed inputs with {ALLCLOSE}.
    """,
    hint="""f is a share of hard choices: one-hot the argmax of each row
    (np.eye(experts)[P.argmax(axis=1)]) and average over the tokens; P_i is
    P.mean(axis=0). Multiply them elementwise, sum, and scale by the number of
    experts.""",
    cases=_balance_loss_cases,
)
def balance_loss(P):
    experts = P.shape[1]
    first = np.eye(experts)[P.argmax(axis=1)]
    return experts * np.sum(first.mean(axis=0) * P.mean(axis=0))


# --- Efficient attention ----------------------------------------------------------


def _merge_softmax_cases() -> list[_Case]:
    rng = np.random.default_rng(24)
    m1, m2 = rng.normal(size=5) * 3, rng.normal(size=5) * 3
    return [
        _Case((np.array(1.0), np.array(2.0), np.array(3.0), np.array(1.5))),
        _Case((m1, rng.random(5) + 1, m2, rng.random(5) + 1)),
        _Case((np.array([100.0]), np.array([1.0]), np.array([-100.0]), np.array([4.0]))),
    ]


@_exercise(
    title="Merge two softmax states",
    page="Efficient attention",
    task=f"""
    The online softmax reads a row of scores in parts. For each part it keeps
    m, the largest score, and l, the sum of exp(score - m) over the part.
    Given the states (m1, l1) and (m2, l2) of two parts (arrays of the same
    shape, one entry per row), return `(m, l)`: the state of both parts read
    together, so that l = sum of exp(score - m) over all their scores. The
    check compares both outputs with the reference on 3 fixed inputs with
    {ALLCLOSE}.
    """,
    hint="""The new maximum is m = np.maximum(m1, m2). Each old sum was taken
    relative to its own maximum: rescale it by exp(m1 - m) or exp(m2 - m)
    before adding, l = l1 * exp(m1 - m) + l2 * exp(m2 - m).""",
    cases=_merge_softmax_cases,
    outputs=("m", "l"),
)
def merge_softmax(m1, l1, m2, l2):
    m = np.maximum(m1, m2)
    return m, l1 * np.exp(m1 - m) + l2 * np.exp(m2 - m)
