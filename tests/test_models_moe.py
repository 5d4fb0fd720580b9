"""The mixture-of-experts layer: routing, balancing loss, serialisation, argument checks."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide.models import MixtureOfExperts


def test_top_1_routing_uses_one_expert_with_its_probability():
    layer = MixtureOfExperts(3, 4, seed=0)
    x = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    layer(x)
    probabilities, gates = (keras.ops.convert_to_numpy(t) for t in layer.route(x))
    assert ((gates > 0).sum(axis=1) == 1).all()
    assert np.allclose(gates.max(axis=1), probabilities.max(axis=1))


def test_balancing_loss_is_added_only_with_a_weight():
    x = np.ones((2, 3, 4), "float32")
    with_loss, without = (
        MixtureOfExperts(2, 4, seed=0),
        MixtureOfExperts(2, 4, balance_weight=0, seed=0),
    )
    with_loss(x), without(x)
    assert len(with_loss.losses) == 1 and without.losses == []


def test_the_layer_reloads_inside_a_model(tmp_path):
    inputs = keras.Input((3, 4))
    model = keras.Model(inputs, MixtureOfExperts(3, 8, top_k=2, seed=1)(inputs))
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")
    model.save(tmp_path / "moe.keras")
    reloaded = keras.models.load_model(tmp_path / "moe.keras")
    assert np.allclose(model.predict(x, verbose=0), reloaded.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 4), {}, "Received: num_experts=0"),
        ((2, 0), {}, "Received: ff_dim=0"),
        ((2, 4), {"top_k": 3}, "Expected top_k <= num_experts=2"),
        ((2, 4), {"balance_weight": -1.0}, "Received: balance_weight=-1.0"),
        ((2, 4), {"activation": "nope"}, "activation"),
        ((2, 4), {"seed": -2}, "Received: seed=-2"),
    ],
)
def test_bad_arguments_are_named(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        MixtureOfExperts(*args, **kwargs)


def test_an_unknown_width_is_an_error():
    with pytest.raises(ValueError, match="known last axis"):
        MixtureOfExperts(2, 4).build((None, None))
