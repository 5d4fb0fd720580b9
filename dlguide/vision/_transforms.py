"""Pixel-level transforms: resize, grayscale, normalise, blur."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import check_choice, check_color_order, check_positive_int
from ._cv import _cv2, _image, _to_gray

_INTERPOLATIONS = ("area", "cubic", "linear", "nearest")
_NORMALIZE_METHODS = ("scale", "minmax", "standardize")
_BLUR_METHODS = ("gaussian", "box", "median")


def resize(image: Any, size: int | Sequence[int], *, interpolation: str = "area") -> np.ndarray:
    """Resize an image to `(height, width)`, the order NumPy and Keras use.

    `cv2.resize` itself takes `(width, height)`, a classic source of swapped
    axes; this wrapper takes the NumPy order and converts.

    Args:
        image: `(height, width)` or `(height, width, 3)` array.
        size: `(height, width)` of the result, or one int for a square.
        interpolation: `"area"` (best for shrinking), `"linear"`, `"cubic"`
            (smooth enlarging) or `"nearest"` (keeps the exact pixel values,
            e.g. for label masks).

    Returns:
        The resized image, same dtype and number of channels.

    Raises:
        ValueError: If `size` is not one or two positive integers, or an
            argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import resize
        >>> image = np.zeros((512, 384, 3), dtype=np.uint8)
        >>> resize(image, (64, 48)).shape
        (64, 48, 3)
        >>> resize(image[:, :, 0], 32).shape
        (32, 32)
        >>> resize(image, (64, 0))
        Traceback (most recent call last):
        ...
        ValueError: Expected one positive integer or a (height, width) pair of positive integers. Received: size=(64, 0)
    """
    array = _image(image)
    pair = (size, size) if isinstance(size, (int, np.integer)) else size
    if (
        not isinstance(pair, Sequence)
        or isinstance(pair, str)
        or len(pair) != 2
        or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in pair
        )
    ):
        raise ValueError(
            "Expected one positive integer or a (height, width) pair of positive integers. "
            f"Received: size={size!r}"
        )
    interpolation = check_choice(interpolation, "interpolation", _INTERPOLATIONS)
    cv2 = _cv2()
    flag = {
        "area": cv2.INTER_AREA,
        "cubic": cv2.INTER_CUBIC,
        "linear": cv2.INTER_LINEAR,
        "nearest": cv2.INTER_NEAREST,
    }[interpolation]
    height, width = int(pair[0]), int(pair[1])
    return cv2.resize(array, (width, height), interpolation=flag)


def to_grayscale(image: Any, *, color: str = "rgb") -> np.ndarray:
    """Convert a colour image to grey levels, `0.299 R + 0.587 G + 0.114 B`.

    The weights follow how bright the eye finds each colour, so green counts
    most. A grey image is returned unchanged (as a copy).

    Args:
        image: `(height, width, 3)` colour image (or `(height, width)` grey).
        color: Channel order of `image`: `"rgb"` (default) or `"bgr"`. Getting
            it wrong swaps the red and blue weights.

    Returns:
        A `(height, width)` array of the same dtype.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import to_grayscale
        >>> pixels = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]],
        ...                   dtype=np.uint8)
        >>> to_grayscale(pixels).tolist()  # red, green, blue
        [[76, 150, 29]]
        >>> to_grayscale(pixels, color="bgr").tolist()
        [[29, 150, 76]]
    """
    array = _image(image)
    color = check_color_order(color)
    return np.array(_to_gray(array, color), copy=True)


def normalize(image: Any, *, method: str = "scale") -> np.ndarray:
    """Turn pixel values into small float32 numbers, the way networks like them.

    Args:
        image: Any image array.
        method: `"scale"` divides by 255, mapping `uint8` grey levels to
            [0, 1] (what `keras.layers.Rescaling(1/255)` does);
            `"minmax"` stretches the image's own range to exactly [0, 1]
            (more contrast for a dull image); `"standardize"` subtracts the
            mean and divides by the standard deviation of the image.

    Returns:
        A `float32` array of the same shape.

    Raises:
        ValueError: If `method` is unknown, the image is not an image, or
            `"minmax"`/`"standardize"` is asked of a constant image.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import normalize
        >>> image = np.array([[50, 100], [150, 200]], dtype=np.uint8)
        >>> normalize(image).round(3).tolist()
        [[0.196, 0.392], [0.588, 0.784]]
        >>> normalize(image, method="minmax").round(3).tolist()
        [[0.0, 0.333], [0.667, 1.0]]
        >>> float(normalize(image, method="standardize").std())
        1.0
    """
    array = _image(image)
    method = check_choice(method, "method", _NORMALIZE_METHODS)
    array = array.astype(np.float32)
    if method == "scale":
        return array / np.float32(255)
    low, high = float(array.min()), float(array.max())
    if high == low:
        raise ValueError(
            f"Expected an image with at least two different values for method={method!r}. "
            f"Received: a constant image (every value is {low})"
        )
    if method == "minmax":
        return (array - np.float32(low)) / np.float32(high - low)
    return ((array - array.mean()) / array.std()).astype(np.float32)


def blur(image: Any, kernel_size: int = 5, *, method: str = "gaussian") -> np.ndarray:
    """Smooth an image with a `kernel_size` x `kernel_size` filter.

    Blurring removes fine noise before edge detection or thresholding.

    Args:
        image: `(height, width)` or `(height, width, 3)` array.
        kernel_size: Odd positive width of the filter window, e.g. 3, 5 or 9.
        method: `"gaussian"` (weights fall off with distance, the usual
            choice), `"box"` (plain mean of the window) or `"median"` (the
            window's median: removes salt-and-pepper noise and keeps edges
            sharp; needs a `uint8` image for kernels wider than 5).

    Returns:
        The blurred image, same shape and dtype.

    Raises:
        ValueError: If `kernel_size` is not an odd positive integer or an
            argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import blur
        >>> image = np.zeros((7, 7), dtype=np.uint8)
        >>> image[3, 3] = 255  # one bright pixel
        >>> blur(image, 3, method="box")[2:5, 2:5].tolist()
        [[28, 28, 28], [28, 28, 28], [28, 28, 28]]
        >>> # the median ignores a lone outlier
        >>> int(blur(image, 3, method="median").max())
        0
        >>> blur(image, 4)
        Traceback (most recent call last):
        ...
        ValueError: Expected an odd positive integer. Received: kernel_size=4
    """
    array = _image(image)
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    if kernel_size % 2 == 0:
        raise ValueError(f"Expected an odd positive integer. Received: kernel_size={kernel_size}")
    method = check_choice(method, "method", _BLUR_METHODS)
    cv2 = _cv2()
    if method == "gaussian":
        return cv2.GaussianBlur(array, (kernel_size, kernel_size), 0)
    if method == "box":
        return cv2.blur(array, (kernel_size, kernel_size))
    if kernel_size > 5 and array.dtype != np.uint8:
        raise ValueError(
            "Expected a uint8 image for a median blur wider than 5 pixels. "
            f"Received: image.dtype={array.dtype} with kernel_size={kernel_size}"
        )
    if array.dtype in (np.uint8, np.float32):
        return cv2.medianBlur(array, kernel_size)
    return cv2.medianBlur(array.astype(np.float32), kernel_size).astype(array.dtype)
