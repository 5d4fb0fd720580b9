"""CNN figures: feature maps, filters and augmentation grids show the model's own numbers."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import augmentation, cnn
from dlguide.plots import plot_augmentation_grid, plot_feature_maps, plot_filters

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    return cnn((12, 12), classes=3, filters=(5, 10), kernel_size=3)


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(0).uniform(size=(12, 12)).astype("float32")


def test_feature_maps_are_the_layer_outputs(model, image, tmp_path):
    path = tmp_path / "maps.png"
    fig = plot_feature_maps(model, image, max_maps=4, path=path)
    assert path.read_bytes()[:8] == PNG
    assert len(fig.axes) == 8  # 2 conv layers x 4 maps
    probe = keras.Model(model.input, model.get_layer("conv_2").output)
    expected = keras.ops.convert_to_numpy(probe(image[None]))[0]
    for k in range(4):
        shown = np.asarray(fig.axes[4 + k].images[0].get_array())
        np.testing.assert_allclose(shown, expected[:, :, k], atol=1e-6)
    assert fig.axes[4].get_ylabel() == "conv_2\n6x6x10"


def test_feature_maps_of_named_layers_accept_a_batch_of_one(model, image):
    fig = plot_feature_maps(model, image[None], ["pool_1"], max_maps=20)
    assert len(fig.axes) == 5  # pool_1 has only 5 channels
    assert fig.axes[0].get_ylabel() == "pool_1\n6x6x5"
    assert len(plot_feature_maps(model, image, "conv_1", max_maps=2).axes) == 2


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("model", np.zeros((12, 12))), {}, "Expected a built keras.Model with one input"),
        ((None, np.zeros((3, 3))), {}, r"Expected one image of shape \(12, 12\)"),
        ((None, np.zeros((2, 12, 12))), {}, r"Received: image of shape \(2, 12, 12\)"),
        ((None, np.zeros((12, 12))), {"layer_names": "conv_9"}, "'conv_1', 'conv_2'"),
        ((None, np.zeros((12, 12))), {"layer_names": []}, r"Received: layer_names=\[\]"),
        ((None, np.zeros((12, 12))), {"layer_names": "flatten"}, "with 4-D outputs"),
        ((None, np.zeros((12, 12))), {"max_maps": 0}, "Received: max_maps=0"),
    ],
)
def test_feature_maps_reject_bad_input(model, args, kwargs, message):
    args = (model if args[0] is None else args[0], args[1])
    with pytest.raises(ValueError, match=message):
        plot_feature_maps(*args, **kwargs)


def test_filters_show_the_kernels(model, tmp_path):
    fig = plot_filters(model, path=tmp_path / "f.png")
    assert len(fig.axes) == 5
    kernel = keras.ops.convert_to_numpy(model.get_layer("conv_1").kernel)
    np.testing.assert_allclose(np.asarray(fig.axes[2].images[0].get_array()), kernel[:, :, 0, 2])
    # conv_2 has 5 input channels: each filter is their mean, two rows of up to 8
    fig = plot_filters(model, "conv_2")
    assert len(fig.axes) == 10
    assert fig.get_suptitle() == "conv_2: 10 filters of 3x3x5"
    kernel = keras.ops.convert_to_numpy(model.get_layer("conv_2").kernel)
    np.testing.assert_allclose(
        np.asarray(fig.axes[9].images[0].get_array()), kernel[:, :, :, 9].mean(axis=2), atol=1e-6
    )


def test_filters_of_an_rgb_layer_are_colour_images():
    fig = plot_filters(cnn((8, 8, 3), classes=2, filters=(4,)))
    rgb = np.asarray(fig.axes[0].images[0].get_array())
    assert rgb.shape == (3, 3, 3) and rgb.min() == 0.0 and rgb.max() == 1.0


def test_filters_reject_bad_input(model):
    with pytest.raises(
        ValueError, match="Expected the name of a Conv2D layer. Received: layer_name='pool_1'"
    ):
        plot_filters(model, "pool_1")
    with pytest.raises(ValueError, match="Received: layer_name='conv'"):
        plot_filters(model, "conv")
    inputs = keras.Input((4,))
    with pytest.raises(ValueError, match="without Conv2D layers"):
        plot_filters(keras.Model(inputs, keras.layers.Dense(1)(inputs)))


def test_augmentation_grid_is_reproducible_and_leaves_the_pipeline_alone(tmp_path):
    images = np.random.default_rng(1).uniform(size=(2, 16, 16)).astype("float32")
    augment = augmentation(fill_mode="constant")
    fig = plot_augmentation_grid(augment, images, num_variants=3, seed=4, path=tmp_path / "a.png")
    assert len(fig.axes) == 2 * 4
    assert [ax.get_title() for ax in fig.axes[:4]] == [
        "original",
        "variant 1",
        "variant 2",
        "variant 3",
    ]
    first_row = [np.asarray(ax.images[0].get_array()) for ax in fig.axes[:4]]
    np.testing.assert_allclose(first_row[0], images[0])
    assert not np.allclose(first_row[1], images[0])
    assert not np.allclose(first_row[1], first_row[2])  # each variant is a new draw
    again = plot_augmentation_grid(augment, images, num_variants=3, seed=4)
    np.testing.assert_allclose(np.asarray(again.axes[1].images[0].get_array()), first_row[1])
    other = plot_augmentation_grid(augment, images, num_variants=3, seed=5)
    assert not np.allclose(np.asarray(other.axes[1].images[0].get_array()), first_row[1])
    assert augment.layers[0].seed is None  # the caller's pipeline is not re-seeded


def test_augmentation_grid_of_colour_images_and_a_single_layer():
    images = np.random.default_rng(2).integers(0, 256, size=(1, 10, 10, 3)).astype("uint8")
    fig = plot_augmentation_grid(keras.layers.RandomFlip("horizontal"), images, num_variants=2)
    shown = np.asarray(fig.axes[0].images[0].get_array())
    np.testing.assert_allclose(shown, images[0] / 255.0, atol=1e-6)


@pytest.mark.parametrize(
    ("augment", "images", "kwargs", "message"),
    [
        ("flip", np.zeros((1, 8, 8)), {}, "Received: augmentation='flip'"),
        (None, np.zeros((8, 8)), {}, r"Received: images of shape \(8, 8\)"),
        (None, "abc", {}, "Received: images='abc'"),
        (None, np.zeros((1, 8, 8)), {"num_variants": 0}, "Received: num_variants=0"),
        (None, np.zeros((1, 8, 8)), {"seed": -1}, "Received: seed=-1"),
    ],
)
def test_augmentation_grid_rejects_bad_input(augment, images, kwargs, message):
    augment = augmentation() if augment is None else augment
    with pytest.raises(ValueError, match=message):
        plot_augmentation_grid(augment, images, **kwargs)
