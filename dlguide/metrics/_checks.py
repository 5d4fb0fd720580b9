"""Input checks for the metrics: arrays of labels, of scores and of targets.

Every check raises `ValueError` with a Keras-style message that names the
argument, e.g. `Expected y_true and y_pred to have the same length.
Received: len(y_true)=3, len(y_pred)=4`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

_NUMERIC_KINDS = "biuf"
_STRING_KINDS = "US"


def _as_array(value: Any, name: str, expected: str) -> np.ndarray:
    """`np.asarray(value)`, with Python objects (e.g. a list of str) made a plain array."""
    try:
        array = np.asarray(value)
        if array.dtype == object:
            array = np.asarray(array.tolist())
    except (TypeError, ValueError):
        raise ValueError(f"{expected} Received: {name}={value!r}") from None
    return array


def _column(array: np.ndarray, name: str, expected: str, hint: str = "") -> np.ndarray:
    """A 1-D view of `array`; a column of shape `(n, 1)` (a Keras prediction) is flattened."""
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{expected}{hint} Received: {name}.shape={array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"Expected at least one sample. Received: {name} with 0 entries")
    return array


def _non_finite(array: np.ndarray, name: str, expected: str) -> None:
    bad = int(array.size - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(f"{expected} Received: {name} with {bad} NaN or infinite entries")


def _labels(value: Any, name: str) -> np.ndarray:
    """Class labels (integers, integer-valued floats, booleans or strings) as a 1-D array."""
    expected = "Expected a 1-D array of class labels (integers or strings)."
    array = _as_array(value, name, expected)
    hint = ""
    if array.ndim == 2 and array.shape[1] > 1:
        hint = (
            " For class probabilities of shape (batch_size, num_classes), pass "
            "`probabilities.argmax(axis=1)`."
        )
    array = _column(array, name, expected, hint)
    kind = array.dtype.kind
    if kind not in _NUMERIC_KINDS + _STRING_KINDS:
        raise ValueError(f"{expected} Received: {name} of dtype {array.dtype}")
    if kind == "f":
        _non_finite(array, name, expected)
        fractional = array[array != np.round(array)]
        if fractional.size:
            raise ValueError(
                "Expected class labels, not scores or probabilities. Threshold them first, "
                "e.g. `(probabilities > 0.5).astype(int)`. Received: "
                f"{name} with non-integer values such as {fractional[0]:.4g}"
            )
    return array


def _same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if len(a) != len(b):
        raise ValueError(
            f"Expected {name_a} and {name_b} to have the same length. "
            f"Received: len({name_a})={len(a)}, len({name_b})={len(b)}"
        )


def _label_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked `y_true`, `y_pred` and the sorted labels that occur in either."""
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    _same_length(y_true, y_pred, "y_true", "y_pred")
    if (y_true.dtype.kind in _STRING_KINDS) != (y_pred.dtype.kind in _STRING_KINDS):
        raise ValueError(
            "Expected y_true and y_pred to hold the same kind of labels (both numbers or "
            f"both strings). Received: y_true of dtype {y_true.dtype}, "
            f"y_pred of dtype {y_pred.dtype}"
        )
    return y_true, y_pred, np.union1d(y_true, y_pred)


def _label_list(value: Any, name: str) -> np.ndarray:
    """A user-given list of distinct labels (the `labels=` argument)."""
    array = _labels(value, name)
    if len(np.unique(array)) != len(array):
        raise ValueError(f"Expected distinct labels. Received: {name}={array.tolist()!r}")
    return array


def _values(value: Any, name: str, expected: str) -> np.ndarray:
    """A float64 array of finite numbers (any shape; shapes are checked by the caller)."""
    array = _as_array(value, name, expected)
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise ValueError(f"{expected} Received: {name} of dtype {array.dtype}")
    array = array.astype(np.float64)
    _non_finite(array, name, expected)
    return array


def _scores(value: Any, name: str) -> np.ndarray:
    """One finite score per sample, as a 1-D float64 array (a `(n, 1)` column is flattened)."""
    expected = "Expected a 1-D array of finite scores (one per sample)."
    array = _values(value, name, expected)
    hint = ""
    if array.ndim == 2 and array.shape[1] == 2:
        hint = " For two classes, pass the scores of the positive class, e.g. `proba[:, 1]`."
    return _column(array, name, expected, hint)


def _zero_division(value: Any) -> float:
    """The value a metric takes when its denominator is 0: 0.0, 1.0 or NaN."""
    if (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and (value in (0, 1) or math.isnan(value))
    ):
        return float(value)
    raise ValueError(f"Expected 0.0, 1.0 or float('nan'). Received: zero_division={value!r}")


def _label_text(labels: np.ndarray) -> str:
    return ", ".join(map(repr, labels.tolist()))
