"""Loss functions and their gradients, in NumPy.

Every loss returns the batch mean as a Python float, like a `keras.losses`
object with its default reduction (`"sum_over_batch_size"`), and gives the
same value on the same inputs. Every `*_grad` returns the gradient of that
mean with respect to `y_hat`: the predictions, or the logits when
`from_logits=True`. It has the shape of `y_hat`.

Cross-entropies are numerically stable:

- With `from_logits=True` they never take the log of a probability: they use
  the log-sum-exp trick (softmax) or the softplus form (sigmoid), so logits of
  ±1000 give finite losses and gradients.
- With probabilities, they clip them to `[1e-7, 1 - 1e-7]` first, as Keras
  does (`keras.backend.epsilon()`), so a probability of exactly 0 or 1 gives a
  large but finite loss. Where the clip is active the gradient is 0, as in
  TensorFlow's autodiff.

Like Keras, `y` of shape `(n,)` and `y_hat` of shape `(n, 1)` (or the
reverse) are accepted: the trailing axis of size 1 is matched.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_axis, check_bool, check_float_array
from ._activations import sigmoid, softmax

EPSILON = 1e-7
"""Clip value for probabilities, the default of `keras.backend.epsilon()`."""


def _match_rank(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """Add or drop a trailing axis of size 1 on `y` to match `y_hat`, as Keras does."""
    if y.ndim == y_hat.ndim + 1 and y.shape[-1] == 1:
        return y[..., 0]
    if y_hat.ndim == y.ndim + 1 and y_hat.shape[-1] == 1:
        return y[..., np.newaxis]
    return y


def _check_y_hat(y_hat: Any) -> np.ndarray:
    y_hat = check_float_array(y_hat, "y_hat")
    if y_hat.ndim == 0:
        raise ValueError(
            "Expected y_hat with at least 1 dimension (a batch). "
            f"Received: y_hat.shape={y_hat.shape}"
        )
    return y_hat


def _prepare(y: Any, y_hat: Any) -> tuple[np.ndarray, np.ndarray]:
    y_hat = _check_y_hat(y_hat)
    y = _match_rank(check_float_array(y, "y"), y_hat)
    if y.shape != y_hat.shape:
        raise ValueError(
            "Expected y and y_hat with the same shape. "
            f"Received: y.shape={np.shape(y)}, y_hat.shape={y_hat.shape}"
        )
    return y, y_hat


def _prepare_sparse(y: Any, y_hat: Any) -> tuple[np.ndarray, np.ndarray]:
    y_hat = _check_y_hat(y_hat)
    y = check_float_array(y, "y")
    if y.ndim == y_hat.ndim and y.ndim > 0 and y.shape[-1] == 1:
        y = y[..., 0]
    if y.shape != y_hat.shape[:-1]:
        raise ValueError(
            "Expected integer labels y with the shape of y_hat without its last "
            f"(class) axis. Received: y.shape={np.shape(y)}, y_hat.shape={y_hat.shape}"
        )
    num_classes = y_hat.shape[-1]
    bad = (y != np.round(y)) | (y < 0) | (y >= num_classes) | ~np.isfinite(y)
    if np.any(bad):
        invalid = [int(v) if float(v).is_integer() else float(v) for v in np.unique(y[bad])[:5]]
        raise ValueError(
            f"Expected integer class labels in the range [0, {num_classes}). "
            f"Received: y containing {invalid}"
        )
    return y.astype(np.int64), y_hat


def logsumexp(x: Any, axis: int = -1) -> np.ndarray:
    """Compute `log(sum(exp(x)))` along `axis` without overflow.

    The log-sum-exp trick: with `m = max(x)`,
    `log(sum(exp(x))) = m + log(sum(exp(x - m)))`, and every `exp(x - m)` is at
    most 1. The naive formula overflows to `inf` as soon as one logit exceeds
    about 709.

    Args:
        x: An array with at least one dimension.
        axis: The axis to reduce.

    Returns:
        A float64 array with `axis` removed (a 0-d array for a vector input).

    Raises:
        ValueError: If `x` is not numeric, has no dimension, or `axis` is not
            a valid axis.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import logsumexp
        >>> print(np.round(logsumexp(np.array([1.0, 2.0, 3.0])), 4))
        3.4076
        >>> x = np.array([[1000.0, 1000.0], [-1000.0, 0.0]])
        >>> print(np.round(logsumexp(x), 4))
        [1000.6931    0.    ]
    """
    x = check_float_array(x)
    if x.ndim == 0:
        raise ValueError(f"Expected x with at least 1 dimension. Received: x.shape={x.shape}")
    axis = check_axis(axis, x)
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)  # all -inf (or inf) rows: no inf - inf
    with np.errstate(divide="ignore"):  # log(0) = -inf for an all -inf row
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


def mse(y: Any, y_hat: Any) -> float:
    """Compute the mean squared error `mean((y - y_hat) ** 2)`.

    The regression loss, same value as `keras.losses.MeanSquaredError()`.

    Args:
        y: Targets, same shape as `y_hat` (a trailing axis of size 1 may
            differ).
        y_hat: Predictions, at least 1-D with the batch first.

    Returns:
        The mean over all entries, a float.

    Raises:
        ValueError: If the shapes of `y` and `y_hat` do not match.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import mse
        >>> mse(np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0]))
        0.4166666666666667
        >>> mse(np.zeros(3), np.zeros(4))
        Traceback (most recent call last):
        ...
        ValueError: Expected y and y_hat with the same shape. Received: y.shape=(3,), y_hat.shape=(4,)
    """
    y, y_hat = _prepare(y, y_hat)
    return float(np.mean((y_hat - y) ** 2))


def mse_grad(y: Any, y_hat: Any) -> np.ndarray:
    """Compute the gradient of `mse` with respect to `y_hat`: `2 (y_hat - y) / N`.

    `N` is the number of entries of `y_hat` (the mean divides by it).

    Args:
        y: Targets, same shape as `y_hat`.
        y_hat: Predictions, at least 1-D with the batch first.

    Returns:
        A float64 array with the shape of `y_hat`.

    Raises:
        ValueError: If the shapes of `y` and `y_hat` do not match.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import mse_grad
        >>> y, y_hat = np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0])
        >>> print(np.round(mse_grad(y, y_hat), 4))
        [ 0.3333  0.     -0.6667]
    """
    y, y_hat = _prepare(y, y_hat)
    return 2.0 * (y_hat - y) / y_hat.size


def _bce_elementwise(y: np.ndarray, y_hat: np.ndarray, from_logits: bool) -> np.ndarray:
    if from_logits:
        # max(z, 0) - z y + log(1 + exp(-|z|)): the softplus form, finite for any z
        return np.maximum(y_hat, 0.0) - y_hat * y + np.log1p(np.exp(-np.abs(y_hat)))
    p = np.clip(y_hat, EPSILON, 1.0 - EPSILON)
    return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def binary_crossentropy(y: Any, y_hat: Any, from_logits: bool = False) -> float:
    """Compute the binary cross-entropy `-mean(y log p + (1 - y) log(1 - p))`.

    The loss for two classes (or several independent yes/no labels), same
    value as `keras.losses.BinaryCrossentropy(from_logits=...)`. With
    `from_logits=True`, `y_hat` holds logits `z` and `p = sigmoid(z)` is never
    formed: the loss is `max(z, 0) - z y + log(1 + exp(-|z|))`, exact and
    finite for any `z`. With probabilities, `p` is clipped to
    `[1e-7, 1 - 1e-7]` like Keras.

    Args:
        y: Labels in [0, 1], same shape as `y_hat`.
        y_hat: Predicted probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        The mean over all entries, a float.

    Raises:
        ValueError: If the shapes do not match or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import binary_crossentropy
        >>> y = np.array([1.0, 0.0, 1.0])
        >>> round(binary_crossentropy(y, np.array([0.9, 0.2, 0.6])), 4)
        0.2798
        >>> logits = np.array([1000.0, -1000.0, -1000.0])
        >>> round(binary_crossentropy(y, logits, from_logits=True), 4)
        333.3333
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, y_hat = _prepare(y, y_hat)
    return float(np.mean(_bce_elementwise(y, y_hat, from_logits)))


