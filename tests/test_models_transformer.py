"""Transformer layers and builders: equal to NumPy by hand, masks, KV cache, save/load."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import dlguide
from dlguide import models, scratch

TOL = 1e-5


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=np.float64)


def _randomise(layer, seed=0, scale=0.3):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=scale, size=w.shape) for w in layer.get_weights()])


# --- the layers, by hand ------------------------------------------------------------


def _block_by_hand(block, X, causal):
    """A pre- or post-norm block in NumPy, from the Keras block's weights."""
    mha = scratch.MultiHeadAttention(block.width, block.num_heads, block.head_dim)
    mha.set_weights(block.attention.get_weights())

    def norm(layer, x):
        gamma, beta = layer.get_weights()
        return scratch.layer_norm(x, gamma, beta, epsilon=block.epsilon)

    def ffn(x):
        W1, b1 = block.ffn_hidden.get_weights()
        W2, b2 = block.ffn_output.get_weights()
        return scratch.gelu(x @ W1 + b1) @ W2 + b2

    if block.norm_first:
        H = X + mha(norm(block.norm_attention, X), causal=causal)
        return H + ffn(norm(block.norm_ffn, H))
    H = norm(block.norm_attention, X + mha(X, causal=causal))
    return norm(block.norm_ffn, H + ffn(H))


@pytest.mark.parametrize("norm_first", [True, False])
@pytest.mark.parametrize("causal", [False, True])
def test_transformer_block_equals_numpy_by_hand(norm_first, causal):
    X = np.random.default_rng(1).normal(size=(2, 6, 8)).astype("float32")
    block = models.TransformerBlock(2, 16, causal=causal, norm_first=norm_first)
    block(X)
    _randomise(block)
    assert np.abs(_np(block(X)) - _block_by_hand(block, X.astype(float), causal)).max() < TOL


def test_block_attention_weights_equal_numpy():
    X = np.random.default_rng(2).normal(size=(1, 5, 8)).astype("float32")
    block = models.TransformerBlock(4, 16, causal=True, norm_first=False)
    block(X)
    _randomise(block)
    _, weights = block(X, return_attention_scores=True)
    mha = scratch.MultiHeadAttention(8, 4)
    mha.set_weights(block.attention.get_weights())
    mha(X, causal=True)
    assert np.abs(_np(weights) - mha.attention_weights).max() < TOL


def test_attention_helper_equals_keras_with_a_mask():
    rng = np.random.default_rng(3)
    q, k, v = (rng.normal(size=(2, 4, 2, 3)).astype("float32") for _ in range(3))
    mask = np.array([[True, True, False, False], [True, True, True, True]])[:, None, None, :]
    ours = models.attention(q, k, v, mask)
    reference = keras.ops.dot_product_attention(q, k, v, mask=mask)
    assert np.abs(_np(ours) - _np(reference)).max() < TOL


def test_padding_does_not_change_the_real_positions():
    model = models.transformer_classifier(
        50, 8, embedding_dim=8, num_heads=2, dropout=0.0, classes=2
    )
    a = np.array([[5, 6, 7, 0, 0, 0, 0, 0]])
    embedding, block = model.get_layer("embedding"), model.get_layer("block_1")
    outputs = []
    for ids in (a, a[:, :3]):
        x = embedding(ids)
        outputs.append(_np(block(x, mask=embedding.compute_mask(ids)))[0, :3])
    assert np.abs(outputs[0] - outputs[1]).max() < TOL


def test_causal_language_model_never_looks_ahead():
    model = models.transformer_language_model(30, 10, embedding_dim=8, num_heads=2)
    a = _np(model(np.array([[1, 2, 3, 4, 5]])))
    b = _np(model(np.array([[1, 2, 3, 9, 8]])))
    assert np.abs(a[0, :3] - b[0, :3]).max() < 1e-6 and np.abs(a[0, 3] - b[0, 3]).max() > 1e-4
    bert = models.transformer_language_model(30, 10, causal=False, embedding_dim=8, num_heads=2)
    a, b = _np(bert(np.array([[1, 2, 3, 4, 5]]))), _np(bert(np.array([[1, 2, 3, 9, 8]])))
    assert np.abs(a[0, 0] - b[0, 0]).max() > 1e-4  # an encoder sees the whole sequence


