"""Classification metrics from predicted labels: accuracy, confusion matrix, precision, recall, F1."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_choice,
    check_label_list,
    check_label_pair,
    check_zero_division,
    label_text,
)

_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def accuracy_score(y_true: Any, y_pred: Any) -> float:
    r"""Return the fraction of samples whose predicted label equals the true label.

    $$\text{accuracy} = \frac{\text{number of correct predictions}}{n}$$

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`): integers,
            booleans or strings.
        y_pred: Predicted class labels, same length and kind as `y_true`.

    Returns:
        The accuracy, a float in [0, 1]. Same value as
        `sklearn.metrics.accuracy_score`.

    Raises:
        ValueError: If an argument is not a non-empty 1-D array of labels (for
            example probabilities, NaN, or a 2-D array), or if the lengths differ.

    Examples:
        >>> from dlguide.metrics import accuracy_score
        >>> accuracy_score([0, 1, 1, 0], [0, 1, 0, 0])
        0.75
        >>> accuracy_score([0, 1, 1], [0.1, 0.9, 0.8])
        Traceback (most recent call last):
        ...
        ValueError: Expected class labels, not scores or probabilities. Threshold them first, e.g. `(probabilities > 0.5).astype(int)`. Received: y_pred with non-integer values such as 0.1
    """
    y_true, y_pred, _ = check_label_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def _label_indices(y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Position of each entry of `y` in `labels`, or -1 where it is not one of them."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    pos = np.clip(np.searchsorted(ordered, y), 0, len(labels) - 1)
    return np.where(ordered[pos] == y, order[pos], -1)


def _confusion_counts(y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray) -> np.ndarray:
    k = len(labels)
    i, j = _label_indices(y_true, labels), _label_indices(y_pred, labels)
    keep = (i >= 0) & (j >= 0)
    counts = np.bincount(i[keep] * k + j[keep], minlength=k * k)
    return counts.reshape(k, k).astype(np.int64)


def confusion_matrix(
    y_true: Any, y_pred: Any, *, labels: Any = None, normalize: str | None = None
) -> np.ndarray:
    """Count how often each true class (row) was predicted as each class (column).

    Entry `[i, j]` is the number of samples of class `labels[i]` predicted as
    `labels[j]`, so the diagonal holds the correct predictions. For two classes
    0 and 1 the matrix reads `[[TN, FP], [FN, TP]]`.

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`).
        y_pred: Predicted class labels, same length and kind as `y_true`.
        labels: The classes, in the order of the rows and columns. By default
            the sorted labels that occur in `y_true` or `y_pred`. Samples whose
            labels are not listed are left out.
        normalize: `None` for counts; `"true"` divides each row by its sum (the
            diagonal is then each class's recall), `"pred"` each column (the
            diagonal is precision), `"all"` everything by `n`. Rows or columns
            with no samples give 0.

    Returns:
        An array of shape `(k, k)`: int64 counts, or float64 fractions when
        `normalize` is set. Same as `sklearn.metrics.confusion_matrix`.

    Raises:
        ValueError: If the labels are invalid (see `accuracy_score`), if
            `labels` repeats a label or names none of the classes in `y_true`,
            or if `normalize` is not one of the options.

    Examples:
        >>> from dlguide.metrics import confusion_matrix
        >>> y_true = [0, 0, 0, 1, 1, 2]
        >>> y_pred = [0, 0, 1, 1, 2, 2]
        >>> confusion_matrix(y_true, y_pred)
        array([[2, 1, 0],
               [0, 1, 1],
               [0, 0, 1]])
        >>> confusion_matrix(y_true, y_pred, normalize="true").diagonal().round(2)
        array([0.67, 0.5 , 1.  ])
    """
    y_true, y_pred, present = check_label_pair(y_true, y_pred)
    check_choice(normalize, "normalize", (None, "true", "pred", "all"))
    if labels is None:
        labels = present
    else:
        labels = check_label_list(labels, "labels")
        if not np.isin(labels, y_true).any():
            raise ValueError(
                "Expected labels to name at least one class that occurs in y_true "
                f"({label_text(np.unique(y_true))}). Received: labels={labels.tolist()!r}"
            )
    counts = _confusion_counts(y_true, y_pred, labels)
    if normalize is None:
        return counts
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "true":
            matrix = counts / counts.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            matrix = counts / counts.sum(axis=0, keepdims=True)
        else:
            matrix = counts / counts.sum()
    return np.nan_to_num(matrix)


def _divide(numerator: np.ndarray, denominator: np.ndarray, zero_division: float) -> np.ndarray:
    """`numerator / denominator`, with `zero_division` wherever the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, zero_division, numerator / safe)


