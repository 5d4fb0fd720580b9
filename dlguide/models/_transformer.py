"""Transformer builders: a text classifier, a language model (GPT or BERT style), an encoder-decoder.

And `generate_tokens`, which writes with a decoder-only language model, with or
without a key/value cache.
"""

from __future__ import annotations

import weakref
from typing import Any

import keras
import numpy as np

from .._validation import (
    check_bool,
    check_choice,
    check_head,
    check_non_empty_str,
    check_non_negative_float,
    check_non_negative_int,
    check_positive_int,
    check_rate,
)
from ._attention_layers import TokenAndPositionEmbedding, TransformerBlock

_POSITIONS = ("learned", "sinusoidal", "rotary")


def _check_body(
    embedding_dim: Any,
    num_heads: Any,
    ff_dim: Any,
    num_blocks: Any,
    dropout: Any,
    positions: Any,
    norm_first: Any,
) -> tuple[int, int, int, int, float, str, bool]:
    embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
    num_heads = check_positive_int(num_heads, "num_heads")
    if embedding_dim % num_heads:
        raise ValueError(
            f"Expected embedding_dim divisible by num_heads={num_heads} (each head gets "
            f"embedding_dim // num_heads features). Received: embedding_dim={embedding_dim}"
        )
    if positions == "rotary" and (embedding_dim // num_heads) % 2:
        raise ValueError(
            "Expected an even embedding_dim // num_heads with positions='rotary'. "
            f"Received: embedding_dim={embedding_dim}, num_heads={num_heads}"
        )
    ff_dim = 4 * embedding_dim if ff_dim is None else check_positive_int(ff_dim, "ff_dim")
    num_blocks = check_positive_int(num_blocks, "num_blocks")
    dropout = check_rate(dropout, "dropout")
    positions = check_choice(positions, "positions", _POSITIONS)
    norm_first = check_bool(norm_first, "norm_first")
    return embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first


def _embed(
    inputs: Any,
    vocabulary_size: int,
    sequence_length: int,
    embedding_dim: int,
    positions: str,
    dropout: float,
    *,
    mask_zero: bool,
    name: str = "embedding",
) -> Any:
    x = TokenAndPositionEmbedding(
        vocabulary_size,
        sequence_length,
        embedding_dim,
        positions="none" if positions == "rotary" else positions,
        mask_zero=mask_zero,
        name=name,
    )(inputs)
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name=f"{name}_dropout")(x)
    return x


def _blocks(
    x: Any,
    num_blocks: int,
    *,
    num_heads: int,
    ff_dim: int,
    dropout: float,
    positions: str,
    norm_first: bool,
    causal: bool,
    prefix: str = "block",
    context: Any = None,
    final_norm: str = "final_norm",
) -> Any:
    for i in range(1, num_blocks + 1):
        block = TransformerBlock(
            num_heads,
            ff_dim,
            dropout=dropout,
            causal=causal,
            norm_first=norm_first,
            cross_attention=context is not None,
            rotary=positions == "rotary",
            name=f"{prefix}_{i}",
        )
        x = block(x) if context is None else block(x, context)
    if norm_first:  # pre-norm: the residual stream is normalised once more at the end
        x = keras.layers.LayerNormalization(epsilon=1e-5, name=final_norm)(x)
    return x