def test_sinusoidal_embedding_adds_the_scratch_encoding():
    layer = models.TokenAndPositionEmbedding(20, 12, 6, positions="sinusoidal")
    ids = np.array([[3, 3, 3, 3]])
    out = _np(layer(ids))
    token = _np(layer.token_embedding(ids))
    assert np.abs(out - token - scratch.positional_encoding(12, 6)[:4]).max() < 1e-6
    shifted = _np(layer(ids, start_index=5))
    assert np.abs(shifted - token - scratch.positional_encoding(12, 6)[5:9]).max() < 1e-6
    assert layer.count_params() == 20 * 6  # nothing learned for the positions


def test_rotary_block_scores_depend_on_offsets_only():
    # Same token everywhere: with rotary positions, a query's score for a key depends on
    # their distance only, so every row of the score matrix is a shifted copy.
    block = models.TransformerBlock(1, 8, rotary=True, norm_first=False)
    x = np.tile(np.random.default_rng(4).normal(size=(1, 1, 8)), (1, 6, 1)).astype("float32")
    block(x)
    _randomise(block)
    _, weights = block(x, return_attention_scores=True)
    layer = block.attention
    q = _np(models.rotate(layer.query_dense(x)))[0, :, 0]
    k = _np(models.rotate(layer.key_dense(x)))[0, :, 0]
    scores = q @ k.T
    for offset in range(-4, 5):
        diagonal = np.diagonal(scores, offset)
        assert np.allclose(diagonal, diagonal[0], atol=1e-4)
    assert _np(weights).shape == (1, 1, 6, 6)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"norm_first": False},
        {"positions": "rotary"},
        {"positions": "sinusoidal", "classifier_activation": None},
    ],
    ids=["pre-norm", "post-norm", "rotary", "sinusoidal-logits"],
)
def test_kv_cache_gives_the_same_outputs_and_text(options):
    keras.utils.set_random_seed(0)
    model = models.transformer_language_model(
        25, 24, embedding_dim=16, num_heads=2, num_blocks=2, **options
    )
    for layer in model.layers:
        if layer.weights:
            _randomise(layer, scale=0.2)
    ids = np.array([[3, 1, 4, 1, 5, 9, 2, 6]], dtype="int32")
    full = _np(model(ids))
    # one token at a time through the cache gives every position's output
    embedding = model.get_layer("embedding")
    blocks = [layer for layer in model.layers if isinstance(layer, models.TransformerBlock)]
    caches = [block.empty_cache(1) for block in blocks]
    for t in range(ids.shape[1]):
        x = embedding(ids[:, t : t + 1], start_index=t)
        for i, block in enumerate(blocks):
            x, caches[i] = block(x, cache=caches[i])
        if "final_norm" in [layer.name for layer in model.layers]:
            x = model.get_layer("final_norm")(x)
        step = _np(model.get_layer("output")(x))[0, 0]
        assert np.abs(step - full[0, t]).max() < 1e-4
    assert tuple(caches[0][0].shape) == (1, 8, 2, 8)
    with_cache = models.generate_tokens(model, ids[0], 12, seed=1)
    without = models.generate_tokens(model, ids[0], 12, seed=1, use_cache=False)
    assert with_cache.tolist() == without.tolist()


