"""Face detection with OpenCV's Haar cascades, and drawing boxes."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import (
    check_color_order,
    check_positive_float,
    check_positive_int,
    check_rgb,
    check_thickness,
)
from ._cv import _cv2, _image, _to_gray, _to_rgb_canvas

_DEFAULT_CASCADE = "haarcascade_frontalface_default.xml"


def _cascade_path(cascade: str | os.PathLike[str]) -> Path:
    if not isinstance(cascade, (str, os.PathLike)) or not str(cascade):
        raise ValueError(
            "Expected the file name of a cascade in cv2.data.haarcascades or the path of a "
            f"cascade XML file. Received: cascade={cascade!r}"
        )
    path = Path(cascade)
    if path.is_file():
        return path
    cv2 = _cv2()
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if folder is None or not hasattr(cv2, "CascadeClassifier"):
        raise FileNotFoundError(
            f"This OpenCV build ({cv2.__version__}) ships no Haar cascade files "
            "(cv2.data.haarcascades is missing). Install an OpenCV 4 wheel that does: "
            'pip install "dlguide[cv]" (opencv-python-headless>=4.8,<5), or pass '
            "cascade= the path of a cascade XML file."
        )
    path = Path(folder) / str(cascade)
    if not path.is_file():
        available = sorted(p.name for p in Path(folder).glob("*.xml"))
        raise FileNotFoundError(
            f"No cascade file {str(cascade)!r} in {folder}. Available: "
            f"{', '.join(available) or 'none'}. If the folder is empty, reinstall OpenCV: "
            'pip install --force-reinstall "dlguide[cv]"'
        )
    return path


@functools.cache
def _load_cascade(path: str) -> Any:
    cv2 = _cv2()
    classifier = cv2.CascadeClassifier(path)
    if classifier.empty():
        raise ValueError(f"OpenCV cannot load this file as a cascade. Received: cascade={path!r}")
    return classifier


def detect_faces(
    image: Any,
    *,
    scale_factor: float = 1.1,
    min_neighbors: int = 5,
    min_size: int = 30,
    cascade: str | os.PathLike[str] = _DEFAULT_CASCADE,
    color: str = "rgb",
) -> np.ndarray:
    """Find frontal faces with a Viola-Jones Haar cascade (no deep learning, no download).

    The cascade slides windows of many sizes over the grey image; each window
    must pass a chain of increasingly strict tests on simple light/dark
    rectangle features. The cascade files ship inside the OpenCV wheel
    (`cv2.data.haarcascades`).

    Args:
        image: `uint8` grey or colour image.
        scale_factor: How much the window grows between scales (> 1). Smaller
            is slower but misses fewer faces.
        min_neighbors: How many overlapping detections a face needs to be
            kept. Higher means fewer false alarms and more misses.
        min_size: Smallest face to look for, in pixels (side of the square).
        cascade: File name of a cascade in `cv2.data.haarcascades` (e.g.
            `"haarcascade_eye.xml"`, `"haarcascade_frontalcatface.xml"`) or
            the path of any cascade XML file.
        color: Channel order of a colour `image`: `"rgb"` or `"bgr"`.

    Returns:
        An `int` array of shape `(num_faces, 4)`, one `(x, y, width, height)`
        box per face, largest first; shape `(0, 4)` when there is none.

    Raises:
        FileNotFoundError: If the cascade file is missing (the message says
            how to install an OpenCV build that ships it).
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from skimage import data
        >>> from dlguide.vision import detect_faces
        >>> detect_faces(data.astronaut()).shape  # one face: Eileen Collins
        (1, 4)
        >>> detect_faces(np.zeros((256, 256), dtype=np.uint8)).shape
        (0, 4)
    """
    array = _image(image, uint8=True)
    scale_factor = check_positive_float(scale_factor, "scale_factor")
    if scale_factor <= 1:
        raise ValueError(f"Expected a float greater than 1. Received: scale_factor={scale_factor}")
    min_neighbors = check_positive_int(min_neighbors, "min_neighbors")
    min_size = check_positive_int(min_size, "min_size")
    color = check_color_order(color)
    classifier = _load_cascade(str(_cascade_path(cascade)))
    boxes = classifier.detectMultiScale(
        _to_gray(array, color),
        scaleFactor=scale_factor,
        minNeighbors=min_neighbors,
        minSize=(min_size, min_size),
    )
    boxes = np.asarray(boxes, dtype=int).reshape(-1, 4)
    order = np.argsort(-(boxes[:, 2] * boxes[:, 3]), kind="stable")
    return boxes[order]


def draw_boxes(
    image: Any,
    boxes: Any,
    *,
    color: Sequence[int] = (0, 255, 0),
    thickness: int = 2,
) -> np.ndarray:
    """Draw `(x, y, width, height)` boxes on a copy of an image.

    Args:
        image: `uint8` grey or RGB image.
        boxes: Array-like of shape `(num_boxes, 4)`, e.g. from `detect_faces`.
        color: Line colour as `(R, G, B)`, green by default.
        thickness: Line width in pixels, or -1 to fill the boxes.

    Returns:
        A new `(height, width, 3)` `uint8` image; the input is not modified.

    Raises:
        ValueError: If `boxes` is not of shape `(num_boxes, 4)` or an argument
            is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import draw_boxes
        >>> image = np.zeros((10, 10), dtype=np.uint8)
        >>> drawn = draw_boxes(image, [(2, 2, 5, 4)], thickness=1)
        >>> drawn[2, 2].tolist(), drawn[4, 4].tolist()  # on the border, inside
        ([0, 255, 0], [0, 0, 0])
    """
    canvas = _to_rgb_canvas(_image(image, uint8=True))
    try:
        array = np.asarray(boxes, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or (array.size and (array.ndim != 2 or array.shape[1] != 4)):
        raise ValueError(
            f"Expected boxes of shape (num_boxes, 4) as (x, y, width, height). Received: boxes={boxes!r}"
        )
    color = check_rgb(color, "color")
    thickness = check_thickness(thickness)
    cv2 = _cv2()
    for x, y, w, h in array.reshape(-1, 4).round().astype(int):
        cv2.rectangle(canvas, (int(x), int(y)), (int(x + w - 1), int(y + h - 1)), color, thickness)
    return canvas
