"""The layers cheatsheet covers every Keras layer that the guide uses.

The examples on the cheatsheet pages run as part of the pages themselves (sybil); this file
checks coverage: every layer class found in models built by each `dlguide.models` builder, and
every `layers.Name` written anywhere in the guide's code, has a row in the table of
`docs/cheatsheets/layers.md` and a tested example there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import keras
import pytest

from dlguide import models

ROOT = Path(__file__).resolve().parents[1]
LAYERS_PAGE = ROOT / "docs" / "cheatsheets" / "layers.md"

# Public names of dlguide.models that do not build a model.
NOT_BUILDERS = {
    "unfreeze",
    # transformer layers and helpers (the builders below use them)
    "TokenAndPositionEmbedding",
    "TransformerBlock",
    "attention",
    "attention_weights",
    "generate_tokens",
    "greedy_decode",
    "rotate",
    # generative trainers and sampler (they train or sample the builders below)
    "train_vae",
    "train_gan",
    "train_diffusion",
    "diffusion_sample",
    # hot-topics layers and LoRA helpers (vit uses ClassTokenAndPosition)
    "ClassTokenAndPosition",
    "MixtureOfExperts",
    "add_lora",
    "lora_weights",
    "merge_lora",
}


def _residual_block_model() -> keras.Model:
    inputs = keras.Input(shape=(8, 8, 4))
    return keras.Model(inputs, models.residual_block(inputs, 8, strides=2))


def _vectorizer() -> keras.layers.TextVectorization:
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(["the film was great", "the plot was thin"])
    return vectorize


# Builder name -> calls that between them switch on every optional layer of that builder.
BUILDS: dict[str, list[Callable[[], keras.Layer]]] = {
    "autoencoder": [
        lambda: models.autoencoder((8, 8), latent_dim=2, units=(8,), noise_stddev=0.1),
        lambda: models.autoencoder((8, 8), latent_dim=2, kind="conv", filters=(4,)),
    ],
    "vae": [
        lambda: models.vae((8, 8), latent_dim=2, units=(8,)),
        lambda: models.vae((8, 8), latent_dim=2, kind="conv", filters=(4,), units=(8,)),
    ],
    "dcgan_generator": [lambda: models.dcgan_generator((8, 8), latent_dim=4, filters=(8, 4))],
    "dcgan_discriminator": [lambda: models.dcgan_discriminator((8, 8), filters=(4, 8))],
    "diffusion_denoiser": [
        lambda: models.diffusion_denoiser((2,), units=(8,)),
        lambda: models.diffusion_denoiser((8, 8), classes=3, filters=(4, 8)),
    ],
    "mlp": [
        lambda: models.mlp((8, 8), (8, 4), dropout=0.2, classes=1, classifier_activation="sigmoid")
    ],
    "cnn": [
        lambda: models.cnn((8, 8), classes=3),
        lambda: models.cnn(
            (16, 16, 3),
            classes=1,
            classifier_activation="sigmoid",
            pooling="average",
            batch_norm=True,
            dropout=0.2,
            head="global_average",
            dense_units=(8,),
            rescale=1 / 255,
        ),
        lambda: models.cnn((16, 16, 1), classes=3, pooling=None),
    ],
    "residual_block": [_residual_block_model],
    "resnet": [
        lambda: models.resnet((16, 16, 3), classes=3, rescale=1 / 255),
        lambda: models.resnet((16, 16), classes=3, use_skip=False, batch_norm=False),
    ],
    "augmentation": [lambda: models.augmentation(flip="horizontal", seed=0)],
    "transfer": [
        lambda: models.transfer(
            models.cnn((16, 16, 3), classes=3), classes=2, dense_units=(4,), dropout=0.2
        ),
        lambda: models.transfer(models.resnet((16, 16, 3), classes=3), classes=2),
    ],
    "rnn": [
        lambda: models.rnn(
            (10, 2), cell="simple", dropout=0.2, classes=1, classifier_activation=None
        ),
        lambda: models.rnn(
            (10, 2),
            cell="lstm",
            units=(4, 4),
            bidirectional=True,
            classes=1,
            classifier_activation=None,
        ),
        lambda: models.rnn(
            (10, 2), cell="gru", return_sequences=True, classes=1, classifier_activation=None
        ),
    ],
    "cnn_lstm": [
        lambda: models.cnn_lstm((20, 3), classes=1, classifier_activation=None),
        lambda: models.cnn_lstm((5, 8, 8, 1), classes=1, classifier_activation=None),
    ],
    "text_classifier": [
        lambda: models.text_classifier(
            20, 5, units=(4,), dropout=0.2, classes=1, classifier_activation="sigmoid"
        ),
        lambda: models.text_classifier(
            20,
            5,
            body="lstm",
            units=4,
            bidirectional=True,
            classes=1,
            classifier_activation="sigmoid",
        ),
        lambda: models.text_classifier(
            20, 5, body="gru", units=4, classes=1, classifier_activation="sigmoid"
        ),
        lambda: models.text_classifier(
            20, 5, body="simple", units=4, classes=1, classifier_activation="sigmoid"
        ),
        lambda: models.text_classifier(
            20, vectorizer=_vectorizer(), classes=1, classifier_activation="sigmoid"
        ),
    ],
    "transformer_classifier": [
        lambda: models.transformer_classifier(20, 6, embedding_dim=8, num_heads=2, classes=2),
        lambda: models.transformer_classifier(
            20, 6, embedding_dim=8, num_heads=2, dropout=0.0, norm_first=False, classes=2
        ),
    ],
    "transformer_language_model": [
        lambda: models.transformer_language_model(20, 6, embedding_dim=8, num_heads=2, dropout=0.1),
    ],
    "transformer_seq2seq": [
        lambda: models.transformer_seq2seq(20, 20, 6, 6, embedding_dim=8, num_heads=2),
    ],
    "rnn_seq2seq": [
        lambda: models.rnn_seq2seq(20, 20, units=4),
        lambda: models.rnn_seq2seq(20, 20, units=4, cell="lstm", attention="additive"),
        lambda: models.rnn_seq2seq(20, 20, units=4, attention="dot"),
    ],
    "vit": [
        lambda: models.vit(
            (8, 8),
            patch_size=4,
            embedding_dim=8,
            num_heads=2,
            num_blocks=1,
            rescale=1 / 255,
            classes=2,
        ),
        lambda: models.vit((8, 8, 3), patch_size=2, embedding_dim=8, num_heads=2, classes=2),
    ],
    "char_language_model": [
        lambda: models.char_language_model(20, sequence_length=10, dropout=0.2),
        lambda: models.char_language_model(20, cell="gru", units=(8, 8)),
        lambda: models.char_language_model(20, cell="simple", units=8),
    ],
}

# Written as `layers.X` in the guide's code without being a layer one can put in a model.
NOT_LAYERS = {"Input", "InputLayer", "InputSpec", "Layer", "Wrapper", "RNN"}


def _keras_layer_classes(layer: keras.Layer, found: set[str] | None = None) -> set[str]:
    """Names of the `keras.layers` classes in `layer`, its sub-layers and wrapped layers."""
    found = set() if found is None else found
    cls = type(layer)
    public = getattr(keras.layers, cls.__name__, None)
    if public is cls and not isinstance(layer, keras.Model | keras.layers.InputLayer):
        found.add(cls.__name__)
    children = list(getattr(layer, "layers", None) or [])
    for attribute in ("layer", "forward_layer", "backward_layer"):
        child = getattr(layer, attribute, None)
        if isinstance(child, keras.Layer):
            children.append(child)
    for child in children:
        _keras_layer_classes(child, found)
    return found


def _page_parts() -> tuple[str, str]:
    """The table rows and the python blocks of the layers page."""
    text = LAYERS_PAGE.read_text(encoding="utf-8")
    table = "\n".join(line for line in text.splitlines() if line.startswith("| `"))
    code = "\n".join(re.findall(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE))
    return table, code


def _missing_from_page(names: set[str]) -> dict[str, list[str]]:
    table, code = _page_parts()
    missing: dict[str, list[str]] = {}
    for name in sorted(names):
        problems = []
        if f"`{name}`" not in table:
            problems.append("no table row")
        if not re.search(rf"^(>>>|\.\.\.) .*\blayers\.{name}\(", code, flags=re.MULTILINE):
            problems.append("no example")
        if problems:
            missing[name] = problems
    return missing


def test_every_builder_has_example_calls():
    builders = {
        name
        for name in models.__all__
        if callable(getattr(models, name)) and name not in NOT_BUILDERS
    }
    unknown = sorted(builders - set(BUILDS))
    assert not unknown, (
        f"dlguide.models has builders this test does not build: {unknown}. Add calls that switch "
        "on each of their optional layers to BUILDS in tests/test_cheatsheets.py "
        "(or the name to NOT_BUILDERS if it does not build a model)."
    )
    stale = sorted(set(BUILDS) - set(models.__all__))
    assert not stale, f"BUILDS names builders that dlguide.models no longer has: {stale}"


def test_layer_walk_finds_nested_and_wrapped_layers():
    inner = keras.Sequential([keras.layers.Rescaling(1 / 255)], name="inner")
    inputs = keras.Input(shape=(10, 3))
    x = inner(inputs)
    x = keras.layers.Bidirectional(keras.layers.GRU(4))(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    assert _keras_layer_classes(model) == {"Rescaling", "Bidirectional", "GRU", "Dense"}


@pytest.mark.parametrize("builder", sorted(BUILDS))
def test_layers_page_covers_the_layers_of(builder):
    found: set[str] = set()
    for build in BUILDS[builder]:
        found |= _keras_layer_classes(build())
    assert found, f"no Keras layer found in the models built by {builder}"
    missing = _missing_from_page(found)
    assert not missing, (
        f"dlguide.models.{builder} uses layers that {LAYERS_PAGE.name} lacks: {missing}"
    )


def _guide_sources() -> list[Path]:
    docs = ROOT / "docs"
    sources = [*docs.rglob("*.md"), *(docs / "projects").glob("*.py")]
    sources += (ROOT / "dlguide").rglob("*.py")
    return [path for path in sources if "overrides" not in path.parts]


def test_layers_page_covers_every_layer_written_in_the_guide():
    used: dict[str, set[str]] = {}
    for path in _guide_sources():
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\blayers\.([A-Z][A-Za-z0-9]*)\b", text):
            if name not in NOT_LAYERS:
                used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    assert {"Dense", "Conv2D", "LSTM"} <= set(used), sorted(used)
    unknown = sorted(name for name in used if not hasattr(keras.layers, name))
    assert not unknown, f"not Keras layers: {unknown} (used in {[used[n] for n in unknown]})"
    missing = _missing_from_page(set(used))
    assert not missing, {name: (problems, sorted(used[name])) for name, problems in missing.items()}


def test_coverage_check_reports_a_missing_layer():
    assert _missing_from_page({"Dense"}) == {}
    assert _missing_from_page({"ConvLSTM2D"}) == {"ConvLSTM2D": ["no table row", "no example"]}