def test_generate_tokens_counts_the_work_per_token():
    model = models.transformer_language_model(10, 20, embedding_dim=8, num_heads=2, num_blocks=3)
    prompt = np.array([[1, 2, 3, 4], [4, 3, 2, 1]])
    ids, work = models.generate_tokens(model, prompt, 6, return_work=True)
    _, slow = models.generate_tokens(model, prompt, 6, use_cache=False, return_work=True)
    assert ids.shape == (2, 10) and np.array_equal(ids[:, :4], prompt)
    lengths = np.arange(4, 10)  # the sequence length when each new token is chosen
    assert work["positions"].tolist() == [4, 1, 1, 1, 1, 1]
    assert slow["positions"].tolist() == lengths.tolist()
    heads = 3 * 2  # 3 blocks of 2 heads
    assert work["scores"].tolist() == [heads * 16, *(heads * lengths[1:])]
    assert slow["scores"].tolist() == (heads * lengths**2).tolist()


def test_generate_tokens_is_greedy_at_temperature_zero():
    model = models.transformer_language_model(12, 16, embedding_dim=8, num_heads=2)
    a = models.generate_tokens(model, [1, 2], 5, temperature=0.0, seed=1)
    b = models.generate_tokens(model, [1, 2], 5, temperature=0.0, seed=2)
    assert a.tolist() == b.tolist()
    probabilities = _np(model(np.array([a[:-1]])))
    assert a[-1] == probabilities[0, -1].argmax()


# --- builders --------------------------------------------------------------------------


def test_classifier_counts_and_names():
    model = models.transformer_classifier(
        100, 16, embedding_dim=8, num_heads=2, ff_dim=32, classes=3
    )
    block = 4 * (8 * 8 + 8) + (8 * 32 + 32 + 32 * 8 + 8) + 2 * 2 * 8
    embedding = 100 * 8 + 16 * 8
    assert model.count_params() == embedding + block + 2 * 8 + 8 * 3 + 3
    assert model.output_shape == (None, 3)
    probabilities = _np(model(np.array([[5, 6, 7] + [0] * 13])))
    assert np.allclose(probabilities.sum(-1), 1, atol=1e-6)
    post = models.transformer_classifier(
        100, 16, embedding_dim=8, num_heads=2, norm_first=False, classes=2
    )
    assert "final_norm" not in [layer.name for layer in post.layers]


def test_masked_lm_weights_transfer_to_the_classifier():
    bert = models.transformer_language_model(
        50, 12, causal=False, embedding_dim=8, num_heads=2, num_blocks=2, mask_zero=True
    )
    classifier = models.transformer_classifier(
        50, 12, embedding_dim=8, num_heads=2, num_blocks=2, classes=2
    )
    for name in ("embedding", "block_1", "block_2", "final_norm"):
        classifier.get_layer(name).set_weights(bert.get_layer(name).get_weights())
    ids = np.array([[4, 5, 6, 0]])
    a = bert.get_layer("final_norm")(
        bert.get_layer("block_2")(bert.get_layer("block_1")(bert.get_layer("embedding")(ids)))
    )
    b = classifier.get_layer("final_norm")(
        classifier.get_layer("block_2")(
            classifier.get_layer("block_1")(classifier.get_layer("embedding")(ids))
        )
    )
    assert np.abs(_np(a) - _np(b)).max() < 1e-6


def test_seq2seq_decoder_is_causal_and_reads_the_source():
    model = models.transformer_seq2seq(20, 30, 8, 9, embedding_dim=8, num_heads=2, num_blocks=1)
    source = np.array([[3, 4, 5, 0]])
    a = _np(model([source, np.array([[1, 7, 8, 9]])]))
    b = _np(model([source, np.array([[1, 7, 2, 2]])]))
    c = _np(model([np.array([[6, 4, 5, 0]]), np.array([[1, 7, 8, 9]])]))
    assert np.abs(a[0, :2] - b[0, :2]).max() < 1e-6
    assert np.abs(a[0, 0] - c[0, 0]).max() > 1e-4


