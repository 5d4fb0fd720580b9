"""Keras 3 model builders, and the building blocks they are made of.

Builders: `mlp`, `cnn`, `resnet`, `transfer`, `rnn`, `cnn_lstm`,
`text_classifier`, `char_language_model`, and the attention and transformer
builders `rnn_seq2seq`, `transformer_classifier`, `transformer_language_model`
and `transformer_seq2seq`. Each validates its arguments up
front and returns a plain, uncompiled functional `keras.Model` built with
`keras.Input`. Every builder ends in the same head: `classes` output units
(required, by keyword) with `classifier_activation` (`"softmax"` by default,
`"sigmoid"` for binary classification with `classes=1`, `None` for a linear
output). `char_language_model` has one output per character, so it takes only
`classifier_activation`.

Building blocks, which are not builders:

- `augmentation` returns a `keras.Sequential` of random preprocessing layers,
  to put after a model's input;
- `residual_block` applies a residual block to a functional tensor and
  returns the output tensor;
- `unfreeze` changes which layers of a model train, in place, and returns
  how many it made trainable.

The transformer builders are made of two serialisable layers,
`TokenAndPositionEmbedding` and `TransformerBlock`, which other models can
reuse.

Examples:
    >>> from dlguide import models
    >>> models.mlp(4, (8,), classes=3).output_shape
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
