"""Autoencoders and variational autoencoders: builders and the VAE's training function.

The VAE trains with the ordinary `compile` and `fit` on every Keras 3 backend:
the model has two outputs, the reconstruction and the KL divergence of each
example, and each gets its own loss (the KL's "loss" is the value itself).
No `train_step` override, no `add_loss`, no TensorFlow-only gradient tape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from .._validation import (
    check_activation,
    check_array,
    check_choice,
    check_int_sequence,
    check_non_empty_str,
    check_non_negative_float,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_seed,
    check_shape,
)

_KINDS = ("dense", "conv")


def _check_input_shape(input_shape: Any, kind: str, filters: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of one example; for `kind="conv"`, an image whose sides halve cleanly."""
    shape = check_shape(input_shape, "input_shape")
    if kind == "conv":
        if len(shape) not in (2, 3):
            raise ValueError(
                "Expected an image shape (height, width) or (height, width, channels) for "
                f"kind='conv'. Received: input_shape={input_shape!r}"
            )
        factor = 2 ** len(filters)
        if shape[0] % factor or shape[1] % factor:
            raise ValueError(
                f"Expected an image height and width divisible by {factor} (each of the "
                f"{len(filters)} conv blocks halves them) for kind='conv'. "
                f"Received: input_shape={input_shape!r}"
            )
    return shape


def _encoder(
    input_shape: tuple[int, ...],
    kind: str,
    units: tuple[int, ...],
    filters: tuple[int, ...],
    activation: str,
    heads: dict[str, int],
) -> keras.Model:
    """Image -> conv blocks (stride 2) or nothing -> dense layers -> one linear Dense per head."""
    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if kind == "conv":
        if len(input_shape) == 2:
            x = keras.layers.Reshape((*input_shape, 1), name="add_channel")(x)
        for i, count in enumerate(filters, start=1):
            x = keras.layers.Conv2D(
                count, 3, strides=2, padding="same", activation=activation, name=f"conv_{i}"
            )(x)
    if len(x.shape) > 2:
        x = keras.layers.Flatten(name="flatten")(x)
    for i, size in enumerate(units, start=1):
        x = keras.layers.Dense(size, activation=activation, name=f"dense_{i}")(x)
    outputs = [keras.layers.Dense(size, name=head)(x) for head, size in heads.items()]
    return keras.Model(inputs, outputs if len(outputs) > 1 else outputs[0], name="encoder")


def _decoder(
    latent_dim: int,
    output_shape: tuple[int, ...],
    kind: str,
    units: tuple[int, ...],
    filters: tuple[int, ...],
    activation: str,
) -> keras.Model:
    """The encoder's mirror image, ending in sigmoid pixels in [0, 1]."""
    inputs = keras.Input(shape=(latent_dim,), name="latent")
    x = inputs
    for i, size in enumerate(reversed(units), start=1):
        x = keras.layers.Dense(size, activation=activation, name=f"dense_{i}")(x)
    if kind == "dense":
        x = keras.layers.Dense(math.prod(output_shape), activation="sigmoid", name="pixels")(x)
        outputs = keras.layers.Reshape(output_shape, name="image")(x)
        return keras.Model(inputs, outputs, name="decoder")
    factor = 2 ** len(filters)
    height, width = output_shape[0] // factor, output_shape[1] // factor
    channels = output_shape[2] if len(output_shape) == 3 else 1
    x = keras.layers.Dense(height * width * filters[-1], activation=activation, name="project")(x)
    x = keras.layers.Reshape((height, width, filters[-1]), name="feature_maps")(x)
    for i, count in enumerate(reversed(filters), start=1):
        x = keras.layers.Conv2DTranspose(
            count, 3, strides=2, padding="same", activation=activation, name=f"deconv_{i}"
        )(x)
    x = keras.layers.Conv2D(channels, 3, padding="same", activation="sigmoid", name="pixels")(x)
    outputs = keras.layers.Reshape(output_shape, name="image")(x)
    return keras.Model(inputs, outputs, name="decoder")


