"""LoRA helpers: adapters added, read and merged; each invalid argument named."""

from __future__ import annotations

import numpy as np
import pytest

import dlguide
from dlguide.models import add_lora, lora_weights, merge_lora


def _model():
    return dlguide.mlp(6, (5, 4), classes=2)


def test_add_lora_adapts_the_named_layers_and_freezes_them():
    model = _model()
    assert add_lora(model, 3, layers=["hidden_2"], alpha=6, seed=0) == 3 * (5 + 4)
    layer = model.get_layer("hidden_2")
    assert layer.lora_enabled and layer.lora_alpha == 6
    assert not model.get_layer("hidden_1").lora_enabled
    trainable = {w.path for w in model.trainable_weights}
    assert "hidden_2/bias" not in trainable and "hidden_2/lora_kernel_a" in trainable
    assert list(lora_weights(model)) == ["hidden_2/lora_kernel_a", "hidden_2/lora_kernel_b"]


def test_merge_lora_keeps_predictions_and_drops_the_adapters():
    model = _model()
    add_lora(model, 2, seed=0)
    for layer in (model.get_layer("hidden_1"), model.get_layer("hidden_2")):
        layer.lora_kernel_b.assign(np.full(layer.lora_kernel_b.shape, 0.3))
    merged = merge_lora(model)
    x = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
    assert np.allclose(model(x), merged(x), atol=1e-6)
    assert lora_weights(merged) == {}
    assert merged.count_params() == _model().count_params()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rank": 0}, "Expected a positive integer. Received: rank=0"),
        ({"rank": 2, "alpha": -1.0}, "Received: alpha=-1.0"),
        ({"rank": 2, "layers": "hidden_1"}, "Expected a sequence of layer names"),
        ({"rank": 2, "layers": ["output_x"]}, "Expected names of Dense layers without LoRA"),
        ({"rank": 2, "seed": -1}, "Received: seed=-1"),
    ],
)
def test_add_lora_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        add_lora(_model(), **kwargs)


def test_add_lora_twice_on_a_layer_is_an_error():
    model = _model()
    add_lora(model, 2, layers=["hidden_1"])
    with pytest.raises(ValueError, match="without LoRA"):
        add_lora(model, 2, layers=["hidden_1"])


@pytest.mark.parametrize("function", [add_lora, lora_weights, merge_lora])
def test_a_model_is_required(function):
    args = (2,) if function is add_lora else ()
    with pytest.raises(ValueError, match="Expected a built keras.Model"):
        function("model", *args)
