"""Activation functions and their derivatives, in NumPy.

Each activation takes an array of pre-activations `x` (any shape) and returns
an array of the same shape in float64, with the same values as the matching
`keras.activations` function. Each `*_grad(x)` returns the derivative of the
activation with respect to `x`, elementwise, with the same convention as
TensorFlow's autodiff at the kinks (e.g. `relu_grad(0) == 0`).

The formulas are written so that extreme inputs (`x = ±1000`) give finite
values and no overflow warnings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._validation import check_axis, check_bool, check_float_array, check_real

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_CUBIC = 0.044715
_erfc = np.frompyfunc(math.erfc, 1, 1)


def sigmoid(x: Any) -> np.ndarray:
    """Compute the logistic sigmoid `1 / (1 + exp(-x))`, elementwise.

    Squashes any real number into (0, 1), so it is the output activation of
    binary classifiers (a probability). Computed without overflow: for
    negative `x` it uses the equivalent form `exp(x) / (1 + exp(x))`.

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, with values in [0, 1].

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import sigmoid
        >>> x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
        >>> print(np.round(sigmoid(x), 4))
        [0.     0.2689 0.5    0.7311 1.    ]
    """
    x = check_float_array(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: Any) -> np.ndarray:
    """Compute the derivative of the sigmoid, `sigmoid(x) * (1 - sigmoid(x))`.

    It is at most 0.25 (at `x = 0`) and vanishes quickly for large `|x|`:
    the root of the vanishing-gradient problem in deep sigmoid networks.
    Evaluated as `sigmoid(x) * sigmoid(-x)`, which is the same number but
    keeps its precision when `sigmoid(x)` rounds to 1.

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, with values in [0, 0.25].

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import sigmoid_grad
        >>> print(np.round(sigmoid_grad(np.array([-5.0, 0.0, 2.0])), 4))
        [0.0066 0.25   0.105 ]
    """
    x = check_float_array(x)
    return sigmoid(x) * sigmoid(-x)


def tanh(x: Any) -> np.ndarray:
    """Compute the hyperbolic tangent, elementwise.

    A zero-centred sigmoid: `tanh(x) = 2 * sigmoid(2x) - 1`, with values in
    (-1, 1). Used in recurrent networks (LSTM/GRU gates and cells).

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, with values in [-1, 1].

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import tanh
        >>> print(np.round(tanh(np.array([-1000.0, -1.0, 0.0, 0.5])), 4))
        [-1.     -0.7616  0.      0.4621]
    """
    return np.tanh(check_float_array(x))


def tanh_grad(x: Any) -> np.ndarray:
    """Compute the derivative of tanh, `1 - tanh(x) ** 2`.

    It equals 1 at `x = 0` (four times the sigmoid's peak) and vanishes for
    large `|x|`.

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, with values in [0, 1].

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import tanh_grad
        >>> print(np.round(tanh_grad(np.array([-3.0, 0.0, 1.0])), 4))
        [0.0099 1.     0.42  ]
    """
    t = tanh(x)
    return 1.0 - t * t


def relu(x: Any) -> np.ndarray:
    """Compute the rectified linear unit `max(x, 0)`, elementwise.

    The default hidden-layer activation: cheap, and its gradient is exactly
    1 for every positive input, so it does not vanish with depth.

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, with values in [0, inf).

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import relu
        >>> print(relu(np.array([-2.0, 0.0, 3.0])))
        [0. 0. 3.]
    """
    return np.maximum(check_float_array(x), 0.0)


def relu_grad(x: Any) -> np.ndarray:
    """Compute the derivative of ReLU: 1 where `x > 0`, else 0.

    ReLU has no derivative at 0; like TensorFlow, this returns 0 there. A unit
    whose input is negative for every example gets a zero gradient and stops
    learning (a "dead" ReLU).

    Args:
        x: Pre-activations, a number or an array of any shape.

    Returns:
        A float64 array of the same shape, of 0s and 1s.

    Raises:
        ValueError: If `x` is not numeric.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import relu_grad
        >>> print(relu_grad(np.array([-2.0, 0.0, 3.0])))
        [0. 0. 1.]
    """
    return (check_float_array(x) > 0).astype(np.float64)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> np.ndarray:
    """Compute the leaky ReLU: `x` if `x >= 0`, else `negative_slope * x`.

    The small slope for negative inputs keeps a gradient flowing, so units
    cannot die. The default slope 0.2 is the one of
    `keras.activations.leaky_relu`.

    Args:
        x: Pre-activations, a number or an array of any shape.
        negative_slope: Slope for negative inputs, a real number.

    Returns:
        A float64 array of the same shape.

    Raises:
        ValueError: If `x` is not numeric or `negative_slope` is not a real
            number.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import leaky_relu
        >>> print(leaky_relu(np.array([-2.0, 0.0, 3.0])))
        [-0.4  0.   3. ]
        >>> leaky_relu(1.0, negative_slope="0.1")
        Traceback (most recent call last):
        ...
        ValueError: Expected a real number. Received: negative_slope='0.1'
    """
    negative_slope = check_real(negative_slope, "negative_slope")
    x = check_float_array(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: Any, negative_slope: float = 0.2) -> np.ndarray:
    """Compute the derivative of the leaky ReLU: 1 where `x > 0`, else the slope.

    At `x = 0` it returns `negative_slope`, as TensorFlow does.

    Args:
        x: Pre-activations, a number or an array of any shape.
        negative_slope: Slope for negative inputs, a real number.

    Returns:
        A float64 array of the same shape.

    Raises:
        ValueError: If `x` is not numeric or `negative_slope` is not a real
            number.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import leaky_relu_grad
        >>> print(leaky_relu_grad(np.array([-2.0, 0.0, 3.0])))
        [0.2 0.2 1. ]
    """
    negative_slope = check_real(negative_slope, "negative_slope")
    x = check_float_array(x)
    return np.where(x > 0, 1.0, negative_slope)


def elu(x: Any, alpha: float = 1.0) -> np.ndarray:
    """Compute the exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Smooth for negative inputs and saturating at `-alpha`, which pushes mean
    activations towards 0. Computed with `expm1` of `min(x, 0)`, so large
    positive inputs never overflow.

    Args:
        x: Pre-activations, a number or an array of any shape.
        alpha: Scale of the negative part, a real number.

    Returns:
        A float64 array of the same shape, with values in [-alpha, inf) for
        `alpha > 0`.

    Raises:
        ValueError: If `x` is not numeric or `alpha` is not a real number.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import elu
        >>> print(np.round(elu(np.array([-1000.0, -1.0, 0.0, 2.0])), 4))
        [-1.     -0.6321  0.      2.    ]
    """
    alpha = check_real(alpha, "alpha")
    x = check_float_array(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: Any, alpha: float = 1.0) -> np.ndarray:
    """Compute the derivative of ELU: 1 where `x > 0`, else `alpha * exp(x)`.

    Args:
        x: Pre-activations, a number or an array of any shape.
        alpha: Scale of the negative part, a real number.

    Returns:
        A float64 array of the same shape.

    Raises:
        ValueError: If `x` is not numeric or `alpha` is not a real number.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import elu_grad
        >>> print(np.round(elu_grad(np.array([-1.0, 0.0, 2.0])), 4))
        [0.3679 1.     1.    ]
    """
    alpha = check_real(alpha, "alpha")
    x = check_float_array(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def gelu(x: Any, approximate: bool = False) -> np.ndarray:
    """Compute the Gaussian error linear unit `x * Phi(x)`, elementwise.

    `Phi` is the standard normal CDF, `Phi(x) = erfc(-x / sqrt(2)) / 2`: GELU
    weights each input by the probability that a standard normal variable is
    below it. It is the activation of BERT/GPT-style transformers. With
    `approximate=True` it uses the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))`.
    The default `approximate=False` matches `keras.activations.gelu`
    (note that `keras.ops.gelu` defaults to `approximate=True`).

    Args:
        x: Pre-activations, a number or an array of any shape.
        approximate: Whether to use the tanh approximation.

    Returns:
        A float64 array of the same shape, with values in about [-0.17, inf).

    Raises:
        ValueError: If `x` is not numeric or `approximate` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import gelu
        >>> x = np.array([-3.0, -1.0, 0.0, 1.0])
        >>> print(np.round(gelu(x), 4))
        [-0.004  -0.1587  0.      0.8413]
        >>> print(np.round(gelu(x, approximate=True), 4))
        [-0.0036 -0.1588  0.      0.8412]
    """
    approximate = check_bool(approximate, "approximate")
    x = check_float_array(x)
    if approximate:
        xc = np.clip(x, -1e5, 1e5)  # tanh saturates long before: no x**3 overflow
        inner = _SQRT_2_OVER_PI * (xc + _GELU_CUBIC * xc**3)
        return 0.5 * x * (1.0 + np.tanh(inner))
    cdf = 0.5 * np.asarray(_erfc(-x / _SQRT_2), dtype=np.float64)
    return x * cdf


def gelu_grad(x: Any, approximate: bool = False) -> np.ndarray:
    """Compute the derivative of GELU with respect to `x`.

    Exact form: `Phi(x) + x * phi(x)`, with `phi` the standard normal density.
    With `approximate=True`, the derivative of the tanh approximation.

    Args:
        x: Pre-activations, a number or an array of any shape.
        approximate: Whether to differentiate the tanh approximation.

    Returns:
        A float64 array of the same shape.

    Raises:
        ValueError: If `x` is not numeric or `approximate` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import gelu_grad
        >>> print(np.round(gelu_grad(np.array([-3.0, 0.0, 1.0])), 4))
        [-0.0119  0.5     1.0833]
    """
    approximate = check_bool(approximate, "approximate")
    x = check_float_array(x)
    if approximate:
        xc = np.clip(x, -1e5, 1e5)  # tanh saturates long before: no x**3 overflow
        inner = _SQRT_2_OVER_PI * (xc + _GELU_CUBIC * xc**3)
        t = np.tanh(inner)
        d_inner = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * xc * xc)
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner
    cdf = 0.5 * np.asarray(_erfc(-x / _SQRT_2), dtype=np.float64)
    xc = np.clip(x, -40.0, 40.0)  # the density is 0.0 in float64 beyond |x| = 39
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
    return cdf + x * pdf


def softmax(x: Any, axis: int = -1) -> np.ndarray:
    """Compute the softmax `exp(x) / sum(exp(x))` along `axis`.

    Turns a vector of scores (logits) into a probability distribution: every
    value in (0, 1), summing to 1 along `axis`. The maximum is subtracted
    before `exp` (which does not change the result), so logits of 1000 do
    not overflow.

    Args:
        x: Logits, an array with at least one dimension.
        axis: The axis along which the probabilities sum to 1.

    Returns:
        A float64 array of the same shape as `x`.

    Raises:
        ValueError: If `x` is not numeric or `axis` is not a valid axis.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import softmax
        >>> print(np.round(softmax(np.array([1.0, 2.0, 3.0])), 4))
        [0.09   0.2447 0.6652]
        >>> print(np.round(softmax(np.array([[1000.0, 0.0], [0.0, 0.0]])), 4))
        [[1.  0. ]
         [0.5 0.5]]
        >>> softmax(np.array([1.0, 2.0]), axis=1)
        Traceback (most recent call last):
        ...
        ValueError: Expected an integer axis in the range [-1, 1) for an input with 1 dimension(s). Received: axis=1
    """
    x = check_float_array(x)
    axis = check_axis(axis, x)
    if x.ndim == 0:
        return np.ones_like(x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_grad(x: Any, upstream: Any, axis: int = -1) -> np.ndarray:
    """Compute the vector-Jacobian product of softmax: `upstream @ J(x)`.

    The Jacobian of `s = softmax(x)` is `diag(s) - s s^T`, so the gradient that
    flows back to `x`, given the gradient `upstream` of the loss with respect
    to `s`, is `s * (upstream - sum(upstream * s))` along `axis`. This is what
    backpropagation needs, without building the full Jacobian.

    Args:
        x: Logits, an array with at least one dimension.
        upstream: Gradient of the loss with respect to `softmax(x)`, same
            shape as `x`.
        axis: The axis along which the softmax was taken.

    Returns:
        A float64 array of the same shape as `x`: the gradient of the loss
        with respect to `x`.

    Raises:
        ValueError: If the arguments are not numeric, their shapes differ or
            `axis` is not a valid axis.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import softmax_grad
        >>> x = np.array([1.0, 2.0, 3.0])
        >>> print(np.round(softmax_grad(x, np.array([1.0, 0.0, 0.0])), 4))
        [ 0.0819 -0.022  -0.0599]
        >>> softmax_grad(x, np.ones(2))
        Traceback (most recent call last):
        ...
        ValueError: Expected x and upstream with the same shape. Received: x.shape=(3,), upstream.shape=(2,)
    """
    x = check_float_array(x)
    upstream = check_float_array(upstream, "upstream")
    if x.shape != upstream.shape:
        raise ValueError(
            "Expected x and upstream with the same shape. "
            f"Received: x.shape={x.shape}, upstream.shape={upstream.shape}"
        )
    axis = check_axis(axis, x)
    if x.ndim == 0:
        return np.zeros_like(x)
    s = softmax(x, axis=axis)
    return s * (upstream - np.sum(upstream * s, axis=axis, keepdims=True))


ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "gelu": (gelu, gelu_grad),
}
"""Elementwise activations by name: `name -> (function, derivative)`.

Softmax is not in it: it mixes the values of a row, so its derivative is a
Jacobian (see `softmax_grad`).
"""
