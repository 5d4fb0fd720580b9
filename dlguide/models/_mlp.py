"""Multi-layer perceptron builder."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._validation import (
    check_int_sequence,
    check_non_empty_str,
    check_positive_int,
    check_rate,
    check_shape,
)


def _check_activation(value: str | None, name: str, *, allow_none: bool) -> None:
    if value is None and allow_none:
        return
    try:
        if not isinstance(value, str):
            raise TypeError
        keras.activations.get(value)
    except (TypeError, ValueError):
        expected = "an activation name such as 'relu'"
        if allow_none:
            expected += " or None"
        raise ValueError(f"Expected {expected}. Received: {name}={value!r}") from None


def mlp(
    input_shape: int | Sequence[int],
    hidden_units: int | Sequence[int] = (64,),
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    output_units: int = 1,
    output_activation: str | None = "sigmoid",
    name: str = "mlp",
) -> keras.Model:
    """Build a multi-layer perceptron (a stack of `Dense` layers).

    Inputs with more than one axis (e.g. 28x28 images) are flattened first.
    Each hidden layer is `Dense(units, activation)`, followed by `Dropout` when
    `dropout > 0`. The model is returned uncompiled.

    Args:
        input_shape: Shape of one example, without the batch axis, e.g. `30` or
            `(28, 28)`.
        hidden_units: Units of each hidden layer, e.g. `(64, 32)`. An empty
            tuple gives a model with no hidden layer (logistic or linear
            regression).
        activation: Activation of the hidden layers, any name Keras knows.
        dropout: Dropout rate after each hidden layer, in [0, 1).
        output_units: Units of the output layer: 1 for binary classification
            or regression, the number of classes for multi-class softmax.
        output_activation: Activation of the output layer: `"sigmoid"`
            (binary), `"softmax"` (multi-class) or `None` (regression, or
            logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import mlp
        >>> model = mlp(30, (32, 16), dropout=0.2)
        >>> [layer.name for layer in model.layers]
        ['input', 'hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output']
        >>> model.output_shape, model.count_params()
        ((None, 1), 1537)
        >>> mlp((28, 28), 128, output_units=10, output_activation="softmax").output_shape
        (None, 10)
        >>> mlp(30, hidden_units=-3)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive integer or a sequence of positive integers. Received: hidden_units=-3
    """
    input_shape = check_shape(input_shape, "input_shape")
    hidden_units = check_int_sequence(hidden_units, "hidden_units")
    _check_activation(activation, "activation", allow_none=False)
    dropout = check_rate(dropout, "dropout")
    output_units = check_positive_int(output_units, "output_units")
    _check_activation(output_activation, "output_activation", allow_none=True)
    name = check_non_empty_str(name, "name")

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) > 1:
        x = keras.layers.Flatten(name="flatten")(x)
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"hidden_{i}")(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    outputs = keras.layers.Dense(output_units, activation=output_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
