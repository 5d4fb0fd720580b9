"""Argument checks shared by the public functions.

Every check raises `ValueError` with a Keras-style message that names the
argument and repeats the value received, e.g.
`Expected a positive integer. Received: units=-3`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any


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
    if (
        not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not 0 <= value < 1
    ):
        raise ValueError(
            f"Expected a float in the range [0, 1). {_received(name, value)}"
        )
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
