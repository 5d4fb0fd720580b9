"""Recurrent builders: stacked SimpleRNN / LSTM / GRU, and the hybrid CNN + LSTM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from .._validation import (
    _is_int,
    check_bool,
    check_choice,
    check_head,
    check_int_sequence,
    check_non_empty_str,
    check_positive_int,
    check_rate,
)

_CELLS = {
    "simple": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}
_LAYER_NAMES = {"simple": "simple_rnn", "lstm": "lstm", "gru": "gru"}


def _check_sequence_shape(value: Any, name: str, ranks: tuple[int, ...]) -> tuple[int | None, ...]:
    """Return a shape whose first axis (time) may be None and other axes are positive ints."""
    shape = (value,) if _is_int(value) else value
    ok = (
        isinstance(shape, Sequence)
        and not isinstance(shape, str)
        and len(shape) in ranks
        and (shape[0] is None or (_is_int(shape[0]) and shape[0] > 0))
        and all(_is_int(v) and v > 0 for v in shape[1:])
    )
    if not ok:
        forms = {
            1: "timesteps",
            2: "(timesteps, features)",
            3: "(timesteps, height, width)",
            4: "(timesteps, height, width, channels)",
        }
        expected = " or ".join(forms[r] for r in ranks)
        raise ValueError(
            f"Expected an input shape {expected}, with positive integers (timesteps may be "
            f"None). Received: {name}={value!r}"
        )
    return tuple(None if v is None else int(v) for v in shape)


def _recurrent_stack(
    x: Any,
    cell: str,
    units: tuple[int, ...],
    *,
    bidirectional: bool,
    dropout: float,
    last_returns_sequences: bool,
) -> Any:
    """Stack `len(units)` recurrent layers (each optionally bidirectional, then dropout)."""
    layer_class, base = _CELLS[cell], _LAYER_NAMES[cell]
    for i, n in enumerate(units, start=1):
        sequences = last_returns_sequences or i < len(units)
        layer = layer_class(n, return_sequences=sequences, name=f"{base}_{i}")
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{i}")
        x = layer(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    return x


def _univariate(inputs: Any, timesteps: int | None) -> Any:
    """Give a `(batch, timesteps)` tensor a features axis of size 1."""
    target = (-1, 1) if timesteps is None else (timesteps, 1)
    return keras.layers.Reshape(target, name="add_features_axis")(inputs)


def rnn(
    input_shape: int | Sequence[int | None],
    *,
    cell: str = "lstm",
    units: int | Sequence[int] = 32,
    bidirectional: bool = False,
    return_sequences: bool = False,
    dropout: float = 0.0,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "rnn",
) -> keras.Model:
    """Build a recurrent network: one or more stacked recurrent layers and a `Dense` head.

    The input is a batch of sequences of shape `(batch, timesteps, features)`.
    A univariate series given as `timesteps` (or `(timesteps,)`) gets a
    features axis of size 1. Every recurrent layer but the last returns its
    whole sequence of hidden states, so the next layer has one input per time
    step. The last one returns only its final hidden state (many-to-one: one
    prediction per sequence), or, with `return_sequences=True`, every hidden
    state, and the `Dense` head is then applied at every time step
    (many-to-many: one prediction per step). `Dropout` follows each recurrent
    layer when `dropout > 0`. The model is returned uncompiled.

    Args:
        input_shape: Shape of one sequence, `(timesteps, features)`, or
            `timesteps` for a univariate series. `timesteps` may be `None`
            (sequences of any length).
        cell: The recurrent layer: `"simple"` (`SimpleRNN`), `"lstm"` or
            `"gru"`.
        units: Hidden units of the recurrent layer, or one number per
            stacked layer, e.g. `(64, 32)`.
        bidirectional: Wrap every recurrent layer in `Bidirectional`, which
            runs a second copy backwards over the sequence and concatenates
            the two hidden states (twice the features, twice the parameters).
        return_sequences: `False` for many-to-one, `True` for many-to-many.
        dropout: Dropout rate after each recurrent layer, in [0, 1).
        classes: Units of the `Dense` head: the number of classes, or 1 for
            binary classification or a single forecast value.
        classifier_activation: Activation of the head: `"softmax"` (the
            default), `"sigmoid"` (binary, with `classes=1`) or `None` (a
            linear output: regression, forecasting).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import rnn
        >>> model = rnn((30, 1), cell="lstm", units=16, classes=1,
        ...             classifier_activation=None)
        >>> [layer.name for layer in model.layers]
        ['input', 'lstm_1', 'output']
        >>> # 4 * (16 * (16 + 1) + 16) + 17
        >>> model.output_shape, model.count_params()
        ((None, 1), 1169)
        >>> rnn((30, 1), units=(32, 16), return_sequences=True, classes=1,
        ...     classifier_activation=None).output_shape
        (None, 30, 1)
        >>> rnn((None, 8), cell="gru", bidirectional=True, classes=3).output_shape
        (None, 3)
        >>> rnn((30, 1), cell="rnn", classes=1)
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'simple', 'lstm', 'gru'. Received: cell='rnn'
    """
    input_shape = _check_sequence_shape(input_shape, "input_shape", (1, 2))
    cell = check_choice(cell, "cell", _CELLS)
    units = check_int_sequence(units, "units", non_empty=True)
    bidirectional = check_bool(bidirectional, "bidirectional")
    return_sequences = check_bool(return_sequences, "return_sequences")
    dropout = check_rate(dropout, "dropout")
    classes, classifier_activation = check_head(classes, classifier_activation)
    check_non_empty_str(name, "name")

    inputs = keras.Input(shape=input_shape, name="input")
    x = _univariate(inputs, input_shape[0]) if len(input_shape) == 1 else inputs
    x = _recurrent_stack(
        x,
        cell,
        units,
        bidirectional=bidirectional,
        dropout=dropout,
        last_returns_sequences=return_sequences,
    )
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)


def cnn_lstm(
    input_shape: int | Sequence[int | None],
    *,
    filters: int | Sequence[int] = 32,
    kernel_size: int = 3,
    pool_size: int = 2,
    lstm_units: int | Sequence[int] = 32,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "cnn_lstm",
) -> keras.Model:
    """Build a hybrid CNN + LSTM: convolutions extract local features, an LSTM reads them in order.

    For a series of shape `(timesteps, features)` (or `timesteps`, univariate)
    the front is `Conv1D` + `MaxPooling1D` blocks along the time axis: each
    block looks at `kernel_size` neighbouring steps and pooling shortens the
    sequence by `pool_size`, so the LSTM runs over fewer, richer steps. For a
    sequence of images `(timesteps, height, width[, channels])` (e.g. video
    frames) the same `Conv2D` + `MaxPooling2D` blocks are applied to every
    frame with `TimeDistributed`, each frame is flattened to a feature vector
    and the LSTM reads the frames in order. A `Dense` head follows the last
    LSTM. Convolutions use `padding="same"` and ReLU. The model is returned
    uncompiled.

    Args:
        input_shape: `(timesteps, features)` or `timesteps` for a series;
            `(timesteps, height, width)` or `(timesteps, height, width,
            channels)` for a sequence of images. `timesteps` may be `None`.
        filters: Filters of the convolution, or one number per conv block.
        kernel_size: Size of the convolution window (steps, or pixels per
            side).
        pool_size: Pooling factor after each convolution.
        lstm_units: Units of the LSTM, or one number per stacked LSTM.
        classes: Units of the `Dense` head: the number of classes, or 1 for
            binary classification or a single forecast value.
        classifier_activation: Activation of the head: `"softmax"` (the
            default), `"sigmoid"` (binary, with `classes=1`) or `None` (a
            linear output: regression, forecasting).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid, or pooling would shrink the
            time axis (or a frame) to nothing.

    Examples:
        >>> from dlguide.models import cnn_lstm
        >>> model = cnn_lstm((48, 1), filters=16, lstm_units=8, classes=1,
        ...                  classifier_activation=None)
        >>> [layer.name for layer in model.layers]
        ['input', 'conv_1', 'pool_1', 'lstm_1', 'output']
        >>> model.get_layer("pool_1").output.shape  # 48 steps pooled by 2
        (None, 24, 16)
        >>> model.output_shape
        (None, 1)
        >>> video = cnn_lstm((10, 32, 32, 3), filters=(8, 16), lstm_units=16,
        ...                  classes=5)
        >>> video.get_layer("flatten").output.shape  # per frame: 8 x 8 x 16
        (None, 10, 1024)
        >>> video.output_shape
        (None, 5)
        >>> cnn_lstm((4, 1), filters=(8, 8, 8), classes=1,
        ...          classifier_activation=None)
        Traceback (most recent call last):
        ...
        ValueError: Expected pooling to leave at least one time step, but 3 poolings by 2 shrink 4 steps to 0. Use fewer filters blocks or a smaller pool_size. Received: input_shape=(4, 1)
    """
    input_shape = _check_sequence_shape(input_shape, "input_shape", (1, 2, 3, 4))
    filters = check_int_sequence(filters, "filters", non_empty=True)
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    pool_size = check_positive_int(pool_size, "pool_size")
    lstm_units = check_int_sequence(lstm_units, "lstm_units", non_empty=True)
    classes, classifier_activation = check_head(classes, classifier_activation)
    check_non_empty_str(name, "name")

    images = len(input_shape) >= 3
    shrink = pool_size ** len(filters)
    if images:
        too_small = [s for s in input_shape[1:3] if s // shrink == 0]
        if too_small:
            raise ValueError(
                f"Expected pooling to leave at least one pixel per side, but {len(filters)} "
                f"poolings by {pool_size} shrink {too_small[0]} pixels to 0. Use fewer "
                f"filters blocks or a smaller pool_size. Received: input_shape={input_shape!r}"
            )
    elif input_shape[0] is not None and input_shape[0] // shrink == 0:
        raise ValueError(
            f"Expected pooling to leave at least one time step, but {len(filters)} poolings "
            f"by {pool_size} shrink {input_shape[0]} steps to 0. Use fewer filters blocks or "
            f"a smaller pool_size. Received: input_shape={input_shape!r}"
        )

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 1:
        x = _univariate(x, input_shape[0])
    elif len(input_shape) == 3:
        steps = -1 if input_shape[0] is None else input_shape[0]
        x = keras.layers.Reshape((steps, *input_shape[1:], 1), name="add_channels_axis")(x)
    layers = keras.layers
    for i, f in enumerate(filters, start=1):
        if images:
            conv = layers.Conv2D(f, kernel_size, padding="same", activation="relu")
            x = layers.TimeDistributed(conv, name=f"conv_{i}")(x)
            x = layers.TimeDistributed(layers.MaxPooling2D(pool_size), name=f"pool_{i}")(x)
        else:
            conv = layers.Conv1D(
                f, kernel_size, padding="same", activation="relu", name=f"conv_{i}"
            )
            x = conv(x)
            x = layers.MaxPooling1D(pool_size, name=f"pool_{i}")(x)
    if images:
        x = layers.TimeDistributed(layers.Flatten(), name="flatten")(x)
    for i, n in enumerate(lstm_units, start=1):
        x = layers.LSTM(n, return_sequences=i < len(lstm_units), name=f"lstm_{i}")(x)
    outputs = layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
