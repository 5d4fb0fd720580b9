"""Which optimizer, with which learning rate: the rules behind the page's second flowchart."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .._validation import check_bool, check_choice
from ._architecture import _POSITIONAL, ArchitectureAdvice

# Builders whose models are recurrent (their gradients flow through time).
RECURRENT = ("rnn", "cnn_lstm", "char_language_model")


@dataclass(frozen=True)
class OptimizerAdvice:
    """A recommended optimizer: the Keras class, its arguments and why.

    Attributes:
        rule: The id of the rule that chose it (a leaf of the page's flowchart).
        optimizer: The `keras.optimizers` class name, e.g. `"Adam"`.
        arguments: Its keyword arguments, e.g. `{"learning_rate": 0.001}`.
        reason: Why this optimizer suits the situation.

    Examples:
        >>> from dlguide import advise
        >>> advice = advise.optimizer("rnn")
        >>> advice.call
        'keras.optimizers.Adam(learning_rate=0.001, clipnorm=1.0)'
        >>> type(advice.build()).__name__
        'Adam'
    """

    rule: str
    optimizer: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def call(self) -> str:
        """The Keras call to write, e.g. `"keras.optimizers.Adam(learning_rate=0.001)"`."""
        args = ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())
        return f"keras.optimizers.{self.optimizer}({args})"

    def build(self, **kwargs: Any) -> Any:
        """Create the Keras optimizer, with `kwargs` overriding the advised arguments.

        Args:
            **kwargs: Keyword arguments for the optimizer's class.

        Returns:
            A new `keras.optimizers.Optimizer`.

        Examples:
            >>> from dlguide import advise
            >>> optimizer = advise.optimizer("cnn", tune_for_accuracy=True).build()
            >>> (type(optimizer).__name__, float(optimizer.learning_rate),
            ...  optimizer.nesterov)
            ('SGD', 0.1, True)
        """
        import keras

        return getattr(keras.optimizers, self.optimizer)(**{**self.arguments, **kwargs})

    def __str__(self) -> str:
        reason = textwrap.fill(
            self.reason, width=88, initial_indent="  why:  ", subsequent_indent=" " * 8
        )
        return f"{self.optimizer}\n  call: {self.call}\n{reason}"


OPTIMIZER_RULES: dict[str, OptimizerAdvice] = {
    advice.rule: advice
    for advice in (
        OptimizerAdvice(
            "fine_tune",
            "Adam",
            {"learning_rate": 1e-5},
            "Unfrozen pretrained layers need steps about 100 times smaller than usual, or "
            "the first updates wreck the features they learned.",
        ),
        OptimizerAdvice(
            "adamw",
            "AdamW",
            {"learning_rate": 1e-3, "weight_decay": 0.05},
            "Large models and long runs (transformers, big CNNs) train best with decoupled "
            "weight decay; add warm-up and a decaying learning-rate schedule.",
        ),
        OptimizerAdvice(
            "adagrad",
            "Adagrad",
            {"learning_rate": 0.01},
            "With sparse inputs (rare words, one-hot ids) Adagrad gives rarely seen features "
            "larger steps; Adam is the alternative.",
        ),
        OptimizerAdvice(
            "adam_clipped",
            "Adam",
            {"learning_rate": 1e-3, "clipnorm": 1.0},
            "Gradients through many time steps can explode; clipping their norm at 1 keeps "
            "one bad batch from wrecking the weights of a recurrent network.",
        ),
        OptimizerAdvice(
            "sgd_momentum",
            "SGD",
            {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
            "With time to tune a learning-rate schedule, SGD with Nesterov momentum often "
            "generalises a little better than Adam: the classic choice for image CNNs.",
        ),
        OptimizerAdvice(
            "adam",
            "Adam",
            {"learning_rate": 1e-3},
            "Adam at 1e-3 works out of the box for most models; tune the learning rate "
            "(3e-4, 1e-3, 3e-3) before changing the optimizer.",
        ),
    )
}


def _is_recurrent(architecture: ArchitectureAdvice | str | None) -> bool:
    if isinstance(architecture, ArchitectureAdvice):
        if architecture.builder == "text_classifier":
            return architecture.arguments.get("body", "pooled") != "pooled"
        return architecture.builder in RECURRENT
    return architecture in RECURRENT


def optimizer(
    architecture: ArchitectureAdvice | str | None = None,
    *,
    fine_tuning: bool = False,
    large_model: bool = False,
    sparse_inputs: bool = False,
    tune_for_accuracy: bool = False,
) -> OptimizerAdvice:
    """Recommend an optimizer and its learning rate.

    The questions are asked in this order (the page's flowchart): fine-tuning
    a pretrained model? a large model? sparse inputs? a recurrent model? time
    to tune for the last bit of accuracy? If every answer is no: Adam at 1e-3.

    Args:
        architecture: An `ArchitectureAdvice`, or the name of a
            `dlguide.models` builder such as `"rnn"`; `None` if unknown.
        fine_tuning: Training unfrozen layers of a pretrained backbone.
        large_model: A large model or a long run (transformers, big CNNs).
        sparse_inputs: Inputs that are mostly zeros, such as one-hot ids of
            rare words.
        tune_for_accuracy: There is time to tune a schedule, and the last
            percent of accuracy matters.

    Returns:
        An `OptimizerAdvice`: the Keras optimizer, its arguments and the reason.

    Raises:
        ValueError: If `architecture` is not a builder name or an advice, or a
            flag is not a bool.

    Examples:
        >>> from dlguide import advise
        >>> print(advise.optimizer("mlp"))
        Adam
          call: keras.optimizers.Adam(learning_rate=0.001)
          why:  Adam at 1e-3 works out of the box for most models; tune the learning rate (3e-4,
                1e-3, 3e-3) before changing the optimizer.
        >>> advise.optimizer("transfer", fine_tuning=True).call
        'keras.optimizers.Adam(learning_rate=1e-05)'
        >>> advise.optimizer(advise.architecture("time series")).rule
        'adam_clipped'
    """
    if architecture is not None and not isinstance(architecture, ArchitectureAdvice):
        check_choice(architecture, "architecture", (*_POSITIONAL, *RECURRENT[2:]))
    for name, flag in [
        ("fine_tuning", fine_tuning),
        ("large_model", large_model),
        ("sparse_inputs", sparse_inputs),
        ("tune_for_accuracy", tune_for_accuracy),
    ]:
        check_bool(flag, name)
    if fine_tuning:
        rule = "fine_tune"
    elif large_model:
        rule = "adamw"
    elif sparse_inputs:
        rule = "adagrad"
    elif _is_recurrent(architecture):
        rule = "adam_clipped"
    elif tune_for_accuracy:
        rule = "sgd_momentum"
    else:
        rule = "adam"
    advice = OPTIMIZER_RULES[rule]
    return replace(advice, arguments=dict(advice.arguments))