def _check_common(
    input_shape: Any,
    latent_dim: Any,
    kind: Any,
    units: Any,
    filters: Any,
    activation: Any,
    name: Any,
) -> tuple[tuple[int, ...], int, str, tuple[int, ...], tuple[int, ...], str]:
    kind = check_choice(kind, "kind", _KINDS)
    filters = check_int_sequence(filters, "filters")
    if kind == "conv" and not filters:
        raise ValueError(
            f"Expected at least one conv block for kind='conv'. Received: filters={filters!r}"
        )
    shape = _check_input_shape(input_shape, kind, filters)
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    units = check_int_sequence(units, "units")
    check_activation(activation, "activation", allow_none=False)
    name = check_non_empty_str(name, "name")
    return shape, latent_dim, kind, units, filters, name


def autoencoder(
    input_shape: int | Sequence[int],
    latent_dim: int = 32,
    *,
    kind: str = "dense",
    units: int | Sequence[int] = (256,),
    filters: int | Sequence[int] = (32, 64),
    activation: str = "relu",
    noise_stddev: float = 0.0,
    seed: int | None = None,
    name: str = "autoencoder",
) -> keras.Model:
    """Build an autoencoder: an encoder squeezes each input into `latent_dim` numbers, a decoder rebuilds it.

    The model is two nested models, `model.get_layer("encoder")` (input ->
    code) and `model.get_layer("decoder")` (code -> input), chained. Train
    it to copy its input, `model.fit(x, x)`: the narrow code (the
    bottleneck) forces it to keep what matters. The decoder ends in a
    sigmoid, so scale the inputs to [0, 1].

    `kind="dense"` flattens the input and uses `Dense` layers of `units`
    (mirrored in the decoder). `kind="conv"` starts with one stride-2
    `Conv2D` per entry of `filters` (each halves the image), then the dense
    layers; the decoder mirrors them with `Conv2DTranspose`.

    With `noise_stddev > 0` it is a **denoising** autoencoder: a
    `GaussianNoise` layer (`noise`, active during training only) corrupts
    each input, and the model learns to return the clean one.

    Args:
        input_shape: Shape of one example, e.g. `(28, 28)`; for
            `kind="conv"`, an image `(height, width)` or
            `(height, width, channels)` whose sides are divisible by
            `2 ** len(filters)`.
        latent_dim: Size of the code, the bottleneck.
        kind: `"dense"` or `"conv"`.
        units: Units of the dense layers between input and code.
        filters: Filters of the conv blocks (`kind="conv"` only).
        activation: Activation of the hidden layers.
        noise_stddev: Standard deviation of the training noise; 0 for a plain
            autoencoder.
        seed: Seed of the training noise (None: random).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` whose layers are `input`,
        `noise` (if any), `encoder` and `decoder`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import autoencoder
        >>> keras.utils.set_random_seed(0)
        >>> model = autoencoder((28, 28), latent_dim=16)
        >>> [layer.name for layer in model.layers]
        ['input', 'encoder', 'decoder']
        >>> model.get_layer("encoder").output_shape, model.output_shape
        ((None, 16), (None, 28, 28))
        >>> conv = autoencoder((28, 28), 8, kind="conv", noise_stddev=0.3, seed=1)
        >>> print(*[layer.name for layer in conv.get_layer("encoder").layers])
        input add_channel conv_1 conv_2 flatten dense_1 latent
        >>> x = np.random.default_rng(0).random((64, 28, 28)).astype("float32")
        >>> model.compile(optimizer="adam", loss="mse")
        >>> model.fit(x, x, epochs=1, verbose=0).history["loss"][0] < 0.2
        True
        >>> autoencoder((28, 28), kind="conv", filters=(8, 8, 8))
        Traceback (most recent call last):
        ...
        ValueError: Expected an image height and width divisible by 8 (each of the 3 conv blocks halves them) for kind='conv'. Received: input_shape=(28, 28)
    """
    shape, latent_dim, kind, units, filters, name = _check_common(
        input_shape, latent_dim, kind, units, filters, activation, name
    )
    noise_stddev = check_non_negative_float(noise_stddev, "noise_stddev")
    seed = check_seed(seed)

    encoder = _encoder(shape, kind, units, filters, activation, {"latent": latent_dim})
    decoder = _decoder(latent_dim, shape, kind, units, filters, activation)
    inputs = keras.Input(shape=shape, name="input")
    x = inputs
    if noise_stddev > 0:
        x = keras.layers.GaussianNoise(noise_stddev, seed=seed, name="noise")(x)
    outputs = decoder(encoder(x))
    return keras.Model(inputs, outputs, name=name)


