"""Figures of generative models: sample grids, latent-space maps, interpolations, noising strips."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import check_positive_float, check_positive_int
from ._save import _save_figure

_COLUMN_WIDTH = 7.0  # inches: the guide's figures fit the text column


def _grey_images(images: Any, name: str, ndim: int) -> np.ndarray:
    """Grey images as float in [0, 1]: `uint8` divided by 255, floats clipped."""
    expected = {
        3: "a batch of grey images of shape (num_images, height, width)",
        4: "a grid of grey images of shape (rows, columns, height, width)",
    }[ndim]
    raw = np.asarray(images)
    if raw.ndim == ndim + 1 and raw.shape[-1] == 1:
        raw = raw[..., 0]
    try:
        array = raw.astype("float64")
    except (TypeError, ValueError):
        raise ValueError(f"Expected {expected}. Received: {name}={images!r}") from None
    if array.ndim != ndim or 0 in array.shape or not np.all(np.isfinite(array)):
        raise ValueError(
            f"Expected {expected} of finite numbers. Received: {name} of shape {array.shape}"
        )
    return array / 255 if raw.dtype == np.uint8 else np.clip(array, 0, 1)


def _grid(
    cells: np.ndarray,
    row_titles: Sequence[str] | None,
    column_titles: Sequence[str] | None,
    title: str | None,
) -> Figure:
    """Cells (rows, cols, H, W) in a tight grid, titles along the left and the top."""
    rows, cols, height, width = cells.shape
    margin = 1.3 if row_titles is not None else 0.1  # inches for the row titles
    side = min((_COLUMN_WIDTH - margin) / cols, 1.1)
    fig = Figure(
        figsize=(
            side * cols + margin,
            side * rows * height / width
            + (0.35 if column_titles is not None else 0.05)
            + (0.35 if title else 0),
        ),
        layout="constrained",
    )
    fig.get_layout_engine().set(w_pad=0.01, h_pad=0.01, wspace=0.02, hspace=0.02)
    axes = fig.subplots(rows, cols, squeeze=False)
    for r in range(rows):
        for c in range(cols):
            ax = axes[r, c]
            ax.imshow(cells[r, c], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if column_titles is not None and r == 0:
                ax.set_title(str(column_titles[c]), fontsize=9)
            if row_titles is not None and c == 0:
                ax.set_ylabel(str(row_titles[r]), fontsize=9, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def _check_titles(titles: Any, count: int, name: str) -> list[str] | None:
    if titles is None:
        return None
    if isinstance(titles, str) or not isinstance(titles, Sequence) or len(titles) != count:
        what = name.split("_")[0]
        raise ValueError(f"Expected {count} titles, one per {what}. Received: {name}={titles!r}")
    return [str(t) for t in titles]


def plot_sample_grid(
    images: Any,
    *,
    ncols: int = 10,
    row_titles: Sequence[str] | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show generated images in a tight grid, e.g. one row per class or per model.

    Args:
        images: Grey images `(num_images, height, width)`, filled row by row:
            `uint8` (0-255) or floats in [0, 1] (clipped, as generated
            images may overshoot a little).
        ncols: Images per row; the last row is padded with blank cells.
        row_titles: One label per row, written on the left.
        title: A title above the grid.
        path: If given, the figure is also saved there.

    Returns:
        A `matplotlib.figure.Figure` with one axes per cell.

    Raises:
        ValueError: If the images or titles are invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_sample_grid
        >>> images = np.random.default_rng(0).random((20, 8, 8))
        >>> fig = plot_sample_grid(images, ncols=10,
        ...                        row_titles=["model A", "model B"])
        >>> len(fig.axes), fig.axes[10].get_ylabel()
        (20, 'model B')
    """
    array = _grey_images(images, "images", 3)
    ncols = min(check_positive_int(ncols, "ncols"), len(array))
    rows = -(-len(array) // ncols)
    row_titles = _check_titles(row_titles, rows, "row_titles")
    cells = np.zeros((rows * ncols, *array.shape[1:]))
    cells[: len(array)] = array
    fig = _grid(cells.reshape(rows, ncols, *array.shape[1:]), row_titles, None, title)
    _save_figure(fig, path)
    return fig


def plot_image_rows(
    images: Any,
    *,
    column_titles: Sequence[str] | None = None,
    row_titles: Sequence[str] | None = None,
    title: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show rows of image sequences: interpolations, or the noising and denoising strips.

    Each row is one sequence read from left to right: a walk between two
    codes of a VAE (titles: the mixing weight), the forward process adding
    noise to a digit, or the reverse process removing it (titles: the
    timestep).

    Args:
        images: Grey images `(rows, steps, height, width)`, or one sequence
            `(steps, height, width)`; `uint8` or floats in [0, 1].
        column_titles: One title per step, e.g. `["t=0", "t=50", ...]`.
        row_titles: One label per row, on the left.
        title: A title above the figure.
        path: If given, the figure is also saved there.

    Returns:
        A `matplotlib.figure.Figure` with one axes per image.

    Raises:
        ValueError: If the images or titles are invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_image_rows
        >>> strip = np.linspace(0, 1, 5)[:, None, None] * np.ones((5, 8, 8))
        >>> fig = plot_image_rows(strip,
        ...                       column_titles=[f"t={t}" for t in range(5)])
        >>> [ax.get_title() for ax in fig.axes]
        ['t=0', 't=1', 't=2', 't=3', 't=4']
    """
    raw = np.asarray(images)
    if raw.ndim == 3 or (raw.ndim == 4 and raw.shape[-1] == 1 and raw.dtype != object):
        raw = raw[None] if raw.ndim == 3 else raw
    cells = _grey_images(raw, "images", 4)
    column_titles = _check_titles(column_titles, cells.shape[1], "column_titles")
    row_titles = _check_titles(row_titles, cells.shape[0], "row_titles")
    fig = _grid(cells, row_titles, column_titles, title)
    _save_figure(fig, path)
    return fig


def plot_latent_space(
    latents: Any,
    labels: Any = None,
    *,
    decoder: Any = None,
    grid_size: int = 12,
    extent: float = 2.5,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Map a 2-D latent space: where the encoder puts each example, and what the decoder draws there.

    The left panel scatters the 2-D codes, coloured by class. With a
    `decoder`, the right panel decodes a `grid_size` x `grid_size` grid of
    codes spanning `[-extent, extent]` on both axes (the square drawn on the
    left), so you see how digits morph into each other across the space.

    Args:
        latents: Codes of shape `(num_examples, 2)`, e.g. a VAE's `z_mean`.
        labels: Integer classes for the colours (None: one colour).
        decoder: A model (or function) from codes `(n, 2)` to images
            `(n, height, width)` in [0, 1], e.g. `vae.get_layer("decoder")`.
        grid_size: Codes per axis of the decoded grid.
        extent: Half-width of the decoded square.
        path: If given, the figure is also saved there.

    Returns:
        A `matplotlib.figure.Figure` with one or two panels.

    Raises:
        ValueError: If the latents are not 2-D codes or an argument is
            invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_latent_space
        >>> rng = np.random.default_rng(0)
        >>> z, y = rng.normal(size=(100, 2)), rng.integers(0, 3, 100)
        >>> def blob(codes):
        ...     return np.ones((len(codes), 8, 8)) * (codes[:, :1, None] > 0)
        >>> fig = plot_latent_space(z, y, decoder=blob, grid_size=5)
        >>> [ax.get_title() for ax in fig.axes]
        ['Codes of the examples', 'Decoded grid']
    """
    expected = "Expected 2-D codes of shape (num_examples, 2), finite."
    z = np.asarray(latents, dtype="float64") if np.ndim(latents) else np.zeros((0,))
    if z.ndim != 2 or z.shape[1] != 2 or len(z) == 0 or not np.all(np.isfinite(z)):
        raise ValueError(f"{expected} Received: latents of shape {np.shape(latents)}")
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(z),):
            raise ValueError(
                f"Expected one label per code ({len(z)}). Received: labels of shape {labels.shape}"
            )
    grid_size = check_positive_int(grid_size, "grid_size")
    extent = check_positive_float(extent, "extent")

    panels = 2 if decoder is not None else 1
    fig = Figure(figsize=(3.5 * panels, 3.5), layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    ax = axes[0]
    if labels is None:
        ax.scatter(z[:, 0], z[:, 1], s=4, alpha=0.6)
    else:
        scatter = ax.scatter(z[:, 0], z[:, 1], c=labels, cmap="tab10", s=4, alpha=0.7)
        classes = np.unique(labels)
        handles = [
            ax.plot([], [], "o", ms=4, color=scatter.cmap(scatter.norm(c)))[0] for c in classes
        ]
        ax.legend(
            handles,
            [str(c) for c in classes],
            fontsize=9,
            ncol=2,
            loc="upper right",
            handletextpad=0.1,
            columnspacing=0.5,
            framealpha=0.7,
        )
    if decoder is not None:
        ax.add_patch(
            Rectangle(
                (-extent, -extent), 2 * extent, 2 * extent, fill=False, ls="--", lw=1, color="k"
            )
        )
    ax.set_xlabel("$z_1$", fontsize=9)
    ax.set_ylabel("$z_2$", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.set_title("Codes of the examples", fontsize=9)
    if decoder is not None:
        values = np.linspace(-extent, extent, grid_size)
        codes = np.array([[x, y] for y in values[::-1] for x in values], dtype="float32")
        predict = getattr(decoder, "predict", None)
        decoded = predict(codes, verbose=0) if predict is not None else decoder(codes)
        decoded = _grey_images(decoded, "decoded images", 3)
        h, w = decoded.shape[1:]
        mosaic = decoded.reshape(grid_size, grid_size, h, w).transpose(0, 2, 1, 3)
        axes[1].imshow(
            mosaic.reshape(grid_size * h, grid_size * w),
            cmap="gray",
            vmin=0,
            vmax=1,
            extent=(-extent, extent, -extent, extent),
        )
        axes[1].set_title("Decoded grid", fontsize=9)
        axes[1].set_xlabel("$z_1$", fontsize=9)
        axes[1].tick_params(labelsize=9)
    _save_figure(fig, path)
    return fig
