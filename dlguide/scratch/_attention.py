"""Attention in NumPy: masks, scaled dot-product and multi-head attention, positions, layer norm.

Everything follows the conventions of Keras so the tests can compare the two
on the same inputs and weights: a boolean mask is `True` where a query may
attend to a key (as in `keras.ops.dot_product_attention` and
`keras.layers.MultiHeadAttention`), `MultiHeadAttention` keeps its weights in
the layout of the Keras layer, and `layer_norm` uses the epsilon of
`keras.layers.LayerNormalization`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_array,
    check_bool,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
)
from ._mlp import glorot_uniform

# What a masked score becomes before the softmax: exp() of it is exactly 0 next to any
# real score, and a row whose keys are all masked still gives finite (uniform) weights.
_MASKED = -1e30


def _float_array(value: Any, name: str, min_ndim: int) -> np.ndarray:
    expected = f"Expected an array of finite numbers with at least {min_ndim} dimensions."
    return check_array(value, name, expected, ndims=range(min_ndim, 33))


def _bool_mask(mask: Any) -> np.ndarray:
    try:
        array = np.asarray(mask)
    except (TypeError, ValueError):  # pragma: no cover - asarray accepts almost anything
        array = None
    if array is None or array.dtype == object or array.size == 0:
        raise ValueError(
            f"Expected a boolean array (True = attend), or None. Received: mask={mask!r}"
        )
    return array.astype(bool)


def causal_mask(num_steps: int, num_keys: int | None = None) -> np.ndarray:
    """Return the causal (look-ahead) mask: query `i` may attend to keys `0 .. i` only.

    With `num_keys > num_steps` the queries are the LAST `num_steps` of
    `num_keys` positions, as when a decoder with a key/value cache reads new
    tokens after `num_keys - num_steps` cached ones: query `i` sits at
    position `num_keys - num_steps + i` and sees every key up to there.

    Args:
        num_steps: Number of queries (rows).
        num_keys: Number of keys (columns); `num_steps` by default.

    Returns:
        A boolean array of shape `(num_steps, num_keys)`, `True` = may attend.

    Raises:
        ValueError: If a size is not a positive integer, or
            `num_keys < num_steps`.

    Examples:
        >>> from dlguide.scratch import causal_mask
        >>> causal_mask(3).astype(int)
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]])
        >>> causal_mask(1, 4).astype(int)  # one new token after 3 cached ones
        array([[1, 1, 1, 1]])
    """
    num_steps = check_positive_int(num_steps, "num_steps")
    num_keys = num_steps if num_keys is None else check_positive_int(num_keys, "num_keys")
    if num_keys < num_steps:
        raise ValueError(
            f"Expected num_keys >= num_steps={num_steps}. Received: num_keys={num_keys}"
        )
    offset = num_keys - num_steps
    return np.arange(num_keys)[None, :] <= np.arange(num_steps)[:, None] + offset


def padding_mask(lengths: Any, num_steps: int) -> np.ndarray:
    """Return a key-padding mask: `True` for the real tokens, `False` for the padding.

    Sequences of different lengths are padded to `num_steps` positions; no
    query should attend to the padding. The result has shape
    `(batch_size, 1, num_steps)`, so it broadcasts over every query of a
    score matrix `(batch_size, num_queries, num_steps)`.

    Args:
        lengths: The number of real tokens of each sequence, a 1-D array of
            integers in `[1, num_steps]`.
        num_steps: The padded length.

    Returns:
        A boolean array of shape `(batch_size, 1, num_steps)`.

    Raises:
        ValueError: If `num_steps` is not a positive integer or a length is
            outside `[1, num_steps]`.

    Examples:
        >>> from dlguide.scratch import padding_mask
        >>> padding_mask([2, 4], 4).astype(int)
        array([[[1, 1, 0, 0]],
        <BLANKLINE>
               [[1, 1, 1, 1]]])
    """
    num_steps = check_positive_int(num_steps, "num_steps")
    array = np.asarray(lengths)
    if (
        array.ndim != 1
        or array.size == 0
        or not np.issubdtype(array.dtype, np.integer)
        or array.min() < 1
        or array.max() > num_steps
    ):
        raise ValueError(
            f"Expected a 1-D array of integer lengths in [1, {num_steps}]. "
            f"Received: lengths={lengths!r}"
        )
    return (np.arange(num_steps)[None, :] < array[:, None])[:, None, :]


def masked_softmax(scores: Any, mask: Any = None) -> np.ndarray:
    """Softmax over the last axis that gives weight 0 to masked-out positions.

    The masked scores are replaced by a very large negative number before the
    softmax, so their weight is exactly 0 and the other weights still sum to
    1. A row with every position masked gets equal weights (Keras does the
    same), never NaN.

    Args:
        scores: Attention scores, shape `(..., num_queries, num_keys)`.
        mask: `None`, or a boolean array that broadcasts to `scores`,
            `True` where a query may attend to a key.

    Returns:
        The attention weights, a float64 array of the shape of `scores`;
        every row sums to 1.

    Raises:
        ValueError: If `scores` is not numeric or `mask` does not broadcast.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import masked_softmax
        >>> scores = np.array([[1.0, 2.0, 3.0]])
        >>> masked_softmax(scores, mask=np.array([[True, True, False]])).round(3)
        array([[0.269, 0.731, 0.   ]])
    """
    scores = _float_array(scores, "scores", 1)
    if mask is not None:
        mask = _bool_mask(mask)
        try:
            mask = np.broadcast_to(mask, scores.shape)
        except ValueError:
            raise ValueError(
                f"Expected a mask that broadcasts to the scores' shape {scores.shape}. "
                f"Received: mask.shape={mask.shape}"
            ) from None
        scores = np.where(mask, scores, _MASKED)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=-1, keepdims=True)


def scaled_dot_product_attention(
    Q: Any, K: Any, V: Any, mask: Any = None, *, causal: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Compute `softmax(Q K^T / sqrt(d_k)) V`, with optional padding and causal masks.

    Each query is compared with every key by a dot product, scaled by
    `1 / sqrt(d_k)` so that the scores keep a variance near 1 whatever the
    size `d_k`; the softmax turns a query's scores into weights that sum to
    1, and the output is the weighted average of the values. It is a soft
    lookup: the keys say what each position holds, the query what is
    wanted, the values what is returned. Any number of leading batch axes
    (batch, heads, ...) is allowed.

    Args:
        Q: Queries, shape `(..., num_queries, d_k)`.
        K: Keys, shape `(..., num_keys, d_k)`.
        V: Values, shape `(..., num_keys, d_v)`.
        mask: `None`, or a boolean array broadcastable to
            `(..., num_queries, num_keys)`, `True` = may attend (e.g. from
            `padding_mask`).
        causal: Also apply `causal_mask`: query `i` sees keys `0 .. i` only
            (the last `num_queries` positions if there are more keys).

    Returns:
        `(output, weights)`: the output, shape `(..., num_queries, d_v)`, and
        the attention weights, shape `(..., num_queries, num_keys)`.

    Raises:
        ValueError: If the shapes do not match.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import scaled_dot_product_attention
        >>> K = np.eye(3)  # three keys, one-hot
        >>> V = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
        >>> Q = 10 * K[[1]]  # a query that matches the second key strongly
        >>> output, weights = scaled_dot_product_attention(Q, K, V)
        >>> weights.round(3), output.round(2)
        (array([[0.003, 0.994, 0.003]]), array([[0.02, 1.01]]))
        >>> _, weights = scaled_dot_product_attention(K, K, V, causal=True)
        >>> (weights > 0).astype(int)  # nothing from the future
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]])
    """
    Q = _float_array(Q, "Q", 2)
    K = _float_array(K, "K", 2)
    V = _float_array(V, "V", 2)
    causal = check_bool(causal, "causal")
    if Q.shape[-1] != K.shape[-1] or K.shape[-2] != V.shape[-2]:
        raise ValueError(
            "Expected Q (..., num_queries, d_k), K (..., num_keys, d_k) and V (..., num_keys, "
            f"d_v). Received: Q.shape={Q.shape}, K.shape={K.shape}, V.shape={V.shape}"
        )
    num_queries, num_keys = Q.shape[-2], K.shape[-2]
    if causal and num_keys < num_queries:
        raise ValueError(
            f"Expected at least as many keys as queries with causal=True. Received: "
            f"{num_queries} queries and {num_keys} keys"
        )
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        causal_part = causal_mask(num_queries, num_keys)
        mask = causal_part if mask is None else _bool_mask(mask) & causal_part
    weights = masked_softmax(scores, mask)
    return weights @ V, weights