@keras.saving.register_keras_serializable(package="dlguide", name="Reparameterize")
class _Reparameterize(keras.layers.Layer):
    """z = mean + exp(log_var / 2) * eps, eps ~ N(0, I): the reparameterisation trick."""

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any) -> Any:
        mean, log_var = inputs
        eps = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_var) * eps

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape[0]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlguide", name="GaussianKL")
class _GaussianKL(keras.layers.Layer):
    """KL(N(mean, exp(log_var)) || N(0, I)) of each example, summed over the latent axes."""

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, inputs: Any) -> Any:
        mean, log_var = inputs
        return -0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape[0][:-1]


def vae(
    input_shape: int | Sequence[int],
    latent_dim: int = 2,
    *,
    kind: str = "dense",
    units: int | Sequence[int] = (256,),
    filters: int | Sequence[int] = (32, 64),
    activation: str = "relu",
    seed: int | None = None,
    name: str = "vae",
) -> keras.Model:
    """Build a variational autoencoder (Kingma and Welling, 2013).

    The encoder returns, for each input, a Gaussian over codes: a mean
    `z_mean` and a log-variance `z_log_var`. The `sampling` layer draws a
    code from it with the **reparameterisation trick**,
    $z = \\mu + \\sigma \\odot \\epsilon$ with $\\epsilon \\sim \\mathcal N(0, I)$,
    so that gradients flow through $\\mu$ and $\\sigma$. The decoder turns the
    code back into an image (sigmoid pixels in [0, 1]).

    The model has two outputs: `reconstruction` (the decoded image) and `kl`,
    the KL divergence from the encoder's Gaussian to the prior
    $\\mathcal N(0, I)$ for each example,
    $-\\tfrac12 \\sum_j (1 + \\log\\sigma_j^2 - \\mu_j^2 - \\sigma_j^2)$.
    `train_vae` trains it on reconstruction + β·KL (the negative ELBO).
    After training, `model.get_layer("decoder")` turns codes drawn from
    $\\mathcal N(0, I)$ into new images. The encoder and decoder are those
    of `autoencoder` (`kind`, `units`, `filters`); the conv kind with
    `units=(16,)` is keras.io's VAE example.

    Args:
        input_shape: Shape of one example, e.g. `(28, 28)` (see
            `autoencoder`).
        latent_dim: Size of the code.
        kind: `"dense"` or `"conv"`.
        units: Units of the dense layers between input and code.
        filters: Filters of the conv blocks (`kind="conv"` only).
        activation: Activation of the hidden layers.
        seed: Seed of the sampling noise (None: random).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` with outputs
        `[reconstruction, kl]` and nested models `encoder` (outputs
        `[z_mean, z_log_var]`) and `decoder`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import vae
        >>> model = vae((28, 28), latent_dim=2)
        >>> model.output_names, model.output_shape
        (['reconstruction', 'kl'], [(None, 28, 28), (None,)])
        >>> [layer.name for layer in model.layers]
        ['input', 'encoder', 'sampling', 'decoder', 'reconstruction', 'kl']
        >>> model.get_layer("encoder").output_shape
        [(None, 2), (None, 2)]
        >>> model.get_layer("decoder").input_shape
        (None, 2)
    """
    shape, latent_dim, kind, units, filters, name = _check_common(
        input_shape, latent_dim, kind, units, filters, activation, name
    )
    seed = check_seed(seed)

    encoder = _encoder(
        shape, kind, units, filters, activation, {"z_mean": latent_dim, "z_log_var": latent_dim}
    )
    decoder = _decoder(latent_dim, shape, kind, units, filters, activation)
    inputs = keras.Input(shape=shape, name="input")
    z_mean, z_log_var = encoder(inputs)
    z = _Reparameterize(seed, name="sampling")([z_mean, z_log_var])
    decoded = decoder(z)
    kl = _GaussianKL(name="kl")([z_mean, z_log_var])
    reconstruction = keras.layers.Identity(name="reconstruction")(decoded)
    return keras.Model(inputs, [reconstruction, kl], name=name)


@keras.saving.register_keras_serializable(package="dlguide", name="summed_binary_crossentropy")
def _summed_binary_crossentropy(y_true: Any, y_pred: Any) -> Any:
    """Binary cross-entropy summed over the pixels of each example (keras.io's VAE loss)."""
    bce = ops.binary_crossentropy(ops.cast(y_true, y_pred.dtype), y_pred)
    return ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=-1)


