"""What the prose says about library defaults and signatures, read from the libraries.

The code on every page runs, but a sentence such as "`keras.layers.LeakyReLU()` defaults to
`negative_slope=0.3`" or a table cell giving an optimizer's default learning rate is prose. Each
such claim is written below as a call, `keras.layers.LeakyReLU(negative_slope=0.3)`, with the
places that state it, and the tests check both sides:

- The library. A keyword argument is a named parameter of the callable's signature (not one
  swallowed by `**kwargs`) and its default is the value written; a bare name is a parameter with
  any default. `Class.call(name)` claims an argument of the call, so `name` must also not be a
  parameter of the constructor. Where the signature does not show the default (an OpenCV
  function, or `fit`'s `batch_size=None` that means 32), `observed` runs the library and returns
  the default it really uses.
- The prose. A place is a page (`"docs/<path>.md"`) or a glossary entry (`"glossary: <name>"`).
  One sentence, list item or table row of it (a row is read with its table's header) must name
  the callable (`owner`: by default its last name, the class for `.call`), each parameter (as
  written, or with spaces for underscores), and, after the callable's name, each value: a number
  equal to it in any spelling (`1e-3` or `0.001`), `True`/`False`/`None`, a string in quotes or
  backticks, or the last name of a constant (`INTER_LINEAR`). For a `.call` claim, writing the
  argument inside the constructor's parentheses (`MultiHeadAttention(..., use_causal_mask=True)`)
  fails anywhere in the place.

A new claim in a table, cheatsheet or glossary entry gets a line in `CLAIMS`. The sentences these
tests replaced stay in `OLD_WORDING` as negative cases: each must fail its claim.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import keras
import numpy as np
import pytest

from dlguide import glossary

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Name:
    """A constant written by name in a claim, e.g. `cv2.INTER_LINEAR`: its value and last name."""

    value: Any
    word: str


@dataclass(frozen=True)
class Claim:
    call: str
    places: tuple[str, ...]
    owner: str | None = None
    observed: Callable[[], Any] | None = None

    @property
    def parsed(self) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        """The callable's dotted name, the bare parameter names, and the claimed defaults."""
        node = ast.parse(self.call, mode="eval").body
        assert isinstance(node, ast.Call), f"{self.call!r} is not written as a call"
        bare = []
        for arg in node.args:
            assert isinstance(arg, ast.Name), f"{self.call!r}: a positional argument is a name"
            bare.append(arg.id)
        keywords = {}
        for keyword in node.keywords:
            try:
                keywords[keyword.arg] = ast.literal_eval(keyword.value)
            except ValueError:  # a constant such as cv2.INTER_LINEAR
                dotted = ast.unparse(keyword.value)
                keywords[keyword.arg] = Name(_resolve(dotted), dotted.rpartition(".")[2])
        return ast.unparse(node.func), tuple(bare), keywords

    @property
    def name(self) -> str:
        """The name the prose must use for the callable."""
        if self.owner:
            return self.owner
        parts = self.parsed[0].split(".")
        return parts[-2] if parts[-1] == "call" else parts[-1]


def claim(call: str, *places: str, owner: str | None = None, observed=None) -> Claim:
    return Claim(call, places, owner, observed)


