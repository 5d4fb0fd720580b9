"""Text builders: a review-style text classifier and a character-level language model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from .._validation import (
    check_bool,
    check_choice,
    check_head,
    check_int_sequence,
    check_non_empty_str,
    check_positive_int,
    check_rate,
)
from ._rnn import _recurrent_stack

# The recurrent cells, in the order the error messages list them.
_RECURRENT = ("lstm", "gru", "simple")


def text_classifier(
    vocabulary_size: int,
    sequence_length: int | None = None,
    *,
    vectorizer: Any = None,
    embedding_dim: int = 32,
    body: str = "pooled",
    units: int | Sequence[int] = (),
    bidirectional: bool = False,
    dropout: float = 0.0,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "text_classifier",
) -> keras.Model:
    """Build a text classifier: token ids, an embedding, a pooled or recurrent body, a head.

    The model reads each text as a sequence of integer token ids (0 is
    padding, as produced by `keras.layers.TextVectorization`), looks up a
    learned vector per token (`Embedding`, with padding masked) and reduces
    the sequence to one vector:

    - `body="pooled"`: the average of the token vectors
      (`GlobalAveragePooling1D`), a bag of words with learned word vectors;
      fast, and order-blind. `units` adds `Dense` ReLU layers after it.
    - `body="lstm"`, `"gru"` or `"simple"`: recurrent layers that read the
      tokens in order (`units` per stacked layer, 32 if not given),
      optionally `bidirectional`.

    `Dropout` follows the body (and each hidden layer) when `dropout > 0`.
    The head is `classes` units with `classifier_activation`: for a binary
    task such as sentiment, `classes=1, classifier_activation="sigmoid"`.

    To classify raw strings, pass an adapted `TextVectorization` layer as
    `vectorizer`: it becomes the first layer and the model takes strings (a
    1-D object array of them, as `dlguide.load_imdb` returns).
    That layer runs on TensorFlow, so such a model works with the TensorFlow
    backend only; with any backend you can instead call the vectorizer on
    the texts first and feed the ids to a model built without it.

    Args:
        vocabulary_size: Number of token ids, including 0 (padding) and 1
            (out of vocabulary) of `TextVectorization`.
        sequence_length: Tokens per text, or `None` for any length.
        vectorizer: Optional adapted `keras.layers.TextVectorization` whose
            vocabulary has at most `vocabulary_size` tokens.
        embedding_dim: Size of each token vector.
        body: `"pooled"`, `"lstm"`, `"gru"` or `"simple"`.
        units: For `"pooled"`, the units of the `Dense` layers after pooling
            (may be empty); for a recurrent body, the units of each stacked
            recurrent layer.
        bidirectional: Wrap each recurrent layer in `Bidirectional` (recurrent
            bodies only).
        dropout: Dropout rate, in [0, 1).
        classes: Number of output units: the number of classes, or 1 for
            binary classification.
        classifier_activation: Activation of the output layer: `"softmax"`
            (the default), `"sigmoid"` (binary, with `classes=1`) or `None`
            (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import text_classifier
        >>> model = text_classifier(10_000, 200, embedding_dim=16, classes=1,
        ...                         classifier_activation="sigmoid")
        >>> [layer.name for layer in model.layers]
        ['input', 'embedding', 'pooling', 'output']
        >>> model.output_shape, model.count_params()  # 10000 * 16 + 16 + 1
        ((None, 1), 160017)
        >>> lstm = text_classifier(10_000, 200, body="lstm", units=16,
        ...                        bidirectional=True, classes=2)
        >>> # forward + backward states
        >>> lstm.get_layer("bidirectional_1").output.shape
        (None, 32)
        >>> ids = np.array([[5, 42, 7, 0, 0]])  # one padded text of 5 token ids
        >>> gru = text_classifier(100, body="gru", units=8, classes=3)
        >>> gru.predict(ids, verbose=0).shape
        (1, 3)
        >>> text_classifier(10_000, body="transformer", classes=2)
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'pooled', 'lstm', 'gru', 'simple'. Received: body='transformer'
    """
    vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size")
    sequence_length = check_positive_int(sequence_length, "sequence_length", allow_none=True)
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    body = check_choice(body, "body", ("pooled", *_RECURRENT))
    units = check_int_sequence(units, "units")
    bidirectional = check_bool(bidirectional, "bidirectional")
    dropout = check_rate(dropout, "dropout")
    classes, classifier_activation = check_head(classes, classifier_activation)
    check_non_empty_str(name, "name")
    if body == "pooled" and bidirectional:
        raise ValueError(
            "Expected bidirectional=False with body='pooled' (only recurrent bodies read "
            "the text in a direction). Received: bidirectional=True"
        )
    if vectorizer is not None:
        if not isinstance(vectorizer, keras.layers.TextVectorization):
            raise ValueError(
                "Expected an adapted keras.layers.TextVectorization or None. "
                f"Received: vectorizer={vectorizer!r}"
            )
        if vectorizer.vocabulary_size() > vocabulary_size:
            raise ValueError(
                f"Expected a vectorizer with at most vocabulary_size={vocabulary_size} tokens. "
                f"Received: vectorizer with {vectorizer.vocabulary_size()} tokens"
            )

    if vectorizer is None:
        inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="input")
        x = inputs
    else:
        inputs = keras.Input(shape=(), dtype="string", name="input")
        x = vectorizer(inputs)
    x = keras.layers.Embedding(vocabulary_size, embedding_dim, mask_zero=True, name="embedding")(x)
    if body == "pooled":
        x = keras.layers.GlobalAveragePooling1D(name="pooling")(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name="dropout")(x)
        for i, n in enumerate(units, start=1):
            x = keras.layers.Dense(n, activation="relu", name=f"hidden_{i}")(x)
            if dropout > 0:
                x = keras.layers.Dropout(dropout, name=f"dropout_hidden_{i}")(x)
    else:
        x = _recurrent_stack(
            x,
            body,
            units or (32,),
            bidirectional=bidirectional,
            dropout=dropout,
            last_returns_sequences=False,
        )
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)


def char_language_model(
    vocabulary_size: int,
    *,
    sequence_length: int | None = None,
    embedding_dim: int = 16,
    cell: str = "lstm",
    units: int | Sequence[int] = 128,
    dropout: float = 0.0,
    classifier_activation: str | None = "softmax",
    name: str = "char_language_model",
) -> keras.Model:
    """Build a character-level language model: predict the next character at every step.

    The input is a sequence of character ids of shape `(batch, steps)`. Each
    id is embedded, stacked recurrent layers read the sequence left to right
    (they never see a later character), and a `Dense` layer gives, at every
    step `t`, a distribution over the character at `t + 1` (many-to-many).
    Train it with `sparse_categorical_crossentropy` on inputs `ids[:-1]` and
    targets `ids[1:]` (see `dlguide.text.shifted_sequences`); the exponential
    of that loss is the perplexity.

    Args:
        vocabulary_size: Number of distinct characters (ids 0 to
            `vocabulary_size - 1`).
        sequence_length: Steps per training sequence, or `None` (any length,
            which also lets the model generate from prompts of any length).
        embedding_dim: Size of each character vector.
        cell: `"lstm"`, `"gru"` or `"simple"`.
        units: Units of the recurrent layer, or one number per stacked layer.
        dropout: Dropout rate after each recurrent layer, in [0, 1).
        classifier_activation: `"softmax"` (probabilities, the default) or
            `None` (logits; train with `from_logits=True`). The output has
            one unit per character, so there is no `classes` argument.
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` with output shape
        `(batch, steps, vocabulary_size)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import char_language_model
        >>> model = char_language_model(49, units=64)
        >>> [layer.name for layer in model.layers]
        ['input', 'embedding', 'lstm_1', 'output']
        >>> model.output_shape
        (None, None, 49)
        >>> model.count_params()  # 49*16 + 4*(64*(16+64) + 64) + 64*49 + 49
        24705
        >>> probabilities = model.predict(np.array([[3, 1, 4, 1, 5]]), verbose=0)
        >>> sums = probabilities.sum(axis=-1)
        >>> probabilities.shape, bool(np.allclose(sums, 1, atol=1e-5))
        ((1, 5, 49), True)
        >>> char_language_model(49, cell="transformer")
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'lstm', 'gru', 'simple'. Received: cell='transformer'
    """
    vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size")
    sequence_length = check_positive_int(sequence_length, "sequence_length", allow_none=True)
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    cell = check_choice(cell, "cell", _RECURRENT)
    checked_units = check_int_sequence(units, "units", non_empty=True)
    dropout = check_rate(dropout, "dropout")
    check_choice(classifier_activation, "classifier_activation", ("softmax", None))
    check_non_empty_str(name, "name")

    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="input")
    x = keras.layers.Embedding(vocabulary_size, embedding_dim, name="embedding")(inputs)
    x = _recurrent_stack(
        x, cell, checked_units, bidirectional=False, dropout=dropout, last_returns_sequences=True
    )
    outputs = keras.layers.Dense(vocabulary_size, activation=classifier_activation, name="output")(
        x
    )
    return keras.Model(inputs, outputs, name=name)
