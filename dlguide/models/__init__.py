"""Keras 3 model builders.

Each builder validates its arguments up front and returns a plain, uncompiled
functional `keras.Model` built with `keras.Input`. The transformer builders
are made of two serialisable layers, `TokenAndPositionEmbedding` and
`TransformerBlock`, which other models can reuse.

Examples:
    >>> from dlguide import models
    >>> models.mlp(4, (8,), output_units=3, output_activation="softmax").output_shape
    (None, 3)
"""

from ._attention_layers import TokenAndPositionEmbedding, TransformerBlock, attention, rotate
from ._augment import augmentation
from ._cnn import cnn
from ._mlp import mlp
from ._resnet import residual_block, resnet
from ._rnn import cnn_lstm, rnn
from ._seq2seq import attention_weights, greedy_decode, rnn_seq2seq
from ._text import char_language_model, text_classifier
from ._transfer import transfer, unfreeze
from ._transformer import (
    generate_tokens,
    transformer_classifier,
    transformer_language_model,
    transformer_seq2seq,
)

__all__ = [
    "TokenAndPositionEmbedding",
    "TransformerBlock",
    "attention",
    "attention_weights",
    "augmentation",
    "char_language_model",
    "cnn",
    "cnn_lstm",
    "generate_tokens",
    "greedy_decode",
    "mlp",
    "residual_block",
    "resnet",
    "rnn",
    "rnn_seq2seq",
    "rotate",
    "text_classifier",
    "transfer",
    "transformer_classifier",
    "transformer_language_model",
    "transformer_seq2seq",
    "unfreeze",
]
