"""Data augmentation pipeline from Keras preprocessing layers."""

from __future__ import annotations

import keras

from .._validation import check_choice, check_non_empty_str, check_rate, check_seed

_FLIPS = (None, "horizontal", "vertical", "horizontal_and_vertical")
_FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def augmentation(
    *,
    flip: str | None = None,
    rotation: float = 0.1,
    zoom: float = 0.1,
    translation: float = 0.1,
    fill_mode: str = "reflect",
    seed: int | None = None,
    name: str = "augmentation",
) -> keras.Sequential:
    """Build a data-augmentation pipeline: random flips, rotations, zooms and shifts.

    The result is a `keras.Sequential` of Keras preprocessing layers
    (`RandomFlip`, `RandomRotation`, `RandomZoom`, `RandomTranslation`; a
    factor of 0 leaves its layer out). Put it right after the model's input:
    the layers transform each batch differently during `fit` and do nothing
    in `predict` and `evaluate`, so the model sees new variants of the
    training images every epoch while the test images stay untouched.

    Args:
        flip: `None` (no flip, right for digits and text), `"horizontal"`
            (left-right, fine for most photos), `"vertical"` or
            `"horizontal_and_vertical"`.
        rotation: Largest rotation, as a fraction of a full turn: `0.1` is up
            to 36 degrees either way. In [0, 1).
        zoom: Largest zoom in or out, as a fraction of the size. In [0, 1).
        translation: Largest shift, as a fraction of the height and width.
            In [0, 1).
        fill_mode: How the pixels that enter the image are filled:
            `"reflect"` (Keras' default), `"wrap"`, `"nearest"` or
            `"constant"` (zeros: right for digits on a black background).
        seed: Seed of the random transformations (each layer gets `seed + i`),
            or `None`.
        name: Name of the returned `Sequential`.

    Returns:
        An unbuilt `keras.Sequential` that maps a batch of images
        `(batch, height, width, channels)` to a batch of the same shape.

    Raises:
        ValueError: If any argument is invalid, or every transformation is
            switched off.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import augmentation
        >>> augment = augmentation(rotation=0.05, fill_mode="constant", seed=0)
        >>> [layer.name for layer in augment.layers]
        ['random_rotation', 'random_zoom', 'random_translation']
        >>> images = np.random.default_rng(0).uniform(size=(4, 28, 28, 1))
        >>> images = images.astype("float32")
        >>> tuple(augment(images, training=True).shape)
        (4, 28, 28, 1)
        >>> # identity at inference
        >>> bool(np.allclose(augment(images, training=False), images))
        True
        >>> augmentation(rotation=45)
        Traceback (most recent call last):
        ...
        ValueError: Expected a float in the range [0, 1). Received: rotation=45
    """
    flip = check_choice(flip, "flip", _FLIPS)
    rotation = check_rate(rotation, "rotation")
    zoom = check_rate(zoom, "zoom")
    translation = check_rate(translation, "translation")
    fill_mode = check_choice(fill_mode, "fill_mode", _FILL_MODES)
    seed = check_seed(seed)
    name = check_non_empty_str(name, "name")

    def next_seed() -> int | None:
        nonlocal seed
        if seed is None:
            return None
        seed += 1
        return seed - 1

    layers: list[keras.layers.Layer] = []
    if flip is not None:
        layers.append(keras.layers.RandomFlip(flip, seed=next_seed(), name="random_flip"))
    if rotation > 0:
        layers.append(
            keras.layers.RandomRotation(
                rotation, fill_mode=fill_mode, seed=next_seed(), name="random_rotation"
            )
        )
    if zoom > 0:
        layers.append(
            keras.layers.RandomZoom(zoom, fill_mode=fill_mode, seed=next_seed(), name="random_zoom")
        )
    if translation > 0:
        layers.append(
            keras.layers.RandomTranslation(
                translation,
                translation,
                fill_mode=fill_mode,
                seed=next_seed(),
                name="random_translation",
            )
        )
    if not layers:
        raise ValueError(
            "Expected at least one transformation (a flip, or a rotation, zoom or "
            "translation factor > 0). Received: flip=None, rotation=0.0, zoom=0.0, "
            "translation=0.0"
        )
    return keras.Sequential(layers, name=name)
