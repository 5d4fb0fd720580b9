"""Optimizer paths on a 2-D loss surface."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ._save import _save_figure


def _check_paths(paths: Any) -> dict[str, np.ndarray]:
    if not isinstance(paths, Mapping) or not paths:
        raise ValueError(
            "Expected a non-empty dict of paths (name -> array of shape (steps, 2)). "
            f"Received: paths={paths!r}"
        )
    checked = {}
    for name, points in paths.items():
        try:
            array = np.asarray(points, dtype=float)
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 2 or array.shape[0] < 1 or array.shape[1] != 2:
            shape = getattr(array, "shape", None)
            raise ValueError(
                f"Expected paths[{name!r}] to be an array of shape (steps, 2). "
                f"Received: paths[{name!r}] with shape {shape}"
            )
        if not np.isfinite(array).all():
            raise ValueError(
                f"Expected finite coordinates (a diverged path cannot be drawn). "
                f"Received: paths[{name!r}] with non-finite values"
            )
        checked[str(name)] = array
    return checked


def _check_limits(value: Any, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        isinstance(value, Sequence)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and np.isfinite(v) for v in value)
        and value[0] < value[1]
    ):
        return float(value[0]), float(value[1])
    raise ValueError(f"Expected a pair (low, high) with low < high. Received: {name}={value!r}")


def _default_limits(values: np.ndarray) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    margin = max(0.15 * (high - low), 0.5)
    return low - margin, high + margin


def plot_loss_surface_paths(
    paths: Mapping[str, Any],
    f: Callable[[np.ndarray, np.ndarray], Any],
    *,
    path: str | os.PathLike[str] | None = None,
    xlim: Sequence[float] | None = None,
    ylim: Sequence[float] | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the contours of a 2-D loss and the path each optimizer took on it.

    Args:
        paths: Optimizer name -> the points it visited, an array of shape
            `(steps, 2)` whose first row is the starting point. The legend
            gives the loss at the last point.
        f: The loss as a function of two arrays, `f(x, y)`, evaluated
            elementwise (it is called once on a grid of points).
        path: If given, the figure is also saved there (PNG by default, the
            format follows the suffix; missing parent folders are created).
        xlim: `(low, high)` of the horizontal axis. By default the range of
            the paths plus a margin.
        ylim: `(low, high)` of the vertical axis, likewise.
        title: Title above the plot.

    Returns:
        A `matplotlib.figure.Figure` (not tied to pyplot, so it works headless).

    Raises:
        ValueError: If `paths` is empty or a path is not a finite `(steps, 2)`
            array, if `f` is not callable or does not return one value per
            point, or if a limit is not a `(low, high)` pair.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_loss_surface_paths
        >>> f = lambda x, y: x ** 2 + 10 * y ** 2
        >>> paths = {"SGD": np.array([[-2.0, 1.0], [-1.6, -0.8], [-1.3, 0.6]])}
        >>> fig = plot_loss_surface_paths(paths, f, title="an elongated bowl")
        >>> ax = fig.axes[0]
        >>> ax.get_title(), ax.get_legend().texts[0].get_text()
        ('an elongated bowl', 'SGD (final loss 5.29)')
        >>> plot_loss_surface_paths({"SGD": np.zeros((5, 3))}, f)
        Traceback (most recent call last):
        ...
        ValueError: Expected paths['SGD'] to be an array of shape (steps, 2). Received: paths['SGD'] with shape (5, 3)
    """
    checked = _check_paths(paths)
    if not callable(f):
        raise ValueError(f"Expected a function f(x, y) returning the loss. Received: f={f!r}")
    xlim = _check_limits(xlim, "xlim")
    ylim = _check_limits(ylim, "ylim")
    points = np.concatenate(list(checked.values()))
    xlim = xlim or _default_limits(points[:, 0])
    ylim = ylim or _default_limits(points[:, 1])

    grid_x, grid_y = np.meshgrid(np.linspace(*xlim, 240), np.linspace(*ylim, 240))
    with np.errstate(all="ignore"):
        z = np.asarray(f(grid_x, grid_y), dtype=float)
    if z.shape != grid_x.shape:
        raise ValueError(
            "Expected f(x, y) to return one value per point when called on "
            f"{grid_x.shape} arrays. Received: an output of shape {z.shape}"
        )
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        raise ValueError(
            "Expected f(x, y) to return finite values on the plotted area. "
            "Received: no finite value"
        )
    # Levels at quantiles of the loss: as many lines near the minimum as on the walls.
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, 22) ** 1.5))

    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    ax = fig.subplots()
    if levels.size > 1:
        ax.contourf(grid_x, grid_y, z, levels=levels, cmap="Blues", alpha=0.6)
        ax.contour(grid_x, grid_y, z, levels=levels, colors="0.45", linewidths=0.5)
    for i, (name, array) in enumerate(checked.items()):
        color = f"C{i % 10}"
        with np.errstate(all="ignore"):
            final = float(np.asarray(f(array[-1:, 0], array[-1:, 1]), dtype=float).ravel()[0])
        ax.plot(
            array[:, 0],
            array[:, 1],
            "-o",
            color=color,
            markersize=2.5,
            linewidth=1.4,
            label=f"{name} (final loss {final:.3g})",
        )
        ax.plot(*array[-1], marker="*", color=color, markersize=11, markeredgecolor="k")
    starts = np.unique(np.stack([a[0] for a in checked.values()]), axis=0)
    ax.plot(starts[:, 0], starts[:, 1], "ks", markersize=6, label="start")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="best", fontsize=9)
    if title:
        ax.set_title(title)
    _save_figure(fig, path)
    return fig
