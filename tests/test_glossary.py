"""The glossary: its data, `lookup`, the Glossary page, the tooltips and the guide's headings.

`dlguide/glossary/terms.toml` is the one source of truth; these tests keep it honest:

- Links. Every entry's `page` is a page of the site (in `mkdocs.yml`'s nav) and its
  `#anchor`, if any, is an id that page really has, as the site's own Markdown
  extensions render it (toc slugs, `{#id}` attributes). Notebook pages (`.py`) are
  linked without an anchor (nbconvert makes their ids).
- Headings. Every h2 and h3 heading of the pages under `docs/foundations`,
  `docs/architectures` and `docs/cheatsheets` must name a glossary term: contain the
  name, abbreviation, an alias or a lookup-only name of one, as whole words, ignoring
  case, plurals, punctuation and British/American spelling. A heading that names no
  concept ("Summary", "Exercises", "Which one to use") goes into `NON_TERM_HEADINGS`
  below instead, by its exact text. An allow-listed heading that no page has any more
  fails the test too, so the list stays short and current. When a page adds a heading
  that fails: add the term to `terms.toml` (preferred) or, if it names no concept, add
  the heading here.
- Coverage. Every term of the topic list (`COVERAGE_TERMS`) has an entry.
- Tooltips. The first mention of each term on a Markdown page becomes an
  `<abbr title="Term: definition">`; code, links, headings, tables and math are left
  alone; notebook pages get the same treatment on their HTML. Basic words a newcomer
  knows (`BASIC_WORDS`) are `tooltip = false`: never underlined. Every page of the nav
  but the API reference gets at least one tooltip (the browser test in `test_site.py`
  checks the built site).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import pytest

from dlguide import glossary
from dlguide.glossary import _terms

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
HEADING_DIRS = ("foundations", "architectures", "cheatsheets", "deployment")

# Headings that name no concept, by exact text (see the module docstring).
NON_TERM_HEADINGS = {
    "An image is an array",
    "Beyond plain steps",
    "Cheatsheet",
    "Exercises",
    "Summary",
    "The data",
    "The formulas",
    "The recipe",
    "Training on real data",
    "What the numbers say",
    "What to take away",
    "Which one to use",
}

# Words every reader knows: they keep their glossary entry but are never underlined.
BASIC_WORDS = ["training", "weight", "model", "layer", "training set", "Keras", "NumPy"]

# The terms of the topic list (../shared/coverage.md): its Glossary line and every topic term.
COVERAGE_TERMS = [
    # Glossary line
    "epoch", "batch size", "learning rate", "overfitting", "underfitting", "dropout",
    "batch normalisation", "weight initialisation", "gradient descent", "vanishing gradient",
    "transfer learning", "fine-tuning", "confusion matrix", "ROC-AUC",
    # Foundations
    "deep learning", "machine learning", "neuron", "perceptron", "multi-layer perceptron",
    "dense layer", "forward propagation", "backpropagation", "chain rule",
    "computational graph", "autodiff", "activation function", "sigmoid", "tanh", "ReLU",
    "leaky ReLU", "ELU", "GELU", "softmax", "dying ReLU", "loss function", "MSE",
    "binary cross-entropy", "categorical cross-entropy", "sparse categorical cross-entropy",
    "SGD", "momentum", "Adam", "RMSprop", "AdaGrad", "AdamW", "optimizer", "validation split",
    "layer norm", "L1", "L2", "Xavier", "Glorot", "He initialisation", "early stopping",
    "learning-rate schedule", "callback", "EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau",
    # Architectures
    "ANN", "tabular data", "classification", "regression", "CNN", "convolution", "kernel",
    "filter", "feature map", "padding", "same padding", "valid padding", "stride",
    "max pooling", "average pooling", "flatten", "global average pooling", "ResNet",
    "skip connection", "data augmentation", "pretrained backbone", "VGG", "MobileNet",
    "EfficientNet", "feature extraction", "freezing", "unfreezing", "RNN", "sequential data",
    "time step", "hidden state", "many-to-one", "many-to-many", "LSTM", "cell state",
    "forget gate", "input gate", "output gate", "GRU", "update gate", "reset gate", "deep RNN",
    "stacked RNN", "bidirectional RNN", "return_sequences", "CNN + LSTM", "self-attention",
    "multi-head attention", "positional encoding", "encoder block", "transformer", "BERT", "GPT",
    "autoencoder", "VAE", "GAN", "diffusion model", "flash attention",
    "memory-efficient attention", "LoRA", "mixture of experts", "vision transformer", "OpenCV",
    "BGR", "RGB", "grayscale", "blur", "edge detection", "thresholding", "object detection",
    "Haar cascade", "YOLO",
    # Projects and reference
    "time series", "naive baseline", "sentiment analysis", "language model", "accuracy",
    "precision", "recall", "F1", "ROC curve", "MAE", "RMSE", "R²", "TensorFlow", "Keras",
    "NumPy", "pandas", "matplotlib", "scikit-learn", "PyTorch", "Keras backend", "JAX",
    "saving a model", "deployment", "AlexNet",
]  # fmt: skip


def _import_path(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _hook() -> ModuleType:
    """docs/overrides/hooks/glossary.py, imported from its path."""
    return _import_path("dlguide_glossary_hook", DOCS / "overrides" / "hooks" / "glossary.py")


@cache
def _config() -> Any:
    """The site's MkDocs config, as the glossary hook leaves it."""
    from mkdocs.config import load_config

    return _hook().on_config(load_config(str(REPO / "mkdocs.yml")))


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    return [p for item in nav or () for p in _nav_pages(item)]


