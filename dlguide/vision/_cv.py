"""Shared helpers of `dlguide.vision`: the lazy OpenCV import and image conversions.

The argument checks themselves live in `dlguide/_validation.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_image

_INSTALL_HINT = 'dlguide.vision needs OpenCV: pip install "dlguide[cv]"'


def _cv2() -> Any:
    """Import and return OpenCV, or raise an ImportError that names the fix."""
    try:
        import cv2
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error
    return cv2


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


def _image(value: Any, name: str = "image", *, uint8: bool = False) -> np.ndarray:
    """A checked image (see `check_image`) in a dtype OpenCV takes."""
    array = check_image(value, name, uint8=uint8)
    if array.dtype in (np.float16, np.int64, np.uint64, np.int32, np.uint32, np.int8):
        array = array.astype(np.float32)  # types OpenCV does not take directly
    return array
