"""Argument checks shared by the public functions.

Every check raises `ValueError` with a Keras-style message that names the
argument and repeats the value received, e.g.
`Expected a positive integer. Received: units=-3`.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _received(name: str, value: Any) -> str:
    return f"Received: {name}={value!r}"


def check_positive_int(value: Any, name: str) -> int:
    """Return `value` as an `int` if it is an integer > 0."""
    if not _is_int(value) or value <= 0:
        raise ValueError(f"Expected a positive integer. {_received(name, value)}")
    return int(value)


def check_non_negative_int(value: Any, name: str) -> int:
    """Return `value` as an `int` if it is an integer >= 0."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"Expected a non-negative integer. {_received(name, value)}")
    return int(value)


def check_rate(value: Any, name: str) -> float:
    """Return `value` as a float if 0 <= value < 1 (a dropout-style rate)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 <= value < 1:
        raise ValueError(f"Expected a float in the range [0, 1). {_received(name, value)}")
    return float(value)


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


def check_int_sequence(value: Any, name: str) -> tuple[int, ...]:
    """Return a tuple of positive ints from an int or a (possibly empty) sequence."""
    items = value
    if _is_int(items):
        items = (items,)
    if isinstance(items, Iterable) and not isinstance(items, (str, dict)):
        items = tuple(items)
    if not isinstance(items, tuple) or not all(_is_int(v) and v > 0 for v in items):
        raise ValueError(
            "Expected a positive integer or a sequence of positive integers. "
            f"{_received(name, value)}"
        )
    return tuple(int(v) for v in items)


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return `value` if it is one of `choices`, else suggest the valid ones."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(
            f"Expected one of {', '.join(map(repr, choices))}. {_received(name, value)}"
        )
    return value


# --- added for dlguide.scratch gradient check, perceptron, MLP (engineer A) ---


def check_positive_float(value: Any, name: str) -> float:
    """Return `value` as a float if it is a finite real number > 0 (e.g. a learning rate)."""
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not 0 < value < float("inf")
    ):
        raise ValueError(f"Expected a positive float. {_received(name, value)}")
    return float(value)


# --- added for dlguide.scratch optimizers (engineer C) ---


def _is_real(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and abs(value) != float("inf")
    )


def check_non_negative_float(value: Any, name: str) -> float:
    """Return `value` as a float if it is a finite real number >= 0."""
    if not _is_real(value) or value < 0:
        raise ValueError(f"Expected a non-negative float. {_received(name, value)}")
    return float(value)


def check_bool(value: Any, name: str) -> bool:
    """Return `value` if it is `True` or `False`."""
    if not isinstance(value, bool):
        raise ValueError(f"Expected a bool (True or False). {_received(name, value)}")
    return value


# --- added for dlguide.scratch activations and losses (engineer B) ---


def check_real(value: Any, name: str) -> float:
    """Return `value` as a float if it is a finite real number (of any sign)."""
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not abs(value) < float("inf")  # also rejects NaN
    ):
        raise ValueError(f"Expected a real number. {_received(name, value)}")
    return float(value)


# --- added for dlguide.scratch perceptron and MLP (engineer A) ---


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
    import numpy as np  # here, so that `import dlguide` stays cheap

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
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{expected} Received: {name} with {bad} NaN or infinite entries")
    return array


def check_features(value: Any, name: str, num_features: int) -> Any:
    """Return `value` as a float64 NumPy array of shape (batch_size, num_features), all finite."""
    expected = f"Expected a 2-D array of finite numbers of shape (batch_size, {num_features})."
    return check_array(
        value, name, expected, ndims=(2,), shape_ok=lambda shape: shape[1] == num_features
    )


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


# --- added for dlguide.models CNN builders and dlguide.scratch convolution (vision-core) ---


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


def check_non_empty_str(value: Any, name: str) -> str:
    """Return `value` if it is a non-empty string (e.g. a model's `name`)."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"Expected a non-empty string. {_received(name, value)}")
    return value