def _resolve(dotted: str) -> Any:
    """`keras.layers.LeakyReLU` -> the object, importing the longest module prefix."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attribute in parts[i:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(dotted)


# --------------------------------------------------------------------------- observed defaults


def _fit_default_batch_size() -> int:
    """The batch size `fit` uses when given none: 1,000 rows take ceil(1000 / size) steps."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    steps = model.fit(np.zeros((1000, 1)), np.zeros(1000), verbose=0).params["steps"]
    sizes = [size for size in range(1, 1001) if -(-1000 // size) == steps]
    assert len(sizes) == 1, sizes
    return sizes[0]


def _opencv_default(function: Callable[..., np.ndarray], name: str, options: list[int]) -> Any:
    """The one value of `options` for `name` that gives what `function` gives without it."""
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(40, 50), dtype=np.uint8)
    image[:, 25:] //= 4  # a step edge, for Canny
    args = {cv2.resize: (image, (17, 13)), cv2.Canny: (image, 50, 150)}[function]
    default = function(*args)
    same = [o for o in options if np.array_equal(function(*args, **{name: o}), default)]
    assert len(same) == 1, f"{name}: {same} all give the default result"
    return same[0]


def _resize_default_interpolation() -> int:
    flags = [cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC, cv2.INTER_AREA]
    return _opencv_default(cv2.resize, "interpolation", [*flags, cv2.INTER_LANCZOS4])


def _canny_default_aperture() -> int:
    return _opencv_default(cv2.Canny, "apertureSize", [3, 5, 7])


# --------------------------------------------------------------------------- the claims

ACTIVATIONS = "docs/foundations/activations.md"
CHEATSHEET = "docs/cheatsheets/activations-losses-optimizers.md"
OPTIMIZERS = "docs/foundations/optimizers.md"

CLAIMS = [
    # Activations
    claim("keras.layers.LeakyReLU(negative_slope=0.3)",
          ACTIVATIONS, CHEATSHEET, "glossary: Leaky ReLU"),
    claim("keras.activations.leaky_relu(negative_slope=0.2)",
          ACTIVATIONS, CHEATSHEET, "glossary: Leaky ReLU", owner="activations.leaky_relu"),
    claim("keras.ops.gelu(approximate=True)", ACTIVATIONS, CHEATSHEET, owner="ops.gelu"),
    claim("keras.activations.gelu(approximate=False)", ACTIVATIONS, owner="activations.gelu"),
    # Optimizers: the tables of defaults
    claim("keras.optimizers.SGD(learning_rate=0.01)", OPTIMIZERS, CHEATSHEET),
    claim("keras.optimizers.RMSprop(learning_rate=0.001)", OPTIMIZERS, CHEATSHEET),
    claim("keras.optimizers.Adagrad(learning_rate=0.001)", OPTIMIZERS, CHEATSHEET),
    claim("keras.optimizers.Adam(learning_rate=0.001)", OPTIMIZERS, CHEATSHEET, "glossary: Adam"),
    claim("keras.optimizers.AdamW(learning_rate=0.001)", OPTIMIZERS, CHEATSHEET),
    claim("keras.optimizers.AdamW(weight_decay=0.004)", OPTIMIZERS, CHEATSHEET),
    # Training
    claim("keras.Model.fit(batch_size=32)", "glossary: Batch size",
          owner="fit", observed=_fit_default_batch_size),
    claim("keras.callbacks.EarlyStopping(monitor='val_loss')", "docs/cheatsheets/keras.md"),
    claim("keras.layers.BatchNormalization(momentum=0.99)",
          "docs/foundations/training-practice.md"),
    claim("keras.layers.Dense(kernel_initializer='glorot_uniform')",
          "glossary: Glorot initialisation"),
    claim("keras.layers.Conv2D(kernel_initializer='glorot_uniform')",
          "glossary: Glorot initialisation"),
    claim("sklearn.metrics.f1_score(average='binary')", "docs/cheatsheets/metrics.md"),
    claim("sklearn.metrics.f1_score(pos_label=1)", "docs/cheatsheets/metrics.md"),
    # Images
    claim("keras.layers.RandomRotation(fill_mode='reflect')",
          "docs/architectures/augmentation.md"),
    claim("dlguide.models.augmentation(fill_mode='reflect')",
          "docs/architectures/augmentation.md", owner="dlguide.augmentation"),
    claim("cv2.resize(interpolation=cv2.INTER_LINEAR)", "docs/architectures/opencv.md",
          owner="cv2.resize", observed=_resize_default_interpolation),
    claim("dlguide.vision.resize(interpolation='area')", "docs/architectures/opencv.md",
          owner="vision.resize"),
    claim("cv2.Canny(apertureSize=3)", "docs/architectures/opencv.md", "glossary: Edge detection",
          owner="cv2.Canny", observed=_canny_default_aperture),
    # Sequences and attention
    claim("keras.layers.LSTM(return_sequences=False)",
          "glossary: Hidden state", "glossary: Many-to-one"),
    claim("keras.layers.GRU(return_sequences=False)", "glossary: Hidden state"),
    claim("keras.layers.SimpleRNN(return_sequences=False)", "glossary: Hidden state"),
    claim("keras.layers.LSTM(unit_forget_bias=True)", "glossary: Forget gate"),
    claim("keras.layers.GRU(reset_after=True)", "docs/architectures/lstm-gru.md"),
    claim("keras.layers.MultiHeadAttention.call(use_causal_mask)", "glossary: Causal mask"),
    claim("keras.ops.dot_product_attention(flash_attention=None)", "glossary: Flash attention"),
]  # fmt: skip

# Wording these tests replaced, in the place it stood: each must fail its claim.
OLD_WORDING = [
    (  # activations.md, leaky ReLU row
        "keras.layers.LeakyReLU(negative_slope=0.3)",
        "| leaky ReLU | $z$ if $z > 0$ else $\\alpha z$ (Keras: $\\alpha = 0.2$) | "
        "$(-\\infty, \\infty)$ | hidden layers where ReLUs die | one more hyperparameter |",
    ),
    (  # glossary, Leaky ReLU
        "keras.layers.LeakyReLU(negative_slope=0.3)",
        "A fix for dying ReLUs: the negative side keeps a slope such as 0.01 or 0.2. In\n"
        'Keras, `keras.layers.LeakyReLU(negative_slope=0.2)` or `activation="leaky_relu"`.',
    ),
    (  # glossary, Causal mask
        "keras.layers.MultiHeadAttention.call(use_causal_mask)",
        "What makes GPT-style decoders generate left to right. `MultiHeadAttention(...,\n"
        "use_causal_mask=True)` in Keras.",
    ),
    (  # opencv.md, resize
        "cv2.resize(interpolation=cv2.INTER_LINEAR)",
        'Shrinking averages blocks of pixels (`interpolation="area"`, the default), so detail is '
        "lost for\ngood: at 32x32, the size of a CIFAR-10 image, the astronaut is a blur.",
    ),
    (  # glossary, Edge detection: Canny blurs by itself
        "cv2.Canny(apertureSize=3)",
        "The Canny detector (`cv2.Canny(image, 100, 200)`) smooths, takes gradients and keeps\n"
        "thin connected edges.",
    ),
    (  # glossary, Batch size, said without the function it is a default of
        "keras.Model.fit(batch_size=32)",
        "`batch_size=32` is the Keras default. Larger batches give smoother gradients.",
    ),
    (  # a swapped pair: the value must follow the name it belongs to
        "keras.activations.gelu(approximate=False)",
        "`keras.ops.gelu` is exact (`approximate=False`), `keras.activations.gelu` uses the tanh "
        "approximation (`approximate=True`).",
    ),
]


# --------------------------------------------------------------------------- checking


def library_problems(c: Claim) -> list[str]:
    """What is wrong with `c` according to the library itself (empty if it holds)."""
    target, bare, keywords = c.parsed
    function = _resolve(target)
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        signature = None
    if signature is None and c.observed is None:
        return [f"{target} has no Python signature: give the claim an `observed` function"]
    problems = []
    if signature is not None:
        named = {
            p.name: p
            for p in signature.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }
        for name in [*bare, *keywords]:
            if name not in named:
                problems.append(f"{target} has no parameter {name!r}; it has {sorted(named)}")
        defaults = {name: named[name].default for name in keywords if name in named}
    if c.observed is not None:
        assert len(keywords) == 1 and not bare, "`observed` gives the default of one keyword"
        defaults = {next(iter(keywords)): c.observed()}
    for name, default in defaults.items():
        claimed = keywords[name]
        value = claimed.value if isinstance(claimed, Name) else claimed
        if default is inspect.Parameter.empty:
            problems.append(f"{target}: {name} is required, it has no default")
        elif not (default == value and isinstance(default, bool) == isinstance(value, bool)):
            problems.append(f"{target}: the default of {name} is {default!r}, not {value!r}")
    if target.endswith(".call"):
        constructor = inspect.signature(_resolve(target.rpartition(".")[0])).parameters
        for name in [*bare, *keywords]:
            if name in constructor:
                problems.append(
                    f"{name!r} is an argument of the constructor too, not only the call"
                )
    return problems


@cache
def place_text(place: str) -> str:
    kind, _, where = place.partition(": ")
    if kind == "glossary":
        term = glossary.lookup(where)
        assert term.name == where, f"{place}: the glossary entry is called {term.name!r}"
        return f"{term.short}\n\n{term.long}"
    path = ROOT / place
    assert path.is_file(), f"{place} does not exist"
    return path.read_text(encoding="utf-8")


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\[(\"$])")


def units(text: str) -> Iterator[tuple[str, str]]:
    """(context, unit) pairs: every table row with its header, every sentence and list item."""
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("|") for line in lines):
            for row in lines[2:]:
                yield lines[0], row
            continue
        items: list[list[str]] = []
        for line in lines:
            if _ITEM.match(line) or not items:
                items.append([_ITEM.sub("", line)])
            else:
                items[-1].append(line)
        for item in items:
            for sentence in _SENTENCE_END.split(" ".join(item)):
                yield "", sentence


def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")


def _mentions_value(text: str, value: Any) -> bool:
    if isinstance(value, Name):
        return bool(_word(value.word).search(text))
    if value is None or isinstance(value, bool):
        return bool(_word(str(value)).search(text))
    if isinstance(value, int | float):
        return any(float(n) == value for n in _NUMBER.findall(text))
    if isinstance(value, str):
        return any(f"{q}{value}{q}" in text for q in ('"', "'", "`"))
    raise TypeError(f"cannot look for {value!r} in prose")


def states(c: Claim, context: str, unit: str) -> bool:
    """Whether one sentence or row (`unit`, with its table header `context`) states `c`."""
    _, bare, keywords = c.parsed
    owner = _word(c.name).search(unit)
    if owner is None:
        return False
    for name in [*bare, *keywords]:
        spellings = {name, name.replace("_", " ")}
        if not any(_word(s).search(f"{context}\n{unit}") for s in spellings):
            return False
    after = unit[owner.start() :]
    return all(_mentions_value(after, value) for value in keywords.values())


def prose_problems(c: Claim, place: str, text: str | None = None) -> list[str]:
    """What is wrong with how `place` (or `text`, standing for it) states `c`."""
    text = place_text(place) if text is None else text
    target, bare, keywords = c.parsed
    problems = []
    if not any(states(c, context, unit) for context, unit in units(text)):
        said = ", ".join([*bare, *(f"{k}={v.word if isinstance(v, Name) else v!r}"
                                   for k, v in keywords.items())])  # fmt: skip
        problems.append(
            f"{place}: no sentence or table row names {c.name} with {said} (the value after "
            f"the name), as the claim {c.call} says"
        )
    if target.endswith(".call"):
        for name in [*bare, *keywords]:
            if re.search(rf"{_word(c.name).pattern}\([^()]*\b{name}\b", text):
                problems.append(
                    f"{place}: {name} is written as an argument of the {c.name} constructor; "
                    "it is an argument of the call"
                )
    return problems


# --------------------------------------------------------------------------- tests

CLAIM_IDS = [c.call for c in CLAIMS]


@pytest.mark.parametrize("c", CLAIMS, ids=CLAIM_IDS)
def test_the_library_agrees(c):
    assert not library_problems(c)


@pytest.mark.parametrize(
    ("c", "place"), [(c, p) for c in CLAIMS for p in c.places], ids=lambda x: getattr(x, "call", x)
)
def test_the_prose_states_it(c, place):
    assert not prose_problems(c, place)


def test_every_claim_has_a_place():
    assert all(c.places for c in CLAIMS)
    assert len(set(CLAIM_IDS)) == len(CLAIM_IDS)


@pytest.mark.parametrize(("call", "old"), OLD_WORDING, ids=[o[0] for o in OLD_WORDING])
def test_the_old_wrong_wording_fails(call, old):
    (c,) = [c for c in CLAIMS if c.call == call]
    assert prose_problems(c, "old wording", text=old)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("keras.layers.LeakyReLU(negative_slope=0.2)", "default of negative_slope is 0.3"),
        ("keras.activations.leaky_relu(negative_slope=0.3)", "is 0.2, not 0.3"),
        ("keras.layers.MultiHeadAttention(use_causal_mask=True)", "no parameter 'use_causal_mask'"),
        ("keras.layers.MultiHeadAttention.call(num_heads)", "no parameter 'num_heads'"),
        ("keras.layers.Dense(units=3)", "units is required"),
        ("keras.optimizers.Adam(learning_rate=0.01)", "is 0.001, not 0.01"),
        ("keras.layers.LSTM(unit_forget_bias=1)", "is True, not 1"),
    ],
)
def test_a_wrong_claim_fails_against_the_library(call, message):
    assert any(message in problem for problem in library_problems(claim(call, "x.md")))


def test_a_default_the_signature_does_not_show_is_observed():
    wrong = claim("cv2.resize(interpolation=cv2.INTER_AREA)", "x.md",
                  observed=_resize_default_interpolation)  # fmt: skip
    assert library_problems(wrong) == ["cv2.resize: the default of interpolation is 1, not 3"]
    assert library_problems(claim("cv2.resize(interpolation=cv2.INTER_AREA)", "x.md")) == [
        "cv2.resize has no Python signature: give the claim an `observed` function"
    ]


def test_units_read_table_rows_with_their_header_and_split_sentences():
    text = (
        "| Name | Default `learning_rate` |\n| --- | --- |\n| SGD | 0.01 |\n\n"
        "First sentence. Second one: `x`.\n- an item\n  over two lines\n- another"
    )
    assert list(units(text)) == [
        ("| Name | Default `learning_rate` |", "| SGD | 0.01 |"),
        ("", "First sentence."),
        ("", "Second one: `x`."),
        ("", "an item over two lines"),
        ("", "another"),
    ]
    sgd = claim("keras.optimizers.SGD(learning_rate=0.01)", "x.md")
    assert not prose_problems(sgd, "x", text=text)
    assert prose_problems(sgd, "x", text=text.replace("0.01", "0.1"))
