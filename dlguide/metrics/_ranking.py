"""Metrics from scores: the ROC curve and the area under it (ROC-AUC)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_bool,
    check_choice,
    check_labels,
    check_same_length,
    check_scores,
    check_values,
    label_text,
)


def _binary_targets(y_true: np.ndarray, pos_label: Any) -> np.ndarray:
    """`y_true == pos_label` as floats, checked to hold both classes."""
    classes = np.unique(y_true)
    if pos_label is None:
        numeric = y_true.dtype.kind in "biuf"
        values = set(classes.tolist()) if numeric else set()
        if not numeric or not (values <= {0, 1} or values <= {-1, 1}):
            raise ValueError(
                "Expected y_true to hold the labels 0 and 1 (or -1 and 1), or a pos_label "
                f"naming the positive class. Received: y_true with labels {label_text(classes)}"
            )
        pos_label = 1
    positive = y_true == pos_label
    if positive.all() or not positive.any():
        raise ValueError(
            "Expected y_true to hold both positive and negative samples: a ROC curve is "
            f"undefined for one class. Received: y_true with labels {label_text(classes)} "
            f"and pos_label={pos_label!r}"
        )
    return positive.astype(np.float64)


def _curve(
    positive: np.ndarray, scores: np.ndarray, drop_intermediate: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positive rates, and thresholds, from the highest score down."""
    order = np.argsort(scores, kind="stable")[::-1]
    scores, positive = scores[order], positive[order]
    # One point per distinct score: ties move the curve diagonally, all at once.
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tps = np.cumsum(positive)[last_of_tie]
    fps = 1 + last_of_tie - tps
    thresholds = scores[last_of_tie]
    if drop_intermediate and len(fps) > 2:  # points on a straight segment change nothing
        corner = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[corner], tps[corner], thresholds[corner]
    tps, fps = np.r_[0.0, tps], np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds]
    return fps / fps[-1], tps / tps[-1], thresholds


