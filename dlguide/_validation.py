"""Argument checks shared by the public functions: the package's one validation module.

Every check raises `ValueError` with a Keras-style message that names the
argument and repeats the value received, e.g.
`Expected a positive integer. Received: units=-3`. Every public function runs
its arguments through these checks before NumPy, Keras or OpenCV sees them.

This module imports neither NumPy nor Keras at import time, so that
`import dlguide` stays cheap; the checks that need them import them when called.
"""

from __future__ import annotations

import difflib
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    """A finite real number (not a bool, not NaN, not infinite)."""
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and abs(value) != float("inf")
    )


def _received(name: str, value: Any) -> str:
    return f"Received: {name}={value!r}"


# --------------------------------------------------------------------------- numbers


def check_positive_int(value: Any, name: str, *, allow_none: bool = False) -> Any:
    """Return `value` as an `int` if it is an integer > 0 (or `None` when `allow_none`)."""
    if value is None and allow_none:
        return None
    if not _is_int(value) or value <= 0:
        expected = "a positive integer or None" if allow_none else "a positive integer"
        raise ValueError(f"Expected {expected}. {_received(name, value)}")
    return int(value)


def check_non_negative_int(value: Any, name: str) -> int:
    """Return `value` as an `int` if it is an integer >= 0."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"Expected a non-negative integer. {_received(name, value)}")
    return int(value)


def check_positive_float(value: Any, name: str, *, allow_none: bool = False) -> Any:
    """Return `value` as a float if it is a finite real number > 0 (e.g. a learning rate)."""
    if value is None and allow_none:
        return None
    if not _is_real(value) or value <= 0:
        expected = "a positive float or None" if allow_none else "a positive float"
        raise ValueError(f"Expected {expected}. {_received(name, value)}")
    return float(value)


def check_non_negative_float(value: Any, name: str) -> float:
    """Return `value` as a float if it is a finite real number >= 0."""
    if not _is_real(value) or value < 0:
        raise ValueError(f"Expected a non-negative float. {_received(name, value)}")
    return float(value)


def check_real(value: Any, name: str) -> float:
    """Return `value` as a float if it is a finite real number (of any sign)."""
    if not _is_real(value):
        raise ValueError(f"Expected a real number. {_received(name, value)}")
    return float(value)


def check_rate(value: Any, name: str) -> float:
    """Return `value` as a float if 0 <= value < 1 (a dropout-style rate)."""
    if not _is_real(value) or not 0 <= value < 1:
        raise ValueError(f"Expected a float in the range [0, 1). {_received(name, value)}")
    return float(value)


def check_seed(value: Any, name: str = "seed", *, generator: bool = False) -> Any:
    """Check a `seed`: a non-negative integer or `None` (fresh randomness).

    With `generator=True` (functions that draw again and again, e.g. while
    generating text) a `numpy.random.Generator` is accepted too, and the
    result is always a `Generator`: the one given, or a new one seeded with
    `value`. Otherwise the result is the int, or `None`.
    """
    if generator:
        import numpy as np

        if isinstance(value, np.random.Generator):
            return value
        if value is None or (_is_int(value) and value >= 0):
            return np.random.default_rng(None if value is None else int(value))
        raise ValueError(
            "Expected a non-negative integer, None or a numpy.random.Generator. "
            f"{_received(name, value)}"
        )
    if value is None:
        return None
    if not _is_int(value) or value < 0:
        raise ValueError(f"Expected a non-negative integer or None. {_received(name, value)}")
    return int(value)


def check_schedule(value: Any, name: str = "schedule") -> Any:
    """Check a diffusion noise schedule: the dict `dlguide.scratch.noise_schedule` returns."""
    keys = ("betas", "alphas", "alpha_bars")
    if not isinstance(value, dict) or not all(key in value for key in keys):
        raise ValueError(
            "Expected a schedule from dlguide.scratch.noise_schedule (a dict with keys "
            f"'betas', 'alphas', 'alpha_bars'). {_received(name, value)}"
        )
    return value


# --------------------------------------------------------------------------- other scalars


def check_bool(value: Any, name: str) -> bool:
    """Return `value` if it is `True` or `False`."""
    if not isinstance(value, bool):
        raise ValueError(f"Expected a bool (True or False). {_received(name, value)}")
    return value


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """Return `value` if it is one of `choices`, else list the valid ones."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(
            f"Expected one of {', '.join(map(repr, choices))}. {_received(name, value)}"
        )
    return value