@pytest.mark.parametrize("attention", [None, "additive", "dot"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_rnn_seq2seq(attention, cell):
    model = models.rnn_seq2seq(20, 30, units=8, embedding_dim=4, cell=cell, attention=attention)
    out = _np(model([np.array([[3, 4, 5, 0]]), np.array([[1, 7, 8]])]))
    assert out.shape == (1, 3, 30) and np.allclose(out.sum(-1), 1, atol=1e-5)
    if attention:
        weights = models.attention_weights(model, np.array([[3, 4, 5, 0]]), np.array([[1, 7]]))
        assert weights.shape == (1, 2, 4)
        assert np.allclose(weights.sum(-1), 1, atol=1e-5) and np.all(weights[..., 3] == 0)


def test_greedy_decode_stops_at_the_end_token():
    script = {1: 5, 2: 6, 3: 2}  # after 1 or 2 tokens decoded, emit 5 then 6, then the end (2)

    def fake_model(inputs, training=False):
        source, target = inputs
        steps = target.shape[1]
        out = np.zeros((len(source), steps, 8))
        out[:, -1, script.get(steps, 2)] = 1
        return out

    ids = models.greedy_decode(
        fake_model, np.ones((3, 4), int), start_id=1, end_id=2, max_length=6, batch_size=2
    )
    assert ids.tolist() == [[5, 6, 0, 0, 0, 0]] * 3


def test_flat_exports():
    for name in (
        "transformer_classifier",
        "transformer_language_model",
        "transformer_seq2seq",
        "rnn_seq2seq",
        "generate_tokens",
        "greedy_decode",
        "TransformerBlock",
        "TokenAndPositionEmbedding",
        "attention",
        "rotate",
        "attention_weights",
    ):
        assert getattr(dlguide, name) is getattr(models, name)


# --- serialisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: models.transformer_classifier(
            40, 6, embedding_dim=8, num_heads=2, positions="sinusoidal", norm_first=False, classes=2
        ),
        lambda: models.transformer_language_model(
            40, 6, embedding_dim=8, num_heads=2, positions="rotary", dropout=0.1
        ),
        lambda: models.transformer_seq2seq(
            40, 30, 6, 6, embedding_dim=8, num_heads=2, num_blocks=1
        ),
        lambda: models.rnn_seq2seq(40, 30, units=8, attention="additive"),
    ],
    ids=["classifier", "language_model", "seq2seq", "rnn_seq2seq"],
)
def test_save_and_load_round_trip(build, tmp_path):
    model = build()
    ids = np.array([[5, 6, 7, 8, 0, 0]])
    inputs = ids if len(model.inputs) == 1 else [ids, ids[:, :4]]
    before = _np(model(inputs))
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert np.abs(_np(loaded(inputs)) - before).max() < 1e-6
    assert [type(layer).__name__ for layer in loaded.layers] == [
        type(layer).__name__ for layer in model.layers
    ]


def test_layer_configs_round_trip():
    block = models.TransformerBlock(
        2,
        12,
        key_dim=4,
        dropout=0.2,
        causal=True,
        norm_first=False,
        cross_attention=True,
        rotary=True,
        activation="relu",
        epsilon=1e-6,
        name="b",
    )
    again = models.TransformerBlock.from_config(block.get_config())
    assert again.get_config() == block.get_config()
    embedding = models.TokenAndPositionEmbedding(9, 4, 2, positions="none", mask_zero=True)
    again = models.TokenAndPositionEmbedding.from_config(embedding.get_config())
    assert again.get_config() == embedding.get_config()
    assert keras.saving.get_registered_name(models.TransformerBlock) == "dlguide>TransformerBlock"


# --- errors ------------------------------------------------------------------------------


