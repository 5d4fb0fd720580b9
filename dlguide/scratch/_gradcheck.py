"""Finite-difference gradient check: the test every hand-written backward pass must pass."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .._validation import check_positive_float

_TINY = 1e-300


def _as_float_array(value: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(
            f"Expected a non-empty array of finite numbers. Received: {name}={value!r}"
        )
    return array


def _scalar(value: Any) -> float:
    array = np.asarray(value)
    if array.size != 1 or not np.issubdtype(array.dtype, np.number):
        raise ValueError(
            f"Expected f to return a scalar (the loss). Received: f(x) of shape {array.shape}"
        )
    return float(array.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, eps: float = 1e-6) -> np.ndarray:
    """Estimate the gradient of a scalar function with central differences.

    For each entry $x_i$ it evaluates
    $\\partial f / \\partial x_i \\approx (f(x + \\epsilon e_i) - f(x - \\epsilon e_i)) / 2\\epsilon$.
    The error of this estimate is of order $\\epsilon^2$, so with the default
    `eps=1e-6` in float64 it agrees with an exact gradient to about 1e-9.

    When `x` is a float64 NumPy array it is perturbed **in place** (one entry
    at a time) and restored before returning, so `f` may ignore its argument
    and read `x` through a model instead, e.g.
    `numerical_gradient(lambda _: net.loss(X, y), net.params["W1"])`.

    Args:
        f: Function of one array returning a scalar (for example a loss).
        x: Point at which to differentiate: an array (or a number, or a nested
            list) of finite floats.
        eps: Step of the central difference, a positive float.

    Returns:
        A float64 array of the same shape as `x`: the estimated gradient.

    Raises:
        ValueError: If `f` is not callable or does not return a scalar, if `x`
            is empty or not finite, or if `eps` is not a positive float.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import numerical_gradient
        >>> x = np.array([1.0, -2.0, 3.0])
        >>> grad = numerical_gradient(lambda v: np.sum(v**2), x)  # exact: 2 * x
        >>> print(np.round(grad, 6))
        [ 2. -4.  6.]
        >>> x  # restored after the in-place perturbations
        array([ 1., -2.,  3.])
        >>> numerical_gradient(lambda v: v, x)
        Traceback (most recent call last):
        ...
        ValueError: Expected f to return a scalar (the loss). Received: f(x) of shape (3,)
        >>> numerical_gradient(np.sum, x, eps=0)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive float. Received: eps=0
    """
    if not callable(f):
        raise ValueError(f"Expected a callable that returns a scalar. Received: f={f!r}")
    eps = check_positive_float(eps, "eps")
    work = _as_float_array(x, "x")  # the same object when x is a float64 array
    if not work.flags.writeable:
        work = work.copy()
    grad = np.zeros(work.shape, dtype=np.float64)
    for index in np.ndindex(work.shape):
        original = work[index]
        try:
            work[index] = original + eps
            f_plus = _scalar(f(work))
            work[index] = original - eps
            f_minus = _scalar(f(work))
        finally:
            work[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def _max_abs(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    return float(np.max(np.abs(a - b))), float(np.max(np.abs(a) + np.abs(b)))


def relative_error(a: Any, b: Any) -> float:
    """Measure how far apart two gradients are, relative to their size.

    It returns `max|a - b| / max(|a| + |b|)`, the largest difference scaled
    by the largest magnitude (so entries that are almost 0 in both do not
    blow the ratio up). As a rule of thumb for float64 gradients: below 1e-7
    the two agree, around 1e-4 something is suspicious, above 1e-2 one of them
    is wrong.

    Args:
        a: An array of numbers, or a dict of arrays (for example the gradients
            of every parameter of a model).
        b: An array of the same shape as `a`, or a dict with the same keys and
            shapes.

    Returns:
        The relative error as a Python float, 0.0 when both are all zero. For
        dicts, the largest difference over all keys divided by the largest
        magnitude over all keys.

    Raises:
        ValueError: If the shapes (or the dict keys) do not match, or an input
            is empty or not finite.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import relative_error
        >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
        0.0
        >>> error = relative_error(np.array([1.0, -3.0]), np.array([1.0, -3.003]))
        >>> print(f"{error:.1e}")
        5.0e-04
        >>> relative_error({"W": np.ones(2)}, {"W": np.ones(2), "b": np.zeros(1)})
        Traceback (most recent call last):
        ...
        ValueError: Expected a and b with the same keys. Received: a.keys()=['W'], b.keys()=['W', 'b']
    """
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        if not (isinstance(a, Mapping) and isinstance(b, Mapping)) or set(a) != set(b):
            keys_a = sorted(a) if isinstance(a, Mapping) else type(a).__name__
            keys_b = sorted(b) if isinstance(b, Mapping) else type(b).__name__
            raise ValueError(
                "Expected a and b with the same keys. "
                f"Received: a.keys()={keys_a}, b.keys()={keys_b}"
            )
        pairs = [
            (_as_float_array(a[k], f"a[{k!r}]"), _as_float_array(b[k], f"b[{k!r}]"), k) for k in a
        ]
    else:
        pairs = [(_as_float_array(a, "a"), _as_float_array(b, "b"), None)]
    diff = scale = 0.0
    for x, y, key in pairs:
        if x.shape != y.shape:
            where = "" if key is None else f"[{key!r}]"
            raise ValueError(
                "Expected a and b of the same shape. "
                f"Received: a{where}.shape={x.shape}, b{where}.shape={y.shape}"
            )
        d, s = _max_abs(x, y)
        diff, scale = max(diff, d), max(scale, s)
    if diff == 0.0:
        return 0.0
    return diff / max(scale, _TINY)
