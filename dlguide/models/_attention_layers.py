"""Transformer layers: token + position embedding and the transformer block.

Both are serialisable Keras layers (`get_config`, registered under the
`dlguide` package) written with `keras.ops`, so they run on every backend.
The block's attention reuses a `keras.layers.MultiHeadAttention` for its
weights (the same layout as `dlguide.scratch.MultiHeadAttention`) and computes
the attention itself, which lets it add rotary positions and a key/value cache.
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np
from keras import ops

from .._validation import (
    check_activation,
    check_bool,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from ..scratch import positional_encoding

POSITIONS = ("learned", "sinusoidal", "none")
# A masked score: exp() of it is 0 next to any real score (float32-safe).
_MASKED = -1e9


def attention(
    query: Any, key: Any, value: Any, mask: Any = None, *, return_weights: bool = False
) -> Any:
    """Scaled dot-product attention of several heads, with `keras.ops`.

    The computation of `keras.ops.dot_product_attention` (same layout,
    `(batch, steps, heads, depth)`), written out so that it also returns the
    weights and runs on every backend: `softmax(Q K^T / sqrt(depth)) V` per
    head. `TransformerBlock` calls it; reuse it in attention variants.

    Args:
        query: Shape `(batch, num_queries, heads, depth)`.
        key: Shape `(batch, num_keys, heads, depth)`.
        value: Shape `(batch, num_keys, heads, value_depth)`.
        mask: `None`, or a boolean tensor broadcastable to
            `(batch, heads, num_queries, num_keys)`, `True` = may attend.
        return_weights: Also return the weights,
            `(batch, heads, num_queries, num_keys)`.

    Returns:
        The output, shape `(batch, num_queries, heads, value_depth)`, or
        `(output, weights)`.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import attention
        >>> rng = np.random.default_rng(0)
        >>> q, k, v = (rng.normal(size=(2, 5, 3, 4)).astype("float32")
        ...            for _ in range(3))
        >>> ours = keras.ops.convert_to_numpy(attention(q, k, v))
        >>> keras_ = keras.ops.convert_to_numpy(
        ...     keras.ops.dot_product_attention(q, k, v))
        >>> bool(np.abs(ours - keras_).max() < 1e-5)
        True
    """
    depth = query.shape[-1]
    scores = ops.einsum("btnh,bsnh->bnts", query, key) / math.sqrt(depth)
    if mask is not None:
        scores = ops.where(mask, scores, ops.cast(_MASKED, scores.dtype))
    # softmax over the keys, written out (ops.softmax warns when there is a single key)
    weights = ops.exp(scores - ops.max(scores, axis=-1, keepdims=True))
    weights = weights / ops.sum(weights, axis=-1, keepdims=True)
    output = ops.einsum("bnts,bsnh->btnh", weights, value)
    return (output, weights) if return_weights else output


def rotate(x: Any, start_index: Any = 0, *, base: float = 10000.0) -> Any:
    """Apply rotary position embedding (RoPE) to queries or keys, with `keras.ops`.

    The Keras version of `dlguide.scratch.rotary_embedding`: each pair of
    features `(x[2i], x[2i + 1])` at position `m` is rotated by the angle
    `m * base^(-2i / depth)`.

    Args:
        x: Shape `(batch, steps, heads, depth)`, `depth` even.
        start_index: Position of the first step (the number of cached steps
            when decoding with a key/value cache).
        base: Controls the slowest rotation.

    Returns:
        A tensor of the shape of `x`.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide import scratch
        >>> from dlguide.models import rotate
        >>> x = np.random.default_rng(0).normal(size=(1, 6, 1, 8))
        >>> x = x.astype("float32")
        >>> ours = keras.ops.convert_to_numpy(rotate(x, start_index=3))[0, :, 0]
        >>> reference = scratch.rotary_embedding(x[0, :, 0],
        ...                                      positions=np.arange(3, 9))
        >>> bool(np.abs(ours - reference).max() < 1e-5)
        True
    """
    shape = ops.shape(x)
    depth = x.shape[-1]
    positions = ops.cast(ops.arange(shape[1]) + start_index, "float32")
    theta = ops.convert_to_tensor(base ** (-np.arange(0, depth, 2) / depth), "float32")
    angles = positions[:, None] * theta[None, :]  # (steps, depth / 2)
    cos = ops.cast(ops.cos(angles), x.dtype)[None, :, None, :]
    sin = ops.cast(ops.sin(angles), x.dtype)[None, :, None, :]
    pairs = ops.reshape(x, (shape[0], shape[1], shape[2], depth // 2, 2))
    even, odd = pairs[..., 0], pairs[..., 1]
    rotated = ops.stack([even * cos - odd * sin, even * sin + odd * cos], axis=-1)
    return ops.reshape(rotated, shape)


@keras.saving.register_keras_serializable(package="dlguide")
class TokenAndPositionEmbedding(keras.layers.Layer):
    """Token embedding plus position embedding: what a transformer reads.

    Attention treats its input as a set: without positions, "dog bites man"
    and "man bites dog" look the same. This layer looks up a learned vector
    for each token id and adds a vector for its position: learned (BERT,
    GPT-2), the fixed sinusoids of Vaswani et al. (2017), or nothing
    (`"none"`, for models whose attention adds positions itself, such as
    rotary embeddings in `TransformerBlock(rotary=True)`).

    Args:
        vocabulary_size: Number of token ids.
        sequence_length: Largest number of positions.
        embedding_dim: Size of each vector, the model's width.
        positions: `"learned"`, `"sinusoidal"` or `"none"`.
        mask_zero: Treat id 0 as padding: the layer then returns a Keras
            mask, which `TransformerBlock` and pooling layers honour.
        **kwargs: Standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: Integer ids, shape `(batch, steps)`, `steps <= sequence_length`.
        start_index: Position of the first step (`> 0` for new tokens read
            after a key/value cache).

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import TokenAndPositionEmbedding
        >>> layer = TokenAndPositionEmbedding(100, 16, 8, mask_zero=True)
        >>> ids = np.array([[5, 7, 9, 0]])
        >>> mask = keras.ops.convert_to_numpy(layer.compute_mask(ids))
        >>> tuple(layer(ids).shape), mask
        ((1, 4, 8), array([[ True,  True,  True, False]]))
        >>> layer.count_params()  # 100 * 8 token vectors + 16 * 8 position vectors
        928
    """

    def __init__(
        self,
        vocabulary_size: int,
        sequence_length: int,
        embedding_dim: int,
        *,
        positions: str = "learned",
        mask_zero: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size")
        self.sequence_length = check_positive_int(sequence_length, "sequence_length")
        self.embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
        self.positions = check_choice(positions, "positions", POSITIONS)
        self.mask_zero = check_bool(mask_zero, "mask_zero")
        self.token_embedding = keras.layers.Embedding(
            self.vocabulary_size, self.embedding_dim, name="token_embedding"
        )
        self.position_embedding = None
        if self.positions == "learned":
            self.position_embedding = keras.layers.Embedding(
                self.sequence_length, self.embedding_dim, name="position_embedding"
            )
        self.supports_masking = self.mask_zero

    def build(self, inputs_shape: Any) -> None:
        self.token_embedding.build(inputs_shape)
        if self.position_embedding is not None:
            self.position_embedding.build((None,))
        if self.positions == "sinusoidal":
            table = positional_encoding(self.sequence_length, self.embedding_dim)
            self._table = ops.convert_to_tensor(table, dtype=self.compute_dtype)
        self.built = True

    def call(self, inputs: Any, start_index: Any = 0) -> Any:
        inputs = ops.cast(inputs, "int32")
        x = self.token_embedding(inputs)
        if self.positions == "none":
            return x
        positions = ops.arange(ops.shape(inputs)[1]) + start_index
        if self.position_embedding is not None:
            return x + self.position_embedding(positions)[None]
        return x + ops.take(self._table, positions, axis=0)[None]

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, inputs_shape: Any) -> tuple[Any, ...]:
        return (*inputs_shape, self.embedding_dim)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "sequence_length": self.sequence_length,
            "embedding_dim": self.embedding_dim,
            "positions": self.positions,
            "mask_zero": self.mask_zero,
        }


def _attend(query: Any, key: Any, value: Any, mask: Any, weights: bool) -> tuple[Any, Any]:
    """`attention`, or Keras' fused `dot_product_attention` when the weights are not needed."""
    if weights:
        return attention(query, key, value, mask, return_weights=True)
    return ops.dot_product_attention(query, key, value, mask=mask), None


