"""MkDocs hook: ```python blocks written as doctests are highlighted as sessions.

A block that starts with `>>>` is rendered with the `pycon` lexer, so prompts
and printed output get their own CSS classes (`.gp`, `.go`); doctest's
`<BLANKLINE>` marker is shown as the empty line it stands for. The stylesheet
hides both while Material's copy button copies, so a reader copies plain code.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from pymdownx.superfences import highlight_validator


def _python_fence(
    src: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any
) -> str:
    language = "python"
    if src.lstrip().startswith(">>>"):
        language = "pycon"
        # doctest's marker for an empty output line reads as an empty line on the page
        src = re.sub(r"^<BLANKLINE>$", "", src, flags=re.M)
    fenced = md.preprocessors["fenced_code_block"]
    return fenced.highlight(src=src, language=language, options=options, md=md, **kwargs)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    superfences.setdefault("custom_fences", []).append(
        {
            "name": "python",
            "class": "highlight",
            "format": _python_fence,
            "validator": highlight_validator,
        }
    )
    return config
