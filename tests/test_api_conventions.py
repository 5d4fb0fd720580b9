"""The API conventions of docs/reference/index.md, checked on every public signature.

Every public function, class and public method of every subpackage is read with
`inspect.signature`; a parameter name outside the convention fails with the name to use.
New tracks follow the same rules: add a builder with `num_classes`, a function with
`stride`, `lr` or `rng`, and this file fails.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dlguide

# Old or foreign name -> the name the package uses.
RENAMED = {
    "num_classes": "classes",
    "n_classes": "classes",
    "output_units": "classes",
    "num_outputs_units": "classes",
    "output_activation": "classifier_activation",
    "final_activation": "classifier_activation",
    "out_activation": "classifier_activation",
    "head_activation": "classifier_activation",
    "stride": "strides",
    "lr": "learning_rate",
    "rng": "seed",
    "random_state": "seed",
    "random_seed": "seed",
    "target_names": "class_names",
    "labels_names": "class_names",
    "nb_epoch": "epochs",
}
# Patterns of names that are never right, with the rule they break.
FORBIDDEN = {
    r"^n_\w+": "counts are num_* (d2l) or Keras's own name, never n_*",
    r"^nb_\w+": "counts are num_*, never nb_*",
    r"^X$": "x for data outside dlguide.scratch (X is d2l's name, for the from-scratch code)",
}
# Only the NumPy from-scratch code keeps d2l's capital names.
D2L_SUBPACKAGES = {"scratch", "exercises"}
NORMALIZE_CHOICES = (None, "true", "pred", "all")
# Builders end in `classes` + `classifier_activation`; these have one output unit per
# token of a vocabulary that their first arguments already give.
NO_CLASSES = {
    "char_language_model",
    "rnn_seq2seq",
    "transformer_language_model",
    "transformer_seq2seq",
}
# Generative builders output images, codes, noise or one real-or-generated logit, not class
# scores: they have no classification head (named as such in the models docstring).
NO_HEAD = {
    "autoencoder",
    "vae",
    "dcgan_generator",
    "dcgan_discriminator",
    "diffusion_denoiser",
}


def _signatures() -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(subpackage, qualified name, callable) for every public callable of every subpackage."""
    for sub in dlguide._SUBPACKAGES:
        package = importlib.import_module(f"dlguide.{sub}")
        for name in package.__all__:
            obj = getattr(package, name)
            if inspect.isclass(obj):
                yield sub, name, obj.__init__
                for attribute, member in vars(obj).items():
                    if not attribute.startswith("_") and inspect.isfunction(member):
                        yield sub, f"{name}.{attribute}", member
            elif callable(obj):
                yield sub, name, obj


SIGNATURES = sorted(_signatures(), key=lambda item: item[:2])


def violations(sub: str, name: str, function: Callable[..., Any]) -> list[str]:
    """What in `function`'s signature breaks the conventions (empty if nothing)."""
    problems = []
    parameters = inspect.signature(function).parameters
    for parameter in parameters.values():
        if parameter.name in ("self", "cls", "args", "kwargs"):
            continue
        if parameter.name in RENAMED:
            problems.append(f"{name}({parameter.name}=...): use {RENAMED[parameter.name]}")
        for pattern, rule in FORBIDDEN.items():
            if pattern == r"^X$" and sub in D2L_SUBPACKAGES:
                continue
            if re.match(pattern, parameter.name):
                problems.append(f"{name}({parameter.name}=...): {rule}")
        if parameter.name == "normalize" and parameter.default is not None:
            problems.append(f"{name}(normalize=...): the default is None (counts)")
        if parameter.name == "seed" and not (
            parameter.default is None or type(parameter.default) is int
        ):
            problems.append(f"{name}(seed=...): the default is an int or None")
        if (
            sub == "plots"
            and parameter.name == "path"
            and parameter.kind is not parameter.KEYWORD_ONLY
        ):
            problems.append(f"{name}(path=...): where to save a figure is keyword-only")
    return problems