def tiled_attention(
    Q: Any, K: Any, V: Any, *, block_size: int = 64, causal: bool = False
) -> np.ndarray:
    """Exact attention computed in tiles with an online softmax (the idea of FlashAttention).

    `scaled_dot_product_attention` builds the whole `num_queries x num_keys`
    score matrix. This function never does: it takes the queries
    `block_size` at a time, walks over the keys `block_size` at a time, and
    keeps for each query a running maximum `m`, a running softmax
    denominator `l` and a running weighted sum `O` of the values (Milakov and
    Gimelshein, 2018). When a new block raises the maximum from `m` to
    `m'`, the old sums are rescaled by `exp(m - m')`; at the end `O / l` is
    exactly `softmax(Q K^T / sqrt(d_k)) V`. The largest temporary array is
    `block_size x block_size`, so the memory beyond the inputs and output
    grows with the sequence length instead of its square (Dao et al., 2022,
    do the same in a GPU's fast on-chip memory).

    Args:
        Q: Queries, shape `(num_queries, d_k)`.
        K: Keys, shape `(num_keys, d_k)`.
        V: Values, shape `(num_keys, d_v)`.
        block_size: Queries and keys per tile.
        causal: Query `i` sees keys `0 .. i` only (the last `num_queries`
            positions if there are more keys); tiles entirely in the future
            are skipped.

    Returns:
        The output, shape `(num_queries, d_v)`.

    Raises:
        ValueError: If the shapes do not match or `block_size` is not a
            positive integer.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import (scaled_dot_product_attention,
        ...                              tiled_attention)
        >>> rng = np.random.default_rng(0)
        >>> Q, K, V = (rng.normal(size=(100, 8)) for _ in range(3))
        >>> exact, _ = scaled_dot_product_attention(Q, K, V, causal=True)
        >>> tiled = tiled_attention(Q, K, V, block_size=16, causal=True)
        >>> bool(np.abs(tiled - exact).max() < 1e-12)
        True
        >>> tiled_attention(Q, K, V, block_size=0)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive integer. Received: block_size=0
    """
    block_size = check_positive_int(block_size, "block_size")
    causal = check_bool(causal, "causal")
    Q, K, V = (
        check_array(a, name, "Expected a 2-D array of finite numbers.", ndims=(2,))
        for a, name in ((Q, "Q"), (K, "K"), (V, "V"))
    )
    if Q.shape[1] != K.shape[1] or K.shape[0] != V.shape[0]:
        raise ValueError(
            "Expected Q (num_queries, d_k), K (num_keys, d_k) and V (num_keys, d_v). "
            f"Received: Q.shape={Q.shape}, K.shape={K.shape}, V.shape={V.shape}"
        )
    num_queries, num_keys = Q.shape[0], K.shape[0]
    if causal and num_keys < num_queries:
        raise ValueError(
            f"Expected at least as many keys as queries with causal=True. Received: "
            f"{num_queries} queries and {num_keys} keys"
        )
    offset = num_keys - num_queries  # query i sits at position offset + i
    scale = 1 / np.sqrt(Q.shape[1])
    output = np.empty((num_queries, V.shape[1]), dtype=np.result_type(Q, K, V))
    for q0 in range(0, num_queries, block_size):
        q = Q[q0 : q0 + block_size] * scale
        rows = np.arange(q0, q0 + len(q))[:, None] + offset
        m = np.full((len(q), 1), -np.inf)  # running maximum of each query's scores
        denominator = np.zeros((len(q), 1))  # running sum of exp(score - m)
        weighted = np.zeros((len(q), V.shape[1]))  # running sum of exp(score - m) * value
        last_key = min(num_keys, q0 + len(q) + offset) if causal else num_keys
        for k0 in range(0, last_key, block_size):
            scores = q @ K[k0 : k0 + block_size].T
            if causal:
                columns = np.arange(k0, k0 + scores.shape[1])[None, :]
                scores = np.where(columns <= rows, scores, -np.inf)
            m_new = np.maximum(m, scores.max(axis=1, keepdims=True))
            P = np.exp(scores - m_new)
            correction = np.exp(m - m_new)
            denominator = denominator * correction + P.sum(axis=1, keepdims=True)
            weighted = weighted * correction + P @ V[k0 : k0 + block_size]
            m = m_new
        output[q0 : q0 + len(q)] = weighted / denominator
    return output


