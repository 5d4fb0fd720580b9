"""Augmentation pipeline, transfer learning and fine-tuning helpers."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import augmentation, cnn, transfer, unfreeze

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(size=(6, 16, 16, 1)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


# --- augmentation ---------------------------------------------------------------------------


def test_augmentation_layers_follow_the_arguments():
    augment = augmentation(flip="horizontal", rotation=0.2, zoom=0.0, translation=0.1, seed=3)
    assert isinstance(augment, keras.Sequential)
    assert [type(layer).__name__ for layer in augment.layers] == [
        "RandomFlip",
        "RandomRotation",
        "RandomTranslation",
    ]
    assert augment.layers[0].mode == "horizontal"
    assert augment.layers[1].factor == (-0.2, 0.2)
    assert [layer.seed for layer in augment.layers] == [3, 4, 5]
    assert augment.name == "augmentation"


def test_augmentation_changes_images_in_training_only():
    augment = augmentation(fill_mode="constant", seed=0)
    out = _np(augment(IMAGES, training=True))
    assert out.shape == IMAGES.shape
    assert not np.allclose(out, IMAGES)
    np.testing.assert_allclose(_np(augment(IMAGES, training=False)), IMAGES)


def test_augmentation_with_a_seed_is_reproducible():
    a = _np(augmentation(seed=7)(IMAGES, training=True))
    b = _np(augmentation(seed=7)(IMAGES, training=True))
    c = _np(augmentation(seed=8)(IMAGES, training=True))
    np.testing.assert_allclose(a, b)
    assert not np.allclose(a, c)


def test_vertical_flip_alone_flips_upside_down_or_not_at_all():
    augment = augmentation(flip="vertical", rotation=0, zoom=0, translation=0, seed=0)
    out = _np(augment(IMAGES, training=True))
    for img, new in zip(IMAGES, out, strict=True):
        assert np.allclose(new, img) or np.allclose(new, img[::-1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"flip": "diagonal"},
            "Expected one of None, 'horizontal', 'vertical', 'horizontal_and_vertical'. "
            "Received: flip='diagonal'",
        ),
        ({"rotation": 1.0}, r"Expected a float in the range \[0, 1\). Received: rotation=1.0"),
        ({"zoom": -0.1}, "Received: zoom=-0.1"),
        ({"translation": "0.1"}, "Received: translation='0.1'"),
        ({"fill_mode": "zeros"}, "Received: fill_mode='zeros'"),
        ({"seed": -1}, "Expected a non-negative integer or None. Received: seed=-1"),
        ({"seed": 1.5}, "Received: seed=1.5"),
        ({"name": ""}, "Received: name=''"),
        ({"rotation": 0, "zoom": 0, "translation": 0}, "Expected at least one transformation"),
    ],
)
def test_augmentation_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        augmentation(**kwargs)


# --- transfer and unfreeze ----------------------------------------------------------------


def _backbone(name="cnn"):
    keras.utils.set_random_seed(0)
    return cnn((16, 16), classes=3, filters=(4, 8), batch_norm=True, name=name)


def test_transfer_reuses_the_backbone_features_and_freezes_them():
    backbone = _backbone()
    model = transfer(backbone, classes=2, dense_units=(6,), dropout=0.5)
    assert [layer.name for layer in model.layers] == [
        "input",
        "backbone",
        "dropout_1",
        "dense_1",
        "dropout_2",
        "output",
    ]
    base = model.get_layer("backbone")
    assert base.output.shape == (None, 4 * 4 * 8)  # cut before the old 3-class output layer
    assert base.trainable is False
    assert base.get_layer("conv_1") is backbone.get_layer("conv_1")  # shared, not copied
    # the features are exactly those of the trained backbone
    features = keras.Model(backbone.input, backbone.get_layer("flatten").output)
    np.testing.assert_allclose(_np(base(IMAGES[..., 0])), _np(features(IMAGES[..., 0])), atol=1e-6)
    assert model.get_layer("output").activation.__name__ == "softmax"


def test_frozen_backbone_does_not_move_during_fit():
    model = transfer(_backbone(), classes=2)
    before = [w.copy() for w in model.get_layer("backbone").get_weights()]
    head_before = model.get_layer("output").get_weights()[0].copy()
    model.compile("adam", "sparse_categorical_crossentropy")
    x, y = IMAGES[..., 0], np.array([0, 1, 0, 1, 0, 1])
    model.fit(x, y, epochs=3, verbose=0)
    for a, b in zip(before, model.get_layer("backbone").get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(head_before, model.get_layer("output").get_weights()[0])


def test_trainable_backbone_keeps_batch_norm_frozen():
    model = transfer(_backbone(), classes=1, classifier_activation="sigmoid", trainable=True)
    assert model.get_layer("backbone").trainable is True
    bn = model.get_layer("backbone").get_layer("bn_1")
    mean_before = _np(bn.moving_mean).copy()
    model.compile("adam", "binary_crossentropy")
    model.fit(IMAGES[..., 0] * 5 + 3, np.array([0, 1, 0, 1, 0, 1]), epochs=2, verbose=0)
    assert bn.trainable is False
    np.testing.assert_array_equal(_np(bn.moving_mean), mean_before)
    assert model.output_shape == (None, 1)


def test_transfer_pools_feature_maps_and_uses_a_named_layer():
    model = transfer(_backbone(), classes=4, feature_layer="pool_2")
    assert model.get_layer("backbone").output.shape == (None, 4, 4, 8)
    assert [layer.name for layer in model.layers] == ["input", "backbone", "global_pool", "output"]


def test_transfer_model_without_a_dense_top_uses_its_output():
    inputs = keras.Input((16, 16, 3))
    outputs = keras.layers.Conv2D(5, 3)(inputs)
    model = transfer(keras.Model(inputs, outputs), classes=2)
    assert model.get_layer("backbone").output.shape == (None, 14, 14, 5)


def test_unfreeze_counts_weighted_layers_from_the_top_and_keeps_batch_norm_frozen():
    model = transfer(_backbone(), classes=2)
    base = model.get_layer("backbone")
    assert unfreeze(model, 1) == 1
    trainable = [layer.name for layer in base.layers if layer.trainable]
    assert trainable == ["conv_2"]
    assert unfreeze(model, 5) == 2  # conv_1 and conv_2; bn_1 and bn_2 never
    assert [layer.name for layer in base.layers if layer.trainable] == ["conv_1", "conv_2"]
    assert unfreeze(model, 0) == 0
    assert not any(layer.trainable for layer in base.layers)
    assert model.get_layer("output").trainable  # the head is never frozen


def test_unfrozen_layer_learns_and_frozen_layers_do_not():
    model = transfer(_backbone(), classes=2)
    unfreeze(model, 1)
    base = model.get_layer("backbone")
    w1, w2 = (base.get_layer(n).get_weights()[0].copy() for n in ("conv_1", "conv_2"))
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(IMAGES[..., 0], np.array([0, 1, 0, 1, 0, 1]), epochs=3, verbose=0)
    np.testing.assert_array_equal(base.get_layer("conv_1").get_weights()[0], w1)
    assert not np.allclose(base.get_layer("conv_2").get_weights()[0], w2)


def test_unfreeze_on_a_plain_model():
    model = _backbone()
    assert unfreeze(model, 2) == 2
    assert [layer.name for layer in model.layers if layer.trainable and layer.weights] == [
        "conv_2",
        "output",
    ]


def test_transfer_model_survives_save_and_load(tmp_path):
    model = transfer(_backbone(), classes=2)
    path = tmp_path / "transfer.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = IMAGES[..., 0]
    np.testing.assert_allclose(_np(loaded(x)), _np(model(x)), atol=1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: transfer("model", classes=2), "Expected a built keras.Model with one input"),
        (lambda b: transfer(keras.Sequential(), classes=2), "Received: backbone=<Sequential"),
        (lambda b: transfer(b, classes=0), "Received: classes=0"),
        (
            lambda b: transfer(b, classes=2, feature_layer="nope"),
            "its last layers: .*'output'.*feature_layer='nope'",
        ),
        (
            lambda b: transfer(b, classes=2, feature_layer=3),
            "Expected a non-empty string or None. Received: feature_layer=3",
        ),
        (lambda b: transfer(b, classes=2, trainable="no"), "Received: trainable='no'"),
        (lambda b: transfer(b, classes=2, dense_units=-1), "Received: dense_units=-1"),
        (lambda b: transfer(b, classes=2, dropout=2), "Received: dropout=2"),
        (lambda b: transfer(b, classes=2, name=None), "Received: name=None"),
        (lambda b: unfreeze(b, -1), "Expected a non-negative integer. Received: num_layers=-1"),
        (lambda b: unfreeze(None, 1), "Received: model=None"),
    ],
)
def test_transfer_and_unfreeze_reject_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call(_backbone())


def test_unfreeze_rejects_a_model_with_two_sub_models():
    inputs = keras.Input((16, 16))
    a, b = _backbone("a"), _backbone("b")
    model = keras.Model(inputs, keras.layers.Add()([a(inputs), b(inputs)]))
    with pytest.raises(ValueError, match="at most one sub-model"):
        unfreeze(model, 1)
