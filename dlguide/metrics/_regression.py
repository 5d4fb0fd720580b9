"""Regression metrics: MAE, MSE, RMSE and R²."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_same_length, check_samples, check_values


def _targets(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays as float64 of shape `(n, num_outputs)`; `(n,)` and `(n, 1)` mix freely."""
    expected = "Expected a 1-D or 2-D array of finite numbers (one row per sample)."
    arrays = []
    for value, name in ((y_true, "y_true"), (y_pred, "y_pred")):
        array = check_values(value, name, expected)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2:
            raise ValueError(f"{expected} Received: {name}.shape={array.shape}")
        check_samples(array, name)
        arrays.append(array)
    y_true, y_pred = arrays
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            "Expected y_true and y_pred to have the same number of outputs (columns). "
            f"Received: y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
        )
    return y_true, y_pred


def mean_absolute_error(y_true: Any, y_pred: Any) -> float:
    r"""Return the mean absolute error (MAE), in the units of the target.

    $$\mathrm{MAE} = \frac{1}{n} \sum_{i=1}^{n} \lvert y_i - \hat{y}_i \rvert$$

    Args:
        y_true: True values, shape `(n,)`, `(n, 1)` or `(n, num_outputs)`.
        y_pred: Predicted values, same number of rows and outputs (a Keras
            prediction of shape `(n, 1)` may be compared with `(n,)` targets).

    Returns:
        The MAE, a float >= 0; for several outputs, the mean over outputs.
        Same value as `sklearn.metrics.mean_absolute_error`.

    Raises:
        ValueError: If an argument is not a non-empty 1-D or 2-D array of
            finite numbers (NaN and infinities are rejected), or if the
            shapes do not match.

    Examples:
        >>> from dlguide.metrics import mean_absolute_error
        >>> mean_absolute_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
        0.5
        >>> mean_absolute_error([1.0, 2.0], [1.0, float("nan")])
        Traceback (most recent call last):
        ...
        ValueError: Expected a 1-D or 2-D array of finite numbers (one row per sample). Received: y_pred with 1 NaN or infinite entries
    """
    y_true, y_pred = _targets(y_true, y_pred)
    return float(np.mean(np.mean(np.abs(y_true - y_pred), axis=0)))


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    r"""Return the mean squared error (MSE), in squared units of the target.

    $$\mathrm{MSE} = \frac{1}{n} \sum_{i=1}^{n} (y_i - \hat{y}_i)^2$$

    Args:
        y_true: True values, shape `(n,)`, `(n, 1)` or `(n, num_outputs)`.
        y_pred: Predicted values, same number of rows and outputs.

    Returns:
        The MSE, a float >= 0; for several outputs, the mean over outputs.
        Same value as `sklearn.metrics.mean_squared_error`.

    Raises:
        ValueError: If an argument is not a non-empty 1-D or 2-D array of
            finite numbers, or if the shapes do not match.

    Examples:
        >>> from dlguide.metrics import mean_squared_error
        >>> mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
        0.375
        >>> mean_squared_error([1.0, 2.0, 3.0], [[1.0], [2.0]])
        Traceback (most recent call last):
        ...
        ValueError: Expected y_true and y_pred to have the same length. Received: len(y_true)=3, len(y_pred)=2
    """
    y_true, y_pred = _targets(y_true, y_pred)
    return float(np.mean(np.mean((y_true - y_pred) ** 2, axis=0)))


def root_mean_squared_error(y_true: Any, y_pred: Any) -> float:
    r"""Return the root mean squared error (RMSE), in the units of the target.

    $$\mathrm{RMSE} = \sqrt{\frac{1}{n} \sum_{i=1}^{n} (y_i - \hat{y}_i)^2}$$

    Args:
        y_true: True values, shape `(n,)`, `(n, 1)` or `(n, num_outputs)`.
        y_pred: Predicted values, same number of rows and outputs.

    Returns:
        The RMSE, a float >= 0; for several outputs, the mean of the per-output
        RMSEs. Same value as `sklearn.metrics.root_mean_squared_error`.

    Raises:
        ValueError: If an argument is not a non-empty 1-D or 2-D array of
            finite numbers, or if the shapes do not match.

    Examples:
        >>> from dlguide.metrics import root_mean_squared_error
        >>> root_mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
        0.612...
    """
    y_true, y_pred = _targets(y_true, y_pred)
    return float(np.mean(np.sqrt(np.mean((y_true - y_pred) ** 2, axis=0))))


def r2_score(y_true: Any, y_pred: Any) -> float:
    r"""Return the coefficient of determination R²: the share of the variance explained.

    $$R^2 = 1 - \frac{\sum_i (y_i - \hat{y}_i)^2}{\sum_i (y_i - \bar{y})^2}$$

    1.0 is a perfect fit, 0.0 is what always predicting the mean $\bar{y}$
    scores, and a worse model goes negative (there is no lower bound). When
    `y_true` is constant the ratio is undefined: R² is then 1.0 for a perfect
    prediction and 0.0 otherwise (scikit-learn's `force_finite=True`).

    Args:
        y_true: True values, shape `(n,)`, `(n, 1)` or `(n, num_outputs)`,
            at least two rows.
        y_pred: Predicted values, same number of rows and outputs.

    Returns:
        R², a float <= 1; for several outputs, the mean over outputs. Same
        value as `sklearn.metrics.r2_score`.

    Raises:
        ValueError: If an argument is not a non-empty 1-D or 2-D array of
            finite numbers, if the shapes do not match, or if there is only one
            sample (scikit-learn warns and returns NaN instead).

    Examples:
        >>> from dlguide.metrics import r2_score
        >>> r2_score([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
        0.948...
        >>> # the mean: no better than a constant
        >>> r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
        0.0
    """
    y_true, y_pred = _targets(y_true, y_pred)
    if len(y_true) < 2:
        raise ValueError(
            "Expected at least two samples: R² compares the errors with the spread of "
            f"y_true. Received: len(y_true)={len(y_true)}"
        )
    numerator = np.sum((y_true - y_pred) ** 2, axis=0)
    denominator = np.sum((y_true - np.mean(y_true, axis=0)) ** 2, axis=0)
    safe = np.where(denominator == 0, 1.0, denominator)
    scores = np.where(denominator != 0, 1 - numerator / safe, np.where(numerator == 0, 1.0, 0.0))
    return float(np.mean(scores))