def binary_crossentropy_grad(y: Any, y_hat: Any, from_logits: bool = False) -> np.ndarray:
    """Compute the gradient of `binary_crossentropy` with respect to `y_hat`.

    From logits it is the famous `(sigmoid(z) - y) / N`: prediction minus
    target. From probabilities it is `(-y / p + (1 - y) / (1 - p)) / N`, and 0
    where the clip to `[1e-7, 1 - 1e-7]` is active (as in TensorFlow).

    Args:
        y: Labels in [0, 1], same shape as `y_hat`.
        y_hat: Predicted probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        A float64 array with the shape of `y_hat`.

    Raises:
        ValueError: If the shapes do not match or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import binary_crossentropy_grad
        >>> y = np.array([1.0, 0.0])
        >>> logits = np.array([0.0, 2.0])
        >>> grad = binary_crossentropy_grad(y, logits, from_logits=True)
        >>> print(np.round(grad, 4))
        [-0.25    0.4404]
        >>> print(np.round(binary_crossentropy_grad(y, np.array([0.5, 0.8])), 4))
        [-1.   2.5]
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, y_hat = _prepare(y, y_hat)
    if from_logits:
        return (sigmoid(y_hat) - y) / y_hat.size
    p = np.clip(y_hat, EPSILON, 1.0 - EPSILON)
    inside = (y_hat >= EPSILON) & (y_hat <= 1.0 - EPSILON)
    grad = np.where(inside, -y / p + (1.0 - y) / (1.0 - p), 0.0)
    return grad / y_hat.size


def _num_samples(y_hat: np.ndarray) -> int:
    return max(y_hat.size // max(y_hat.shape[-1], 1), 1)


def categorical_crossentropy(y: Any, y_hat: Any, from_logits: bool = False) -> float:
    """Compute the categorical cross-entropy `-mean(sum(y * log p, axis=-1))`.

    The multi-class loss with one-hot (or soft) labels, same value as
    `keras.losses.CategoricalCrossentropy(from_logits=...)`. With
    `from_logits=True`, `log p` is computed as `z - logsumexp(z)` (the
    log-sum-exp trick), so logits of ±1000 give a finite loss. With
    probabilities, each row is first divided by its sum and then clipped to
    `[1e-7, 1 - 1e-7]`, exactly like Keras.

    Args:
        y: One-hot labels, shape `(n, num_classes)` like `y_hat`.
        y_hat: Predicted probabilities (rows of a softmax), or logits if
            `from_logits=True`; classes on the last axis.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        The mean over examples of the per-example loss, a float.

    Raises:
        ValueError: If the shapes do not match or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import categorical_crossentropy
        >>> y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        >>> y_hat = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> round(categorical_crossentropy(y, y_hat), 4)
        1.1769
        >>> logits = np.array([[0.0, 1000.0, 0.0], [1000.0, 0.0, -1000.0]])
        >>> round(categorical_crossentropy(y, logits, from_logits=True), 4)
        1000.0
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, y_hat = _prepare(y, y_hat)
    if from_logits:
        log_p = y_hat - logsumexp(y_hat, axis=-1)[..., np.newaxis]
    else:
        q = y_hat / np.sum(y_hat, axis=-1, keepdims=True)
        log_p = np.log(np.clip(q, EPSILON, 1.0 - EPSILON))
    return float(np.sum(-y * log_p) / _num_samples(y_hat))


