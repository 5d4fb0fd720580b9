"""Figures of convolutional networks: feature maps, learned filters, augmented images."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_model, check_non_negative_int, check_positive_int
from ._save import COLUMN_WIDTH, _save_figure


def _conv_layers(model: Any) -> list[Any]:
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def _layer_names(model: Any) -> list[str]:
    return [layer.name for layer in model.layers]


def _get_layer(model: Any, name: Any, argument: str) -> Any:
    if not isinstance(name, str) or name not in _layer_names(model):
        shown = ", ".join(repr(layer.name) for layer in _conv_layers(model)) or "none"
        raise ValueError(
            f"Expected the name of a layer of the model (its Conv2D layers: {shown}). "
            f"Received: {argument}={name!r}"
        )
    return model.get_layer(name)


def _images_array(images: Any, name: str) -> np.ndarray:
    expected = (
        "Expected a non-empty batch of images of shape (num_images, height, width) or "
        "(num_images, height, width, channels) of finite numbers."
    )
    try:
        array = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"{expected} Received: {name}={images!r}") from None
    if array.ndim not in (3, 4) or 0 in array.shape or not np.all(np.isfinite(array)):
        raise ValueError(f"{expected} Received: {name} of shape {array.shape}")
    return array


def _hide_ticks(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def plot_feature_maps(
    model: Any,
    image: Any,
    layer_names: str | Sequence[str] | None = None,
    *,
    max_maps: int = 8,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show what the convolutional layers of a model output for one image.

    Each row is a layer and shows its first `max_maps` feature maps (output
    channels) for `image`, brighter where the channel responds more strongly.
    Early layers tend to respond to edges and strokes; later, smaller maps to
    larger parts.

    Args:
        model: A built `keras.Model` with one input, e.g. a trained
            `dlguide.cnn`.
        image: One input, shaped like the model's input (e.g. `(28, 28)`), or
            a batch of one.
        layer_names: A layer name or a list of them, each with a 4-D output
            `(batch, height, width, channels)`; by default every `Conv2D`
            layer of the model.
        max_maps: Largest number of feature maps shown per layer.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure`: one row of axes per layer, labelled with
        the layer name and its output shape.

    Raises:
        ValueError: If the model, image, layer names or `max_maps` are invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import cnn
        >>> from dlguide.plots import plot_feature_maps
        >>> model = cnn((28, 28), filters=(4, 8), classes=10)
        >>> fig = plot_feature_maps(model, np.zeros((28, 28)), max_maps=6)
        >>> len(fig.axes)  # 4 maps of conv_1, 6 of the 8 maps of conv_2
        10
        >>> [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
        ['conv_1\\n28x28x4', 'conv_2\\n14x14x8']
        >>> plot_feature_maps(model, np.zeros((28, 28)), "dense")
        Traceback (most recent call last):
        ...
        ValueError: Expected the name of a layer of the model (its Conv2D layers: 'conv_1', 'conv_2'). Received: layer_names='dense'
    """
    import keras

    model = check_model(model, "model", "dlguide.cnn(...)")
    max_maps = check_positive_int(max_maps, "max_maps")
    if layer_names is None:
        layers = _conv_layers(model)
        if not layers:
            raise ValueError(
                "Expected a model with Conv2D layers, or layer_names. Received: layer_names=None"
            )
    else:
        names = [layer_names] if isinstance(layer_names, str) else layer_names
        if isinstance(names, Sequence) and not isinstance(names, str) and len(names) > 0:
            layers = [_get_layer(model, n, "layer_names") for n in names]
        else:
            raise ValueError(
                "Expected a layer name or a non-empty list of layer names. "
                f"Received: layer_names={layer_names!r}"
            )
    for layer in layers:
        if len(layer.output.shape) != 4:
            raise ValueError(
                "Expected layers with 4-D outputs (batch, height, width, channels). "
                f"Received: layer {layer.name!r} with output shape {layer.output.shape}"
            )
    input_shape = tuple(model.inputs[0].shape[1:])
    x = np.asarray(image, dtype=np.float32) if not isinstance(image, str) else None
    if x is not None and x.shape == input_shape:
        x = x[None]
    if x is None or x.shape != (1, *input_shape) or not np.all(np.isfinite(x)):
        shape = getattr(x, "shape", None)
        raise ValueError(
            f"Expected one image of shape {input_shape} (or (1, *{input_shape})). "
            f"Received: image of shape {shape}"
        )

    probe = keras.Model(model.inputs[0], [layer.output for layer in layers])
    outputs = probe(x, training=False)
    if len(layers) == 1 and not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    maps = [keras.ops.convert_to_numpy(out)[0] for out in outputs]

    ncols = min(max_maps, max(m.shape[-1] for m in maps))
    cell = min(1.35, (COLUMN_WIDTH - 0.9) / ncols)  # the layer names take 0.9 inch
    fig = Figure(figsize=(cell * ncols + 0.9, (cell + 0.1) * len(layers)), layout="constrained")
    axes = fig.subplots(len(layers), ncols, squeeze=False)
    for row, (layer, fmap) in enumerate(zip(layers, maps, strict=True)):
        h, w, c = fmap.shape
        for col in range(ncols):
            ax = axes[row, col]
            if col >= c:
                fig.delaxes(ax)
                continue
            ax.imshow(fmap[:, :, col], cmap="viridis")
            _hide_ticks(ax)
            if col == 0:
                ax.set_ylabel(f"{layer.name}\n{h}x{w}x{c}", fontsize=9)
    _save_figure(fig, path)
    return fig