ALL_TERMS = glossary.terms()
TERM_IDS = [t.anchor for t in ALL_TERMS]


# --------------------------------------------------------------------------- the data


def test_there_are_at_least_80_terms():
    assert len(ALL_TERMS) >= 80
    assert ALL_TERMS == sorted(ALL_TERMS, key=lambda t: _terms._normalise(t.name))


def test_names_and_anchors_are_unique():
    names = [t.name.lower() for t in ALL_TERMS]
    assert len(set(names)) == len(names)
    assert len(set(TERM_IDS)) == len(TERM_IDS)


@pytest.mark.parametrize("term", ALL_TERMS, ids=TERM_IDS)
def test_entry_is_well_formed(term):
    assert (
        term.name[0].isupper()
        or term.name[0].islower()
        and term.name
        in {
            "matplotlib",
            "pandas",
            "return_sequences",
            "scikit-learn",
        }
    ), f"{term.name!r}: names start with a capital, as in sentence case"
    assert term.short.endswith((".", "...")), f"{term.name}: the short definition is a sentence"
    assert len(term.short) <= 200, f"{term.name}: the tooltip is too long ({len(term.short)})"
    assert not re.search(r"[`*$<>]|\]\(", term.short), f"{term.name}: the tooltip is plain text"
    assert len(term.long) >= len("A few words."), f"{term.name}: no long explanation"
    assert term.name not in term.related, f"{term.name} is related to itself"
    for form in term.names:
        # Tooltips match whole words: a form must start and end with a letter or digit.
        assert re.fullmatch(r"\w(.*\w)?", form), f"{term.name}: bad form {form!r}"


def test_related_terms_exist():
    names = {t.name for t in ALL_TERMS}
    missing = {t.name: [r for r in t.related if r not in names] for t in ALL_TERMS}
    assert not {k: v for k, v in missing.items() if v}, "related names that are not entries"


def test_two_terms_claiming_one_name_is_an_error():
    text = (
        '[[term]]\nname = "Kernel"\nshort = "A."\nlong = "B."\npage = "index.md"\n'
        '[[term]]\nname = "Filter"\naliases = ["kernels"]\nshort = "A."\nlong = "B."\n'
        'page = "index.md"\n'
    )
    with pytest.raises(ValueError, match="names both 'Filter' and 'Kernel'"):
        _terms._index(_terms._parse(text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[term]]\nname = "A"\nshort = "A."\nlong = "B."\n', r"missing fields \['page'\]"),
        (
            '[[term]]\nname = "A"\nshort = "A."\nlong = "B."\npage = "x.md"\nsee = 1\n',
            r"unknown fields \['see'\]",
        ),
        ('title = "no terms"\n', r"expected \[\[term\]\] tables"),
        (
            '[[term]]\nname = "A"\nshort = "A."\nlong = "B."\npage = "x.md"\ntooltip = "no"\n',
            "tooltip must be true or false",
        ),
    ],
)
def test_malformed_data_is_rejected(text, message):
    with pytest.raises(ValueError, match=message):
        _terms._parse(text)


@pytest.mark.parametrize("word", COVERAGE_TERMS)
def test_every_coverage_term_has_an_entry(word):
    assert isinstance(glossary.lookup(word), glossary.Term)


def test_the_data_file_ships_in_the_wheel():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    package_data = re.search(r"\[tool\.setuptools\.package-data\]\n(.*?)\n\n", pyproject, re.S)
    assert package_data and "glossary/terms.toml" in package_data[1]


