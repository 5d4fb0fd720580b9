"""dlguide.metrics gives scikit-learn's values, on random and edge-case inputs, and checks its input."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as sk

from dlguide import metrics

NAN = float("nan")


def close(ours, theirs):
    """Equal up to float rounding; NaN equals NaN; shapes and types of result agree."""
    assert np.shape(ours) == np.shape(theirs), (ours, theirs)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    if np.ndim(theirs) == 0:
        assert isinstance(ours, float), type(ours)


def sklearn(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UndefinedMetricWarning and friends
        return function(*args, **kwargs)


def random_labels(seed, num_classes, n, *, drop_predicted=False):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, num_classes, n)
    # Mostly right, sometimes wrong: realistic confusion matrices.
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, num_classes, n))
    if drop_predicted:  # a class the model never predicts
        y_pred[y_pred == num_classes - 1] = 0
    return y_true, y_pred


# A few hand-made cases that hit the edges: perfect, constant, a class never predicted,
# a class predicted but never true, one class only, strings, booleans, floats.
EDGE_CASES = [
    ([0, 1, 1, 0], [0, 1, 1, 0]),  # perfect
    ([0, 1, 1, 0], [1, 1, 1, 1]),  # constant prediction
    ([0, 1, 1, 0], [0, 0, 0, 0]),  # positive class never predicted
    ([0, 0, 0, 0], [0, 0, 0, 0]),  # one class, never positive
    ([1, 1, 1], [1, 1, 1]),  # one class, all positive
    ([0, 0, 0], [0, 1, 0]),  # no true positives exist
    ([0, 1, 2, 2, 1], [0, 2, 2, 2, 0]),  # class 1 never predicted
    ([0, 0, 1, 1], [0, 2, 1, 2]),  # class 2 predicted, never true
    ([2, 2, 2], [2, 2, 2]),
    (["cat", "dog", "dog", "cat"], ["cat", "cat", "dog", "dog"]),
    (["a", "b", "c", "a"], ["a", "c", "c", "b"]),
    ([True, False, True], [True, True, False]),
    ([0.0, 1.0, 1.0], [1.0, 1.0, 0.0]),
    ([3, 5, 3, 5], [5, 5, 3, 3]),  # binary without the label 1
]
RANDOM_CASES = [random_labels(seed, k, n) for seed, (k, n) in enumerate([(2, 30), (2, 7)] * 5)]
RANDOM_CASES += [random_labels(seed, k, 40) for seed, k in enumerate([3, 4, 5, 7] * 3)]
RANDOM_CASES += [random_labels(seed, k, 25, drop_predicted=True) for seed, k in enumerate([3, 6])]
CASES = EDGE_CASES + RANDOM_CASES
ZERO_DIVISIONS = [0.0, 1.0, NAN]


def is_binary(y_true, y_pred):
    return len(np.union1d(y_true, y_pred)) <= 2


@pytest.mark.parametrize(("y_true", "y_pred"), CASES)
def test_accuracy_and_confusion_matrix_match_sklearn(y_true, y_pred):
    close(metrics.accuracy_score(y_true, y_pred), sk.accuracy_score(y_true, y_pred))
    ours = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(ours, sklearn(sk.confusion_matrix, y_true, y_pred))
    assert ours.dtype == np.int64
    for normalize in ("true", "pred", "all"):
        close(
            metrics.confusion_matrix(y_true, y_pred, normalize=normalize),
            sklearn(sk.confusion_matrix, y_true, y_pred, normalize=normalize),
        )


@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS)
@pytest.mark.parametrize(("y_true", "y_pred"), CASES)
def test_precision_recall_f1_match_sklearn(y_true, y_pred, zero_division):
    averages = ["micro", "macro", "weighted", None]
    if is_binary(y_true, y_pred):
        averages.append("binary")
    labels = np.union1d(y_true, y_pred)
    pos_label = 1 if labels.dtype.kind in "biuf" and 1 in labels.tolist() else labels[-1]
    for ours, theirs in [
        (metrics.precision_score, sk.precision_score),
        (metrics.recall_score, sk.recall_score),
        (metrics.f1_score, sk.f1_score),
    ]:
        for average in averages:
            kwargs = {"average": average, "zero_division": zero_division}
            if average == "binary":
                kwargs["pos_label"] = pos_label
            close(ours(y_true, y_pred, **kwargs), sklearn(theirs, y_true, y_pred, **kwargs))


@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS)
@pytest.mark.parametrize(
    "labels", [[0, 1], [2, 1], [0, 1, 2, 3], [3]], ids=["subset", "reordered", "superset", "unseen"]
)
def test_labels_argument_matches_sklearn(labels, zero_division):
    y_true, y_pred = [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0]
    for ours, theirs in [
        (metrics.precision_score, sk.precision_score),
        (metrics.recall_score, sk.recall_score),
        (metrics.f1_score, sk.f1_score),
    ]:
        for average in ("micro", "macro", "weighted", None):
            kwargs = {"labels": labels, "average": average, "zero_division": zero_division}
            close(ours(y_true, y_pred, **kwargs), sklearn(theirs, y_true, y_pred, **kwargs))
    if labels != [3]:  # sklearn: "At least one label specified must be in y_true"
        np.testing.assert_array_equal(
            metrics.confusion_matrix(y_true, y_pred, labels=labels),
            sk.confusion_matrix(y_true, y_pred, labels=labels),
        )


def test_binary_default_scores_the_class_labelled_1():
    y_true, y_pred = [0, 1, 1, 1, 0, 0], [0, 1, 0, 1, 1, 0]
    assert metrics.precision_score(y_true, y_pred) == pytest.approx(2 / 3)
    # Swapping the roles of the classes scores the other class.
    assert metrics.recall_score(y_true, y_pred, pos_label=0) == pytest.approx(2 / 3)
    assert metrics.f1_score([0, 0], [0, 0]) == 0.0  # 0/0 -> zero_division
    assert math.isnan(metrics.f1_score([0, 0], [0, 0], zero_division=NAN))


@pytest.mark.parametrize("digits", [2, 4])
@pytest.mark.parametrize("zero_division", [0.0, 1.0])
@pytest.mark.parametrize(("y_true", "y_pred"), CASES)
def test_classification_report_matches_sklearn(y_true, y_pred, zero_division, digits):
    kwargs = {"digits": digits, "zero_division": zero_division}
    report = metrics.classification_report(y_true, y_pred, **kwargs)
    assert str(report) == sklearn(sk.classification_report, y_true, y_pred, **kwargs)
    theirs = sklearn(sk.classification_report, y_true, y_pred, output_dict=True, **kwargs)
    ours = report.to_dict()
    assert list(ours) == list(theirs)
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert list(ours[key]) == list(value)
            close(list(ours[key].values()), list(value.values()))
        else:
            close(ours[key], value)
    assert report.accuracy == pytest.approx(sk.accuracy_score(y_true, y_pred))


@pytest.mark.parametrize(
    ("labels", "class_names"),
    [
        (None, ["zero", "one", "two"]),
        ([2, 0], None),
        ([2, 0], ["two", "zero"]),
        ([0, 1, 2, 3], None),
    ],
)
def test_classification_report_labels_and_names_match_sklearn(labels, class_names):
    y_true, y_pred = [0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0]
    kwargs = {"labels": labels, "zero_division": 0.0}
    report = metrics.classification_report(y_true, y_pred, class_names=class_names, **kwargs)
    expected = sklearn(sk.classification_report, y_true, y_pred, target_names=class_names, **kwargs)
    assert str(report) == expected
    assert ("accuracy" in report.averages) == (report.accuracy is not None)
    if labels == [2, 0]:  # a class left out: a micro average instead of the accuracy
        assert report.accuracy is None and "micro avg" in report.averages


def test_classification_report_reads_like_its_parts():
    y_true, y_pred = random_labels(3, 4, 50)
    report = metrics.classification_report(y_true, y_pred)
    assert report.class_names == ("0", "1", "2", "3")
    np.testing.assert_array_equal(report.support, np.bincount(y_true, minlength=4))
    close(report.f1, metrics.f1_score(y_true, y_pred, average=None))
    assert report.averages["macro avg"][0] == pytest.approx(report.precision.mean())
    assert (
        repr(report)
        == f"ClassificationReport(class_names={report.class_names!r}, accuracy={report.accuracy!r})"
    )


def random_scores(seed, n, *, ties):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    y_true[:2] = [0, 1]  # both classes present
    scores = rng.normal(y_true * 0.8, 1.0)
    if ties:
        scores = np.round(scores, 1)  # many equal scores
    return y_true, scores


SCORE_CASES = [
    random_scores(seed, n, ties=seed % 2 == 0) for seed, n in enumerate([5, 20, 60, 200] * 3)
]
SCORE_CASES += [
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    ([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]),  # all tied: the diagonal
    ([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]),  # perfect ranking
    ([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]),  # perfectly wrong
    ([0, 1], [0.3, 0.3]),
    ([-1, 1, -1, 1, 1], [-2.0, 3.0, 0.0, 0.0, 1.0]),  # -1/1 labels, real-valued scores
    ([False, True, True], [0.2, 0.9, 0.2]),
]


@pytest.mark.parametrize("drop_intermediate", [True, False])
@pytest.mark.parametrize(("y_true", "scores"), SCORE_CASES)
def test_roc_curve_and_auc_match_sklearn(y_true, scores, drop_intermediate):
    ours = metrics.roc_curve(y_true, scores, drop_intermediate=drop_intermediate)
    theirs = sk.roc_curve(y_true, scores, drop_intermediate=drop_intermediate)
    for a, b in zip(ours, theirs, strict=True):
        close(a, b)
        assert a.dtype == np.float64
    close(metrics.roc_auc_score(y_true, scores), sk.roc_auc_score(y_true, scores))


def test_roc_curve_with_pos_label_and_keras_shaped_scores():
    y_true = np.array(["spam", "ham", "spam", "ham", "ham"])
    scores = np.array([[0.9], [0.4], [0.4], [0.1], [0.6]])  # what model.predict returns
    ours = metrics.roc_curve(y_true, scores, pos_label="spam")
    theirs = sk.roc_curve(y_true, scores[:, 0], pos_label="spam")
    for a, b in zip(ours, theirs, strict=True):
        close(a, b)
    # roc_auc_score takes the larger label ("spam") as positive, as sklearn does.
    close(metrics.roc_auc_score(y_true, scores), sk.roc_auc_score(y_true, scores[:, 0]))


def test_roc_auc_is_the_probability_that_a_positive_outranks_a_negative():
    y_true, scores = random_scores(7, 80, ties=True)
    pos, neg = scores[y_true == 1], scores[y_true == 0]
    pairs = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    assert metrics.roc_auc_score(y_true, scores) == pytest.approx(pairs.mean(), abs=1e-12)


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize(("seed", "num_classes"), [(0, 3), (1, 4), (2, 6), (3, 3)])
def test_multiclass_roc_auc_matches_sklearn_one_vs_rest(seed, num_classes, average):
    rng = np.random.default_rng(seed)
    y_true = np.r_[np.arange(num_classes), rng.integers(0, num_classes, 60)]
    logits = rng.normal(size=(len(y_true), num_classes)) + 1.5 * np.eye(num_classes)[y_true]
    if seed == 3:
        logits = np.round(logits)  # ties
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    close(
        metrics.roc_auc_score(y_true, proba, average=average),
        sk.roc_auc_score(y_true, proba, average=average, multi_class="ovr"),
    )


REGRESSION_CASES = [
    (np.random.default_rng(s).normal(size=n), np.random.default_rng(s + 99).normal(size=n))
    for s, n in enumerate([2, 5, 50, 300])
]
REGRESSION_CASES += [
    (np.random.default_rng(5).normal(size=(20, 3)), np.random.default_rng(6).normal(size=(20, 3))),
    ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),  # perfect
    ([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),  # constant target, perfect: R² = 1
    ([2.0, 2.0, 2.0], [1.0, 2.0, 3.0]),  # constant target, wrong: R² = 0
    ([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]),  # the mean: R² = 0
    ([1, 2, 3, 4], [4, 3, 2, 1]),  # integers, worse than the mean
    (
        [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]],
        [[1.5, 5.0], [2.0, 4.0], [2.0, 5.0]],
    ),  # one constant column
]


@pytest.mark.parametrize(("y_true", "y_pred"), REGRESSION_CASES)
def test_regression_metrics_match_sklearn(y_true, y_pred):
    for name in (
        "mean_absolute_error",
        "mean_squared_error",
        "root_mean_squared_error",
        "r2_score",
    ):
        ours, theirs = getattr(metrics, name), getattr(sk, name)
        close(ours(y_true, y_pred), theirs(y_true, y_pred))


def test_regression_accepts_a_keras_column_against_flat_targets():
    y_true = np.array([3.0, -0.5, 2.0, 7.0])
    y_pred = np.array([[2.5], [0.0], [2.0], [8.0]])  # model.predict on one output unit
    close(metrics.r2_score(y_true, y_pred), sk.r2_score(y_true, y_pred))
    close(metrics.mean_absolute_error(y_true, y_pred), 0.5)


ERRORS = [
    # (function, args, kwargs, message regex)
    (
        metrics.accuracy_score,
        ([0, 1, 1], [0, 1]),
        {},
        r"same length\. Received: len\(y_true\)=3, len\(y_pred\)=2",
    ),
    (
        metrics.f1_score,
        ([0, 1], [[0, 1], [1, 0]]),
        {},
        r"1-D array of class labels.*argmax\(axis=1\).*Received: y_pred\.shape=\(2, 2\)",
    ),
    (metrics.precision_score, ([[[0]]], [0]), {}, r"Received: y_true\.shape=\(1, 1, 1\)"),
    (
        metrics.recall_score,
        ([0, 1, NAN], [0, 1, 1]),
        {},
        r"Received: y_true with 1 NaN or infinite entries",
    ),
    (
        metrics.accuracy_score,
        ([0, 1], [0.2, 0.7]),
        {},
        r"not scores or probabilities.*such as 0\.2",
    ),
    (
        metrics.accuracy_score,
        ([], []),
        {},
        r"at least one sample\. Received: y_true with 0 entries",
    ),
    (metrics.accuracy_score, ([0, 1], ["a", "b"]), {}, r"same kind of labels"),
    (metrics.accuracy_score, ([0, 1], [{}, {}]), {}, r"class labels"),
    (
        metrics.f1_score,
        ([0, 1, 2], [0, 1, 1]),
        {},
        r"at most two classes for average='binary'.*3 \(0, 1, 2\)",
    ),
    (
        metrics.f1_score,
        ([2, 3], [3, 2]),
        {},
        r"pos_label to be one of the labels \(2, 3\)\. Received: pos_label=1",
    ),
    (
        metrics.f1_score,
        ([0, 1], [0, 1]),
        {"average": "samples"},
        r"Expected one of .*Received: average='samples'",
    ),
    (metrics.f1_score, ([0, 1], [0, 1]), {"zero_division": 0.5}, r"Received: zero_division=0\.5"),
    (
        metrics.f1_score,
        ([0, 1], [0, 1]),
        {"zero_division": "warn"},
        r"Received: zero_division='warn'",
    ),
    (
        metrics.f1_score,
        ([0, 1], [0, 1]),
        {"average": None, "labels": [1, 1]},
        r"distinct labels\. Received: labels=\[1, 1\]",
    ),
    (
        metrics.confusion_matrix,
        ([0, 1], [0, 1]),
        {"labels": [5]},
        r"at least one class that occurs in y_true \(0, 1\)",
    ),
    (
        metrics.confusion_matrix,
        ([0, 1], [0, 1]),
        {"normalize": "rows"},
        r"Received: normalize='rows'",
    ),
    (
        metrics.classification_report,
        ([0, 1], [0, 1]),
        {"class_names": ["a"]},
        r"one name per class \(2\)",
    ),
    (metrics.classification_report, ([0, 1], [0, 1]), {"digits": -1}, r"Received: digits=-1"),
    (metrics.roc_curve, ([0, 0, 0], [0.1, 0.2, 0.3]), {}, r"both positive and negative samples"),
    (
        metrics.roc_curve,
        ([1, 2, 2], [0.1, 0.2, 0.3]),
        {},
        r"labels 0 and 1 \(or -1 and 1\), or a pos_label.*labels 1, 2",
    ),
    (
        metrics.roc_curve,
        ([0, 1], [0.1, NAN]),
        {},
        r"Received: scores with 1 NaN or infinite entries",
    ),
    (metrics.roc_curve, ([0, 1, 1], [0.1, 0.9]), {}, r"len\(y_true\)=3, len\(scores\)=2"),
    (
        metrics.roc_curve,
        ([0, 1], [[0.9, 0.1], [0.2, 0.8]]),
        {},
        r"proba\[:, 1\].*Received: scores\.shape=\(2, 2\)",
    ),
    (
        metrics.roc_curve,
        ([0, 1], [0.1, 0.9]),
        {"drop_intermediate": "yes"},
        r"Received: drop_intermediate='yes'",
    ),
    (metrics.roc_auc_score, ([1, 1, 1], [0.1, 0.2, 0.3]), {}, r"at least two classes.*labels 1"),
    (
        metrics.roc_auc_score,
        ([0, 1, 2], [0.1, 0.2, 0.3]),
        {},
        r"3 classes, so pass one column of scores per class",
    ),
    (
        metrics.roc_auc_score,
        ([0, 1, 2], np.ones((3, 4))),
        {},
        r"holds 3 classes \(0, 1, 2\)\. Received: scores\.shape=\(3, 4\)",
    ),
    (metrics.roc_auc_score, ([0, 1], [[0.9, 0.1], [0.2, 0.8]]), {}, r"proba\[:, 1\]"),
    (
        metrics.roc_auc_score,
        ([0, 1], [0.1, 0.9]),
        {"average": "binary"},
        r"Received: average='binary'",
    ),
    (
        metrics.mean_squared_error,
        ([1.0, 2.0], [1.0, np.inf]),
        {},
        r"Received: y_pred with 1 NaN or infinite entries",
    ),
    (metrics.mean_absolute_error, ([1.0, 2.0], [1.0]), {}, r"len\(y_true\)=2, len\(y_pred\)=1"),
    (
        metrics.mean_absolute_error,
        (np.ones((3, 2)), np.ones((3, 3))),
        {},
        r"same number of outputs.*\(3, 2\), y_pred\.shape=\(3, 3\)",
    ),
    (
        metrics.root_mean_squared_error,
        (np.ones((2, 2, 2)), np.ones((2, 2, 2))),
        {},
        r"Received: y_true\.shape=\(2, 2, 2\)",
    ),
    (metrics.r2_score, ([1.0], [2.0]), {}, r"at least two samples.*len\(y_true\)=1"),
    (
        metrics.r2_score,
        (["a", "b"], [1.0, 2.0]),
        {},
        r"finite numbers.*Received: y_true of dtype <U1",
    ),
    (metrics.mean_squared_error, ([], []), {}, r"at least one sample"),
]


@pytest.mark.parametrize(("function", "args", "kwargs", "message"), ERRORS)
def test_bad_input_gets_a_keras_style_error(function, args, kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        function(*args, **kwargs)
    assert "Received:" in str(info.value)
    # Raised by our checks up front, not by NumPy deep inside.
    raised_in = Path(info.traceback[-1].frame.code.path)
    assert raised_in.parent.name == "metrics" or raised_in.name == "_validation.py", raised_in


def test_metrics_do_not_import_keras():
    code = (
        "import sys; from dlguide import metrics; metrics.f1_score([0, 1], [0, 1]); "
        "metrics.roc_auc_score([0, 1], [0.2, 0.8]); "
        "print(sorted(m for m in ('keras', 'tensorflow', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
