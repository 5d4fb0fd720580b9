"""Multi-layer perceptron builder."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._validation import (
    check_activation,
    check_head,
    check_int_sequence,
    check_non_empty_str,
    check_rate,
    check_shape,
)


def mlp(
    input_shape: int | Sequence[int],
    hidden_units: int | Sequence[int] = (64,),
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    classes: int,
    classifier_activation: str | None = "softmax",
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
        classes: Number of output units: the number of classes, or 1 for
            binary classification or a single regression target.
        classifier_activation: Activation of the output layer: `"softmax"`
            (the default, multi-class), `"sigmoid"` (binary, with
            `classes=1`) or `None` (a linear output: regression, or logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import mlp
        >>> model = mlp(30, (32, 16), dropout=0.2, classes=1,
        ...             classifier_activation="sigmoid")
        >>> [layer.name for layer in model.layers]
        ['input', 'hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output']
        >>> model.output_shape, model.count_params()
        ((None, 1), 1537)
        >>> mlp((28, 28), 128, classes=10).output_shape
        (None, 10)
        >>> mlp(30, hidden_units=-3, classes=1)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive integer or a sequence of positive integers. Received: hidden_units=-3
    """
    input_shape = check_shape(input_shape, "input_shape")
    hidden_units = check_int_sequence(hidden_units, "hidden_units")
    check_activation(activation, "activation")
    dropout = check_rate(dropout, "dropout")
    classes, classifier_activation = check_head(classes, classifier_activation)
    name = check_non_empty_str(name, "name")

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) > 1:
        x = keras.layers.Flatten(name="flatten")(x)
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"hidden_{i}")(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