def _nan_average(values: np.ndarray, weights: np.ndarray | None) -> float:
    """Weighted mean that skips NaN entries (scikit-learn's `_nanaverage`)."""
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    values = values[keep]
    if weights is None:
        return float(np.mean(values))
    weights = np.asarray(weights, dtype=np.float64)[keep]
    if weights.sum() == 0:
        return float(np.mean(values))
    return float(np.average(values, weights=weights))


def _precision_recall_f1(
    y_true: Any,
    y_pred: Any,
    *,
    average: str | None,
    pos_label: Any,
    zero_division: Any,
    labels: Any = None,
) -> tuple[Any, Any, Any, np.ndarray]:
    """Precision, recall, F1 and support, per class (`average=None`) or averaged."""
    y_true, y_pred, present = check_label_pair(y_true, y_pred)
    check_choice(average, "average", _AVERAGES)
    zero_value = check_zero_division(zero_division)
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                f"Expected at most two classes for average='binary', but y_true and y_pred "
                f"hold {len(present)} ({label_text(present)}); choose average='macro', "
                "'micro' or 'weighted'. Received: average='binary'"
            )
        if pos_label not in present.tolist() and len(present) == 2:
            raise ValueError(
                f"Expected pos_label to be one of the labels ({label_text(present)}). "
                f"Received: pos_label={pos_label!r}"
            )
        labels = np.asarray([pos_label])
    elif labels is None:
        labels = present
    else:
        labels = check_label_list(labels, "labels")

    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in labels.tolist()])
    pred_sum = np.array([np.sum(y_pred == c) for c in labels.tolist()])
    true_sum = np.array([np.sum(y_true == c) for c in labels.tolist()])
    if average == "micro":
        tp, pred_sum, true_sum = (
            tp.sum(keepdims=True),
            pred_sum.sum(keepdims=True),
            true_sum.sum(keepdims=True),
        )
    precision = _divide(tp, pred_sum, zero_value)
    recall = _divide(tp, true_sum, zero_value)
    f1 = _divide(2 * tp, true_sum + pred_sum, zero_value)
    if average is None:
        return precision, recall, f1, true_sum.astype(np.int64)
    weights = true_sum if average == "weighted" else None
    return (
        _nan_average(precision, weights),
        _nan_average(recall, weights),
        _nan_average(f1, weights),
        true_sum.astype(np.int64),
    )


def precision_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str | None = "binary",
    pos_label: Any = 1,
    zero_division: float = 0.0,
    labels: Any = None,
) -> Any:
    r"""Return the precision: of the samples predicted as a class, the fraction that are.

    $$\text{precision} = \frac{TP}{TP + FP}$$

    Precision answers "when the model says positive, how often is it right?".
    It is 0/0 when a class is never predicted; `zero_division` decides the
    value then.

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`): integers,
            booleans or strings.
        y_pred: Predicted class labels, same length and kind as `y_true`.
        average: How to summarise several classes. `"binary"` (default) scores
            only the class `pos_label` and needs at most two classes;
            `"macro"` is the plain mean over classes; `"weighted"` weights
            each class by its support (number of true samples); `"micro"`
            pools the counts of all classes first (for single-label data it
            equals the accuracy); `None` returns one value per class, in
            sorted label order.
        pos_label: The positive class when `average="binary"`.
        zero_division: The value returned when the ratio is 0/0 (see above):
            `0.0` (default, as scikit-learn but without its warning), `1.0`
            or `float("nan")`. With NaN, averages skip the undefined classes.
        labels: The classes to score and average over when `average` is not
            `"binary"`; by default every label in `y_true` or `y_pred`.

    Returns:
        A float in [0, 1] (or NaN, see `zero_division`), or an array of one
        value per class when `average=None`. Same value as
        `sklearn.metrics.precision_score` with the same arguments.

    Raises:
        ValueError: If the labels are invalid (probabilities, NaN, 2-D,
            different lengths), if `average` or `zero_division` is not one of
            the options, if `average="binary"` meets more than two classes, or
            if `pos_label` is not one of two classes present.

    Examples:
        >>> from dlguide.metrics import precision_score
        >>> y_true = [0, 1, 1, 1, 0, 0]
        >>> y_pred = [0, 1, 0, 1, 1, 0]
        >>> precision_score(y_true, y_pred)  # 2 of the 3 predicted 1s are right
        0.666...
        >>> precision_score([0, 1, 2, 2], [0, 2, 2, 2], average=None)
        array([1.        , 0.        , 0.66666667])
        >>> precision_score([0, 1, 2, 2], [0, 2, 2, 2], average="macro")
        0.555...
    """
    return _precision_recall_f1(
        y_true,
        y_pred,
        average=average,
        pos_label=pos_label,
        zero_division=zero_division,
        labels=labels,
    )[0]


