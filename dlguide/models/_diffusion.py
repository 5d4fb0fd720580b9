"""Denoising diffusion (DDPM, DDIM) with class conditioning and classifier-free guidance.

The network only ever learns to predict the noise in a noisy input, a plain
regression: `train_diffusion` noises the data in NumPy (`dlguide.scratch.q_sample`)
batch by batch and fits the denoiser with Keras' own `fit` and a mean squared
error, on every backend. `diffusion_sample` runs the reverse process, one
`dlguide.scratch.ddim_step` per step, asking the network for the noise each time.
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
    check_rate,
    check_schedule,
    check_seed,
    check_shape,
)
from ..scratch import ddim_step, q_sample

_METHODS = ("ddpm", "ddim")


@keras.saving.register_keras_serializable(package="dlguide", name="TimestepEmbedding")
class _TimestepEmbedding(keras.layers.Layer):
    """Sinusoidal embedding of the timestep (the Transformer's positional encoding)."""

    def __init__(self, dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.dim = dim

    def build(self, input_shape: Any) -> None:
        self.built = True

    def call(self, t: Any) -> Any:
        half = self.dim // 2
        frequencies = ops.exp(-math.log(10000.0) * ops.arange(half, dtype="float32") / half)
        angles = ops.expand_dims(ops.cast(t, "float32"), -1) * frequencies
        return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return (*input_shape, 2 * (self.dim // 2))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dim": self.dim}


def _conv_block(x: Any, emb: Any, count: int, activation: str, name: str) -> Any:
    """Conv, plus the (time, label) embedding projected to one bias per channel, conv."""
    x = keras.layers.Conv2D(count, 3, padding="same", name=f"{name}_conv_a")(x)
    bias = keras.layers.Dense(count, name=f"{name}_emb")(emb)
    bias = keras.layers.Reshape((1, 1, count), name=f"{name}_emb_map")(bias)
    x = keras.layers.Add(name=f"{name}_add")([x, bias])
    x = keras.layers.Activation(activation, name=f"{name}_act_a")(x)
    x = keras.layers.Conv2D(count, 3, padding="same", name=f"{name}_conv_b")(x)
    return keras.layers.Activation(activation, name=f"{name}_act_b")(x)


def diffusion_denoiser(
    input_shape: int | Sequence[int],
    *,
    classes: int | None = None,
    units: int | Sequence[int] = (256, 256),
    filters: int | Sequence[int] = (32, 64),
    embedding_dim: int = 64,
    activation: str = "swish",
    name: str = "denoiser",
) -> keras.Model:
    """Build the noise-predicting network of a diffusion model: $\\hat\\epsilon(x_t, t, y)$.

    Inputs: `x_t` (a noisy example), `t` (its timestep, an integer) and, if
    `classes` is given, `label` (an integer class). The timestep goes
    through a sinusoidal embedding and a `Dense` layer; the label through an
    `Embedding` with `classes + 1` rows: the extra row, index `classes`,
    means "no label", which classifier-free guidance needs. Their sum
    conditions every block. The output has the shape of `x_t`: the
    predicted noise (linear, no activation).

    For vectors (`input_shape` of one axis, e.g. 2-D points or a VAE's
    codes) it is an MLP: each layer of `units` adds a projection of the
    embedding before its activation. For images it is a small U-Net
    (Ronneberger et al., 2015, as in DDPM): one block of two 3x3
    convolutions per entry of `filters`, halving the resolution between
    blocks (average pooling), then back up (nearest upsampling)
    concatenating the skip connection of the same resolution.

    Args:
        input_shape: Shape of one example: `(dim,)` for vectors, or
            `(height, width)` / `(height, width, channels)` for images, whose
            sides are divisible by `2 ** (len(filters) - 1)`.
        classes: Number of classes for a conditional model; None for an
            unconditional one (no `label` input).
        units: Units of the MLP's layers (vectors only).
        filters: Filters of the U-Net's blocks, highest resolution first
            (images only).
        embedding_dim: Size of the timestep and label embeddings (even).
        activation: Activation of the hidden layers (`"swish"`, as in
            DDPM's U-Net).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` with inputs
        `[x_t, t]` or `[x_t, t, label]` and one output of the shape of `x_t`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import diffusion_denoiser
        >>> mlp = diffusion_denoiser((2,), units=(64, 64))
        >>> [tensor.name for tensor in mlp.inputs], mlp.output_shape
        (['x_t', 't'], (None, 2))
        >>> unet = diffusion_denoiser((28, 28), classes=10, filters=(16, 32))
        >>> [tensor.name for tensor in unet.inputs]
        ['x_t', 't', 'label']
        >>> unet.get_layer("down_2_act_b").output.shape, unet.output_shape
        ((None, 14, 14, 32), (None, 28, 28))
        >>> unet.get_layer("label_embedding").input_dim  # 10 digits + "no label"
        11
    """
    shape = check_shape(input_shape, "input_shape")
    if len(shape) not in (1, 2, 3):
        raise ValueError(
            "Expected a vector shape (dim,) or an image shape (height, width) or "
            f"(height, width, channels). Received: input_shape={input_shape!r}"
        )
    if classes is not None:
        classes = check_positive_int(classes, "classes")
    units = check_int_sequence(units, "units")
    filters = check_int_sequence(filters, "filters")
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    if embedding_dim % 2:
        raise ValueError(
            f"Expected an even embedding size. Received: embedding_dim={embedding_dim}"
        )
    check_activation(activation, "activation", allow_none=False)
    name = check_non_empty_str(name, "name")
    if len(shape) == 1 and not units:
        raise ValueError(
            f"Expected at least one layer for a vector input. Received: units={units!r}"
        )
    if len(shape) > 1:
        if not filters:
            raise ValueError(
                f"Expected at least one block for an image input. Received: filters={filters!r}"
            )
        factor = 2 ** (len(filters) - 1)
        if shape[0] % factor or shape[1] % factor:
            raise ValueError(
                f"Expected an image height and width divisible by {factor} (the U-Net halves "
                f"them {len(filters) - 1} times). Received: input_shape={input_shape!r}"
            )

    x_t = keras.Input(shape=shape, name="x_t")
    t = keras.Input(shape=(), dtype="int32", name="t")
    inputs = [x_t, t]
    emb = _TimestepEmbedding(embedding_dim, name="time_sinusoid")(t)
    emb = keras.layers.Dense(embedding_dim, activation=activation, name="time_dense")(emb)
    if classes is not None:
        label = keras.Input(shape=(), dtype="int32", name="label")
        inputs.append(label)
        label_emb = keras.layers.Embedding(classes + 1, embedding_dim, name="label_embedding")(
            label
        )
        emb = keras.layers.Add(name="condition")([emb, label_emb])

    if len(shape) == 1:
        h = x_t
        for i, size in enumerate(units, start=1):
            h = keras.layers.Dense(size, name=f"dense_{i}")(h)
            bias = keras.layers.Dense(size, name=f"dense_{i}_emb")(emb)
            h = keras.layers.Add(name=f"dense_{i}_add")([h, bias])
            h = keras.layers.Activation(activation, name=f"dense_{i}_act")(h)
        outputs = keras.layers.Dense(shape[0], name="noise")(h)
        return keras.Model(inputs, outputs, name=name)

    channels = shape[2] if len(shape) == 3 else 1
    h = x_t if len(shape) == 3 else keras.layers.Reshape((*shape, 1), name="add_channel")(x_t)
    skips = []
    for i, count in enumerate(filters, start=1):
        if i > 1:
            h = keras.layers.AveragePooling2D(2, name=f"down_{i}_pool")(h)
        h = _conv_block(h, emb, count, activation, f"down_{i}")
        skips.append(h)
    for i in range(len(filters) - 1, 0, -1):
        h = keras.layers.UpSampling2D(2, name=f"up_{i}_upsample")(h)
        h = keras.layers.Concatenate(name=f"up_{i}_skip")([h, skips[i - 1]])
        h = _conv_block(h, emb, filters[i - 1], activation, f"up_{i}")
    h = keras.layers.Conv2D(channels, 1, name="noise")(h)
    outputs = keras.layers.Reshape(shape, name="noise_image")(h) if len(shape) == 2 else h
    return keras.Model(inputs, outputs, name=name)


def _check_denoiser(denoiser: Any) -> tuple[tuple[int, ...], int | None]:
    """The example shape and the number of classes (None if unconditional) of a denoiser."""
    names = [tensor.name for tensor in getattr(denoiser, "inputs", [])]
    if not isinstance(denoiser, keras.Model) or names not in (["x_t", "t"], ["x_t", "t", "label"]):
        raise ValueError(
            "Expected a model built by dlguide.diffusion_denoiser (inputs 'x_t', 't' and "
            f"optionally 'label'). Received: denoiser={denoiser!r}"
        )
    classes = None
    if len(names) == 3:
        classes = denoiser.get_layer("label_embedding").input_dim - 1
    return tuple(denoiser.input_shape[0][1:]), classes


def _check_labels(labels: Any, classes: int, name: str, length: int | None = None) -> np.ndarray:
    array = np.asarray(labels)
    if (
        array.ndim != 1
        or array.size == 0
        or not np.issubdtype(array.dtype, np.integer)
        or array.min() < 0
        or array.max() >= classes
        or (length is not None and len(array) != length)
    ):
        count = "" if length is None else f" ({length}, one per example)"
        raise ValueError(
            f"Expected a 1-D array of integer labels from 0 to {classes - 1}{count}. "
            f"Received: {name}={labels!r}"
        )
    return array.astype("int32")


# Noised copies of the data are built in NumPy for several epochs at once, up to this many
# values per chunk (64 MB of float32): one `fit` per chunk instead of one Python call per batch.
_CHUNK_VALUES = 2**24


def _noised_epochs(x, labels, classes, alpha_bars, epochs, label_dropout, seed):
    """Fresh noisings of the whole data set for the given epochs, each shuffled, stacked.

    Epoch e draws from its own generator, `default_rng([seed, e])`, so the result does
    not depend on how the epochs are grouped into chunks.
    """
    steps = len(alpha_bars) - 1
    parts = []
    for epoch in epochs:
        rng = np.random.default_rng([seed, epoch])
        order = rng.permutation(len(x))
        t = rng.integers(1, steps + 1, size=len(x))
        noise = rng.standard_normal(x.shape)
        part = {"x_t": q_sample(x[order], t, noise, alpha_bars), "t": t, "noise": noise}
        if labels is not None:
            label = labels[order].copy()
            label[rng.random(len(x)) < label_dropout] = classes  # "no label"
            part["label"] = label
        parts.append(part)
    stacked = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    noise = stacked.pop("noise").astype("float32")
    stacked["x_t"] = stacked["x_t"].astype("float32")
    stacked["t"] = stacked["t"].astype("int32")
    if "label" in stacked:
        stacked["label"] = stacked["label"].astype("int32")
    return stacked, noise


def train_diffusion(
    denoiser: keras.Model,
    x: Any,
    labels: Any = None,
    *,
    schedule: dict[str, np.ndarray],
    epochs: int = 10,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    label_dropout: float = 0.1,
    seed: int | None = None,
    verbose: int = 0,
) -> keras.callbacks.History:
    """Train a denoiser to predict the noise that was added (DDPM's simple objective).

    Every batch draws, for each example $x_0$, a timestep $t$ uniformly
    from 1 to T and standard normal noise $\\epsilon$, forms
    $x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon$
    (`dlguide.scratch.q_sample`) and takes a step on
    $\\lVert \\epsilon - \\hat\\epsilon(x_t, t, y) \\rVert^2$ (Ho et al.,
    2020). The noising happens in NumPy, a fresh draw for every epoch, and
    the model trains with Keras' own `fit` on every backend. For a conditional
    denoiser, each label is replaced by "no label" with probability
    `label_dropout`, so that one network learns both $\\hat\\epsilon(x_t, t, y)$
    and $\\hat\\epsilon(x_t, t)$: classifier-free guidance (Ho and Salimans,
    2022) needs both.

    Args:
        denoiser: A model built by `diffusion_denoiser`.
        x: Training examples of the denoiser's input shape, scaled to about
            [-1, 1] (images: `2 * pixels / 255 - 1`).
        labels: One integer class per example, for a conditional denoiser
            (required then, and not allowed otherwise).
        schedule: The noise schedule, `dlguide.scratch.noise_schedule(T)`.
        epochs: Number of passes over `x`, each `len(x) // batch_size`
            steps; each pass sees new timesteps and noise.
        batch_size: Examples per gradient step.
        learning_rate: Adam's learning rate.
        label_dropout: Probability of hiding a label (conditional only).
        seed: Seed of the timesteps, noise and shuffling (None: random).
        verbose: Keras' verbosity (0: silent).

    Returns:
        The `History` of `fit`; `history.history["loss"]` is the mean
        squared error of the predicted noise, per epoch (it starts near 1,
        the variance of the noise).

    Raises:
        ValueError: If the denoiser, data, labels or schedule do not fit
            together, or an argument is invalid.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import diffusion_denoiser, train_diffusion
        >>> from dlguide.scratch import noise_schedule
        >>> keras.utils.set_random_seed(0)
        >>> x = np.random.default_rng(0).normal([0.5, -0.5], 0.1, size=(512, 2))
        >>> denoiser = diffusion_denoiser((2,), units=(32, 32))
        >>> history = train_diffusion(denoiser, x, schedule=noise_schedule(50),
        ...                           epochs=5, seed=0)
        >>> losses = history.history["loss"]
        >>> len(losses), bool(losses[-1] < losses[0])
        (5, True)
    """
    shape, classes = _check_denoiser(denoiser)
    alpha_bars = np.asarray(check_schedule(schedule)["alpha_bars"], dtype="float64")
    expected = f"Expected examples of shape (num_examples, {', '.join(map(str, shape))})."
    x = check_array(
        x,
        "x",
        expected,
        ndims=(len(shape) + 1,),
        shape_ok=lambda s: tuple(s[1:]) == shape,
        dtype="float32",
    )
    if classes is None and labels is not None:
        raise ValueError(
            "Expected no labels for an unconditional denoiser (built without classes)."
        )
    if classes is not None:
        if labels is None:
            raise ValueError(
                f"Expected labels for a conditional denoiser (classes={classes}). Received: labels=None"
            )
        labels = _check_labels(labels, classes, "labels", len(x))
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    label_dropout = check_rate(label_dropout, "label_dropout")
    seed = check_seed(seed)
    verbose = check_non_negative_int(verbose, "verbose")

    batch_size = min(batch_size, len(x))
    steps_per_epoch = len(x) // batch_size
    per_chunk = max(1, _CHUNK_VALUES // x.size)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**32)
    denoiser.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    # Adam's variables now: made inside fit's first traced step, they would
    # make TensorFlow trace that step twice.
    denoiser.optimizer.build(denoiser.trainable_variables)
    history = keras.callbacks.History()
    history.history, history.epoch = {}, []
    for start in range(0, epochs, per_chunk):
        stop = min(start + per_chunk, epochs)
        inputs, noise = _noised_epochs(
            x, labels, classes, alpha_bars, range(start, stop), label_dropout, seed
        )
        # steps_per_epoch keeps one iterator over the stacked epochs: each is one pass,
        # already shuffled above.
        part = denoiser.fit(
            inputs,
            noise,
            batch_size=batch_size,
            epochs=stop,
            initial_epoch=start,
            steps_per_epoch=steps_per_epoch,
            shuffle=False,
            verbose=verbose,
        )
        history.epoch.extend(part.epoch)
        for key, values in part.history.items():
            history.history.setdefault(key, []).extend(values)
    history.set_model(denoiser)
    return history


def diffusion_sample(
    denoiser: keras.Model,
    schedule: dict[str, np.ndarray],
    *,
    num_samples: int | None = None,
    labels: Any = None,
    method: str = "ddim",
    sampling_steps: int | None = None,
    guidance: float = 0.0,
    clip: float | None = None,
    seed: int | None = None,
) -> np.ndarray:
    """Generate samples by running the reverse diffusion process from pure noise.

    Start from $x_T \\sim \\mathcal N(0, I)$ and step down to $x_0$, asking
    the denoiser for the noise at each step and applying
    `dlguide.scratch.ddim_step`. `method="ddpm"` adds fresh noise at each
    step ($\\eta = 1$; with all T steps this is Ho et al.'s sampler);
    `method="ddim"` is deterministic ($\\eta = 0$) and can skip timesteps
    (Song et al., 2020). With fewer `sampling_steps` than T the timesteps
    are spread evenly from T down to 0.

    For a conditional denoiser, `labels` asks for one class per sample;
    `guidance` $w$ is classifier-free guidance (Ho and Salimans, 2022):
    $\\tilde\\epsilon = (1 + w)\\,\\hat\\epsilon(x_t, t, y) - w\\,\\hat\\epsilon(x_t, t)$,
    which pushes the samples towards what makes them look like class $y$
    (w = 0: plain conditional sampling; larger w: more recognisable, less
    varied). Without `labels`, a conditional denoiser samples with "no
    label".

    Args:
        denoiser: A trained model from `diffusion_denoiser`.
        schedule: The noise schedule it was trained with.
        num_samples: How many samples, if `labels` is not given.
        labels: One integer class per sample (conditional denoisers only).
        method: `"ddim"` or `"ddpm"`.
        sampling_steps: Number of reverse steps, from 1 to T (default: T for
            `"ddpm"`, `min(T, 50)` for `"ddim"`).
        guidance: Guidance weight $w \\ge 0$ (needs `labels`).
        clip: If given, each step's estimate of $x_0$ is clipped to
            `[-clip, clip]` (1.0 for images scaled to [-1, 1]).
        seed: Seed of the starting noise and of DDPM's noise (None: random).

    Returns:
        A float32 array of shape `(num_samples, *input_shape)`.

    Raises:
        ValueError: If the arguments do not fit the denoiser or are invalid.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import diffusion_denoiser, diffusion_sample
        >>> from dlguide.scratch import noise_schedule
        >>> denoiser = diffusion_denoiser((2,), classes=3, units=(16,))
        >>> schedule = noise_schedule(100)
        >>> samples = diffusion_sample(denoiser, schedule, labels=[0, 1, 2, 2],
        ...                            sampling_steps=10, guidance=2.0, seed=0)
        >>> samples.shape, samples.dtype
        ((4, 2), dtype('float32'))
        >>> diffusion_sample(denoiser, schedule, num_samples=4, guidance=1.0)
        Traceback (most recent call last):
        ...
        ValueError: Expected labels with guidance > 0 (guidance needs a class to push towards). Received: labels=None, guidance=1.0
    """
    shape, classes = _check_denoiser(denoiser)
    alpha_bars = np.asarray(check_schedule(schedule)["alpha_bars"], dtype="float64")
    steps = len(alpha_bars) - 1
    method = check_choice(method, "method", _METHODS)
    guidance = check_non_negative_float(guidance, "guidance")
    if labels is not None:
        if classes is None:
            raise ValueError(
                "Expected no labels for an unconditional denoiser (built without classes)."
            )
        labels = _check_labels(labels, classes, "labels")
        if num_samples is not None and num_samples != len(labels):
            raise ValueError(
                "Expected num_samples to be None or the number of labels "
                f"({len(labels)}). Received: num_samples={num_samples!r}"
            )
        num_samples = len(labels)
    else:
        if guidance > 0:
            raise ValueError(
                "Expected labels with guidance > 0 (guidance needs a class to push towards). "
                f"Received: labels=None, guidance={guidance!r}"
            )
        if num_samples is None:
            raise ValueError("Expected num_samples (or labels). Received: num_samples=None")
        num_samples = check_positive_int(num_samples, "num_samples")
    if sampling_steps is None:
        sampling_steps = steps if method == "ddpm" else min(steps, 50)
    sampling_steps = check_positive_int(sampling_steps, "sampling_steps")
    if sampling_steps > steps:
        raise ValueError(
            f"Expected at most {steps} sampling steps (the schedule's T). "
            f"Received: sampling_steps={sampling_steps}"
        )
    if clip is not None:
        clip = check_positive_float(clip, "clip")
    seed = check_seed(seed)

    rng = np.random.default_rng(seed)
    eta = 1.0 if method == "ddpm" else 0.0
    timesteps = np.round(np.linspace(steps, 0, sampling_steps + 1)).astype(int)
    x = rng.standard_normal((num_samples, *shape))
    if classes is not None:
        given = labels if labels is not None else np.full(num_samples, classes, dtype="int32")
        both = np.concatenate([given, np.full(num_samples, classes, dtype="int32")])
    for t, t_prev in zip(timesteps[:-1], timesteps[1:], strict=True):
        inputs = {"x_t": x.astype("float32"), "t": np.full(num_samples, t, dtype="int32")}
        if classes is None:
            eps = np.asarray(denoiser.predict_on_batch(inputs), dtype="float64")
        elif guidance > 0:
            inputs = {key: np.concatenate([value, value]) for key, value in inputs.items()}
            inputs["label"] = both
            eps_both = np.asarray(denoiser.predict_on_batch(inputs), dtype="float64")
            eps_cond, eps_free = eps_both[:num_samples], eps_both[num_samples:]
            eps = (1 + guidance) * eps_cond - guidance * eps_free
        else:
            inputs["label"] = both[:num_samples]
            eps = np.asarray(denoiser.predict_on_batch(inputs), dtype="float64")
        noise = rng.standard_normal(x.shape) if eta > 0 else None
        x = ddim_step(x, int(t), int(t_prev), eps, alpha_bars, eta=eta, noise=noise, clip=clip)
    return x.astype("float32")
