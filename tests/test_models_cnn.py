"""The CNN builder: structure, shapes, parameter counts, training, and every validation message."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import cnn


def test_cnn_default_is_two_conv_pool_blocks_and_a_softmax():
    model = cnn((28, 28), classes=10)
    assert isinstance(model, keras.Model)
    assert model.compiled is False
    assert model.name == "cnn"
    assert [layer.name for layer in model.layers] == [
        "input",
        "add_channel",
        "conv_1",
        "pool_1",
        "conv_2",
        "pool_2",
        "flatten",
        "output",
    ]
    assert model.get_layer("conv_1").output.shape == (None, 28, 28, 32)
    assert model.get_layer("pool_2").output.shape == (None, 7, 7, 64)
    assert model.output_shape == (None, 10)
    assert model.get_layer("output").activation.__name__ == "softmax"
    # conv_1: 3*3*1*32 + 32, conv_2: 3*3*32*64 + 64, output: 7*7*64*10 + 10
    assert model.count_params() == 320 + 18496 + 31370


def test_cnn_binary_head_is_one_sigmoid_unit():
    model = cnn((16, 16, 3), classes=1, classifier_activation="sigmoid")
    assert model.output_shape == (None, 1)
    assert model.get_layer("output").activation.__name__ == "sigmoid"
    assert "add_channel" not in [layer.name for layer in model.layers]


def test_cnn_options_add_the_documented_layers():
    model = cnn(
        (40, 40, 3),
        classes=5,
        filters=(8, 16, 32),
        kernel_size=(5, 3),
        padding="valid",
        pooling="average",
        batch_norm=True,
        dropout=0.25,
        head="global_average",
        dense_units=(12,),
        activation="tanh",
        rescale=1 / 255,
        name="small",
    )
    names = [layer.name for layer in model.layers]
    assert names == [
        "input",
        "rescaling",
        "conv_1",
        "bn_1",
        "act_1",
        "pool_1",
        "conv_2",
        "bn_2",
        "act_2",
        "pool_2",
        "conv_3",
        "bn_3",
        "act_3",
        "pool_3",
        "global_pool",
        "dropout_1",
        "dense_1",
        "dropout_2",
        "output",
    ]
    conv = model.get_layer("conv_1")
    assert conv.kernel_size == (5, 3) and conv.use_bias is False and conv.padding == "valid"
    assert isinstance(model.get_layer("pool_1"), keras.layers.AveragePooling2D)
    assert model.get_layer("act_1").activation.__name__ == "tanh"
    assert model.get_layer("rescaling").scale == pytest.approx(1 / 255)
    # 40x40 -> conv (36, 38) -> pool (18, 19) -> conv (14, 17) -> pool (7, 8) -> conv (3, 6)
    # -> pool (1, 3)
    assert model.get_layer("pool_3").output.shape == (None, 1, 3, 32)
    assert model.get_layer("dropout_1").rate == 0.25
    assert model.name == "small"


def test_cnn_without_pooling_and_with_strides():
    model = cnn((28, 28), classes=10, filters=16, strides=2, pooling=None)
    assert [layer.name for layer in model.layers][2:4] == ["conv_1", "flatten"]
    assert model.get_layer("conv_1").output.shape == (None, 14, 14, 16)


def test_global_average_head_has_far_fewer_parameters_than_flatten():
    flat = cnn((28, 28), classes=10).count_params()
    gap = cnn((28, 28), classes=10, head="global_average").count_params()
    assert gap == 320 + 18496 + 64 * 10 + 10
    assert gap < flat / 2


def test_cnn_learns_a_separable_toy_task():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(128, 8, 8)).astype("float32")
    y = (x[:, :, :4].mean(axis=(1, 2)) > x[:, :, 4:].mean(axis=(1, 2))).astype("int32")
    model = cnn((8, 8), classes=2, filters=(8,), head="global_average")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    first = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, epochs=30, batch_size=32, verbose=0)
    loss, _ = model.evaluate(x, y, verbose=0)
    assert loss < first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": (28,)}, r"\(height, width, channels\). Received: input_shape=\(28,\)"),
        ({"input_shape": (2, 28, 28, 1)}, r"Received: input_shape=\(2, 28, 28, 1\)"),
        ({"input_shape": (28, 0)}, r"Received: input_shape=\(28, 0\)"),
        ({"classes": 0}, "Expected a positive integer. Received: classes=0"),
        ({"filters": (32, -1)}, r"Received: filters=\(32, -1\)"),
        ({"filters": ()}, None),
        (
            {"kernel_size": (3, 3, 3)},
            r"Expected a positive integer or a pair of positive integers. Received: kernel_size=\(3, 3, 3\)",
        ),
        ({"kernel_size": 0}, "Received: kernel_size=0"),
        ({"strides": 1.5}, "Received: strides=1.5"),
        ({"padding": "full"}, "Expected one of 'valid', 'same'. Received: padding='full'"),
        ({"pooling": "avg"}, "Expected one of 'max', 'average', None. Received: pooling='avg'"),
        ({"pool_size": -2}, "Received: pool_size=-2"),
        ({"batch_norm": 1}, r"Expected a bool \(True or False\). Received: batch_norm=1"),
        ({"dropout": 1.0}, "Received: dropout=1.0"),
        ({"head": "gap"}, "Expected one of 'flatten', 'global_average'. Received: head='gap'"),
        ({"dense_units": (0,)}, r"Received: dense_units=\(0,\)"),
        ({"activation": "relux"}, "Received: activation='relux'"),
        ({"rescale": 0}, "Expected a positive float or None. Received: rescale=0"),
        ({"rescale": "1/255"}, "Received: rescale='1/255'"),
        ({"name": ""}, "Expected a non-empty string. Received: name=''"),
        (
            {"input_shape": (8, 8), "filters": (8, 8, 8, 8)},
            r"large enough for 4 conv blocks; block 4 leaves nothing.*Received: input_shape=\(8, 8\)",
        ),
        (
            {"input_shape": (4, 4), "kernel_size": 5, "padding": "valid"},
            r"block 1 leaves nothing.*Received: input_shape=\(4, 4\)",
        ),
    ],
)
def test_cnn_rejects_bad_arguments_with_a_keras_style_message(kwargs, message):
    kwargs = {"input_shape": (28, 28), "classes": 10, **kwargs}
    if message is None:  # an empty filters tuple is allowed: a linear model on the pixels
        model = cnn(**kwargs)
        assert [layer.name for layer in model.layers] == [
            "input",
            "add_channel",
            "flatten",
            "output",
        ]
        return
    with pytest.raises(ValueError, match=message):
        cnn(**kwargs)
