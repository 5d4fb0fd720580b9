"""The code the glossary shows runs.

Every entry of `dlguide/glossary/terms.toml` is prose with inline code: a call such as
`keras.layers.Dropout(0.2)`, a keyword argument such as `padding="same"`, or a name such as
`keras.ops.convert_to_numpy`. The Glossary page, the tooltips and `dlguide explain` show them as
they are, so a wrong argument (`MultiHeadAttention(..., use_causal_mask=True)`, where the argument
belongs to the call) would reach readers untested. Here each entry's code runs, in the order
written, in a fresh namespace of small example objects (`model`, `x`, `y`, `image`, ...), each made
the first time an entry uses it:

- A call, statement or expression runs as written. `...` stands for arguments left out: an
  argument or list item that is `...` is dropped before the call runs.
- A keyword argument alone (`padding="same"`) runs inside the call it belongs to, from
  `KEYWORD_HOMES` (`keras.layers.Conv2D(4, 3, padding="same")(...)`).
- A bare name (`kernel`, `fit`, `pad_sequences`) must be an attribute of one of the `HOMES`.
- Spans that are not Python (shell commands, environment variables, file names) are listed in
  `NOT_PYTHON`, by exact text; a listed span that no entry shows any more fails the test.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import re
from typing import Any

import cv2
import keras
import numpy as np
import pandas as pd
import pytest

import dlguide
from dlguide import glossary

SPAN = re.compile(r"`([^`]+)`")

# Inline code that is not Python, by exact text.
NOT_PYTHON = {
    ".keras",  # a file extension
    "keras.applications.*",  # a family of functions
    "KERAS_BACKEND",  # an environment variable
    "KERAS_BACKEND=jax",
    "KERAS_BACKEND=torch",
    "dlguide explain TERM",  # shell commands, tested in tests/test_cli.py
    "dlguide advise DATA",
    ".tflite",  # file names
    "saved_model.pb",
    "variables/",  # a folder name
    "ai-edge-litert",  # a package name
}

# Calls that cannot run here, checked against the callable's signature instead, with the reason.
SIGNATURE_ONLY = {
    'keras.distribution.DeviceMesh(shape=(2, 4), axis_names=("batch", "model"))': "needs 8 devices",
}

# A keyword argument shown alone -> the call it belongs to, with `{}` where it goes.
KEYWORD_HOMES = {
    "batch_size": "model.fit(x, y, verbose=0, {})",
    "validation_split": "model.fit(x, y, verbose=0, {})",
    "validation_data": "model.fit(x, y, verbose=0, {})",
    "loss": "keras.models.clone_model(model).compile({})",
    "metrics": "keras.models.clone_model(model).compile({})",
    "from_logits": "keras.losses.BinaryCrossentropy({})",
    "training": "model(x, {})",
    "clipnorm": "keras.optimizers.Adam({})",
    "return_sequences": "keras.layers.LSTM(4, {})(x)",
    "unit_forget_bias": "keras.layers.LSTM(4, {})(x)",
    "padding": "keras.layers.Conv2D(4, 3, {})(images)",
    "activation": "keras.layers.Conv2D(4, 3, {})(images)",
    "kernel_initializer": "keras.layers.Conv2D(4, 3, {})(images)",
    "kernel_regularizer": "keras.layers.Conv2D(4, 3, {})(images)",
    "use_bias": "keras.layers.Conv2D(4, 3, {})(images)",
    "flash_attention": "keras.ops.dot_product_attention(query, key, value, {})",
    "negative_slope": "keras.layers.LeakyReLU({})(x)",
    "apertureSize": "cv2.Canny(gray, 100, 200, {})",
}


def _homes() -> list[Any]:
    """Where a bare name may live: `fit` on a model, `kernel` on a layer, `pad_sequences`, ..."""
    import matplotlib
    import matplotlib.pyplot  # noqa: F401 - makes matplotlib.pyplot an attribute
    import sklearn.metrics

    dense = keras.layers.Dense(4)
    dense.build((None, 3))
    return [keras.Model, dense, keras.layers, keras.callbacks, keras.utils, keras.distribution,
            sklearn.metrics, matplotlib]  # fmt: skip


class Namespace(dict):
    """The names an entry's code may use, each made on first use from `FACTORIES`."""

    def __init__(self, tmp_path, overrides: dict[str, Any] | None = None) -> None:
        super().__init__(overrides or {})
        self.tmp_path = tmp_path

    def __missing__(self, name: str) -> Any:
        if name in FACTORIES:
            self[name] = FACTORIES[name](self)
            return self[name]
        if hasattr(keras.layers, name):  # `Dense(units)`, `LSTM(32)`: keras.layers names
            return getattr(keras.layers, name)
        if hasattr(builtins, name):
            return getattr(builtins, name)
        raise KeyError(name)


