"""The vision transformer builder and its class-token layer."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import ClassTokenAndPosition, vit


def test_vit_maps_images_to_classes_and_reloads(tmp_path):
    model = vit((8, 8, 3), patch_size=4, embedding_dim=8, num_heads=2, num_blocks=1, classes=3)
    x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    assert model.get_layer("embedding").output.shape == (None, 5, 8)
    path = tmp_path / "vit.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    assert np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0), atol=1e-6)


def test_class_token_layer_config_round_trip():
    layer = ClassTokenAndPosition(name="embedding")
    assert ClassTokenAndPosition.from_config(layer.get_config()).name == "embedding"
    with pytest.raises(ValueError, match="known number of steps"):
        layer.build((None, None, 4))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"patch_size": 0}, "Received: patch_size=0"),
        ({"patch_size": 3}, "multiples of patch_size=3"),
        ({"embedding_dim": 10, "num_heads": 4}, "divisible by num_heads=4"),
        ({"num_blocks": 0}, "Received: num_blocks=0"),
        ({"dropout": 1.0}, "Received: dropout=1.0"),
        ({"rescale": -1.0}, "Received: rescale=-1.0"),
        ({"classes": 0}, "classes=0"),
        ({"name": ""}, "Received: name=''"),
    ],
)
def test_vit_rejects_bad_arguments(kwargs, message):
    arguments = {"classes": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        vit((28, 28), **arguments)
