"""`dlguide.advise` and the "Which architecture?" page: the flowcharts, the table and the code agree.

The page (`docs/reference/which-architecture.md`) has two Mermaid flowcharts, the
architecture one first and the optimizer one second. In both, a leaf's node id is the
id of the rule that `dlguide.advise` returns for it, and the edges read:

- from the root (architecture chart): `-->|DATA|`, a kind of data `architecture` accepts;
- from a decision node `{"QUESTION?"}`: `-->|yes|` or `-->|no|`, where QUESTION is
  `NAME < N`, `NAME > N` or `NAME ≥ N` (a keyword argument compared with a number),
  `NAME` alone (a boolean keyword argument), or `recurrent architecture`.

`test_every_path_of_the_flowchart_gives_its_leaf` walks every path from the root to a
leaf, builds the arguments that answer its questions with values right at the
thresholds (so a threshold that differs between chart and code fails), calls the code
and expects the leaf's rule; a path whose every answer is what the defaults give (a
number left unknown, `None`, answers "no"; a boolean its default) is also tried with no
arguments but the data. With `test_every_rule_is_a_leaf` it makes the chart and the
rules agree in both directions. The comparison table's Keras layers and builders must
exist, and every rule must have its row.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keras
import pytest

import dlguide
from dlguide import advise
from dlguide.advise import _architecture, _optimizer

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "which-architecture.md"

# ----------------------------------------------------------------------- the flowcharts

_NODE = r"(\w+)\s*(?:\(\[\"(.*?)\"\]\)|\[\"(.*?)\"\]|\{\"(.*?)\"\}|\(\"(.*?)\"\))?"
_EDGE = re.compile(rf"^\s*{_NODE}\s*-->\s*(?:\|([^|]*)\|\s*)?{_NODE}\s*$")
_ALONE = re.compile(rf"^\s*{_NODE}\s*$")


class Chart:
    """A parsed Mermaid flowchart: node labels, decision nodes and labelled edges."""

    def __init__(self, source: str) -> None:
        self.labels: dict[str, str] = {}
        self.decisions: set[str] = set()
        self.edges: list[tuple[str, str, str]] = []
        lines = source.strip().splitlines()
        assert lines[0].startswith("flowchart"), lines[0]
        for line in lines[1:]:
            if not line.strip():
                continue
            edge = _EDGE.match(line)
            if edge:
                groups = edge.groups()
                self._node(groups[:5])
                self._node(groups[6:])
                self.edges.append((groups[0], groups[6], (groups[5] or "").strip()))
            else:
                alone = _ALONE.match(line)
                assert alone, f"cannot parse the flowchart line {line!r}"
                self._node(alone.groups())

    def _node(self, groups: tuple[str | None, ...]) -> None:
        node, stadium, box, decision, round_ = groups
        label = stadium or box or decision or round_
        if label is not None:
            assert self.labels.setdefault(node, label) == label, f"{node} has two labels"
        if decision is not None:
            self.decisions.add(node)

    @property
    def root(self) -> str:
        targets = {b for _, b, _ in self.edges}
        roots = {a for a, _, _ in self.edges} - targets
        assert len(roots) == 1, f"expected one root, found {roots}"
        return roots.pop()

    @property
    def leaves(self) -> set[str]:
        return {b for _, b, _ in self.edges} - {a for a, _, _ in self.edges}

    def paths(self) -> Iterator[list[tuple[str, str, str]]]:
        """Every path from the root to a leaf, as its list of edges."""

        def walk(node: str, path: list[tuple[str, str, str]]) -> Iterator[list]:
            out = [e for e in self.edges if e[0] == node]
            if not out:
                yield path
            for edge in out:
                yield from walk(edge[1], [*path, edge])

        yield from walk(self.root, [])


def _charts() -> list[Chart]:
    text = PAGE.read_text(encoding="utf-8")
    return [Chart(m) for m in re.findall(r"^```mermaid\n(.*?)^```", text, re.M | re.S)]


ARCHITECTURE_CHART, OPTIMIZER_CHART = _charts()

_QUESTION = re.compile(r"^(\w+)(?:\s*(<|>|≥)\s*([\d,]+))?\?$")


def _answers(
    chart: Chart, path: list[tuple[str, str, str]], function: Any
) -> tuple[dict[str, Any], bool]:
    """The keyword arguments that take `path`, and whether each answer is what the defaults give.

    A question about a number is answered "no" when the number is unknown (`None`, the
    default); a boolean question is answered by the default of `function`'s argument.
    """
    defaults = {name: p.default for name, p in inspect.signature(function).parameters.items()}
    kwargs: dict[str, Any] = {}
    constraints: list[tuple[str, str, int, bool]] = []
    all_default = True
    for source, _, label in path:
        if source == chart.root and source not in chart.decisions:
            if label:
                kwargs["data"] = label
            continue
        assert source in chart.decisions, f"{source} has labelled edges but is no decision"
        assert label in ("yes", "no"), f"decision {source}: edge label {label!r}"
        yes = label == "yes"
        question = chart.labels[source].replace("<br/>", " ")
        if question == "recurrent architecture?":
            kwargs["architecture"] = "rnn" if yes else "mlp"
            all_default &= not yes
            continue
        match = _QUESTION.match(question)
        assert match, f"cannot read the question {question!r}"
        name, op, number = match.groups()
        if op is None:
            assert isinstance(defaults[name], bool), f"{name} is asked yes/no but is no bool"
            kwargs[name] = yes
            all_default &= yes == defaults[name]
            continue
        all_default &= not yes
        limit = int(number.replace(",", ""))
        # Values right at the threshold: a chart and code that disagree on it fail.
        value = {
            ("<", True): limit - 1,
            ("<", False): limit,
            (">", True): limit + 1,
            (">", False): limit,
            ("≥", True): limit,
            ("≥", False): limit - 1,
        }[op, yes]
        kwargs[name] = value
        constraints.append((name, op, limit, yes))
    for name, op, limit, yes in constraints:  # a later question must not undo an earlier one
        holds = {"<": kwargs[name] < limit, ">": kwargs[name] > limit, "≥": kwargs[name] >= limit}
        assert holds[op] == yes, f"contradictory questions about {name} on {_path_id(path)}"
    return kwargs, all_default


def _path_id(path: list[tuple[str, str, str]]) -> str:
    return " > ".join(f"{a}|{label}" if label else a for a, _, label in path) + f" > {path[-1][1]}"


ARCHITECTURE_PATHS = list(ARCHITECTURE_CHART.paths())
OPTIMIZER_PATHS = list(OPTIMIZER_CHART.paths())


# The head (`classes`, `classifier_activation`) is the same for every forecasting leaf and is
# left out of the chart's labels and the table; `advice.call` shows it.
_HEAD = ("classes", "classifier_activation")


def _short_call(advice: advise.ArchitectureAdvice) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in advice.arguments.items() if k not in _HEAD)
    return f"{advice.builder}({args})" if args else advice.builder


@pytest.mark.parametrize("path", ARCHITECTURE_PATHS, ids=map(_path_id, ARCHITECTURE_PATHS))
def test_every_path_of_the_architecture_chart_gives_its_leaf(path):
    kwargs, all_default = _answers(ARCHITECTURE_CHART, path, advise.architecture)
    leaf = path[-1][1]
    assert advise.architecture(**kwargs).rule == leaf, kwargs
    if all_default:  # unknown numbers answer "no", booleans their default
        assert advise.architecture(kwargs["data"]).rule == leaf


@pytest.mark.parametrize("path", OPTIMIZER_PATHS, ids=map(_path_id, OPTIMIZER_PATHS))
def test_every_path_of_the_optimizer_chart_gives_its_leaf(path):
    kwargs, all_default = _answers(OPTIMIZER_CHART, path, advise.optimizer)
    leaf = path[-1][1]
    assert advise.optimizer(**kwargs).rule == leaf, kwargs
    if all_default:
        assert advise.optimizer().rule == leaf


def test_every_rule_is_a_leaf_and_every_leaf_a_rule():
    assert ARCHITECTURE_CHART.leaves == set(_architecture.RULES)
    assert OPTIMIZER_CHART.leaves == set(_optimizer.OPTIMIZER_RULES)


def test_the_root_edges_are_the_kinds_of_data():
    labels = [label for a, _, label in ARCHITECTURE_CHART.edges if a == ARCHITECTURE_CHART.root]
    assert sorted(labels) == sorted(_architecture.DATA_KINDS)


@pytest.mark.parametrize("rule", sorted(_architecture.RULES))
def test_architecture_leaf_shows_the_architecture_and_the_builder(rule):
    advice = _architecture.RULES[rule]
    name, _, call = ARCHITECTURE_CHART.labels[rule].partition("<br/>")
    assert (name, call) == (advice.architecture, _short_call(advice))


@pytest.mark.parametrize("rule", sorted(_optimizer.OPTIMIZER_RULES))
def test_optimizer_leaf_shows_the_optimizer_and_its_arguments(rule):
    advice = _optimizer.OPTIMIZER_RULES[rule]
    name, _, args = OPTIMIZER_CHART.labels[rule].partition("<br/>")
    assert name == advice.optimizer
    shown = dict(item.split("=") for item in args.split(", "))
    assert {k: repr(v) for k, v in advice.arguments.items() if k in shown} == shown
    assert "learning_rate" in shown or "clipnorm" in shown or "weight_decay" in shown


# ----------------------------------------------------------------------- the table


def _table() -> list[dict[str, str]]:
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## The architectures compared") :]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in row.strip("|").split("|")), strict=True))
            for row in rows[2:]]  # fmt: skip


TABLE = _table()
COLUMNS = [
    "Architecture",
    "Spatial awareness",
    "Sequential memory",
    "Translation invariance",
    "Vanishing gradient",
    "Cost",
    "Typical use",
    "Keras layers",
    "`dlguide.models`",
]


def test_the_table_has_the_columns_the_guide_promises():
    assert list(TABLE[0]) == COLUMNS
    assert len(TABLE) >= 10
    assert all(all(row.values()) for row in TABLE), "a table cell is empty"


@pytest.mark.parametrize("row", TABLE, ids=[r["Architecture"] for r in TABLE])
def test_table_row_names_real_layers_and_builders(row):
    layers = re.findall(r"`(\w+)`", row["Keras layers"])
    assert layers, row
    for layer in layers:
        assert inspect.isclass(getattr(keras.layers, layer, None)), f"no keras.layers.{layer}"
    cell = row["`dlguide.models`"]
    if cell == "none":
        return
    call = re.fullmatch(r"`(\w+)(?:\((.*)\))?`", cell)
    assert call, cell
    builder = getattr(dlguide.models, call[1])
    kwargs = eval(f"dict({call[2] or ''})")
    inspect.signature(builder).bind_partial(**kwargs)  # the builder takes these arguments


@pytest.mark.parametrize("rule", sorted(_architecture.RULES))
def test_every_rule_has_its_row_with_the_same_layers(rule):
    advice = _architecture.RULES[rule]
    rows = [
        row
        for row in TABLE
        if row["`dlguide.models`"] == f"`{_short_call(advice)}`"
        and re.findall(r"`(\w+)`", row["Keras layers"]) == list(advice.layers)
    ]
    assert len(rows) == 1, f"{rule}: no row with `{_short_call(advice)}` and {advice.layers}"


# ----------------------------------------------------------------------- the code


def test_positional_arguments_match_the_builders():
    for builder, names in _architecture._POSITIONAL.items():
        parameters = inspect.signature(getattr(dlguide.models, builder)).parameters.values()
        positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        required = [
            p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        ]
        assert tuple(positional[: len(names)]) == names, builder
        assert set(required) <= set(names), builder
        keyword_only = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
        assert "classes" in keyword_only, builder  # shown as classes=classes unless set


def _tiny_backbone() -> keras.Model:
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.GlobalAveragePooling2D()(x))


BINARY = {"classes": 1, "classifier_activation": "sigmoid"}

# rule -> (positional arguments, keyword arguments the advice leaves to the caller), output shape
BUILD_ARGS = {
    "tabular_mlp": (lambda: ((30,), BINARY), (None, 1)),
    "images_transfer": (lambda: ((_tiny_backbone(),), {"classes": 3}), (None, 3)),
    "images_resnet": (lambda: (((16, 16, 3),), {"classes": 10}), (None, 10)),
    "images_cnn": (lambda: (((28, 28),), {"classes": 10}), (None, 10)),
    "text_pooled": (lambda: ((1000, 400), BINARY), (None, 1)),
    "text_recurrent": (lambda: ((1000, 50), BINARY), (None, 1)),
    "series_cnn_lstm": (lambda: (((300, 1),), {}), (None, 1)),
    "series_gru": (lambda: (((30, 1),), {}), (None, 1)),
    "series_lstm": (lambda: (((30, 1),), {}), (None, 1)),
    "image_sequence_cnn_lstm": (lambda: (((4, 16, 16, 1),), {"classes": 5}), (None, 5)),
}


@pytest.mark.parametrize("rule", sorted(_architecture.RULES))
def test_every_advice_builds_its_model(rule):
    assert set(BUILD_ARGS) == set(_architecture.RULES)
    make_args, output_shape = BUILD_ARGS[rule]
    args, kwargs = make_args()
    advice = _architecture.RULES[rule]
    model = advice.build(*args, **kwargs)
    assert ("classes" in advice.arguments) == (not kwargs), "the head comes from one place"
    assert isinstance(model, keras.Model)
    assert model.output_shape == output_shape
    layer_types = {type(layer).__name__ for layer in _all_layers(model)}
    assert set(_architecture.RULES[rule].layers) <= layer_types, layer_types


def _all_layers(model: keras.Model) -> Iterator[keras.layers.Layer]:
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)
        inner = getattr(layer, "layer", None) or getattr(layer, "forward_layer", None)
        if inner is not None:
            yield inner


@pytest.mark.parametrize("rule", sorted(_optimizer.OPTIMIZER_RULES))
def test_every_optimizer_advice_builds(rule):
    advice = _optimizer.OPTIMIZER_RULES[rule]
    optimizer = advice.build()
    assert type(optimizer).__name__ == advice.optimizer
    assert float(optimizer.learning_rate) == pytest.approx(advice.arguments["learning_rate"])
    assert (
        advice.call
        == f"keras.optimizers.{advice.optimizer}("
        + ", ".join(f"{k}={v!r}" for k, v in advice.arguments.items())
        + ")"
    )


def test_build_lets_keyword_arguments_win():
    advice = advise.architecture("time series", num_examples=200)
    model = advice.build((10, 2), units=4, cell="simple")
    assert [type(layer).__name__ for layer in model.layers][1] == "SimpleRNN"
    optimizer = advise.optimizer().build(learning_rate=0.5)
    assert float(optimizer.learning_rate) == 0.5


def test_advice_is_a_copy():
    advice = advise.architecture("time series")
    advice.arguments["cell"] = "simple"
    assert advise.architecture("time series").arguments == {
        "cell": "lstm",
        "classes": 1,
        "classifier_activation": None,
    }


def test_text_classifier_body_decides_recurrence():
    assert advise.optimizer(advise.architecture("text", num_examples=50_000)).rule == "adam_clipped"
    assert advise.optimizer(advise.architecture("text")).rule == "adam"
    assert advise.optimizer("cnn_lstm").rule == "adam_clipped"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("Images", "images"),
        ("image", "images"),
        ("time_series", "time series"),
        ("Time-Series", "time series"),
        ("video", "image sequence"),
        ("table", "tabular"),
    ],
)
def test_kinds_of_data_have_other_names(data, kind):
    assert advise.architecture(data) == advise.architecture(kind)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: advise.architecture("imgs"), "Did you mean 'images'? Received: data='imgs'"),
        (lambda: advise.architecture(3), "Received: data=3"),
        (lambda: advise.architecture("text", num_examples=0), "Received: num_examples=0"),
        (
            lambda: advise.architecture("text", sequence_length=2.5),
            "Expected a positive integer. Received: sequence_length=2.5",
        ),
        (lambda: advise.optimizer("lstm"), "Received: architecture='lstm'"),
        (lambda: advise.optimizer(fine_tuning="yes"), "Received: fine_tuning='yes'"),
        (lambda: advise.architecture("images", photos=1), "Expected a bool (True or False)."),
    ],
)
def test_bad_arguments_are_refused_in_keras_style(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
