"""The ROC curve of a binary classifier, with its AUC."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure

from ..metrics import roc_auc_score, roc_curve
from ._save import _save_figure


def plot_roc_curve(
    y_true: Any,
    scores: Any,
    *,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the ROC curve (true- against false-positive rate), labelled with its AUC.

    Every threshold on the scores gives one point: the false-positive rate
    (the share of negatives flagged) on the x axis, the true-positive rate
    (the recall) on the y axis. A useful model bends towards the top-left
    corner; the dashed diagonal is what random scores give (AUC 0.5). The
    curve and the AUC come from `dlguide.metrics.roc_curve` and
    `dlguide.metrics.roc_auc_score`.

    Args:
        y_true: True binary labels, 0/1 (or -1/1, or booleans), shape `(n,)`
            or `(n, 1)`.
        scores: Scores for the positive class, higher meaning "more likely
            1", shape `(n,)` or `(n, 1)` (e.g. `model.predict(x)` for one
            sigmoid output). Or a dict `{name: scores}` to compare several
            models on one figure.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).
        title: Title above the plot.

    Returns:
        A `matplotlib.figure.Figure` with one curve per model, each labelled
        `"<name> (AUC = 0.97)"` (`"AUC = 0.97"` for a single unnamed model),
        and the chance diagonal.

    Raises:
        ValueError: If `y_true` does not hold both classes 0 and 1, if the
            scores are not one finite number per sample, or if `scores` is an
            empty dict.

    Examples:
        >>> from dlguide.plots import plot_roc_curve
        >>> y_true = [0, 0, 1, 1, 0, 1]
        >>> fig = plot_roc_curve(y_true, [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
        >>> ax = fig.axes[0]
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('false-positive rate', 'true-positive rate (recall)')
        >>> [line.get_label() for line in ax.get_lines()]
        ['AUC = 0.89', 'chance (AUC = 0.5)']
        >>> scores = {"good": [0, 0, 1, 1, 0, 1], "random": [1, 0, 1, 0, 0, 1]}
        >>> fig = plot_roc_curve(y_true, scores)
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['good (AUC = 1.00)', 'random (AUC = 0.67)', 'chance (AUC = 0.5)']
    """
    if isinstance(scores, Mapping):
        if not scores:
            raise ValueError(
                "Expected scores, or a non-empty dict of {name: scores}. Received: scores={}"
            )
        runs = {str(name): value for name, value in scores.items()}
    else:
        runs = {"": scores}
    curves = {}
    for name, values in runs.items():  # check everything before drawing anything
        fpr, tpr, _ = roc_curve(y_true, values)
        curves[name] = (fpr, tpr, roc_auc_score(y_true, values))

    fig = Figure(figsize=(4.6, 4.4), layout="constrained")
    ax = fig.subplots()
    for name, (fpr, tpr, auc) in curves.items():
        label = f"{name} (AUC = {auc:.2f})" if name else f"AUC = {auc:.2f}"
        ax.plot(fpr, tpr, linewidth=2, label=label)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="chance (AUC = 0.5)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("false-positive rate")
    ax.set_ylabel("true-positive rate (recall)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    _save_figure(fig, path)
    return fig