def transformer_classifier(
    vocabulary_size: int,
    sequence_length: int,
    *,
    embedding_dim: int = 64,
    num_heads: int = 4,
    ff_dim: int | None = None,
    num_blocks: int = 1,
    dropout: float = 0.1,
    positions: str = "learned",
    norm_first: bool = True,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "transformer_classifier",
) -> keras.Model:
    """Build a transformer encoder that classifies texts given as token ids.

    Token ids (0 = padding, as `keras.layers.TextVectorization` produces)
    go through `TokenAndPositionEmbedding`, `num_blocks` encoder
    `TransformerBlock`s (every token attends to every other, padding
    masked), an average over the real tokens (`GlobalAveragePooling1D`,
    which honours the padding mask), dropout and a `Dense` head.

    Args:
        vocabulary_size: Number of token ids, padding and out-of-vocabulary
            ids included.
        sequence_length: Tokens per text (longer texts must be cut).
        embedding_dim: Width of the model.
        num_heads: Attention heads per block; must divide `embedding_dim`.
        ff_dim: Hidden units of each feed-forward network;
            `4 * embedding_dim` by default.
        num_blocks: Number of encoder blocks.
        dropout: Dropout rate, in [0, 1).
        positions: `"learned"`, `"sinusoidal"` or `"rotary"`.
        norm_first: Pre-norm blocks (`True`) or post-norm (`False`).
        classes: Number of output units.
        classifier_activation: Activation of the head: `"softmax"` (the
            default), `"sigmoid"` (use it with `classes=1`), or `None` for
            logits.
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` mapping `(batch,
        sequence_length)` ids to `(batch, classes)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import transformer_classifier
        >>> model = transformer_classifier(1000, 20, embedding_dim=16, num_heads=2,
        ...                                classes=1,
        ...                                classifier_activation="sigmoid")
        >>> print(*[layer.name for layer in model.layers])
        input embedding embedding_dropout block_1 final_norm pooling dropout output
        >>> ids = np.array([[4, 8, 15, 16, 23, 42] + [0] * 14])
        >>> model.predict(ids, verbose=0).shape
        (1, 1)
        >>> transformer_classifier(1000, 20, embedding_dim=10, num_heads=4,
        ...                        classes=2)
        Traceback (most recent call last):
        ...
        ValueError: Expected embedding_dim divisible by num_heads=4 (each head gets embedding_dim // num_heads features). Received: embedding_dim=10
    """
    vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size")
    sequence_length = check_positive_int(sequence_length, "sequence_length")
    embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first = _check_body(
        embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first
    )
    classes, classifier_activation = check_head(classes, classifier_activation)
    check_non_empty_str(name, "name")

    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="input")
    x = _embed(
        inputs, vocabulary_size, sequence_length, embedding_dim, positions, dropout, mask_zero=True
    )
    x = _blocks(
        x,
        num_blocks,
        num_heads=num_heads,
        ff_dim=ff_dim,
        dropout=dropout,
        positions=positions,
        norm_first=norm_first,
        causal=False,
    )
    x = keras.layers.GlobalAveragePooling1D(name="pooling")(x)
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)


