"""Edges, thresholds and contours: from pixels to shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import (
    check_bool,
    check_choice,
    check_color_order,
    check_non_negative_float,
    check_real,
    check_rgb,
    check_thickness,
)
from ._cv import _cv2, _image, _to_gray, _to_rgb_canvas

_THRESHOLD_METHODS = ("fixed", "otsu")
_CONTOUR_MODES = ("external", "all")


def canny(image: Any, low: float = 100, high: float = 200, *, color: str = "rgb") -> np.ndarray:
    """Find edges with the Canny detector.

    Canny computes the intensity gradient, keeps only the local maxima along
    its direction (thin edges), and then applies two thresholds: pixels with
    gradient above `high` are edges, pixels between `low` and `high` are edges
    only if they connect to a strong edge ("hysteresis").

    Args:
        image: `uint8` grey `(height, width)` or colour `(height, width, 3)`
            image; colour is converted to grey first. Blurring it first (see
            `blur`) removes edges caused by noise.
        low: Lower hysteresis threshold on the gradient magnitude.
        high: Upper threshold, `>= low`.
        color: Channel order of a colour `image`: `"rgb"` or `"bgr"`.

    Returns:
        A `(height, width)` `uint8` array: 255 on edges, 0 elsewhere.

    Raises:
        ValueError: If the image is not `uint8` or the thresholds are not
            `0 <= low <= high`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import canny
        >>> image = np.zeros((8, 8), dtype=np.uint8)
        >>> image[:, 4:] = 200  # a vertical step from black to grey
        >>> edges = canny(image)
        >>> edges.shape, sorted(np.unique(edges).tolist())
        ((8, 8), [0, 255])
        >>> np.flatnonzero(edges[4]).tolist()  # a one-pixel-wide edge at the step
        [3]
    """
    array = _image(image, uint8=True)
    low = check_non_negative_float(low, "low")
    high = check_non_negative_float(high, "high")
    if high < low:
        raise ValueError(f"Expected low <= high. Received: low={low}, high={high}")
    color = check_color_order(color)
    return _cv2().Canny(_to_gray(array, color), low, high)


def threshold(
    image: Any,
    value: float = 127,
    *,
    method: str = "fixed",
    inverse: bool = False,
    color: str = "rgb",
) -> tuple[float, np.ndarray]:
    """Split an image into foreground (255) and background (0) by grey level.

    With `method="otsu"`, `value` is ignored and Otsu's method picks the
    threshold itself: the grey level that best separates the histogram into
    two groups (it minimises the spread within each group).

    Args:
        image: `uint8` grey or colour image (colour is converted to grey).
        value: Grey level for `method="fixed"`, in [0, 255): pixels brighter
            than `value` become 255.
        method: `"fixed"` or `"otsu"`.
        inverse: If `True`, dark pixels become the 255 foreground instead.
        color: Channel order of a colour `image`: `"rgb"` or `"bgr"`.

    Returns:
        `(threshold_used, mask)`: the grey level used (Otsu's choice, or
        `value`) and a `(height, width)` `uint8` mask of 0 and 255.

    Raises:
        ValueError: If the image is not `uint8`, `value` is not a grey level
            below 255, or an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import threshold
        >>> image = np.array([[10, 20, 200], [30, 220, 240]], dtype=np.uint8)
        >>> t, mask = threshold(image, 100)
        >>> t, mask.tolist()
        (100.0, [[0, 0, 255], [0, 255, 255]])
        >>> # Otsu finds a level between the groups
        >>> t, mask = threshold(image, method="otsu")
        >>> 30 <= t < 200, mask.tolist()
        (True, [[0, 0, 255], [0, 255, 255]])
        >>> threshold(image, 300)
        Traceback (most recent call last):
        ...
        ValueError: Expected a grey level in the range [0, 255) for a uint8 image (at 255 or above the mask is all background). Received: value=300.0
    """
    array = _image(image, uint8=True)
    method = check_choice(method, "method", _THRESHOLD_METHODS)
    value = check_real(value, "value")
    if method == "fixed" and not 0 <= value < 255:
        # A uint8 image has grey levels 0-255: at 255 or above every pixel is background.
        raise ValueError(
            "Expected a grey level in the range [0, 255) for a uint8 image (at 255 or "
            f"above the mask is all background). Received: value={value!r}"
        )
    inverse = check_bool(inverse, "inverse")
    color = check_color_order(color)
    cv2 = _cv2()
    flags = cv2.THRESH_BINARY_INV if inverse else cv2.THRESH_BINARY
    if method == "otsu":
        flags |= cv2.THRESH_OTSU
        value = 0.0
    used, mask = cv2.threshold(_to_gray(array, color), value, 255, flags)
    return float(used), mask


def find_contours(mask: Any, *, mode: str = "external", min_area: float = 0.0) -> list[np.ndarray]:
    """Find the outlines of the white regions of a binary mask, largest first.

    Args:
        mask: `(height, width)` array; every non-zero pixel is foreground
            (e.g. the mask from `threshold`, or a boolean array).
        mode: `"external"` keeps only outer outlines; `"all"` also returns
            the outlines of holes.
        min_area: Drop contours that enclose less than this many pixels
            (specks of noise).

    Returns:
        A list of contours sorted by enclosed area, largest first. Each is an
        `int32` array of shape `(num_points, 1, 2)` holding `(x, y)` points,
        OpenCV's own format, so it can be passed to `cv2.contourArea`,
        `cv2.boundingRect` and `draw_contours`.

    Raises:
        ValueError: If `mask` is not a 2-D array or an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> import cv2
        >>> from dlguide.vision import find_contours
        >>> mask = np.zeros((20, 30), dtype=np.uint8)
        >>> mask[2:8, 2:8] = 255      # a 6x6 square
        >>> mask[10:18, 12:28] = 255  # an 8x16 rectangle
        >>> contours = find_contours(mask)
        >>> len(contours), [cv2.boundingRect(c) for c in contours]
        (2, [(12, 10, 16, 8), (2, 2, 6, 6)])
        >>> len(find_contours(mask, min_area=50))
        1
    """
    array = _image(mask, "mask")
    if array.ndim != 2:
        raise ValueError(
            f"Expected a 2-D mask of shape (height, width). Received: mask.shape={array.shape}"
        )
    mode = check_choice(mode, "mode", _CONTOUR_MODES)
    min_area = check_non_negative_float(min_area, "min_area")
    cv2 = _cv2()
    binary = (array != 0).astype(np.uint8)
    retrieval = cv2.RETR_EXTERNAL if mode == "external" else cv2.RETR_LIST
    contours, _ = cv2.findContours(binary, retrieval, cv2.CHAIN_APPROX_SIMPLE)
    areas = [cv2.contourArea(c) for c in contours]
    kept = [(a, c) for a, c in zip(areas, contours, strict=True) if a >= min_area]
    kept.sort(key=lambda item: item[0], reverse=True)
    return [c for _, c in kept]


def draw_contours(
    image: Any,
    contours: Sequence[Any],
    *,
    color: Sequence[int] = (255, 0, 0),
    thickness: int = 2,
) -> np.ndarray:
    """Draw contours on a copy of an image (grey images are turned into colour).

    Args:
        image: `uint8` `(height, width)` or RGB `(height, width, 3)` image.
        contours: A list of contours as returned by `find_contours` (or
            OpenCV), or a single contour array.
        color: Line colour as `(R, G, B)`, red by default.
        thickness: Line width in pixels, or -1 to fill each contour.

    Returns:
        A new `(height, width, 3)` `uint8` image; the input is not modified.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import draw_contours, find_contours
        >>> mask = np.zeros((10, 10), dtype=np.uint8)
        >>> mask[3:7, 3:7] = 255
        >>> drawn = draw_contours(mask, find_contours(mask), thickness=1)
        >>> drawn.shape, drawn[3, 3].tolist(), drawn[0, 0].tolist()
        ((10, 10, 3), [255, 0, 0], [0, 0, 0])
    """
    canvas = _to_rgb_canvas(_image(image, uint8=True))
    color = check_rgb(color, "color")
    thickness = check_thickness(thickness)
    if isinstance(contours, np.ndarray):  # one contour, not a list of them
        contours = [contours]
    try:
        shapes = [np.asarray(c, dtype=np.int32).reshape(-1, 1, 2) for c in contours]
    except (TypeError, ValueError):
        raise ValueError(
            "Expected a list of contours, each an array of (x, y) points. "
            f"Received: contours={contours!r}"
        ) from None
    return _cv2().drawContours(canvas, shapes, -1, color, thickness)