def _key_mask(mask: Any) -> Any:
    """A Keras padding mask `(batch, keys)` as an attention mask `(batch, 1, 1, keys)`."""
    return ops.cast(mask, "bool")[:, None, None, :]


def _causal(num_queries: Any, num_keys: Any) -> Any:
    """Query i (the last `num_queries` of `num_keys` positions) sees keys 0 .. its position."""
    rows = ops.arange(num_queries)[:, None] + (num_keys - num_queries)
    return (ops.arange(num_keys)[None, :] <= rows)[None, None]


def _and(a: Any, b: Any) -> Any:
    if a is None:
        return b
    return a if b is None else ops.logical_and(a, b)


@keras.saving.register_keras_serializable(package="dlguide")
class TransformerBlock(keras.layers.Layer):
    """One transformer block: self-attention and a feed-forward network, each with a residual.

    An encoder block (`causal=False`) lets every position attend to every
    other one (BERT); a decoder block (`causal=True`) lets position `i`
    attend to positions `0 .. i` only, so it can be trained to predict the
    next token at every position at once (GPT). With
    `cross_attention=True` the block also attends to a `context` (the
    encoder's output in an encoder-decoder model) between the two.

    Each sub-layer `f` (attention, cross-attention, feed-forward) sits on a
    residual connection with layer normalisation:

    - `norm_first=True` (pre-norm, GPT-2 and most models since):
      `x + f(norm(x))`; stack a final `LayerNormalization` after the last
      block. Trains stably without a learning-rate warm-up (Xiong et al.,
      2020).
    - `norm_first=False` (post-norm, the original transformer and BERT):
      `norm(x + f(x))`.

    The feed-forward network is `Dense(ff_dim, activation)` then
    `Dense(width)`, applied to each position on its own. Dropout, if any,
    is applied to each sub-layer's output before the residual addition.

    The attention weights live in `block.attention` (a
    `keras.layers.MultiHeadAttention`, whose weights
    `dlguide.scratch.MultiHeadAttention.set_weights` accepts); the block
    computes the attention with `attention`, so it can also rotate queries
    and keys (`rotary=True`, RoPE) and read a key/value cache.

    Args:
        num_heads: Number of attention heads.
        ff_dim: Units of the feed-forward network's hidden layer (usually 4
            times the width).
        key_dim: Size of each head; `width // num_heads` by default (the
            width is the size of the block's input).
        dropout: Dropout rate, in [0, 1).
        causal: Mask the future (a decoder block).
        norm_first: Pre-norm (`True`) or post-norm (`False`).
        cross_attention: Add cross-attention to a `context` (decoder of an
            encoder-decoder).
        rotary: Rotate queries and keys by their positions (RoPE).
        activation: Activation of the feed-forward hidden layer.
        epsilon: Epsilon of the layer normalisations.
        **kwargs: Standard layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: Shape `(batch, steps, width)`.
        context: Shape `(batch, context_steps, context_width)`, with
            `cross_attention=True` only.
        mask / inputs_mask / context_mask: Padding masks (Keras fills them in
            from the inputs' masks, e.g. `mask_zero=True` embeddings).
        cache: For decoding one token at a time (eager calls): the
            `(keys, values)` of the earlier positions, each of shape
            `(batch, cached_steps, num_heads, key_dim)`; start from
            `block.empty_cache(batch_size)`. The block then treats `inputs` as
            the positions that follow and also returns the grown cache.
        return_attention_scores: Also return the attention weights
            `(batch, num_heads, steps, keys)` (a tuple `(self, cross)` with
            cross-attention).

    A call returns the output, shape `(batch, steps, width)`; with `cache`,
    the tuple `(output, new_cache)`; with `return_attention_scores`, the
    weights come last.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide.models import TransformerBlock
        >>> block = TransformerBlock(num_heads=2, ff_dim=32, causal=True)
        >>> x = np.random.default_rng(0).normal(size=(1, 5, 8)).astype("float32")
        >>> y, weights = block(x, return_attention_scores=True)
        >>> tuple(y.shape), tuple(weights.shape)  # 2 heads, 5 queries x 5 keys
        ((1, 5, 8), (1, 2, 5, 5))
        >>> weights = keras.ops.convert_to_numpy(weights)
        >>> bool(np.all(np.triu(weights[0, 0], k=1) == 0))  # no peeking ahead
        True
        >>> # attention 4 * (8*8 + 8), feed-forward 8*32 + 32 + 32*8 + 8, 2 norms
        >>> block.count_params()
        872
    """

    def __init__(
        self,
        num_heads: int,
        ff_dim: int,
        *,
        key_dim: int | None = None,
        dropout: float = 0.0,
        causal: bool = False,
        norm_first: bool = True,
        cross_attention: bool = False,
        rotary: bool = False,
        activation: str = "gelu",
        epsilon: float = 1e-5,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.num_heads = check_positive_int(num_heads, "num_heads")
        self.ff_dim = check_positive_int(ff_dim, "ff_dim")
        self.key_dim = None if key_dim is None else check_positive_int(key_dim, "key_dim")
        self.dropout = check_rate(dropout, "dropout")
        self.causal = check_bool(causal, "causal")
        self.norm_first = check_bool(norm_first, "norm_first")
        self.cross_attention = check_bool(cross_attention, "cross_attention")
        self.rotary = check_bool(rotary, "rotary")
        check_activation(activation, "activation", allow_none=False)
        self.activation = activation
        self.epsilon = check_positive_float(epsilon, "epsilon")
        self.supports_masking = True

    def build(self, inputs_shape: Any, context_shape: Any = None) -> None:
        width = inputs_shape[-1]
        if width is None:
            raise ValueError(f"Expected inputs with a known last axis. Received: {inputs_shape}")
        if self.key_dim is None and width % self.num_heads:
            raise ValueError(
                f"Expected a width divisible by num_heads={self.num_heads}, or an explicit "
                f"key_dim. Received: inputs of width {width}"
            )
        key_dim = self.key_dim or width // self.num_heads
        if self.rotary and key_dim % 2:
            raise ValueError(
                f"Expected an even key_dim with rotary=True (features are rotated in pairs). "
                f"Received: key_dim={key_dim}"
            )
        self.head_dim = key_dim
        self.width = width
        self.attention = keras.layers.MultiHeadAttention(
            self.num_heads, key_dim, dtype=self.dtype_policy, name="attention"
        )
        self.attention.build(inputs_shape, inputs_shape)
        self.norm_attention = keras.layers.LayerNormalization(
            epsilon=self.epsilon, dtype=self.dtype_policy, name="norm_attention"
        )
        self.norm_attention.build(inputs_shape)
        if self.cross_attention:
            if context_shape is None:
                raise ValueError("Expected a context with cross_attention=True. Received: None")
            self.cross_attention_layer = keras.layers.MultiHeadAttention(
                self.num_heads, key_dim, dtype=self.dtype_policy, name="cross_attention"
            )
            self.cross_attention_layer.build(inputs_shape, context_shape)
            self.norm_cross_attention = keras.layers.LayerNormalization(
                epsilon=self.epsilon, dtype=self.dtype_policy, name="norm_cross_attention"
            )
            self.norm_cross_attention.build(inputs_shape)
        self.ffn_hidden = keras.layers.Dense(
            self.ff_dim, activation=self.activation, dtype=self.dtype_policy, name="ffn_hidden"
        )
        self.ffn_hidden.build(inputs_shape)
        self.ffn_output = keras.layers.Dense(width, dtype=self.dtype_policy, name="ffn_output")
        self.ffn_output.build((*inputs_shape[:-1], self.ff_dim))
        self.norm_ffn = keras.layers.LayerNormalization(
            epsilon=self.epsilon, dtype=self.dtype_policy, name="norm_ffn"
        )
        self.norm_ffn.build(inputs_shape)
        self.dropout_layer = keras.layers.Dropout(self.dropout, dtype=self.dtype_policy)
        self.built = True

    def empty_cache(self, batch_size: int) -> tuple[Any, Any]:
        """Return an empty key/value cache (zero cached steps) for `batch_size` sequences."""
        shape = (batch_size, 0, self.num_heads, self.head_dim)
        return ops.zeros(shape, dtype=self.compute_dtype), ops.zeros(shape, self.compute_dtype)

    def _self_attention(
        self, x: Any, padding: Any, cache: Any, scores: bool
    ) -> tuple[Any, Any, Any]:
        layer = self.attention
        query, key, value = layer.query_dense(x), layer.key_dense(x), layer.value_dense(x)
        start = 0 if cache is None else ops.shape(cache[0])[1]
        if self.rotary:  # the cached keys were rotated when they were new
            query, key = rotate(query, start), rotate(key, start)
        if cache is not None:
            key = ops.concatenate([cache[0], key], axis=1)
            value = ops.concatenate([cache[1], value], axis=1)
            cache = (key, value)
        mask = None if padding is None else _key_mask(padding)
        if self.causal:
            mask = _and(mask, _causal(ops.shape(query)[1], ops.shape(key)[1]))
        output, weights = _attend(query, key, value, mask, scores)
        return layer.output_dense(output), cache, weights

    def _cross_attention(
        self, x: Any, context: Any, context_mask: Any, scores: bool
    ) -> tuple[Any, Any]:
        layer = self.cross_attention_layer
        query = layer.query_dense(x)
        key, value = layer.key_dense(context), layer.value_dense(context)
        mask = None if context_mask is None else _key_mask(context_mask)
        output, weights = _attend(query, key, value, mask, scores)
        return layer.output_dense(output), weights

    def call(
        self,
        inputs: Any,
        context: Any = None,
        mask: Any = None,
        inputs_mask: Any = None,
        context_mask: Any = None,
        cache: Any = None,
        training: Any = None,
        return_attention_scores: bool = False,
    ) -> Any:
        padding = mask if mask is not None else inputs_mask
        if cache is not None and padding is not None:
            padding = None  # decoding after a cache: the prompt has no padding
        if self.cross_attention and context is None:
            raise ValueError("Expected a context with cross_attention=True. Received: None")
        # Copies without the Keras masks: the padding is applied in the attention itself,
        # and the sub-layers (Dense, LayerNormalization) would only warn about it.
        x = ops.copy(inputs)
        if context is not None:
            context = ops.copy(context)
        scores = []

        def residual(x: Any, norm: Any, sublayer: Any) -> Any:
            if self.norm_first:
                y, extra = sublayer(norm(x))
                return x + self.dropout_layer(y, training=training), extra
            y, extra = sublayer(x)
            return norm(x + self.dropout_layer(y, training=training)), extra

        def self_attention(h: Any) -> Any:
            y, new_cache, weights = self._self_attention(h, padding, cache, return_attention_scores)
            scores.append(weights)
            return y, new_cache

        x, new_cache = residual(x, self.norm_attention, self_attention)
        if self.cross_attention:

            def cross(h: Any) -> Any:
                y, weights = self._cross_attention(
                    h, context, context_mask, return_attention_scores
                )
                scores.append(weights)
                return y, None

            x, _ = residual(x, self.norm_cross_attention, cross)
        x, _ = residual(x, self.norm_ffn, lambda h: (self.ffn_output(self.ffn_hidden(h)), None))
        outputs: list[Any] = [x]
        if cache is not None:
            outputs.append(new_cache)
        if return_attention_scores:
            outputs.append(tuple(scores) if self.cross_attention else scores[0])
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def compute_output_shape(self, inputs_shape: Any, context_shape: Any = None) -> Any:
        return inputs_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "ff_dim": self.ff_dim,
            "key_dim": self.key_dim,
            "dropout": self.dropout,
            "causal": self.causal,
            "norm_first": self.norm_first,
            "cross_attention": self.cross_attention,
            "rotary": self.rotary,
            "activation": self.activation,
            "epsilon": self.epsilon,
        }
