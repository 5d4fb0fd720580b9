"""Reading and writing image files, and the BGR <-> RGB channel swap."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_choice, check_color_order, check_path
from ._cv import _cv2, _image


def bgr_to_rgb(image: Any) -> np.ndarray:
    """Swap the channels of a BGR image (OpenCV's order) to RGB (everyone else's order).

    OpenCV stores colour pixels as blue, green, red; matplotlib, Keras and
    scikit-image expect red, green, blue. The swap is its own inverse, so the
    same function also turns RGB into BGR (see `rgb_to_bgr`).

    Args:
        image: An array of shape `(height, width, 3)`.

    Returns:
        A new array of the same shape and dtype with the first and last
        channels swapped.

    Raises:
        ValueError: If `image` is not a 3-channel image.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import bgr_to_rgb
        >>> pixel = np.array([[[255, 0, 0]]], dtype=np.uint8)  # pure blue in BGR
        >>> bgr_to_rgb(pixel)[0, 0].tolist()
        [0, 0, 255]
    """
    array = _image(image)
    if array.ndim != 3:
        raise ValueError(
            f"Expected a colour image of shape (height, width, 3). Received: image.shape={array.shape}"
        )
    return np.ascontiguousarray(array[:, :, ::-1])


def rgb_to_bgr(image: Any) -> np.ndarray:
    """Swap the channels of an RGB image to BGR, the order OpenCV writes and draws in.

    Args:
        image: An array of shape `(height, width, 3)`.

    Returns:
        A new array of the same shape and dtype with the first and last
        channels swapped.

    Raises:
        ValueError: If `image` is not a 3-channel image.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import rgb_to_bgr
        >>> red = np.array([[[255, 0, 0]]], dtype=np.uint8)  # pure red in RGB
        >>> rgb_to_bgr(red)[0, 0].tolist()
        [0, 0, 255]
    """
    return bgr_to_rgb(image)


def read_image(path: str | os.PathLike[str], *, color: str = "rgb") -> np.ndarray:
    """Read an image file (PNG, JPEG, ...) with OpenCV, in RGB order by default.

    `cv2.imread` returns BGR pixels and `None` (not an error) for a missing or
    unreadable file; this function converts to RGB and raises instead.

    Args:
        path: The image file.
        color: `"rgb"` (default) for a `(height, width, 3)` RGB array, `"bgr"`
            for OpenCV's own order, or `"gray"` for a `(height, width)` array
            of grey levels.

    Returns:
        A `uint8` array (16-bit files are reduced to 8 bits by OpenCV).

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If `color` is invalid or OpenCV cannot decode the file.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import read_image, write_image
        >>> image = np.zeros((4, 6, 3), dtype=np.uint8)
        >>> image[0, 0] = (255, 0, 0)  # a red pixel, in RGB
        >>> path = write_image("red_dot.png", image)
        >>> (read_image(path)[0, 0].tolist(),
        ...  read_image(path, color="bgr")[0, 0].tolist())
        ([255, 0, 0], [0, 0, 255])
        >>> read_image(path, color="gray").shape
        (4, 6)
    """
    path = check_path(path, "path")
    color = check_choice(color, "color", ("rgb", "bgr", "gray"))
    cv2 = _cv2()
    if not path.is_file():
        raise FileNotFoundError(f"No image file at {str(path)!r}")
    flag = cv2.IMREAD_GRAYSCALE if color == "gray" else cv2.IMREAD_COLOR
    # imdecode on the bytes also handles paths that cv2.imread cannot (e.g. non-ASCII).
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), flag)
    if image is None:
        raise ValueError(
            f"OpenCV cannot decode this file as an image. Received: path={str(path)!r}"
        )
    return bgr_to_rgb(image) if color == "rgb" else image


def write_image(path: str | os.PathLike[str], image: Any, *, color: str = "rgb") -> Path:
    """Write an image file with OpenCV; the format follows the suffix (`.png`, `.jpg`, ...).

    OpenCV writes BGR, so an RGB image is swapped before writing; reading the
    file back with `read_image` gives the same RGB pixels (exactly, for PNG).
    Missing parent folders are created.

    Args:
        path: Where to write, e.g. `"out.png"`.
        image: `(height, width)` grey levels or a `(height, width, 3)` colour
            image, `uint8` (or `uint16` for PNG).
        color: Channel order of `image`: `"rgb"` (default) or `"bgr"`.

    Returns:
        The path written, as a `pathlib.Path`.

    Raises:
        ValueError: If an argument is invalid or OpenCV cannot write that
            format.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import read_image, write_image
        >>> gradient = np.tile(np.arange(0, 256, 32, dtype=np.uint8), (3, 1))
        >>> path = write_image("gradient.png", gradient)
        >>> path.name, np.array_equal(read_image(path, color="gray"), gradient)
        ('gradient.png', True)
        >>> write_image("notes.txt", gradient)
        Traceback (most recent call last):
        ...
        ValueError: OpenCV cannot write an image with this file suffix (use e.g. .png or .jpg). Received: path='notes.txt'
    """
    path = check_path(path, "path")
    array = _image(image)
    color = check_color_order(color)
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(
            "Expected a uint8 (or uint16) image; convert a float image in [0, 1] with "
            f"(image * 255).astype('uint8'). Received: image.dtype={array.dtype}"
        )
    cv2 = _cv2()
    if array.ndim == 3 and color == "rgb":
        array = bgr_to_rgb(array)
    try:
        ok, encoded = cv2.imencode(path.suffix or ".png", array)
    except cv2.error:
        ok = False
    if not ok:
        raise ValueError(
            "OpenCV cannot write an image with this file suffix (use e.g. .png or .jpg). "
            f"Received: path={str(path)!r}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    encoded.tofile(path)
    return path
