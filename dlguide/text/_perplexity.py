"""Perplexity: how surprised a language model is by held-out text."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_bool
from ._sampling import _probability_rows


def perplexity(probabilities: Any, targets: Any, *, from_logits: bool = False) -> float:
    """Compute the perplexity of predicted distributions on the true next tokens.

    Perplexity is `exp` of the mean cross-entropy (in nats),
    `exp(-mean(log p[target]))`: the number of equally likely choices the
    model is, on average, hesitating between. A model that spreads its
    probability uniformly over `V` characters has perplexity `V`; a perfect
    model has 1. It is the exponential of Keras'
    `sparse_categorical_crossentropy` loss on the same data. Probabilities
    are clipped at 1e-12, so a zero probability gives a large, finite value.

    Args:
        probabilities: Predicted distributions, shape `(..., num_classes)`,
            e.g. `(num_sequences, steps, vocabulary_size)` from a
            character-level model.
        targets: The true classes, integer ids of shape `(...)` matching
            `probabilities` without its last axis.
        from_logits: Set to `True` if `probabilities` holds logits.

    Returns:
        The perplexity, a float >= 1.

    Raises:
        ValueError: If the shapes do not match, a target is out of range, or
            the probabilities are invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.text import perplexity
        >>> targets = np.array([[0, 3, 2, 1]])
        >>> uniform = np.full((1, 4, 5), 0.2)  # 5 equally likely characters
        >>> round(perplexity(uniform, targets), 6)
        5.0
        >>> confident = np.eye(5)[targets] * 0.95 + 0.01  # 0.96 on the right one
        >>> round(perplexity(confident, targets), 3)  # 1 / 0.96
        1.042
    """
    from_logits = check_bool(from_logits, "from_logits")
    if from_logits:
        logits = np.asarray(probabilities, dtype=np.float64)
        if logits.ndim == 0 or not np.all(np.isfinite(logits)):
            raise ValueError(
                "Expected an array of finite logits with the classes on the last axis. "
                f"Received: probabilities={probabilities!r}"
            )
        logits = logits - logits.max(axis=-1, keepdims=True)
        array = np.exp(logits)
    else:
        array = _probability_rows(probabilities, "probabilities")
    array = array / array.sum(axis=-1, keepdims=True)
    target_array = np.asarray(targets)
    if target_array.shape != array.shape[:-1] or not (
        target_array.size and np.issubdtype(target_array.dtype, np.integer)
    ):
        raise ValueError(
            f"Expected integer targets of shape {array.shape[:-1]} (probabilities without "
            f"the last axis). Received: targets with shape {target_array.shape} and dtype "
            f"{target_array.dtype}"
        )
    if target_array.min() < 0 or target_array.max() >= array.shape[-1]:
        raise ValueError(
            f"Expected targets in the range [0, {array.shape[-1] - 1}]. "
            f"Received: targets from {target_array.min()} to {target_array.max()}"
        )
    picked = np.take_along_axis(array, target_array[..., None], axis=-1)[..., 0]
    return float(np.exp(-np.mean(np.log(np.maximum(picked, 1e-12)))))
