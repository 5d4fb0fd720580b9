"""dlguide.scratch activations and losses against Keras, autodiff and finite differences.

Every scratch function is compared in float64 with the Keras function on the
same inputs (values), with `tf.GradientTape` on the Keras function (gradients)
and with central differences (derivatives). Extreme inputs (±1000) must give
finite values, where the naive textbook formulas give inf or nan.
"""

from __future__ import annotations

import ast
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlguide import scratch
from dlguide.scratch import (
    ACTIVATIONS,
    binary_crossentropy,
    binary_crossentropy_grad,
    categorical_crossentropy,
    categorical_crossentropy_grad,
    logsumexp,
    mse,
    mse_grad,
    softmax,
    softmax_grad,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_grad,
)

TOL = 1e-6  # required agreement; float64 runs agree far closer (see the asserts)

# A grid with the kinks (0), tiny values, the usual range and extremes.
GRID = np.concatenate(
    [
        np.linspace(-10.0, 10.0, 401),
        [-1000.0, -100.0, -50.0, -20.0, -1e-8, 0.0, 1e-8, 20.0, 50.0, 100.0, 1000.0],
    ]
)

# name -> (scratch kwargs, keras function of a float64 tensor)
KERAS_ACTIVATIONS = {
    "sigmoid": ({}, keras.activations.sigmoid),
    "tanh": ({}, keras.activations.tanh),
    "relu": ({}, keras.activations.relu),
    "leaky_relu": ({}, keras.activations.leaky_relu),  # default slope 0.2 on both sides
    "elu": ({}, keras.activations.elu),
    "gelu": ({}, keras.activations.gelu),  # keras.activations.gelu: approximate=False
}
VARIANTS = [
    ("leaky_relu", {"negative_slope": 0.01}, lambda t: keras.ops.leaky_relu(t, 0.01)),
    ("elu", {"alpha": 0.5}, lambda t: keras.activations.elu(t, alpha=0.5)),
    ("gelu", {"approximate": True}, lambda t: keras.activations.gelu(t, approximate=True)),
    ("gelu", {"approximate": False}, lambda t: keras.ops.gelu(t, approximate=False)),
]
CASES = [(name, kw, fn) for name, (kw, fn) in KERAS_ACTIVATIONS.items()] + VARIANTS
CASE_IDS = [f"{name}-{kw}" if kw else name for name, kw, _ in CASES]


def _t(x: np.ndarray) -> tf.Tensor:
    return tf.constant(np.asarray(x, dtype=np.float64))


