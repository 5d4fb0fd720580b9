"""How a classifier errs: the confusion matrix and the misclassified examples."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import (
    check_choice,
    check_class_indices,
    check_class_names,
    check_positive_int,
    check_same_length,
)
from ..metrics import confusion_matrix
from ._images import _image_list, plot_images
from ._save import COLUMN_WIDTH, _save_figure


def _predicted(y_pred: Any, num: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Labels, and the confidence of each when y_pred holds class scores."""
    scores = np.asarray(y_pred)
    confidence = None
    if scores.ndim == 2 and scores.shape[1] > 1 and np.issubdtype(scores.dtype, np.floating):
        labels = scores.argmax(axis=1)
        confidence = scores.max(axis=1)
    elif scores.ndim == 2 and scores.shape[1] == 1:
        labels = scores[:, 0]
    else:
        labels = scores
    if (
        labels.shape != (num,)
        or not np.issubdtype(labels.dtype, np.number)
        or np.any(labels < 0)
        or not np.all(labels == np.round(labels))
    ):
        raise ValueError(
            f"Expected y_pred with one integer label, or one row of class scores, per example "
            f"({num} examples). Received: y_pred of shape {scores.shape}"
        )
    return labels.astype(np.int64), confidence


def plot_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    class_names: Sequence[str] | None = None,
    normalize: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw the confusion matrix: how often each true class is predicted as each class.

    Rows are the true classes, columns the predicted ones, so the diagonal
    holds the correct predictions and every off-diagonal cell is one kind of
    mistake. The title gives the accuracy.

    Args:
        y_true: True integer labels, shape `(num_examples,)`.
        y_pred: Predicted labels of the same shape, or class scores of shape
            `(num_examples, num_classes)` (e.g. `model.predict(x)`), whose
            largest entry is taken as the prediction.
        class_names: Names of the classes 0, 1, ..., for the axes.
        normalize: As in `dlguide.metrics.confusion_matrix`: `None` shows
            counts; `"true"` divides each row by its total, so a cell is the
            fraction of that true class (the diagonal is each class's
            recall); `"pred"` divides each column (the diagonal is
            precision); `"all"` divides by the number of examples.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure` whose cells are annotated with their
        counts (or fractions).

    Raises:
        ValueError: If the labels are not integer labels of matching length,
            `class_names` is too short, or `normalize` is not one of the
            options.

    Examples:
        >>> from dlguide.plots import plot_confusion_matrix
        >>> y_true = [0, 0, 1, 1, 2, 2]
        >>> y_pred = [0, 0, 1, 2, 2, 2]
        >>> fig = plot_confusion_matrix(y_true, y_pred,
        ...                             class_names=["cat", "dog", "fox"])
        >>> ax = fig.axes[0]
        >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
        ('accuracy 0.833 (5 of 6)', 'predicted', 'true')
        >>> [text.get_text() for text in ax.texts]  # row by row
        ['2', '0', '0', '0', '1', '1', '0', '0', '2']
        >>> fig = plot_confusion_matrix(y_true, y_pred, normalize="true")
        >>> [text.get_text() for text in fig.axes[0].texts][3:6]
        ['0.00', '0.50', '0.50']
    """
    labels = check_class_indices(y_true, "y_true")
    predicted, _ = _predicted(y_pred, len(labels))
    normalize = check_choice(normalize, "normalize", (None, "true", "pred", "all"))
    num_classes = int(max(labels.max(), predicted.max())) + 1
    names = check_class_names(class_names, num_classes)
    num_classes = len(names)

    classes = np.arange(num_classes)
    counts = confusion_matrix(labels, predicted, labels=classes)
    values = confusion_matrix(labels, predicted, labels=classes, normalize=normalize)
    values = values.astype(np.float64)

    side = min(COLUMN_WIDTH - 1.0, max(3.6, 1.2 + 0.5 * num_classes))
    fig = Figure(figsize=(side + 1.0, side), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(values, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8)
    threshold = values.max() / 2
    fontsize = 9 if num_classes <= 12 else 7  # more classes: smaller cells
    for i in range(num_classes):
        for j in range(num_classes):
            text = str(counts[i, j]) if normalize is None else f"{values[i, j]:.2f}"
            color = "white" if values[i, j] > threshold else "black"
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize=fontsize)
    ax.set_xticks(range(num_classes), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(range(num_classes), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    correct = int(np.trace(counts))
    ax.set_title(f"accuracy {correct / len(labels):.3f} ({correct} of {len(labels)})")
    _save_figure(fig, path)
    return fig


def plot_misclassified(
    x: Any,
    y_true: Any,
    y_pred: Any,
    *,
    class_names: Sequence[str] | None = None,
    max_images: int = 16,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show the examples a classifier gets wrong, with their true and predicted labels.

    Looking at the mistakes tells you more than the accuracy: are they
    ambiguous even for a person, mislabelled, or a real blind spot? When
    `y_pred` holds class scores, the most confident mistakes come first and
    each title shows the confidence.

    Args:
        x: The images, shape `(num_examples, height, width)` or
            `(num_examples, height, width, channels)`.
        y_true: True integer labels, shape `(num_examples,)`.
        y_pred: Predicted labels, or class scores of shape
            `(num_examples, num_classes)` such as `model.predict(x)`.
        class_names: Names of the classes 0, 1, ..., for the titles.
        max_images: Show at most this many mistakes.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure`: one panel per mistake shown (six to a
        row), titled `"true 4\\npred 9"` on two lines; or a single panel saying
        there is no mistake.

    Raises:
        ValueError: If the shapes do not match or an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_misclassified
        >>> x = np.zeros((5, 8, 8), dtype=np.uint8)
        >>> y_true = np.array([0, 1, 2, 3, 4])
        >>> y_pred = np.array([0, 7, 2, 3, 1])
        >>> fig = plot_misclassified(x, y_true, y_pred)
        >>> [ax.get_title() for ax in fig.axes]
        ['true 1\\npred 7', 'true 4\\npred 1']
        >>> fig.get_suptitle()
        '2 of 5 misclassified'
    """
    images = _image_list(x)
    labels = check_class_indices(y_true, "y_true")
    check_same_length(images, labels, "x", "y_true", "number of examples")
    predicted, confidence = _predicted(y_pred, len(labels))
    max_images = check_positive_int(max_images, "max_images")
    num_classes = int(max(labels.max(), predicted.max())) + 1
    names = check_class_names(class_names, num_classes)

    wrong = np.flatnonzero(labels != predicted)
    if confidence is not None:
        wrong = wrong[np.argsort(-confidence[wrong], kind="stable")]
    summary = f"{len(wrong)} of {len(labels)} misclassified"
    if len(wrong) == 0:
        fig = Figure(figsize=(3.0, 1.2), layout="constrained")
        ax = fig.subplots()
        ax.text(0.5, 0.5, "no misclassified examples", ha="center", va="center")
        ax.set_axis_off()
        fig.suptitle(summary)
        _save_figure(fig, path)
        return fig
    shown = wrong[:max_images]
    titles = []
    for i in shown:
        title = f"true {names[labels[i]]}\npred {names[predicted[i]]}"
        if confidence is not None:
            title += f" ({confidence[i]:.2f})"
        titles.append(title)
    fig = plot_images([images[i] for i in shown], titles, ncols=min(6, len(shown)))
    if len(shown) < len(wrong):
        summary += f" (the first {len(shown)} shown)"
    fig.suptitle(summary)
    _save_figure(fig, path)
    return fig