def check_non_empty_str(value: Any, name: str, *, allow_none: bool = False) -> Any:
    """Return `value` if it is a non-empty string (e.g. a model's `name`), or `None` if allowed."""
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or not value:
        expected = "a non-empty string or None" if allow_none else "a non-empty string"
        raise ValueError(f"Expected {expected}. {_received(name, value)}")
    return value


def check_path(value: Any, name: str) -> Path:
    """Return `value` as a `Path` if it is a non-empty `str` or `os.PathLike`."""
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ValueError(f"Expected a file path (str or pathlib.Path). {_received(name, value)}")
    return Path(value)


def lookup(table: Mapping[str, T], name: Any, what: str) -> T:
    """Return `table[name]`, or raise a ValueError that suggests the closest key.

    `what` names the kind of thing looked up, e.g. `"dataset"`:
    "Unknown dataset. Did you mean 'mnist'? Received: name='minst'".
    """
    if isinstance(name, str) and name in table:
        return table[name]
    close = difflib.get_close_matches(str(name), list(table), n=1)
    hint = (
        f"Did you mean {close[0]!r}?"
        if close
        else f"Expected one of {', '.join(map(repr, sorted(table)))}."
    )
    raise ValueError(f"Unknown {what}. {hint} {_received('name', name)}")


# --------------------------------------------------------------------------- shapes and sizes


def check_shape(value: Any, name: str) -> tuple[int, ...]:
    """Return a shape tuple from an int or a non-empty sequence of positive ints."""
    shape = (value,) if _is_int(value) else value
    if (
        not isinstance(shape, Sequence)
        or isinstance(shape, str)
        or len(shape) == 0
        or not all(_is_int(v) and v > 0 for v in shape)
    ):
        raise ValueError(
            "Expected a positive integer or a non-empty tuple of positive "
            f"integers. {_received(name, value)}"
        )
    return tuple(int(v) for v in shape)


def check_int_sequence(value: Any, name: str, *, non_empty: bool = False) -> tuple[int, ...]:
    """Return a tuple of positive ints from an int or a sequence (empty unless `non_empty`)."""
    items = value
    if _is_int(items):
        items = (items,)
    if isinstance(items, Iterable) and not isinstance(items, (str, dict)):
        items = tuple(items)
    if (
        not isinstance(items, tuple)
        or not all(_is_int(v) and v > 0 for v in items)
        or (non_empty and not items)
    ):
        kind = "a non-empty sequence" if non_empty else "a sequence"
        raise ValueError(
            f"Expected a positive integer or {kind} of positive integers. {_received(name, value)}"
        )
    return tuple(int(v) for v in items)


def check_int_pair(value: Any, name: str) -> tuple[int, int]:
    """Return `(a, b)` from a positive int `a` (meaning `(a, a)`) or a pair of positive ints.

    Used for kernel sizes, strides and pool sizes, which Keras accepts in both forms.
    """
    pair = (value, value) if _is_int(value) else value
    if (
        not isinstance(pair, Sequence)
        or isinstance(pair, str)
        or len(pair) != 2
        or not all(_is_int(v) and v > 0 for v in pair)
    ):
        raise ValueError(
            f"Expected a positive integer or a pair of positive integers. {_received(name, value)}"
        )
    return int(pair[0]), int(pair[1])


def check_same_length(a: Any, b: Any, name_a: str, name_b: str, what: str = "length") -> None:
    """Raise unless `len(a) == len(b)`, e.g. `x` and `y` with one label per example."""
    if len(a) != len(b):
        raise ValueError(
            f"Expected {name_a} and {name_b} to have the same {what}. "
            f"Received: len({name_a})={len(a)}, len({name_b})={len(b)}"
        )


# --------------------------------------------------------------------------- arrays


def check_array(
    value: Any,
    name: str,
    expected: str,
    *,
    ndims: Iterable[int],
    shape_ok: Any = None,
    dtype: Any = "float64",
) -> Any:
    """Return `value` as a finite, non-empty NumPy array with one of `ndims` axes.

    `expected` starts the message ("Expected a 2-D array of finite numbers.");
    `shape_ok(shape)`, if given, is a further check of the shape.
    """
    import numpy as np

    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{expected} {_received(name, value)}") from None
    if (
        array.ndim not in tuple(ndims)
        or 0 in array.shape
        or (shape_ok is not None and not shape_ok(array.shape))
    ):
        raise ValueError(f"{expected} Received: {name}.shape={array.shape}")
    check_finite(array, name, expected)
    return array