def recall_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str | None = "binary",
    pos_label: Any = 1,
    zero_division: float = 0.0,
    labels: Any = None,
) -> Any:
    r"""Return the recall: of the samples of a class, the fraction the model finds.

    $$\text{recall} = \frac{TP}{TP + FN}$$

    Recall (also sensitivity, or true-positive rate) answers "of the real
    positives, how many did the model catch?". It is 0/0 only when a class
    does not occur in `y_true`; `zero_division` decides the value then.

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`): integers,
            booleans or strings.
        y_pred: Predicted class labels, same length and kind as `y_true`.
        average: How to summarise several classes. `"binary"` (default) scores
            only the class `pos_label` and needs at most two classes;
            `"macro"` is the plain mean over classes; `"weighted"` weights
            each class by its support (number of true samples); `"micro"`
            pools the counts of all classes first (for single-label data it
            equals the accuracy); `None` returns one value per class, in
            sorted label order.
        pos_label: The positive class when `average="binary"`.
        zero_division: The value returned when the ratio is 0/0 (see above):
            `0.0` (default, as scikit-learn but without its warning), `1.0`
            or `float("nan")`. With NaN, averages skip the undefined classes.
        labels: The classes to score and average over when `average` is not
            `"binary"`; by default every label in `y_true` or `y_pred`.

    Returns:
        A float in [0, 1] (or NaN, see `zero_division`), or an array of one
        value per class when `average=None`. Same value as
        `sklearn.metrics.recall_score` with the same arguments.

    Raises:
        ValueError: If the labels are invalid (probabilities, NaN, 2-D,
            different lengths), if `average` or `zero_division` is not one of
            the options, if `average="binary"` meets more than two classes, or
            if `pos_label` is not one of two classes present.

    Examples:
        >>> from dlguide.metrics import recall_score
        >>> y_true = [0, 1, 1, 1, 0, 0]
        >>> y_pred = [0, 1, 0, 1, 1, 0]
        >>> recall_score(y_true, y_pred)  # 2 of the 3 true 1s are found
        0.666...
        >>> recall_score(["cat", "dog", "dog"], ["cat", "cat", "dog"],
        ...              pos_label="dog")
        0.5
    """
    return _precision_recall_f1(
        y_true,
        y_pred,
        average=average,
        pos_label=pos_label,
        zero_division=zero_division,
        labels=labels,
    )[1]


def f1_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str | None = "binary",
    pos_label: Any = 1,
    zero_division: float = 0.0,
    labels: Any = None,
) -> Any:
    r"""Return the F1 score, the harmonic mean of precision and recall.

    $$F_1 = \frac{2 \cdot \text{precision} \cdot \text{recall}}
    {\text{precision} + \text{recall}} = \frac{2\,TP}{2\,TP + FP + FN}$$

    F1 is high only when both precision and recall are. It is 0/0 only when a
    class is neither present nor predicted; `zero_division` decides the value
    then (a class with no true positives otherwise simply scores 0).

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`): integers,
            booleans or strings.
        y_pred: Predicted class labels, same length and kind as `y_true`.
        average: How to summarise several classes. `"binary"` (default) scores
            only the class `pos_label` and needs at most two classes;
            `"macro"` is the plain mean over classes; `"weighted"` weights
            each class by its support (number of true samples); `"micro"`
            pools the counts of all classes first (for single-label data it
            equals the accuracy); `None` returns one value per class, in
            sorted label order.
        pos_label: The positive class when `average="binary"`.
        zero_division: The value returned when the ratio is 0/0 (see above):
            `0.0` (default, as scikit-learn but without its warning), `1.0`
            or `float("nan")`. With NaN, averages skip the undefined classes.
        labels: The classes to score and average over when `average` is not
            `"binary"`; by default every label in `y_true` or `y_pred`.

    Returns:
        A float in [0, 1] (or NaN, see `zero_division`), or an array of one
        value per class when `average=None`. Same value as
        `sklearn.metrics.f1_score` with the same arguments.

    Raises:
        ValueError: If the labels are invalid (probabilities, NaN, 2-D,
            different lengths), if `average` or `zero_division` is not one of
            the options, if `average="binary"` meets more than two classes, or
            if `pos_label` is not one of two classes present.

    Examples:
        >>> from dlguide.metrics import f1_score
        >>> f1_score([0, 1, 1, 1, 0, 0], [0, 1, 0, 1, 1, 0])
        0.666...
        >>> y_true, y_pred = [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]
        >>> round(f1_score(y_true, y_pred, average="macro"), 3)
        0.656
        >>> round(f1_score(y_true, y_pred, average="weighted"), 3)
        0.678
        >>> f1_score(y_true, y_pred, average="micro")  # the accuracy
        0.666...
    """
    return _precision_recall_f1(
        y_true,
        y_pred,
        average=average,
        pos_label=pos_label,
        zero_division=zero_division,
        labels=labels,
    )[2]
