"""dlguide.scratch perceptron, MLP and gradient check, checked against math and against Keras.

- The perceptron learns AND and OR and never learns XOR.
- The MLP's hand-written backprop equals central differences and TensorFlow's
  autodiff on the same weights (relative error <= 1e-6), and its forward pass
  equals a Keras model of two `Dense` layers given the same weights.
- The MLP trains on real data, and every argument check gives its message.
- `dlguide.scratch` never imports Keras.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import dlguide
from dlguide.scratch import (
    MLP,
    Perceptron,
    glorot_uniform,
    numerical_gradient,
    relative_error,
)

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}

# (hidden activation, output, targets): every hidden activation and every loss.
CONFIGS = [
    ("relu", "sigmoid", "binary"),
    ("tanh", "softmax", "sparse"),
    ("sigmoid", "softmax", "onehot"),
    ("leaky_relu", "linear", "values"),
    ("elu", "sigmoid", "binary"),
    ("gelu", "softmax", "sparse"),
]
IDS = [f"{a}-{o}-{t}" for a, o, t in CONFIGS]


def make_problem(activation, output, targets, seed=0, num_examples=16):
    """A small random network and batch; several outputs for the multi-class cases."""
    rng = np.random.default_rng(seed)
    num_inputs, num_hiddens = 5, 7
    num_outputs = 1 if targets in ("binary",) else 3
    net = MLP(num_inputs, num_hiddens, num_outputs, activation=activation, output=output, seed=seed)
    # non-zero biases, so that their gradients are tested with a generic point
    net.params["b1"][...] = rng.normal(scale=0.5, size=num_hiddens)
    net.params["b2"][...] = rng.normal(scale=0.5, size=num_outputs)
    X = rng.normal(size=(num_examples, num_inputs))
    if targets == "binary":
        y = rng.integers(0, 2, size=num_examples)
    elif targets == "sparse":
        y = rng.integers(0, num_outputs, size=num_examples)
    elif targets == "onehot":
        y = np.eye(num_outputs)[rng.integers(0, num_outputs, size=num_examples)]
    else:
        y = rng.normal(size=(num_examples, num_outputs))
    return net, X, y


# --- perceptron -----------------------------------------------------------------


@pytest.mark.parametrize("gate", ["AND", "OR"])
def test_perceptron_learns_linearly_separable_gates(gate):
    perceptron = Perceptron(num_inputs=2)
    errors = perceptron.fit(X_GATES, GATES[gate], num_epochs=20)
    assert errors[-1] == 0
    first_zero = errors.index(0)
    assert all(e == 0 for e in errors[first_zero:]), "a separated set stays separated"
    np.testing.assert_array_equal(perceptron.predict(X_GATES), GATES[gate])


def test_perceptron_cannot_learn_xor():
    for seed in range(5):
        for lr in (0.1, 1.0):
            perceptron = Perceptron(num_inputs=2, learning_rate=lr, seed=seed)
            errors = perceptron.fit(X_GATES, GATES["XOR"], num_epochs=200)
            assert min(errors) > 0
            assert np.sum(perceptron.predict(X_GATES) != GATES["XOR"]) >= 1


def test_perceptron_update_rule_by_hand():
    perceptron = Perceptron(num_inputs=2, learning_rate=0.5)
    perceptron.w, perceptron.b = np.array([0.0, 0.0]), 0.0
    # x = (1, 1) with y = 1 is predicted 0 (z = 0): w += 0.5 * x, b += 0.5
    assert perceptron.fit([[1.0, 1.0]], [1], num_epochs=1) == [1]
    np.testing.assert_allclose(perceptron.w, [0.5, 0.5])
    assert perceptron.b == 0.5
    assert perceptron.fit([[1.0, 1.0]], [1], num_epochs=1) == [0]  # now right: no update


# --- gradient check ------------------------------------------------------------------


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    np.testing.assert_allclose(
        numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=1e-8
    )
    assert numerical_gradient(lambda v: v**3, 2.0) == pytest.approx(12.0, rel=1e-9)
    # a list is copied, not perturbed in place
    assert numerical_gradient(lambda v: float(v @ v), [1.0, 2.0]).tolist() == pytest.approx(
        [2.0, 4.0]
    )


def test_numerical_gradient_restores_x_even_when_f_fails():
    x = np.array([1.0, 2.0])

    def f(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error_scales_by_the_largest_magnitude():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 1e-12], [1.0, 2e-12]) == pytest.approx(1e-12 / 2)
    assert relative_error({"a": [1.0], "b": [2.0]}, {"a": [1.0], "b": [2.2]}) == pytest.approx(
        0.2 / 4.2
    )


# --- MLP: gradients and forward pass against numbers and Keras -----------------------


@pytest.mark.parametrize(("activation", "output", "targets"), CONFIGS, ids=IDS)
def test_backprop_equals_numerical_gradient(activation, output, targets):
    net, X, y = make_problem(activation, output, targets)
    grads = net.backward(X, y)
    for name, param in net.params.items():
        numeric = numerical_gradient(lambda _: net.loss(X, y), param)
        assert relative_error(grads[name], numeric) <= 1e-6, name


def _keras_twin(net):
    import keras

    out = None if net.output == "linear" else net.output
    model = keras.Sequential(
        [
            keras.Input((net.num_inputs,), dtype="float64"),
            keras.layers.Dense(net.num_hiddens, activation=net.activation, dtype="float64"),
            keras.layers.Dense(net.num_outputs, activation=out, dtype="float64"),
        ]
    )
    model.set_weights(net.get_weights())
    return model


def _keras_loss(output, targets):
    import keras

    if output == "sigmoid":
        return keras.losses.BinaryCrossentropy(dtype="float64")
    if targets == "sparse":
        return keras.losses.SparseCategoricalCrossentropy(dtype="float64")
    if targets == "onehot":
        return keras.losses.CategoricalCrossentropy(dtype="float64")
    return keras.losses.MeanSquaredError(dtype="float64")


@pytest.mark.parametrize(("activation", "output", "targets"), CONFIGS, ids=IDS)
def test_backprop_equals_tensorflow_autodiff(activation, output, targets):
    import tensorflow as tf

    net, X, y = make_problem(activation, output, targets)
    model = _keras_twin(net)
    loss_fn = _keras_loss(output, targets)
    y_keras = y.reshape(-1, 1) if targets == "binary" else y
    with tf.GradientTape() as tape:
        keras_loss = loss_fn(y_keras, model(X))
    keras_grads = tape.gradient(keras_loss, model.trainable_weights)
    keras_grads = dict(zip(["W1", "b1", "W2", "b2"], (g.numpy() for g in keras_grads), strict=True))

    grads = net.backward(X, y)
    assert all(g.dtype == np.float64 for g in keras_grads.values())
    # (TF's float64 leaky_relu and gelu kernels are off by ~1e-9: 32-bit constants)
    assert net.loss(X, y) == pytest.approx(float(keras_loss), rel=1e-7)
    for name in grads:
        assert relative_error(grads[name], keras_grads[name]) <= 1e-6, name


@pytest.mark.parametrize(("activation", "output", "targets"), CONFIGS, ids=IDS)
def test_forward_equals_keras_predict(activation, output, targets):
    net, X, _ = make_problem(activation, output, targets)
    model = _keras_twin(net)
    keras_y_hat = model.predict(X, verbose=0)
    y_hat = net.forward(X)
    assert y_hat.shape == keras_y_hat.shape
    assert np.max(np.abs(y_hat - keras_y_hat)) <= 1e-6
    assert relative_error(y_hat, keras_y_hat) <= 1e-6


def test_keras_weights_load_into_the_scratch_net():
    net, X, _ = make_problem("relu", "sigmoid", "binary", seed=1)
    other = MLP(5, 7, 1, seed=2)
    model = _keras_twin(net)
    other.set_weights(model.get_weights())
    np.testing.assert_allclose(other.forward(X), net.forward(X), rtol=0, atol=1e-12)


def test_glorot_uniform_matches_keras_limits_and_spread():
    W = glorot_uniform(300, 100, seed=0)
    limit = np.sqrt(6 / 400)
    assert np.abs(W).max() <= limit
    assert W.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)  # std of U(-l, l)
    net = MLP(30, 16, 1)
    assert np.abs(net.params["W1"]).max() <= np.sqrt(6 / 46)
    assert not net.params["b1"].any() and not net.params["b2"].any()


# --- MLP: training ---------------------------------------------------------------------


def test_mlp_learns_xor():
    net = MLP(2, 8, 1, activation="tanh")
    losses = net.fit(X_GATES, GATES["XOR"], num_epochs=500, learning_rate=0.5, batch_size=4)
    assert losses[-1] < 0.05 < losses[0]
    np.testing.assert_array_equal(net.predict(X_GATES), GATES["XOR"])


def test_mlp_trains_on_breast_cancer():
    (x_train, y_train), (x_test, y_test) = dlguide.load_breast_cancer()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    net = MLP(num_inputs=30, num_hiddens=16, num_outputs=1)
    losses = net.fit(x_train, y_train, num_epochs=30, learning_rate=0.1)
    assert losses[-1] < losses[0] / 5
    assert np.mean(net.predict(x_test) == y_test) >= 0.95


def test_mlp_trains_on_digits_with_softmax():
    (x_train, y_train), (x_test, y_test) = dlguide.load_digits()
    x_train = x_train.reshape(len(x_train), -1) / 16
    x_test = x_test.reshape(len(x_test), -1) / 16
    net = MLP(num_inputs=64, num_hiddens=32, num_outputs=10, output="softmax")
    net.fit(x_train, y_train, num_epochs=20, learning_rate=0.1)
    assert np.mean(net.predict(x_test) == y_test) >= 0.9


def test_fit_is_deterministic_and_uses_a_given_optimizer():
    net_a, X, y = make_problem("tanh", "sigmoid", "binary")
    net_b, _, _ = make_problem("tanh", "sigmoid", "binary")
    assert net_a.fit(X, y, num_epochs=3, learning_rate=0.05, batch_size=5) == net_b.fit(
        X, y, num_epochs=3, learning_rate=0.05, batch_size=5
    )

    class Recorder:
        def __init__(self):
            self.calls = 0

        def step(self, params, grads):
            assert set(params) == set(grads) == {"W1", "b1", "W2", "b2"}
            self.calls += 1
            for name in params:
                params[name] -= 0.05 * grads[name]

    net_c, _, _ = make_problem("tanh", "sigmoid", "binary")
    recorder = Recorder()
    losses_c = net_c.fit(X, y, num_epochs=3, batch_size=5, optimizer=recorder)
    assert recorder.calls == 3 * 4  # 16 examples in batches of 5: 4 steps per epoch
    net_d, _, _ = make_problem("tanh", "sigmoid", "binary")
    assert losses_c == pytest.approx(
        net_d.fit(X, y, num_epochs=3, learning_rate=0.05, batch_size=5)
    )


def test_fit_with_a_scratch_optimizer():
    from dlguide.scratch import Adam

    (x_train, y_train), (x_test, y_test) = dlguide.load_breast_cancer()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    net = MLP(30, 16, 1)
    net.fit((x_train - mean) / std, y_train, num_epochs=10, optimizer=Adam(learning_rate=0.01))
    assert np.mean(net.predict((x_test - mean) / std) == y_test) >= 0.95


def test_predict_shapes():
    X = np.ones((4, 3))
    assert MLP(3, 2, 1).predict(X).shape == (4,)
    assert MLP(3, 2, 2).predict(X).shape == (4, 2)
    assert MLP(3, 2, 5, output="softmax").predict(X).shape == (4,)
    assert MLP(3, 2, 2, output="linear").predict(X).shape == (4, 2)


# --- argument checks: every message ----------------------------------------------------


def _raises(message, func, *args, **kwargs):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        func(*args, **kwargs)


def test_gradcheck_messages():
    _raises(
        "Expected a callable that returns a scalar. Received: f=3", numerical_gradient, 3, [1.0]
    )
    _raises(
        "Expected a positive float. Received: eps=-1e-06",
        numerical_gradient,
        np.sum,
        [1.0],
        eps=-1e-6,
    )
    _raises(
        "Expected a non-empty array of finite numbers. Received: x=[]",
        numerical_gradient,
        np.sum,
        [],
    )
    _raises(
        "Expected a non-empty array of finite numbers. Received: x=[1.0, nan]",
        numerical_gradient,
        np.sum,
        [1.0, float("nan")],
    )
    _raises(
        "Expected a non-empty array of finite numbers. Received: x='ab'",
        numerical_gradient,
        np.sum,
        "ab",
    )
    _raises(
        "Expected f to return a scalar (the loss). Received: f(x) of shape (2,)",
        numerical_gradient,
        lambda v: v,
        np.ones(2),
    )
    _raises(
        "Expected f to return a scalar (the loss). Received: f(x) of shape ()",
        numerical_gradient,
        lambda v: "loss",
        np.ones(2),
    )
    _raises(
        "Expected a and b of the same shape. Received: a.shape=(2,), b.shape=(3,)",
        relative_error,
        np.ones(2),
        np.ones(3),
    )
    _raises(
        "Expected a and b of the same shape. Received: a['W'].shape=(2,), b['W'].shape=(1,)",
        relative_error,
        {"W": np.ones(2)},
        {"W": np.ones(1)},
    )
    _raises(
        "Expected a and b with the same keys. Received: a.keys()=['W'], b.keys()=ndarray",
        relative_error,
        {"W": np.ones(2)},
        np.ones(2),
    )
    _raises(
        "Expected a non-empty array of finite numbers. Received: b=[inf]",
        relative_error,
        [1.0],
        [float("inf")],
    )


def test_perceptron_messages():
    _raises("Expected a positive integer. Received: num_inputs=0", Perceptron, 0)
    _raises("Expected a positive float. Received: learning_rate=0", Perceptron, 2, learning_rate=0)
    _raises(
        "Expected a positive float. Received: learning_rate=True", Perceptron, 2, learning_rate=True
    )
    _raises("Expected a non-negative integer. Received: seed=-1", Perceptron, 2, seed=-1)
    p = Perceptron(2)
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 2). Received: X.shape=(4, 3)",
        p.predict,
        np.ones((4, 3)),
    )
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 2). Received: X.shape=(2,)",
        p.predict,
        [1.0, 2.0],
    )
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 2). "
        "Received: X with 1 NaN or infinite entries",
        p.predict,
        [[1.0, np.inf]],
    )
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 2). Received: X='ab'",
        p.predict,
        "ab",
    )
    _raises(
        "Expected y with one 0/1 label per row of X (4 rows). "
        "Received: y.shape=(3,), values=[0, 1]",
        p.fit,
        X_GATES,
        [0, 1, 1],
    )
    _raises(
        "Expected y with one 0/1 label per row of X (4 rows). "
        "Received: y.shape=(4,), values=[-1, 1]",
        p.fit,
        X_GATES,
        [-1, 1, 1, -1],
    )
    _raises(
        "Expected a positive integer. Received: num_epochs=0",
        p.fit,
        X_GATES,
        GATES["AND"],
        num_epochs=0,
    )


def test_mlp_constructor_messages():
    _raises("Expected a positive integer. Received: num_inputs=0", MLP, 0, 4, 1)
    _raises("Expected a positive integer. Received: num_hiddens=2.5", MLP, 3, 2.5, 1)
    _raises("Expected a positive integer. Received: num_outputs=-1", MLP, 3, 4, -1)
    _raises(
        "Expected one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'. "
        "Received: activation='swish'",
        MLP,
        3,
        4,
        1,
        activation="swish",
    )
    _raises(
        "Expected one of 'sigmoid', 'softmax', 'linear'. Received: output=None",
        MLP,
        3,
        4,
        1,
        output=None,
    )
    _raises(
        "Expected num_outputs >= 2 (one per class) with output='softmax'. Received: num_outputs=1",
        MLP,
        3,
        4,
        1,
        output="softmax",
    )
    _raises("Expected a non-negative integer. Received: seed='0'", MLP, 3, 4, 1, seed="0")
    _raises("Expected a positive integer. Received: fan_in=0", glorot_uniform, 0, 3, seed=0)
    _raises(
        "Expected a non-negative integer, None or a numpy.random.Generator. Received: seed=-1",
        glorot_uniform,
        3,
        3,
        seed=-1,
    )


def test_mlp_target_messages():
    X = np.ones((4, 3))
    _raises(
        "Expected y with labels in [0, 1] of shape (4,) or (4, 1) for output='sigmoid'. "
        "Received: y.shape=(4,), values=[0.0, 2.0]",
        MLP(3, 2, 1).loss,
        X,
        [0, 2, 0, 2],
    )
    _raises(
        "Expected y with labels in [0, 1] of shape (4, 2) for output='sigmoid'. "
        "Received: y.shape=(4,), values=[0.0, 1.0]",
        MLP(3, 2, 2).loss,
        X,
        [0, 1, 0, 1],
    )
    _raises(
        "Expected y with integer labels of shape (4,) in the range [0, 3) or one-hot rows "
        "of shape (4, 3) for output='softmax'. Received: y.shape=(4,), values=[0.0, 3.0]",
        MLP(3, 2, 3, output="softmax").backward,
        X,
        [0, 3, 0, 3],
    )
    _raises(
        "Expected y with finite targets of shape (4,) or (4, 1) for output='linear'. "
        "Received: y.shape=(4,), values=[1.0, nan]",
        MLP(3, 2, 1, output="linear").fit,
        X,
        [1.0, np.nan, 1.0, 1.0],
    )
    _raises(
        "Expected y with finite targets of shape (4,) or (4, 1) for output='linear'. "
        "Received: y.shape=(4,), dtype=<U1",
        MLP(3, 2, 1, output="linear").loss,
        X,
        ["a", "b", "c", "d"],
    )


def test_mlp_fit_and_weights_messages():
    net, X = MLP(3, 2, 1), np.ones((4, 3))
    y = [0, 1, 0, 1]
    _raises("Expected a positive integer. Received: num_epochs=0", net.fit, X, y, num_epochs=0)
    _raises("Expected a positive integer. Received: batch_size=0", net.fit, X, y, batch_size=0)
    _raises(
        "Expected a positive float. Received: learning_rate=-0.1", net.fit, X, y, learning_rate=-0.1
    )
    _raises(
        "Expected learning_rate=None when an optimizer is given (set the learning rate on the "
        "optimizer). Received: learning_rate=0.1",
        net.fit,
        X,
        y,
        learning_rate=0.1,
        optimizer=object(),
    )
    _raises(
        "Expected an optimizer with a step(params, grads) method, such as "
        "dlguide.scratch.Adam(). Received: optimizer='adam'",
        net.fit,
        X,
        y,
        optimizer="adam",
    )
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 3). Received: X.shape=(4, 2)",
        net.forward,
        np.ones((4, 2)),
    )
    _raises(
        "Expected 4 arrays [W1, b1, W2, b2] of shapes [(3, 2), (2,), (2, 1), (1,)]. "
        "Received: shapes [(3, 2), (2,), (1, 2), (1,)]",
        net.set_weights,
        [np.ones((3, 2)), np.ones(2), np.ones((1, 2)), np.ones(1)],
    )
    _raises(
        "Expected 4 arrays [W1, b1, W2, b2] of shapes [(3, 2), (2,), (2, 1), (1,)]. "
        "Received: weights=None",
        net.set_weights,
        None,
    )


def test_plot_decision_boundary_messages_and_kinds_of_predict(tmp_path):
    from dlguide.plots._boundary import plot_decision_boundary

    X, y = X_GATES, np.array(GATES["XOR"])
    net = MLP(2, 4, 1)
    fig = plot_decision_boundary(net.forward, X, y, path=tmp_path / "sub" / "b.png")
    assert (tmp_path / "sub" / "b.png").stat().st_size > 1000
    assert len(fig.axes) == 1
    three = np.array([0, 1, 2, 1])
    fig = plot_decision_boundary(MLP(2, 4, 3, output="softmax").forward, X, three)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "class 0",
        "class 1",
        "class 2",
    ]
    _raises(
        "Expected a function that maps points to predictions. Received: predict=None",
        plot_decision_boundary,
        None,
        X,
        y,
    )
    _raises(
        "Expected non-negative integer class labels, one per example (4). "
        "Received: y of shape (3,)",
        plot_decision_boundary,
        net.predict,
        X,
        y[:3],
    )
    _raises(
        "Expected a 2-D array of finite numbers of shape (batch_size, 2). Received: x.shape=(4, 3)",
        plot_decision_boundary,
        net.predict,
        np.ones((4, 3)),
        y,
    )
    _raises(
        "Expected a positive integer. Received: resolution=0",
        plot_decision_boundary,
        net.predict,
        X,
        y,
        resolution=0,
    )


def test_positive_float_helper_message():
    from dlguide._validation import check_positive_float

    assert check_positive_float(2, "learning_rate") == 2.0
    for bad in (0, -1.0, float("nan"), float("inf"), "0.1", None):
        _raises(
            f"Expected a positive float. Received: learning_rate={bad!r}",
            check_positive_float,
            bad,
            "learning_rate",
        )


# --- no Keras inside dlguide.scratch --------------------------------------------------------


def test_dlguide_scratch_does_not_import_keras():
    code = (
        "import sys, numpy as np, dlguide.scratch as s\n"
        "net = s.MLP(3, 4, 1); net.fit(np.ones((4, 3)), [0, 1, 0, 1], num_epochs=1)\n"
        "s.numerical_gradient(np.sum, np.ones(2)); s.Perceptron(2)\n"
        "assert 'keras' not in sys.modules, 'keras'\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
