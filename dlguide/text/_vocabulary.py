"""Characters to integer ids and back, and next-character training pairs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._validation import check_ids, check_positive_int


class CharVocabulary:
    """A fixed mapping between characters and integer ids 0 to `len(vocabulary) - 1`.

    The ids follow the sorted order of the characters, so the same text
    always gives the same vocabulary. Build it from the training text only;
    a character it has never seen cannot be encoded.

    Args:
        text: The text (or any iterable of single characters) whose distinct
            characters form the vocabulary.

    Attributes:
        chars: The characters, a tuple in id order.

    Raises:
        ValueError: If `text` is empty or holds something other than single
            characters.

    Examples:
        >>> from dlguide.text import CharVocabulary
        >>> vocabulary = CharVocabulary("hello world")
        >>> len(vocabulary), "".join(vocabulary.chars)
        (8, ' dehlorw')
        >>> ids = vocabulary.encode("hello")
        >>> ids.tolist(), vocabulary.decode(ids)
        ([3, 2, 4, 4, 5], 'hello')
        >>> vocabulary.encode("help")
        Traceback (most recent call last):
        ...
        ValueError: Expected only characters of the vocabulary. Received: text with 'p', which is not in it
    """

    def __init__(self, text: str | Iterable[str]) -> None:
        chars = sorted(set(text))
        if not chars or not all(isinstance(c, str) and len(c) == 1 for c in chars):
            raise ValueError(
                f"Expected a non-empty text (or iterable of single characters). Received: {text!r}"
            )
        self.chars: tuple[str, ...] = tuple(chars)
        self._index = {c: i for i, c in enumerate(self.chars)}
        self._lookup = np.array(self.chars)

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocabulary({len(self)} characters: {''.join(self.chars)!r})"

    def encode(self, text: str) -> np.ndarray:
        """Turn a string into an int32 array of ids, one per character."""
        if not isinstance(text, str):
            raise ValueError(f"Expected a string. Received: text={text!r}")
        unknown = sorted(set(text) - set(self._index))
        if unknown:
            shown = ", ".join(map(repr, unknown[:5]))
            plural = "which are" if len(unknown) > 1 else "which is"
            raise ValueError(
                "Expected only characters of the vocabulary. "
                f"Received: text with {shown}, {plural} not in it"
            )
        return np.fromiter((self._index[c] for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids: Any) -> str:
        """Turn a sequence of ids back into a string."""
        array = check_ids(ids, "ids", allow_empty=True)
        if array.size and (array.min() < 0 or array.max() >= len(self)):
            raise ValueError(
                f"Expected ids in the range [0, {len(self) - 1}]. Received: ids={ids!r}"
            )
        return "".join(self._lookup[array]) if array.size else ""


def shifted_sequences(
    ids: Any, sequence_length: int, *, strides: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cut encoded text into next-character training pairs.

    Input `i` is `ids[s : s + sequence_length]` and its target is the same
    stretch shifted one step, `ids[s + 1 : s + sequence_length + 1]`, with
    `s = i * strides`: at every step the model must predict the character
    that follows. With the default `strides = sequence_length` the inputs do
    not overlap.

    Args:
        ids: Encoded text, a 1-D sequence of integer ids.
        sequence_length: Steps per pair.
        strides: Shift between the starts of consecutive pairs.

    Returns:
        `(X, Y)`, two int32 arrays of shape `(num_pairs, sequence_length)`.

    Raises:
        ValueError: If `ids` is not 1-D integers longer than
            `sequence_length`, or an argument is not a positive integer.

    Examples:
        >>> from dlguide.text import shifted_sequences
        >>> X, Y = shifted_sequences(list(range(10)), 4)
        >>> X.tolist()
        [[0, 1, 2, 3], [4, 5, 6, 7]]
        >>> Y.tolist()
        [[1, 2, 3, 4], [5, 6, 7, 8]]
        >>> shifted_sequences(list(range(10)), 4, strides=1)[0].shape
        (6, 4)
    """
    array = check_ids(ids, "ids")
    sequence_length = check_positive_int(sequence_length, "sequence_length")
    strides = check_positive_int(strides, "strides", allow_none=True) or sequence_length
    if len(array) <= sequence_length:
        raise ValueError(
            f"Expected more than sequence_length={sequence_length} ids. "
            f"Received: len(ids)={len(array)}"
        )
    starts = np.arange(0, len(array) - sequence_length, strides)
    index = starts[:, None] + np.arange(sequence_length)
    return array[index].astype(np.int32), array[index + 1].astype(np.int32)