def _split_heads(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Project `(batch, steps, num_hiddens)` to `(batch, heads, steps, key_dim)`."""
    return np.einsum("btd,dhk->bhtk", X, W) + b[None, :, None, :]


class MultiHeadAttention:
    """Multi-head attention in NumPy, with the weights of `keras.layers.MultiHeadAttention`.

    Each of the `num_heads` heads projects the queries, keys and values to
    `key_dim` numbers (`W_q`, `W_k`, `W_v` plus biases), runs
    `scaled_dot_product_attention` on them, and the heads' outputs are
    concatenated and projected back to `num_hiddens` numbers by `W_o`. The
    heads can attend to different things (one to the previous word, one to
    the subject of the sentence) at the cost of one attention of size
    `num_heads * key_dim`.

    The weights are stored under the names of the equations, in the layout
    of the Keras layer: `W_q` has shape `(num_hiddens, num_heads, key_dim)`,
    `b_q` `(num_heads, key_dim)` (same for `k` and `v`), `W_o`
    `(num_heads, key_dim, num_hiddens)` and `b_o` `(num_hiddens,)`. So
    `set_weights(keras_layer.get_weights())` makes this class compute what
    the Keras layer computes.

    Args:
        num_hiddens: Size of the queries, keys and values fed in, and of the
            output (Keras infers it from the inputs).
        num_heads: Number of heads.
        key_dim: Size of each head's queries, keys and values;
            `num_hiddens // num_heads` by default.
        seed: Seed of the Glorot-uniform initial weights.

    Attributes:
        params: The weights, a dict `W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o`.
        attention_weights: The weights of the last `forward` call, shape
            `(batch, num_heads, num_queries, num_keys)`.

    Raises:
        ValueError: If an argument is not a positive integer, or
            `num_hiddens` is not divisible by `num_heads` when `key_dim` is
            not given.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import MultiHeadAttention
        >>> mha = MultiHeadAttention(num_hiddens=8, num_heads=2)
        >>> # 3 sequences of 5 tokens
        >>> X = np.random.default_rng(0).normal(size=(3, 5, 8))
        >>> mha(X).shape, mha.attention_weights.shape
        ((3, 5, 8), (3, 2, 5, 5))
        >>> mha.num_params  # 3 * (8*2*4 + 2*4) + (2*4*8 + 8)
        288
    """

    _NAMES = ("W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o")

    def __init__(
        self, num_hiddens: int, num_heads: int, key_dim: int | None = None, *, seed: int = 0
    ) -> None:
        self.num_hiddens = check_positive_int(num_hiddens, "num_hiddens")
        self.num_heads = check_positive_int(num_heads, "num_heads")
        if key_dim is None:
            if self.num_hiddens % self.num_heads:
                raise ValueError(
                    f"Expected num_hiddens divisible by num_heads={self.num_heads}, or an "
                    f"explicit key_dim. Received: num_hiddens={self.num_hiddens}"
                )
            key_dim = self.num_hiddens // self.num_heads
        self.key_dim = check_positive_int(key_dim, "key_dim")
        self.seed = check_non_negative_int(seed, "seed")
        rng = np.random.default_rng(self.seed)
        d, h, k = self.num_hiddens, self.num_heads, self.key_dim
        self.params: dict[str, np.ndarray] = {}
        for name in ("q", "k", "v"):
            self.params[f"W_{name}"] = glorot_uniform(d, h * k, seed=rng).reshape(d, h, k)
            self.params[f"b_{name}"] = np.zeros((h, k))
        self.params["W_o"] = glorot_uniform(h * k, d, seed=rng).reshape(h, k, d)
        self.params["b_o"] = np.zeros(d)
        self.attention_weights: np.ndarray | None = None

    def __repr__(self) -> str:
        return (
            f"MultiHeadAttention(num_hiddens={self.num_hiddens}, num_heads={self.num_heads}, "
            f"key_dim={self.key_dim})"
        )

    def _shapes(self) -> list[tuple[int, ...]]:
        d, h, k = self.num_hiddens, self.num_heads, self.key_dim
        return [(d, h, k), (h, k)] * 3 + [(h, k, d), (d,)]

    @property
    def num_params(self) -> int:
        """Number of parameters, the same as the Keras layer's `count_params()`."""
        return sum(int(np.prod(shape)) for shape in self._shapes())

    def get_weights(self) -> list[np.ndarray]:
        """Return the eight weight arrays in the order of the Keras layer's `get_weights()`.

        Returns:
            `[W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o]`, ready for
            `keras_layer.set_weights`.

        Examples:
            >>> from dlguide.scratch import MultiHeadAttention
            >>> [w.shape for w in MultiHeadAttention(4, 2).get_weights()][-2:]
            [(2, 2, 4), (4,)]
        """
        return [self.params[name].copy() for name in self._NAMES]

    def set_weights(self, weights: Any) -> None:
        """Replace the weights by those of a `keras.layers.MultiHeadAttention`.

        Args:
            weights: `keras_layer.get_weights()` of a built Keras layer with
                the same `num_heads` and `key_dim`, fed `num_hiddens` features.

        Raises:
            ValueError: If there are not eight arrays of the expected shapes.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MultiHeadAttention
            >>> mha = MultiHeadAttention(4, 2)
            >>> mha.set_weights([np.ones(w.shape) for w in mha.get_weights()])
            >>> float(mha.params["b_o"].sum())
            4.0
        """
        shapes = self._shapes()
        try:
            arrays = [np.asarray(w, dtype=np.float64) for w in weights]
        except (TypeError, ValueError):
            arrays = None
        if arrays is None or [a.shape for a in arrays] != shapes:
            got = None if arrays is None else [a.shape for a in arrays]
            raise ValueError(
                f"Expected the 8 MultiHeadAttention weights of shapes {shapes}. "
                f"Received: weights with shapes {got}"
            )
        self.params = dict(zip(self._NAMES, arrays, strict=True))

    def forward(
        self,
        queries: Any,
        keys: Any = None,
        values: Any = None,
        *,
        mask: Any = None,
        causal: bool = False,
    ) -> np.ndarray:
        """Attend from the queries to the keys and values (self-attention by default).

        Args:
            queries: Shape `(batch, num_queries, num_hiddens)`.
            keys: Shape `(batch, num_keys, num_hiddens)`; the queries by
                default (self-attention).
            values: Shape `(batch, num_keys, num_hiddens)`; the keys by default.
            mask: `None`, or a boolean array broadcastable to
                `(batch, num_queries, num_keys)` (`True` = may attend); it
                applies to every head.
            causal: Also mask the future (see `causal_mask`).

        Returns:
            The output, shape `(batch, num_queries, num_hiddens)`. The weights
            of every head are kept in `attention_weights`.

        Raises:
            ValueError: If a shape is wrong.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MultiHeadAttention, padding_mask
            >>> mha = MultiHeadAttention(num_hiddens=4, num_heads=2)
            >>> X = np.random.default_rng(1).normal(size=(2, 3, 4))
            >>> Y = mha(X, mask=padding_mask([3, 1], 3))
            >>> # the 2nd sequence has 1 real token
            >>> mha.attention_weights[1, 0].round(2)
            array([[1., 0., 0.],
                   [1., 0., 0.],
                   [1., 0., 0.]])
        """
        d = self.num_hiddens
        expected = f"Expected an array of finite numbers of shape (batch, steps, {d})."
        shape_ok = lambda shape: shape[-1] == d  # noqa: E731
        queries = check_array(queries, "queries", expected, ndims=(3,), shape_ok=shape_ok)
        keys = (
            queries
            if keys is None
            else check_array(keys, "keys", expected, ndims=(3,), shape_ok=shape_ok)
        )
        values = (
            keys
            if values is None
            else check_array(values, "values", expected, ndims=(3,), shape_ok=shape_ok)
        )
        if keys.shape[:2] != values.shape[:2] or keys.shape[0] != queries.shape[0]:
            raise ValueError(
                "Expected queries, keys and values with the same batch size, and keys and "
                f"values with the same steps. Received: queries.shape={queries.shape}, "
                f"keys.shape={keys.shape}, values.shape={values.shape}"
            )
        p = self.params
        Q = _split_heads(queries, p["W_q"], p["b_q"])
        K = _split_heads(keys, p["W_k"], p["b_k"])
        V = _split_heads(values, p["W_v"], p["b_v"])
        if mask is not None:
            mask = _bool_mask(mask)
            if mask.ndim == 3:  # (batch, queries, keys): the same for every head
                mask = mask[:, None]
        heads, self.attention_weights = scaled_dot_product_attention(Q, K, V, mask, causal=causal)
        return np.einsum("bhtk,hkd->btd", heads, p["W_o"]) + p["b_o"]

    __call__ = forward


def positional_encoding(num_steps: int, num_hiddens: int, *, base: float = 10000.0) -> np.ndarray:
    """Return the sinusoidal positional encoding of Vaswani et al. (2017).

    Position `pos` gets the vector with entries
    `P[pos, 2i] = sin(pos / base^(2i / num_hiddens))` and
    `P[pos, 2i + 1] = cos(pos / base^(2i / num_hiddens))`: each pair of
    columns is a clock turning at its own speed, from one turn every `2 pi`
    positions (`i = 0`) to very slow ones. It is added to the token
    embeddings so that attention, which is blind to order, can tell the
    positions apart. Nothing is learned, and any length works.

    Args:
        num_steps: Number of positions (rows).
        num_hiddens: Size of each encoding (columns), the model's width.
        base: The longest wavelength is `2 pi * base`.

    Returns:
        A float64 array of shape `(num_steps, num_hiddens)`, values in [-1, 1].

    Raises:
        ValueError: If a size is not a positive integer or `base` not positive.

    Examples:
        >>> from dlguide.scratch import positional_encoding
        >>> P = positional_encoding(50, 16)
        >>> P.shape, P[0, :4].tolist()  # position 0: sin 0 = 0, cos 0 = 1
        ((50, 16), [0.0, 1.0, 0.0, 1.0])
    """
    num_steps = check_positive_int(num_steps, "num_steps")
    num_hiddens = check_positive_int(num_hiddens, "num_hiddens")
    base = check_positive_float(base, "base")
    position = np.arange(num_steps)[:, None]
    frequency = base ** (-np.arange(0, num_hiddens, 2) / num_hiddens)
    angles = position * frequency
    P = np.zeros((num_steps, num_hiddens))
    P[:, 0::2] = np.sin(angles)
    P[:, 1::2] = np.cos(angles[:, : num_hiddens // 2])
    return P


def rotary_embedding(X: Any, positions: Any = None, *, base: float = 10000.0) -> np.ndarray:
    """Apply the rotary position embedding (RoPE, Su et al., 2021) to queries or keys.

    The features of each vector are taken in pairs `(x[2i], x[2i + 1])`, and
    the pair at position `m` is rotated by the angle `m * theta_i`, with
    `theta_i = base^(-2i / d)`. A rotation keeps lengths, and the dot product
    of a query rotated by `m` with a key rotated by `n` depends on `m - n`
    only: attention scores see relative positions, and nothing is added to
    the embeddings. Apply it to the queries and the keys of each head, not to
    the values.

    Args:
        X: Vectors of shape `(..., num_steps, d)` with an even `d`, e.g.
            one head's queries `(batch, steps, key_dim)`.
        positions: The position of each step, a 1-D array of length
            `num_steps`; `0, 1, ..., num_steps - 1` by default (pass larger
            ones for tokens read after a key/value cache).
        base: Controls the slowest rotation, as in `positional_encoding`.

    Returns:
        The rotated vectors, a float64 array of the shape of `X`.

    Raises:
        ValueError: If `X` has an odd last axis or `positions` the wrong length.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import rotary_embedding
        >>> rng = np.random.default_rng(0)
        >>> q, k = rng.normal(size=(1, 8)), rng.normal(size=(1, 8))
        >>> def score(m, n):  # query at position m, key at position n
        ...     qm = rotary_embedding(q, positions=[m])
        ...     kn = rotary_embedding(k, positions=[n])
        ...     return float(qm[0] @ kn[0])
        >>> # same offset, same score
        >>> bool(np.isclose(score(5, 2), score(103, 100)))
        True
    """
    X = _float_array(X, "X", 2)
    base = check_positive_float(base, "base")
    num_steps, d = X.shape[-2], X.shape[-1]
    if d % 2:
        raise ValueError(
            f"Expected an even last axis (pairs of features). Received: X.shape={X.shape}"
        )
    if positions is None:
        positions = np.arange(num_steps, dtype=np.float64)
    else:
        positions = check_array(
            positions,
            "positions",
            f"Expected a 1-D array of {num_steps} positions.",
            ndims=(1,),
            shape_ok=lambda shape: shape[0] == num_steps,
        )
    theta = base ** (-np.arange(0, d, 2) / d)
    angles = positions[:, None] * theta  # (num_steps, d / 2)
    cos, sin = np.cos(angles), np.sin(angles)
    even, odd = X[..., 0::2], X[..., 1::2]
    out = np.empty_like(X)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out


def layer_norm(X: Any, gamma: Any = None, beta: Any = None, *, epsilon: float = 1e-3) -> np.ndarray:
    """Normalise each vector over its features, then scale by `gamma` and shift by `beta`.

    `(x - mean(x)) / sqrt(var(x) + epsilon) * gamma + beta`, with the mean and
    the variance taken over the last axis of each example on its own (batch
    normalisation takes them over the batch instead). The default epsilon is
    that of `keras.layers.LayerNormalization`.

    Args:
        X: Shape `(..., num_hiddens)`.
        gamma: Scale, shape `(num_hiddens,)`; ones by default.
        beta: Shift, shape `(num_hiddens,)`; zeros by default.
        epsilon: Added to the variance, for stability.

    Returns:
        A float64 array of the shape of `X`.

    Raises:
        ValueError: If `gamma` or `beta` has the wrong shape.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import layer_norm
        >>> Y = layer_norm(np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 60.0]]))
        >>> Y.mean(axis=-1).round(6), Y.std(axis=-1).round(3)
        (array([0., 0.]), array([0.999, 1.   ]))
    """
    X = _float_array(X, "X", 1)
    epsilon = check_positive_float(epsilon, "epsilon")
    d = X.shape[-1]
    expected = f"Expected a 1-D array of {d} finite numbers."

    def vector(value: Any, name: str, default: float) -> np.ndarray:
        if value is None:
            return np.full(d, default)
        return check_array(value, name, expected, ndims=(1,), shape_ok=lambda s: s == (d,))

    gamma, beta = vector(gamma, "gamma", 1.0), vector(beta, "beta", 0.0)
    mean = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    return (X - mean) / np.sqrt(var + epsilon) * gamma + beta
