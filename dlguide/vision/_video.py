"""Writing and reading video files frame by frame."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import (
    check_choice,
    check_color_order,
    check_path,
    check_positive_float,
    check_positive_int,
)
from ._cv import _cv2

# Codecs that the opencv-python(-headless) wheels can write without extra libraries.
_CODECS = ("mp4v", "MJPG")


def write_video(
    path: str | os.PathLike[str],
    frames: Any,
    *,
    fps: float = 10.0,
    codec: str = "mp4v",
    color: str = "rgb",
) -> Path:
    """Write frames to a video file with `cv2.VideoWriter`.

    Args:
        path: The file to write: `.mp4` or `.avi` for `codec="mp4v"`, `.avi`
            for `codec="MJPG"`. Missing parent folders are created.
        frames: `uint8` array of shape `(num_frames, height, width, 3)` (colour)
            or `(num_frames, height, width)` (grey), or a list of such frames.
        fps: Frames per second stored in the file.
        codec: `"mp4v"` (MPEG-4 part 2, small files) or `"MJPG"` (motion
            JPEG, each frame a JPEG). Both ship with the OpenCV wheels; H.264
            (`"avc1"`) usually does not, so it is not offered. Both are lossy:
            frames read back are close to, not equal to, the frames written.
        color: Channel order of colour frames: `"rgb"` (default) or `"bgr"`.

    Returns:
        The path written, as a `pathlib.Path`.

    Raises:
        ValueError: If the frames are not a non-empty stack of equally sized
            `uint8` images, an argument is invalid, or OpenCV cannot open a
            writer for this codec and file suffix.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import read_video, write_video
        >>> frames = np.zeros((12, 48, 64, 3), dtype=np.uint8)
        >>> for t in range(12):
        ...     # a yellow square moves right
        ...     frames[t, 20:28, 4 * t : 4 * t + 8] = (255, 255, 0)
        >>> path = write_video("square.mp4", frames, fps=12)
        >>> read_video(path).shape
        (12, 48, 64, 3)
    """
    path = check_path(path, "path")
    try:
        stack = np.asarray(frames)
    except ValueError:  # a list of frames of different sizes
        stack = np.asarray(frames, dtype=object)
    if (
        stack.dtype != np.uint8
        or stack.ndim not in (3, 4)
        or (stack.ndim == 4 and stack.shape[3] != 3)
        or 0 in stack.shape
    ):
        raise ValueError(
            "Expected uint8 frames of shape (num_frames, height, width, 3) or "
            f"(num_frames, height, width). Received: frames of shape {stack.shape} and dtype "
            f"{stack.dtype}"
        )
    fps = check_positive_float(fps, "fps")
    codec = check_choice(codec, "codec", _CODECS)
    color = check_color_order(color)
    cv2 = _cv2()
    height, width = stack.shape[1:3]
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*codec), fps, (width, height), stack.ndim == 4
    )
    try:
        if not writer.isOpened():
            raise ValueError(
                f"OpenCV cannot write {codec!r} video to this file; use a .mp4 or .avi file "
                f"with codec='mp4v', or a .avi file with codec='MJPG'. Received: path={str(path)!r}"
            )
        for frame in stack:
            if stack.ndim == 4 and color == "rgb":
                frame = np.ascontiguousarray(frame[:, :, ::-1])
            writer.write(frame)
    finally:
        writer.release()
    return path


def read_video(
    path: str | os.PathLike[str], *, color: str = "rgb", max_frames: int | None = None
) -> np.ndarray:
    """Read the frames of a video file with `cv2.VideoCapture`, in RGB order by default.

    A video is read like a file: `capture.read()` returns the next frame (BGR)
    until it returns `False` at the end. The same loop reads a webcam with
    `cv2.VideoCapture(0)`.

    Args:
        path: The video file.
        color: `"rgb"` (default), `"bgr"` or `"gray"`.
        max_frames: Stop after this many frames (default: read them all).

    Returns:
        A `uint8` array of shape `(num_frames, height, width, 3)`, or
        `(num_frames, height, width)` for `color="gray"`.

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If an argument is invalid or OpenCV cannot decode a
            single frame of the file.

    Examples:
        >>> import numpy as np
        >>> from dlguide.vision import read_video, write_video
        >>> frames = np.full((5, 32, 32), 128, dtype=np.uint8)
        >>> path = write_video("grey.avi", frames, codec="MJPG")
        >>> read_video(path, color="gray", max_frames=3).shape
        (3, 32, 32)
    """
    path = check_path(path, "path")
    color = check_choice(color, "color", ("rgb", "bgr", "gray"))
    if max_frames is not None:
        max_frames = check_positive_int(max_frames, "max_frames")
    cv2 = _cv2()
    if not path.is_file():
        raise FileNotFoundError(f"No video file at {str(path)!r}")
    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        while max_frames is None or len(frames) < max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            if color == "rgb":
                frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            elif color == "gray":
                frame = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            frames.append(frame)
    finally:
        capture.release()
    if not frames:
        raise ValueError(
            f"OpenCV could not read any frame from this file. Received: path={str(path)!r}"
        )
    return np.stack(frames)