def _tape_grad(fn, x: np.ndarray, upstream: np.ndarray | None = None) -> np.ndarray:
    """Gradient of sum(upstream * fn(x)) with respect to x, by TF autodiff."""
    xt = _t(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = fn(xt)
        total = tf.reduce_sum(out if upstream is None else out * _t(upstream))
    return tape.gradient(total, xt).numpy()


def _central_diff(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Elementwise derivative of an elementwise f by central differences."""
    return (f(x + h) - f(x - h)) / (2 * h)


def _rtol(name: str) -> float:
    # TensorFlow stores leaky_relu's slope as a float32 attribute (0.2 becomes
    # 0.20000000298), so even in float64 it differs from 0.2 by 1.5e-8 relative.
    # tf.nn.gelu runs a fused kernel that is off by up to 5e-9 in float64; the
    # same formula written with tf.math.erfc agrees with ours to 1e-15
    # (test_gelu_equals_tf_erfc_formula).
    return {"leaky_relu": 1e-7, "gelu": 1e-8}.get(name, 1e-12)


def _max_diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


# --- activations -----------------------------------------------------------


def test_activations_table_lists_the_elementwise_ones():
    assert list(ACTIVATIONS) == ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"]
    for name, (fn, grad) in ACTIVATIONS.items():
        assert fn is getattr(scratch, name) and grad is getattr(scratch, f"{name}_grad")


@pytest.mark.parametrize(("name", "kwargs", "keras_fn"), CASES, ids=CASE_IDS)
def test_activation_equals_keras(name, kwargs, keras_fn):
    fn, _ = ACTIVATIONS[name]
    ours = fn(GRID, **kwargs)
    theirs = keras_fn(_t(GRID)).numpy()
    assert ours.dtype == np.float64 and ours.shape == GRID.shape
    assert np.all(np.isfinite(ours))
    assert _max_diff(ours, theirs) <= _rtol(name) * max(1.0, np.max(np.abs(theirs)))


@pytest.mark.parametrize(("name", "kwargs", "keras_fn"), CASES, ids=CASE_IDS)
def test_activation_matches_keras_in_float32(name, kwargs, keras_fn):
    # Keras' default dtype: agreement within float32 precision.
    fn, _ = ACTIVATIONS[name]
    x = np.linspace(-10.0, 10.0, 201)
    theirs = keras_fn(tf.constant(x, dtype=tf.float32)).numpy()
    np.testing.assert_allclose(fn(x, **kwargs), theirs, rtol=TOL, atol=TOL)


@pytest.mark.parametrize(("name", "kwargs", "keras_fn"), CASES, ids=CASE_IDS)
def test_activation_grad_equals_tape_on_keras(name, kwargs, keras_fn):
    _, grad = ACTIVATIONS[name]
    ours = grad(GRID, **kwargs)
    theirs = _tape_grad(keras_fn, GRID)
    assert np.all(np.isfinite(ours))
    # includes x = 0 exactly: the same convention at the kinks as TensorFlow
    assert _max_diff(ours, theirs) <= _rtol(name)


@pytest.mark.parametrize(("name", "kwargs", "keras_fn"), CASES, ids=CASE_IDS)
def test_activation_grad_equals_numerical_derivative(name, kwargs, keras_fn):
    fn, grad = ACTIVATIONS[name]
    x = GRID[np.abs(GRID) <= 10.0]
    x = x[np.abs(x) > 1e-3]  # central differences straddle the kink at 0
    numerical = _central_diff(lambda v: fn(v, **kwargs), x)
    assert _max_diff(grad(x, **kwargs), numerical) <= TOL


def test_activation_grads_at_the_kinks_follow_tensorflow():
    x = np.array([0.0])
    assert scratch.relu_grad(x)[0] == 0.0
    assert scratch.leaky_relu_grad(x)[0] == 0.2
    assert scratch.elu_grad(x, alpha=0.5)[0] == 0.5
    assert scratch.sigmoid_grad(x)[0] == 0.25
    assert scratch.tanh_grad(x)[0] == 1.0


def test_activations_accept_scalars_lists_and_any_shape():
    assert float(scratch.relu(-3)) == 0.0
    assert scratch.sigmoid([0.0, 0.0]).tolist() == [0.5, 0.5]
    x = np.arange(24.0).reshape(2, 3, 4) - 12
    for fn, grad in ACTIVATIONS.values():
        assert fn(x).shape == grad(x).shape == x.shape
        # A plain Python number works too, and gives a 0-d array (gelu once failed here).
        assert np.ndim(fn(0.5)) == np.ndim(grad(0.5)) == 0
        assert fn(0.5) == fn(np.array([0.5]))[0]


def test_extreme_inputs_raise_no_numpy_warnings():
    x = np.array([-1e300, -1000.0, 1000.0, 1e300])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        for name, (fn, grad) in ACTIVATIONS.items():
            assert np.all(np.isfinite(fn(x))) or name in ("relu", "leaky_relu", "elu", "gelu")
            assert np.all(np.isfinite(grad(x)))
        assert np.all(np.isfinite(softmax(np.array([[1000.0, -1000.0, 0.0]]))))
        scratch.gelu(x, approximate=True)
        scratch.gelu_grad(x, approximate=True)


def test_gelu_equals_tf_erfc_formula():
    x = _t(GRID)
    exact = (0.5 * x * tf.math.erfc(-x / np.sqrt(2.0))).numpy()
    assert _max_diff(scratch.gelu(GRID), exact) <= 1e-12
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(0.5 * x * tf.math.erfc(-x / np.sqrt(2.0)))
    assert _max_diff(scratch.gelu_grad(GRID), tape.gradient(total, x).numpy()) <= 1e-12


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_equals_keras(axis):
    rng = np.random.default_rng(0)
    x = rng.normal(scale=3.0, size=(5, 4))
    x[0] = [1000.0, -1000.0, 0.0, 999.0]
    ours = softmax(x, axis=axis)
    theirs = keras.activations.softmax(_t(x), axis=axis).numpy()
    assert _max_diff(ours, theirs) <= 1e-15
    np.testing.assert_allclose(ours.sum(axis=axis), 1.0, atol=1e-15)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_grad_equals_tape_and_numerical(axis):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))
    upstream = rng.normal(size=(3, 4))
    ours = softmax_grad(x, upstream, axis=axis)
    tape = _tape_grad(lambda t: keras.activations.softmax(t, axis=axis), x, upstream)
    assert _max_diff(ours, tape) <= 1e-15
    numerical = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = 1e-6
        f_plus = np.sum(upstream * softmax(x + step, axis=axis))
        f_minus = np.sum(upstream * softmax(x - step, axis=axis))
        numerical[idx] = (f_plus - f_minus) / 2e-6
    assert _max_diff(ours, numerical) <= TOL


def test_activation_validation_messages():
    with pytest.raises(
        ValueError, match=r"^Expected a real number\. Received: negative_slope='0\.1'$"
    ):
        scratch.leaky_relu(1.0, negative_slope="0.1")
    with pytest.raises(ValueError, match=r"^Expected a real number\. Received: alpha=nan$"):
        scratch.elu_grad(1.0, alpha=float("nan"))
    with pytest.raises(
        ValueError, match=r"^Expected a bool \(True or False\)\. Received: approximate='tanh'$"
    ):
        scratch.gelu(1.0, approximate="tanh")
    with pytest.raises(ValueError, match=r"Received: axis=2$"):
        softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match=r"Received: x\.shape=\(3,\), upstream\.shape=\(2,\)$"):
        softmax_grad(np.ones(3), np.ones(2))
    with pytest.raises(
        ValueError, match=r"^Expected a number or an array of numbers\. Received: x='a'$"
    ):
        scratch.relu("a")
    # An empty axis is refused before NumPy reduces over it.
    for function in (softmax, scratch.logsumexp):
        with pytest.raises(ValueError, match=r"^Expected at least one value along axis -1\. "):
            function(np.array([]))
        with pytest.raises(ValueError, match=r"Received: x\.shape=\(2, 0\)$"):
            function(np.ones((2, 0)))
    with pytest.raises(ValueError, match=r"Received: x\.shape=\(0,\)$"):
        softmax_grad(np.array([]), np.array([]))
    assert softmax(np.ones((0, 3))).shape == (0, 3)  # no rows is fine: nothing to reduce


# --- losses ----------------------------------------------------------------


def _keras_loss(cls, y, y_hat, **kwargs) -> float:
    return float(cls(dtype="float64", **kwargs)(_t(y), _t(y_hat)).numpy())


def _keras_loss_grad(cls, y, y_hat, **kwargs) -> np.ndarray:
    loss = cls(dtype="float64", **kwargs)
    return _tape_grad(lambda t: loss(_t(y), t), y_hat)


def _onehot(labels, k):
    return np.eye(k)[labels]


RNG = np.random.default_rng(0)
PROBS = softmax(RNG.normal(scale=2.0, size=(8, 5)))
PROBS[0] = [0.0, 1.0, 0.0, 0.0, 0.0]  # exact 0 and 1: the clip is active
PROBS[1] = [0.1, 0.2, 0.3, 0.2, 0.1]  # does not sum to 1: keras renormalises (CCE)
LOGITS = RNG.normal(scale=3.0, size=(8, 5))
LOGITS[0] = [1000.0, -1000.0, 0.0, 999.0, -5.0]
LOGITS[1] = [-1000.0, -1000.0, -1000.0, -1000.0, 1000.0]
LABELS = np.array([1, 0, 2, 4, 3, 1, 0, 2])
# soft labels (e.g. label smoothing) must sum to 1: TensorFlow's gradient of
# softmax_cross_entropy_with_logits assumes it, ours is exact either way.
SOFT = softmax(RNG.normal(size=(8, 5)))

BIN_Y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.3])
BIN_P = np.array([1.0, 0.0, 0.0, 1.0, 0.9, 0.2, 1e-9, 0.6, 0.5])
BIN_Z = np.array([1000.0, -1000.0, -1000.0, 1000.0, 2.0, -1.5, 0.0, 30.0, -0.3])

LOSS_CASES = {
    # id: (scratch loss, scratch grad, keras class, kwargs, y, y_hat)
    "mse-1d": (mse, mse_grad, keras.losses.MeanSquaredError, {}, BIN_Y, BIN_Z),
    "mse-2d": (mse, mse_grad, keras.losses.MeanSquaredError, {}, PROBS[::-1], PROBS),
    "mse-(n,)-vs-(n,1)": (mse, mse_grad, keras.losses.MeanSquaredError, {}, BIN_Y, BIN_Z[:, None]),
    "bce-probs": (
        binary_crossentropy,
        binary_crossentropy_grad,
        keras.losses.BinaryCrossentropy,
        {},
        BIN_Y,
        BIN_P,
    ),
    "bce-probs-2d": (
        binary_crossentropy,
        binary_crossentropy_grad,
        keras.losses.BinaryCrossentropy,
        {},
        _onehot(LABELS, 5),
        PROBS,
    ),
    "bce-logits": (
        binary_crossentropy,
        binary_crossentropy_grad,
        keras.losses.BinaryCrossentropy,
        {"from_logits": True},
        BIN_Y,
        BIN_Z,
    ),
    "bce-logits-(n,1)": (
        binary_crossentropy,
        binary_crossentropy_grad,
        keras.losses.BinaryCrossentropy,
        {"from_logits": True},
        BIN_Y[:, None],
        BIN_Z[:, None],
    ),
    "cce-probs": (
        categorical_crossentropy,
        categorical_crossentropy_grad,
        keras.losses.CategoricalCrossentropy,
        {},
        _onehot(LABELS, 5),
        PROBS,
    ),
    "cce-logits": (
        categorical_crossentropy,
        categorical_crossentropy_grad,
        keras.losses.CategoricalCrossentropy,
        {"from_logits": True},
        _onehot(LABELS, 5),
        LOGITS,
    ),
    "cce-logits-soft-labels": (
        categorical_crossentropy,
        categorical_crossentropy_grad,
        keras.losses.CategoricalCrossentropy,
        {"from_logits": True},
        SOFT,
        LOGITS,
    ),
    "sparse-probs": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_grad,
        keras.losses.SparseCategoricalCrossentropy,
        {},
        LABELS,
        PROBS,
    ),
    "sparse-logits": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_grad,
        keras.losses.SparseCategoricalCrossentropy,
        {"from_logits": True},
        LABELS,
        LOGITS,
    ),
    "sparse-logits-(n,1)": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_grad,
        keras.losses.SparseCategoricalCrossentropy,
        {"from_logits": True},
        LABELS[:, None],
        LOGITS,
    ),
}


@pytest.mark.parametrize("case", list(LOSS_CASES), ids=list(LOSS_CASES))
def test_loss_equals_keras(case):
    loss, _, cls, kwargs, y, y_hat = LOSS_CASES[case]
    ours = loss(y, y_hat, **kwargs)
    assert isinstance(ours, float) and np.isfinite(ours)
    theirs = _keras_loss(cls, y, y_hat, **kwargs)
    assert abs(ours - theirs) <= 1e-12 * max(1.0, abs(theirs))


@pytest.mark.parametrize("case", list(LOSS_CASES), ids=list(LOSS_CASES))
def test_loss_grad_equals_tape_on_keras(case):
    _, grad, cls, kwargs, y, y_hat = LOSS_CASES[case]
    ours = grad(y, y_hat, **kwargs)
    assert ours.shape == np.shape(y_hat) and np.all(np.isfinite(ours))
    theirs = _keras_loss_grad(cls, y, y_hat, **kwargs)
    assert _max_diff(ours, theirs) <= 1e-12 * max(1.0, np.max(np.abs(theirs)))


@pytest.mark.parametrize("case", list(LOSS_CASES), ids=list(LOSS_CASES))
def test_loss_grad_equals_numerical_gradient(case):
    loss, grad, _, kwargs, y, y_hat = LOSS_CASES[case]
    y_hat = np.array(y_hat, dtype=np.float64)
    if not kwargs.get("from_logits"):
        # stay inside (eps, 1 - eps), where the loss is differentiable
        y_hat = np.clip(y_hat, 1e-3, 1 - 1e-3) if "mse" not in case else y_hat
    else:
        y_hat = np.clip(y_hat, -20.0, 20.0)  # finite differences need a curved region
    numerical = np.zeros_like(y_hat)
    h = 1e-6
    for idx in np.ndindex(y_hat.shape):
        step = np.zeros_like(y_hat)
        step[idx] = h
        numerical[idx] = (loss(y, y_hat + step, **kwargs) - loss(y, y_hat - step, **kwargs)) / (
            2 * h
        )
    scale = max(1.0, np.max(np.abs(numerical)))
    assert _max_diff(grad(y, y_hat, **kwargs), numerical) <= TOL * scale


def test_losses_match_keras_float32_default():
    # the everyday call: keras.losses.X() in float32, no dtype given
    y, y_hat = _onehot(LABELS, 5), LOGITS
    theirs = float(keras.losses.CategoricalCrossentropy(from_logits=True)(y, y_hat))
    ours = categorical_crossentropy(y, y_hat, from_logits=True)
    assert abs(ours - theirs) <= TOL * max(1.0, abs(theirs))


def test_logsumexp_equals_keras_and_is_stable():
    x = np.array([[1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -1000.0], [1.0, 2.0, 3.0]])
    ours = logsumexp(x)
    theirs = keras.ops.logsumexp(_t(x), axis=-1).numpy()
    assert _max_diff(ours, theirs) <= 1e-12 * 1000
    np.testing.assert_allclose(ours, [1000 + np.log(2), -1000 + np.log(3), 3.40760596444438])
    assert logsumexp(x, axis=0).shape == (3,)
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


# --- stability: the contrast with the naive formulas ----------------------


def _naive_cce_from_logits(y, z):
    p = np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)
    return np.mean(-np.sum(y * np.log(p), axis=-1))


def _naive_bce_from_logits(y, z):
    p = 1 / (1 + np.exp(-z))
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_extreme_logits_finite_where_naive_formula_is_not():
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0]])
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    with np.errstate(all="ignore"):
        naive_cce = _naive_cce_from_logits(y, z)
        naive_bce = _naive_bce_from_logits(np.array([1.0, 0.0]), np.array([-1000.0, 1000.0]))
    assert not np.isfinite(naive_cce)  # exp(1000) = inf, inf / inf = nan
    assert not np.isfinite(naive_bce)  # log(0) = -inf
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # stable: no warning
        assert categorical_crossentropy(y, z, from_logits=True) == 2000.0
        assert sparse_categorical_crossentropy([2, 0], z, from_logits=True) == 2000.0
        assert binary_crossentropy([1.0, 0.0], [-1000.0, 1000.0], from_logits=True) == 1000.0
        for grad, target in [
            (categorical_crossentropy_grad, y),
            (sparse_categorical_crossentropy_grad, [2, 0]),
        ]:
            g = grad(target, z, from_logits=True)
            assert np.all(np.isfinite(g))
            np.testing.assert_allclose(g, (softmax(z) - y) / 2)
        g = binary_crossentropy_grad([1.0, 0.0], [-1000.0, 1000.0], from_logits=True)
        np.testing.assert_array_equal(g, [-0.5, 0.5])


def test_extreme_logits_agree_with_keras():
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0]])
    labels = np.array([2, 0])
    for loss, grad, cls, y in [
        (
            categorical_crossentropy,
            categorical_crossentropy_grad,
            keras.losses.CategoricalCrossentropy,
            _onehot(labels, 3),
        ),
        (
            sparse_categorical_crossentropy,
            sparse_categorical_crossentropy_grad,
            keras.losses.SparseCategoricalCrossentropy,
            labels,
        ),
    ]:
        assert loss(y, z, from_logits=True) == _keras_loss(cls, y, z, from_logits=True)
        theirs = _keras_loss_grad(cls, y, z, from_logits=True)
        assert _max_diff(grad(y, z, from_logits=True), theirs) <= 1e-15


def test_probabilities_of_exactly_0_and_1_are_clipped_like_keras():
    # log(0) would be -inf: clipping at 1e-7 caps the loss at -log(1e-7) = 16.1181
    loss = binary_crossentropy([1.0], [0.0])
    assert loss == pytest.approx(-np.log(1e-7))
    assert binary_crossentropy_grad([1.0], [0.0])[0] == 0.0
    assert categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(-np.log(1e-7))


# --- validation ------------------------------------------------------------


def test_loss_validation_messages():
    with pytest.raises(
        ValueError,
        match=r"^Expected y and y_hat with the same shape\. Received: y\.shape=\(3,\), y_hat\.shape=\(4,\)$",
    ):
        mse(np.zeros(3), np.zeros(4))
    for loss in (binary_crossentropy, categorical_crossentropy, mse_grad, binary_crossentropy_grad):
        with pytest.raises(ValueError, match="Expected y and y_hat with the same shape"):
            loss(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(
        ValueError, match=r"^Expected a bool \(True or False\)\. Received: from_logits='yes'$"
    ):
        binary_crossentropy([1.0], [0.5], from_logits="yes")
    with pytest.raises(
        ValueError,
        match=r"^Expected y_hat with at least 1 dimension \(a batch\)\. Received: y_hat\.shape=\(\)$",
    ):
        mse(1.0, 2.0)
    with pytest.raises(
        ValueError,
        match=r"^Expected integer class labels in the range \[0, 3\)\. Received: y containing \[-1, 3\]$",
    ):
        sparse_categorical_crossentropy([0, 3, -1], np.ones((3, 3)) / 3)
    with pytest.raises(ValueError, match=r"Received: y containing \[0\.5\]$"):
        sparse_categorical_crossentropy_grad([0.5, 1.0], np.ones((2, 3)) / 3)
    with pytest.raises(ValueError, match=r"Received: y\.shape=\(3,\), y_hat\.shape=\(2, 3\)$"):
        sparse_categorical_crossentropy([0, 1, 2], np.ones((2, 3)) / 3)
    with pytest.raises(ValueError, match=r"^Expected x with at least 1 dimension"):
        logsumexp(3.0)


# --- packaging -------------------------------------------------------------


def test_scratch_modules_import_neither_keras_nor_tensorflow():
    import dlguide.scratch._activations as activations_module
    import dlguide.scratch._losses as losses_module

    for module in (activations_module, losses_module):
        tree = ast.parse(Path(module.__file__).read_text())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
        assert names <= {"__future__", "math", "numbers", "collections", "typing", "numpy"}


def test_names_are_exported():
    names = """ACTIVATIONS sigmoid sigmoid_grad tanh tanh_grad relu relu_grad leaky_relu
    leaky_relu_grad elu elu_grad gelu gelu_grad softmax softmax_grad logsumexp mse mse_grad
    binary_crossentropy binary_crossentropy_grad categorical_crossentropy
    categorical_crossentropy_grad sparse_categorical_crossentropy
    sparse_categorical_crossentropy_grad""".split()
    assert set(names) <= set(scratch.__all__)
    assert all(hasattr(scratch, name) for name in names)


# --- plot ------------------------------------------------------------------


def test_plot_activations_draws_each_function_and_derivative(tmp_path):
    from dlguide.plots._activations import plot_activations

    fig = plot_activations(path=tmp_path / "sub" / "activations.png")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "sigmoid",
        "tanh",
        "ReLU",
        "leaky ReLU (slope 0.2)",
        "ELU",
        "GELU",
    ]
    assert (tmp_path / "sub" / "activations.png").stat().st_size > 10_000
    f_line, grad_line = visible[0].get_lines()[-2:]
    x = f_line.get_xdata()
    np.testing.assert_allclose(f_line.get_ydata(), scratch.sigmoid(x))
    np.testing.assert_allclose(grad_line.get_ydata(), scratch.sigmoid_grad(x))
    relu_grad_line = visible[2].get_lines()[-1]
    assert np.isnan(relu_grad_line.get_ydata()).sum() == 1  # the jump at 0 is not drawn
    assert len(plot_activations("gelu").axes) == 1
    with pytest.raises(ValueError, match=r"Received: names=\[\]$"):
        plot_activations([])
    with pytest.raises(ValueError, match=r"Received: names='softmax'$"):
        plot_activations("softmax")
