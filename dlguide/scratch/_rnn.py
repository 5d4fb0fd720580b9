"""Recurrent cells in NumPy: SimpleRNN, LSTM and GRU forward passes, in Keras' weight layout.

Each cell keeps its parameters in a `params` dict under the names of the
equations (d2l style: `W_xh`, `W_hh`, `b_h`, ...) and converts to and from the
three arrays of the matching Keras layer, `[kernel, recurrent_kernel, bias]`,
whose columns hold the gates side by side in Keras' order (LSTM: i, f, c, o;
GRU: z, r, h). So `cell.set_weights(keras_layer.get_weights())` makes the
NumPy cell compute what the Keras layer computes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._validation import check_array, check_bool, check_non_negative_int, check_positive_int
from ._activations import sigmoid
from ._mlp import glorot_uniform


def _orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix, Keras' default recurrent initializer."""
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _as_array(value: Any, name: str, shape: tuple[int | None, ...], wanted: str) -> np.ndarray:
    """Return `value` as a finite float64 array of `shape` (None: any size > 0)."""
    expected = f"Expected an array of finite numbers of shape {wanted}."
    return check_array(
        value,
        name,
        expected,
        ndims=(len(shape),),
        shape_ok=lambda got: all(s is None or n == s for n, s in zip(got, shape, strict=True)),
    )


