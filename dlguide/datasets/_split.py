"""Deterministic train/test splitting shared by every loader."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._validation import check_examples, check_non_negative_int, check_same_length

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _num_test(num_examples: int, test_size: Any) -> int:
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        valid = False
    elif isinstance(test_size, numbers.Integral):
        valid = 1 <= test_size < num_examples
    else:
        valid = 0 < test_size < 1
    if not valid:
        raise ValueError(
            "Expected a float in the range (0, 1) or an integer in the range "
            f"[1, {num_examples - 1}]. Received: test_size={test_size!r}"
        )
    if isinstance(test_size, numbers.Integral):
        return int(test_size)
    return min(max(round(num_examples * float(test_size)), 1), num_examples - 1)


def split_train_test(
    x: np.ndarray,
    y: np.ndarray,
    *,
    test_size: float | int = 0.2,
    seed: int = 0,
    stratify: bool = False,
) -> Split:
    """Split arrays into shuffled train and test parts, deterministically.

    Every `dlguide` loader splits its data with this function. With
    `stratify=True` each class keeps its share in both parts (the rounding is
    arranged so the test part has exactly the requested size). Do not use it
    on time series: shuffling lets the model see the future.

    Args:
        x: Inputs, with examples along the first axis.
        y: Targets, one per example.
        test_size: Fraction of the examples (a float in (0, 1)) or number of
            examples (an int) that go to the test part.
        seed: Seed of the shuffle; the same seed always gives the same split.
        stratify: Keep the class proportions of `y` in both parts.

    Returns:
        `(x_train, y_train), (x_test, y_test)`, new arrays (not views of `x`).

    Raises:
        ValueError: If `x` and `y` differ in length, or `test_size` or `seed`
            is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.datasets import split_train_test
        >>> x, y = np.arange(20).reshape(10, 2), np.array([0] * 5 + [1] * 5)
        >>> (x_train, y_train), (x_test, y_test) = split_train_test(
        ...     x, y, test_size=4, stratify=True)
        >>> x_train.shape, x_test.shape, sorted(y_test.tolist())
        ((6, 2), (4, 2), [0, 0, 1, 1])
    """
    x, y = check_examples(x, "x"), check_examples(y, "y")
    check_same_length(x, y, "x", "y", "number of examples")
    seed = check_non_negative_int(seed, "seed")
    num_examples = len(y)
    num_test = _num_test(num_examples, test_size)
    rng = np.random.default_rng(seed)
    if stratify:
        _, y_index = np.unique(y, return_inverse=True)
        counts = np.bincount(y_index)
        exact = counts * num_test / num_examples
        per_class = np.floor(exact).astype(int)
        leftover = num_test - per_class.sum()
        per_class[np.argsort(per_class - exact, kind="stable")[:leftover]] += 1
        test_index = np.concatenate(
            [rng.permutation(np.flatnonzero(y_index == c))[:k] for c, k in enumerate(per_class)]
        )
    else:
        test_index = rng.permutation(num_examples)[:num_test]
    is_test = np.zeros(num_examples, dtype=bool)
    is_test[test_index] = True
    train_index = rng.permutation(np.flatnonzero(~is_test))
    test_index = rng.permutation(np.flatnonzero(is_test))
    return (x[train_index], y[train_index]), (x[test_index], y[test_index])
