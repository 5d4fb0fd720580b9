"""Convolutional network builder."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._shapes import output_length
from .._validation import (
    check_activation,
    check_bool,
    check_choice,
    check_head,
    check_image_shape,
    check_int_pair,
    check_int_sequence,
    check_non_empty_str,
    check_positive_float,
    check_rate,
)

_POOLINGS = ("max", "average", None)
_HEADS = ("flatten", "global_average")
_PADDINGS = ("valid", "same")


def _image_input(
    input_shape: tuple[int, ...], rescale: float | None
) -> tuple[keras.KerasTensor, keras.KerasTensor]:
    """The `Input` (with a channel axis added if needed) and an optional `Rescaling`."""
    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 2:
        x = keras.layers.Reshape((*input_shape, 1), name="add_channel")(x)
    if rescale is not None:
        x = keras.layers.Rescaling(rescale, name="rescaling")(x)
    return inputs, x


def cnn(
    input_shape: Sequence[int],
    *,
    filters: int | Sequence[int] = (32, 64),
    kernel_size: int | tuple[int, int] = 3,
    strides: int | tuple[int, int] = 1,
    padding: str = "same",
    pooling: str | None = "max",
    pool_size: int | tuple[int, int] = 2,
    batch_norm: bool = False,
    dropout: float = 0.0,
    head: str = "flatten",
    dense_units: int | Sequence[int] = (),
    activation: str = "relu",
    rescale: float | None = None,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "cnn",
) -> keras.Model:
    """Build a convolutional classifier: conv blocks, then a dense head.

    Block `i` (one per entry of `filters`) is `conv_i` (a `Conv2D`), then, if
    `batch_norm`, `bn_i` (`BatchNormalization`) and the activation `act_i`
    (the convolution then has no bias and no activation of its own), then
    `pool_i` (`MaxPooling2D` or `AveragePooling2D` with `padding="valid"`).
    The head is `flatten` (`Flatten`) or `global_pool`
    (`GlobalAveragePooling2D`), then one `dense_i` layer per entry of
    `dense_units`, then `output`: `classes` units with
    `classifier_activation`. When `dropout > 0`, a `dropout_i` layer comes
    before each dense layer and before the output layer.

    Args:
        input_shape: Shape of one image: `(height, width)` (a channel axis is
            added by a `Reshape` layer, so MNIST's `(28, 28)` arrays can be fed
            as they are) or `(height, width, channels)`.
        filters: Number of filters of each conv block, e.g. `(32, 64)`.
        kernel_size: Kernel size of every convolution, an int or a pair.
        strides: Stride of every convolution, an int or a pair.
        padding: Padding of every convolution, `"same"` or `"valid"`.
        pooling: `"max"`, `"average"` or `None` (no pooling layer).
        pool_size: Window (and stride) of the pooling layers, an int or a pair.
        batch_norm: Add batch normalisation after each convolution.
        dropout: Dropout rate in [0, 1) for the head.
        head: `"flatten"` (all positions of the last feature maps go to the
            dense layers) or `"global_average"` (one average per channel, far
            fewer parameters).
        dense_units: Units of hidden dense layers between the head and the
            output, e.g. `(128,)`; empty for none.
        activation: Activation of the convolutions and hidden dense layers.
        rescale: If given, a `Rescaling(rescale)` layer comes first, e.g.
            `1/255` to feed raw `uint8` pixels.
        classes: Number of output units: the number of classes, or 1 for
            binary classification.
        classifier_activation: Activation of the output layer: `"softmax"`
            (the default), `"sigmoid"` (binary, with `classes=1`) or `None`
            (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid, or the image is too small for
            the requested convolutions and poolings.

    Examples:
        >>> from dlguide.models import cnn
        >>> model = cnn((28, 28), rescale=1 / 255, classes=10)
        >>> print(*[layer.name for layer in model.layers])
        input add_channel rescaling conv_1 pool_1 conv_2 pool_2 flatten output
        >>> model.get_layer("pool_2").output.shape, model.output_shape
        ((None, 7, 7, 64), (None, 10))
        >>> model.count_params()
        50186
        >>> cnn((32, 32, 3), head="global_average", batch_norm=True, classes=1,
        ...     classifier_activation="sigmoid").count_params()
        19745
        >>> cnn((28, 28), pooling="avg", classes=10)
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'max', 'average', None. Received: pooling='avg'
    """
    image_shape = check_image_shape(input_shape)
    input_shape = tuple(input_shape)
    filters = check_int_sequence(filters, "filters")
    kernel = check_int_pair(kernel_size, "kernel_size")
    conv_strides = check_int_pair(strides, "strides")
    padding = check_choice(padding, "padding", _PADDINGS)
    pooling = check_choice(pooling, "pooling", _POOLINGS)
    pool = check_int_pair(pool_size, "pool_size")
    batch_norm = check_bool(batch_norm, "batch_norm")
    dropout = check_rate(dropout, "dropout")
    head = check_choice(head, "head", _HEADS)
    dense_units = check_int_sequence(dense_units, "dense_units")
    check_activation(activation, "activation")
    rescale = check_positive_float(rescale, "rescale", allow_none=True)
    classes, classifier_activation = check_head(classes, classifier_activation)
    name = check_non_empty_str(name, "name")

    # Walk the spatial shape first, so that a too-small image is a clear error.
    size = image_shape[:2]
    for i in range(1, len(filters) + 1):
        size = tuple(
            output_length(n, k, s, padding)
            for n, k, s in zip(size, kernel, conv_strides, strict=True)
        )
        if min(size) >= 1 and pooling is not None:
            size = tuple(output_length(n, p, p, "valid") for n, p in zip(size, pool, strict=True))
        if min(size) < 1:
            raise ValueError(
                f"Expected an image large enough for {len(filters)} conv blocks; block {i} "
                f"leaves nothing (kernel_size={kernel_size!r}, strides={strides!r}, "
                f"padding={padding!r}, pool_size={pool_size!r}). Received: "
                f"input_shape={input_shape!r}"
            )

    inputs, x = _image_input(input_shape, rescale)
    for i, num_filters in enumerate(filters, start=1):
        x = keras.layers.Conv2D(
            num_filters,
            kernel,
            strides=conv_strides,
            padding=padding,
            activation=None if batch_norm else activation,
            use_bias=not batch_norm,
            name=f"conv_{i}",
        )(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"bn_{i}")(x)
            x = keras.layers.Activation(activation, name=f"act_{i}")(x)
        if pooling == "max":
            x = keras.layers.MaxPooling2D(pool, name=f"pool_{i}")(x)
        elif pooling == "average":
            x = keras.layers.AveragePooling2D(pool, name=f"pool_{i}")(x)
    if head == "flatten":
        x = keras.layers.Flatten(name="flatten")(x)
    else:
        x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    for i, units in enumerate(dense_units, start=1):
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
        x = keras.layers.Dense(units, activation=activation, name=f"dense_{i}")(x)
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name=f"dropout_{len(dense_units) + 1}")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