def test_importing_the_glossary_does_not_import_keras():
    code = (
        "import sys; from dlguide import glossary; glossary.lookup('CNN'); "
        "print('keras' in sys.modules or 'tensorflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("epoch", "Epoch"),
        ("Epochs", "Epoch"),
        ("  EPOCH  ", "Epoch"),
        ("CNN", "Convolutional neural network"),
        ("CNNs", "Convolutional neural network"),
        ("convnet", "Convolutional neural network"),
        ("batch norm", "Batch normalisation"),
        ("batch-normalization", "Batch normalisation"),
        ("BatchNormalization", "Batch normalisation"),
        ("learning rates", "Learning rate"),
        ("biases", "Bias"),
        ("losses", "Loss function"),
        ("ROC AUC", "ROC-AUC"),
        ("r²", "Coefficient of determination"),
        ("R2", "Coefficient of determination"),
        ("return sequences", "return_sequences"),
        ("skip connections", "Residual connection"),
        ("Xavier initialization", "Glorot initialisation"),
        ("mixture of experts", "Mixture of experts"),
        ("regularization", "Regularisation"),
    ],
)
def test_lookup_ignores_case_plurals_punctuation_and_spelling(query, name):
    assert glossary.lookup(query).name == name


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("dropotu", "'Dropout'"), ("epoc", "'Epoch'"), ("overfiting", "'Overfitting'")],
)
def test_a_near_miss_suggests_the_term(query, suggestion):
    with pytest.raises(ValueError, match=f"Did you mean {suggestion}") as error:
        glossary.lookup(query)
    assert str(error.value).endswith(f"Received: term={query!r}")


@pytest.mark.parametrize("query", ["xyzzy", "", 42, None])
def test_no_match_points_to_the_list(query):
    with pytest.raises(ValueError, match=r"Unknown glossary term\. See dlguide\.glossary\.terms"):
        glossary.lookup(query)


def test_term_url_and_text():
    term = glossary.lookup("dropout")
    assert term.url == "https://dlguide.github.io/dlguide/foundations/training-practice/#dropout"
    assert glossary.lookup("API").url == "https://dlguide.github.io/dlguide/reference/"
    text = str(term)
    assert text.splitlines()[0] == "Dropout"
    assert term.short.split(",")[0] in text.replace("\n", " ")
    assert "Related: Regularisation, Overfitting." in text
    assert text.endswith(term.url)


# --------------------------------------------------------------------------- links and headings


@pytest.mark.parametrize("term", ALL_TERMS, ids=TERM_IDS)
def test_entry_links_to_a_page_and_anchor_that_exist(term):
    path, _, anchor = term.page.partition("#")
    assert (DOCS / path).is_file(), f"{term.name}: docs/{path} does not exist"
    assert path in _nav_pages(_config().nav), f"{term.name}: {path} is not in mkdocs.yml's nav"
    if path.endswith(".py"):
        assert not anchor, f"{term.name}: link a notebook page without an anchor"
        return
    _, ids, _ = _hook().page_outline(_config(), path)
    if anchor:
        assert anchor in ids, (
            f"{term.name}: {path} has no anchor #{anchor}; its headings: "
            f"{[i for i in ids if not i.startswith('__')]}"
        )


def _headings() -> list[tuple[str, str]]:
    found = []
    for folder in HEADING_DIRS:
        for source in sorted((DOCS / folder).glob("*.md")):
            path = source.relative_to(DOCS).as_posix()
            for level, text, _ in _hook().page_outline(_config(), path)[2]:
                if level in (2, 3):
                    found.append((path, text))
    return found


def test_every_heading_names_a_glossary_term():
    headings = _headings()
    assert len(headings) >= 40, "the heading check found too few headings to be working"
    lacking = [
        f"{path}: {text!r}"
        for path, text in headings
        if text not in NON_TERM_HEADINGS and not _hook().mentions(text)
    ]
    assert not lacking, (
        "headings that name no glossary term; add the term to dlguide/glossary/terms.toml "
        "or, if the heading names no concept, to NON_TERM_HEADINGS:\n  " + "\n  ".join(lacking)
    )


def test_the_allow_list_has_no_stale_headings():
    texts = {text for _, text in _headings()}
    assert not NON_TERM_HEADINGS - texts, f"no page has these: {NON_TERM_HEADINGS - texts}"


def test_mentions_finds_terms_as_whole_words():
    found = [t.name for t in _hook().mentions("Dropout in CNNs: the Learning-Rates")]
    assert found == ["Convolutional neural network", "Dropout", "Learning rate"]
    assert _hook().mentions("Gradients") and not _hook().mentions("gradientless")


# --------------------------------------------------------------------------- the Glossary page


