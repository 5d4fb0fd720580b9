"""Generative adversarial networks: DCGAN builders and a training loop for every backend.

A GAN needs two optimisers pulling in opposite directions, which Keras'
`fit` cannot express with one model. `train_gan` is a hand-written loop. Its
losses are written once with `keras.ops`; only the gradient step differs:
on TensorFlow a `tf.GradientTape` inside a `tf.function`, on JAX
`jax.value_and_grad` of the models' `stateless_call` inside `jax.jit`, with
the optimisers' `stateless_apply` (the way Keras' own JAX trainer works).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from .._validation import (
    check_array,
    check_bool,
    check_int_sequence,
    check_non_empty_str,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_rate,
    check_seed,
    check_shape,
)

_BACKENDS = ("tensorflow", "jax")


def _check_image(value: Any, name: str, filters: tuple[int, ...]) -> tuple[int, ...]:
    """An image shape (height, width) or (height, width, channels) whose sides halve cleanly."""
    shape = check_shape(value, name)
    if len(shape) not in (2, 3):
        raise ValueError(
            "Expected an image shape (height, width) or (height, width, channels). "
            f"Received: {name}={value!r}"
        )
    factor = 2 ** len(filters)
    if shape[0] % factor or shape[1] % factor:
        raise ValueError(
            f"Expected an image height and width divisible by {factor} (one factor 2 per "
            f"entry of filters). Received: {name}={value!r}"
        )
    return shape


def dcgan_generator(
    output_shape: Sequence[int],
    latent_dim: int = 64,
    *,
    filters: int | Sequence[int] = (64, 32),
    kernel_size: int = 4,
    batch_norm: bool = True,
    name: str = "generator",
) -> keras.Model:
    """Build a DCGAN generator (Radford et al., 2015): noise in, image out.

    A `Dense` layer (`project`) maps the noise vector to small feature maps
    (the image size divided by `2 ** len(filters)`), then one stride-2
    `Conv2DTranspose` per entry of `filters` doubles their size, each
    followed by batch normalisation (if `batch_norm`) and ReLU, as in the
    paper. A last `Conv2D` (`pixels`) with `tanh` gives pixels in [-1, 1]:
    scale real images to that range too.

    Args:
        output_shape: Shape of one image, `(height, width)` or
            `(height, width, channels)`; both sides divisible by
            `2 ** len(filters)`.
        latent_dim: Size of the noise vector $z$.
        filters: Filters of the feature maps before each upsampling step,
            largest first, e.g. `(64, 32)`.
        kernel_size: Kernel size of the transposed convolutions (4 avoids
            the checkerboard pattern of 3 with stride 2; 3 is cheaper).
        batch_norm: Batch normalisation after the projection and each
            upsampling step.
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` from `(None, latent_dim)` to
        `(None, *output_shape)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import dcgan_generator
        >>> generator = dcgan_generator((28, 28), latent_dim=32)
        >>> generator.input_shape, generator.output_shape
        ((None, 32), (None, 28, 28))
        >>> [layer.name for layer in generator.layers][1:6]
        ['project', 'reshape', 'bn_0', 'relu_0', 'up_1']
        >>> generator.get_layer("up_1").output.shape
        (None, 14, 14, 64)
    """
    filters = check_int_sequence(filters, "filters")
    if not filters:
        raise ValueError(f"Expected at least one filter count. Received: filters={filters!r}")
    shape = _check_image(output_shape, "output_shape", filters)
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    batch_norm = check_bool(batch_norm, "batch_norm")
    name = check_non_empty_str(name, "name")

    factor = 2 ** len(filters)
    height, width = shape[0] // factor, shape[1] // factor
    channels = shape[2] if len(shape) == 3 else 1
    inputs = keras.Input(shape=(latent_dim,), name="z")
    x = keras.layers.Dense(height * width * filters[0], use_bias=not batch_norm, name="project")(
        inputs
    )
    x = keras.layers.Reshape((height, width, filters[0]), name="reshape")(x)
    for i, count in enumerate((filters[0], *filters)):
        if i > 0:
            x = keras.layers.Conv2DTranspose(
                count,
                kernel_size,
                strides=2,
                padding="same",
                use_bias=not batch_norm,
                name=f"up_{i}",
            )(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"bn_{i}")(x)
        x = keras.layers.ReLU(name=f"relu_{i}")(x)
    x = keras.layers.Conv2D(channels, 3, padding="same", activation="tanh", name="pixels")(x)
    outputs = keras.layers.Reshape(shape, name="image")(x)
    return keras.Model(inputs, outputs, name=name)


def dcgan_discriminator(
    input_shape: Sequence[int],
    *,
    filters: int | Sequence[int] = (32, 64),
    kernel_size: int = 4,
    dropout: float = 0.3,
    seed: int | None = None,
    name: str = "discriminator",
) -> keras.Model:
    """Build a DCGAN discriminator: image in, one logit "real vs generated" out.

    One stride-2 `Conv2D` per entry of `filters` (each halves the image),
    each followed by LeakyReLU (slope 0.2) and dropout, then `Flatten` and a
    `Dense(1)` without activation: a logit, > 0 for "real". No pooling, as
    in the DCGAN paper.

    Args:
        input_shape: Shape of one image, `(height, width)` or
            `(height, width, channels)`, pixels in [-1, 1].
        filters: Filters of the convolutions, e.g. `(32, 64)`.
        kernel_size: Kernel size of the convolutions.
        dropout: Dropout rate after each convolution, in [0, 1).
        seed: Seed of the dropout (None: random).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` from images to `(None, 1)`
        logits.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import dcgan_discriminator
        >>> discriminator = dcgan_discriminator((28, 28))
        >>> discriminator.output_shape
        (None, 1)
        >>> discriminator.get_layer("conv_2").output.shape
        (None, 7, 7, 64)
    """
    filters = check_int_sequence(filters, "filters")
    if not filters:
        raise ValueError(f"Expected at least one filter count. Received: filters={filters!r}")
    shape = _check_image(input_shape, "input_shape", filters)
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    dropout = check_rate(dropout, "dropout")
    seed = check_seed(seed)
    name = check_non_empty_str(name, "name")

    inputs = keras.Input(shape=shape, name="image")
    x = inputs
    if len(shape) == 2:
        x = keras.layers.Reshape((*shape, 1), name="add_channel")(x)
    for i, count in enumerate(filters, start=1):
        x = keras.layers.Conv2D(count, kernel_size, strides=2, padding="same", name=f"conv_{i}")(x)
        x = keras.layers.LeakyReLU(0.2, name=f"leaky_relu_{i}")(x)
        if dropout > 0:
            x = keras.layers.Dropout(
                dropout, seed=None if seed is None else seed + i, name=f"dropout_{i}"
            )(x)
    x = keras.layers.Flatten(name="flatten")(x)
    outputs = keras.layers.Dense(1, name="logit")(x)
    return keras.Model(inputs, outputs, name=name)


def _bce_from_logits(labels_value: float, logits: Any) -> Any:
    labels = ops.full_like(logits, labels_value)
    return ops.mean(ops.binary_crossentropy(labels, logits, from_logits=True))


def _discriminator_loss(real_logits: Any, fake_logits: Any) -> Any:
    """-log D(x) - log(1 - D(G(z))): real images labelled 1, generated ones 0."""
    return _bce_from_logits(1.0, real_logits) + _bce_from_logits(0.0, fake_logits)


def _generator_loss(fake_logits: Any) -> Any:
    """The non-saturating loss of Goodfellow et al.: -log D(G(z))."""
    return _bce_from_logits(1.0, fake_logits)


class _TensorFlowSteps:
    """Adversarial steps with two gradient tapes, an epoch at a time, compiled by `tf.function`."""

    def __init__(self, generator, discriminator, g_optimizer, d_optimizer):
        import tensorflow as tf

        self.models = generator, discriminator

        def step(real, z_d, z_g):
            with tf.GradientTape() as tape:
                fake = generator(z_d, training=True)
                d_loss = _discriminator_loss(
                    discriminator(real, training=True), discriminator(fake, training=True)
                )
            grads = tape.gradient(d_loss, discriminator.trainable_variables)
            d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables, strict=True))
            with tf.GradientTape() as tape:
                fake = generator(z_g, training=True)
                g_loss = _generator_loss(discriminator(fake, training=True))
            grads = tape.gradient(g_loss, generator.trainable_variables)
            g_optimizer.apply_gradients(zip(grads, generator.trainable_variables, strict=True))
            return d_loss, g_loss

        def epoch(real, z_d, z_g):
            d_total, g_total = tf.constant(0.0), tf.constant(0.0)
            for i in tf.range(tf.shape(real)[0]):
                d_loss, g_loss = step(real[i], z_d[i], z_g[i])
                d_total += tf.cast(d_loss, "float32")
                g_total += tf.cast(g_loss, "float32")
            count = tf.cast(tf.shape(real)[0], "float32")
            return d_total / count, g_total / count

        # One call per epoch: the loop over batches runs inside the compiled graph.
        self.epoch = tf.function(epoch)

    def __call__(self, real, z_d, z_g):
        return self.epoch(real, z_d, z_g)

    def finish(self) -> None:
        """Variables are updated in place on TensorFlow: nothing to write back."""


class _JaxSteps:
    """The same steps written statelessly, compiled by `jax.jit`; the state lives in arrays."""

    def __init__(self, generator, discriminator, g_optimizer, d_optimizer):
        import jax

        self.generator, self.discriminator = generator, discriminator
        self.optimizers = g_optimizer, d_optimizer

        def d_loss_fn(d_train, d_other, g_train, g_other, real, z):
            fake, g_other = generator.stateless_call(g_train, g_other, z, training=True)
            real_logits, d_other = discriminator.stateless_call(
                d_train, d_other, real, training=True
            )
            fake_logits, d_other = discriminator.stateless_call(
                d_train, d_other, fake, training=True
            )
            return _discriminator_loss(real_logits, fake_logits), (d_other, g_other)

        def g_loss_fn(g_train, g_other, d_train, d_other, z):
            fake, g_other = generator.stateless_call(g_train, g_other, z, training=True)
            fake_logits, d_other = discriminator.stateless_call(
                d_train, d_other, fake, training=True
            )
            return _generator_loss(fake_logits), (g_other, d_other)

        d_grad = jax.value_and_grad(d_loss_fn, has_aux=True)
        g_grad = jax.value_and_grad(g_loss_fn, has_aux=True)

        def step(state, real, z_d, z_g):
            g_train, g_other, d_train, d_other, g_opt, d_opt = state
            (d_loss, (d_other, g_other)), grads = d_grad(
                d_train, d_other, g_train, g_other, real, z_d
            )
            d_train, d_opt = d_optimizer.stateless_apply(d_opt, grads, d_train)
            (g_loss, (g_other, d_other)), grads = g_grad(g_train, g_other, d_train, d_other, z_g)
            g_train, g_opt = g_optimizer.stateless_apply(g_opt, grads, g_train)
            return (g_train, g_other, d_train, d_other, g_opt, d_opt), d_loss, g_loss

        def epoch(state, real, z_d, z_g):
            def body(state, batch):
                state, d_loss, g_loss = step(state, *batch)
                return state, (d_loss, g_loss)

            state, (d_losses, g_losses) = jax.lax.scan(body, state, (real, z_d, z_g))
            return state, d_losses.mean(), g_losses.mean()

        # One call per epoch: `lax.scan` runs the loop over batches inside the compiled code.
        self.epoch = jax.jit(epoch)
        self.state = tuple(
            [v.value for v in variables]
            for variables in (
                generator.trainable_variables,
                generator.non_trainable_variables,
                discriminator.trainable_variables,
                discriminator.non_trainable_variables,
                g_optimizer.variables,
                d_optimizer.variables,
            )
        )

    def __call__(self, real, z_d, z_g):
        self.state, d_loss, g_loss = self.epoch(self.state, real, z_d, z_g)
        return d_loss, g_loss

    def finish(self) -> None:
        """Write the final arrays back into the Keras variables."""
        targets = (
            self.generator.trainable_variables,
            self.generator.non_trainable_variables,
            self.discriminator.trainable_variables,
            self.discriminator.non_trainable_variables,
            self.optimizers[0].variables,
            self.optimizers[1].variables,
        )
        for variables, values in zip(targets, self.state, strict=True):
            for variable, value in zip(variables, values, strict=True):
                variable.assign(value)


def train_gan(
    generator: keras.Model,
    discriminator: keras.Model,
    x: Any,
    *,
    epochs: int = 10,
    batch_size: int = 64,
    learning_rate: float = 2e-4,
    beta_1: float = 0.5,
    seed: int | None = None,
    verbose: int = 0,
) -> dict[str, list[float]]:
    """Train a GAN: the discriminator and the generator take turns, one batch each.

    For each batch of real images: the discriminator takes one Adam step on
    $-\\log D(x) - \\log(1 - D(G(z)))$ (real labelled 1, generated 0), then
    the generator one on the non-saturating $-\\log D(G(z))$ with fresh
    noise (Goodfellow et al., 2014). Adam with `learning_rate=2e-4` and
    `beta_1=0.5` are the DCGAN paper's settings. Works with any pair of
    models whose shapes match (e.g. two `dlguide.mlp`s for 2-D points),
    on the TensorFlow and JAX backends.

    Args:
        generator: A model from noise `(None, latent_dim)` to samples.
        discriminator: A model from samples to one logit `(None, 1)`.
        x: Real training samples, in the generator's output range (for
            `dcgan_generator`, images in [-1, 1]).
        epochs: Number of passes over `x` (the last incomplete batch of an
            epoch is dropped).
        batch_size: Real samples per step (and as many generated ones).
        learning_rate: Adam's learning rate for both players.
        beta_1: Adam's first-moment decay for both players.
        seed: Seed of the shuffling and of the noise (None: random).
        verbose: If > 0, print the losses after each epoch.

    Returns:
        A history dict, `{"d_loss": [...], "g_loss": [...]}`, each loss
        averaged over the epoch's batches (it accepts `plot_history`).
        A discriminator that cannot tell real from generated sits at
        $2\\log 2 \\approx 1.39$; a generator loss that climbs while the
        discriminator loss falls to 0 means the discriminator has won.

    Raises:
        ValueError: If the models or data do not fit together, an argument
            is invalid, or the backend is not TensorFlow or JAX.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import train_gan
        >>> keras.utils.set_random_seed(0)
        >>> generator = keras.Sequential(
        ...     [keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
        ...      keras.layers.Dense(1)])
        >>> discriminator = keras.Sequential(
        ...     [keras.Input((1,)), keras.layers.Dense(16, activation="relu"),
        ...      keras.layers.Dense(1)])
        >>> x = np.random.default_rng(0).normal(3.0, 0.5, size=(512, 1))
        >>> history = train_gan(generator, discriminator, x, epochs=40,
        ...                     batch_size=64, learning_rate=5e-3, seed=0)
        >>> len(history["d_loss"]), sorted(history)
        (40, ['d_loss', 'g_loss'])
        >>> noise = np.random.default_rng(1).normal(size=(500, 2))
        >>> samples = generator.predict(noise, verbose=0)
        >>> bool(abs(samples.mean() - 3.0) < 0.5)  # it learned where the data is
        True
    """
    backend = keras.backend.backend()
    if backend not in _BACKENDS:
        raise ValueError(
            "train_gan runs on the 'tensorflow' and 'jax' backends. "
            f"Received: KERAS_BACKEND={backend!r}"
        )
    for model, what in ((generator, "generator"), (discriminator, "discriminator")):
        if not isinstance(model, keras.Model):
            raise ValueError(f"Expected a keras.Model. Received: {what}={model!r}")
    sample_shape = tuple(discriminator.input_shape[1:])
    if tuple(generator.output_shape[1:]) != sample_shape:
        raise ValueError(
            "Expected the generator's output shape to be the discriminator's input shape. "
            f"Received: generator.output_shape={generator.output_shape}, "
            f"discriminator.input_shape={discriminator.input_shape}"
        )
    if tuple(discriminator.output_shape[1:]) != (1,):
        raise ValueError(
            "Expected a discriminator with one logit per sample, output shape (None, 1). "
            f"Received: discriminator.output_shape={discriminator.output_shape}"
        )
    latent_dim = generator.input_shape[-1]
    expected = f"Expected real samples of shape (num_samples, {', '.join(map(str, sample_shape))})."
    x = check_array(
        x,
        "x",
        expected,
        ndims=(len(sample_shape) + 1,),
        shape_ok=lambda s: tuple(s[1:]) == sample_shape,
        dtype="float32",
    )
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > len(x):
        raise ValueError(
            f"Expected batch_size <= the number of samples ({len(x)}). "
            f"Received: batch_size={batch_size}"
        )
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    if not 0 <= check_positive_float(beta_1, "beta_1") < 1:
        raise ValueError(f"Expected a float in the range (0, 1). Received: beta_1={beta_1!r}")
    seed = check_seed(seed)
    verbose = check_non_negative_int(verbose, "verbose")

    g_optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    d_optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    g_optimizer.build(generator.trainable_variables)
    d_optimizer.build(discriminator.trainable_variables)
    steps_class = _JaxSteps if backend == "jax" else _TensorFlowSteps
    steps = steps_class(generator, discriminator, g_optimizer, d_optimizer)

    rng = np.random.default_rng(seed)
    history: dict[str, list[float]] = {"d_loss": [], "g_loss": []}
    num_batches = len(x) // batch_size
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(x))[: num_batches * batch_size]
        real = x[order].reshape(num_batches, batch_size, *sample_shape)
        z_d = rng.standard_normal((num_batches, batch_size, latent_dim)).astype("float32")
        z_g = rng.standard_normal((num_batches, batch_size, latent_dim)).astype("float32")
        d_loss, g_loss = steps(real, z_d, z_g)
        history["d_loss"].append(float(d_loss))
        history["g_loss"].append(float(g_loss))
        if verbose:
            print(
                f"epoch {epoch}/{epochs}: d_loss {history['d_loss'][-1]:.4f}, "
                f"g_loss {history['g_loss'][-1]:.4f} ({time.perf_counter() - start:.1f} s)"
            )
    steps.finish()
    return history
