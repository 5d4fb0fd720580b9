"""A multi-layer perceptron with one hidden layer and hand-written backpropagation."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_choice,
    check_features,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from ._activations import ACTIVATIONS, sigmoid, softmax
from ._losses import (
    binary_crossentropy,
    binary_crossentropy_grad,
    categorical_crossentropy,
    categorical_crossentropy_grad,
    mse,
    mse_grad,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_grad,
)

_OUTPUTS = ("sigmoid", "softmax", "linear")
_PARAM_NAMES = ("W1", "b1", "W2", "b2")


def glorot_uniform(fan_in: int, fan_out: int, *, seed: Any = None) -> np.ndarray:
    """Draw a weight matrix from Keras' default Glorot-uniform initializer.

    Each weight is uniform in $[-l, l]$ with $l = \\sqrt{6 / (\\text{fan\\_in} +
    \\text{fan\\_out})}$, which keeps the variance of the activations about the
    same from layer to layer (Glorot and Bengio, 2010).

    Args:
        fan_in: Number of inputs of the layer.
        fan_out: Number of outputs (units) of the layer.
        seed: An int for reproducible weights, `None` for fresh ones, or a
            `numpy.random.Generator` to draw several matrices from one
            stream (as `MLP` does).

    Returns:
        A float64 array of shape `(fan_in, fan_out)`.

    Raises:
        ValueError: If `fan_in` or `fan_out` is not a positive integer, or
            `seed` is not a non-negative integer, `None` or a `Generator`.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import glorot_uniform
        >>> W = glorot_uniform(30, 16, seed=0)
        >>> W.shape, bool(np.abs(W).max() <= np.sqrt(6 / (30 + 16)))
        ((30, 16), True)
    """
    fan_in = check_positive_int(fan_in, "fan_in")
    fan_out = check_positive_int(fan_out, "fan_out")
    rng = check_seed(seed, generator=True)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


class MLP:
    """A one-hidden-layer perceptron in NumPy, with forward pass and backprop by hand.

    The network computes, for a batch `X` of shape `(batch_size, num_inputs)`,

    $$
    Z_1 = X W_1 + b_1,\\quad H = \\phi(Z_1),\\quad Z_2 = H W_2 + b_2,\\quad
    \\hat y = \\text{out}(Z_2),
    $$

    with the weights in Keras' layout (`W1` has shape `(num_inputs,
    num_hiddens)`), so `keras_model.set_weights(net.get_weights())` gives a
    Keras model of two `Dense` layers that computes the same numbers.

    The loss follows the output: binary cross-entropy for `"sigmoid"`,
    (sparse) categorical cross-entropy for `"softmax"` (integer labels or
    one-hot rows) and mean squared error for `"linear"`, each the batch mean.
    Cross-entropies are computed from the logits `Z2`, which is exact and
    stable, and makes the gradient at the output simply
    `(y_hat - y) / batch_size`.

    Args:
        num_inputs: Number of input features.
        num_hiddens: Number of hidden units.
        num_outputs: Number of output units: 1 for a binary classifier or a
            regression, the number of classes for softmax.
        activation: Hidden activation, one of `"sigmoid"`, `"tanh"`, `"relu"`,
            `"leaky_relu"`, `"elu"`, `"gelu"` (as in Keras, with Keras'
            default parameters).
        output: Output activation: `"sigmoid"`, `"softmax"` or `"linear"`.
        seed: Seed of the Glorot-uniform initial weights (biases start at 0)
            and of the shuffling in `fit`.

    Attributes:
        params: Dict of the parameters `W1`, `b1`, `W2`, `b2` (float64 arrays).
            `fit` updates them in place.
        cache: The intermediate arrays `X`, `Z1`, `H`, `Z2`, `y_hat` of the
            last `forward` call, which `backward` reuses.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import MLP
        >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        >>> y = np.array([0, 1, 1, 0])  # XOR: no single line separates it
        >>> net = MLP(num_inputs=2, num_hiddens=8, num_outputs=1,
        ...           activation="tanh")
        >>> {name: p.shape for name, p in net.params.items()}
        {'W1': (2, 8), 'b1': (8,), 'W2': (8, 1), 'b2': (1,)}
        >>> losses = net.fit(X, y, num_epochs=500, learning_rate=0.5, batch_size=4)
        >>> print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}")
        loss 0.709 -> 0.007
        >>> net.predict(X)
        array([0, 1, 1, 0])
        >>> MLP(num_inputs=2, num_hiddens=8, num_outputs=1, output="tanh")
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'sigmoid', 'softmax', 'linear'. Received: output='tanh'
    """

    def __init__(
        self,
        num_inputs: int,
        num_hiddens: int,
        num_outputs: int,
        activation: str = "relu",
        output: str = "sigmoid",
        seed: int = 0,
    ) -> None:
        self.num_inputs = check_positive_int(num_inputs, "num_inputs")
        self.num_hiddens = check_positive_int(num_hiddens, "num_hiddens")
        self.num_outputs = check_positive_int(num_outputs, "num_outputs")
        self.activation = check_choice(activation, "activation", ACTIVATIONS)
        self.output = check_choice(output, "output", _OUTPUTS)
        self.seed = check_non_negative_int(seed, "seed")
        if self.output == "softmax" and self.num_outputs < 2:
            raise ValueError(
                "Expected num_outputs >= 2 (one per class) with output='softmax'. "
                f"Received: num_outputs={num_outputs!r}"
            )
        self._phi, self._phi_grad = ACTIVATIONS[self.activation]
        rng = np.random.default_rng(self.seed)
        self.params: dict[str, np.ndarray] = {
            "W1": glorot_uniform(self.num_inputs, self.num_hiddens, seed=rng),
            "b1": np.zeros(self.num_hiddens),
            "W2": glorot_uniform(self.num_hiddens, self.num_outputs, seed=rng),
            "b2": np.zeros(self.num_outputs),
        }
        self._rng = rng
        self.cache: dict[str, np.ndarray] = {}

    def __repr__(self) -> str:
        return (
            f"MLP(num_inputs={self.num_inputs}, num_hiddens={self.num_hiddens}, "
            f"num_outputs={self.num_outputs}, activation={self.activation!r}, "
            f"output={self.output!r}, seed={self.seed})"
        )

    # -- weights -----------------------------------------------------------

    def get_weights(self) -> list[np.ndarray]:
        """Return copies of the weights in Keras' order: `[W1, b1, W2, b2]`.

        That is the order of `keras_model.get_weights()` for a model made of
        two `Dense` layers, so `keras_model.set_weights(net.get_weights())`
        copies this network into Keras.

        Returns:
            A list of four float64 arrays.

        Examples:
            >>> from dlguide.scratch import MLP
            >>> net = MLP(num_inputs=30, num_hiddens=16, num_outputs=1)
            >>> [w.shape for w in net.get_weights()]
            [(30, 16), (16,), (16, 1), (1,)]
        """
        return [self.params[name].copy() for name in _PARAM_NAMES]

    def set_weights(self, weights: Any) -> None:
        """Replace the weights, given in Keras' order `[W1, b1, W2, b2]`.

        Args:
            weights: Four arrays with the shapes of `get_weights()`, for example
                `keras_model.get_weights()` of the matching Keras model.

        Raises:
            ValueError: If there are not four arrays of the right shapes.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP
            >>> net = MLP(num_inputs=2, num_hiddens=3, num_outputs=1)
            >>> net.set_weights([np.ones((2, 3)), np.zeros(3),
            ...                  np.ones((3, 1)), np.zeros(1)])
            >>> print(net.forward(np.array([[1.0, -0.5]])).round(4))
            [[0.8176]]
            >>> net.set_weights([np.ones((2, 3))])
            Traceback (most recent call last):
            ...
            ValueError: Expected 4 arrays [W1, b1, W2, b2] of shapes [(2, 3), (3,), (3, 1), (1,)]. Received: shapes [(2, 3)]
        """
        expected = [self.params[name].shape for name in _PARAM_NAMES]
        try:
            arrays = [np.asarray(w, dtype=np.float64) for w in weights]
        except (TypeError, ValueError):
            arrays = None
        shapes = None if arrays is None else [a.shape for a in arrays]
        if shapes != expected or not all(np.all(np.isfinite(a)) for a in arrays):
            received = f"shapes {shapes}" if arrays is not None else f"weights={weights!r}"
            raise ValueError(
                f"Expected 4 arrays [W1, b1, W2, b2] of shapes {expected}. Received: {received}"
            )
        for name, array in zip(_PARAM_NAMES, arrays, strict=True):
            self.params[name][...] = array  # in place: references stay valid

    # -- checks --------------------------------------------------------------

    def _check_y(self, y: Any, num_examples: int) -> np.ndarray:
        """Return `y` in the form the loss of this output expects."""
        n, k = num_examples, self.num_outputs
        y_array = np.asarray(y) if not isinstance(y, np.ndarray) else y
        numeric = np.issubdtype(y_array.dtype, np.number) or y_array.dtype == bool
        if numeric:
            y_array = y_array.astype(np.float64)
        if self.output == "softmax":
            if numeric and y_array.shape == (n,):
                ok = np.all((y_array == np.round(y_array)) & (y_array >= 0) & (y_array < k))
                if ok:
                    return y_array.astype(np.int64)
            if numeric and y_array.shape == (n, k) and np.all(np.isfinite(y_array)):
                return y_array
            expected = (
                f"integer labels of shape ({n},) in the range [0, {k}) or one-hot rows "
                f"of shape ({n}, {k})"
            )
        else:
            shapes = [(n, k)] + ([(n,)] if k == 1 else [])
            if numeric and y_array.shape in shapes and np.all(np.isfinite(y_array)):
                if self.output == "linear" or np.all((y_array >= 0) & (y_array <= 1)):
                    return y_array.reshape(n, k)
            kind = "finite targets" if self.output == "linear" else "labels in [0, 1]"
            expected = f"{kind} of shape {' or '.join(map(str, shapes[::-1]))}"
        if numeric:
            found = f"values={np.unique(y_array.ravel())[:5].tolist()}"
        else:
            found = f"dtype={y_array.dtype}"
        raise ValueError(
            f"Expected y with {expected} for output={self.output!r}. "
            f"Received: y.shape={y_array.shape}, {found}"
        )

    # -- forward, loss, backward ---------------------------------------------

    def forward(self, X: Any) -> np.ndarray:
        """Run the forward pass and keep its intermediate values in `cache`.

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.

        Returns:
            `y_hat`, a float64 array of shape `(batch_size, num_outputs)`: the
            probabilities (sigmoid, softmax) or the values (linear).

        Raises:
            ValueError: If `X` does not have shape `(batch_size, num_inputs)`.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP
            >>> net = MLP(num_inputs=4, num_hiddens=5, num_outputs=3, output="softmax")
            >>> y_hat = net.forward(np.ones((2, 4)))
            >>> y_hat.shape, np.round(y_hat.sum(axis=1), 6).tolist()
            ((2, 3), [1.0, 1.0])
            >>> sorted(net.cache)
            ['H', 'X', 'Z1', 'Z2', 'y_hat']
            >>> net.forward(np.ones((2, 3)))
            Traceback (most recent call last):
            ...
            ValueError: Expected a 2-D array of finite numbers of shape (batch_size, 4). Received: X.shape=(2, 3)
        """
        X = check_features(X, "X", self.num_inputs)
        p = self.params
        Z1 = X @ p["W1"] + p["b1"]
        H = self._phi(Z1)
        Z2 = H @ p["W2"] + p["b2"]
        if self.output == "sigmoid":
            y_hat = sigmoid(Z2)
        elif self.output == "softmax":
            y_hat = softmax(Z2)
        else:
            y_hat = Z2
        self.cache = {"X": X, "Z1": Z1, "H": H, "Z2": Z2, "y_hat": y_hat}
        return y_hat

    def _loss_and_output_grad(self, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss of the cached forward pass and its gradient w.r.t. the logits Z2."""
        Z2 = self.cache["Z2"]
        if self.output == "linear":
            return mse(y, Z2), mse_grad(y, Z2)
        if self.output == "sigmoid":
            loss, grad = binary_crossentropy, binary_crossentropy_grad
        elif y.ndim == 1:
            loss, grad = sparse_categorical_crossentropy, sparse_categorical_crossentropy_grad
        else:
            loss, grad = categorical_crossentropy, categorical_crossentropy_grad
        return loss(y, Z2, from_logits=True), grad(y, Z2, from_logits=True)

    def loss(self, X: Any, y: Any) -> float:
        """Compute the mean loss of the network on a batch.

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.
            y: Targets: 0/1 labels for `"sigmoid"`; integer labels or one-hot
                rows for `"softmax"`; values for `"linear"`.

        Returns:
            The batch-mean loss, a float (the value Keras reports for the same
            weights and data).

        Raises:
            ValueError: If `X` or `y` has the wrong shape or values.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP
            >>> net = MLP(num_inputs=2, num_hiddens=4, num_outputs=1)
            >>> round(net.loss(np.zeros((3, 2)), [0, 1, 1]), 4)  # all outputs are 0.5
            0.6931
        """
        self.forward(X)
        y = self._check_y(y, len(self.cache["X"]))
        return self._loss_and_output_grad(y)[0]

    def backward(self, X: Any, y: Any) -> dict[str, np.ndarray]:
        """Compute the gradient of the loss for every parameter, by the chain rule.

        It runs `forward(X)`, then goes back through the layers:

        ```text
        dZ2 = (y_hat - y) / batch_size         # loss + output activation
        dW2 = H.T @ dZ2        db2 = dZ2.sum(axis=0)
        dH  = dZ2 @ W2.T
        dZ1 = dH * phi'(Z1)                    # elementwise
        dW1 = X.T @ dZ1        db1 = dZ1.sum(axis=0)
        ```

        (For `"linear"` the first line is the MSE gradient
        `2 (y_hat - y) / (batch_size * num_outputs)`.)

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.
            y: Targets, as for `loss`.

        Returns:
            A dict with the keys of `params` and arrays of the same shapes.

        Raises:
            ValueError: If `X` or `y` has the wrong shape or values.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP, numerical_gradient, relative_error
            >>> rng = np.random.default_rng(0)
            >>> X, y = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
            >>> net = MLP(num_inputs=3, num_hiddens=4, num_outputs=1,
            ...           activation="tanh")
            >>> grads = net.backward(X, y)
            >>> {name: g.shape for name, g in grads.items()}
            {'W1': (3, 4), 'b1': (4,), 'W2': (4, 1), 'b2': (1,)}
            >>> numeric = numerical_gradient(lambda _: net.loss(X, y),
            ...                              net.params["W1"])
            >>> relative_error(grads["W1"], numeric) < 1e-7
            True
        """
        self.forward(X)
        y = self._check_y(y, len(self.cache["X"]))
        return self._backward(y)[1]

    def _backward(self, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        c, p = self.cache, self.params
        loss, dZ2 = self._loss_and_output_grad(y)
        dW2 = c["H"].T @ dZ2
        db2 = dZ2.sum(axis=0)
        dH = dZ2 @ p["W2"].T
        dZ1 = dH * self._phi_grad(c["Z1"])
        dW1 = c["X"].T @ dZ1
        db1 = dZ1.sum(axis=0)
        return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

    # -- training and prediction -----------------------------------------------

    def fit(
        self,
        X: Any,
        y: Any,
        num_epochs: int = 10,
        learning_rate: float | None = None,
        batch_size: int = 32,
        optimizer: Any = None,
    ) -> list[float]:
        """Train with minibatch gradient descent, shuffling the examples each epoch.

        Each step runs `backward` on one minibatch and updates the parameters
        in place: `param -= learning_rate * grad` (plain SGD), or `optimizer.step(params,
        grads)` with an optimizer from `dlguide.scratch` (`SGD`, `Adam`, ...).

        Args:
            X: Inputs, an array of shape `(num_examples, num_inputs)`.
            y: Targets, as for `loss`.
            num_epochs: Number of passes over the data.
            learning_rate: Learning rate of plain SGD, a positive float (default 0.1).
                Leave it `None` when passing an optimizer, which has its own.
            batch_size: Number of examples per update (the last batch of an
                epoch may be smaller).
            optimizer: An object with a `step(params, grads)` method that
                updates `params` in place, or `None` for plain SGD.

        Returns:
            The loss of each epoch, a list of `num_epochs` floats: the mean of
            the minibatch losses, weighted by batch size (what Keras reports
            as `loss`).

        Raises:
            ValueError: If an argument is invalid, or both `learning_rate` and `optimizer`
                are given.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP
            >>> rng = np.random.default_rng(0)
            >>> X = rng.normal(size=(200, 2))
            >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)  # the signs agree: XOR-like
            >>> net = MLP(num_inputs=2, num_hiddens=16, num_outputs=1)
            >>> losses = net.fit(X, y, num_epochs=100, learning_rate=0.3)
            >>> print(f"loss {losses[0]:.2f} -> {losses[-1]:.2f}, "
            ...       f"accuracy {np.mean(net.predict(X) == y):.2f}")
            loss 0.69 -> 0.07, accuracy 0.99
            >>> net.fit(X, y, learning_rate=0.1, optimizer=object())
            Traceback (most recent call last):
            ...
            ValueError: Expected learning_rate=None when an optimizer is given (set the learning rate on the optimizer). Received: learning_rate=0.1
        """
        X = check_features(X, "X", self.num_inputs)
        y = self._check_y(y, len(X))
        num_epochs = check_positive_int(num_epochs, "num_epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        if optimizer is None:
            learning_rate = (
                0.1
                if learning_rate is None
                else check_positive_float(learning_rate, "learning_rate")
            )
        elif learning_rate is not None:
            raise ValueError(
                "Expected learning_rate=None when an optimizer is given (set the learning rate "
                f"on the optimizer). Received: learning_rate={learning_rate!r}"
            )
        elif not callable(getattr(optimizer, "step", None)):
            raise ValueError(
                "Expected an optimizer with a step(params, grads) method, such as "
                f"dlguide.scratch.Adam(). Received: optimizer={optimizer!r}"
            )
        losses = []
        num_examples = len(X)
        for _ in range(num_epochs):
            order = self._rng.permutation(num_examples)
            total = 0.0
            for start in range(0, num_examples, batch_size):
                batch = order[start : start + batch_size]
                self.forward(X[batch])
                loss, grads = self._backward(y[batch])
                if optimizer is None:
                    for name, grad in grads.items():
                        self.params[name] -= learning_rate * grad
                else:
                    optimizer.step(self.params, grads)
                total += loss * len(batch)
            losses.append(total / num_examples)
        return losses

    def predict(self, X: Any) -> np.ndarray:
        """Predict labels (classification) or values (regression).

        Args:
            X: Inputs, an array of shape `(batch_size, num_inputs)`.

        Returns:
            For `"sigmoid"`, 0/1 ints: shape `(batch_size,)` with one output,
            else `(batch_size, num_outputs)`. For `"softmax"`, the class with
            the highest probability, shape `(batch_size,)`. For `"linear"`,
            `y_hat` itself. Use `forward` for the probabilities.

        Raises:
            ValueError: If `X` does not have shape `(batch_size, num_inputs)`.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import MLP
            >>> net = MLP(num_inputs=4, num_hiddens=5, num_outputs=3, output="softmax")
            >>> net.predict(np.eye(4)).shape
            (4,)
        """
        y_hat = self.forward(X)
        if self.output == "softmax":
            return y_hat.argmax(axis=1)
        if self.output == "sigmoid":
            labels = (y_hat > 0.5).astype(np.int64)
            return labels[:, 0] if self.num_outputs == 1 else labels
        return y_hat
