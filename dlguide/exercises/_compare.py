"""Run a reader's function safely and describe, in one line, how its result differs."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9
ALLCLOSE = "`np.allclose(got, expected, rtol=1e-6, atol=1e-9)`"  # the test, as readers see it
_MAX_SHOWN = 6  # arrays with more entries are described by their shape


def _format(value: Any) -> str:
    """A short, one-line rendering of a number or a small array."""
    if isinstance(value, np.random.Generator):
        return "Generator"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return type(value).__name__
    if array.ndim == 0:
        return f"{array.item():.4g}"
    if array.size > _MAX_SHOWN:
        return f"<array of shape {array.shape}>"
    return "[" + ", ".join(_format(item) for item in array) + "]"


def _call_label(name: str, params: tuple[str, ...], args: tuple[Any, ...]) -> str:
    """`relu_grad(x=[-1, 0, 1])`, with large arrays shown by their shape."""
    shown = []
    for param, arg in zip(params, args, strict=True):
        # Small hand-written arrays are shown in full, random ones by their shape.
        if isinstance(arg, np.ndarray) and (
            arg.size > _MAX_SHOWN
            or (arg.dtype.kind == "f" and not np.array_equal(arg, np.round(arg, 2)))
        ):
            shown.append(f"{param}.shape={arg.shape}")
        else:
            shown.append(f"{param}={_format(arg)}")
    return f"{name}({', '.join(shown)})"


def _run(func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, str | None]:
    """Call `func` on a copy of `args`; return (result, None) or (None, error)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return func(*copy.deepcopy(args)), None
    except Exception as error:  # the reader's code may raise anything
        message = " ".join(str(error).split())
        if len(message) > 200:
            message = message[:197] + "..."
        return None, f"{type(error).__name__}: {message}" if message else type(error).__name__


def _compare_arrays(expected: Any, got: Any, what: str) -> str | None:
    """Return what differs between two numbers or arrays, or None if allclose."""
    prefix = f"{what}: " if what else ""
    try:
        got_array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{prefix}expected numbers, got a value of type {type(got).__name__}"
    expected = np.asarray(expected, dtype=float)
    if got_array.shape != expected.shape:
        return f"{prefix}expected shape {expected.shape}, got shape {got_array.shape}"
    close = np.isclose(got_array, expected, rtol=RTOL, atol=ATOL)
    if np.all(close):
        return None
    if expected.size <= _MAX_SHOWN:
        return f"{prefix}expected {_format(expected)}, got {_format(got_array)}"
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    return (
        f"{prefix}{int((~close).sum())} of {expected.size} values differ, e.g. at "
        f"index {index}: expected {_format(expected[index])}, got "
        f"{_format(got_array[index])}"
    )


def _compare(outputs: tuple[str, ...], expected: Any, got: Any) -> str | None:
    """Return what differs between the reference's and the reader's result.

    `outputs` names the items when the result is a tuple (an exercise's `outputs`).
    """
    if isinstance(expected, tuple):
        names = ", ".join(outputs)
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected a tuple ({names}), got {_format(got)}"
        for name, expected_item, got_item in zip(outputs, expected, got, strict=True):
            difference = _compare_arrays(expected_item, got_item, name)
            if difference:
                return difference
        return None
    if isinstance(expected, Mapping):
        keys = ", ".join(map(repr, expected))
        if not isinstance(got, Mapping):
            return f"expected a dict with keys {keys}, got a value of type {type(got).__name__}"
        missing = [key for key in expected if key not in got]
        if missing:
            return f"expected a dict with keys {keys}, got one without {missing[0]!r}"
        for key, expected_item in expected.items():
            difference = _compare_arrays(expected_item, got[key], f"result[{key!r}]")
            if difference:
                return difference
        return None
    return _compare_arrays(expected, got, "")
