"""Rosenblatt's perceptron: one neuron with a step activation and its learning rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_features,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
)


def _check_binary_labels(y: Any, num_examples: int) -> np.ndarray:
    """Return `y` as an int array of 0/1 labels, one per example (shared with the MLP)."""
    try:
        labels = np.asarray(y)
    except (TypeError, ValueError):  # pragma: no cover - np.asarray rarely fails
        labels = np.asarray([None])
    if labels.ndim == 2 and labels.shape[1:] == (1,):
        labels = labels[:, 0]
    if (
        labels.shape != (num_examples,)
        or not np.issubdtype(labels.dtype, np.number)
        or not np.all((labels == 0) | (labels == 1))
    ):
        raise ValueError(
            f"Expected y with one 0/1 label per row of X ({num_examples} rows). "
            f"Received: y.shape={labels.shape}, values={np.unique(labels)[:5].tolist()}"
        )
    return labels.astype(np.int64)


class Perceptron:
    """A single neuron that outputs 1 when $w \\cdot x + b > 0$ and 0 otherwise.

    It learns with Rosenblatt's rule: for each training example in turn,
    predict $\\hat y$ and, if it is wrong, move the weights towards the
    example, $w \\leftarrow w + \\eta (y - \\hat y) x$ and
    $b \\leftarrow b + \\eta (y - \\hat y)$. When the two classes can be
    separated by a straight line (a hyperplane), this stops making errors after
    a finite number of epochs; when they cannot (XOR), it never does.

    Args:
        num_inputs: Number of input features.
        learning_rate: Learning rate $\\eta$, a positive float.
        seed: Seed of the small random initial weights.

    Attributes:
        w: Weights, a float64 array of shape `(num_inputs,)`.
        b: Bias, a float.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import Perceptron
        >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        >>> y = np.array([0, 0, 0, 1])  # logical AND
        >>> perceptron = Perceptron(num_inputs=2)
        >>> perceptron.fit(X, y, num_epochs=10)  # errors per epoch
        [2, 2, 3, 2, 2, 3, 2, 1, 0, 0]
        >>> perceptron.predict(X)
        array([0, 0, 0, 1])
        >>> Perceptron(num_inputs=2, learning_rate=-1)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive float. Received: learning_rate=-1
    """

    def __init__(self, num_inputs: int, learning_rate: float = 1.0, seed: int = 0) -> None:
        self.num_inputs = check_positive_int(num_inputs, "num_inputs")
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")
        self.seed = check_non_negative_int(seed, "seed")
        rng = np.random.default_rng(self.seed)
        self.w = rng.normal(scale=0.01, size=self.num_inputs)
        self.b = 0.0

    def __repr__(self) -> str:
        return f"Perceptron(num_inputs={self.num_inputs}, learning_rate={self.learning_rate}, seed={self.seed})"

    def predict(self, X: Any) -> np.ndarray:
        """Predict 0/1 labels with the step function of $X w + b$.

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.

        Returns:
            An int array of shape `(batch_size,)` holding 0 or 1.

        Raises:
            ValueError: If `X` does not have shape `(batch_size, num_inputs)`.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import Perceptron
            >>> perceptron = Perceptron(num_inputs=2)
            >>> perceptron.w, perceptron.b = np.array([1.0, 1.0]), -1.5
            >>> perceptron.predict([[0, 0], [1, 0], [1, 1]])
            array([0, 0, 1])
        """
        X = check_features(X, "X", self.num_inputs)
        return (X @ self.w + self.b > 0).astype(np.int64)

    def fit(self, X: Any, y: Any, num_epochs: int = 10) -> list[int]:
        """Train with the perceptron rule, visiting the examples in order.

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.
            y: Labels, 0 or 1, one per row of `X`.
            num_epochs: Number of passes over the data.

        Returns:
            The number of misclassified examples (that is, of updates) in each
            epoch, a list of `num_epochs` ints. A 0 means the data are
            separated; it stays 0 from then on.

        Raises:
            ValueError: If `X`, `y` or `num_epochs` is invalid.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import Perceptron
            >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
            >>> # XOR
            >>> errors = Perceptron(num_inputs=2).fit(X, [0, 1, 1, 0],
            ...                                      num_epochs=100)
            >>> min(errors)  # never 0: XOR is not linearly separable
            2
            >>> Perceptron(num_inputs=2).fit(X, [0, 1, 2, 0])
            Traceback (most recent call last):
            ...
            ValueError: Expected y with one 0/1 label per row of X (4 rows). Received: y.shape=(4,), values=[0, 1, 2]
        """
        X = check_features(X, "X", self.num_inputs)
        y = _check_binary_labels(y, len(X))
        num_epochs = check_positive_int(num_epochs, "num_epochs")
        errors = []
        for _ in range(num_epochs):
            num_errors = 0
            for x_i, y_i in zip(X, y, strict=True):
                y_hat = int(x_i @ self.w + self.b > 0)
                if y_hat != y_i:  # wrong: move the line towards the right side of x
                    self.w = self.w + self.learning_rate * (y_i - y_hat) * x_i
                    self.b = float(self.b + self.learning_rate * (y_i - y_hat))
                    num_errors += 1
            errors.append(num_errors)
        return errors