def _model(ns: Namespace) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((6, 4)), keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _layer(ns: Namespace) -> keras.Layer:
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    return layer


def _video(ns: Namespace) -> str:
    frames = np.zeros((3, 32, 48, 3), dtype=np.uint8)
    return dlguide.vision.write_video(str(ns.tmp_path / "clip.mp4"), frames, fps=3)


def _tensorflow(ns: Namespace) -> Any:
    import tensorflow

    return tensorflow


def _jax(ns: Namespace) -> Any:
    import jax

    return jax


_RNG = np.random.default_rng(0)
_X = _RNG.normal(size=(16, 6, 4)).astype("float32")  # 16 sequences of 6 steps, 4 features
_IMAGE = _RNG.integers(0, 256, size=(32, 48, 3), dtype=np.uint8)  # a BGR image

FACTORIES = {
    "keras": lambda ns: keras,
    "np": lambda ns: np,
    "cv2": lambda ns: cv2,
    "pd": lambda ns: pd,
    "tf": _tensorflow,
    "jax": _jax,
    "dlguide": lambda ns: dlguide,
    "x": lambda ns: _X,
    "y": lambda ns: _RNG.integers(0, 3, size=16),  # 3 classes
    "x_val": lambda ns: ns["x"][:4],
    "y_val": lambda ns: ns["y"][:4],
    "model": _model,
    "history": lambda ns: ns["model"].fit(ns["x"], ns["y"], epochs=2, verbose=0),
    "layer": _layer,
    "units": lambda ns: 4,
    "n": lambda ns: 3,
    "filters": lambda ns: 8,
    "num_layers": lambda ns: 1,
    "rank": lambda ns: 2,
    "vocabulary_size": lambda ns: 100,
    "image": lambda ns: _IMAGE,
    "images": lambda ns: _IMAGE[None].astype("float32"),
    "gray": lambda ns: cv2.cvtColor(_IMAGE, cv2.COLOR_BGR2GRAY),
    "series": lambda ns: np.sin(np.arange(100) / 5),
    "df": lambda ns: pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]}),
    "query": lambda ns: ns["x"][:, :, None, :],  # (batch, steps, heads, features)
    "key": lambda ns: ns["x"][:, :, None, :],
    "value": lambda ns: ns["x"][:, :, None, :],
    "backup_dir": lambda ns: str(ns.tmp_path / "backup"),
    "path": _video,
    "gpt": lambda ns: dlguide.transformer_language_model(20, 32, embedding_dim=8, num_heads=2),
    "prompt_ids": lambda ns: np.array([[1, 2, 3]]),
}


def _called_model() -> keras.Model:
    model = _model(None)
    model(_X)  # exporters need a model that has been called
    return model


def _export_names() -> dict[str, Any]:
    return {"model": _called_model(), "path": "exported"}


@functools.cache
def _fitted_model() -> keras.Model:
    """One compiled model, fitted once, so its training step is traced once for all entries."""
    model = _model(None)
    model.fit(_X, _RNG.integers(0, 3, size=16), epochs=1, verbose=0)
    return model


def _shared_model() -> dict[str, Any]:
    return {"model": _fitted_model()}


# Names an entry's code uses differently from `FACTORIES`.
OVERRIDES = {
    # Entries that only fit the model (which changes its weights, never its compiled state)
    # share one model: each still runs its own `fit` call as written.
    "Epoch": _shared_model,
    "Batch size": _shared_model,
    "Validation set": _shared_model,
    "Callback": _shared_model,
    "Learning curve": _shared_model,
    "Model export": _export_names,
    "SavedModel": _export_names,
    "ONNX": _export_names,
    "LiteRT": lambda: {**_export_names(), "path": "model.tflite"},
    "Residual block": lambda: {"x": keras.Input((8, 8, 4))},
    "Freezing": lambda: {"model": dlguide.transfer(dlguide.cnn((16, 16, 3), classes=3), classes=2)},
}


class _DropEllipsis(ast.NodeTransformer):
    """`f(..., a=...)` and `[...]`: `...` means "left out", so drop it."""

    @staticmethod
    def _kept(nodes: list[ast.expr]) -> list[ast.expr]:
        return [n for n in nodes if not (isinstance(n, ast.Constant) and n.value is Ellipsis)]

    def visit_Call(self, node: ast.Call) -> ast.Call:  # noqa: N802 - ast's API
        self.generic_visit(node)
        node.args = self._kept(node.args)
        node.keywords = [
            k
            for k in node.keywords
            if not (isinstance(k.value, ast.Constant) and k.value.value is Ellipsis)
        ]
        return node

    def visit_List(self, node: ast.List) -> ast.List:  # noqa: N802 - ast's API
        self.generic_visit(node)
        node.elts = self._kept(node.elts)
        return node


