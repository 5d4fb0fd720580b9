"""Which architecture for which data: the rules behind the "Which architecture?" page."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .._validation import check_bool, check_positive_int

DATA_KINDS = ("tabular", "images", "text", "time series", "image sequence")

# Other ways to say the same kind of data -> the canonical name.
_DATA_ALIASES = {
    "table": "tabular",
    "tables": "tabular",
    "tabular data": "tabular",
    "image": "images",
    "pictures": "images",
    "texts": "text",
    "documents": "text",
    "time series": "time series",
    "timeseries": "time series",
    "series": "time series",
    "sequence": "time series",
    "sequences": "time series",
    "image sequences": "image sequence",
    "video": "image sequence",
    "videos": "image sequence",
}

# Thresholds of the decision flowchart (the page's flowchart uses the same numbers).
MANY_PHOTOS = 1_000_000  # photos: transfer learning below this (ImageNet scale), ResNet from it
MANY_IMAGES = 100_000  # images unlike photos: a small CNN below this, a deeper ResNet from it
LONG_SEQUENCE = 200  # more steps than this: shorten the sequence (or average it) first
FEW_WINDOWS = 1_000  # fewer training windows than this: the smaller GRU
MANY_TEXTS = 10_000  # at least this many texts: a recurrent body can beat averaging

# Positional arguments each builder needs, shown in `ArchitectureAdvice.call`. Every builder
# also needs `classes`, shown as `classes=classes` unless the advice sets it (forecasting: 1).
_POSITIONAL = {
    "mlp": ("input_shape",),
    "cnn": ("input_shape",),
    "resnet": ("input_shape",),
    "transfer": ("backbone",),
    "rnn": ("input_shape",),
    "cnn_lstm": ("input_shape",),
    "text_classifier": ("vocabulary_size", "sequence_length"),
}


@dataclass(frozen=True)
class ArchitectureAdvice:
    """A recommended architecture: what to build, with which `dlguide.models` builder, and why.

    Attributes:
        rule: The id of the rule that chose it (a leaf of the page's flowchart).
        architecture: The architecture's name, e.g. `"LSTM"`.
        builder: The `dlguide.models` function to call, e.g. `"rnn"`.
        arguments: Keyword arguments the advice sets on the builder.
        layers: The main Keras layers of the architecture.
        reason: Why this architecture suits the data.

    Examples:
        >>> from dlguide import advise
        >>> advice = advise.architecture("time series", sequence_length=48)
        >>> advice.architecture, advice.builder, advice.arguments
        ('LSTM', 'rnn', {'cell': 'lstm', 'classes': 1, 'classifier_activation': None})
        >>> advice.call
        "dlguide.models.rnn(input_shape, cell='lstm', classes=1, classifier_activation=None)"
        >>> advice.build((48, 1)).output_shape
        (None, 1)
    """

    rule: str
    architecture: str
    builder: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    layers: tuple[str, ...] = ()
    reason: str = ""

    @property
    def call(self) -> str:
        """The builder call to write, e.g. `"dlguide.models.cnn(input_shape, classes=classes)"`."""
        args = [*_POSITIONAL[self.builder], *(f"{k}={v!r}" for k, v in self.arguments.items())]
        if "classes" not in self.arguments:
            args.append("classes=classes")
        return f"dlguide.models.{self.builder}({', '.join(args)})"

    def build(self, *args: Any, **kwargs: Any) -> Any:
        """Call the builder with `args`, the advice's arguments and `kwargs` (which win).

        Args:
            *args: The builder's positional arguments, e.g. `input_shape`.
            **kwargs: More keyword arguments for the builder.

        Returns:
            The uncompiled `keras.Model` the builder returns.

        Examples:
            >>> from dlguide import advise
            >>> advice = advise.architecture("tabular")
            >>> advice.call
            'dlguide.models.mlp(input_shape, classes=classes)'
            >>> model = advice.build(30, classes=1, classifier_activation="sigmoid")
            >>> model.output_shape
            (None, 1)
        """
        from .. import models

        return getattr(models, self.builder)(*args, **{**self.arguments, **kwargs})

    def __str__(self) -> str:
        reason = textwrap.fill(
            self.reason, width=88, initial_indent="  why:    ", subsequent_indent=" " * 10
        )
        return "\n".join(
            [
                self.architecture,
                f"  call:   {self.call}",
                f"  layers: {', '.join(self.layers)}",
                reason,
            ]
        )


RULES: dict[str, ArchitectureAdvice] = {
    advice.rule: advice
    for advice in (
        ArchitectureAdvice(
            "tabular_mlp",
            "MLP",
            "mlp",
            layers=("Dense",),
            reason=(
                "Columns of a table have no spatial or time order for a convolution or a "
                "recurrence to use; stacked Dense layers can mix them in any way. Standardise "
                "the columns, and compare with a linear model or gradient-boosted trees."
            ),
        ),
        ArchitectureAdvice(
            "images_transfer",
            "Transfer learning",
            "transfer",
            layers=("GlobalAveragePooling2D", "Dense"),
            reason=(
                "A backbone pretrained on ImageNet's 1.2 million photos has already learned "
                "the features photos share; reusing it beats training from scratch, or matches "
                "it much faster, at almost any dataset size below ImageNet's. Train a new head "
                "on the frozen backbone, then fine-tune its top layers with a small learning "
                "rate (more of them, the more images you have)."
            ),
        ),
        ArchitectureAdvice(
            "images_resnet",
            "ResNet",
            "resnet",
            layers=("Conv2D", "BatchNormalization", "Add", "GlobalAveragePooling2D"),
            reason=(
                f"Trained from scratch, depth pays off with {MANY_IMAGES:,} images or more "
                f"unlike photos, or {MANY_PHOTOS:,} photos or more (ImageNet's scale); "
                "residual connections and batch normalisation keep a deep network easy to "
                "optimise."
            ),
        ),
        ArchitectureAdvice(
            "images_cnn",
            "CNN",
            "cnn",
            layers=("Conv2D", "MaxPooling2D", "Dense"),
            reason=(
                "Images unlike photos (digits, symbols, small grey images) gain little from "
                "features learned on photos. Convolutions share a small filter across the "
                "whole image, so a small CNN trained from scratch finds a pattern wherever it "
                "is with few weights; pooling adds tolerance to small shifts. Add data "
                "augmentation if the model overfits."
            ),
        ),
        ArchitectureAdvice(
            "text_pooled",
            "Averaged word embeddings",
            "text_classifier",
            {"body": "pooled"},
            layers=("Embedding", "GlobalAveragePooling1D", "Dense"),
            reason=(
                "Averaging learned word vectors is fast, order-blind and hard to beat on "
                f"long texts (over {LONG_SEQUENCE} tokens) or fewer than {MANY_TEXTS:,} "
                "examples; start here and keep it as the baseline."
            ),
        ),
        ArchitectureAdvice(
            "text_recurrent",
            "Bidirectional LSTM",
            "text_classifier",
            {"body": "lstm", "bidirectional": True},
            layers=("Embedding", "Bidirectional", "LSTM", "Dense"),
            reason=(
                f"With {MANY_TEXTS:,} texts or more of up to {LONG_SEQUENCE} tokens, a "
                "recurrent layer can learn from word order (negations, phrases); reading in "
                "both directions gives every word its left and right context."
            ),
        ),
        ArchitectureAdvice(
            "series_cnn_lstm",
            "CNN + LSTM",
            "cnn_lstm",
            {"classes": 1, "classifier_activation": None},
            layers=("Conv1D", "MaxPooling1D", "LSTM", "Dense"),
            reason=(
                f"Over {LONG_SEQUENCE} steps, an LSTM alone is slow and forgets the start; "
                "Conv1D and pooling first turn the series into fewer, richer steps. Compare "
                "with the naive forecast."
            ),
        ),
        ArchitectureAdvice(
            "series_gru",
            "GRU",
            "rnn",
            {"cell": "gru", "classes": 1, "classifier_activation": None},
            layers=("GRU", "Dense"),
            reason=(
                f"With fewer than {FEW_WINDOWS:,} training windows, the GRU's gates keep a "
                "memory like an LSTM's with a quarter fewer weights, so it overfits less. "
                "Compare with the naive forecast."
            ),
        ),
        ArchitectureAdvice(
            "series_lstm",
            "LSTM",
            "rnn",
            {"cell": "lstm", "classes": 1, "classifier_activation": None},
            layers=("LSTM", "Dense"),
            reason=(
                "The LSTM's cell state is scaled by a learned forget gate at every step, so "
                "training can keep information and gradients over many time steps. Split the "
                "series in time order and compare with the naive forecast."
            ),
        ),
        ArchitectureAdvice(
            "image_sequence_cnn_lstm",
            "CNN + LSTM",
            "cnn_lstm",
            layers=("TimeDistributed", "Conv2D", "LSTM", "Dense"),
            reason=(
                "Each frame is an image, so a CNN applied to every frame (TimeDistributed) "
                "extracts its features; an LSTM then reads the frames in order."
            ),
        ),
    )
}


def _check_data(data: Any) -> str:
    if isinstance(data, str):
        key = re.sub(r"[\s_-]+", " ", data.strip().lower())
        key = _DATA_ALIASES.get(key, key)
        if key in DATA_KINDS:
            return key
    import difflib

    close = difflib.get_close_matches(str(data).lower(), [*DATA_KINDS, *_DATA_ALIASES], n=1)
    hint = f" Did you mean {_DATA_ALIASES.get(close[0], close[0])!r}?" if close else ""
    raise ValueError(
        f"Expected one of {', '.join(map(repr, DATA_KINDS))}.{hint} Received: data={data!r}"
    )


def architecture(
    data: str,
    *,
    num_examples: int | None = None,
    sequence_length: int | None = None,
    photos: bool = True,
) -> ArchitectureAdvice:
    """Recommend an architecture, and the `dlguide.models` builder to call, for a dataset.

    The rules follow the flowchart of the "Which architecture?" page. A value
    you leave as `None` (unknown) answers "no" to every question about it.

    - `"tabular"`: an MLP.
    - `"images"`: for photos, transfer learning, or a ResNet from scratch
      from 1,000,000 examples; for images unlike photos (`photos=False`:
      digits, symbols, small grey images), a CNN, or a ResNet from 100,000.
    - `"text"`: averaged word embeddings for texts over 200 tokens or fewer
      than 10,000 examples, else a bidirectional LSTM.
    - `"time series"`: CNN + LSTM over 200 steps, else a GRU below 1,000
      training windows, else an LSTM.
    - `"image sequence"` (video): a CNN on every frame, then an LSTM.

    Args:
        data: The kind of one example: `"tabular"`, `"images"`, `"text"`,
            `"time series"` or `"image sequence"` (also `"video"`, `"table"`,
            `"image"`, ...).
        num_examples: Number of labelled training examples (images, texts,
            rows, or windows cut from a series).
        sequence_length: Time steps (or tokens) per example.
        photos: For `"images"`: whether they are photographs of everyday
            scenes and objects, like ImageNet's, which a pretrained backbone
            knows. `False` for images unlike them, such as handwritten digits.

    Returns:
        An `ArchitectureAdvice`: the architecture, its builder and the reason.

    Raises:
        ValueError: If `data` is not a known kind, a count is not a
            positive integer or `photos` is not a bool.

    Examples:
        >>> from dlguide import advise
        >>> print(advise.architecture("images", num_examples=60_000))
        Transfer learning
          call:   dlguide.models.transfer(backbone, classes=classes)
          layers: GlobalAveragePooling2D, Dense
          why:    A backbone pretrained on ImageNet's 1.2 million photos has already learned the
                  features photos share; reusing it beats training from scratch, or matches it
                  much faster, at almost any dataset size below ImageNet's. Train a new head on
                  the frozen backbone, then fine-tune its top layers with a small learning rate
                  (more of them, the more images you have).
        >>> digits = advise.architecture("images", num_examples=60_000,
        ...                               photos=False)
        >>> digits.builder
        'cnn'
        >>> advise.architecture("video").architecture
        'CNN + LSTM'
        >>> advise.architecture("photos")
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'tabular', 'images', 'text', 'time series', 'image sequence'. Received: data='photos'
    """
    data = _check_data(data)
    if num_examples is not None:
        num_examples = check_positive_int(num_examples, "num_examples")
    if sequence_length is not None:
        sequence_length = check_positive_int(sequence_length, "sequence_length")
    photos = check_bool(photos, "photos")

    def below(value: int | None, limit: int) -> bool:
        return value is not None and value < limit

    def at_least(value: int | None, limit: int) -> bool:
        return value is not None and value >= limit

    def over(value: int | None, limit: int) -> bool:
        return value is not None and value > limit

    if data == "tabular":
        rule = "tabular_mlp"
    elif data == "images":
        if photos:
            rule = "images_resnet" if at_least(num_examples, MANY_PHOTOS) else "images_transfer"
        elif at_least(num_examples, MANY_IMAGES):
            rule = "images_resnet"
        else:
            rule = "images_cnn"
    elif data == "text":
        if over(sequence_length, LONG_SEQUENCE):
            rule = "text_pooled"
        elif at_least(num_examples, MANY_TEXTS):
            rule = "text_recurrent"
        else:
            rule = "text_pooled"
    elif data == "time series":
        if over(sequence_length, LONG_SEQUENCE):
            rule = "series_cnn_lstm"
        elif below(num_examples, FEW_WINDOWS):
            rule = "series_gru"
        else:
            rule = "series_lstm"
    else:
        rule = "image_sequence_cnn_lstm"
    advice = RULES[rule]
    return replace(advice, arguments=dict(advice.arguments))  # a copy the caller may change
