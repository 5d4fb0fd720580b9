"""A mixture-of-experts feed-forward layer with top-k routing and a load-balancing loss."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from .._validation import (
    check_activation,
    check_non_negative_float,
    check_positive_int,
    check_seed,
)


@keras.saving.register_keras_serializable(package="dlguide")
class MixtureOfExperts(keras.layers.Layer):
    """A mixture-of-experts feed-forward layer: each token goes to its top-k experts.

    The layer replaces a transformer's feed-forward network
    `Dense(ff_dim, activation) -> Dense(width)` by `num_experts` such
    networks (the experts) and a router, a `Dense(num_experts)` followed by a
    softmax. Each token is processed by the `top_k` experts with the largest
    router probabilities, and their outputs are summed weighted by those
    probabilities (renormalised to sum to 1 when `top_k > 1`), as in Shazeer
    et al. (2017) and, with `top_k=1`, the Switch Transformer (Fedus et al.,
    2021). The output has the width of the input.

    The load-balancing loss of the Switch Transformer,
    `num_experts * sum_i f_i * P_i` (`f_i`: fraction of the tokens whose
    first choice is expert `i`; `P_i`: mean router probability of expert
    `i`), equals 1 when the tokens are spread evenly and grows as the router
    sends them to a few experts. The layer adds `balance_weight` times it to
    the model's losses (`add_loss`); `balance_weight=0` turns it off.

    For clarity at small sizes every expert is computed for every token and
    the unselected outputs get weight 0; a real implementation dispatches
    each token to its experts only, so the work per token is that of
    `top_k` experts.

    Args:
        num_experts: Number of experts.
        ff_dim: Hidden units of each expert.
        top_k: Experts per token, at most `num_experts`.
        balance_weight: Weight of the load-balancing loss, `>= 0`.
        activation: Activation of the experts' hidden layer.
        seed: Seed of the weights' initialisers (int or None).
        **kwargs: Standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: Shape `(..., width)`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import MixtureOfExperts
        >>> layer = MixtureOfExperts(num_experts=4, ff_dim=16, top_k=2, seed=0)
        >>> x = np.random.default_rng(0).normal(size=(2, 5, 8)).astype("float32")
        >>> tuple(layer(x).shape)
        (2, 5, 8)
        >>> # router 8*4 + 4, experts 4 * (8*16 + 16 + 16*8 + 8)
        >>> layer.count_params()
        1156
        >>> # fraction of tokens per expert (first choice)
        >>> layer.utilisation(x).sum()
        np.float32(1.0)
        >>> len(layer.losses)  # the balancing loss of the last call
        1
    """

    def __init__(
        self,
        num_experts: int,
        ff_dim: int,
        *,
        top_k: int = 1,
        balance_weight: float = 0.01,
        activation: str = "relu",
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_experts = check_positive_int(num_experts, "num_experts")
        self.ff_dim = check_positive_int(ff_dim, "ff_dim")
        self.top_k = check_positive_int(top_k, "top_k")
        if self.top_k > self.num_experts:
            raise ValueError(
                f"Expected top_k <= num_experts={self.num_experts}. Received: top_k={top_k}"
            )
        self.balance_weight = check_non_negative_float(balance_weight, "balance_weight")
        check_activation(activation, "activation", allow_none=False)
        self.activation = activation
        self.seed = check_seed(seed)

    def _initializer(self, offset: int) -> Any:
        seed = None if self.seed is None else self.seed + offset
        return keras.initializers.GlorotUniform(seed=seed)

    def build(self, inputs_shape: Any) -> None:
        width = inputs_shape[-1]
        if width is None:
            raise ValueError(f"Expected inputs with a known last axis. Received: {inputs_shape}")
        experts, hidden = self.num_experts, self.ff_dim
        self.router_kernel = self.add_weight(
            shape=(width, experts), initializer=self._initializer(0), name="router_kernel"
        )
        self.router_bias = self.add_weight(
            shape=(experts,), initializer="zeros", name="router_bias"
        )
        self.hidden_kernel = self.add_weight(
            shape=(experts, width, hidden), initializer=self._initializer(1), name="hidden_kernel"
        )
        self.hidden_bias = self.add_weight(
            shape=(experts, hidden), initializer="zeros", name="hidden_bias"
        )
        self.output_kernel = self.add_weight(
            shape=(experts, hidden, width), initializer=self._initializer(2), name="output_kernel"
        )
        self.output_bias = self.add_weight(
            shape=(experts, width), initializer="zeros", name="output_bias"
        )
        self.built = True

    def route(self, inputs: Any) -> tuple[Any, Any]:
        """Return the router probabilities and the gates, both of shape `(..., num_experts)`.

        The gates are the probabilities of each token's `top_k` experts
        (renormalised when `top_k > 1`) and 0 elsewhere.
        """
        logits = ops.matmul(inputs, self.router_kernel) + self.router_bias
        probabilities = ops.softmax(logits, axis=-1)
        top_values, top_indices = ops.top_k(probabilities, self.top_k)
        if self.top_k > 1:
            top_values = top_values / ops.sum(top_values, axis=-1, keepdims=True)
        one_hot = ops.one_hot(top_indices, self.num_experts, dtype=probabilities.dtype)
        gates = ops.sum(one_hot * top_values[..., None], axis=-2)
        return probabilities, gates

    def balance_loss(self, probabilities: Any) -> Any:
        """The Switch Transformer's load-balancing loss for router probabilities `(..., E)`."""
        flat = ops.reshape(probabilities, (-1, self.num_experts))
        first = ops.one_hot(ops.argmax(flat, axis=-1), self.num_experts, dtype=flat.dtype)
        fraction = ops.mean(first, axis=0)
        mean_probability = ops.mean(flat, axis=0)
        return self.num_experts * ops.sum(fraction * mean_probability)

    def utilisation(self, inputs: Any) -> Any:
        """Fraction of the tokens of `inputs` whose first choice is each expert, as NumPy."""
        probabilities, _ = self.route(ops.convert_to_tensor(inputs, self.compute_dtype))
        flat = ops.reshape(probabilities, (-1, self.num_experts))
        first = ops.one_hot(ops.argmax(flat, axis=-1), self.num_experts)
        return ops.convert_to_numpy(ops.mean(first, axis=0))

    def call(self, inputs: Any) -> Any:
        probabilities, gates = self.route(inputs)
        if self.balance_weight > 0:
            self.add_loss(self.balance_weight * self.balance_loss(probabilities))
        experts, hidden_units = self.num_experts, self.ff_dim
        width = inputs.shape[-1]
        flat = ops.reshape(inputs, (-1, width))  # (tokens, width)
        # every expert's hidden layer in one matrix product: (tokens, experts * ff_dim)
        kernel = ops.reshape(ops.transpose(self.hidden_kernel, (1, 0, 2)), (width, -1))
        hidden = ops.matmul(flat, kernel) + ops.reshape(self.hidden_bias, (-1,))
        hidden = keras.activations.get(self.activation)(hidden)
        hidden = ops.transpose(ops.reshape(hidden, (-1, experts, hidden_units)), (1, 0, 2))
        outputs = ops.matmul(hidden, self.output_kernel) + self.output_bias[:, None, :]
        flat_gates = ops.transpose(ops.reshape(gates, (-1, experts)))  # (experts, tokens)
        mixed = ops.sum(outputs * flat_gates[:, :, None], axis=0)  # (tokens, width)
        return ops.reshape(mixed, ops.shape(inputs))

    def compute_output_shape(self, inputs_shape: Any) -> Any:
        return inputs_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_experts": self.num_experts,
            "ff_dim": self.ff_dim,
            "top_k": self.top_k,
            "balance_weight": self.balance_weight,
            "activation": self.activation,
            "seed": self.seed,
        }
