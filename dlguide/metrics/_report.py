"""The classification report: precision, recall, F1 and support per class, with averages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_label_list, check_label_pair, check_non_negative_int
from ._classification import _precision_recall_f1

_HEADERS = ("precision", "recall", "f1-score", "support")


@dataclass(frozen=True, eq=False, repr=False)
class ClassificationReport:
    """Per-class precision, recall, F1 and support, with their averages; prints as a table.

    Made by `classification_report`. `print(report)` shows the same table as
    `sklearn.metrics.classification_report`, and `report.to_dict()` returns
    the same dict as its `output_dict=True`.

    Attributes:
        class_names: The class names, one per row.
        precision: Per-class precision, an array in the order of `class_names`.
        recall: Per-class recall.
        f1: Per-class F1 score.
        support: Number of true samples of each class.
        averages: `{"accuracy": (acc, acc, acc), "macro avg": (p, r, f1),
            "weighted avg": (p, r, f1)}`; `"micro avg"` replaces
            `"accuracy"` when `labels` leaves some classes out.
        digits: Decimal places when printed.

    Examples:
        >>> from dlguide.metrics import classification_report
        >>> report = classification_report([0, 1, 1, 0], [0, 1, 0, 0])
        >>> report.class_names, report.support
        (('0', '1'), array([2, 2]))
        >>> report.accuracy
        0.75
        >>> round(report.to_dict()["macro avg"]["f1-score"], 3)
        0.733
    """

    class_names: tuple[str, ...]
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray
    averages: dict[str, tuple[float, float, float]]
    digits: int = 2

    @property
    def accuracy(self) -> float | None:
        """The accuracy, or `None` when `labels` left some classes out of the report."""
        row = self.averages.get("accuracy")
        return None if row is None else row[2]

    def to_dict(self) -> dict[str, Any]:
        """The report as scikit-learn's `classification_report(..., output_dict=True)`."""
        total = float(self.support.sum())
        result: dict[str, Any] = {
            name: dict(zip(_HEADERS, (float(p), float(r), float(f), float(s)), strict=True))
            for name, p, r, f, s in zip(
                self.class_names, self.precision, self.recall, self.f1, self.support, strict=True
            )
        }
        for heading, (p, r, f) in self.averages.items():
            result[heading] = (
                f if heading == "accuracy" else dict(zip(_HEADERS, (p, r, f, total), strict=True))
            )
        return result

    def __str__(self) -> str:
        digits = self.digits
        width = max(*(len(name) for name in self.class_names), len("weighted avg"), digits)
        text = f"{'':>{width}} " + "".join(f" {h:>9}" for h in _HEADERS) + "\n\n"
        row = "{:>{width}} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        for name, p, r, f, s in zip(
            self.class_names, self.precision, self.recall, self.f1, self.support, strict=True
        ):
            text += row.format(name, p, r, f, s, width=width, digits=digits)
        text += "\n"
        total = int(self.support.sum())
        for heading, (p, r, f) in self.averages.items():
            if heading == "accuracy":
                text += f"{heading:>{width}} " + " " * 20 + f" {f:>9.{digits}f} {total:>9}\n"
            else:
                text += row.format(heading, p, r, f, total, width=width, digits=digits)
        return text

    def __repr__(self) -> str:
        return f"ClassificationReport(class_names={self.class_names!r}, accuracy={self.accuracy!r})"


def classification_report(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    class_names: Any = None,
    digits: int = 2,
    zero_division: float = 0.0,
) -> ClassificationReport:
    """Summarise a classifier: precision, recall, F1 and support for every class.

    Below the per-class rows come the accuracy and two averages of each
    column: the macro average (every class counts the same) and the weighted
    average (each class weighted by its support). A class the model never
    predicts has precision 0/0, reported as `zero_division`.

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`).
        y_pred: Predicted class labels, same length and kind as `y_true`.
        labels: The classes to report, in order. By default the sorted labels
            that occur in `y_true` or `y_pred`. If some are left out, the
            "accuracy" row becomes a "micro avg" row over the listed classes.
        class_names: Display names for the classes, one per label (e.g.
            `["malignant", "benign"]`). By default the labels as text.
        digits: Decimal places when printed.
        zero_division: The value of a 0/0 ratio: `0.0` (default), `1.0` or
            `float("nan")`; see `precision_score`.

    Returns:
        A `ClassificationReport`: `print` it for the table, read its arrays,
        or call `to_dict()`. Its text and dict equal scikit-learn's
        `classification_report` for the same arguments.

    Raises:
        ValueError: If the labels are invalid (see `accuracy_score`), if
            `class_names` does not give one name per class, if `digits` is not
            a non-negative integer, or if `zero_division` is not an option.

    Examples:
        >>> from dlguide.metrics import classification_report
        >>> y_true = [0, 0, 0, 1, 1, 2]
        >>> y_pred = [0, 0, 1, 1, 1, 1]
        >>> print(classification_report(y_true, y_pred,
        ...                             class_names=["ant", "bee", "cat"]))
                      precision    recall  f1-score   support
        <BLANKLINE>
                 ant       1.00      0.67      0.80         3
                 bee       0.50      1.00      0.67         2
                 cat       0.00      0.00      0.00         1
        <BLANKLINE>
            accuracy                           0.67         6
           macro avg       0.50      0.56      0.49         6
        weighted avg       0.67      0.67      0.62         6
        <BLANKLINE>
    """
    y_true, y_pred, present = check_label_pair(y_true, y_pred)
    digits = check_non_negative_int(digits, "digits")
    if labels is None:
        labels, labels_given = present, False
    else:
        labels, labels_given = check_label_list(labels, "labels"), True
    if class_names is None:
        names = tuple(str(label) for label in labels.tolist())
    else:
        names = tuple(str(name) for name in class_names)
        if len(names) != len(labels):
            raise ValueError(
                f"Expected one name per class ({len(labels)}). "
                f"Received: class_names={list(class_names)!r}"
            )
    args = {"labels": labels, "pos_label": None, "zero_division": zero_division}
    precision, recall, f1, support = _precision_recall_f1(y_true, y_pred, average=None, **args)
    micro_is_accuracy = not labels_given or set(labels.tolist()) >= set(present.tolist())
    averages = {}
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        averages[heading] = _precision_recall_f1(y_true, y_pred, average=average, **args)[:3]
    return ClassificationReport(names, precision, recall, f1, support, averages, digits)
