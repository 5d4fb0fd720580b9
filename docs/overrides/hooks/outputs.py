"""MkDocs hook: figures and notebook outputs come from tested runs of today's code.

A page shows a figure with a plain image link to a file its own code writes, e.g.
`plot_history(history, path="ann_curves.png")` and `![Training curves](ann_curves.png)`;
every project notebook is shown with its outputs. Both come from the execution cache
that the tests fill (`harness/`): a page's figures are the files written by the very
run whose examples the tests checked, and a notebook's outputs are those of the run
the tests executed. `mkdocs build` runs whatever the cache lacks and fails if it
fails; `mkdocs serve` serves at once and runs it in the background (see
`harness/outputs.py`). Every process started from here refuses network connections
beyond 127.0.0.1 (`harness/offline/sitecustomize.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path; the harness lives at the root
    sys.path.insert(0, str(ROOT))

from harness import outputs  # noqa: E402
from harness.offline.sitecustomize import install as refuse_network  # noqa: E402


def on_startup(command: str, dirty: bool) -> None:
    outputs.session.command = "serve" if command == "serve" else "build"
    refuse_network()


def on_files(files: Any, config: Any) -> Any:
    return outputs.session.on_files(files, config)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return outputs.session.on_page_markdown(markdown, page)


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    jupyter = config.plugins.get("mkdocs-jupyter")
    outputs.session.on_pre_page(page, jupyter.config if jupyter else {})
    return page


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return outputs.session.on_page_content(html, page)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    return outputs.session.on_serve(server)


def on_post_build(config: Any) -> None:
    outputs.session.on_post_build()
