"""Evaluation metrics in plain NumPy, with the same values as scikit-learn's.

Classification from labels (`accuracy_score`, `precision_score`,
`recall_score`, `f1_score`, `confusion_matrix`, `classification_report`),
from scores (`roc_curve`, `roc_auc_score`), and regression
(`mean_absolute_error`, `mean_squared_error`, `root_mean_squared_error`,
`r2_score`). The names and the values are those of `sklearn.metrics`; the
tests compare the two on many random and edge-case inputs. Nothing here
imports Keras: pass NumPy arrays, lists, or Keras predictions (a column of
shape `(n, 1)` is accepted wherever one value per sample is expected).

For generated samples: `frechet_distance` between two sets of features,
`class_coverage` (how many classes a generator draws), and
`ClassifierFeatures`, a small digit classifier trained in the run whose
hidden layer gives those features (the one part that imports Keras, when
it is trained). Their Fréchet distance is not the published FID.

Where a ratio is 0/0 (precision of a class that is never predicted, for
example) the result is the `zero_division` argument, 0.0 by default, as in
scikit-learn but without a warning. Where a metric is undefined altogether
(ROC for a single class, R² of one sample) a `ValueError` says so, where
scikit-learn warns and returns NaN.

Examples:
    >>> from dlguide import metrics
    >>> y_true, y_pred = [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]
    >>> (metrics.accuracy_score(y_true, y_pred),
    ...  metrics.recall_score(y_true, y_pred))
    (0.8, 0.666...)
    >>> metrics.confusion_matrix(y_true, y_pred)
    array([[2, 0],
           [1, 2]])
"""

from ._classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
)
from ._generative import ClassifierFeatures, class_coverage, frechet_distance
from ._ranking import roc_auc_score, roc_curve
from ._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from ._report import ClassificationReport, classification_report

__all__ = [
    # classification, from labels
    "ClassificationReport",
    "accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "precision_score",
    "recall_score",
    # classification, from scores
    "roc_auc_score",
    "roc_curve",
    # generated samples
    "ClassifierFeatures",
    "class_coverage",
    "frechet_distance",
    # regression
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "root_mean_squared_error",
]
