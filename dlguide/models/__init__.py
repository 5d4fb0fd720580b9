"""Keras 3 model builders.

Each builder validates its arguments up front and returns a plain, uncompiled
functional `keras.Model` built with `keras.Input`.

Examples:
    >>> from dlguide import models
    >>> models.mlp(4, (8,), output_units=3, output_activation="softmax").output_shape
    (None, 3)
"""

from ._augment import augmentation
from ._autoencoder import autoencoder, train_vae, vae
from ._cnn import cnn
from ._diffusion import diffusion_denoiser, diffusion_sample, train_diffusion
from ._gan import dcgan_discriminator, dcgan_generator, train_gan
from ._mlp import mlp
from ._resnet import residual_block, resnet
from ._rnn import cnn_lstm, rnn
from ._text import char_language_model, text_classifier
from ._transfer import transfer, unfreeze

__all__ = [
    "augmentation",
    "autoencoder",
    "char_language_model",
    "cnn",
    "cnn_lstm",
    "dcgan_discriminator",
    "dcgan_generator",
    "diffusion_denoiser",
    "diffusion_sample",
    "mlp",
    "residual_block",
    "resnet",
    "rnn",
    "text_classifier",
    "train_diffusion",
    "train_gan",
    "train_vae",
    "transfer",
    "unfreeze",
    "vae",
]