def _lm(**kwargs):
    return models.transformer_language_model(20, 8, embedding_dim=8, num_heads=2, **kwargs)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: models.TransformerBlock(0, 8), "Received: num_heads=0"),
        (lambda: models.TransformerBlock(2, 8, dropout=1.0), "Received: dropout=1.0"),
        (lambda: models.TransformerBlock(2, 8, activation="nope"), "Received: activation='nope'"),
        (lambda: models.TransformerBlock(3, 8)(np.ones((1, 2, 8))), "divisible by num_heads=3"),
        (lambda: models.TransformerBlock(2, 8, rotary=True)(np.ones((1, 2, 6))), "even key_dim"),
        (
            lambda: models.TransformerBlock(2, 8, cross_attention=True)(np.ones((1, 2, 8))),
            "Expected a context",
        ),
        (
            lambda: models.TokenAndPositionEmbedding(10, 4, 2, positions="rope"),
            "Received: positions='rope'",
        ),
        (lambda: models.TokenAndPositionEmbedding(10, 0, 2), "Received: sequence_length=0"),
        (lambda: models.transformer_classifier(0, 8, classes=2), "Received: vocabulary_size=0"),
        (
            lambda: models.transformer_classifier(10, 8, embedding_dim=6, num_heads=4, classes=2),
            "Received: embedding_dim=6",
        ),
        (lambda: models.transformer_classifier(10, 8, classes=1), "with classes=1"),
        (lambda: models.transformer_classifier(10, 8, classes=0), "Received: classes=0"),
        (
            lambda: models.transformer_classifier(10, 8, classifier_activation="nope", classes=2),
            "Received: classifier_activation='nope'",
        ),
        (
            lambda: models.transformer_classifier(10, 8, num_blocks=0, classes=2),
            "Received: num_blocks=0",
        ),
        (lambda: models.transformer_classifier(10, 8, name="", classes=2), "Received: name=''"),
        (
            lambda: models.transformer_language_model(
                9, 8, embedding_dim=6, num_heads=2, positions="rotary"
            ),
            "positions='rotary'",
        ),
        (lambda: _lm(causal="yes"), "Received: causal='yes'"),
        (lambda: _lm(ff_dim=0), "Received: ff_dim=0"),
        (lambda: _lm(classifier_activation="sigmoid"), "classifier_activation='sigmoid'"),
        (lambda: _lm(norm_first=1), "Received: norm_first=1"),
        (lambda: models.transformer_seq2seq(10, 10, 0, 5), "Received: source_length=0"),
        (
            lambda: models.transformer_seq2seq(10, 10, 5, 5, classifier_activation="relu"),
            "classifier_activation='relu'",
        ),
        (lambda: models.rnn_seq2seq(10, 10, attention="luong"), "Received: attention='luong'"),
        (lambda: models.rnn_seq2seq(10, 10, cell="simple"), "Received: cell='simple'"),
        (lambda: models.rnn_seq2seq(10, 10, units=0), "Received: units=0"),
        (
            lambda: models.rnn_seq2seq(10, 10, classifier_activation="tanh"),
            "classifier_activation='tanh'",
        ),
        (
            lambda: models.attention_weights(models.rnn_seq2seq(10, 10), [[1]], [[1]]),
            "layer named 'attention'",
        ),
        (
            lambda: models.greedy_decode(
                models.rnn_seq2seq(10, 10), [1, 2], start_id=1, end_id=2, max_length=3
            ),
            "Expected a 2-D array",
        ),
        (
            lambda: models.greedy_decode(
                models.rnn_seq2seq(10, 10), [[1]], start_id=-1, end_id=2, max_length=3
            ),
            "Received: start_id=-1",
        ),
        (lambda: models.generate_tokens(_lm(causal=False), [1], 2), "causal=True"),
        (lambda: models.generate_tokens(models.rnn_seq2seq(5, 5), [1], 2), "decoder-only"),
        (lambda: models.generate_tokens(_lm(), [1, 20], 2), "prompt_ids=[1, 20]"),
        (lambda: models.generate_tokens(_lm(), [1, 2], 7), "Received: num_tokens=7"),
        (
            lambda: models.generate_tokens(_lm(), [1], 2, temperature=-1.0),
            "Received: temperature=-1.0",
        ),
        (lambda: models.generate_tokens(_lm(), [1], 2, seed=-1), "Received: seed=-1"),
        (lambda: models.generate_tokens(_lm(), [1], 2, use_cache=None), "use_cache=None"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
