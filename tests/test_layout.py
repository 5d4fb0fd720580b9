"""The site's layout helpers that run at build time (the browser checks are in test_site.py).

- `docs/overrides/hooks/layout.py` marks tables of four or more columns for the card layout
  that `extra.css` gives them on phones.
- `mkdocs.yml` loads the hook, and `docs/javascripts/diagrams.js` right after Mermaid itself
  (it must wrap Mermaid before Material draws a diagram).
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from types import ModuleType

import markdown
import yaml

REPO = Path(__file__).resolve().parents[1]
HOOK = REPO / "docs" / "overrides" / "hooks" / "layout.py"


@cache
def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dlguide_layout_hook", HOOK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _render(text: str) -> str:
    return markdown.Markdown(extensions=["tables", _hook().CardTables()]).convert(text)


def test_a_wide_table_is_labelled_for_cards():
    html = _render(
        "| Data | `layers` | [Model](x.md) | Why *it* |\n| --- | --- | --- | --- |\n"
        "| tabular | `Dense` | `mlp` | rows |\n| images | `Conv2D` | `cnn` | pixels |\n"
    )
    assert "<table data-cards" in html
    cells = re.findall(r'<td data-label="([^"]*)">([^<]*(?:<code>[^<]*</code>)?)', html)
    assert [label for label, _ in cells] == ["Data", "layers", "Model", "Why it"] * 2
    assert cells[1][1] == "<code>Dense</code>"


def test_a_narrow_table_is_left_alone():
    html = _render("| A | B | C |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n")
    assert "data-cards" not in html and "data-label" not in html


def _config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_the_site_loads_the_hook_and_the_mermaid_wrapper():
    config = _config()
    assert "docs/overrides/hooks/layout.py" in config["hooks"]
    scripts = config["extra_javascript"]
    library = "assets/vendor/mermaid/mermaid.min.js"
    if library in scripts:  # served eagerly: the wrapper must come right after it
        assert scripts.index("javascripts/diagrams.js") == scripts.index(library) + 1
    else:
        assert "javascripts/diagrams.js" in scripts
