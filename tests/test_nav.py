"""The site's navigation: it teaches in the roadmap's order, and no two entries share a name.

The Next/Previous buttons at the foot of every page follow `mkdocs.yml`'s nav, so the nav
is the order a reader who keeps pressing Next learns in. The roadmap's learning path (the
first Mermaid flowchart of `docs/roadmap.md`) is the order the guide promises. This test
holds the two together: for every arrow of the flowchart (followed transitively, an arrow
from or to a stage standing for every box in it), the page that teaches the box at its tail
must come before the page that teaches the box at its head.

`ROADMAP_PAGES` says which page teaches each box. When the roadmap gains a box, or the nav a
page on the learning path, add it there; the test fails until then.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ROADMAP = REPO / "docs" / "roadmap.md"

# Box of the roadmap's learning path (its Mermaid id) -> the nav pages that teach it.
ROADMAP_PAGES: dict[str, tuple[str, ...]] = {
    "WHAT": ("foundations/what-is-deep-learning.md",),
    "PER": ("foundations/perceptron-mlp.md",),
    "MLP": ("foundations/perceptron-mlp.md",),
    "ACT": ("foundations/activations.md",),
    "LOSS": ("foundations/losses.md",),
    "BP": ("foundations/backpropagation.md",),
    "GD": ("foundations/optimizers.md",),
    "OPT": ("foundations/optimizers.md",),
    "HP": ("foundations/training-practice.md",),
    "FIT": ("foundations/training-practice.md",),
    "REG": ("foundations/training-practice.md",),
    "CB": ("foundations/training-practice.md",),
    "ANN": ("architectures/ann.md",),
    "CNN": ("architectures/cnn.md",),
    "RES": ("architectures/resnet.md", "architectures/augmentation.md"),
    "TL": ("architectures/transfer-learning.md",),
    "RNN": ("architectures/rnn.md",),
    "LSTM": ("architectures/lstm-gru.md",),
    "HYB": ("architectures/deep-rnns.md",),
    "CV": ("architectures/opencv.md",),
    "TR": (
        "architectures/attention.md",
        "architectures/self-attention.md",
        "architectures/positional-encoding.md",
        "architectures/transformer.md",
        "architectures/bert-gpt.md",
    ),
    "P1": ("projects/ann_tumour_diagnosis.py",),
    "P2": ("projects/cnn_mnist_digits.py", "projects/cnn_textures.py"),
    "P3": (
        "projects/stock_forecasting.py",
        "projects/sentiment_imdb.py",
        "projects/char_text_generation.py",
    ),
    "P4": (
        "projects/transformer_imdb.py",
        "projects/gpt_shakespeare.py",
        "projects/g2p_seq2seq.py",
    ),
    "P5": ("projects/generating_digits.py",),
    "GEN": (
        "generative/autoencoders.md",
        "generative/vae.md",
        "generative/gan.md",
        "generative/diffusion.md",
        "generative/latent-diffusion.md",
    ),
    "HOT": (
        "hot-topics/lora.md",
        "hot-topics/vision-transformer.md",
        "hot-topics/mixture-of-experts.md",
        "hot-topics/efficient-attention.md",
    ),
    "SHRINK": ("deployment/small-and-fast.md",),
    "EXPORT": ("deployment/deploying.md",),
    "SERVE": ("deployment/deploying.md",),
    "MANY": ("deployment/many-devices.md",),
    "SHIP": ("projects/ship_digit_classifier.py",),
}

# Top-level nav sections that are not on the learning path.
OFF_PATH_SECTIONS = {"Home", "Roadmap", "Reference"}


@cache
def _nav() -> list[Any]:
    from mkdocs.config import load_config

    return load_config(str(REPO / "mkdocs.yml"))["nav"]


def _entries(nav: Any, section: str | None = None) -> list[tuple[str | None, str, str | None]]:
    """(title, page, top-level section) of every page of the nav, in order."""
    if isinstance(nav, str):
        return [(None, nav, section)]
    if isinstance(nav, list):
        return [e for item in nav for e in _entries(item, section)]
    out = []
    for title, value in nav.items():
        top = section or title
        if isinstance(value, str):
            out.append((title, value, top))
        else:
            out += _entries(value, top)
    return out


def _learning_path() -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """The roadmap flowchart's subgraphs (id -> box ids) and arrows (tail, head)."""
    text = ROADMAP.read_text(encoding="utf-8")
    section = text.split("## The learning path", 1)[1]
    chart = re.search(r"```mermaid\n(flowchart.*?)```", section, re.S)
    assert chart, "the roadmap's learning path has no Mermaid flowchart"
    subgraphs: dict[str, set[str]] = {}
    arrows: set[tuple[str, str]] = set()
    open_graphs: list[str] = []
    for raw in chart[1].splitlines()[1:]:
        line = re.sub(r"\b(\w+)\[[^\]]*\]", r"\1", raw).strip()  # ID["label"] -> ID
        if not line or line.startswith(("%%", "direction")):
            continue
        if match := re.fullmatch(r"subgraph (\w+)", line):
            open_graphs.append(match[1])
            subgraphs[match[1]] = set()
            continue
        if line == "end":
            open_graphs.pop()
            continue
        # "A --> B ~~~ C": boxes and links alternate ("~~~" is an invisible link).
        parts = [part.strip() for part in re.split(r"(-->|~~~)", line)]
        boxes = parts[::2]
        if open_graphs:
            subgraphs[open_graphs[-1]].update(boxes)
        for i, link in enumerate(parts[1::2]):
            if link == "-->":
                arrows.add((boxes[i], boxes[i + 1]))
    return subgraphs, arrows


