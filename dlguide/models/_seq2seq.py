"""A recurrent encoder-decoder, with or without attention, and greedy decoding for seq2seq models."""

from __future__ import annotations

import weakref
from typing import Any

import keras
import numpy as np

from .._validation import (
    check_choice,
    check_non_empty_str,
    check_non_negative_int,
    check_positive_int,
)
from ._transformer import _compiled

# Compiled forward passes, per model, for the step-by-step decoding.
_FORWARD: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_ATTENTION = {"additive": keras.layers.AdditiveAttention, "dot": keras.layers.Attention}


def rnn_seq2seq(
    source_vocabulary_size: int,
    target_vocabulary_size: int,
    *,
    embedding_dim: int = 32,
    units: int = 64,
    cell: str = "gru",
    attention: str | None = None,
    classifier_activation: str | None = "softmax",
    name: str = "rnn_seq2seq",
) -> keras.Model:
    """Build a recurrent encoder-decoder (Sutskever et al., 2014; Cho et al., 2014).

    The encoder reads the source and hands its final state to the decoder,
    which starts from it and reads the target so far (teacher forcing: the
    target shifted right, a start token first), predicting the next target
    token at every step. Without attention, that one state vector is all the
    decoder knows of the source: a fixed-size bottleneck, whatever the
    source's length.

    With `attention`, every decoder step also looks back at all the
    encoder's states: it scores each one against its own state, turns the
    scores into weights with a softmax, and mixes the encoder states with
    them (the context). `"additive"` scores with a small network,
    `v . tanh(q + k)` (Bahdanau et al., 2014; `keras.layers.AdditiveAttention`);
    `"dot"` with the dot product `q . k` (Luong et al., 2015;
    `keras.layers.Attention`). As in Luong et al., the context is combined
    with the decoder's state after the recurrent layer,
    `tanh(W [state; context])`, before the output layer. The attention
    layer is named `"attention"`; `attention_weights` reads its weights.

    Args:
        source_vocabulary_size: Number of source ids (0 = padding).
        target_vocabulary_size: Number of target ids (0 = padding).
        embedding_dim: Size of each token vector.
        units: Units of the encoder and the decoder.
        cell: `"gru"` or `"lstm"`.
        attention: `None`, `"additive"` or `"dot"`.
        classifier_activation: `"softmax"` or `None` (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` with inputs `[source, target]`
        (ids of any length) and output `(batch, target_steps,
        target_vocabulary_size)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import rnn_seq2seq
        >>> model = rnn_seq2seq(30, 42, units=16, attention="additive")
        >>> source, target = np.array([[3, 5, 7, 0]]), np.array([[1, 4, 4]])
        >>> model.predict([source, target], verbose=0).shape
        (1, 3, 42)
        >>> plain = rnn_seq2seq(30, 42, units=16)
        >>> # Dense on [state; context] (32*16 + 16)
        >>> # and the additive scores' v (16)
        >>> model.count_params() - plain.count_params()
        544
    """
    source_vocabulary_size = check_positive_int(source_vocabulary_size, "source_vocabulary_size")
    target_vocabulary_size = check_positive_int(target_vocabulary_size, "target_vocabulary_size")
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    units = check_positive_int(units, "units")
    cell = check_choice(cell, "cell", ("gru", "lstm"))
    if attention is not None:
        check_choice(attention, "attention", (*_ATTENTION, None))
    if classifier_activation not in ("softmax", None):
        raise ValueError(
            f"Expected 'softmax' or None. Received: classifier_activation={classifier_activation!r}"
        )
    check_non_empty_str(name, "name")

    layer = keras.layers.GRU if cell == "gru" else keras.layers.LSTM
    source = keras.Input(shape=(None,), dtype="int32", name="source")
    target = keras.Input(shape=(None,), dtype="int32", name="target")
    x = keras.layers.Embedding(
        source_vocabulary_size, embedding_dim, mask_zero=True, name="source_embedding"
    )(source)
    memory, *state = layer(units, return_sequences=True, return_state=True, name="encoder")(x)
    y = keras.layers.Embedding(
        target_vocabulary_size, embedding_dim, mask_zero=True, name="target_embedding"
    )(target)
    y = layer(units, return_sequences=True, name="decoder")(y, initial_state=state)
    if attention is not None:
        # The weights are computed anyway; asking for them lets attention_weights read them.
        context, _ = _ATTENTION[attention](name="attention")(
            [y, memory], return_attention_scores=True
        )
        y = keras.layers.Concatenate(name="state_and_context")([y, context])
        y = keras.layers.Dense(units, activation="tanh", name="attentional_state")(y)
    outputs = keras.layers.Dense(
        target_vocabulary_size, activation=classifier_activation, name="output"
    )(y)
    return keras.Model([source, target], outputs, name=name)


