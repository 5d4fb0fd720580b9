"""Shared helpers of `dlguide.vision`: the lazy OpenCV import and image checks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_choice

_INSTALL_HINT = 'dlguide.vision needs OpenCV: pip install "dlguide[cv]"'

COLORS = ("rgb", "bgr")


def _cv2() -> Any:
    """Import and return OpenCV, or raise an ImportError that names the fix."""
    try:
        import cv2
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error
    return cv2


def _check_path(value: Any, name: str) -> Path:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ValueError(f"Expected a file path (str or pathlib.Path). Received: {name}={value!r}")
    return Path(value)


def _check_image(value: Any, name: str = "image", *, uint8: bool = False) -> np.ndarray:
    """Return `value` as an array of shape (H, W) or (H, W, 3); (H, W, 1) is squeezed.

    With `uint8=True` the image must hold grey levels 0-255 as `uint8`, which
    several OpenCV functions (Canny, threshold, the cascades) require.
    """
    array = np.asarray(value)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if (
        array.ndim not in (2, 3)
        or (array.ndim == 3 and array.shape[2] != 3)
        or 0 in array.shape
        or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool)
    ):
        shape = getattr(array, "shape", None)
        raise ValueError(
            "Expected an image: a numeric array of shape (height, width) or "
            f"(height, width, 3). Received: {name} of shape {shape} and dtype {array.dtype}"
        )
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if uint8 and array.dtype != np.uint8:
        raise ValueError(
            "Expected a uint8 image with grey levels 0-255 (for a float image in [0, 1] "
            f"use (image * 255).astype('uint8')). Received: {name}.dtype={array.dtype}"
        )
    if array.dtype in (np.float16, np.int64, np.uint64, np.int32, np.uint32, np.int8):
        array = array.astype(np.float32)  # types OpenCV does not take directly
    return array


def _check_color(value: Any, name: str = "color") -> str:
    return check_choice(value, name, COLORS)


def _to_gray(image: np.ndarray, color: str) -> np.ndarray:
    """An (H, W) or (H, W, 3) image as (H, W) grey levels."""
    if image.ndim == 2:
        return image
    cv2 = _cv2()
    code = cv2.COLOR_RGB2GRAY if color == "rgb" else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


def _to_rgb_canvas(image: np.ndarray) -> np.ndarray:
    """A copy of an (H, W) or (H, W, 3) uint8 image with 3 channels, to draw on in colour."""
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image).copy()


def _check_rgb_tuple(value: Any, name: str) -> tuple[int, int, int]:
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 3
        or not all(isinstance(v, (int, np.integer)) and 0 <= v <= 255 for v in value)
    ):
        raise ValueError(
            f"Expected a colour as 3 integers in 0-255, e.g. (255, 0, 0). Received: {name}={value!r}"
        )
    return (int(value[0]), int(value[1]), int(value[2]))


def _check_thickness(value: Any) -> int:
    if (
        not isinstance(value, (int, np.integer))
        or isinstance(value, bool)
        or not (value > 0 or value == -1)
    ):
        raise ValueError(
            f"Expected a positive integer, or -1 to fill the shape. Received: thickness={value!r}"
        )
    return int(value)
