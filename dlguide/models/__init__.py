"""Keras 3 model builders, and the building blocks they are made of.

Builders: `mlp`, `cnn`, `resnet`, `transfer`, `rnn`, `cnn_lstm`,
`text_classifier`, `char_language_model`, and the attention and transformer
builders `rnn_seq2seq`, `transformer_classifier`, `transformer_language_model`
and `transformer_seq2seq`, and the vision transformer `vit`. Each validates
its arguments up front and returns a plain, uncompiled functional
`keras.Model` built with `keras.Input`. Every builder ends in the same head: `classes` output units
(required, by keyword) with `classifier_activation` (`"softmax"` by default,
`"sigmoid"` for binary classification with `classes=1`, `None` for a linear
output). The language models and sequence-to-sequence models
(`char_language_model`, `rnn_seq2seq`, `transformer_language_model`,
`transformer_seq2seq`) have one output per token of the vocabulary their first
arguments give, so they take only `classifier_activation`.

The generative builders `autoencoder`, `vae`, `dcgan_generator`,
`dcgan_discriminator` and `diffusion_denoiser` output images, codes, noise or
one real-or-generated logit rather than class scores, so they have no
classification head; a class-conditional `diffusion_denoiser` takes the
number of labels it is conditioned on as `classes`.

Building blocks, which are not builders:

- `augmentation` returns a `keras.Sequential` of random preprocessing layers,
  to put after a model's input;
- `residual_block` applies a residual block to a functional tensor and
  returns the output tensor;
- `unfreeze` changes which layers of a model train, in place, and returns
  how many it made trainable;
- `TokenAndPositionEmbedding` and `TransformerBlock` are the two
  serialisable layers the transformer builders are made of, for other
  models to reuse;
- `attention` (scaled dot-product attention) and `rotate` (rotary position
  embedding) are functions on tensors, written with `keras.ops`;
- `attention_weights` reads the attention of a trained `rnn_seq2seq`;
- `greedy_decode` and `generate_tokens` write with trained
  sequence-to-sequence and language models;
- `train_vae`, `train_gan` and `train_diffusion` train the generative
  models on every backend, and `diffusion_sample` draws from a trained
  denoiser (DDPM or DDIM steps, classifier-free guidance);
- `ClassTokenAndPosition` is the embedding layer of the `vit` builder
  (vision transformer): a class token and learned positions;
- `MixtureOfExperts` is a serialisable feed-forward layer with top-k
  routed experts and a load-balancing loss;
- `add_lora`, `lora_weights` and `merge_lora` add LoRA adapters to a
  model's `Dense` layers, read them out, and fold them into the kernels.

Examples:
    >>> from dlguide import models
    >>> models.mlp(4, (8,), classes=3).output_shape
    (None, 3)
"""

from ._attention_layers import TokenAndPositionEmbedding, TransformerBlock, attention, rotate
from ._augment import augmentation
from ._autoencoder import autoencoder, train_vae, vae
from ._cnn import cnn
from ._diffusion import diffusion_denoiser, diffusion_sample, train_diffusion
from ._gan import dcgan_discriminator, dcgan_generator, train_gan
from ._lora import add_lora, lora_weights, merge_lora
from ._mlp import mlp
from ._moe import MixtureOfExperts
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
from ._vit import ClassTokenAndPosition, vit

__all__ = [
    "ClassTokenAndPosition",
    "MixtureOfExperts",
    "TokenAndPositionEmbedding",
    "TransformerBlock",
    "add_lora",
    "attention",
    "attention_weights",
    "augmentation",
    "autoencoder",
    "char_language_model",
    "cnn",
    "cnn_lstm",
    "dcgan_discriminator",
    "dcgan_generator",
    "diffusion_denoiser",
    "diffusion_sample",
    "generate_tokens",
    "greedy_decode",
    "lora_weights",
    "merge_lora",
    "mlp",
    "residual_block",
    "resnet",
    "rnn",
    "rnn_seq2seq",
    "rotate",
    "text_classifier",
    "train_diffusion",
    "train_gan",
    "train_vae",
    "transfer",
    "transformer_classifier",
    "transformer_language_model",
    "transformer_seq2seq",
    "unfreeze",
    "vae",
    "vit",
]
