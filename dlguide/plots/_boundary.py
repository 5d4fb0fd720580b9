"""Decision-boundary figures for 2-D classification problems."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .._validation import check_class_indices, check_features, check_positive_int
from ._save import _save_figure

_COLORS = ("#d6604d", "#4393c3", "#5aae61", "#9970ab", "#f4a582", "#92c5de", "#fdb863")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def _grid_scores(predict: Callable[[np.ndarray], Any], grid: np.ndarray) -> np.ndarray:
    scores = np.asarray(predict(grid))
    if scores.dtype == bool:
        scores = scores.astype(np.int64)
    if scores.ndim == 2 and scores.shape[1] > 1:  # class probabilities
        scores = scores.argmax(axis=1)
    if scores.size != len(grid) or not np.issubdtype(scores.dtype, np.number):
        raise ValueError(
            "Expected predict to return one number (a label or a probability) or "
            f"one row of class scores per input point. Received: predict(grid) of "
            f"shape {scores.shape} for {len(grid)} points"
        )
    return scores.reshape(-1).astype(np.float64)


def plot_decision_boundary(
    predict: Callable[[np.ndarray], Any],
    x: Any,
    y: Any,
    *,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    resolution: int = 200,
) -> Figure:
    """Shade the regions a 2-D classifier assigns to each class, with the data on top.

    `predict` is evaluated on a grid that covers `x` with a margin. It may
    return labels (0, 1, ..., k-1), probabilities of class 1 (shape `(m,)` or
    `(m, 1)`, the boundary is drawn where they cross 0.5) or one row of class
    scores per point (the largest wins). So a perceptron's `predict`, a
    scratch `MLP.forward` and a Keras model's `predict` all work.

    Args:
        predict: Function from an array of shape `(m, 2)` to labels,
            probabilities or class scores, as described above.
        x: Points, an array of shape `(n, 2)`.
        y: Integer class labels of the points, shape `(n,)`.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).
        title: Title above the plot.
        resolution: Number of grid points along each axis.

    Returns:
        A `matplotlib.figure.Figure` (not tied to pyplot, so it works headless).

    Raises:
        ValueError: If `predict` is not callable or returns the wrong number
            of values, if `x` is not of shape `(n, 2)`, if `y` does not hold
            one non-negative integer label per point, or if `resolution` is
            not a positive integer.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_decision_boundary
        >>> x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        >>> y = np.array([0, 1, 1, 1])  # logical OR
        >>> def predict(P):
        ...     return (P.sum(axis=1) > 0.5).astype(int)
        >>> fig = plot_decision_boundary(predict, x, y,
        ...                              title="x1 + x2 > 0.5")
        >>> ax = fig.axes[0]
        >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
        ('x1 + x2 > 0.5', '$x_1$', '$x_2$')
        >>> [text.get_text() for text in ax.get_legend().get_texts()]
        ['class 0', 'class 1']
        >>> plot_decision_boundary(lambda P: 1, x, y)
        Traceback (most recent call last):
        ...
        ValueError: Expected predict to return one number (a label or a probability) or one row of class scores per input point. Received: predict(grid) of shape () for 40000 points
    """
    if not callable(predict):
        raise ValueError(
            f"Expected a function that maps points to predictions. Received: predict={predict!r}"
        )
    x = check_features(x, "x", 2)
    labels = check_class_indices(y, "y", length=len(x))
    resolution = check_positive_int(resolution, "resolution")

    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.maximum(0.1 * (hi - lo), 0.3)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    scores = _grid_scores(predict, grid).reshape(gx.shape)

    num_classes = int(labels.max()) + 1
    if np.all(scores == np.round(scores)):  # labels, not probabilities or scores
        num_classes = max(num_classes, int(scores.max()) + 1)
    num_classes = max(num_classes, 2)
    colors = [_COLORS[i % len(_COLORS)] for i in range(num_classes)]
    fig = Figure(figsize=(4.4, 4.0), layout="constrained")
    ax = fig.subplots()
    binary = num_classes == 2
    if binary:  # shade by the score itself: probabilities show as gradients
        ax.contourf(
            gx,
            gy,
            scores,
            levels=np.linspace(0, 1, 11),
            cmap="RdBu",
            alpha=0.35,
            vmin=-0.1,
            vmax=1.1,
            extend="both",
        )
        if scores.min() < 0.5 < scores.max():
            ax.contour(gx, gy, scores, levels=[0.5], colors="k", linewidths=1.2)
    else:
        levels = np.arange(num_classes + 1) - 0.5
        ax.contourf(gx, gy, scores, levels=levels, cmap=ListedColormap(colors), alpha=0.3)
        if scores.min() < scores.max():
            ax.contour(gx, gy, scores, levels=levels[1:-1], colors="k", linewidths=0.6)
    for k in range(num_classes):
        mask = labels == k
        if mask.any():
            ax.scatter(
                x[mask, 0],
                x[mask, 1],
                c=colors[k],
                marker=_MARKERS[k % len(_MARKERS)],
                edgecolors="k",
                s=60 if len(x) <= 50 else 18,
                label=f"class {k}",
                zorder=3,
            )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="best", framealpha=0.9)
    if title:
        ax.set_title(title)
    _save_figure(fig, path)
    return fig