def transformer_language_model(
    vocabulary_size: int,
    sequence_length: int,
    *,
    causal: bool = True,
    embedding_dim: int = 64,
    num_heads: int = 4,
    ff_dim: int | None = None,
    num_blocks: int = 2,
    dropout: float = 0.0,
    positions: str = "learned",
    norm_first: bool = True,
    mask_zero: bool = False,
    classifier_activation: str | None = "softmax",
    name: str = "transformer_language_model",
) -> keras.Model:
    """Build a transformer language model: a distribution over the vocabulary at every position.

    With `causal=True` (the default) it is a decoder-only model in the style
    of GPT (Radford et al., 2018): position `t` sees positions `0 .. t`
    only, so trained on a text shifted by one token it predicts the next
    token everywhere at once, and `generate_tokens` writes with it. With
    `causal=False` every position sees the whole sequence, as in BERT
    (Devlin et al., 2018): train it to recover tokens replaced by a mask
    token (masked language modelling), then reuse its `embedding` and
    `block_*` layers in `transformer_classifier`, which has the same names.

    Args:
        vocabulary_size: Number of token ids (characters, words, ...).
        sequence_length: Largest number of positions (the context window).
        causal: Decoder (GPT) or encoder (BERT) blocks.
        embedding_dim: Width of the model.
        num_heads: Attention heads per block; must divide `embedding_dim`.
        ff_dim: Hidden units of each feed-forward network;
            `4 * embedding_dim` by default.
        num_blocks: Number of blocks.
        dropout: Dropout rate, in [0, 1).
        positions: `"learned"`, `"sinusoidal"` or `"rotary"`.
        norm_first: Pre-norm blocks (`True`) or post-norm (`False`).
        mask_zero: Treat id 0 as padding (masked from attention).
        classifier_activation: `"softmax"` (probabilities, the default) or
            `None` (logits; train with `from_logits=True`).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` mapping ids `(batch, steps)`,
        `steps <= sequence_length`, to `(batch, steps, vocabulary_size)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import transformer_language_model
        >>> gpt = transformer_language_model(65, 32, embedding_dim=16, num_heads=2)
        >>> [layer.name for layer in gpt.layers]
        ['input', 'embedding', 'block_1', 'block_2', 'final_norm', 'output']
        >>> probabilities = gpt.predict(np.array([[1, 2, 3, 4, 5]]), verbose=0)
        >>> sums = probabilities.sum(-1)
        >>> probabilities.shape, bool(np.allclose(sums, 1, atol=1e-5))
        ((1, 5, 65), True)
        >>> # causal: what position 2 predicts does not depend on positions 3 and 4
        >>> other = gpt.predict(np.array([[1, 2, 3, 9, 9]]), verbose=0)
        >>> bool(np.allclose(probabilities[0, :3], other[0, :3], atol=1e-6))
        True
    """
    vocabulary_size = check_positive_int(vocabulary_size, "vocabulary_size")
    sequence_length = check_positive_int(sequence_length, "sequence_length")
    causal = check_bool(causal, "causal")
    embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first = _check_body(
        embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first
    )
    mask_zero = check_bool(mask_zero, "mask_zero")
    if classifier_activation not in ("softmax", None):
        raise ValueError(
            f"Expected 'softmax' or None. Received: classifier_activation={classifier_activation!r}"
        )
    check_non_empty_str(name, "name")

    inputs = keras.Input(shape=(None,), dtype="int32", name="input")
    x = _embed(
        inputs,
        vocabulary_size,
        sequence_length,
        embedding_dim,
        positions,
        dropout,
        mask_zero=mask_zero,
    )
    x = _blocks(
        x,
        num_blocks,
        num_heads=num_heads,
        ff_dim=ff_dim,
        dropout=dropout,
        positions=positions,
        norm_first=norm_first,
        causal=causal,
    )
    outputs = keras.layers.Dense(vocabulary_size, activation=classifier_activation, name="output")(
        x
    )
    return keras.Model(inputs, outputs, name=name)


