"""Vision transformer (Dosovitskiy et al., 2020): an image as a sequence of patches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from .._validation import (
    check_head,
    check_image_shape,
    check_non_empty_str,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from ._transformer import _blocks


@keras.saving.register_keras_serializable(package="dlguide")
class ClassTokenAndPosition(keras.layers.Layer):
    """Prepend a learned class token to a sequence and add learned position embeddings.

    The input of a vision transformer's blocks: the patch vectors
    `(batch, num_patches, width)` become `(batch, num_patches + 1, width)`,
    token 0 being the class token, whose final vector the head reads.

    It takes the standard layer arguments (`name`, `dtype`, ...).

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import ClassTokenAndPosition
        >>> layer = ClassTokenAndPosition()
        >>> tuple(layer(np.zeros((2, 16, 8), "float32")).shape)
        (2, 17, 8)
        >>> layer.count_params()  # a token (8) and 17 positions (17 * 8)
        144
    """

    def build(self, inputs_shape: Any) -> None:
        steps, width = inputs_shape[-2], inputs_shape[-1]
        if steps is None or width is None:
            raise ValueError(
                f"Expected inputs with a known number of steps and width. Received: {inputs_shape}"
            )
        self.class_token = self.add_weight(
            shape=(1, 1, width), initializer="zeros", name="class_token"
        )
        self.position_embedding = self.add_weight(
            shape=(1, steps + 1, width),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
            name="position_embedding",
        )
        self.built = True

    def call(self, inputs: Any) -> Any:
        token = ops.broadcast_to(
            ops.cast(self.class_token, inputs.dtype), (ops.shape(inputs)[0], 1, inputs.shape[-1])
        )
        x = ops.concatenate([token, inputs], axis=1)
        return x + ops.cast(self.position_embedding, inputs.dtype)

    def compute_output_shape(self, inputs_shape: Any) -> tuple[Any, ...]:
        return (inputs_shape[0], inputs_shape[1] + 1, inputs_shape[2])

    def get_config(self) -> dict[str, Any]:
        return super().get_config()


def vit(
    input_shape: Sequence[int],
    *,
    patch_size: int = 4,
    embedding_dim: int = 32,
    num_heads: int = 4,
    ff_dim: int | None = None,
    num_blocks: int = 2,
    dropout: float = 0.0,
    rescale: float | None = None,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "vit",
) -> keras.Model:
    """Build a vision transformer (ViT): patches, a class token, transformer blocks.

    The image is cut into non-overlapping `patch_size x patch_size` patches,
    each mapped to an `embedding_dim` vector by one linear layer (a `Conv2D`
    with `strides=patch_size`, layer `patches`, then `flatten_patches`).
    `ClassTokenAndPosition` (layer `embedding`) prepends the class token and
    adds learned positions; `num_blocks` pre-norm encoder `TransformerBlock`s
    (`block_1`, ...) and `final_norm` follow; the head (`output`) reads the
    class token's final vector (`class_token` keeps token 0,
    `class_vector` drops its axis).

    Args:
        input_shape: `(height, width)` or `(height, width, channels)`; both
            sides divisible by `patch_size`.
        patch_size: Side of each square patch.
        embedding_dim: Width of the model.
        num_heads: Attention heads per block; must divide `embedding_dim`.
        ff_dim: Hidden units of each feed-forward network;
            `2 * embedding_dim` by default (small data).
        num_blocks: Number of transformer blocks.
        dropout: Dropout rate in the blocks, in [0, 1).
        rescale: If given, a `Rescaling(rescale)` layer comes first.
        classes: Number of output units.
        classifier_activation: Activation of the head: `"softmax"` (the
            default), `"sigmoid"` (with `classes=1`) or `None` (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid, or the image is not made of
            whole patches.

    Examples:
        >>> from dlguide.models import vit
        >>> model = vit((28, 28), patch_size=7, classes=10)
        >>> names = [layer.name for layer in model.layers]
        >>> print(*names[2:7])
        patches flatten_patches embedding block_1 block_2
        >>> print(*names[7:])
        final_norm class_token class_vector output
        >>> # 16 patches + the class token
        >>> model.get_layer("embedding").output.shape
        (None, 17, 32)
        >>> model.count_params()
        19658
        >>> vit((28, 28), patch_size=5, classes=10)
        Traceback (most recent call last):
        ...
        ValueError: Expected an image whose sides are multiples of patch_size=5. Received: input_shape=(28, 28)
    """
    height, width, channels = check_image_shape(input_shape)
    input_shape = tuple(input_shape)
    patch_size = check_positive_int(patch_size, "patch_size")
    if height % patch_size or width % patch_size:
        raise ValueError(
            f"Expected an image whose sides are multiples of patch_size={patch_size}. "
            f"Received: input_shape={input_shape!r}"
        )
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    num_heads = check_positive_int(num_heads, "num_heads")
    if embedding_dim % num_heads:
        raise ValueError(
            f"Expected embedding_dim divisible by num_heads={num_heads}. "
            f"Received: embedding_dim={embedding_dim}"
        )
    ff_dim = 2 * embedding_dim if ff_dim is None else check_positive_int(ff_dim, "ff_dim")
    num_blocks = check_positive_int(num_blocks, "num_blocks")
    dropout = check_rate(dropout, "dropout")
    rescale = check_positive_float(rescale, "rescale", allow_none=True)
    classes, classifier_activation = check_head(classes, classifier_activation)
    name = check_non_empty_str(name, "name")

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 2:
        x = keras.layers.Reshape((height, width, channels), name="add_channel")(x)
    if rescale is not None:
        x = keras.layers.Rescaling(rescale, name="rescaling")(x)
    x = keras.layers.Conv2D(embedding_dim, patch_size, strides=patch_size, name="patches")(x)
    num_patches = (height // patch_size) * (width // patch_size)
    x = keras.layers.Reshape((num_patches, embedding_dim), name="flatten_patches")(x)
    x = ClassTokenAndPosition(name="embedding")(x)
    x = _blocks(
        x,
        num_blocks,
        num_heads=num_heads,
        ff_dim=ff_dim,
        dropout=dropout,
        positions="learned",
        norm_first=True,
        causal=False,
    )
    x = keras.layers.Cropping1D((0, num_patches), name="class_token")(x)
    x = keras.layers.Flatten(name="class_vector")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)