_GLOBALS = {"__builtins__": builtins}


def run_span(span: str, namespace: Namespace, homes: list[Any]) -> Any:
    """Run one inline-code span of the glossary; raise if it does not run."""
    span = " ".join(span.split())
    keyword = re.fullmatch(r"(\w+)=(?!=)(.+)", span)
    if keyword:
        home = KEYWORD_HOMES.get(keyword[1])
        if home is None:
            raise LookupError(f"`{span}`: add the call {keyword[1]}= belongs to to KEYWORD_HOMES")
        return eval(home.replace("{}", span), _GLOBALS, namespace)
    try:
        tree: ast.AST = ast.parse(span, mode="eval")
    except SyntaxError:
        tree = ast.parse(span, mode="exec")  # a statement; a SyntaxError here is a failure
    tree = ast.fix_missing_locations(_DropEllipsis().visit(tree))
    if isinstance(tree, ast.Expression) and isinstance(tree.body, ast.Name):
        try:
            return namespace[tree.body.id]
        except KeyError:
            found = [home for home in homes if hasattr(home, tree.body.id)]
            if not found:
                raise NameError(f"`{span}` is in none of {[str(h) for h in homes]}") from None
            return getattr(found[0], tree.body.id)
    if isinstance(tree, ast.Expression):
        return eval(compile(tree, "<glossary>", "eval"), _GLOBALS, namespace)
    exec(compile(tree, "<glossary>", "exec"), _GLOBALS, namespace)
    return None


ENTRIES_WITH_CODE = [t for t in glossary.terms() if SPAN.search(f"{t.short} {t.long}")]


@pytest.fixture(scope="module")
def homes() -> list[Any]:
    return _homes()


@pytest.mark.parametrize("term", ENTRIES_WITH_CODE, ids=[t.anchor for t in ENTRIES_WITH_CODE])
def test_the_code_of_the_entry_runs(term, homes, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # model.save("model.keras") and friends write here
    namespace = Namespace(tmp_path, OVERRIDES.get(term.name, dict)())
    try:
        for span in SPAN.findall(f"{term.short} {term.long}"):
            if span in NOT_PYTHON:
                continue
            if span in SIGNATURE_ONLY:
                check_signature(span, namespace)
                continue
            try:
                run_span(span, namespace, homes)
            except Exception as error:
                raise AssertionError(f"{term.name}: `{span}` does not run: {error!r}") from error
    finally:  # an entry that sets a global dtype policy must not change the next one's
        keras.config.set_dtype_policy("float32")


def check_signature(span: str, namespace: Namespace) -> None:
    """The call in `span` binds to its callable's signature (it is not run)."""
    call = ast.parse(span, mode="eval").body
    assert isinstance(call, ast.Call), span
    function = eval(ast.unparse(call.func), _GLOBALS, namespace)
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    inspect.signature(function).bind(*args, **kwargs)


def test_there_is_code_to_run_and_the_lists_are_current():
    spans = {s for t in glossary.terms() for s in SPAN.findall(f"{t.short} {t.long}")}
    assert len(ENTRIES_WITH_CODE) >= 80, len(ENTRIES_WITH_CODE)
    assert not NOT_PYTHON - spans, f"no entry shows these any more: {NOT_PYTHON - spans}"
    assert not set(SIGNATURE_ONLY) - spans, f"no entry shows: {set(SIGNATURE_ONLY) - spans}"
    assert not set(OVERRIDES) - {t.name for t in ENTRIES_WITH_CODE}


# Code the glossary used to show: each must fail.
OLD_CODE = [
    ("keras.layers.MultiHeadAttention(num_heads=4, key_dim=16, use_causal_mask=True)",
     "Unrecognized keyword arguments passed to MultiHeadAttention"),
    ("MultiHeadAttention(..., use_causal_mask=True)", "missing 2 required positional arguments"),
    ("clipnorm=", "invalid syntax"),
    ("dlguide.cnn(..., rescale=1 / 255)", "missing"),
    ("model.fit(..., callbacks=[...])", ""),  # fit() without data: Keras fails somewhere inside
    ("kernel_initializer=glorot", "name 'glorot' is not defined"),
    ("stride=2", "add the call stride= belongs to"),
    ("fit_generator", "is in none of"),
]  # fmt: skip


@pytest.mark.parametrize(("span", "message"), OLD_CODE, ids=[c[0] for c in OLD_CODE])
def test_code_that_does_not_run_fails(span, message, homes, tmp_path):
    with pytest.raises(Exception, match=re.escape(message)):
        run_span(span, Namespace(tmp_path), homes)