def transformer_seq2seq(
    source_vocabulary_size: int,
    target_vocabulary_size: int,
    source_length: int,
    target_length: int,
    *,
    embedding_dim: int = 64,
    num_heads: int = 4,
    ff_dim: int | None = None,
    num_blocks: int = 2,
    dropout: float = 0.0,
    positions: str = "learned",
    norm_first: bool = True,
    classifier_activation: str | None = "softmax",
    name: str = "transformer_seq2seq",
) -> keras.Model:
    """Build a transformer encoder-decoder (Vaswani et al., 2017) for sequence-to-sequence tasks.

    The encoder reads the whole source (`num_blocks` encoder blocks); the
    decoder reads the target so far (causal blocks) and, in each block,
    attends to the encoder's output (cross-attention). Train it with teacher
    forcing: feed the target shifted right (a start token first) and predict
    the target; decode new sequences with `greedy_decode`. Id 0 is padding
    in both the source and the target.

    Args:
        source_vocabulary_size: Number of source token ids (padding included).
        target_vocabulary_size: Number of target token ids.
        source_length: Largest source length.
        target_length: Largest target length (the decoder's positions).
        embedding_dim: Width of the model.
        num_heads: Attention heads per block; must divide `embedding_dim`.
        ff_dim: Hidden units of each feed-forward network;
            `4 * embedding_dim` by default.
        num_blocks: Number of encoder blocks, and of decoder blocks.
        dropout: Dropout rate, in [0, 1).
        positions: `"learned"`, `"sinusoidal"` or `"rotary"`.
        norm_first: Pre-norm blocks (`True`) or post-norm (`False`).
        classifier_activation: `"softmax"` or `None` (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model` with inputs `[source, target]`
        (ids, `(batch, source_steps)` and `(batch, target_steps)`) and output
        `(batch, target_steps, target_vocabulary_size)`.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import transformer_seq2seq
        >>> model = transformer_seq2seq(30, 42, 12, 14, embedding_dim=16,
        ...                             num_heads=2, num_blocks=1)
        >>> [layer.name for layer in model.layers if "block" in layer.name]
        ['encoder_block_1', 'decoder_block_1']
        >>> source, target = np.array([[3, 5, 7, 0]]), np.array([[1, 4, 4]])
        >>> model.predict([source, target], verbose=0).shape
        (1, 3, 42)
    """
    source_vocabulary_size = check_positive_int(source_vocabulary_size, "source_vocabulary_size")
    target_vocabulary_size = check_positive_int(target_vocabulary_size, "target_vocabulary_size")
    source_length = check_positive_int(source_length, "source_length")
    target_length = check_positive_int(target_length, "target_length")
    embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first = _check_body(
        embedding_dim, num_heads, ff_dim, num_blocks, dropout, positions, norm_first
    )
    if classifier_activation not in ("softmax", None):
        raise ValueError(
            f"Expected 'softmax' or None. Received: classifier_activation={classifier_activation!r}"
        )
    check_non_empty_str(name, "name")

    source = keras.Input(shape=(None,), dtype="int32", name="source")
    target = keras.Input(shape=(None,), dtype="int32", name="target")
    common = {
        "num_heads": num_heads,
        "ff_dim": ff_dim,
        "dropout": dropout,
        "positions": positions,
        "norm_first": norm_first,
    }
    memory = _embed(
        source,
        source_vocabulary_size,
        source_length,
        embedding_dim,
        positions,
        dropout,
        mask_zero=True,
        name="source_embedding",
    )
    memory = _blocks(
        memory,
        num_blocks,
        causal=False,
        prefix="encoder_block",
        final_norm="encoder_norm",
        **common,
    )
    x = _embed(
        target,
        target_vocabulary_size,
        target_length,
        embedding_dim,
        positions,
        dropout,
        mask_zero=True,
        name="target_embedding",
    )
    x = _blocks(
        x,
        num_blocks,
        causal=True,
        prefix="decoder_block",
        context=memory,
        final_norm="decoder_norm",
        **common,
    )
    outputs = keras.layers.Dense(
        target_vocabulary_size, activation=classifier_activation, name="output"
    )(x)
    return keras.Model([source, target], outputs, name=name)


def _decoder_parts(model: Any) -> tuple[Any, list[Any], Any, Any]:
    """The embedding, the causal blocks, the final norm (or None) and the output layer."""
    layers = getattr(model, "layers", None) or []
    embedding = [layer for layer in layers if isinstance(layer, TokenAndPositionEmbedding)]
    blocks = [layer for layer in layers if isinstance(layer, TransformerBlock)]
    names = [layer.name for layer in layers]
    if (
        len(embedding) != 1
        or not blocks
        or not all(block.causal and not block.cross_attention for block in blocks)
        or names[-1] != "output"
    ):
        raise ValueError(
            "Expected a decoder-only language model built by "
            f"dlguide.models.transformer_language_model(causal=True). Received: model={model!r}"
        )
    norm = model.get_layer("final_norm") if "final_norm" in names else None
    return embedding[0], blocks, norm, model.get_layer("output")


