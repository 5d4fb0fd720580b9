"""Grids of images."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_positive_int
from ._save import COLUMN_WIDTH, _save_figure


def _image_list(images: Any) -> list[np.ndarray]:
    """A list of (H, W) or (H, W, 3|4) arrays from a batch array or a list of images."""
    if isinstance(images, np.ndarray) or hasattr(images, "shape"):
        batch = np.asarray(images)
        items = list(batch) if batch.ndim in (3, 4) else [None]
    elif isinstance(images, Sequence) and not isinstance(images, str):
        items = [np.asarray(image) for image in images]
    else:
        items = [None]
    checked = []
    for image in items:
        if image is not None and image.ndim == 3 and image.shape[2] == 1:
            image = image[:, :, 0]
        if (
            image is None
            or image.ndim not in (2, 3)
            or (image.ndim == 3 and image.shape[2] not in (3, 4))
            or 0 in image.shape
            or not (np.issubdtype(image.dtype, np.number) or image.dtype == bool)
        ):
            checked = []
            break
        checked.append(image)
    if not checked:
        shape = getattr(np.asarray(images, dtype=object), "shape", None)
        raise ValueError(
            "Expected a non-empty batch of images of shape (num_images, height, width) or "
            "(num_images, height, width, channels), or a list of images. "
            f"Received: images of shape {shape}"
        )
    return checked


def _show(ax: Any, image: np.ndarray, cmap: str | None) -> None:
    if image.ndim == 2:
        kwargs: dict[str, Any] = {"cmap": cmap or "gray"}
        if image.dtype == np.uint8:
            kwargs.update(vmin=0, vmax=255)
        ax.imshow(image, **kwargs)
    else:
        if not np.issubdtype(image.dtype, np.integer):
            image = np.clip(image, 0, 1)  # matplotlib's range for float colour images
        ax.imshow(image)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_images(
    images: Any,
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 4,
    cmap: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show images side by side in a grid, each with an optional title.

    Args:
        images: A batch array of shape `(num_images, height, width)` (grey),
            `(num_images, height, width, 1)` or `(num_images, height, width, 3)`
            (RGB), or a list of such images, which may differ in size. `uint8`
            grey images are shown on the full 0-255 scale; other grey images
            are stretched to their own range; float RGB images are expected in
            [0, 1].
        titles: One title per image.
        ncols: Number of columns (fewer if there are fewer images).
        cmap: Matplotlib colour map for grey images (`"gray"` by default).
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure` with one axes per image.

    Raises:
        ValueError: If `images` holds no images, `titles` has the wrong
            length, or `ncols` is not a positive integer.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_images
        >>> images = np.zeros((6, 28, 28), dtype=np.uint8)
        >>> fig = plot_images(images, [f"digit {i}" for i in range(6)], ncols=4)
        >>> len(fig.axes), fig.axes[5].get_title()
        (6, 'digit 5')
        >>> plot_images(images, titles=["a", "b"])
        Traceback (most recent call last):
        ...
        ValueError: Expected one title per image (6 images). Received: titles=['a', 'b']
    """
    items = _image_list(images)
    if titles is not None:
        if isinstance(titles, str) or len(titles) != len(items):
            raise ValueError(
                f"Expected one title per image ({len(items)} images). Received: titles={titles!r}"
            )
    ncols = min(check_positive_int(ncols, "ncols"), len(items))
    nrows = math.ceil(len(items) / ncols)
    # Panels share the column's width, and are as tall as the images' shape needs.
    side = min(COLUMN_WIDTH / ncols, 4.5)
    aspect = float(np.median([image.shape[0] / image.shape[1] for image in items]))
    lines = max((str(t).count("\n") + 1 for t in titles), default=1) if titles is not None else 0
    title_room = 0.05 + 0.18 * lines
    fig = Figure(
        figsize=(side * ncols, (side * aspect + title_room) * nrows + 0.3), layout="constrained"
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        if i >= len(items):
            fig.delaxes(ax)
            continue
        _show(ax, items[i], cmap)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=9)
    _save_figure(fig, path)
    return fig
