"""NumPy convolution and pooling against Keras on the same inputs and weights."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from dlguide.scratch import avg_pool2d, conv2d, conv_output_shape, corr2d, max_pool2d

RNG = np.random.default_rng(0)
# An odd and an even axis, so that "same" padding has to split unevenly somewhere.
X3 = RNG.normal(size=(2, 9, 12, 3)).astype("float32")
X1 = RNG.normal(size=(1, 7, 8, 1)).astype("float32")

KERNELS = (1, 2, 3, 5, (3, 2))
STRIDES = (1, 2, 3, (2, 1))
PADDINGS = ("valid", "same")
CONV_GRID = list(itertools.product(KERNELS, STRIDES, PADDINGS))

POOLS = (2, 3, (2, 3))
POOL_STRIDES = (None, 1, 2, (1, 2))
POOL_GRID = list(itertools.product(POOLS, POOL_STRIDES, PADDINGS))


def _pair(v):
    return (v, v) if isinstance(v, int) else v


@pytest.mark.parametrize(("kernel_size", "stride", "padding"), CONV_GRID)
@pytest.mark.parametrize("x", [X3, X1], ids=["rgb", "gray"])
def test_conv2d_equals_keras_conv2d(x, kernel_size, stride, padding):
    layer = keras.layers.Conv2D(4, kernel_size, strides=stride, padding=padding)
    layer.build(x.shape)
    K, b = layer.get_weights()
    b = RNG.normal(size=b.shape).astype("float32")  # a non-zero bias is part of the check
    layer.set_weights([K, b])
    keras_out = keras.ops.convert_to_numpy(layer(x))
    mine = conv2d(x, K, b, strides=stride, padding=padding)
    assert mine.shape == keras_out.shape
    np.testing.assert_allclose(mine, keras_out, atol=1e-5, rtol=0)
    # the shape calculator agrees with Keras too
    size = x.shape[1:3]
    assert (
        conv_output_shape(size, kernel_size, strides=stride, padding=padding)
        == keras_out.shape[1:3]
    )
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(stride)
    assert conv_output_shape(size[0], kh, strides=sh, padding=padding) == keras_out.shape[1]
    assert conv_output_shape(size[1], kw, strides=sw, padding=padding) == keras_out.shape[2]


@pytest.mark.parametrize(("pool_size", "stride", "padding"), POOL_GRID)
@pytest.mark.parametrize(
    ("mine", "layer_class"),
    [(max_pool2d, keras.layers.MaxPooling2D), (avg_pool2d, keras.layers.AveragePooling2D)],
    ids=["max", "average"],
)
def test_pooling_equals_keras(mine, layer_class, pool_size, stride, padding):
    layer = layer_class(pool_size, strides=stride, padding=padding)
    keras_out = keras.ops.convert_to_numpy(layer(X3))
    out = mine(X3, pool_size, strides=stride, padding=padding)
    assert out.shape == keras_out.shape
    np.testing.assert_allclose(out, keras_out, atol=1e-5, rtol=0)
    shape = conv_output_shape(
        X3.shape[1:3], pool_size, strides=pool_size if stride is None else stride, padding=padding
    )
    assert shape == keras_out.shape[1:3]


def test_corr2d_is_the_single_channel_conv2d():
    X, K = RNG.normal(size=(6, 7)), RNG.normal(size=(3, 2))
    expected = conv2d(X[None, :, :, None], K[:, :, None, None])[0, :, :, 0]
    np.testing.assert_allclose(corr2d(X, K), expected, atol=1e-12)


def test_corr2d_by_hand():
    # d2l's example: the top-left output is 0*0 + 1*1 + 3*2 + 4*3 = 19
    X = np.arange(9.0).reshape(3, 3)
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert corr2d(X, K).tolist() == [[19.0, 25.0], [37.0, 43.0]]


def test_edge_kernel_finds_the_edge():
    X = np.ones((6, 8))
    X[:, 2:6] = 0.0
    Y = corr2d(X, np.array([[1.0, -1.0]]))
    assert Y[0].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]


def test_conv2d_accepts_one_image_without_batch_axis():
    K = RNG.normal(size=(3, 3, 3, 2))
    np.testing.assert_allclose(conv2d(X3[0], K, padding="same"), conv2d(X3, K, padding="same")[0])
    assert max_pool2d(X3[0]).shape == (4, 6, 3)


def test_average_pooling_same_leaves_padding_out_of_the_mean():
    X = np.ones((1, 3, 3, 1))
    assert np.all(avg_pool2d(X, 2, padding="same") == 1.0)
    assert max_pool2d(-X, 2, padding="same").max() == -1.0  # padding never wins the max


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: corr2d(np.ones(3), np.ones((2, 2))), r"Expected a 2-D array .* X.shape=\(3,\)"),
        (lambda: corr2d(np.ones((2, 2)), np.ones((3, 3))), r"K.shape"),
        (lambda: corr2d([[1, np.nan]], [[1]]), r"Expected a 2-D array of finite numbers"),
        (lambda: corr2d("abc", [[1]]), "Received: X='abc'"),
        (lambda: conv2d(np.ones((4, 4)), np.ones((1, 1, 1, 1))), r"X.shape=\(4, 4\)"),
        (
            lambda: conv2d(X3, np.ones((3, 3, 1, 2))),
            r"\(kh, kw, 3, c_out\).*K.shape=\(3, 3, 1, 2\)",
        ),
        (lambda: conv2d(X3, np.ones((3, 3, 3, 2)), np.ones(3)), r"bias of shape \(2,\)"),
        (lambda: conv2d(X3, np.ones((3, 3, 3, 2)), strides=0), "Received: strides=0"),
        (
            lambda: conv2d(X3, np.ones((3, 3, 3, 2)), padding="full"),
            "Expected one of 'valid', 'same'. Received: padding='full'",
        ),
        (lambda: conv2d(X3, np.ones((10, 3, 3, 2))), "no larger than the input"),
        (lambda: max_pool2d(X3, 0), "Expected a positive integer or a pair"),
        (lambda: avg_pool2d(X3, 2, strides=(1, 2, 3)), r"Received: strides=\(1, 2, 3\)"),
        (lambda: max_pool2d(X3, 10), "Expected a pool_size no larger than the input"),
        (lambda: conv_output_shape(0, 3), "Received: input_size=0"),
        (lambda: conv_output_shape(5, 7), "no larger than the input"),
        (lambda: conv_output_shape(5, 3, strides=-1), "Received: strides=-1"),
        (lambda: conv_output_shape(5, 3, padding=None), "Received: padding=None"),
    ],
)
def test_bad_input_is_a_keras_style_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