def _expanded_arrows() -> set[tuple[str, str]]:
    """Every (tail, head) pair of boxes joined by a path of arrows."""
    subgraphs, arrows = _learning_path()

    def boxes(node: str) -> set[str]:
        return set().union(*(boxes(n) for n in subgraphs[node])) if node in subgraphs else {node}

    reach: dict[str, set[str]] = {}
    for tail, head in arrows:
        for t in boxes(tail):
            reach.setdefault(t, set()).update(boxes(head))
    changed = True
    while changed:  # transitive closure
        changed = False
        for heads in reach.values():
            more = set().union(*(reach.get(h, set()) for h in heads)) - heads
            if more:
                heads |= more
                changed = True
    return {(t, h) for t, heads in reach.items() for h in heads}


def test_the_roadmap_flowchart_is_read():
    subgraphs, arrows = _learning_path()
    assert {"S1", "S2", "S3", "S4"} <= set(subgraphs)
    assert ("LOSS", "BP") in arrows and ("S1", "S2") in arrows
    assert ("ACT", "BP") in _expanded_arrows()


def test_every_page_on_the_learning_path_has_a_roadmap_box():
    mapped = {page for pages in ROADMAP_PAGES.values() for page in pages}
    on_path = [page for _, page, top in _entries(_nav()) if top not in OFF_PATH_SECTIONS]
    missing = [page for page in on_path if page not in mapped]
    assert not missing, (
        f"nav pages with no box of the roadmap's learning path in ROADMAP_PAGES: {missing}"
    )
    not_in_nav = sorted(mapped - set(on_path))
    assert not not_in_nav, f"ROADMAP_PAGES names pages the nav does not have: {not_in_nav}"


def test_every_box_of_the_stages_has_a_page():
    subgraphs, _ = _learning_path()
    stages = [s for s in subgraphs if re.fullmatch(r"S\d+", s)]
    boxes = set().union(*(subgraphs[s] for s in stages))
    missing = sorted(boxes - set(ROADMAP_PAGES))
    assert not missing, f"roadmap boxes with no page in ROADMAP_PAGES: {missing}"


def test_next_buttons_follow_the_roadmap():
    """A page comes after every page the roadmap puts before it."""
    order = {page: i for i, (_, page, _) in enumerate(_entries(_nav()))}
    wrong = []
    for tail, head in sorted(_expanded_arrows()):
        for before in ROADMAP_PAGES.get(tail, ()):
            for after in ROADMAP_PAGES.get(head, ()):
                if before != after and order[before] > order[after]:
                    wrong.append(f"{before} ({tail}) must come before {after} ({head})")
    assert not wrong, "the nav disagrees with the roadmap's learning path:\n" + "\n".join(
        sorted(set(wrong))
    )


def test_no_two_nav_entries_share_a_name():
    """The sidebar tells pages apart: no "Glossary" twice, no "Metrics" twice."""
    titles = [title for title, _, _ in _entries(_nav()) if title]
    twice = sorted(t for t, n in Counter(t.casefold() for t in titles).items() if n > 1)
    assert not twice, f"nav titles used for more than one page: {twice}"