def test_the_page_has_the_placeholder():
    page = (DOCS / _hook().GLOSSARY_PAGE).read_text(encoding="utf-8")
    assert page.count(_hook().PLACEHOLDER) == 1


def test_the_page_lists_every_term_alphabetically_with_working_links():
    entries = _hook().render_entries(_config(), ALL_TERMS)
    html = markdown.Markdown(extensions=["toc", "attr_list"]).convert(entries)
    ids = re.findall(r'<h3 id="([^"]+)"', html)
    assert ids == TERM_IDS
    letters = re.findall(r'<h2 id="([^"]+)"', html)
    assert letters == sorted(set(letters)) and "a" in letters
    all_ids = set(re.findall(r'\bid="([^"]+)"', html))
    internal = re.findall(r'href="#([^"]+)"', html)
    assert internal and set(internal) <= all_ids
    external = re.findall(r'href="\.\./([^"#]+)(?:#([^"]*))?"', html)
    assert {path for path, _ in external} <= {t.page.partition("#")[0] for t in ALL_TERMS}
    dropout = html[html.index('id="dropout"') : html.index('id="early-stopping"')]
    assert "Randomly zeroing a fraction" in dropout
    assert 'href="#regularisation"' in dropout
    assert (
        '<a href="../foundations/training-practice.md#dropout">Training practice › Dropout</a>'
        in dropout
    )


# --------------------------------------------------------------------------- tooltips


