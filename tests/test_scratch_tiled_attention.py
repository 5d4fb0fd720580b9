"""Tiled attention with an online softmax equals exact attention; bad inputs are named."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.scratch import scaled_dot_product_attention, tiled_attention


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("queries", "keys", "block_size"), [(7, 7, 3), (5, 12, 4), (1, 9, 100)])
def test_tiled_equals_exact(causal, queries, keys, block_size):
    rng = np.random.default_rng(queries + keys)
    Q, K, V = rng.normal(size=(queries, 6)), rng.normal(size=(keys, 6)), rng.normal(size=(keys, 3))
    exact, _ = scaled_dot_product_attention(Q, K, V, causal=causal)
    assert (
        np.abs(tiled_attention(Q, K, V, block_size=block_size, causal=causal) - exact).max() < 1e-12
    )


def test_large_scores_do_not_overflow():
    Q = np.full((4, 2), 300.0)
    K = np.array([[300.0, 300.0], [-300.0, 0.0], [0.0, 0.0], [300.0, 299.0]])
    out = tiled_attention(Q, K, np.eye(4), block_size=1)
    assert np.isfinite(out).all() and np.allclose(out.sum(axis=1), 1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.ones((3, 2)), np.ones((3, 2)), np.ones((3, 2))), {"block_size": 0}, "block_size=0"),
        ((np.ones((3, 2)), np.ones((3, 4)), np.ones((3, 2))), {}, "Expected Q \\(num_queries"),
        ((np.ones((3, 2)), np.ones((2, 2)), np.ones((2, 2))), {"causal": True}, "at least as many"),
        ((np.ones(3), np.ones((3, 2)), np.ones((3, 2))), {}, "Expected a 2-D array"),
        ((np.ones((3, 2)),) * 3, {"causal": 1}, "causal"),
    ],
)
def test_bad_inputs_are_named(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tiled_attention(*args, **kwargs)