def roc_curve(
    y_true: Any, scores: Any, *, pos_label: Any = None, drop_intermediate: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Compute the ROC curve: the true- and false-positive rates at every threshold.

    Predicting "positive" whenever the score is at least a threshold $t$ gives
    a true-positive rate $\mathrm{TPR} = TP / (TP + FN)$ (the recall) and a
    false-positive rate $\mathrm{FPR} = FP / (FP + TN)$. Lowering $t$ from
    $+\infty$ to the smallest score traces the curve from (0, 0) to (1, 1).
    Samples with the same score cross the threshold together, so ties give a
    diagonal step.

    Args:
        y_true: True binary labels, shape `(n,)` (or `(n, 1)`): 0/1, -1/1,
            booleans, or any labels with `pos_label` set.
        scores: One score per sample, higher meaning "more likely positive":
            a probability (e.g. `model.predict(x)` for one sigmoid output,
            shape `(n, 1)` is fine) or any real-valued score.
        pos_label: The positive class. By default 1, which needs `y_true` to
            hold only 0 and 1 (or -1 and 1).
        drop_intermediate: Drop thresholds whose points lie on a straight
            segment between their neighbours (they do not change the curve).

    Returns:
        `(fpr, tpr, thresholds)`: three float64 arrays of the same length, with
        `thresholds` decreasing and starting at `inf`. The same arrays as
        `sklearn.metrics.roc_curve`.

    Raises:
        ValueError: If `y_true` does not hold both classes (the curve is then
            undefined; scikit-learn warns and returns NaN instead), if the
            labels are not 0/1 or -1/1 and `pos_label` is not given, if
            `scores` is not one finite number per sample, or if the lengths
            differ.

    Examples:
        >>> from dlguide.metrics import roc_curve
        >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> fpr
        array([0. , 0. , 0.5, 0.5, 1. ])
        >>> tpr
        array([0. , 0.5, 0.5, 1. , 1. ])
        >>> thresholds
        array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    y_true = check_labels(y_true, "y_true")
    scores = check_scores(scores, "scores")
    check_same_length(y_true, scores, "y_true", "scores")
    check_bool(drop_intermediate, "drop_intermediate")
    return _curve(_binary_targets(y_true, pos_label), scores, drop_intermediate)


def _auc(positive: np.ndarray, scores: np.ndarray) -> float:
    fpr, tpr, _ = _curve(positive, scores, drop_intermediate=True)
    return float(np.trapezoid(tpr, fpr))


def roc_auc_score(y_true: Any, scores: Any, *, average: str | None = "macro") -> Any:
    r"""Return the area under the ROC curve (ROC-AUC).

    The AUC is the probability that a random positive sample gets a higher
    score than a random negative one (ties count half): 1.0 ranks every
    positive first, 0.5 is what random scores get. It needs scores, not
    thresholded labels, and does not depend on any threshold.

    For more than two classes, pass one column of scores per class (e.g. the
    softmax output): each class is scored against the rest (one-vs-rest) and
    the per-class AUCs are averaged.

    Args:
        y_true: True class labels, shape `(n,)` (or `(n, 1)`). With two
            classes, the larger label (1, `True`, or the later string) is the
            positive one.
        scores: Binary: one score per sample, shape `(n,)` or `(n, 1)`.
            Multi-class: shape `(n, k)`, column `j` scoring the `j`-th class
            in sorted label order; `y_true` must hold all `k` classes.
        average: Multi-class only (ignored for two classes): `"macro"` (mean
            of the per-class AUCs), `"weighted"` (weighted by each class's
            support), `"micro"` (one curve over all one-vs-rest decisions) or
            `None` (the per-class AUCs).

    Returns:
        A float in [0, 1], or an array of per-class AUCs for `average=None`.
        Same value as `sklearn.metrics.roc_auc_score` (with
        `multi_class="ovr"` for more than two classes).

    Raises:
        ValueError: If `y_true` holds one class only (scikit-learn warns and
            returns NaN instead), if the number of classes and of score
            columns disagree, if `scores` holds NaN or infinities, if the
            lengths differ, or if `average` is not one of the options.

    Examples:
        >>> import numpy as np
        >>> from dlguide.metrics import roc_auc_score
        >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
        >>> y_true = [0, 1, 2, 2]
        >>> proba = np.array([[0.8, 0.1, 0.1], [0.3, 0.4, 0.3],
        ...                   [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]])
        >>> roc_auc_score(y_true, proba)
        0.847...
        >>> roc_auc_score(y_true, proba, average=None)
        array([1.        , 0.66666667, 0.875     ])
    """
    y_true = check_labels(y_true, "y_true")
    check_choice(average, "average", ("macro", "weighted", "micro", None))
    expected = (
        "Expected scores of shape (n,) or (n, 1) for two classes, or (n, num_classes) for more."
    )
    raw = check_values(scores, "scores", expected)
    if raw.ndim == 2 and raw.shape[1] == 1:
        raw = raw[:, 0]
    if raw.ndim not in (1, 2):
        raise ValueError(f"{expected} Received: scores.shape={raw.shape}")
    check_same_length(y_true, raw, "y_true", "scores")
    classes = np.unique(y_true)
    if len(classes) < 2:
        raise ValueError(
            "Expected y_true to hold at least two classes: ROC-AUC is undefined for one. "
            f"Received: y_true with labels {label_text(classes)}"
        )
    if raw.ndim == 1:
        if len(classes) > 2:
            raise ValueError(
                f"{expected} y_true holds {len(classes)} classes, so pass one column of "
                f"scores per class. Received: scores.shape={raw.shape}"
            )
        return _auc((y_true == classes[1]).astype(np.float64), raw)
    if raw.shape[1] != len(classes) or len(classes) == 2:
        hint = "Pass the scores of the positive class, e.g. `proba[:, 1]`. "
        raise ValueError(
            f"{expected} y_true holds {len(classes)} classes ({label_text(classes)}). "
            f"{hint if len(classes) == 2 else ''}Received: scores.shape={raw.shape}"
        )
    onehot = (y_true[:, None] == classes[None, :]).astype(np.float64)
    if average == "micro":
        return _auc(onehot.ravel(), raw.ravel())
    per_class = np.array([_auc(onehot[:, j], raw[:, j]) for j in range(len(classes))])
    if average is None:
        return per_class
    weights = onehot.sum(axis=0) if average == "weighted" else None
    return float(np.average(per_class, weights=weights))
