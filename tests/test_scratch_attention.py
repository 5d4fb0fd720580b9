"""dlguide.scratch attention: equal to Keras (<= 1e-5) on the same inputs and weights."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from dlguide import scratch

TOL = 1e-5


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)


@pytest.fixture
def qkv():
    rng = np.random.default_rng(0)
    # (batch, heads, steps, depth) for the scratch code
    Q = rng.normal(size=(2, 3, 5, 4))
    K = rng.normal(size=(2, 3, 7, 4))
    V = rng.normal(size=(2, 3, 7, 6))
    return Q, K, V


def _keras_layout(x):
    """(batch, heads, steps, depth) -> Keras' (batch, steps, heads, depth), float32."""
    return np.transpose(x, (0, 2, 1, 3)).astype("float32")


def test_scaled_dot_product_attention_equals_keras(qkv):
    Q, K, V = qkv
    out, weights = scratch.scaled_dot_product_attention(Q, K, V)
    expected = keras.ops.dot_product_attention(*map(_keras_layout, (Q, K, V)))
    assert np.abs(out - np.transpose(_np(expected), (0, 2, 1, 3))).max() < TOL
    assert np.allclose(weights.sum(-1), 1)


def test_padding_mask_equals_keras(qkv):
    Q, K, V = qkv
    mask = scratch.padding_mask(np.array([7, 3]), 7)  # (batch, 1, keys)
    out, weights = scratch.scaled_dot_product_attention(Q, K, V, mask[:, None])
    expected = keras.ops.dot_product_attention(*map(_keras_layout, (Q, K, V)), mask=mask[:, None])
    assert np.abs(out - np.transpose(_np(expected), (0, 2, 1, 3))).max() < TOL
    assert np.all(weights[1, :, :, 3:] == 0)


def test_causal_mask_equals_keras():
    rng = np.random.default_rng(1)
    Q, K, V = (rng.normal(size=(2, 2, 6, 4)) for _ in range(3))
    out, weights = scratch.scaled_dot_product_attention(Q, K, V, causal=True)
    expected = keras.ops.dot_product_attention(*map(_keras_layout, (Q, K, V)), is_causal=True)
    assert np.abs(out - np.transpose(_np(expected), (0, 2, 1, 3))).max() < TOL
    assert np.all(np.triu(weights[0, 0], k=1) == 0)


def test_causal_with_more_keys_is_the_last_rows_of_the_full_mask():
    rng = np.random.default_rng(2)
    Q, K, V = (rng.normal(size=(1, 6, 4)) for _ in range(3))
    full, _ = scratch.scaled_dot_product_attention(Q, K, V, causal=True)
    last, _ = scratch.scaled_dot_product_attention(Q[:, -2:], K, V, causal=True)
    assert np.allclose(last, full[:, -2:])


def test_fully_masked_row_gives_uniform_weights_not_nan():
    weights = scratch.masked_softmax(np.array([[1.0, 5.0]]), np.array([[False, False]]))
    assert np.allclose(weights, 0.5)


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_equals_keras_given_its_weights(causal):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(2, 5, 8)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    layer(X, X)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.get_weights()])
    mha = scratch.MultiHeadAttention(num_hiddens=8, num_heads=2, key_dim=3)
    mha.set_weights(layer.get_weights())
    expected, scores = layer(X, X, use_causal_mask=causal, return_attention_scores=True)
    assert np.abs(mha(X, causal=causal) - _np(expected)).max() < TOL
    assert np.abs(mha.attention_weights - _np(scores)).max() < TOL
    assert mha.num_params == layer.count_params()
    assert all(
        np.array_equal(a, b) for a, b in zip(mha.get_weights(), layer.get_weights(), strict=True)
    )