def _log_probabilities(outputs: Any, from_logits: bool) -> np.ndarray:
    last = np.asarray(keras.ops.convert_to_numpy(outputs), dtype=np.float64)[:, -1]
    if from_logits:
        last = last - last.max(axis=-1, keepdims=True)
        return last - np.log(np.exp(last).sum(axis=-1, keepdims=True))
    return np.log(np.maximum(last, 1e-30))


def _draw(log_p: np.ndarray, temperature: float, rng: np.random.Generator) -> np.ndarray:
    """One token per row: argmax at temperature 0, else a draw from softmax(log_p / T)."""
    if temperature == 0:
        return log_p.argmax(axis=-1)
    z = log_p / temperature
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    cumulative = np.cumsum(p, axis=-1)
    u = rng.random(len(p)) * cumulative[:, -1]
    return np.minimum((cumulative <= u[:, None]).sum(axis=-1), p.shape[-1] - 1)


def _compiled(function: Any) -> Any:
    """`function` as a TensorFlow graph for any sequence length (eager elsewhere).

    Token-by-token generation makes many small calls; run eagerly, each would be
    dominated by the per-operation overhead, hiding the work the cache saves. The
    graph is traced once per batch size, with axis 1 (the positions) of every
    tensor left open: the prompt and each later token then share one trace.
    """
    if keras.backend.backend() != "tensorflow":
        return function
    import tensorflow as tf

    traced: dict[Any, Any] = {}

    def spec(x: Any) -> Any:
        shape = list(x.shape)
        if len(shape) >= 2:
            shape[1] = None
        return tf.TensorSpec(shape, x.dtype)

    def call(*args: Any) -> Any:
        specs = tf.nest.map_structure(lambda x: spec(tf.convert_to_tensor(x)), list(args))
        key = tuple((tuple(s.shape.as_list()), s.dtype) for s in tf.nest.flatten(specs))
        if key not in traced:
            traced[key] = tf.function(function, input_signature=specs)
        return traced[key](*args)

    return call


# Compiled generation functions, per model (traced once, reused by later calls).
_GENERATORS: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _generation_functions(
    model: Any, embedding: Any, blocks: list[Any], norm: Any, output_layer: Any
) -> tuple[Any, Any]:
    """`step` (read new tokens through the key/value caches) and `forward` (no cache)."""

    def step(new: Any, start: Any, caches: list[Any]) -> tuple[Any, list[Any]]:
        """Read the new positions after `start` cached ones; return the last prediction."""
        x = embedding(new, start_index=start)
        grown = []
        for block, cache in zip(blocks, caches, strict=True):
            x, cache = block(x, cache=cache, training=False)
            grown.append(cache)
        x = x[:, -1:]  # only the last position's prediction is needed
        return output_layer(norm(x) if norm is not None else x), grown

    def forward(ids: Any) -> Any:
        return model(ids, training=False)

    return _compiled(step), _compiled(forward)