def check_finite(array: Any, name: str, expected: str) -> None:
    """Raise, counting the bad entries, if a numeric array holds NaN or infinite values."""
    import numpy as np

    bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(f"{expected} Received: {name} with {bad} NaN or infinite entries")


def check_features(value: Any, name: str, num_features: int) -> Any:
    """Return `value` as a float64 NumPy array of shape (batch_size, num_features), all finite."""
    expected = f"Expected a 2-D array of finite numbers of shape (batch_size, {num_features})."
    return check_array(
        value, name, expected, ndims=(2,), shape_ok=lambda shape: shape[1] == num_features
    )


def check_ids(value: Any, name: str, *, allow_empty: bool = False) -> Any:
    """Return `value` as a 1-D NumPy array of integer ids (token or character ids)."""
    import numpy as np

    array = np.asarray(value)
    empty = array.ndim == 1 and array.size == 0
    if (
        array.ndim != 1
        or (empty and not allow_empty)
        or (not empty and not np.issubdtype(array.dtype, np.integer))
    ):
        raise ValueError(f"Expected a 1-D sequence of integer ids. {_received(name, value)}")
    return array


def check_image(
    value: Any, name: str = "image", *, channels: Iterable[int] = (3,), uint8: bool = False
) -> Any:
    """Return an image as an array of shape (H, W) or (H, W, C), C in `channels`.

    A single channel (H, W, 1) is squeezed to (H, W); a bool mask becomes
    uint8 0/255. The values are not changed otherwise. With `uint8=True` the
    image must hold grey levels 0-255 as `uint8`, which several OpenCV
    functions (Canny, threshold, the cascades) require.
    """
    import numpy as np

    array = np.asarray(value)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    channels = tuple(channels)
    if (
        array.ndim not in (2, 3)
        or (array.ndim == 3 and array.shape[2] not in channels)
        or 0 in array.shape
        or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool)
    ):
        forms = " or ".join(f"(height, width, {c})" for c in channels)
        raise ValueError(
            f"Expected an image: a numeric array of shape (height, width) or {forms}. "
            f"Received: {name} of shape {array.shape} and dtype {array.dtype}"
        )
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if uint8 and array.dtype != np.uint8:
        raise ValueError(
            "Expected a uint8 image with grey levels 0-255 (for a float image in [0, 1] "
            f"use (image * 255).astype('uint8')). Received: {name}.dtype={array.dtype}"
        )
    return array


def check_rgb(value: Any, name: str) -> tuple[int, int, int]:
    """Return a colour as three integers in 0-255."""
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 3
        or not all(_is_int(v) and 0 <= v <= 255 for v in value)
    ):
        raise ValueError(
            f"Expected a colour as 3 integers in 0-255, e.g. (255, 0, 0). {_received(name, value)}"
        )
    return (int(value[0]), int(value[1]), int(value[2]))


def check_thickness(value: Any, name: str = "thickness") -> int:
    """Return a line thickness in pixels: a positive integer, or -1 to fill the shape."""
    if not _is_int(value) or not (value > 0 or value == -1):
        raise ValueError(
            f"Expected a positive integer, or -1 to fill the shape. {_received(name, value)}"
        )
    return int(value)


def check_color_order(value: Any, name: str = "color") -> str:
    """Return `"rgb"` or `"bgr"`: the channel order of an image (OpenCV's own is BGR)."""
    return check_choice(value, name, ("rgb", "bgr"))


# --------------------------------------------------------------------------- labels and scores

_NUMERIC_KINDS = "biuf"
_STRING_KINDS = "US"


def _as_array(value: Any, name: str, expected: str) -> Any:
    """`np.asarray(value)`, with Python objects (e.g. a list of str) made a plain array."""
    import numpy as np

    try:
        array = np.asarray(value)
        if array.dtype == object:
            array = np.asarray(array.tolist())
    except (TypeError, ValueError):
        raise ValueError(f"{expected} {_received(name, value)}") from None
    return array


def _column(array: Any, name: str, expected: str, hint: str = "") -> Any:
    """A 1-D view of `array`; a column of shape `(n, 1)` (a Keras prediction) is flattened."""
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{expected}{hint} Received: {name}.shape={array.shape}")
    check_samples(array, name)
    return array


