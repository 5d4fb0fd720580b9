"""LoRA helpers around Keras's own `Dense.enable_lora`: add, read and merge adapters.

Keras 3 builds LoRA into `Dense`, `EinsumDense`, `Embedding` and the
convolutions: `layer.enable_lora(rank)` freezes the kernel `W` and adds two
trainable matrices `A` (`inputs x rank`) and `B` (`rank x units`, zeros at
first), so the layer computes `x (W + (alpha / rank) A B) + b`. These helpers
apply it to several `Dense` layers of a model at once (freezing their biases
too, as the LoRA paper does), read the adapters out, and fold them back into
plain `Dense` layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from .._validation import check_model, check_positive_float, check_positive_int, check_seed

_EXAMPLE = "dlguide.mlp(4, (8,), classes=3)"


def _lora_layers(model: keras.Model) -> list[keras.layers.Dense]:
    return [layer for layer in model.layers if getattr(layer, "lora_enabled", False)]


def add_lora(
    model: keras.Model,
    rank: int,
    *,
    layers: Sequence[str] | None = None,
    alpha: float | None = None,
    seed: int | None = None,
) -> int:
    """Add LoRA adapters to `Dense` layers of a model, in place.

    Each chosen layer gets Keras's `enable_lora(rank, alpha)`: its kernel is
    frozen and it learns a low-rank update `(alpha / rank) A B` instead, with
    `A` drawn He-uniform and `B` zeros, so the model's outputs do not change
    until it trains. The chosen layers' biases are frozen too. The other
    layers are left as they are: freeze or unfreeze them yourself (a new
    head usually stays trainable).

    Args:
        model: A built functional or `Sequential` `keras.Model`.
        rank: Rank `r` of the update, a positive integer.
        layers: Names of the `Dense` layers to adapt; by default every
            top-level `Dense` layer whose name is not `"output"`.
        alpha: Scale of the update (`alpha / rank`); `rank` by default,
            which makes the scale 1.
        seed: Seed of `A`'s initialiser (int or None).

    Returns:
        The number of trainable parameters the adapters add:
        `sum(rank * (inputs + units))` over the chosen layers.

    Raises:
        ValueError: If `model` is not a built model, `rank` or `alpha` is
            not positive, or a name in `layers` is not a `Dense` layer of
            the model without LoRA yet.

    Examples:
        >>> import numpy as np
        >>> import dlguide
        >>> from dlguide.models import add_lora
        >>> model = dlguide.mlp(20, (16, 8), classes=3)
        >>> add_lora(model, rank=2, seed=0)  # 2*(20+16) + 2*(16+8)
        120
        >>> # the rest is the head, 8*3 + 3
        >>> int(sum(np.prod(w.shape) for w in model.trainable_weights)) - 120
        27
        >>> add_lora(model, rank=0)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive integer. Received: rank=0
    """
    check_model(model, "model", _EXAMPLE)
    rank = check_positive_int(rank, "rank")
    alpha = check_positive_float(alpha, "alpha", allow_none=True)
    seed = check_seed(seed)
    dense = {
        layer.name: layer
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense) and not getattr(layer, "lora_enabled", False)
    }
    if layers is None:
        names = [name for name in dense if name != "output"]
    else:
        if isinstance(layers, str) or not all(isinstance(n, str) for n in layers):
            raise ValueError(
                f"Expected a sequence of layer names, e.g. ['hidden_1']. Received: layers={layers!r}"
            )
        names = list(layers)
        missing = [name for name in names if name not in dense]
        if missing:
            raise ValueError(
                f"Expected names of Dense layers without LoRA, from {sorted(dense)}. "
                f"Received: layers={layers!r}"
            )
    added = 0
    for i, name in enumerate(names):
        layer = dense[name]
        initializer = keras.initializers.HeUniform(seed=None if seed is None else seed + i)
        layer.enable_lora(rank, lora_alpha=alpha, a_initializer=initializer)
        if layer.bias is not None:
            layer.bias.trainable = False
        inputs, units = layer.kernel.shape
        added += rank * (inputs + units)
    return added


def lora_weights(model: keras.Model) -> dict[str, np.ndarray]:
    """Return the LoRA adapters of a model: what to store for one fine-tuned task.

    Args:
        model: A model with LoRA layers (see `add_lora`).

    Returns:
        A dict `{"<layer>/lora_kernel_a": A, "<layer>/lora_kernel_b": B}` of
        NumPy arrays, e.g. for `numpy.savez`.

    Raises:
        ValueError: If `model` is not a built model.

    Examples:
        >>> import dlguide
        >>> from dlguide.models import add_lora, lora_weights
        >>> model = dlguide.mlp(20, (16,), classes=3)
        >>> add_lora(model, rank=4, seed=0)
        144
        >>> {name: w.shape for name, w in lora_weights(model).items()}
        {'hidden_1/lora_kernel_a': (20, 4), 'hidden_1/lora_kernel_b': (4, 16)}
    """
    check_model(model, "model", _EXAMPLE)
    weights = {}
    for layer in _lora_layers(model):
        weights[f"{layer.name}/lora_kernel_a"] = keras.ops.convert_to_numpy(layer.lora_kernel_a)
        weights[f"{layer.name}/lora_kernel_b"] = keras.ops.convert_to_numpy(layer.lora_kernel_b)
    return weights


def _without_lora(config: Any) -> Any:
    """A copy of a model config with every layer's `lora_rank`/`lora_alpha` removed."""
    if isinstance(config, dict):
        return {
            key: _without_lora(value)
            for key, value in config.items()
            if key not in ("lora_rank", "lora_alpha")
        }
    if isinstance(config, list):
        return [_without_lora(value) for value in config]
    return config


def merge_lora(model: keras.Model) -> keras.Model:
    """Return a copy of a model with each LoRA update folded into its kernel.

    Each LoRA layer becomes a plain `Dense` with kernel
    `W + (alpha / rank) A B`: the same function as the adapted model, with
    no extra matrices and no extra work at inference. The other layers'
    weights are copied. The input model is not changed.

    Args:
        model: A functional or `Sequential` model with LoRA layers at its
            top level (see `add_lora`).

    Returns:
        A new `keras.Model` of the same architecture, without LoRA.

    Raises:
        ValueError: If `model` is not a built model.

    Examples:
        >>> import numpy as np
        >>> import dlguide
        >>> from dlguide.models import add_lora, merge_lora
        >>> model = dlguide.mlp(6, (5,), classes=2)
        >>> add_lora(model, rank=2, seed=0)
        22
        >>> _ = model.get_layer("hidden_1").lora_kernel_b.assign(np.ones((2, 5)))
        >>> merged = merge_lora(model)
        >>> merged.get_layer("hidden_1").lora_enabled, merged.count_params()
        (False, 47)
        >>> x = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
        >>> bool(np.allclose(model.predict(x, verbose=0),
        ...                  merged.predict(x, verbose=0),
        ...                  atol=1e-6))
        True
    """
    check_model(model, "model", _EXAMPLE)
    config = _without_lora(model.get_config())
    merged = model.__class__.from_config(config)
    for layer in model.layers:
        target = merged.get_layer(layer.name)
        if getattr(layer, "lora_enabled", False):
            weights = [keras.ops.convert_to_numpy(layer.kernel)]
            if layer.bias is not None:
                weights.append(keras.ops.convert_to_numpy(layer.bias))
            target.set_weights(weights)
        elif layer.weights:
            target.set_weights(layer.get_weights())
    return merged
