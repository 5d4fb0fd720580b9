"""dlguide.text: vocabulary, training pairs, temperature sampling, generation, perplexity."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import dlguide
from dlguide import text
from dlguide.models import char_language_model


def test_text_is_namespaced_not_flat():
    assert "sample" not in dlguide.__all__ and dlguide.text.sample is text.sample


# --- CharVocabulary and shifted_sequences --------------------------------------------------


def test_vocabulary_round_trip_on_real_text():
    train_text, test_text = dlguide.load_text_corpus(num_chars=20_000)
    vocabulary = text.CharVocabulary(train_text)
    assert list(vocabulary.chars) == sorted(set(train_text))
    ids = vocabulary.encode(train_text)
    assert ids.dtype == np.int32 and ids.min() == 0 and ids.max() == len(vocabulary) - 1
    assert vocabulary.decode(ids) == train_text
    assert vocabulary.decode([]) == ""
    assert repr(vocabulary).startswith(f"CharVocabulary({len(vocabulary)} characters")


def test_vocabulary_rejects_what_it_cannot_encode_or_decode():
    vocabulary = text.CharVocabulary("abc")
    with pytest.raises(ValueError, match="'x', 'y', which are not in it"):
        vocabulary.encode("abxy")
    with pytest.raises(ValueError, match=r"Expected ids in the range \[0, 2\]"):
        vocabulary.decode([0, 3])
    with pytest.raises(ValueError, match="integer ids"):
        vocabulary.decode([0.5])
    with pytest.raises(ValueError, match="Expected a string"):
        vocabulary.encode(["a"])
    with pytest.raises(ValueError, match="non-empty text"):
        text.CharVocabulary("")


def test_shifted_sequences_targets_are_the_next_characters():
    ids = np.arange(100) % 7
    X, Y = text.shifted_sequences(ids, 10, strides=3)
    starts = np.arange(0, 90, 3)
    assert X.shape == Y.shape == (len(starts), 10) and X.dtype == np.int32
    for s, x, y in zip(starts, X, Y, strict=True):
        assert x.tolist() == ids[s : s + 10].tolist()
        assert y.tolist() == ids[s + 1 : s + 11].tolist()
    X, _ = text.shifted_sequences(ids, 10)
    assert len(X) == 9  # 99 usable steps, 10 per non-overlapping pair
    with pytest.raises(ValueError, match="Received: len\\(ids\\)=5"):
        text.shifted_sequences(np.arange(5), 5)
    with pytest.raises(ValueError, match="Received: strides=0"):
        text.shifted_sequences(ids, 5, strides=0)
    with pytest.raises(ValueError, match="integer ids"):
        text.shifted_sequences(np.linspace(0, 1, 20), 5)


# --- sample ----------------------------------------------------------------------------------

P = np.array([0.05, 0.5, 0.15, 0.3])


@pytest.mark.parametrize("temperature", [0.0, 1e-6, 1e-3])
def test_temperature_towards_zero_gives_the_argmax(temperature):
    rng = np.random.default_rng(0)
    batch = np.random.default_rng(1).dirichlet(np.ones(6), size=200)
    draws = text.sample(batch, temperature, seed=rng)
    assert draws.shape == (200,) and draws.dtype == np.int64
    assert np.array_equal(draws, batch.argmax(axis=1))
    assert text.sample(P, temperature, seed=rng) == 1


def _assert_frequencies_follow(draws, expected, num_classes):
    """Every class frequency within 4 standard errors of its expected probability."""
    n = len(draws)
    frequencies = np.bincount(draws, minlength=num_classes) / n
    standard_error = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(frequencies - expected) <= 4 * standard_error + 1e-12), frequencies


def test_temperature_one_follows_the_distribution():
    rng = np.random.default_rng(0)
    draws = np.array([text.sample(P, 1.0, seed=rng) for _ in range(20_000)])
    _assert_frequencies_follow(draws, P, 4)
    batch_draws = text.sample(np.tile(P, (20_000, 1)), 1.0, seed=rng)
    _assert_frequencies_follow(batch_draws, P, 4)


@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_temperature_reshapes_the_distribution_as_p_to_the_one_over_t(temperature):
    expected = P ** (1 / temperature)
    expected /= expected.sum()
    draws = text.sample(np.tile(P, (20_000, 1)), temperature, seed=np.random.default_rng(3))
    _assert_frequencies_follow(draws, expected, 4)


def test_high_temperature_approaches_uniform_and_zeros_are_never_drawn():
    p = np.array([0.0, 0.9, 0.1])
    draws = text.sample(np.tile(p, (5000, 1)), 1000.0, seed=np.random.default_rng(0))
    assert 0 not in draws
    assert abs((draws == 1).mean() - 0.5) < 0.03


def test_sampling_is_reproducible_with_a_seed_and_accepts_unnormalised_weights():
    a = text.sample(np.tile(P, (50, 1)), 1.0, seed=7)
    b = text.sample(np.tile(P, (50, 1)) * 10, 1.0, seed=np.random.default_rng(7))
    assert np.array_equal(a, b)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((P, -0.5), {"seed": 0}, "Received: temperature=-0.5"),
        ((P, 1.0), {"seed": "seed"}, "Received: seed='seed'"),
        (([0.5, -0.1], 1.0), {"seed": 0}, "negative, NaN or all-zero"),
        (([0.0, 0.0], 1.0), {"seed": 0}, "negative, NaN or all-zero"),
        ((np.ones((2, 2, 2)), 1.0), {"seed": 0}, r"Received: probabilities.shape=\(2, 2, 2\)"),
    ],
)
def test_sample_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        text.sample(*args, **kwargs)


# --- perplexity ------------------------------------------------------------------------------


@pytest.mark.parametrize("vocabulary_size", [2, 10, 49])
def test_perplexity_of_a_uniform_model_is_the_vocabulary_size(vocabulary_size):
    targets = np.random.default_rng(0).integers(0, vocabulary_size, (8, 30))
    uniform = np.full((8, 30, vocabulary_size), 1 / vocabulary_size)
    assert text.perplexity(uniform, targets) == pytest.approx(vocabulary_size)
    logits = np.zeros((8, 30, vocabulary_size))
    assert text.perplexity(logits, targets, from_logits=True) == pytest.approx(vocabulary_size)


def test_perplexity_is_one_for_a_perfect_model_and_exp_of_the_keras_loss():
    targets = np.array([[1, 0, 2, 2]])
    assert text.perplexity(np.eye(3)[targets], targets) == pytest.approx(1.0)
    probabilities = np.random.default_rng(0).dirichlet(np.ones(3), size=(1, 4))
    loss = keras.losses.sparse_categorical_crossentropy(targets, probabilities)
    expected = np.exp(np.mean(keras.ops.convert_to_numpy(loss)))
    assert text.perplexity(probabilities, targets) == pytest.approx(expected, rel=1e-5)


def test_perplexity_bad_arguments():
    probabilities = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"targets of shape \(2,\)"):
        text.perplexity(probabilities, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"range \[0, 2\]"):
        text.perplexity(probabilities, np.array([0, 3]))
    with pytest.raises(ValueError, match="integer targets"):
        text.perplexity(probabilities, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="finite logits"):
        text.perplexity(np.array([[np.nan, 0.0]]), np.array([0]), from_logits=True)


# --- generate --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cyclic_model():
    """A small LSTM trained on 'abcd abcd ...': it must learn to continue the cycle."""
    keras.utils.set_random_seed(0)
    corpus = "abcd " * 200
    vocabulary = text.CharVocabulary(corpus)
    X, Y = text.shifted_sequences(vocabulary.encode(corpus), 20, strides=5)
    model = char_language_model(len(vocabulary), units=16, embedding_dim=4)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy")
    model.fit(X, Y, epochs=15, batch_size=32, verbose=0)
    return model, vocabulary, X, Y


def test_greedy_generation_continues_a_learned_pattern(cyclic_model):
    model, vocabulary, X, Y = cyclic_model
    assert text.generate(model, vocabulary, "abc", 12, temperature=0.0) == "abcd abcd abcd "
    assert text.generate(model, vocabulary, "d a", 5, temperature=0.0) == "d abcd a"
    probabilities = keras.ops.convert_to_numpy(model(X, training=False))
    assert text.perplexity(probabilities, Y) < 1.1  # almost certain of every next character


def test_sampled_generation_is_reproducible_and_uses_the_vocabulary(cyclic_model):
    model, vocabulary, _, _ = cyclic_model
    a = text.generate(model, vocabulary, "a", 20, temperature=3.0, seed=5)
    b = text.generate(model, vocabulary, "a", 20, temperature=3.0, seed=np.random.default_rng(5))
    assert a == b and len(a) == 21 and set(a) <= set("abcd ")
    # A very high temperature breaks the pattern that greedy decoding follows.
    greedy = text.generate(model, vocabulary, "a", 20, temperature=0.0)
    assert a != greedy


def test_stepwise_generation_equals_rereading_the_whole_text(cyclic_model):
    """Carrying the states step by step gives the same text as re-reading everything."""
    model, vocabulary, _, _ = cyclic_model
    inputs = keras.Input(shape=(None,), dtype="int32")
    wrapped = keras.Model(inputs, model(inputs))  # a nested model: generate re-reads the text
    assert text._sampling._step_model(wrapped) is None
    assert text._sampling._step_model(model) is not None
    # Sampled, not greedy: a state carried wrongly changes the distributions, and a draw
    # at temperature 1.5 shows a smaller change than an argmax would (both paths share
    # `sample`, so a greedy run would check nothing more).
    a = text.generate(model, vocabulary, "cd ab", 30, temperature=1.5, seed=2)
    b = text.generate(wrapped, vocabulary, "cd ab", 30, temperature=1.5, seed=2)
    assert a == b


def test_generate_with_a_logits_model_matches_the_softmax_model():
    keras.utils.set_random_seed(0)
    vocabulary = text.CharVocabulary("xyz")
    probs_model = char_language_model(3, units=4)
    logits_model = char_language_model(3, units=4, classifier_activation=None)
    logits_model.set_weights(probs_model.get_weights())
    a = text.generate(probs_model, vocabulary, "xy", 15, seed=1)
    b = text.generate(logits_model, vocabulary, "xy", 15, seed=1, from_logits=True)
    assert a == b


def test_generate_bad_arguments(cyclic_model):
    model, vocabulary, _, _ = cyclic_model
    with pytest.raises(ValueError, match="Received: prompt=''"):
        text.generate(model, vocabulary, "", 5)
    with pytest.raises(ValueError, match="'z', which is not in it"):
        text.generate(model, vocabulary, "abz", 5)
    with pytest.raises(ValueError, match="Received: num_chars=0"):
        text.generate(model, vocabulary, "a", 0)
    with pytest.raises(ValueError, match="CharVocabulary"):
        text.generate(model, "abcd ", "a", 5)
    with pytest.raises(ValueError, match="Expected a model with 3 outputs per step"):
        text.generate(model, text.CharVocabulary("abc"), "a", 5)


# --- format_samples --------------------------------------------------------------------------


def test_format_samples_headings_wrapping_and_line_breaks():
    out = text.format_samples({0.2: "one two three four\nfive", "greedy": "x"}, width=9)
    assert out.split("\n") == [
        "temperature 0.2",
        "---------------",
        "one two",
        "three",
        "four",
        "five",
        "",
        "greedy",
        "------",
        "x",
    ]
    assert max(len(line) for line in out.split("\n")[2:6]) <= 9
    with pytest.raises(ValueError, match="non-empty mapping"):
        text.format_samples({})
    with pytest.raises(ValueError, match=r"Received: samples\[1\]=3"):
        text.format_samples({1: 3})


@pytest.mark.parametrize(("cell", "units"), [("lstm", (8, 6)), ("gru", 8), ("simple", 5)])
def test_step_model_carries_the_states_of_every_recurrent_layer(cell, units):
    keras.utils.set_random_seed(0)
    model = char_language_model(10, cell=cell, units=units, dropout=0.1)
    ids = np.array([[3, 1, 4, 1, 5, 9, 2, 6]], dtype=np.int32)
    full = keras.ops.convert_to_numpy(model(ids, training=False))[0]
    step_model, states = text._sampling._step_model(model)
    outputs, *states = step_model.predict_on_batch([ids[:, :3], *states])
    np.testing.assert_allclose(outputs[0], full[:3], atol=1e-6)
    for t in range(3, 8):
        outputs, *states = step_model.predict_on_batch([ids[:, t : t + 1], *states])
        np.testing.assert_allclose(outputs[0, -1], full[t], atol=1e-6)