@keras.saving.register_keras_serializable(package="dlguide", name="output_as_loss")
def _output_as_loss(y_true: Any, y_pred: Any) -> Any:
    """The model's output is the loss itself (the KL term); the target is ignored."""
    return y_pred


def _vae_images(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    expected = f"Expected images of shape (num_images, {', '.join(map(str, shape))}) in [0, 1]."
    array = check_array(
        value,
        name,
        expected,
        ndims=(len(shape) + 1,),
        shape_ok=lambda s: tuple(s[1:]) == shape,
        dtype="float32",
    )
    if array.min() < 0 or array.max() > 1:
        raise ValueError(
            f"{expected} Received: {name} with values from {array.min():g} to {array.max():g} "
            "(divide uint8 images by 255)"
        )
    return array


def train_vae(
    model: keras.Model,
    x: Any,
    *,
    epochs: int = 10,
    batch_size: int = 128,
    beta: float = 1.0,
    learning_rate: float = 1e-3,
    validation_data: Any = None,
    verbose: int = 0,
) -> keras.callbacks.History:
    """Train a `vae` model on the negative ELBO: reconstruction + β·KL.

    The reconstruction loss is the binary cross-entropy summed over the
    pixels of each image; the KL term is the model's `kl` output. Both are
    averaged over the batch, as in keras.io's VAE example, so the numbers
    are comparable with its reported total loss. The model is compiled
    (Adam) and fitted with Keras' own `fit`, which runs on every backend.
    β = 1 is the VAE; β > 1 (a β-VAE) pushes the codes closer to the
    prior at the cost of blurrier reconstructions.

    Args:
        model: A model built by `vae`.
        x: Training images in [0, 1], the model's input shape.
        epochs: Number of passes over `x`.
        batch_size: Images per gradient step.
        beta: Weight of the KL term.
        learning_rate: Adam's learning rate.
        validation_data: Held-out images in [0, 1] (or None): adds
            `val_loss`, `val_reconstruction_loss`, `val_kl_loss`.
        verbose: Keras' verbosity (0: silent).

    Returns:
        The `History` of `fit`: `history.history` has, per epoch, `loss`
        (the total), `reconstruction_loss` and `kl_loss` (unweighted).

    Raises:
        ValueError: If `model` is not a `vae` model, or an argument is
            invalid.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import train_vae, vae
        >>> keras.utils.set_random_seed(0)
        >>> x = np.random.default_rng(0).random((256, 8, 8)).round()
        >>> x = x.astype("float32")
        >>> model = vae((8, 8), latent_dim=2, units=(32,), seed=0)
        >>> history = train_vae(model, x, epochs=3, batch_size=64, beta=0.5)
        >>> sorted(history.history)
        ['kl_loss', 'loss', 'reconstruction_loss']
        >>> h = {key: values[-1] for key, values in history.history.items()}
        >>> total = h["reconstruction_loss"] + 0.5 * h["kl_loss"]
        >>> bool(np.isclose(h["loss"], total, rtol=1e-3))
        True
    """
    if not isinstance(model, keras.Model) or model.output_names != ["reconstruction", "kl"]:
        raise ValueError(
            "Expected a model built by dlguide.vae (outputs 'reconstruction' and 'kl'). "
            f"Received: model={model!r}"
        )
    shape = tuple(model.input_shape[1:])
    x = _vae_images(x, "x", shape)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    beta = check_non_negative_float(beta, "beta")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    verbose = check_non_negative_int(verbose, "verbose")

    def targets(images: np.ndarray) -> dict[str, np.ndarray]:
        return {"reconstruction": images, "kl": np.zeros(len(images), dtype="float32")}

    validation = None
    if validation_data is not None:
        x_val = _vae_images(validation_data, "validation_data", shape)
        validation = (x_val, targets(x_val))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss={"reconstruction": _summed_binary_crossentropy, "kl": _output_as_loss},
        loss_weights={"reconstruction": 1.0, "kl": beta},
    )
    # Adam's variables now: made inside fit's first traced step, they would
    # make TensorFlow trace that step twice.
    model.optimizer.build(model.trainable_variables)
    return model.fit(
        x,
        targets(x),
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        verbose=verbose,
    )