class _RecurrentCell:
    """Shared code: weights in Keras' layout, the loop over time steps."""

    _gates: ClassVar[tuple[str, ...]]  # gate letters in Keras' column order
    _keras_layer: ClassVar[str]
    _num_states: ClassVar[int] = 1

    def __init__(self, num_inputs: int, num_hiddens: int, *, seed: int = 0) -> None:
        self.num_inputs = check_positive_int(num_inputs, "num_inputs")
        self.num_hiddens = check_positive_int(num_hiddens, "num_hiddens")
        self.seed = check_non_negative_int(seed, "seed")
        rng = np.random.default_rng(self.seed)
        kernel = glorot_uniform(self.num_inputs, len(self._gates) * self.num_hiddens, seed=rng)
        recurrent = np.concatenate(
            [_orthogonal(self.num_hiddens, rng) for _ in self._gates], axis=1
        )
        self.params: dict[str, np.ndarray] = {}
        self._split([kernel, recurrent, self._initial_bias()])

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(num_inputs={self.num_inputs}, "
            f"num_hiddens={self.num_hiddens}{self._repr_extra()})"
        )

    def _repr_extra(self) -> str:
        return ""

    # -- weights in Keras' layout ------------------------------------------

    def _initial_bias(self) -> np.ndarray:
        return np.zeros(len(self._gates) * self.num_hiddens)

    def _bias_shape(self) -> tuple[int, ...]:
        return (len(self._gates) * self.num_hiddens,)

    def _shapes(self) -> list[tuple[int, ...]]:
        width = len(self._gates) * self.num_hiddens
        return [(self.num_inputs, width), (self.num_hiddens, width), self._bias_shape()]

    def _split(self, weights: list[np.ndarray]) -> None:
        kernel, recurrent, bias = weights
        cols = np.split(np.arange(kernel.shape[1]), len(self._gates))
        for g, c in zip(self._gates, cols, strict=True):
            self.params[f"W_x{g}"] = kernel[:, c].copy()
            self.params[f"W_h{g}"] = recurrent[:, c].copy()
        self._split_bias(bias, cols)

    def _split_bias(self, bias: np.ndarray, cols: list[np.ndarray]) -> None:
        for g, c in zip(self._gates, cols, strict=True):
            self.params[f"b_{g}"] = bias[c].copy()

    def _join_bias(self) -> np.ndarray:
        return np.concatenate([self.params[f"b_{g}"] for g in self._gates])

    @property
    def num_params(self) -> int:
        """Number of parameters, the same as the Keras layer's `count_params()`."""
        return sum(int(np.prod(s)) for s in self._shapes())

    def get_weights(self) -> list[np.ndarray]:
        """Return `[kernel, recurrent_kernel, bias]` in the Keras layer's layout.

        Returns:
            A list of three float64 arrays, ready for `keras_layer.set_weights`.

        Examples:
            >>> from dlguide.scratch import LSTMCell
            >>> [w.shape for w in LSTMCell(num_inputs=3, num_hiddens=5).get_weights()]
            [(3, 20), (5, 20), (20,)]
        """
        kernel = np.concatenate([self.params[f"W_x{g}"] for g in self._gates], axis=1)
        recurrent = np.concatenate([self.params[f"W_h{g}"] for g in self._gates], axis=1)
        return [kernel, recurrent, self._join_bias()]

    def set_weights(self, weights: Any) -> None:
        """Replace the parameters by `[kernel, recurrent_kernel, bias]` of a Keras layer.

        Args:
            weights: The value of `keras_layer.get_weights()` for the matching
                Keras layer (same units and input features).

        Raises:
            ValueError: If there are not three arrays of the expected shapes.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import SimpleRNNCell
            >>> cell = SimpleRNNCell(num_inputs=2, num_hiddens=3)
            >>> cell.set_weights([np.ones((2, 3)), np.eye(3), np.zeros(3)])
            >>> cell.params["W_hh"].diagonal()
            array([1., 1., 1.])
        """
        shapes = self._shapes()
        names = ("kernel", "recurrent_kernel", "bias")
        expected = ", ".join(f"{n} {s}" for n, s in zip(names, shapes, strict=True))
        try:
            arrays = [np.asarray(w, dtype=np.float64) for w in weights]
        except (TypeError, ValueError):
            arrays = None
        if arrays is None or [a.shape for a in arrays] != shapes:
            got = None if arrays is None else [a.shape for a in arrays]
            raise ValueError(
                f"Expected the {self._keras_layer} weights [{expected}]. "
                f"Received: weights with shapes {got}"
            )
        self._split(arrays)

    # -- forward pass ------------------------------------------------------

    def initial_state(self, batch_size: int) -> Any:
        """Return the zero state the forward pass starts from, as Keras does.

        Args:
            batch_size: Number of sequences in the batch.

        Returns:
            `H` of shape `(batch_size, num_hiddens)` (a tuple `(H, C)` for the LSTM).

        Raises:
            ValueError: If `batch_size` is not a positive integer.

        Examples:
            >>> from dlguide.scratch import GRUCell
            >>> GRUCell(num_inputs=1, num_hiddens=4).initial_state(2).shape
            (2, 4)
        """
        batch_size = check_positive_int(batch_size, "batch_size")
        zeros = [np.zeros((batch_size, self.num_hiddens)) for _ in range(self._num_states)]
        return zeros[0] if self._num_states == 1 else tuple(zeros)

    def _check_step(self, X: Any, state: Any) -> tuple[np.ndarray, Any]:
        """Validate one step's inputs `(batch_size, num_inputs)` and its state."""
        X = _as_array(X, "X", (None, self.num_inputs), f"(batch_size, {self.num_inputs})")
        return X, self._check_state(state, X.shape[0])

    def _check_state(self, state: Any, batch_size: int) -> Any:
        shape, wanted = (batch_size, self.num_hiddens), f"({batch_size}, {self.num_hiddens})"
        if self._num_states == 1:
            return _as_array(state, "state", shape, wanted)
        if not isinstance(state, (tuple, list)) or len(state) != self._num_states:
            raise ValueError(f"Expected a tuple (H, C) of two arrays. Received: state={state!r}")
        return tuple(_as_array(s, "state", shape, wanted) for s in state)

    def step(self, X: Any, state: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def forward(
        self,
        X: Any,
        state: Any = None,
        *,
        return_sequences: bool = False,
        return_state: bool = False,
    ) -> Any:
        """Run the cell over every time step of a batch of sequences.

        This is what the Keras layer does: start from `state` (zeros by
        default), apply `step` to time steps 1, 2, ..., T in order, and return
        the last hidden state `H_T` (many-to-one) or every `H_t`.

        Args:
            X: Sequences of shape `(batch_size, num_steps, num_inputs)`.
            state: The initial state (see `initial_state`); zeros if None.
            return_sequences: Return the hidden state of every step,
                shape `(batch_size, num_steps, num_hiddens)`, instead of the
                last one, `(batch_size, num_hiddens)`.
            return_state: Also return the final state, as `(outputs, state)`.

        Returns:
            The outputs, or `(outputs, state)` if `return_state` is True.

        Raises:
            ValueError: If `X` or `state` has the wrong shape.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import LSTMCell
            >>> X = np.random.default_rng(0).normal(size=(2, 7, 3))
            >>> cell = LSTMCell(num_inputs=3, num_hiddens=4)
            >>> cell.forward(X).shape, cell.forward(X, return_sequences=True).shape
            ((2, 4), (2, 7, 4))
            >>> outputs, (H, C) = cell.forward(X, return_state=True)
            >>> bool(np.allclose(outputs, H))
            True
        """
        X = _as_array(
            X, "X", (None, None, self.num_inputs), f"(batch_size, num_steps, {self.num_inputs})"
        )
        return_sequences = check_bool(return_sequences, "return_sequences")
        return_state = check_bool(return_state, "return_state")
        batch_size = X.shape[0]
        state = (
            self.initial_state(batch_size)
            if state is None
            else self._check_state(state, batch_size)
        )
        outputs = []
        for t in range(X.shape[1]):
            state = self.step(X[:, t], state)
            outputs.append(state if self._num_states == 1 else state[0])
        Y = np.stack(outputs, axis=1) if return_sequences else outputs[-1]
        return (Y, state) if return_state else Y

    __call__ = forward


class SimpleRNNCell(_RecurrentCell):
    """The Elman RNN cell of `keras.layers.SimpleRNN` (tanh), forward pass in NumPy.

    At each time step the new hidden state mixes the input with the previous
    hidden state through one shared set of weights:

    $$
    H_t = \\tanh(X_t W_{xh} + H_{t-1} W_{hh} + b_h).
    $$

    Args:
        num_inputs: Number of input features per time step.
        num_hiddens: Number of hidden units (the Keras layer's `units`).
        seed: Seed of the initial weights, drawn like Keras' defaults
            (Glorot-uniform `W_xh`, orthogonal `W_hh`, zero bias).

    Attributes:
        params: Dict of the float64 parameters `W_xh` `(num_inputs,
            num_hiddens)`, `W_hh` `(num_hiddens, num_hiddens)` and `b_h`.
        num_params: `num_hiddens * (num_hiddens + num_inputs) + num_hiddens`.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import SimpleRNNCell
        >>> cell = SimpleRNNCell(num_inputs=3, num_hiddens=4)
        >>> {name: p.shape for name, p in cell.params.items()}
        {'W_xh': (3, 4), 'W_hh': (4, 4), 'b_h': (4,)}
        >>> cell.num_params  # 4 * (4 + 3) + 4
        32
        >>> # 2 sequences of 5 steps
        >>> X = np.random.default_rng(0).normal(size=(2, 5, 3))
        >>> cell.forward(X).shape, cell.forward(X, return_sequences=True).shape
        ((2, 4), (2, 5, 4))
    """

    _gates = ("h",)
    _keras_layer = "SimpleRNN"

    def step(self, X: Any, state: Any) -> np.ndarray:
        """Compute one time step, `H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h)`.

        Args:
            X: The inputs of this step, shape `(batch_size, num_inputs)`.
            state: The previous hidden state `H`, `(batch_size, num_hiddens)`.

        Returns:
            The new hidden state, shape `(batch_size, num_hiddens)`.

        Raises:
            ValueError: If `X` or `state` has the wrong shape.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import SimpleRNNCell
            >>> cell = SimpleRNNCell(num_inputs=1, num_hiddens=2)
            >>> H = cell.step(np.ones((3, 1)), cell.initial_state(3))
            >>> H.shape, bool(np.all(np.abs(H) < 1))
            ((3, 2), True)
        """
        X, H = self._check_step(X, state)
        p = self.params
        return np.tanh(X @ p["W_xh"] + H @ p["W_hh"] + p["b_h"])


class LSTMCell(_RecurrentCell):
    """The long short-term memory cell of `keras.layers.LSTM`, forward pass in NumPy.

    Besides the hidden state `H` the LSTM carries a memory cell `C`. Three
    sigmoid gates in (0, 1) decide what to write (input gate `I`), what to
    keep (forget gate `F`) and what to show (output gate `O`):

    $$
    \\begin{aligned}
    I_t &= \\sigma(X_t W_{xi} + H_{t-1} W_{hi} + b_i), \\\\
    F_t &= \\sigma(X_t W_{xf} + H_{t-1} W_{hf} + b_f), \\\\
    \\tilde C_t &= \\tanh(X_t W_{xc} + H_{t-1} W_{hc} + b_c), \\\\
    O_t &= \\sigma(X_t W_{xo} + H_{t-1} W_{ho} + b_o), \\\\
    C_t &= F_t \\odot C_{t-1} + I_t \\odot \\tilde C_t, \\\\
    H_t &= O_t \\odot \\tanh(C_t).
    \\end{aligned}
    $$

    Keras stores the four gates side by side in the order i, f, c, o (the
    kernel has `4 * num_hiddens` columns) and starts the forget bias at 1
    (`unit_forget_bias=True`), as this class does.

    Args:
        num_inputs: Number of input features per time step.
        num_hiddens: Number of hidden units (the Keras layer's `units`).
        seed: Seed of the initial weights, drawn like Keras' defaults.

    Attributes:
        params: Dict of the float64 parameters `W_x{g}`, `W_h{g}`, `b_{g}` for
            the gates g in i, f, c, o.
        num_params: `4 * (num_hiddens * (num_hiddens + num_inputs) + num_hiddens)`.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import LSTMCell
        >>> cell = LSTMCell(num_inputs=3, num_hiddens=4)
        >>> # Keras' gate order
        >>> [name for name in cell.params if name.startswith("W_x")]
        ['W_xi', 'W_xf', 'W_xc', 'W_xo']
        >>> cell.num_params  # 4 * (4 * (4 + 3) + 4)
        128
        >>> X = np.random.default_rng(0).normal(size=(2, 5, 3))
        >>> H, (H_last, C_last) = cell.forward(X, return_state=True)
        >>> H.shape, C_last.shape
        ((2, 4), (2, 4))
    """

    _gates = ("i", "f", "c", "o")
    _keras_layer = "LSTM"
    _num_states = 2

    def _initial_bias(self) -> np.ndarray:
        n = self.num_hiddens
        return np.concatenate([np.zeros(n), np.ones(n), np.zeros(2 * n)])

    def step(self, X: Any, state: Any) -> tuple[np.ndarray, np.ndarray]:
        """Compute one time step: the gates, then the new memory `C` and hidden state `H`.

        Args:
            X: The inputs of this step, shape `(batch_size, num_inputs)`.
            state: The previous `(H, C)`, each `(batch_size, num_hiddens)`.

        Returns:
            The new `(H, C)`.

        Raises:
            ValueError: If `X` or `state` has the wrong shape.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import LSTMCell
            >>> cell = LSTMCell(num_inputs=1, num_hiddens=2)
            >>> H, C = cell.step(np.ones((3, 1)), cell.initial_state(3))
            >>> H.shape, C.shape
            ((3, 2), (3, 2))
        """
        X, (H, C) = self._check_step(X, state)
        p = self.params
        I = sigmoid(X @ p["W_xi"] + H @ p["W_hi"] + p["b_i"])  # noqa: E741 - d2l's name
        F = sigmoid(X @ p["W_xf"] + H @ p["W_hf"] + p["b_f"])
        C_tilde = np.tanh(X @ p["W_xc"] + H @ p["W_hc"] + p["b_c"])
        O = sigmoid(X @ p["W_xo"] + H @ p["W_ho"] + p["b_o"])  # noqa: E741
        C = F * C + I * C_tilde
        H = O * np.tanh(C)
        return H, C


class GRUCell(_RecurrentCell):
    """The gated recurrent unit of `keras.layers.GRU`, forward pass in NumPy.

    Two sigmoid gates: the update gate `Z` blends the old state with a
    candidate, the reset gate `R` decides how much of the old state the
    candidate sees. With Keras' default `reset_after=True` the reset gate is
    applied after the recurrent matrix product, and the recurrent side has
    its own bias (`b_hz`, `b_hr`, `b_hh`), so Keras' bias has shape
    `(2, 3 * num_hiddens)`:

    $$
    \\begin{aligned}
    Z_t &= \\sigma(X_t W_{xz} + b_z + H_{t-1} W_{hz} + b_{hz}), \\\\
    R_t &= \\sigma(X_t W_{xr} + b_r + H_{t-1} W_{hr} + b_{hr}), \\\\
    \\tilde H_t &= \\tanh(X_t W_{xh} + b_h + R_t \\odot (H_{t-1} W_{hh} + b_{hh})), \\\\
    H_t &= Z_t \\odot H_{t-1} + (1 - Z_t) \\odot \\tilde H_t.
    \\end{aligned}
    $$

    With `reset_after=False` (the original GRU, and d2l's) there is one bias
    per gate and the candidate is
    $\\tilde H_t = \\tanh(X_t W_{xh} + (R_t \\odot H_{t-1}) W_{hh} + b_h)$.

    Args:
        num_inputs: Number of input features per time step.
        num_hiddens: Number of hidden units (the Keras layer's `units`).
        reset_after: Match `keras.layers.GRU(reset_after=...)`.
        seed: Seed of the initial weights, drawn like Keras' defaults.

    Attributes:
        params: Dict of the float64 parameters `W_x{g}`, `W_h{g}`, `b_{g}` for
            the gates g in z, r, h, plus `b_h{g}` when `reset_after`.
        num_params: `3 * (num_hiddens * (num_hiddens + num_inputs) + 2 *
            num_hiddens)` with `reset_after`, one `num_hiddens` less per gate
            without.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import GRUCell
        >>> cell = GRUCell(num_inputs=3, num_hiddens=4)
        >>> cell.num_params, GRUCell(3, 4, reset_after=False).num_params
        (108, 96)
        >>> [w.shape for w in cell.get_weights()]
        [(3, 12), (4, 12), (2, 12)]
        >>> X = np.random.default_rng(0).normal(size=(2, 5, 3))
        >>> cell.forward(X, return_sequences=True).shape
        (2, 5, 4)
    """

    _gates = ("z", "r", "h")
    _keras_layer = "GRU"

    def __init__(
        self, num_inputs: int, num_hiddens: int, *, reset_after: bool = True, seed: int = 0
    ) -> None:
        self.reset_after = check_bool(reset_after, "reset_after")
        super().__init__(num_inputs, num_hiddens, seed=seed)

    def _repr_extra(self) -> str:
        return f", reset_after={self.reset_after}"

    def _initial_bias(self) -> np.ndarray:
        return np.zeros(self._bias_shape())

    def _bias_shape(self) -> tuple[int, ...]:
        width = 3 * self.num_hiddens
        return (2, width) if self.reset_after else (width,)

    def _split_bias(self, bias: np.ndarray, cols: list[np.ndarray]) -> None:
        if not self.reset_after:
            super()._split_bias(bias, cols)
            return
        for g, c in zip(self._gates, cols, strict=True):
            self.params[f"b_{g}"] = bias[0, c].copy()
            self.params[f"b_h{g}"] = bias[1, c].copy()

    def _join_bias(self) -> np.ndarray:
        if not self.reset_after:
            return super()._join_bias()
        rows = [[self.params[f"b_{p}{g}"] for g in self._gates] for p in ("", "h")]
        return np.stack([np.concatenate(row) for row in rows])

    def step(self, X: Any, state: Any) -> np.ndarray:
        """Compute one time step: update and reset gates, candidate, new hidden state.

        Args:
            X: The inputs of this step, shape `(batch_size, num_inputs)`.
            state: The previous hidden state `H`, `(batch_size, num_hiddens)`.

        Returns:
            The new hidden state, shape `(batch_size, num_hiddens)`.

        Raises:
            ValueError: If `X` or `state` has the wrong shape.

        Examples:
            >>> import numpy as np
            >>> from dlguide.scratch import GRUCell
            >>> cell = GRUCell(num_inputs=1, num_hiddens=2)
            >>> cell.step(np.ones((3, 1)), cell.initial_state(3)).shape
            (3, 2)
        """
        X, H = self._check_step(X, state)
        p = self.params
        if self.reset_after:
            Z = sigmoid(X @ p["W_xz"] + p["b_z"] + H @ p["W_hz"] + p["b_hz"])
            R = sigmoid(X @ p["W_xr"] + p["b_r"] + H @ p["W_hr"] + p["b_hr"])
            H_tilde = np.tanh(X @ p["W_xh"] + p["b_h"] + R * (H @ p["W_hh"] + p["b_hh"]))
        else:
            Z = sigmoid(X @ p["W_xz"] + H @ p["W_hz"] + p["b_z"])
            R = sigmoid(X @ p["W_xr"] + H @ p["W_hr"] + p["b_r"])
            H_tilde = np.tanh(X @ p["W_xh"] + (R * H) @ p["W_hh"] + p["b_h"])
        return Z * H + (1 - Z) * H_tilde