def plot_filters(
    model: Any,
    layer_name: str | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show the learned kernels of a convolutional layer, one small image per filter.

    Each kernel of shape `(kh, kw, c_in)` is drawn as a `kh x kw` image: in
    colour if `c_in == 3` (each filter stretched to [0, 1]), otherwise as the
    mean over the input channels on a red-blue scale shared by all filters
    (red positive, blue negative, white zero), so that e.g. an edge detector
    shows a red side and a blue side.

    Args:
        model: A built `keras.Model`.
        layer_name: Name of a `Conv2D` layer; by default the first one (the
            layer that looks at the pixels, whose filters are easiest to read).
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure` with one axes per filter, up to 8 per row.

    Raises:
        ValueError: If the model has no such `Conv2D` layer.

    Examples:
        >>> from dlguide.models import cnn
        >>> from dlguide.plots import plot_filters
        >>> model = cnn((28, 28), filters=(12, 8), kernel_size=5, classes=10)
        >>> fig = plot_filters(model)
        >>> len(fig.axes), fig.axes[0].images[0].get_array().shape
        (12, (5, 5))
        >>> fig.get_suptitle()
        'conv_1: 12 filters of 5x5x1'
    """
    import keras

    model = check_model(model, "model", "dlguide.cnn(...)")
    if layer_name is None:
        convs = _conv_layers(model)
        if not convs:
            raise ValueError(
                "Expected a model with a Conv2D layer. Received: model without Conv2D layers"
            )
        layer = convs[0]
    else:
        layer = _get_layer(model, layer_name, "layer_name")
        if not isinstance(layer, keras.layers.Conv2D):
            raise ValueError(
                f"Expected the name of a Conv2D layer. Received: layer_name={layer_name!r} "
                f"(a {type(layer).__name__})"
            )
    kernel = keras.ops.convert_to_numpy(layer.kernel)
    kh, kw, c_in, c_out = kernel.shape
    ncols = min(8, c_out)
    nrows = math.ceil(c_out / ncols)
    cell = min(1.1, COLUMN_WIDTH / ncols)
    fig = Figure(figsize=(cell * ncols, cell * nrows + 0.4), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    limit = float(np.abs(kernel.mean(axis=2)).max()) or 1.0
    for i, ax in enumerate(axes):
        if i >= c_out:
            fig.delaxes(ax)
            continue
        k = kernel[:, :, :, i]
        if c_in == 3:
            span = k.max() - k.min()
            ax.imshow((k - k.min()) / (span if span > 0 else 1.0))
        else:
            ax.imshow(k.mean(axis=2), cmap="RdBu_r", vmin=-limit, vmax=limit)
        _hide_ticks(ax)
    fig.suptitle(f"{layer.name}: {c_out} filters of {kh}x{kw}x{c_in}")
    _save_figure(fig, path)
    return fig


def _reseeded(augmentation: Any, seed: int) -> Any:
    """A copy of the pipeline whose random layers use seeds seed, seed + 1, ..."""
    import keras

    layers = augmentation.layers if isinstance(augmentation, keras.Sequential) else [augmentation]
    copies = []
    for i, layer in enumerate(layers):
        config = layer.get_config()
        if "seed" in config:
            config["seed"] = seed + i
            layer = type(layer).from_config(config)
        copies.append(layer)
    if isinstance(augmentation, keras.Sequential):
        return keras.Sequential(copies)
    return copies[0]


def plot_augmentation_grid(
    augmentation: Any,
    images: Any,
    *,
    num_variants: int = 5,
    seed: int = 0,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Show each image next to random variants drawn by an augmentation pipeline.

    The pipeline is run in training mode (`training=True`), as during `fit`.
    Its random layers are copied with the seed `seed` (the pipeline passed in
    is not changed), so the same call draws the same figure.

    Args:
        augmentation: A Keras layer or `keras.Sequential` of preprocessing
            layers, e.g. from `dlguide.augmentation`.
        images: A batch `(num_images, height, width)` (grey) or
            `(num_images, height, width, channels)`; pixel values as the model
            would receive them.
        num_variants: Augmented versions shown per image.
        seed: Seed of the random transformations.
        path: If given, the figure is also saved there (PNG by default;
            missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure`: one row per image, the original first.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import augmentation
        >>> from dlguide.plots import plot_augmentation_grid
        >>> images = np.random.default_rng(0).uniform(size=(3, 28, 28))
        >>> fig = plot_augmentation_grid(augmentation(), images, num_variants=4)
        >>> len(fig.axes), fig.axes[0].get_title(), fig.axes[1].get_title()
        (15, 'original', 'variant 1')
    """
    import keras

    if not isinstance(augmentation, keras.layers.Layer):
        raise ValueError(
            "Expected a Keras layer or keras.Sequential of preprocessing layers (e.g. "
            f"dlguide.augmentation()). Received: augmentation={augmentation!r}"
        )
    array = _images_array(images, "images")
    num_variants = check_positive_int(num_variants, "num_variants")
    seed = check_non_negative_int(seed, "seed")
    grey = array.ndim == 3 or array.shape[-1] == 1
    batch = array[..., None] if array.ndim == 3 else array
    pipeline = _reseeded(augmentation, seed)
    variants = [
        keras.ops.convert_to_numpy(pipeline(batch, training=True)) for _ in range(num_variants)
    ]
    scale = 255.0 if array.max() > 1.0 else 1.0
    low, high = float(array.min()), float(array.max())
    ncols = num_variants + 1
    cell = min(1.3, COLUMN_WIDTH / ncols)
    fig = Figure(figsize=(cell * ncols, (cell + 0.15) * len(batch) + 0.1), layout="constrained")
    axes = fig.subplots(len(batch), ncols, squeeze=False)
    for row in range(len(batch)):
        for col in range(ncols):
            ax = axes[row, col]
            shown = batch[row] if col == 0 else variants[col - 1][row]
            if grey:
                ax.imshow(shown[:, :, 0], cmap="gray", vmin=low, vmax=high)
            else:
                ax.imshow(np.clip(shown[:, :, :3] / scale, 0.0, 1.0))
            _hide_ticks(ax)
            if row == 0:
                ax.set_title("original" if col == 0 else f"variant {col}", fontsize=9)
    _save_figure(fig, path)
    return fig
