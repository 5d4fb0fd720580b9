"""The model builders: structure and every validation message."""

from __future__ import annotations

import keras
import pytest

from dlguide.models import mlp


def test_mlp_is_an_uncompiled_functional_model():
    model = mlp((28, 28), (64, 32), classes=10)
    assert isinstance(model, keras.Model)
    assert model.compiled is False
    assert model.input_shape == (None, 28, 28)
    assert model.output_shape == (None, 10)
    assert [layer.name for layer in model.layers] == [
        "input",
        "flatten",
        "hidden_1",
        "hidden_2",
        "output",
    ]
    assert model.get_layer("output").activation.__name__ == "softmax"


def test_mlp_without_hidden_layers_is_logistic_regression():
    model = mlp(30, (), classes=1, classifier_activation="sigmoid")
    assert [layer.name for layer in model.layers] == ["input", "output"]
    assert model.count_params() == 31


def test_mlp_regression_head_is_linear():
    model = mlp(10, 8, classifier_activation=None, classes=1)
    assert model.get_layer("output").activation.__name__ == "linear"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": 0}, "Received: input_shape=0"),
        ({"input_shape": ()}, r"Received: input_shape=\(\)"),
        ({"input_shape": "30"}, "Received: input_shape='30'"),
        (
            {"hidden_units": -3},
            "Expected a positive integer or a sequence of positive integers. Received: hidden_units=-3",
        ),
        ({"hidden_units": (32, 0)}, r"Received: hidden_units=\(32, 0\)"),
        ({"hidden_units": 2.5}, "Received: hidden_units=2.5"),
        (
            {"activation": "relux"},
            "Expected an activation name such as 'relu'. Received: activation='relux'",
        ),
        ({"activation": None}, "Received: activation=None"),
        ({"dropout": 1.0}, r"Expected a float in the range \[0, 1\). Received: dropout=1.0"),
        ({"dropout": -0.1}, "Received: dropout=-0.1"),
        ({"classes": -3}, "Expected a positive integer. Received: classes=-3"),
        ({"classes": True}, "Received: classes=True"),
        ({"classifier_activation": "nope"}, "or None. Received: classifier_activation='nope'"),
        ({"name": ""}, "Expected a non-empty string. Received: name=''"),
    ],
)
def test_mlp_rejects_bad_arguments_with_a_keras_style_message(kwargs, message):
    kwargs = {"input_shape": 30, "classes": 1, "classifier_activation": "sigmoid", **kwargs}
    with pytest.raises(ValueError, match=message):
        mlp(**kwargs)


def test_every_builder_needs_its_head_and_refuses_a_one_unit_softmax():
    import dlguide

    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'classes'"):
        dlguide.mlp(30)
    for build in (
        lambda **head: dlguide.mlp(30, **head),
        lambda **head: dlguide.cnn((8, 8), filters=(4,), **head),
        lambda **head: dlguide.rnn((5, 1), units=4, **head),
        lambda **head: dlguide.text_classifier(20, 5, **head),
    ):
        with pytest.raises(ValueError, match="a softmax over one unit always outputs 1"):
            build(classes=1)
        with pytest.raises(ValueError, match="Received: classifier_activation='softmaxx'"):
            build(classes=3, classifier_activation="softmaxx")
        assert build(classes=1, classifier_activation=None).layers[-1].activation.__name__ == (
            "linear"
        )
        assert build(classes=3).layers[-1].activation.__name__ == "softmax"
