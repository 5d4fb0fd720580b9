"""Optimizers as NumPy update rules, step for step the ones of `keras.optimizers`.

Each class keeps the same defaults and the same arithmetic as its Keras
namesake (Keras 3), so that, fed the same gradients, it follows the same
trajectory. Parameters live in a dict of NumPy arrays and `step` updates them
in place; the optimizer keeps its state (momentums, velocities, accumulators)
per key of that dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._validation import (
    check_bool,
    check_non_negative_float,
    check_positive_float,
    check_rate,
)


def _check_params_and_grads(params: Any, grads: Any) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Validate `params`/`grads` and return (key, param, grad as float64) triples."""
    if not isinstance(params, dict) or not params:
        raise ValueError(
            "Expected a non-empty dict of NumPy float arrays (name -> array), "
            f"updated in place. Received: params={params!r}"
        )
    if not isinstance(grads, Mapping):
        raise ValueError(f"Expected a dict of gradients (name -> array). Received: grads={grads!r}")
    if set(grads) != set(params):
        raise ValueError(
            f"Expected grads with the same keys as params {tuple(sorted(params))}. "
            f"Received: grads keys={tuple(sorted(grads, key=str))}"
        )
    triples = []
    for key, param in params.items():
        if (
            not isinstance(param, np.ndarray)
            or not np.issubdtype(param.dtype, np.floating)
            or not param.flags.writeable
        ):
            raise ValueError(
                f"Expected params[{key!r}] to be a writeable NumPy array of floats "
                f"(it is updated in place). Received: params[{key!r}]={param!r}"
            )
        try:
            grad = np.array(grads[key], dtype=np.float64)  # a copy: params may change first
        except (TypeError, ValueError):
            raise ValueError(
                f"Expected grads[{key!r}] to be an array of numbers. "
                f"Received: grads[{key!r}]={grads[key]!r}"
            ) from None
        if grad.shape != param.shape:
            raise ValueError(
                f"Expected grads[{key!r}] with the shape of params[{key!r}], "
                f"{param.shape}. Received: grads[{key!r}].shape={grad.shape}"
            )
        triples.append((key, param, grad))
    return triples