def builder_violations(name: str, function: Callable[..., Any]) -> list[str]:
    """What in a model builder's signature breaks the head convention."""
    parameters = inspect.signature(function).parameters
    problems = []
    if name in NO_HEAD:
        return problems
    head = parameters.get("classifier_activation")
    if head is None or head.kind is not head.KEYWORD_ONLY or head.default != "softmax":
        problems.append(f"{name}: needs keyword-only classifier_activation='softmax'")
    if name not in NO_CLASSES:
        classes = parameters.get("classes")
        if classes is None or classes.kind is not classes.KEYWORD_ONLY:
            problems.append(f"{name}: needs a keyword-only `classes`")
        elif classes.default is not classes.empty:
            problems.append(f"{name}: `classes` has no default (say how many outputs)")
    return problems


def _returns_a_model(function: Callable[..., Any]) -> bool:
    return inspect.signature(function).return_annotation in ("keras.Model", "Model")


# Functions that take a model and return a changed copy of it: not builders.
MODEL_TRANSFORMS = {"merge_lora"}
BUILDERS = [
    (name, getattr(dlguide.models, name))
    for name in dlguide.models.__all__
    if _returns_a_model(getattr(dlguide.models, name)) and name not in MODEL_TRANSFORMS
]


def test_there_are_signatures_and_builders_to_check():
    assert len(SIGNATURES) >= 120
    assert {name for name, _ in BUILDERS} >= {"mlp", "cnn", "resnet", "transfer", "rnn"}


@pytest.mark.parametrize(("sub", "name", "function"), SIGNATURES, ids=[s[1] for s in SIGNATURES])
def test_parameter_names_follow_the_convention(sub, name, function):
    assert violations(sub, name, function) == []


@pytest.mark.parametrize(("name", "builder"), BUILDERS, ids=[b[0] for b in BUILDERS])
def test_every_builder_ends_in_the_same_head(name, builder):
    assert builder_violations(name, builder) == []


def test_the_non_builders_are_named_in_the_models_docstring():
    others = set(dlguide.models.__all__) - {name for name, _ in BUILDERS}
    assert others == {
        "augmentation",
        "residual_block",
        "unfreeze",
        "TokenAndPositionEmbedding",
        "TransformerBlock",
        "attention",
        "rotate",
        "attention_weights",
        "greedy_decode",
        "generate_tokens",
        "train_vae",
        "train_gan",
        "train_diffusion",
        "diffusion_sample",
        "add_lora",
        "lora_weights",
        "merge_lora",
        "ClassTokenAndPosition",
        "MixtureOfExperts",
    }
    doc = inspect.getdoc(dlguide.models)
    for name in others:
        assert f"`{name}`" in doc.split("Building blocks")[1], name


def test_normalize_has_one_meaning():
    from dlguide import metrics, plots

    for function in (metrics.confusion_matrix, plots.plot_confusion_matrix):
        with pytest.raises(ValueError, match=r"Expected one of None, 'true', 'pred', 'all'\."):
            function([0, 1], [0, 1], normalize="rows")
        assert inspect.signature(function).parameters["normalize"].default is None


# --------------------------------------------------------------------------- the checker itself


def _old_builder(
    input_shape, num_classes, *, output_units=1, output_activation="sigmoid", rng=None
):  # the names this API used before the convention
    """Build."""


def _old_scratch_function(X, stride=1, lr=0.01, n_steps=3):
    """Convolve."""


def _old_plot(X, y, path=None, normalize=False, target_names=None):
    """Plot."""


def test_the_checker_fails_on_the_old_names():
    found = violations("models", "old_builder", _old_builder)
    assert found == [
        "old_builder(num_classes=...): use classes",
        "old_builder(output_units=...): use classes",
        "old_builder(output_activation=...): use classifier_activation",
        "old_builder(rng=...): use seed",
    ]
    assert builder_violations("old_builder", _old_builder) == [
        "old_builder: needs keyword-only classifier_activation='softmax'",
        "old_builder: needs a keyword-only `classes`",
    ]
    assert violations("scratch", "conv", _old_scratch_function) == [
        "conv(stride=...): use strides",
        "conv(lr=...): use learning_rate",
        "conv(n_steps=...): counts are num_* (d2l) or Keras's own name, never n_*",
    ]
    assert violations("plots", "plot", _old_plot) == [
        "plot(X=...): x for data outside dlguide.scratch (X is d2l's name, for the "
        "from-scratch code)",
        "plot(path=...): where to save a figure is keyword-only",
        "plot(normalize=...): the default is None (counts)",
        "plot(target_names=...): use class_names",
    ]