def _render(text: str) -> str:
    md = markdown.Markdown(
        extensions=["toc", "tables", "pymdownx.arithmatex", _hook().GlossaryTooltips(ALL_TERMS)],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return md.convert(text)


def _abbrs(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html)


def test_first_mention_of_each_term_gets_a_tooltip():
    html = _render("Two epochs of a CNN. Another epoch, another CNN; then a Learning Rate.")
    found = _abbrs(html)
    assert [text for _, text in found] == ["epochs", "CNN"]
    assert found[0][0] == f"Epoch: {glossary.lookup('epoch').short}"
    assert found[1][0].startswith("Convolutional neural network: A network")
    # Title Case is not one of the forms the prose uses: only sentence case is.
    assert _abbrs(_render("Learning Rate, learning rates.")) == [
        (f"Learning rate: {glossary.lookup('lr').short}", "learning rates")
    ]


@pytest.mark.parametrize("word", BASIC_WORDS)
def test_basic_words_have_an_entry_but_no_tooltip(word):
    term = glossary.lookup(word)
    assert term.tooltip is False
    assert not _abbrs(_render(f"Then {word} again.")), f"{word!r} is underlined"


def test_most_terms_keep_their_tooltip():
    quiet = [t.name for t in ALL_TERMS if not t.tooltip]
    assert 0 < len(quiet) <= len(ALL_TERMS) // 4, f"too many quiet terms: {quiet}"
    assert glossary.lookup("epoch").tooltip and glossary.lookup("dropout").tooltip


def test_a_quiet_term_hides_the_terms_inside_it():
    # "Training set" is quiet; "Weight decay" is not, and contains the quiet "weight".
    html = _render("The training set, weight decay, and the weights.")
    assert [text for _, text in _abbrs(html)] == ["weight decay"]


def test_tables_get_no_tooltip():
    html = _render("| Term | Use |\n| --- | --- |\n| dropout | overfitting |\n\nNow dropout.")
    assert [text for _, text in _abbrs(html)] == ["dropout"]
    assert html.index("<abbr") > html.index("Now")


def test_docstrings_converted_inside_a_page_share_its_first_mentions():
    """As mkdocstrings does on API pages: a block converted by another Markdown instance."""
    from xml.etree import ElementTree

    from markdown.blockprocessors import BlockProcessor

    extension = _hook().GlossaryTooltips(ALL_TERMS)
    inner = markdown.Markdown(extensions=[extension])

    class Docstring(BlockProcessor):
        def test(self, parent: Any, block: str) -> bool:
            return block.startswith("::: ")

        def run(self, parent: Any, blocks: list[str]) -> None:
            html = inner.convert(blocks.pop(0)[4:])
            parent.append(ElementTree.fromstring(f"<div>{html}</div>"))

    class Autodoc(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            md.parser.blockprocessors.register(Docstring(md.parser), "docstring", 200)

    page = markdown.Markdown(extensions=[extension, Autodoc()])
    html = page.convert("::: A CNN with dropout.\n\n::: Another CNN, more dropout.\n\nCNN.")
    assert [text for _, text in _abbrs(html)] == ["CNN", "dropout"]
    # The next page starts afresh.
    assert [text for _, text in _abbrs(page.convert("A CNN."))] == ["CNN"]


def test_code_links_headings_and_math_get_no_tooltip():
    html = _render(
        "## Dropout\n\n`dropout=0.2` and [dropout](x.md) and $\\mathrm{ReLU}(x)$ and "
        "\\(\\tanh\\).\n\n```\nepoch\n```\n\nNow dropout, ReLU and tanh."
    )
    assert [text for _, text in _abbrs(html)] == ["dropout", "ReLU", "tanh"]
    assert html.index("<abbr") > html.index("Now")


def test_notebook_html_gets_tooltips_outside_code_and_math():
    # The structure nbconvert gives a Markdown cell, a code cell and its output.
    page = (
        '<div class="jp-Cell jp-MarkdownCell"><div class="jp-InputArea jp-Cell-inputArea">'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><h2 id="x">Epochs'
        '<a class="anchor-link" href="#x">¶</a></h2>'
        "<p>Train for 5 epochs. $\\mathrm{ReLU}$ then <code>relu</code> and ReLU &amp; more "
        "epochs.</p></div></div></div>"
        '<div class="jp-Cell jp-CodeCell"><div class="jp-InputArea jp-Cell-inputArea">'
        '<div class="highlight"><pre><span>model</span>.fit(x, epochs=5)  # dropout</pre></div>'
        '<div class="clipboard-copy-txt" id="cell-1">import keras  # dropout</div></div>'
        '<div class="jp-OutputArea"><div class="jp-RenderedHTML"><table><tr><td>dropout</td>'
        "</tr></table></div></div></div>"
        "<p>Add dropout.<br>Done.</p>"
    )
    out = _hook().abbreviate_html(page, ALL_TERMS)
    assert [text for _, text in _abbrs(out)] == ["epochs", "ReLU", "dropout"]
    assert out.index(">dropout</abbr>") > out.index("<p>Add ")
    assert "$\\mathrm{ReLU}$" in out and '<h2 id="x">Epochs' in out
    assert re.sub(r"</?abbr[^>]*>", "", out) == page


def _markdown_pages() -> list[str]:
    return [p for p in _nav_pages(_config().nav) if p.endswith(".md")]


def _api_reference_pages() -> set[str]:
    """The pages of the nav's "API reference" section (docstrings: few or no tooltips)."""

    def find(nav: Any) -> Any:
        for item in nav if isinstance(nav, list) else ():
            if isinstance(item, dict):
                for title, value in item.items():
                    if title == "API reference":
                        return value
                    if (found := find(value)) is not None:
                        return found
        return None

    return set(_nav_pages(find(_config().nav)))


def _with_module_docstrings(text: str) -> str:
    """An API page, with each `::: dlguide.x` (a module or a function) replaced by the
    docstring mkdocstrings shows."""

    def docstring(match: re.Match[str]) -> str:
        module, _, name = match[1].rpartition(".")
        try:
            obj = importlib.import_module(match[1])
        except ModuleNotFoundError:
            obj = getattr(importlib.import_module(module), name)
        doc = inspect.getdoc(obj) or ""
        return doc.split("\nExamples:")[0]  # mkdocstrings shows the examples as code

    return re.sub(r"^::: (\S+)$", docstring, text, flags=re.M)


def test_every_markdown_page_gets_a_tooltip():
    """What the browser test checks on the built site, fast: every page has an `<abbr>`.

    The API reference is left out: its docstrings use few terms, mostly in tables.
    """
    config = _config()
    without = []
    api = _api_reference_pages()
    assert "reference/datasets.md" in api
    for path in [p for p in _markdown_pages() if p not in api]:
        md = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        text = _with_module_docstrings((DOCS / path).read_text(encoding="utf-8"))
        text = _hook().on_page_markdown(text, _Page(path), config, None)
        if "<abbr title=" not in md.convert(text):
            without.append(path)
    assert not without, f"pages without a glossary tooltip: {without}"


def test_every_notebook_mentions_a_term_in_its_prose():
    marker = _hook().Marker(ALL_TERMS)
    for source in sorted((DOCS / "projects").glob("*.py")):
        prose = "\n".join(
            line[2:]
            for line in source.read_text(encoding="utf-8").splitlines()
            if line.startswith("# ") and not line.startswith("# %%")
        )
        assert marker.matches(prose, set()), f"{source.name}: no glossary term in its cells"


class _File:
    def __init__(self, src_uri: str) -> None:
        self.src_uri = src_uri


class _Page:
    def __init__(self, src_uri: str) -> None:
        self.file = _File(src_uri)
