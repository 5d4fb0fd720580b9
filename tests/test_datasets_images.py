"""load_textures: real CC0 photographs, split so that no test pixel is ever trained on."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

import dlguide
from dlguide.datasets import _images as images_module
from dlguide.datasets import get_dataset_info, load_textures


def _locate(patch: np.ndarray, photo: np.ndarray, stride: int) -> tuple[int, int] | None:
    """Top-left corner of `patch` in `photo`, searched on the stride grid."""
    size = patch.shape[0]
    for y in range(0, photo.shape[0] - size + 1, stride):
        for x in range(0, photo.shape[1] - size + 1, stride):
            if np.array_equal(photo[y : y + size, x : x + size], patch):
                return y, x
    return None


def test_defaults_match_the_registry_and_are_balanced():
    (x_train, y_train), (x_test, y_test) = load_textures()
    info = get_dataset_info("textures")
    assert info.loader == "load_textures" and dlguide.load_textures is load_textures
    assert len(x_train) + len(x_test) == info.num_examples
    assert x_train.shape[1:] == info.example_shape and info.classes == 3
    assert "CC0" in info.license
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [192, 192, 192]
    assert np.bincount(y_test).tolist() == [64, 64, 64]
    assert len(np.unique(y_train[:20])) == 3  # training patches are shuffled


def test_patches_come_from_the_right_photo_and_the_split_is_spatial():
    photos = [data.brick(), data.grass(), data.gravel()]
    (x_train, y_train), (x_test, y_test) = load_textures(strides=16, test_size=0.25)
    boundary = 512 - 128
    for i in range(0, len(x_train), 97):
        corner = _locate(x_train[i], photos[y_train[i]], 16)
        assert corner is not None and corner[0] + 32 <= boundary  # wholly above the boundary
    for i in range(0, len(x_test), 13):
        corner = _locate(x_test[i], photos[y_test[i]], 32)
        assert corner is not None and corner[0] >= boundary  # wholly below it


@pytest.mark.parametrize(("patch_size", "stride", "test_size"), [(16, 1, 0.1), (32, 8, 0.25)])
def test_no_test_pixel_is_in_a_training_patch(monkeypatch, patch_size, stride, test_size):
    # Photos whose pixels hold their own row number show where every patch was cut.
    rows = np.repeat(np.arange(512, dtype=np.uint16)[:, None], 512, axis=1)
    monkeypatch.setattr(images_module, "_texture_images", lambda: (rows, rows, rows))
    (x_train, _), (x_test, _) = load_textures(
        patch_size=patch_size, strides=stride, test_size=test_size
    )
    boundary = 512 - round(512 * test_size)
    assert x_train.max() == boundary - 1  # training patches reach the boundary ...
    assert x_test.min() == boundary  # ... and test patches start right after it
    tops = sorted({int(p[0, 0]) for p in x_test})
    assert np.all(np.diff(tops) == patch_size)  # test patches do not overlap each other


def test_same_seed_same_order_different_seed_different_order():
    (a, ya), _ = load_textures(seed=1)
    (b, yb), _ = load_textures(seed=1)
    (c, _), _ = load_textures(seed=2)
    assert np.array_equal(a, b) and np.array_equal(ya, yb) and not np.array_equal(a, c)
    a[0] = 0  # callers may modify what they get
    assert not np.array_equal(load_textures(seed=1)[0][0], a)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"patch_size": 4}, "Received: patch_size=4"),
        ({"patch_size": 32.0}, "Received: patch_size=32.0"),
        ({"strides": 0}, "Received: strides=0"),
        ({"test_size": 1.0}, "Received: test_size=1.0"),
        ({"test_size": 0.01}, "at least one 32-pixel patch"),
        ({"seed": -1}, "Received: seed=-1"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_textures(**kwargs)