def generate_tokens(
    model: keras.Model,
    prompt_ids: Any,
    num_tokens: int,
    *,
    temperature: float = 1.0,
    seed: int | None = 0,
    use_cache: bool = True,
    return_work: bool = False,
) -> Any:
    """Write `num_tokens` new tokens with a decoder-only transformer, one token at a time.

    Each new token is drawn from the model's distribution for the next
    position, divided by the temperature in log space (0 = always the most
    likely token), and appended. Two ways to get that distribution:

    - `use_cache=False`: run the whole model on the whole sequence so far,
      at every step: step `t` processes `t` positions and computes `t * t`
      attention scores per head and block.
    - `use_cache=True`: the key/value cache. The keys and values of the
      earlier positions never change in a causal model, so each block keeps
      them and each step only processes the new token: one position, and
      `t` scores per head and block. Same text, far less work.

    Both draw the same random numbers, so with the same `seed` they write
    the same text (up to float rounding, which in practice never changes a
    draw).

    Args:
        model: A model from `transformer_language_model(causal=True)`.
        prompt_ids: Token ids to start from, shape `(steps,)` or
            `(batch, steps)`.
        num_tokens: How many tokens to add. The prompt plus the new tokens
            must fit in the model's `sequence_length` positions.
        temperature: Sampling temperature, >= 0.
        seed: Seed of the draws (int or None).
        use_cache: Use the key/value cache.
        return_work: Also return the work done for each new token, a dict
            with `"positions"` (positions run through the blocks) and
            `"scores"` (attention scores computed, all heads and blocks).

    Returns:
        The ids, prompt first, shape `(steps + num_tokens,)` (or with the
        batch axis if `prompt_ids` had one); with `return_work=True`, the
        tuple `(ids, work)`.

    Raises:
        ValueError: If an argument is invalid or the sequence would not fit.

    Examples:
        >>> import numpy as np
        >>> from dlguide.models import generate_tokens, transformer_language_model
        >>> gpt = transformer_language_model(20, 16, embedding_dim=8, num_heads=2)
        >>> cached, work = generate_tokens(gpt, [1, 2, 3], 5, return_work=True)
        >>> uncached, slow = generate_tokens(gpt, [1, 2, 3], 5, use_cache=False,
        ...                                  return_work=True)
        >>> cached.tolist() == uncached.tolist(), cached.shape
        (True, (8,))
        >>> work["positions"].tolist(), slow["positions"].tolist()
        ([3, 1, 1, 1, 1], [3, 4, 5, 6, 7])
    """
    embedding, blocks, norm, output_layer = _decoder_parts(model)
    ids = np.asarray(prompt_ids)
    if (
        ids.ndim not in (1, 2)
        or ids.size == 0
        or not np.issubdtype(ids.dtype, np.integer)
        or ids.min() < 0
        or ids.max() >= embedding.vocabulary_size
    ):
        raise ValueError(
            f"Expected token ids in [0, {embedding.vocabulary_size - 1}], shape (steps,) or "
            f"(batch, steps). Received: prompt_ids={prompt_ids!r}"
        )
    single = ids.ndim == 1
    ids = ids[None] if single else ids
    num_tokens = check_positive_int(num_tokens, "num_tokens")
    if ids.shape[1] + num_tokens > embedding.sequence_length:
        raise ValueError(
            f"Expected the prompt ({ids.shape[1]} tokens) plus num_tokens to fit in the "
            f"model's {embedding.sequence_length} positions. Received: num_tokens={num_tokens}"
        )
    temperature = check_non_negative_float(temperature, "temperature")
    seed = None if seed is None else check_non_negative_int(seed, "seed")
    use_cache = check_bool(use_cache, "use_cache")
    return_work = check_bool(return_work, "return_work")
    from_logits = output_layer.activation is keras.activations.linear

    if model not in _GENERATORS:
        _GENERATORS[model] = _generation_functions(model, embedding, blocks, norm, output_layer)
    step, forward = _GENERATORS[model]
    rng = np.random.default_rng(seed)
    heads = sum(block.num_heads for block in blocks)
    positions, scores = [], []
    ids = ids.astype(np.int32)
    caches = [block.empty_cache(len(ids)) for block in blocks]
    new = ids  # the positions the next step must read
    for _ in range(num_tokens):
        if use_cache:
            start = ids.shape[1] - new.shape[1]
            outputs, caches = step(new, np.array(start, dtype=np.int32), caches)
            positions.append(new.shape[1])
            scores.append(heads * new.shape[1] * ids.shape[1])
        else:
            outputs = forward(ids)
            positions.append(ids.shape[1])
            scores.append(heads * ids.shape[1] ** 2)
        token = _draw(_log_probabilities(outputs, from_logits), temperature, rng)
        new = token[:, None].astype(np.int32)
        ids = np.concatenate([ids, new], axis=1)
    result = ids[0] if single else ids
    if return_work:
        return result, {"positions": np.array(positions), "scores": np.array(scores)}
    return result