def check_samples(array: Any, name: str) -> None:
    """Raise if an array has no sample (its first axis is empty)."""
    if array.shape[0] == 0:
        raise ValueError(f"Expected at least one sample. Received: {name} with 0 entries")


def check_labels(value: Any, name: str) -> Any:
    """Class labels (integers, integer-valued floats, booleans or strings) as a 1-D array."""
    import numpy as np

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
        check_finite(array, name, expected)
        fractional = array[array != np.round(array)]
        if fractional.size:
            raise ValueError(
                "Expected class labels, not scores or probabilities. Threshold them first, "
                "e.g. `(probabilities > 0.5).astype(int)`. Received: "
                f"{name} with non-integer values such as {fractional[0]:.4g}"
            )
    return array


def check_label_pair(y_true: Any, y_pred: Any) -> tuple[Any, Any, Any]:
    """Checked `y_true`, `y_pred` and the sorted labels that occur in either."""
    import numpy as np

    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, "y_pred")
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    if (y_true.dtype.kind in _STRING_KINDS) != (y_pred.dtype.kind in _STRING_KINDS):
        raise ValueError(
            "Expected y_true and y_pred to hold the same kind of labels (both numbers or "
            f"both strings). Received: y_true of dtype {y_true.dtype}, "
            f"y_pred of dtype {y_pred.dtype}"
        )
    return y_true, y_pred, np.union1d(y_true, y_pred)


def check_label_list(value: Any, name: str) -> Any:
    """A user-given list of distinct labels (the `labels=` argument)."""
    import numpy as np

    array = check_labels(value, name)
    if len(np.unique(array)) != len(array):
        raise ValueError(f"Expected distinct labels. Received: {name}={array.tolist()!r}")
    return array


def check_class_names(value: Any, num_classes: int, name: str = "class_names") -> list[str]:
    """One display name per class; `None` gives "0", "1", ..."""
    if value is None:
        return [str(i) for i in range(num_classes)]
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"Expected one name per class ({num_classes}). {_received(name, value)}")
    names = [str(item) for item in value]
    if len(names) < num_classes:
        raise ValueError(
            f"Expected one name per class (at least {num_classes}). {_received(name, value)}"
        )
    return names


def check_values(value: Any, name: str, expected: str) -> Any:
    """A float64 array of finite numbers (any shape; shapes are checked by the caller)."""
    import numpy as np

    array = _as_array(value, name, expected)
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise ValueError(f"{expected} Received: {name} of dtype {array.dtype}")
    array = array.astype(np.float64)
    check_finite(array, name, expected)
    return array


def check_scores(value: Any, name: str) -> Any:
    """One finite score per sample, as a 1-D float64 array (a `(n, 1)` column is flattened)."""
    expected = "Expected a 1-D array of finite scores (one per sample)."
    array = check_values(value, name, expected)
    hint = ""
    if array.ndim == 2 and array.shape[1] == 2:
        hint = " For two classes, pass the scores of the positive class, e.g. `proba[:, 1]`."
    return _column(array, name, expected, hint)


