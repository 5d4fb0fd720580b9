"""Text builders: shapes, parameter counts, masking, causality, and that they learn."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import dlguide
from dlguide.models import char_language_model, text_classifier


def test_pooled_classifier_layers_and_parameter_count():
    model = text_classifier(1000, 50, embedding_dim=8, classes=1, classifier_activation="sigmoid")
    assert [layer.name for layer in model.layers] == ["input", "embedding", "pooling", "output"]
    assert model.input_shape == (None, 50) and model.output_shape == (None, 1)
    assert model.count_params() == 1000 * 8 + 8 + 1
    assert model.get_layer("output").activation is keras.activations.sigmoid
    assert dlguide.text_classifier is text_classifier


def test_pooled_classifier_with_hidden_layers_and_dropout():
    model = text_classifier(500, units=(16, 8), dropout=0.3, classes=4)
    names = [layer.name for layer in model.layers]
    assert names == [
        "input",
        "embedding",
        "pooling",
        "dropout",
        "hidden_1",
        "dropout_hidden_1",
        "hidden_2",
        "dropout_hidden_2",
        "output",
    ]
    assert model.output_shape == (None, 4)
    assert model.get_layer("output").activation is keras.activations.softmax


@pytest.mark.parametrize(
    ("body", "layer_class", "gates"),
    [("lstm", "LSTM", 4), ("gru", "GRU", 3), ("simple", "SimpleRNN", 1)],
)
def test_recurrent_classifier_bodies(body, layer_class, gates):
    model = text_classifier(
        100,
        20,
        embedding_dim=4,
        body=body,
        units=(6, 5),
        classes=1,
        classifier_activation="sigmoid",
    )
    recurrent = [layer for layer in model.layers if type(layer).__name__ == layer_class]
    assert [layer.units for layer in recurrent] == [6, 5]
    assert recurrent[0].return_sequences and not recurrent[1].return_sequences
    # Parameter count of the first layer: gates * (units * (inputs + units) + units),
    # plus a second bias vector per gate for Keras' GRU (reset_after=True).
    extra = gates * 6 if body == "gru" else 0
    assert recurrent[0].count_params() == gates * (6 * (4 + 6) + 6) + extra


def test_bidirectional_classifier_doubles_the_features():
    model = text_classifier(
        100, body="gru", units=8, bidirectional=True, classes=1, classifier_activation="sigmoid"
    )
    assert model.get_layer("bidirectional_1").output.shape == (None, 16)
    one_way = text_classifier(100, body="gru", units=8, classes=1, classifier_activation="sigmoid")
    # The backward GRU, plus 8 more weights in the output layer for its 8 extra features.
    extra = one_way.get_layer("gru_1").count_params() + 8
    assert model.count_params() - one_way.count_params() == extra


def test_recurrent_body_defaults_to_32_units():
    assert (
        text_classifier(100, body="lstm", classes=1, classifier_activation="sigmoid")
        .get_layer("lstm_1")
        .units
        == 32
    )


def test_padding_is_masked_so_it_does_not_change_the_prediction():
    for body in ("pooled", "lstm"):
        model = text_classifier(
            50,
            body=body,
            units=4 if body == "lstm" else (),
            classes=1,
            classifier_activation="sigmoid",
        )
        short = model.predict(np.array([[5, 6, 7]]), verbose=0)
        padded = model.predict(np.array([[5, 6, 7, 0, 0, 0, 0]]), verbose=0)
        np.testing.assert_allclose(short, padded, atol=1e-6)


def test_classifier_learns_which_words_carry_the_sentiment():
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    y = rng.integers(0, 2, 400)
    x = rng.integers(4, 30, (400, 12))  # neutral words 4..29
    x[np.arange(400), rng.integers(0, 12, 400)] = np.where(y == 1, 2, 3)  # "good" / "bad"
    model = text_classifier(30, 12, embedding_dim=8, classes=1, classifier_activation="sigmoid")
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    model.fit(x[:300], y[:300], epochs=15, batch_size=32, verbose=0)
    accuracy = ((model.predict(x[300:], verbose=0)[:, 0] > 0.5) == y[300:]).mean()
    assert accuracy > 0.95


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TextVectorization in a model")
def test_classifier_with_a_vectorizer_takes_raw_strings():
    texts = np.array(["a great film", "a dull film", "great acting", "dull plot"], dtype=object)
    vectorizer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorizer.adapt(texts)
    model = text_classifier(
        20, vectorizer=vectorizer, embedding_dim=4, classes=1, classifier_activation="sigmoid"
    )
    assert model.input.dtype == "string"
    ids_model = text_classifier(20, 4, embedding_dim=4, classes=1, classifier_activation="sigmoid")
    ids_model.set_weights(model.get_weights())
    expected = ids_model.predict(keras.ops.convert_to_numpy(vectorizer(texts)), verbose=0)
    np.testing.assert_allclose(model.predict(texts, verbose=0), expected, atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vocabulary_size": 0}, "Received: vocabulary_size=0"),
        ({"sequence_length": -1}, "Received: sequence_length=-1"),
        ({"embedding_dim": 1.5}, "Received: embedding_dim=1.5"),
        ({"body": "cnn"}, "Received: body='cnn'"),
        ({"units": "8"}, "Received: units='8'"),
        ({"bidirectional": True}, "bidirectional=False with body='pooled'"),
        ({"dropout": 1.0}, "Received: dropout=1.0"),
        ({"classes": 0}, "Received: classes=0"),
        ({"vectorizer": "words"}, "Received: vectorizer='words'"),
        ({"name": ""}, "Received: name=''"),
    ],
)
def test_classifier_bad_arguments(kwargs, message):
    kwargs = {"vocabulary_size": 100, "classes": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        text_classifier(**kwargs)


def test_char_model_shapes_and_parameter_count():
    model = char_language_model(30, embedding_dim=8, cell="gru", units=(16, 12))
    assert [layer.name for layer in model.layers] == [
        "input",
        "embedding",
        "gru_1",
        "gru_2",
        "output",
    ]
    assert model.output_shape == (None, None, 30)
    assert model.get_layer("gru_2").return_sequences
    assert char_language_model(30, sequence_length=40).output_shape == (None, 40, 30)
    logits = char_language_model(30, classifier_activation=None, units=4)
    assert logits.get_layer("output").activation is keras.activations.linear
    lstm = char_language_model(30, embedding_dim=8, units=16)
    assert lstm.count_params() == 30 * 8 + 4 * (16 * (8 + 16) + 16) + 16 * 30 + 30


def test_char_model_is_causal():
    """The prediction at step t must not depend on characters after t."""
    keras.utils.set_random_seed(0)
    model = char_language_model(10, units=8, dropout=0.2)
    a = model.predict(np.array([[1, 2, 3, 4, 5, 6]]), verbose=0)
    b = model.predict(np.array([[1, 2, 3, 9, 9, 0]]), verbose=0)
    np.testing.assert_allclose(a[:, :3], b[:, :3], atol=1e-6)
    assert not np.allclose(a[:, 3:], b[:, 3:], atol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vocabulary_size": -2}, "Received: vocabulary_size=-2"),
        ({"cell": "rnn"}, "Received: cell='rnn'"),
        ({"units": ()}, r"Received: units=\(\)"),
        ({"classifier_activation": "sigmoid"}, "Received: classifier_activation='sigmoid'"),
        ({"sequence_length": 0}, "Received: sequence_length=0"),
    ],
)
def test_char_model_bad_arguments(kwargs, message):
    kwargs = {"vocabulary_size": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        char_language_model(**kwargs)