def test_multi_head_cross_attention_with_padding_equals_keras():
    rng = np.random.default_rng(4)
    queries = rng.normal(size=(2, 3, 4)).astype("float32")
    memory = rng.normal(size=(2, 6, 4)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    layer(queries, memory)
    mha = scratch.MultiHeadAttention(4, 2)
    mha.set_weights(layer.get_weights())
    mask = scratch.padding_mask(np.array([6, 2]), 6)  # (batch, 1, keys)
    expected = layer(queries, memory, attention_mask=np.broadcast_to(mask, (2, 3, 6)))
    assert np.abs(mha(queries, memory, mask=mask) - _np(expected)).max() < TOL


def test_layer_norm_equals_keras():
    rng = np.random.default_rng(5)
    X = rng.normal(loc=3.0, scale=2.0, size=(4, 6, 10)).astype("float32")
    layer = keras.layers.LayerNormalization()
    layer.build(X.shape)
    gamma, beta = rng.normal(size=10), rng.normal(size=10)
    layer.set_weights([gamma, beta])
    assert np.abs(scratch.layer_norm(X, gamma, beta) - _np(layer(X))).max() < TOL
    layer = keras.layers.LayerNormalization(epsilon=1e-6)
    layer.build(X.shape)
    assert np.abs(scratch.layer_norm(X, epsilon=1e-6) - _np(layer(X))).max() < TOL


def test_positional_encoding_formula():
    P = scratch.positional_encoding(20, 6)
    pos, i = 7, 1  # columns 2 and 3
    angle = pos / 10000 ** (2 * i / 6)
    assert np.isclose(P[pos, 2], np.sin(angle)) and np.isclose(P[pos, 3], np.cos(angle))
    assert scratch.positional_encoding(4, 5).shape == (4, 5)  # odd width: last sine kept


def test_positional_encoding_shift_is_a_linear_map():
    # For each frequency, P[pos + k] is a fixed rotation of P[pos]: the property
    # Vaswani et al. give for why a model can attend by relative position.
    P = scratch.positional_encoding(40, 8)
    k = 5
    M, *_ = np.linalg.lstsq(P[:-k], P[k:], rcond=None)
    assert np.allclose(P[:-k] @ M, P[k:], atol=1e-8)


def test_rotary_scores_depend_only_on_the_offset():
    rng = np.random.default_rng(6)
    q, k = rng.normal(size=(1, 16)), rng.normal(size=(1, 16))

    def score(m, n):
        return float(
            scratch.rotary_embedding(q, positions=[m])[0]
            @ scratch.rotary_embedding(k, positions=[n])[0]
        )

    for offset in (0, 1, 7, -3):
        scores = [score(m + offset, m) for m in (0, 4, 50, 1000)]
        assert np.allclose(scores, scores[0])
    assert not np.isclose(score(3, 0), score(4, 0))


def test_rotary_keeps_lengths_and_position_zero():
    X = np.random.default_rng(7).normal(size=(2, 5, 6))
    R = scratch.rotary_embedding(X)
    assert np.allclose(np.linalg.norm(R, axis=-1), np.linalg.norm(X, axis=-1))
    assert np.allclose(R[:, 0], X[:, 0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: scratch.causal_mask(0), "Received: num_steps=0"),
        (lambda: scratch.causal_mask(3, 2), "Received: num_keys=2"),
        (lambda: scratch.padding_mask([0, 2], 3), "Received: lengths="),
        (lambda: scratch.padding_mask([4], 3), "Received: lengths="),
        (lambda: scratch.masked_softmax([[1.0, 2.0]], np.ones((3, 3), bool)), "mask.shape"),
        (
            lambda: scratch.scaled_dot_product_attention(
                np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 4))
            ),
            "Received: Q.shape=(2, 3), K.shape=(2, 4)",
        ),
        (
            lambda: scratch.scaled_dot_product_attention(
                np.ones((3, 2)), np.ones((2, 2)), np.ones((2, 2)), causal=True
            ),
            "at least as many keys as queries",
        ),
        (lambda: scratch.MultiHeadAttention(10, 3), "Received: num_hiddens=10"),
        (lambda: scratch.MultiHeadAttention(8, 0), "Received: num_heads=0"),
        (lambda: scratch.MultiHeadAttention(8, 2).set_weights([np.ones(3)]), "8 MultiHead"),
        (lambda: scratch.MultiHeadAttention(8, 2)(np.ones((1, 3, 4))), "queries.shape"),
        (lambda: scratch.positional_encoding(5, 0), "Received: num_hiddens=0"),
        (lambda: scratch.rotary_embedding(np.ones((2, 3))), "even last axis"),
        (lambda: scratch.rotary_embedding(np.ones((2, 4)), positions=[1]), "positions.shape"),
        (lambda: scratch.layer_norm(np.ones((2, 3)), gamma=np.ones(4)), "gamma.shape"),
        (lambda: scratch.layer_norm(np.ones((2, 3)), epsilon=0), "Received: epsilon=0"),
        (lambda: scratch.scaled_dot_product_attention([[np.nan]], [[1.0]], [[1.0]]), "NaN"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=None) as info:
        call()
    assert message in str(info.value)