def categorical_crossentropy_grad(y: Any, y_hat: Any, from_logits: bool = False) -> np.ndarray:
    """Compute the gradient of `categorical_crossentropy` with respect to `y_hat`.

    From logits it is `(softmax(z) - y) / n` for one-hot `y` (in general
    `softmax(z) * sum(y) - y`), with `n` the number of examples. From
    probabilities it also differentiates through Keras' row normalisation
    `q = p / sum(p)` and clip: with `g = -y / q` (0 where clipped), the
    gradient is `(g - sum(g * q)) / sum(p) / n`.

    Args:
        y: One-hot labels, shape `(n, num_classes)` like `y_hat`.
        y_hat: Predicted probabilities, or logits if `from_logits=True`.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        A float64 array with the shape of `y_hat`.

    Raises:
        ValueError: If the shapes do not match or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import categorical_crossentropy_grad
        >>> y = np.array([[0.0, 1.0, 0.0]])
        >>> logits = np.array([[1.0, 2.0, 3.0]])
        >>> grad = categorical_crossentropy_grad(y, logits, from_logits=True)
        >>> print(np.round(grad, 4))
        [[ 0.09   -0.7553  0.6652]]
    """
    from_logits = check_bool(from_logits, "from_logits")
    y, y_hat = _prepare(y, y_hat)
    n = _num_samples(y_hat)
    if from_logits:
        return (softmax(y_hat) * np.sum(y, axis=-1, keepdims=True) - y) / n
    total = np.sum(y_hat, axis=-1, keepdims=True)
    q = y_hat / total
    c = np.clip(q, EPSILON, 1.0 - EPSILON)
    g = np.where((q >= EPSILON) & (q <= 1.0 - EPSILON), -y / c, 0.0)
    return (g - np.sum(g * q, axis=-1, keepdims=True)) / total / n


