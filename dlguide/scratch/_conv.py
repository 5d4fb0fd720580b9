"""2-D convolution and pooling in NumPy, with Keras' shapes, padding and weight layout."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._shapes import output_length, same_padding
from .._validation import _is_int, check_array, check_choice, check_int_pair

_PADDINGS = ("valid", "same")


def _as_images(X: Any, name: str) -> tuple[np.ndarray, bool]:
    """Return X as a float64 (batch, height, width, channels) array and whether it was 3-D."""
    expected = (
        "Expected a 4-D array (batch, height, width, channels) or a 3-D array "
        "(height, width, channels) of finite numbers."
    )
    array = check_array(X, name, expected, ndims=(3, 4))
    single = array.ndim == 3
    return (array[None] if single else array), single


def _check_fits(size: tuple[int, int], window: tuple[int, int], what: str, padding: str) -> None:
    if padding == "valid" and (window[0] > size[0] or window[1] > size[1]):
        raise ValueError(
            f"Expected a {what} no larger than the input with padding='valid'. "
            f"Received: {what}={window} for an input of height and width {size}"
        )


def conv_output_shape(
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    *,
    strides: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> int | tuple[int, int]:
    """Compute the output size of a convolution or pooling layer, as Keras does.

    With `padding="valid"` the window only visits positions where it fits:
    $\\lfloor (n - k) / s \\rfloor + 1$. With `padding="same"` the input is
    padded with zeros so that the output has $\\lceil n / s \\rceil$ positions
    (equal to $n$ when the stride is 1). For a pooling layer pass the pool size
    as `kernel_size` and as `strides` (Keras' default).

    Args:
        input_size: Height (or width) of the input, or a pair `(height, width)`.
        kernel_size: Kernel (or pool window) size, an int or a pair.
        strides: Step between two windows, an int or a pair.
        padding: `"valid"` (no padding) or `"same"` (zero padding).

    Returns:
        An int if `input_size` is an int, else a pair `(height, width)`.

    Raises:
        ValueError: If an argument is invalid, or the kernel is larger than
            the input with `padding="valid"`.

    Examples:
        >>> from dlguide.scratch import conv_output_shape
        >>> conv_output_shape(28, 3), conv_output_shape(28, 3, padding="same")
        (26, 28)
        >>> conv_output_shape((28, 28), 3, strides=2, padding="same")
        (14, 14)
        >>> conv_output_shape(7, 2, strides=2)  # a 2x2 max pooling of a 7x7 map
        3
    """
    single = _is_int(input_size)
    size = check_int_pair(input_size, "input_size")
    kernel = check_int_pair(kernel_size, "kernel_size")
    strides = check_int_pair(strides, "strides")
    padding = check_choice(padding, "padding", _PADDINGS)
    _check_fits(size, kernel, "kernel_size", padding)
    out = tuple(
        output_length(n, k, s, padding) for n, k, s in zip(size, kernel, strides, strict=True)
    )
    return out[0] if single else out


def corr2d(X: Any, K: Any) -> np.ndarray:
    """Compute the 2-D cross-correlation of one image with one kernel (what `Conv2D` calls convolution).

    The kernel slides over every position where it fits entirely inside the
    image ("valid" padding, stride 1); each output value is the sum of the
    elementwise product of the kernel and the patch under it:
    $Y_{i,j} = \\sum_{a,b} X_{i+a,\\,j+b} K_{a,b}$.

    Args:
        X: A 2-D array (height, width), e.g. a grayscale image.
        K: A 2-D kernel (kernel height, kernel width), no larger than `X`.

    Returns:
        A float64 array of shape `(height - kh + 1, width - kw + 1)`.

    Raises:
        ValueError: If `X` or `K` is not a 2-D array of finite numbers, or `K`
            is larger than `X`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import corr2d
        >>> X = np.arange(9.0).reshape(3, 3)
        >>> corr2d(X, np.array([[0.0, 1.0], [2.0, 3.0]]))
        array([[19., 25.],
               [37., 43.]])
        >>> # a vertical-edge kernel
        >>> corr2d(np.ones((6, 8)), np.array([[1.0, -1.0]])).shape
        (6, 7)
    """
    expected = "Expected a 2-D array of finite numbers."
    X = check_array(X, "X", expected, ndims=(2,))
    K = check_array(K, "K", expected, ndims=(2,))
    _check_fits(X.shape, K.shape, "K.shape", "valid")
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y


def conv2d(
    X: Any,
    K: Any,
    b: Any = None,
    *,
    strides: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> np.ndarray:
    """Apply a 2-D convolution layer (multi-channel, strided, padded) like `keras.layers.Conv2D`.

    Images are channels-last and the kernel has Keras' layout, so
    `conv2d(X, *conv_layer.get_weights(), ...)` reproduces a `Conv2D` layer
    with no activation. Each output channel $o$ is the sum over input
    channels $c$ of `corr2d(X[..., c], K[..., c, o])`, plus the bias `b[o]`.

    Args:
        X: Images, shape `(batch, height, width, c_in)` or one image
            `(height, width, c_in)`.
        K: Kernel, shape `(kh, kw, c_in, c_out)`.
        b: Optional bias, shape `(c_out,)`.
        strides: Step of the kernel, an int or a pair `(sh, sw)`.
        padding: `"valid"` (no padding) or `"same"` (zeros around the image,
            split as TensorFlow does: the extra row or column goes after).

    Returns:
        A float64 array of shape `(batch, out_h, out_w, c_out)` (without the
        batch axis if `X` had none); `out_h` and `out_w` are given by
        `conv_output_shape`.

    Raises:
        ValueError: If an argument is invalid or the shapes do not match.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import conv2d
        >>> rng = np.random.default_rng(0)
        >>> X, K = rng.normal(size=(2, 28, 28, 1)), rng.normal(size=(3, 3, 1, 8))
        >>> conv2d(X, K).shape, conv2d(X, K, padding="same", strides=2).shape
        ((2, 26, 26, 8), (2, 14, 14, 8))
        >>> conv2d(X, rng.normal(size=(3, 3, 2, 8)))
        Traceback (most recent call last):
        ...
        ValueError: Expected a kernel of shape (kh, kw, 1, c_out) for an input with 1 channels. Received: K.shape=(3, 3, 2, 8)
    """
    X, single = _as_images(X, "X")
    try:
        K = np.asarray(K, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"Expected a 4-D kernel array. Received: K={K!r}") from None
    c_in = X.shape[-1]
    if K.ndim != 4 or K.shape[2] != c_in or 0 in K.shape or not np.all(np.isfinite(K)):
        raise ValueError(
            f"Expected a kernel of shape (kh, kw, {c_in}, c_out) for an input with {c_in} "
            f"channels. Received: K.shape={K.shape}"
        )
    c_out = K.shape[-1]
    if b is not None:
        try:
            b = np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"Expected a bias of shape ({c_out},). Received: b={b!r}") from None
        if b.shape != (c_out,):
            raise ValueError(f"Expected a bias of shape ({c_out},). Received: b.shape={b.shape}")
    strides = check_int_pair(strides, "strides")
    padding = check_choice(padding, "padding", _PADDINGS)
    kh, kw = K.shape[:2]
    size = X.shape[1:3]
    _check_fits(size, (kh, kw), "kernel size", padding)
    if padding == "same":
        pads = [same_padding(n, k, s) for n, k, s in zip(size, (kh, kw), strides, strict=True)]
        X = np.pad(X, [(0, 0), pads[0], pads[1], (0, 0)])
    out_h, out_w = (
        output_length(n, k, s, padding) for n, k, s in zip(size, (kh, kw), strides, strict=True)
    )
    sh, sw = strides
    Y = np.zeros((X.shape[0], out_h, out_w, c_out))
    # One matrix product per kernel position: the patch values under K[i, j]
    # for every output position at once, (batch, out_h, out_w, c_in) @ (c_in, c_out).
    for i in range(kh):
        for j in range(kw):
            patch = X[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw, :]
            Y += patch @ K[i, j]
    if b is not None:
        Y += b
    return Y[0] if single else Y


def _pool(X: Any, pool_size: Any, strides: Any, padding: str, mode: str) -> np.ndarray:
    X, single = _as_images(X, "X")
    window = check_int_pair(pool_size, "pool_size")
    strides = window if strides is None else check_int_pair(strides, "strides")
    padding = check_choice(padding, "padding", _PADDINGS)
    size = X.shape[1:3]
    _check_fits(size, window, "pool_size", padding)
    valid = np.ones(X.shape[:3] + (1,))  # 1 where a real pixel is, 0 where padding is
    if padding == "same":
        pads = [
            (0, 0),
            *(same_padding(n, k, s) for n, k, s in zip(size, window, strides, strict=True)),
        ]
        fill = -np.inf if mode == "max" else 0.0
        X = np.pad(X, [*pads, (0, 0)], constant_values=fill)
        valid = np.pad(valid, [*pads, (0, 0)])
    out_h, out_w = (
        output_length(n, k, s, padding) for n, k, s in zip(size, window, strides, strict=True)
    )
    sh, sw = strides
    patches = [
        (
            X[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw, :],
            valid[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw, :],
        )
        for i in range(window[0])
        for j in range(window[1])
    ]
    if mode == "max":
        Y = np.max([p for p, _ in patches], axis=0)
    else:  # padding does not count in the average, as in Keras
        Y = np.sum([p for p, _ in patches], axis=0) / np.sum([v for _, v in patches], axis=0)
    return Y[0] if single else Y


def max_pool2d(
    X: Any,
    pool_size: int | tuple[int, int] = 2,
    *,
    strides: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Apply 2-D max pooling like `keras.layers.MaxPooling2D`: the largest value of each window.

    Each channel is pooled separately, so the number of channels is unchanged.

    Args:
        X: Images, shape `(batch, height, width, channels)` or one image
            `(height, width, channels)`.
        pool_size: Window size, an int or a pair.
        strides: Step between windows; `None` (the Keras default) means
            `pool_size`, i.e. windows that do not overlap.
        padding: `"valid"` (drop the windows that do not fit) or `"same"`
            (pad so that every pixel is seen; padding never wins the max).

    Returns:
        A float64 array of shape `(batch, out_h, out_w, channels)` (without the
        batch axis if `X` had none).

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import max_pool2d
        >>> X = np.arange(16.0).reshape(4, 4, 1)
        >>> max_pool2d(X)[..., 0]
        array([[ 5.,  7.],
               [13., 15.]])
        >>> X = np.zeros((1, 7, 7, 3))
        >>> max_pool2d(X).shape, max_pool2d(X, padding="same").shape
        ((1, 3, 3, 3), (1, 4, 4, 3))
    """
    return _pool(X, pool_size, strides, padding, "max")


def avg_pool2d(
    X: Any,
    pool_size: int | tuple[int, int] = 2,
    *,
    strides: int | tuple[int, int] | None = None,
    padding: str = "valid",
) -> np.ndarray:
    """Apply 2-D average pooling like `keras.layers.AveragePooling2D`: the mean of each window.

    With `padding="same"` the padded positions are left out of the mean (a
    border window of 2 real pixels is averaged over 2, not over 4), as in Keras.

    Args:
        X: Images, shape `(batch, height, width, channels)` or one image
            `(height, width, channels)`.
        pool_size: Window size, an int or a pair.
        strides: Step between windows; `None` (the Keras default) means
            `pool_size`.
        padding: `"valid"` or `"same"`.

    Returns:
        A float64 array of shape `(batch, out_h, out_w, channels)` (without the
        batch axis if `X` had none).

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import avg_pool2d
        >>> X = np.arange(16.0).reshape(4, 4, 1)
        >>> avg_pool2d(X)[..., 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]])
        >>> avg_pool2d(X, 3, strides=1).shape
        (2, 2, 1)
    """
    return _pool(X, pool_size, strides, padding, "average")