def check_zero_division(value: Any) -> float:
    """The value a metric takes when its denominator is 0: 0.0, 1.0 or NaN."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if value in (0, 1) or value != value:
            return float(value)
    raise ValueError(f"Expected 0.0, 1.0 or float('nan'). Received: zero_division={value!r}")


def label_text(labels: Any) -> str:
    """The labels as a comma-separated list for messages: `0, 1, 2` or `'cat', 'dog'`."""
    return ", ".join(map(repr, labels.tolist()))


# --------------------------------------------------------------------------- Keras arguments


def check_activation(value: Any, name: str, *, allow_none: bool = False) -> Any:
    """Return an activation name Keras knows (or `None` when `allow_none`)."""
    if value is None and allow_none:
        return None
    import keras

    try:
        if not isinstance(value, str):
            raise TypeError
        keras.activations.get(value)
    except (TypeError, ValueError):
        expected = "an activation name such as 'relu'"
        if allow_none:
            expected += " or None"
        raise ValueError(f"Expected {expected}. {_received(name, value)}") from None
    return value


def check_head(classes: Any, classifier_activation: Any) -> tuple[int, Any]:
    """Check a builder's output head: `classes` units with `classifier_activation`.

    `classifier_activation` is any Keras activation name, or `None` for a
    linear output (regression, or logits). A softmax over one unit is always
    1, so `classes=1` with `"softmax"` is an error that names the fix.
    """
    classes = check_positive_int(classes, "classes")
    check_activation(classifier_activation, "classifier_activation", allow_none=True)
    if classes == 1 and classifier_activation == "softmax":
        raise ValueError(
            "Expected classifier_activation='sigmoid' (binary classification) or None "
            "(regression, logits) with classes=1: a softmax over one unit always outputs 1. "
            "Received: classifier_activation='softmax'"
        )
    return classes, classifier_activation


def check_model(value: Any, name: str, example: str) -> Any:
    """Return `value` if it is a built `keras.Model` with one input; `example` names one."""
    import keras

    if not isinstance(value, keras.Model) or not value.built or len(value.inputs or []) != 1:
        raise ValueError(
            f"Expected a built keras.Model with one input (e.g. {example}). "
            f"{_received(name, value)}"
        )
    return value


def check_class_indices(value: Any, name: str, *, length: int | None = None) -> Any:
    """Class labels 0, 1, 2, ... as a 1-D int64 array (a `(n, 1)` column is flattened).

    Unlike `check_labels` (any labels, strings too), these index classes, e.g.
    the rows of a confusion matrix or the colours of a plot. With `length`,
    there must be exactly one label per example.
    """
    import numpy as np

    labels = np.asarray(value)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if (
        labels.ndim != 1
        or labels.size == 0
        or (length is not None and len(labels) != length)
        or not (np.issubdtype(labels.dtype, np.number) or labels.dtype == bool)
        or not np.all(np.isfinite(labels))
        or np.any(labels < 0)
        or not np.all(labels == np.round(labels))
    ):
        count = "a non-empty 1-D array" if length is None else f"one per example ({length})"
        raise ValueError(
            f"Expected non-negative integer class labels, {count}. "
            f"Received: {name} of shape {labels.shape}"
        )
    return labels.astype(np.int64)


# --------------------------------------------------------------------------- NumPy arguments


def check_float_array(value: Any, name: str = "x") -> Any:
    """Return `value` as a float64 NumPy array of any shape (NaN and infinities allowed)."""
    import numpy as np

    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"Expected a number or an array of numbers. {_received(name, value)}"
        ) from None


def check_axis(axis: Any, array: Any, name: str = "x") -> int:
    """Return `axis` if it is an axis of `array` along which there is at least one value.

    A 0-d array has the one axis 0 or -1 (the functions treat a scalar as one value).
    """
    ndim = max(array.ndim, 1)
    if not _is_int(axis) or not -ndim <= axis < ndim:
        raise ValueError(
            f"Expected an integer axis in the range [-{ndim}, {ndim}) for an input with "
            f"{array.ndim} dimension(s). {_received('axis', axis)}"
        )
    if array.ndim and array.shape[axis] == 0:
        raise ValueError(
            f"Expected at least one value along axis {axis}. Received: {name}.shape={array.shape}"
        )
    return int(axis)


def check_image_shape(value: Any, name: str = "input_shape") -> tuple[int, int, int]:
    """Return `(height, width, channels)` from an image shape `(H, W)` or `(H, W, C)`."""
    shape = check_shape(value, name)
    if len(shape) not in (2, 3):
        raise ValueError(
            "Expected an image shape (height, width) or (height, width, channels). "
            f"{_received(name, value)}"
        )
    return shape if len(shape) == 3 else (*shape, 1)


def check_examples(value: Any, name: str) -> Any:
    """Return `value` as a NumPy array with the examples along its first axis (at least one)."""
    import numpy as np

    array = np.asarray(value)
    if array.ndim == 0 or len(array) == 0:
        shape = f"{name}.shape={array.shape}" if array.ndim else f"{name}={value!r}"
        raise ValueError(
            f"Expected an array with at least one example along its first axis. Received: {shape}"
        )
    return array


def check_url(value: Any, name: str = "url") -> str:
    """Return `value` if it is an http:// URL (the service's base URL or an endpoint)."""
    url = check_non_empty_str(value, name) if isinstance(value, str) else value
    if not isinstance(url, str) or not url.startswith("http://"):
        raise ValueError(
            f"Expected an http:// URL such as 'http://127.0.0.1:8000/predict'. "
            f"Received: {name}={value!r}"
        )
    return url.rstrip("/")
