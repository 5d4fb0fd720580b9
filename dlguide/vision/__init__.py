"""Classical computer vision with OpenCV: image files, filters, edges, contours, faces, video.

Every function takes and returns NumPy arrays in RGB order (OpenCV's own BGR
order only where you ask for it), with shapes in NumPy's `(height, width)`
order. OpenCV is an optional dependency: install it with
`pip install "dlguide[cv]"`. Importing `dlguide.vision` works without it;
the functions raise an `ImportError` that says so.

Examples:
    >>> from skimage import data
    >>> from dlguide import vision
    >>> image = data.astronaut()  # RGB, (512, 512, 3)
    >>> small = vision.resize(image, (128, 128))
    >>> gray = vision.to_grayscale(small)
    >>> small.shape, gray.shape
    ((128, 128, 3), (128, 128))
    >>> vision.detect_faces(image).shape
    (1, 4)
"""

from ._faces import detect_faces, draw_boxes
from ._features import canny, draw_contours, find_contours, threshold
from ._io import bgr_to_rgb, read_image, rgb_to_bgr, write_image
from ._transforms import blur, normalize, resize, to_grayscale
from ._video import read_video, write_video

__all__ = [
    "bgr_to_rgb",
    "blur",
    "canny",
    "detect_faces",
    "draw_boxes",
    "draw_contours",
    "find_contours",
    "normalize",
    "read_image",
    "read_video",
    "resize",
    "rgb_to_bgr",
    "threshold",
    "to_grayscale",
    "write_image",
    "write_video",
]