def attention_weights(model: keras.Model, source: Any, target: Any) -> np.ndarray:
    """Return the attention weights of an `rnn_seq2seq` model with attention.

    Args:
        model: A model from `rnn_seq2seq(..., attention=...)`.
        source: Source ids, shape `(batch, source_steps)`.
        target: Decoder input ids (start token, then the target so far),
            shape `(batch, target_steps)`.

    Returns:
        A float array `(batch, target_steps, source_steps)`: row `t` holds how
        much decoder step `t` looked at each source position (it sums to 1;
        padding gets 0).

    Raises:
        ValueError: If the model has no layer named `"attention"`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import attention_weights, rnn_seq2seq
        >>> model = rnn_seq2seq(30, 42, units=8, attention="dot")
        >>> weights = attention_weights(model, np.array([[3, 5, 7, 0]]),
        ...                             np.array([[1, 4]]))
        >>> weights.shape, weights[0, :, 3].tolist()  # no weight on the padding
        ((1, 2, 4), [0.0, 0.0])
    """
    try:
        layer = model.get_layer("attention")
    except (ValueError, AttributeError):
        raise ValueError(
            "Expected a model with a layer named 'attention', such as "
            f"rnn_seq2seq(..., attention='additive'). Received: model={model!r}"
        ) from None
    probe = keras.Model(model.inputs, layer.output[1])
    weights = probe([np.asarray(source, "int32"), np.asarray(target, "int32")], training=False)
    return np.asarray(keras.ops.convert_to_numpy(weights))


def greedy_decode(
    model: keras.Model,
    source: Any,
    *,
    start_id: int,
    end_id: int,
    max_length: int,
    batch_size: int = 1024,
) -> np.ndarray:
    """Decode target sequences from a trained encoder-decoder, taking the most likely token each step.

    Starting from `start_id`, each step runs the model on the source and the
    tokens decoded so far and appends the most likely next token, until
    `end_id` or `max_length` tokens. Works with `rnn_seq2seq` and
    `transformer_seq2seq` (any model with inputs `[source, target]`).

    Args:
        model: A trained model with inputs `[source, target]` and output
            `(batch, target_steps, vocabulary)`.
        source: Source ids, shape `(batch, source_steps)`, 0 = padding.
        start_id: The id that starts every target.
        end_id: The id that ends a target.
        max_length: Largest number of tokens to decode.
        batch_size: Sources decoded at once.

    Returns:
        An int array `(batch, max_length)`: the decoded ids without the start
        token, with `end_id` and everything after it replaced by 0.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import greedy_decode, rnn_seq2seq
        >>> model = rnn_seq2seq(10, 12, units=8)  # untrained: any ids come out
        >>> greedy_decode(model, np.array([[3, 4, 5]]), start_id=1, end_id=2,
        ...               max_length=6).shape
        (1, 6)
    """
    source = np.asarray(source)
    if source.ndim != 2 or source.size == 0 or not np.issubdtype(source.dtype, np.integer):
        raise ValueError(
            f"Expected a 2-D array of integer ids (batch, steps). Received: source={source!r}"
        )
    start_id = check_non_negative_int(start_id, "start_id")
    end_id = check_non_negative_int(end_id, "end_id")
    max_length = check_positive_int(max_length, "max_length")
    batch_size = check_positive_int(batch_size, "batch_size")
    if not isinstance(model, keras.Model):  # any callable with the same contract
        forward = lambda source, target: model([source, target], training=False)  # noqa: E731
    elif model in _FORWARD:
        forward = _FORWARD[model]
    else:
        forward = _FORWARD[model] = _compiled(
            lambda source, target: model([source, target], training=False)
        )
    decoded = []
    for first in range(0, len(source), batch_size):
        chunk = source[first : first + batch_size].astype("int32")
        target = np.full((len(chunk), 1), start_id, dtype="int32")
        for _ in range(max_length):
            outputs = keras.ops.convert_to_numpy(forward(chunk, target))
            target = np.concatenate([target, outputs[:, -1].argmax(-1)[:, None]], axis=1)
            target = target.astype("int32")
            if np.all((target[:, 1:] == end_id).any(axis=1)):
                break
        ids = target[:, 1:]
        ended = np.cumsum(ids == end_id, axis=1) > 0
        ids = np.where(ended, 0, ids)
        decoded.append(np.pad(ids, ((0, 0), (0, max_length - ids.shape[1]))))
    return np.concatenate(decoded).astype(np.int64)