class _Optimizer:
    """Shared machinery: argument checks, per-key state and the step counter."""

    _hyperparameters: tuple[str, ...] = ("learning_rate",)

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = check_positive_float(learning_rate, "learning_rate")
        self.iterations = 0

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._hyperparameters)
        return f"{type(self).__name__}({args})"

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, Any]) -> None:
        """Apply one update to every parameter, in place.

        Args:
            params: Parameter name -> NumPy float array. Updated in place.
            grads: Parameter name -> gradient of the loss w.r.t. that parameter,
                with the same keys and shapes as `params`.

        Returns:
            None. `params` holds the new values and `iterations` grows by one.

        Raises:
            ValueError: If `params` is not a dict of float arrays or `grads`
                does not have the same keys and shapes.
        """
        triples = _check_params_and_grads(params, grads)
        self._before_update(triples)
        for key, param, grad in triples:
            self._update(key, param, grad)
        self.iterations += 1

    def _before_update(self, triples: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """Hook run once per step before the per-parameter updates."""

    def _update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError


class SGD(_Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    The update rules, as in `keras.optimizers.SGD`, for a gradient `g`:

    - plain (`momentum=0`): `w = w - learning_rate * g`;
    - momentum: `m = momentum * m - learning_rate * g`, then `w = w + m`;
    - Nesterov: the same `m`, then `w = w + momentum * m - learning_rate * g`.

    `m` starts at zero and is kept per parameter in `momentums`.

    Args:
        learning_rate: Learning rate, > 0.
        momentum: Momentum in [0, 1); 0 gives plain gradient descent.
        nesterov: Whether to use Nesterov momentum.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import SGD
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> opt = SGD(learning_rate=0.1, momentum=0.9)
        >>> for _ in range(3):
        ...     opt.step(params, {"w": 2 * params["w"]})  # gradient of sum(w ** 2)
        >>> opt, opt.iterations
        (SGD(learning_rate=0.1, momentum=0.9, nesterov=False), 3)
        >>> np.round(params["w"], 4), np.round(opt.momentums["w"], 4)
        (array([ 0.062, -0.124]), array([-0.398,  0.796]))
        >>> SGD(learning_rate=-1)
        Traceback (most recent call last):
        ...
        ValueError: Expected a positive float. Received: learning_rate=-1
    """

    _hyperparameters = ("learning_rate", "momentum", "nesterov")

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate)
        self.momentum = check_rate(momentum, "momentum")
        self.nesterov = check_bool(nesterov, "nesterov")
        self.momentums: dict[str, np.ndarray] = {}

    def _update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        if self.momentum == 0:
            param -= grad * self.learning_rate
            return
        m = self.momentums.setdefault(key, np.zeros(param.shape))
        m[...] = m * self.momentum - grad * self.learning_rate
        if self.nesterov:
            param += m * self.momentum - grad * self.learning_rate
        else:
            param += m


class RMSprop(_Optimizer):
    """RMSprop: divide the step by a running root mean square of the gradients.

    As in `keras.optimizers.RMSprop` (without momentum, not centred), with
    the epsilon inside the square root:

    - `v = rho * v + (1 - rho) * g ** 2` (`v` starts at zero);
    - `w = w - learning_rate * g / sqrt(v + epsilon)`.

    Args:
        learning_rate: Learning rate, > 0.
        rho: Decay of the running average of squared gradients, in [0, 1).
        epsilon: Small constant added to `v` before the square root, > 0.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import RMSprop
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> opt = RMSprop(learning_rate=0.1)
        >>> opt.step(params, {"w": np.array([0.5, 10.0])})
        >>> # the first step is about learning_rate / sqrt(1 - rho)
        >>> np.round(params["w"], 4)
        array([ 0.6838, -2.3162])
        >>> np.round(opt.velocities["w"], 4)
        array([ 0.025, 10.   ])
        >>> RMSprop(rho=1.0)
        Traceback (most recent call last):
        ...
        ValueError: Expected a float in the range [0, 1). Received: rho=1.0
    """

    _hyperparameters = ("learning_rate", "rho", "epsilon")

    def __init__(
        self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7
    ) -> None:
        super().__init__(learning_rate)
        self.rho = check_rate(rho, "rho")
        self.epsilon = check_positive_float(epsilon, "epsilon")
        self.velocities: dict[str, np.ndarray] = {}

    def _update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        v = self.velocities.setdefault(key, np.zeros(param.shape))
        v[...] = self.rho * v + (1 - self.rho) * np.square(grad)
        param -= self.learning_rate * grad / np.sqrt(v + self.epsilon)


class Adagrad(_Optimizer):
    """AdaGrad: divide the step by the root of the sum of all squared gradients.

    As in `keras.optimizers.Adagrad`, the accumulator starts at
    `initial_accumulator_value` (not zero), and epsilon sits inside the root:

    - `a = a + g ** 2`;
    - `w = w - learning_rate * g / sqrt(a + epsilon)`.

    Args:
        learning_rate: Learning rate, > 0.
        initial_accumulator_value: Starting value of the accumulator, >= 0.
        epsilon: Small constant added to the accumulator before the root, > 0.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import Adagrad
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> opt = Adagrad(learning_rate=0.1)
        >>> for _ in range(2):
        ...     opt.step(params, {"w": np.array([0.5, 2.0])})
        >>> np.round(opt.accumulators["w"], 4)  # 0.1 + 0.5 ** 2 + 0.5 ** 2, ...
        array([0.6, 8.1])
        >>> np.round(params["w"], 4)
        array([ 0.8509, -2.169 ])
        >>> Adagrad(initial_accumulator_value=-0.1)
        Traceback (most recent call last):
        ...
        ValueError: Expected a non-negative float. Received: initial_accumulator_value=-0.1
    """

    _hyperparameters = ("learning_rate", "initial_accumulator_value", "epsilon")

    def __init__(
        self,
        learning_rate: float = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.initial_accumulator_value = check_non_negative_float(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.epsilon = check_positive_float(epsilon, "epsilon")
        self.accumulators: dict[str, np.ndarray] = {}

    def _update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        a = self.accumulators.setdefault(key, np.full(param.shape, self.initial_accumulator_value))
        a += np.square(grad)
        param -= self.learning_rate * grad / np.sqrt(a + self.epsilon)


class Adam(_Optimizer):
    """Adam: momentum on the gradient, RMSprop on its scale, with bias correction.

    As in `keras.optimizers.Adam`, at step `t` (1, 2, ...) the bias correction
    is folded into the learning rate and epsilon is added *after* the root:

    - `m = m + (g - m) * (1 - beta_1)`, `v = v + (g ** 2 - v) * (1 - beta_2)`;
    - `alpha = learning_rate * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)`;
    - `w = w - alpha * m / (sqrt(v) + epsilon)`.

    `m` and `v` start at zero and are kept per parameter in `momentums` and
    `velocities`; `iterations` counts the steps taken.

    Args:
        learning_rate: Learning rate, > 0.
        beta_1: Decay of the running mean of gradients, in [0, 1).
        beta_2: Decay of the running mean of squared gradients, in [0, 1).
        epsilon: Small constant added to `sqrt(v)`, > 0.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import Adam
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> opt = Adam(learning_rate=0.1)
        >>> opt.step(params, {"w": np.array([0.5, 100.0])})
        >>> # the first step is learning_rate * sign(g), whatever |g|
        >>> np.round(params["w"], 4)
        array([ 0.9, -2.1])
        >>> Adam(beta_2=1.5)
        Traceback (most recent call last):
        ...
        ValueError: Expected a float in the range [0, 1). Received: beta_2=1.5
    """

    _hyperparameters = ("learning_rate", "beta_1", "beta_2", "epsilon")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = check_rate(beta_1, "beta_1")
        self.beta_2 = check_rate(beta_2, "beta_2")
        self.epsilon = check_positive_float(epsilon, "epsilon")
        self.momentums: dict[str, np.ndarray] = {}
        self.velocities: dict[str, np.ndarray] = {}

    def _update(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        t = self.iterations + 1
        m = self.momentums.setdefault(key, np.zeros(param.shape))
        v = self.velocities.setdefault(key, np.zeros(param.shape))
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m += (grad - m) * (1 - self.beta_1)
        v += (np.square(grad) - v) * (1 - self.beta_2)
        param -= m * alpha / (np.sqrt(v) + self.epsilon)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay.

    As in `keras.optimizers.AdamW`, each step first shrinks every parameter
    towards zero, independently of the gradient, then applies the Adam update
    (with the gradient computed before the shrink):

    - `w = w - w * weight_decay * learning_rate`;
    - the `Adam` step.

    Args:
        learning_rate: Learning rate, > 0.
        weight_decay: Decay rate, >= 0; 0 gives plain Adam.
        beta_1: Decay of the running mean of gradients, in [0, 1).
        beta_2: Decay of the running mean of squared gradients, in [0, 1).
        epsilon: Small constant added to `sqrt(v)`, > 0.

    Raises:
        ValueError: If an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.scratch import AdamW
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> opt = AdamW(learning_rate=0.1, weight_decay=0.5)
        >>> # no gradient: only the decay acts
        >>> opt.step(params, {"w": np.zeros(2)})
        >>> np.round(params["w"], 4)
        array([ 0.95, -1.9 ])
        >>> AdamW(weight_decay=-0.01)
        Traceback (most recent call last):
        ...
        ValueError: Expected a non-negative float. Received: weight_decay=-0.01
    """

    _hyperparameters = ("learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon")

    def __init__(
        self,
        learning_rate: float = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        self.weight_decay = check_non_negative_float(weight_decay, "weight_decay")

    def _before_update(self, triples: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        for _, param, _ in triples:
            param -= param * self.weight_decay * self.learning_rate
