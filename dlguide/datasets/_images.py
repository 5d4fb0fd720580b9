"""Real photographs cut into labelled patches (the images ship in the scikit-image wheel)."""

from __future__ import annotations

import functools
import numbers

import numpy as np

from .._validation import check_non_negative_int, check_positive_int
from ._split import Split

_TEXTURE_CLASSES = ("brick", "grass", "gravel")


@functools.cache
def _texture_images() -> tuple[np.ndarray, ...]:
    try:
        from skimage import data
    except ImportError as error:  # pragma: no cover - scikit-image is a dependency
        raise ImportError(
            "This dataset ships with the `scikit-image` package, which is not installed. "
            "Install it with `pip install scikit-image`."
        ) from error
    return tuple(getattr(data, name)() for name in _TEXTURE_CLASSES)


def _patches(image: np.ndarray, rows: range, patch_size: int, strides: int) -> np.ndarray:
    """All patch_size x patch_size patches whose top-left corner is on the `strides` grid."""
    width = image.shape[1]
    return np.stack(
        [
            image[y : y + patch_size, x : x + patch_size]
            for y in rows
            for x in range(0, width - patch_size + 1, strides)
        ]
    )


def load_textures(
    *,
    patch_size: int = 32,
    strides: int | None = None,
    test_size: float = 0.25,
    seed: int = 0,
) -> Split:
    """Load square patches of three real texture photographs: brick, grass, gravel.

    The three 512x512 grey photographs ship with scikit-image (`data.brick()`,
    `data.grass()`, `data.gravel()`, all CC0). The task is to tell from a small
    patch which surface it shows. The split is **spatial**: the bottom
    `test_size` of every photograph is reserved for test patches and the rest
    for training patches, so no test pixel is ever seen in training, even
    when training patches overlap (`strides < patch_size`). A random split of
    overlapping patches would leak test pixels into training.

    Labels: 0 = brick, 1 = grass, 2 = gravel, in equal numbers.

    Args:
        patch_size: Side of the square patches, in pixels (8 to 128).
        strides: Step between neighbouring training patches; by default
            `patch_size` (no overlap). A smaller step gives more,
            overlapping training patches. Test patches never overlap.
        test_size: Fraction of each photograph's rows (at the bottom) held
            out for testing, a float in (0, 1).
        seed: Seed of the shuffle of the training patches (test patches stay
            in class order).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 patches of shape
        `(N, patch_size, patch_size)` with grey levels 0-255, and uint8
        labels 0-2.

    Raises:
        ValueError: If an argument is out of range, or the held-out or
            training part of the photographs is smaller than one patch.

    Examples:
        >>> import numpy as np
        >>> from dlguide.datasets import load_textures
        >>> (x_train, y_train), (x_test, y_test) = load_textures()
        >>> x_train.shape, x_test.shape, x_train.dtype
        ((576, 32, 32), (192, 32, 32), dtype('uint8'))
        >>> [int(n) for n in np.bincount(y_test)]
        [64, 64, 64]
        >>> # overlapping training patches
        >>> (x_train, _), _ = load_textures(strides=16)
        >>> x_train.shape
        (2139, 32, 32)
    """
    patch_size = check_positive_int(patch_size, "patch_size")
    if not 8 <= patch_size <= 128:
        raise ValueError(f"Expected an integer from 8 to 128. Received: patch_size={patch_size}")
    strides = check_positive_int(strides, "strides", allow_none=True) or patch_size
    if (
        isinstance(test_size, bool)
        or not isinstance(test_size, numbers.Real)
        or not 0 < test_size < 1
    ):
        raise ValueError(f"Expected a float in the range (0, 1). Received: test_size={test_size!r}")
    seed = check_non_negative_int(seed, "seed")

    images = _texture_images()
    height = images[0].shape[0]
    boundary = height - round(height * float(test_size))
    if boundary < patch_size or height - boundary < patch_size:
        raise ValueError(
            f"Expected test_size to leave at least one {patch_size}-pixel patch for training "
            f"and for testing in the {height}-pixel-high photographs. "
            f"Received: test_size={test_size!r}"
        )
    train_rows = range(0, boundary - patch_size + 1, strides)
    test_rows = range(boundary, height - patch_size + 1, patch_size)
    x_train, y_train, x_test, y_test = [], [], [], []
    for label, image in enumerate(images):
        train = _patches(image, train_rows, patch_size, strides)
        test = _patches(image, test_rows, patch_size, patch_size)
        x_train.append(train)
        y_train.append(np.full(len(train), label, dtype=np.uint8))
        x_test.append(test)
        y_test.append(np.full(len(test), label, dtype=np.uint8))
    order = np.random.default_rng(seed).permutation(sum(len(x) for x in x_train))
    return (
        (np.concatenate(x_train)[order], np.concatenate(y_train)[order]),
        (np.concatenate(x_test), np.concatenate(y_test)),
    )
