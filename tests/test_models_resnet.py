"""Residual blocks and the small ResNet: structure, skip connections, validation."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import residual_block, resnet


def _names(model):
    return [layer.name for layer in model.layers]


def test_identity_block_adds_its_input():
    inputs = keras.Input((8, 8, 4))
    outputs = residual_block(inputs, 4, name="b")
    model = keras.Model(inputs, outputs)
    assert _names(model)[1:] == [
        "b_conv1",
        "b_bn1",
        "b_relu1",
        "b_conv2",
        "b_bn2",
        "b_add",
        "b_out",
    ]
    # with the residual branch zeroed, the block is relu(x): the skip passes x through
    for layer in model.layers:
        if layer.name in ("b_conv1", "b_conv2"):
            layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 4)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), np.maximum(x, 0), atol=1e-5)


def test_plain_block_has_no_skip_and_zero_branch_gives_zero():
    inputs = keras.Input((8, 8, 4))
    model = keras.Model(
        inputs, residual_block(inputs, 4, use_skip=False, batch_norm=False, name="p")
    )
    assert _names(model)[1:] == ["p_conv1", "p_relu1", "p_conv2", "p_out"]
    for name in ("p_conv1", "p_conv2"):
        layer = model.get_layer(name)
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    x = np.ones((1, 8, 8, 4), "float32")
    assert np.all(keras.ops.convert_to_numpy(model(x)) == 0)


def test_downsampling_block_projects_the_shortcut():
    inputs = keras.Input((9, 9, 4))
    y = residual_block(inputs, 8, strides=2, batch_norm=False, name="d")
    model = keras.Model(inputs, y)
    assert y.shape == (None, 5, 5, 8)
    assert model.get_layer("d_shortcut").kernel_size == (1, 1)
    assert model.get_layer("d_shortcut").strides == (2, 2)
    assert "d_shortcut_bn" not in _names(model)


def test_resnet_structure_and_depth():
    model = resnet((28, 28), classes=10, stage_filters=(8, 16), blocks_per_stage=3, rescale=1 / 255)
    names = _names(model)
    assert names[:5] == ["input", "add_channel", "rescaling", "stem_conv", "stem_bn"]
    assert names[-2:] == ["global_pool", "output"]
    main_convs = [n for n in names if n.endswith(("conv1", "conv2")) or n == "stem_conv"]
    assert len(main_convs) == 2 * 2 * 3 + 1
    assert sum(isinstance(layer, keras.layers.Add) for layer in model.layers) == 6
    assert model.get_layer("stage2_block1_out").output.shape == (None, 14, 14, 16)
    assert model.output_shape == (None, 10)
    assert model.compiled is False


def test_plain_resnet_has_the_same_main_path_without_adds():
    plain = resnet(
        (16, 16, 3), classes=1, classifier_activation="sigmoid", use_skip=False, batch_norm=False
    )
    assert not any(isinstance(layer, keras.layers.Add) for layer in plain.layers)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in plain.layers)
    assert not any("shortcut" in n for n in _names(plain))
    assert plain.get_layer("output").activation.__name__ == "sigmoid"
    skip = resnet((16, 16, 3), classes=1, classifier_activation="sigmoid", batch_norm=False)
    # only the two 1x1 projection shortcuts differ: 16*32 + 32 and 32*64 + 64 parameters
    assert skip.count_params() - plain.count_params() == 16 * 32 + 32 + 32 * 64 + 64


def test_skip_connections_carry_the_gradient_to_the_first_layer():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(32, 16, 16)).astype("float32")
    y = rng.integers(0, 10, size=32)
    norms = {}
    for skip in (False, True):
        keras.utils.set_random_seed(0)
        model = resnet(
            (16, 16),
            classes=10,
            stage_filters=(8, 16),
            blocks_per_stage=4,
            use_skip=skip,
            batch_norm=False,
        )
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x)))
        grad = tape.gradient(loss, model.get_layer("stem_conv").kernel)
        norms[skip] = float(tf.norm(grad))
    # without skips the first layer's gradient has all but vanished after 17 conv layers
    assert norms[True] > 100 * norms[False] > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": (28,)}, r"Received: input_shape=\(28,\)"),
        ({"classes": 0}, "Received: classes=0"),
        ({"stage_filters": ()}, r"Received: stage_filters=\(\)"),
        ({"stage_filters": (8, -1)}, r"Received: stage_filters=\(8, -1\)"),
        ({"blocks_per_stage": 0}, "Expected a positive integer. Received: blocks_per_stage=0"),
        ({"use_skip": "yes"}, "Received: use_skip='yes'"),
        ({"batch_norm": None}, "Received: batch_norm=None"),
        ({"rescale": -1.0}, "Received: rescale=-1.0"),
        ({"name": 3}, "Received: name=3"),
        (
            {"input_shape": (3, 3), "stage_filters": (4, 8, 16)},
            r"at least 4x4 pixels for 3 stages. Received: input_shape=\(3, 3\)",
        ),
    ],
)
def test_resnet_rejects_bad_arguments(kwargs, message):
    kwargs = {"input_shape": (28, 28), "classes": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        resnet(**kwargs)


@pytest.mark.parametrize(
    ("x", "kwargs", "message"),
    [
        (np.ones((1, 8, 8, 3)), {}, "Expected a 4-D functional tensor"),
        (keras.Input((8,)), {}, "Expected a 4-D functional tensor"),
        (keras.Input((8, 8, 3)), {"filters": 0}, "Received: filters=0"),
        (keras.Input((8, 8, 3)), {"strides": 0}, "Received: strides=0"),
        (keras.Input((8, 8, 3)), {"use_skip": 1}, "Received: use_skip=1"),
        (keras.Input((8, 8, 3)), {"name": ""}, "Received: name=''"),
    ],
)
def test_residual_block_rejects_bad_arguments(x, kwargs, message):
    kwargs = {"filters": 8, **kwargs}
    with pytest.raises(ValueError, match=message):
        residual_block(x, **kwargs)
