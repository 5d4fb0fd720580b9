"""The recurrent builders `rnn` and `cnn_lstm`: structure, parameter counts, validation."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import dlguide
from dlguide.models import cnn_lstm, rnn


def _recurrent_params(cell: str, units: int, features: int) -> int:
    """Parameters of one recurrent layer, by the formulas the guide explains."""
    per_gate = units * (units + features) + units
    if cell == "simple":
        return per_gate
    if cell == "lstm":
        return 4 * per_gate
    return 3 * (per_gate + units)  # GRU, reset_after=True: a second bias per gate


def test_flat_exports():
    assert dlguide.rnn is rnn
    assert dlguide.cnn_lstm is cnn_lstm


def test_rnn_is_an_uncompiled_functional_model():
    model = rnn((20, 3), classes=1, classifier_activation=None)
    assert isinstance(model, keras.Model)
    assert model.compiled is False
    assert model.name == "rnn"
    assert model.input_shape == (None, 20, 3)
    assert [layer.name for layer in model.layers] == ["input", "lstm_1", "output"]
    assert model.get_layer("output").activation.__name__ == "linear"


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
@pytest.mark.parametrize(("units", "features"), [(8, 1), (16, 5)])
def test_parameter_counts_match_the_formulas(cell, units, features):
    model = rnn((12, features), cell=cell, units=units, classes=1, classifier_activation=None)
    layer = model.layers[1]
    expected_class = {"simple": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}[cell]
    assert type(layer).__name__ == expected_class
    assert layer.count_params() == _recurrent_params(cell, units, features)
    assert model.count_params() == _recurrent_params(cell, units, features) + units + 1


def test_many_to_one_and_many_to_many_shapes():
    x = np.random.default_rng(0).normal(size=(4, 15, 2)).astype("float32")
    one = rnn((15, 2), units=8, classes=3, classifier_activation=None)
    many = rnn((15, 2), units=8, classes=3, return_sequences=True, classifier_activation=None)
    assert one.output_shape == (None, 3)
    assert many.output_shape == (None, 15, 3)
    assert one.predict(x, verbose=0).shape == (4, 3)
    assert many.predict(x, verbose=0).shape == (4, 15, 3)


def test_many_to_many_head_is_the_same_dense_at_every_step():
    model = rnn(
        (6, 1), cell="simple", units=4, return_sequences=True, classes=1, classifier_activation=None
    )
    x = np.random.default_rng(1).normal(size=(2, 6, 1)).astype("float32")
    hidden = keras.Model(model.input, model.get_layer("simple_rnn_1").output)
    h = keras.ops.convert_to_numpy(hidden(x))
    kernel, bias = model.get_layer("output").get_weights()
    expected = h @ kernel + bias
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), expected, atol=1e-5)


def test_stacked_layers_return_sequences_except_the_last():
    model = rnn(
        (10, 1), cell="gru", units=(32, 16, 8), dropout=0.2, classes=1, classifier_activation=None
    )
    names = [layer.name for layer in model.layers]
    assert names == [
        "input",
        "gru_1",
        "dropout_1",
        "gru_2",
        "dropout_2",
        "gru_3",
        "dropout_3",
        "output",
    ]
    assert model.get_layer("gru_1").output.shape == (None, 10, 32)
    assert model.get_layer("gru_2").output.shape == (None, 10, 16)
    assert model.get_layer("gru_3").output.shape == (None, 8)
    assert model.get_layer("dropout_1").rate == pytest.approx(0.2)
    expected = (
        _recurrent_params("gru", 32, 1)
        + _recurrent_params("gru", 16, 32)
        + _recurrent_params("gru", 8, 16)
        + 9
    )
    assert model.count_params() == expected


def test_stacked_many_to_many():
    model = rnn((10, 1), units=(8, 4), return_sequences=True, classes=1, classifier_activation=None)
    assert model.get_layer("lstm_2").output.shape == (None, 10, 4)
    assert model.output_shape == (None, 10, 1)


def test_bidirectional_doubles_features_and_parameters():
    plain = rnn((10, 3), cell="lstm", units=8, classes=1, classifier_activation=None)
    both = rnn(
        (10, 3), cell="lstm", units=8, bidirectional=True, classes=1, classifier_activation=None
    )
    wrapper = both.get_layer("bidirectional_1")
    assert type(wrapper).__name__ == "Bidirectional"
    assert wrapper.output.shape == (None, 16)
    assert wrapper.count_params() == 2 * _recurrent_params("lstm", 8, 3)
    assert both.count_params() == 2 * _recurrent_params("lstm", 8, 3) + 16 + 1
    assert plain.count_params() == _recurrent_params("lstm", 8, 3) + 8 + 1


def test_stacked_bidirectional_many_to_many():
    model = rnn(
        (None, 4),
        cell="simple",
        units=(6, 5),
        bidirectional=True,
        return_sequences=True,
        classes=1,
        classifier_activation=None,
    )
    assert model.get_layer("bidirectional_1").output.shape == (None, None, 12)
    assert model.get_layer("bidirectional_2").output.shape == (None, None, 10)
    assert model.output_shape == (None, None, 1)
    x = np.zeros((2, 7, 4), dtype="float32")
    assert model.predict(x, verbose=0).shape == (2, 7, 1)


@pytest.mark.parametrize("shape", [24, (24,)])
def test_univariate_series_gets_a_features_axis(shape):
    model = rnn(shape, cell="simple", units=4, classes=1, classifier_activation=None)
    assert model.input_shape == (None, 24)
    assert model.get_layer("add_features_axis").output.shape == (None, 24, 1)
    assert model.count_params() == _recurrent_params("simple", 4, 1) + 5


def test_variable_length_univariate():
    model = rnn((None,), units=3, classes=1, classifier_activation=None)
    x = np.zeros((2, 9), dtype="float32")
    assert model.predict(x, verbose=0).shape == (2, 1)


def test_classification_head():
    model = rnn((5, 2), classes=4)
    probs = model.predict(np.ones((3, 5, 2), dtype="float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": 0}, "Received: input_shape=0"),
        ({"input_shape": ()}, r"Received: input_shape=\(\)"),
        ({"input_shape": (10, 2, 3)}, r"Received: input_shape=\(10, 2, 3\)"),
        (
            {"input_shape": (10, None)},
            r"Expected an input shape timesteps or \(timesteps, features\), with positive "
            r"integers \(timesteps may be None\). Received: input_shape=\(10, None\)",
        ),
        ({"input_shape": "10"}, "Received: input_shape='10'"),
        ({"cell": "rnn"}, "Expected one of 'simple', 'lstm', 'gru'. Received: cell='rnn'"),
        ({"cell": "LSTM"}, "Received: cell='LSTM'"),
        ({"units": 0}, "Received: units=0"),
        ({"units": (16, -1)}, r"Received: units=\(16, -1\)"),
        (
            {"units": ()},
            r"Expected a positive integer or a non-empty sequence of positive integers. "
            r"Received: units=\(\)",
        ),
        ({"bidirectional": 1}, r"Expected a bool \(True or False\). Received: bidirectional=1"),
        ({"return_sequences": "yes"}, "Received: return_sequences='yes'"),
        ({"dropout": 1.0}, r"Expected a float in the range \[0, 1\). Received: dropout=1.0"),
        ({"classes": -3}, "Expected a positive integer. Received: classes=-3"),
        ({"classifier_activation": "nope"}, "or None. Received: classifier_activation='nope'"),
        ({"name": ""}, "Expected a non-empty string. Received: name=''"),
    ],
)
def test_rnn_rejects_bad_arguments_with_a_keras_style_message(kwargs, message):
    kwargs = {"input_shape": (10, 2), "classes": 1, "classifier_activation": None, **kwargs}
    with pytest.raises(ValueError, match=message):
        rnn(**kwargs)


# --- cnn_lstm ---------------------------------------------------------------------------


def test_cnn_lstm_on_a_series():
    model = cnn_lstm(
        (40, 2), filters=(8, 16), kernel_size=5, lstm_units=6, classes=1, classifier_activation=None
    )
    assert model.compiled is False
    assert [layer.name for layer in model.layers] == [
        "input",
        "conv_1",
        "pool_1",
        "conv_2",
        "pool_2",
        "lstm_1",
        "output",
    ]
    assert model.get_layer("conv_1").output.shape == (None, 40, 8)
    assert model.get_layer("pool_1").output.shape == (None, 20, 8)
    assert model.get_layer("pool_2").output.shape == (None, 10, 16)
    conv_params = (5 * 2 * 8 + 8) + (5 * 8 * 16 + 16)
    assert model.count_params() == conv_params + _recurrent_params("lstm", 6, 16) + 7
    x = np.random.default_rng(0).normal(size=(3, 40, 2)).astype("float32")
    assert model.predict(x, verbose=0).shape == (3, 1)


def test_cnn_lstm_univariate_and_stacked_lstm():
    model = cnn_lstm(30, lstm_units=(8, 4), pool_size=3, classes=1, classifier_activation=None)
    assert model.get_layer("add_features_axis").output.shape == (None, 30, 1)
    assert model.get_layer("pool_1").output.shape == (None, 10, 32)
    assert model.get_layer("lstm_1").output.shape == (None, 10, 8)
    assert model.get_layer("lstm_2").output.shape == (None, 4)


def test_cnn_lstm_on_a_sequence_of_images():
    model = cnn_lstm((6, 16, 16), filters=8, classes=3, lstm_units=5)
    assert model.get_layer("add_channels_axis").output.shape == (None, 6, 16, 16, 1)
    assert model.get_layer("conv_1").output.shape == (None, 6, 16, 16, 8)
    assert model.get_layer("pool_1").output.shape == (None, 6, 8, 8, 8)
    assert model.get_layer("flatten").output.shape == (None, 6, 512)
    conv_params = 3 * 3 * 1 * 8 + 8
    assert model.count_params() == conv_params + _recurrent_params("lstm", 5, 512) + 5 * 3 + 3
    x = np.zeros((2, 6, 16, 16), dtype="float32")
    probs = model.predict(x, verbose=0)
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_cnn_lstm_applies_the_same_conv_to_every_frame():
    model = cnn_lstm((3, 8, 8, 2), filters=4, lstm_units=2, classes=1, classifier_activation=None)
    frames = np.random.default_rng(2).normal(size=(1, 3, 8, 8, 2)).astype("float32")
    frames[0, 2] = frames[0, 0]
    conv = keras.Model(model.input, model.get_layer("conv_1").output)
    maps = keras.ops.convert_to_numpy(conv(frames))
    np.testing.assert_allclose(maps[0, 0], maps[0, 2], atol=1e-6)
    assert not np.allclose(maps[0, 0], maps[0, 1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": (10, 2, 3, 4, 5)}, r"Received: input_shape=\(10, 2, 3, 4, 5\)"),
        ({"filters": 0}, "Received: filters=0"),
        ({"filters": ()}, r"Received: filters=\(\)"),
        ({"kernel_size": 0}, "Expected a positive integer. Received: kernel_size=0"),
        ({"pool_size": 1.5}, "Received: pool_size=1.5"),
        ({"lstm_units": -1}, "Received: lstm_units=-1"),
        ({"classes": 0}, "Received: classes=0"),
        ({"classifier_activation": "soft"}, "Received: classifier_activation='soft'"),
        ({"name": 3}, "Expected a non-empty string. Received: name=3"),
        (
            {"input_shape": (4, 1), "filters": (8, 8, 8)},
            r"Expected pooling to leave at least one time step, but 3 poolings by 2 shrink "
            r"4 steps to 0",
        ),
        (
            {"input_shape": (5, 6, 6, 1), "pool_size": 7},
            r"at least one pixel per side, but 1 poolings by 7 shrink 6 pixels to 0",
        ),
    ],
)
def test_cnn_lstm_rejects_bad_arguments_with_a_keras_style_message(kwargs, message):
    kwargs = {"input_shape": (10, 2), "classes": 1, "classifier_activation": None, **kwargs}
    with pytest.raises(ValueError, match=message):
        cnn_lstm(**kwargs)


def test_cnn_lstm_variable_number_of_frames():
    model = cnn_lstm((None, 8, 8), filters=4, lstm_units=3, classes=1, classifier_activation=None)
    assert model.get_layer("add_channels_axis").output.shape == (None, None, 8, 8, 1)
    assert model.predict(np.zeros((2, 5, 8, 8), dtype="float32"), verbose=0).shape == (2, 1)
