"""Residual blocks and a small ResNet."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._validation import (
    check_bool,
    check_head,
    check_image_shape,
    check_int_pair,
    check_int_sequence,
    check_non_empty_str,
    check_positive_float,
    check_positive_int,
)
from ._cnn import _image_input


def _conv_bn_relu_names(name: str | None) -> dict[str, str | None]:
    parts = ("conv1", "bn1", "relu1", "conv2", "bn2", "shortcut", "shortcut_bn", "add", "out")
    return {p: (f"{name}_{p}" if name else None) for p in parts}


def residual_block(
    x: keras.KerasTensor,
    filters: int,
    *,
    strides: int | tuple[int, int] = 1,
    batch_norm: bool = True,
    use_skip: bool = True,
    name: str | None = None,
) -> keras.KerasTensor:
    """Apply a basic residual block (He et al., 2016) to a functional tensor.

    The block computes $\\text{relu}(F(x) + x)$ where $F$ is two 3x3
    convolutions (`conv1`, `bn1`, `relu1`, `conv2`, `bn2`). The skip
    connection `x` is the input itself, or, when the number of channels or the
    stride changes, a 1x1 convolution `shortcut` (and `shortcut_bn`) that
    brings it to the same shape. With `use_skip=False` the block is the
    same stack of convolutions without the addition: a plain block, for
    comparisons.

    Args:
        x: A 4-D functional tensor `(batch, height, width, channels)`, e.g.
            the output of a `Conv2D` applied to `keras.Input(...)`.
        filters: Number of filters of both convolutions (channels out).
        strides: Stride of the first convolution (and of the shortcut); 2
            halves the height and width.
        batch_norm: Add batch normalisation after each convolution.
        use_skip: Add the skip connection (`False` gives a plain block).
        name: Prefix of the layer names, e.g. `"block_1"` gives `block_1_conv1`,
            ..., `block_1_out`; `None` lets Keras name them.

    Returns:
        The output tensor, shape `(batch, height / strides, width / strides,
        filters)` (rounded up).

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import keras
        >>> from dlguide.models import residual_block
        >>> inputs = keras.Input((28, 28, 16))
        >>> residual_block(inputs, 16, name="same_shape").shape  # identity skip
        (None, 28, 28, 16)
        >>> y = residual_block(inputs, 32, strides=2, name="down")  # 1x1 conv skip
        >>> y.shape
        (None, 14, 14, 32)
        >>> model = keras.Model(inputs, y)
        >>> [layer.name for layer in model.layers if "shortcut" in layer.name]
        ['down_shortcut', 'down_shortcut_bn']
    """
    if not isinstance(x, keras.KerasTensor) or len(x.shape) != 4:
        raise ValueError(
            "Expected a 4-D functional tensor (batch, height, width, channels), the output "
            f"of a layer applied to keras.Input(...). Received: x={x!r}"
        )
    filters = check_positive_int(filters, "filters")
    strides = check_int_pair(strides, "strides")
    batch_norm = check_bool(batch_norm, "batch_norm")
    use_skip = check_bool(use_skip, "use_skip")
    name = check_non_empty_str(name, "name", allow_none=True)
    n = _conv_bn_relu_names(name)

    y = keras.layers.Conv2D(
        filters, 3, strides=strides, padding="same", use_bias=not batch_norm, name=n["conv1"]
    )(x)
    if batch_norm:
        y = keras.layers.BatchNormalization(name=n["bn1"])(y)
    y = keras.layers.Activation("relu", name=n["relu1"])(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=not batch_norm, name=n["conv2"])(y)
    if batch_norm:
        y = keras.layers.BatchNormalization(name=n["bn2"])(y)
    if use_skip:
        shortcut = x
        if strides != (1, 1) or x.shape[-1] != filters:
            shortcut = keras.layers.Conv2D(
                filters, 1, strides=strides, use_bias=not batch_norm, name=n["shortcut"]
            )(x)
            if batch_norm:
                shortcut = keras.layers.BatchNormalization(name=n["shortcut_bn"])(shortcut)
        y = keras.layers.Add(name=n["add"])([y, shortcut])
    return keras.layers.Activation("relu", name=n["out"])(y)


def resnet(
    input_shape: Sequence[int],
    *,
    stage_filters: int | Sequence[int] = (16, 32, 64),
    blocks_per_stage: int = 2,
    use_skip: bool = True,
    batch_norm: bool = True,
    rescale: float | None = None,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "resnet",
) -> keras.Model:
    """Build a small ResNet for images: a stem, stages of residual blocks, a pooled head.

    The stem is a 3x3 `Conv2D` (`stem_conv`, with `stem_bn` and `stem_relu`)
    with `stage_filters[0]` filters. Stage `s` (1-based) has
    `blocks_per_stage` calls of `residual_block`, named `stage{s}_block{b}`;
    the first block of every stage after the first has stride 2 (halving the
    height and width while the filters grow). The head is global average
    pooling (`global_pool`) and the `output` layer. The network has
    `2 * len(stage_filters) * blocks_per_stage + 1` convolutions on its main
    path; with `use_skip=False` it is the same network without skip
    connections (a "plain" CNN of the same depth).

    Args:
        input_shape: `(height, width)` (a channel axis is added) or
            `(height, width, channels)`.
        stage_filters: Filters of each stage, e.g. `(16, 32, 64)`.
        blocks_per_stage: Residual blocks per stage.
        use_skip: Use skip connections (`False` gives the plain network).
        batch_norm: Batch normalisation after every convolution.
        rescale: If given, a `Rescaling(rescale)` layer comes first, e.g.
            `1/255`.
        classes: Number of output units: the number of classes, or 1 for
            binary classification.
        classifier_activation: Activation of the output layer: `"softmax"`
            (the default), `"sigmoid"` (binary, with `classes=1`) or `None`
            (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import resnet
        >>> model = resnet((28, 28), classes=10)
        >>> model.get_layer("stage3_block1_out").output.shape, model.output_shape
        ((None, 7, 7, 64), (None, 10))
        >>> sum("conv" in layer.name and "shortcut" not in layer.name
        ...     for layer in model.layers)
        13
        >>> plain = resnet((28, 28), use_skip=False, classes=10)
        >>> model.count_params(), plain.count_params()
        (176090, 173146)
    """
    image_shape = check_image_shape(input_shape)
    input_shape = tuple(input_shape)
    stage_filters = check_int_sequence(stage_filters, "stage_filters", non_empty=True)
    blocks_per_stage = check_positive_int(blocks_per_stage, "blocks_per_stage")
    use_skip = check_bool(use_skip, "use_skip")
    batch_norm = check_bool(batch_norm, "batch_norm")
    rescale = check_positive_float(rescale, "rescale", allow_none=True)
    classes, classifier_activation = check_head(classes, classifier_activation)
    name = check_non_empty_str(name, "name")
    min_size = 2 ** (len(stage_filters) - 1)
    if min(image_shape[:2]) < min_size:
        raise ValueError(
            f"Expected an image of at least {min_size}x{min_size} pixels for "
            f"{len(stage_filters)} stages. Received: input_shape={input_shape!r}"
        )

    inputs, x = _image_input(input_shape, rescale)
    x = keras.layers.Conv2D(
        stage_filters[0], 3, padding="same", use_bias=not batch_norm, name="stem_conv"
    )(x)
    if batch_norm:
        x = keras.layers.BatchNormalization(name="stem_bn")(x)
    x = keras.layers.Activation("relu", name="stem_relu")(x)
    for s, filters in enumerate(stage_filters, start=1):
        for b in range(1, blocks_per_stage + 1):
            strides = 2 if s > 1 and b == 1 else 1
            x = residual_block(
                x,
                filters,
                strides=strides,
                batch_norm=batch_norm,
                use_skip=use_skip,
                name=f"stage{s}_block{b}",
            )
    x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
