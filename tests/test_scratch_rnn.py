"""NumPy recurrent cells against keras.layers.SimpleRNN / LSTM / GRU on the same weights."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide import scratch
from dlguide.scratch import GRUCell, LSTMCell, SimpleRNNCell

NUM_INPUTS, NUM_HIDDENS, NUM_STEPS, BATCH = 3, 5, 9, 4

CASES = {
    "simple": (SimpleRNNCell, keras.layers.SimpleRNN, {}),
    "lstm": (LSTMCell, keras.layers.LSTM, {}),
    "gru": (GRUCell, keras.layers.GRU, {}),
    "gru_reset_before": (GRUCell, keras.layers.GRU, {"reset_after": False}),
}


def _keras_layer(layer_class, kwargs, **extra):
    layer = layer_class(NUM_HIDDENS, **kwargs, **extra)
    layer.build((None, NUM_STEPS, NUM_INPUTS))
    return layer


def _random_weights(layer, rng):
    """Random weights in every slot, biases included, so that no gate hides behind a zero."""
    return [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()]


def _inputs(seed=0):
    return np.random.default_rng(seed).normal(size=(BATCH, NUM_STEPS, NUM_INPUTS)).astype("float32")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_forward_equals_keras_on_the_same_weights(case, return_sequences):
    cell_class, layer_class, kwargs = CASES[case]
    layer = _keras_layer(layer_class, kwargs, return_sequences=return_sequences)
    layer.set_weights(_random_weights(layer, np.random.default_rng(1)))
    X = _inputs()
    expected = keras.ops.convert_to_numpy(layer(X))

    cell = cell_class(NUM_INPUTS, NUM_HIDDENS, **kwargs)
    cell.set_weights(layer.get_weights())
    got = cell.forward(X, return_sequences=return_sequences)

    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)
    # and the difference is not trivially zero: the hidden states really move
    assert np.abs(expected).max() > 0.1


@pytest.mark.parametrize("case", CASES)
def test_keras_computes_the_same_from_the_scratch_weights(case):
    cell_class, layer_class, kwargs = CASES[case]
    cell = cell_class(NUM_INPUTS, NUM_HIDDENS, seed=3, **kwargs)
    layer = _keras_layer(layer_class, kwargs, return_sequences=True)
    layer.set_weights(cell.get_weights())
    X = _inputs(seed=4)
    np.testing.assert_allclose(
        cell(X, return_sequences=True),
        keras.ops.convert_to_numpy(layer(X)),
        atol=1e-5,
        rtol=0,
    )


@pytest.mark.parametrize("case", CASES)
def test_weights_round_trip_and_shapes_match_keras(case):
    cell_class, layer_class, kwargs = CASES[case]
    layer = _keras_layer(layer_class, kwargs)
    weights = _random_weights(layer, np.random.default_rng(2))
    cell = cell_class(NUM_INPUTS, NUM_HIDDENS, **kwargs)
    cell.set_weights(weights)
    for got, want in zip(cell.get_weights(), weights, strict=True):
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want.astype(np.float64))
    assert cell.num_params == layer.count_params()


def test_lstm_gate_order_is_i_f_c_o():
    """Keras stores the LSTM gates as column blocks i, f, c, o: check the split by name."""
    cell = LSTMCell(2, 3)
    kernel = np.concatenate([np.full((2, 3), k) for k in range(4)], axis=1)
    bias = np.arange(12.0)
    cell.set_weights([kernel, np.zeros((3, 12)), bias])
    for k, gate in enumerate("ifco"):
        assert np.all(cell.params[f"W_x{gate}"] == k)
        np.testing.assert_array_equal(cell.params[f"b_{gate}"], bias[3 * k : 3 * k + 3])


def test_gru_reset_after_bias_rows():
    cell = GRUCell(2, 3)
    bias = np.arange(18.0).reshape(2, 9)
    cell.set_weights([np.zeros((2, 9)), np.zeros((3, 9)), bias])
    np.testing.assert_array_equal(cell.params["b_z"], [0, 1, 2])
    np.testing.assert_array_equal(cell.params["b_hh"], [15, 16, 17])


def test_initial_state_and_a_custom_state_as_keras():
    cell_class, layer_class = LSTMCell, keras.layers.LSTM
    layer = _keras_layer(layer_class, {})
    layer.set_weights(_random_weights(layer, np.random.default_rng(5)))
    cell = cell_class(NUM_INPUTS, NUM_HIDDENS)
    cell.set_weights(layer.get_weights())
    rng = np.random.default_rng(6)
    H0, C0 = (rng.normal(size=(BATCH, NUM_HIDDENS)).astype("float32") for _ in range(2))
    X = _inputs()
    expected = keras.ops.convert_to_numpy(layer(X, initial_state=[H0, C0]))
    np.testing.assert_allclose(cell.forward(X, (H0, C0)), expected, atol=1e-5, rtol=0)
    assert not np.allclose(cell.forward(X), expected, atol=1e-3)


def test_forward_is_step_repeated():
    cell = GRUCell(NUM_INPUTS, NUM_HIDDENS, seed=1)
    X = _inputs().astype(np.float64)
    H = cell.initial_state(BATCH)
    for t in range(NUM_STEPS):
        H = cell.step(X[:, t], H)
    np.testing.assert_array_equal(cell.forward(X), H)
    outputs, state = cell.forward(X, return_state=True)
    np.testing.assert_array_equal(state, H)


def test_lstm_state_and_sequences():
    cell = LSTMCell(NUM_INPUTS, NUM_HIDDENS)
    X = _inputs()
    Y, (H, C) = cell.forward(X, return_sequences=True, return_state=True)
    np.testing.assert_array_equal(Y[:, -1], H)
    assert C.shape == (BATCH, NUM_HIDDENS)
    # |H| = |O * tanh(C)| < 1 always
    assert np.abs(Y).max() < 1


def test_default_initialisation_like_keras():
    cell = LSTMCell(4, 6, seed=0)
    np.testing.assert_array_equal(cell.params["b_f"], np.ones(6))
    np.testing.assert_array_equal(cell.params["b_i"], np.zeros(6))
    W_hh = cell.params["W_hi"]
    np.testing.assert_allclose(W_hh.T @ W_hh, np.eye(6), atol=1e-12)  # orthogonal
    assert np.abs(cell.params["W_xi"]).max() <= np.sqrt(6 / (4 + 24))
    assert not np.allclose(LSTMCell(4, 6, seed=1).params["W_xi"], cell.params["W_xi"])


def test_scratch_never_imports_keras():
    import subprocess
    import sys

    code = (
        "import sys; from dlguide.scratch import LSTMCell; LSTMCell(1, 2); "
        "print('keras' in sys.modules or 'tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_exported_from_scratch():
    assert scratch.LSTMCell is LSTMCell
    assert "GRUCell" in scratch.__all__
    assert repr(GRUCell(2, 3)) == "GRUCell(num_inputs=2, num_hiddens=3, reset_after=True)"
    assert repr(SimpleRNNCell(2, 3)) == "SimpleRNNCell(num_inputs=2, num_hiddens=3)"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: SimpleRNNCell(0, 3), "Expected a positive integer. Received: num_inputs=0"),
        (lambda: LSTMCell(2, 2.5), "Received: num_hiddens=2.5"),
        (lambda: LSTMCell(2, 3, seed=-1), "Received: seed=-1"),
        (lambda: GRUCell(2, 3, reset_after=1), "Received: reset_after=1"),
        (
            lambda: LSTMCell(2, 3).forward(np.zeros((4, 5, 3))),
            r"Expected an array of finite numbers of shape \(batch_size, num_steps, 2\). "
            r"Received: X.shape=\(4, 5, 3\)",
        ),
        (lambda: LSTMCell(2, 3).forward(np.zeros((5, 2))), r"Received: X.shape=\(5, 2\)"),
        (
            lambda: SimpleRNNCell(1, 2).forward([[[np.nan]]]),
            "Received: X with 1 NaN or infinite entries",
        ),
        (
            lambda: SimpleRNNCell(1, 2).forward(np.zeros((4, 5, 1)), np.zeros((3, 2))),
            r"Expected an array of finite numbers of shape \(4, 2\). Received: state.shape=\(3, 2\)",
        ),
        (
            lambda: LSTMCell(1, 2).forward(np.zeros((4, 5, 1)), np.zeros((4, 2))),
            r"Expected a tuple \(H, C\) of two arrays",
        ),
        (
            lambda: GRUCell(1, 2).step(np.zeros((4, 3)), np.zeros((4, 2))),
            r"\(batch_size, 1\). Received: X.shape=\(4, 3\)",
        ),
        (
            lambda: LSTMCell(1, 2).forward(np.zeros((1, 1, 1)), return_sequences="no"),
            "Received: return_sequences='no'",
        ),
        (lambda: GRUCell(1, 2).initial_state(0), "Received: batch_size=0"),
        (
            lambda: GRUCell(2, 3).set_weights([np.zeros((2, 9)), np.zeros((3, 9)), np.zeros(9)]),
            r"Expected the GRU weights \[kernel \(2, 9\), recurrent_kernel \(3, 9\), bias "
            r"\(2, 9\)\]. Received: weights with shapes \[\(2, 9\), \(3, 9\), \(9,\)\]",
        ),
        (
            lambda: LSTMCell(2, 3).set_weights(None),
            r"Expected the LSTM weights .* Received: weights with shapes None",
        ),
    ],
)
def test_bad_input_gets_a_keras_style_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