def sparse_categorical_crossentropy(y: Any, y_hat: Any, from_logits: bool = False) -> float:
    """Compute the cross-entropy with integer labels: `-mean(log p[y])`.

    The same loss as `categorical_crossentropy` with `y` given as class
    indices instead of one-hot rows, same value as
    `keras.losses.SparseCategoricalCrossentropy(from_logits=...)`. From
    logits: `logsumexp(z) - z[y]`, stable for any logits. From probabilities:
    clipped to `[1e-7, 1 - 1e-7]`, then `log(sum(p)) - log(p[y])` (Keras feeds
    the clipped log-probabilities to a softmax, which renormalises them).

    Args:
        y: Integer class labels, shape `(n,)` (or `(n, 1)`), values in
            `[0, num_classes)`.
        y_hat: Predicted probabilities, or logits if `from_logits=True`, shape
            `(n, num_classes)`.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        The mean over examples, a float.

    Raises:
        ValueError: If the shapes do not match, a label is not an integer in
            range, or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import sparse_categorical_crossentropy
        >>> y_hat = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> round(sparse_categorical_crossentropy(np.array([1, 2]), y_hat), 4)
        1.1769
        >>> sparse_categorical_crossentropy(np.array([1, 3]), y_hat)
        Traceback (most recent call last):
        ...
        ValueError: Expected integer class labels in the range [0, 3). Received: y containing [3]
    """
    from_logits = check_bool(from_logits, "from_logits")
    labels, y_hat = _prepare_sparse(y, y_hat)
    if from_logits:
        z = y_hat
    else:
        z = np.log(np.clip(y_hat, EPSILON, 1.0 - EPSILON))
    picked = np.take_along_axis(z, labels[..., np.newaxis], axis=-1)[..., 0]
    return float(np.mean(logsumexp(z, axis=-1) - picked))


def sparse_categorical_crossentropy_grad(
    y: Any, y_hat: Any, from_logits: bool = False
) -> np.ndarray:
    """Compute the gradient of `sparse_categorical_crossentropy` w.r.t. `y_hat`.

    From logits: `(softmax(z) - one_hot(y)) / n`. From probabilities (with `c`
    the clipped probabilities): `(1 / sum(c) - one_hot(y) / c) / n`, and 0
    where the clip is active.

    Args:
        y: Integer class labels, shape `(n,)` (or `(n, 1)`).
        y_hat: Predicted probabilities, or logits if `from_logits=True`, shape
            `(n, num_classes)`.
        from_logits: Whether `y_hat` holds logits rather than probabilities.

    Returns:
        A float64 array with the shape of `y_hat`.

    Raises:
        ValueError: If the shapes do not match, a label is not an integer in
            range, or `from_logits` is not a bool.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import sparse_categorical_crossentropy_grad
        >>> grad = sparse_categorical_crossentropy_grad(
        ...     np.array([1]), np.array([[1.0, 2.0, 3.0]]), from_logits=True)
        >>> print(np.round(grad, 4))
        [[ 0.09   -0.7553  0.6652]]
    """
    from_logits = check_bool(from_logits, "from_logits")
    labels, y_hat = _prepare_sparse(y, y_hat)
    num_classes = y_hat.shape[-1]
    one_hot = (labels[..., np.newaxis] == np.arange(num_classes)).astype(np.float64)
    n = _num_samples(y_hat)
    if from_logits:
        return (softmax(y_hat) - one_hot) / n
    c = np.clip(y_hat, EPSILON, 1.0 - EPSILON)
    inside = (y_hat >= EPSILON) & (y_hat <= 1.0 - EPSILON)
    grad = np.where(inside, 1.0 / np.sum(c, axis=-1, keepdims=True) - one_hot / c, 0.0)
    return grad / n
