"""Training-curve figures."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from ._save import COLUMN_WIDTH, _save_figure


def _history_dict(history: Any) -> dict[str, list[float]]:
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping) or not data:
        raise ValueError(
            "Expected a keras History (the value `model.fit` returns) or a "
            f"non-empty dict of metric lists. Received: history={history!r}"
        )
    return {str(k): [float(v) for v in values] for k, values in data.items()}


def plot_history(
    history: Any,
    metrics: str | Sequence[str] | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Plot training (and validation) curves, one panel per metric.

    Args:
        history: The `keras.callbacks.History` returned by `model.fit`, or its
            `.history` dict.
        metrics: Metric names to plot, e.g. `("loss", "accuracy")`. By default
            every metric that has no `val_` prefix. A `val_<name>` curve is
            drawn in the same panel when present.
        path: If given, the figure is also saved there (PNG by default, the
            format follows the suffix; missing parent folders are created).
        title: Title above the panels.

    Returns:
        A `matplotlib.figure.Figure` (not tied to pyplot, so it works headless).

    Raises:
        ValueError: If `history` is empty or a requested metric is missing.

    Examples:
        >>> from dlguide.plots import plot_history
        >>> history = {"loss": [0.9, 0.5, 0.4],
        ...            "val_loss": [1.0, 0.7, 0.6],
        ...            "accuracy": [0.6, 0.8, 0.9],
        ...            "val_accuracy": [0.5, 0.7, 0.8]}
        >>> fig = plot_history(history)
        >>> [ax.get_title() for ax in fig.axes]
        ['loss', 'accuracy']
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['training', 'validation']
        >>> plot_history(history, "mae")
        Traceback (most recent call last):
        ...
        ValueError: Expected metrics recorded in the history ('loss', 'accuracy'). Received: metrics='mae'
    """
    data = _history_dict(history)
    available = [k for k in data if not k.startswith("val_")]
    if metrics is None:
        names = available
    else:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        if not names or any(m not in data for m in names):
            raise ValueError(
                "Expected metrics recorded in the history "
                f"({', '.join(map(repr, available))}). Received: metrics={metrics!r}"
            )
    fig = Figure(figsize=(min(COLUMN_WIDTH, 3.5 * len(names)), 3.0), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names, strict=True):
        epochs = range(1, len(data[name]) + 1)
        ax.plot(epochs, data[name], label="training")
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], label="validation")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    _save_figure(fig, path)
    return fig
