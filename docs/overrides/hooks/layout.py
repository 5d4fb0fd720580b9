"""MkDocs hook: tables that read well on a phone; pages without their templates' indentation.

A table of `CARD_COLUMNS` or more columns gets a `data-cards` attribute and each of its
body cells a `data-label` with the text of its column's heading. On a phone,
`docs/stylesheets/extra.css` ("layout: tables fit") shows such a table as one card per
row, each cell under its column's name, instead of a table ten times wider than the
screen. Wider screens show the table as it is.

Only the Markdown pages' tables are marked (a Python-Markdown treeprocessor); notebook
tables and outputs keep scrolling sideways.

Every built page also loses the indentation that the theme's nested templates leave at the
start of its lines (the navigation alone is indented up to 30 spaces deep, on every page):
12-20 % of a page's HTML, which the browser would collapse anyway. Text where whitespace
counts (`<pre>`, `<textarea>`, scripts and styles) is left as it is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

CARD_COLUMNS = 4


_STASHED = re.compile(r"\x02wzxhzdk:\d+\x03")  # raw HTML that Python-Markdown set aside


def _text(element: etree.Element) -> str:
    return " ".join(_STASHED.sub("", "".join(element.itertext())).split())


class _CardTables(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            head = table.find("thead/tr")
            if head is None:
                continue
            labels = [_text(cell) for cell in head if cell.tag in {"th", "td"}]
            if len(labels) < CARD_COLUMNS:
                continue
            table.set("data-cards", "")
            for row in table.iterfind("tbody/tr"):
                for label, cell in zip(labels, [c for c in row if c.tag == "td"], strict=False):
                    cell.set("data-label", label)


class CardTables(Extension):
    """Python-Markdown extension: label the cells of wide tables for the phone layout."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After the inline patterns (20), so that the headings' text is final.
        md.treeprocessors.register(_CardTables(md), "dlguide_card_tables", 4)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.markdown_extensions.append(CardTables())
    return config


# Elements whose whitespace is kept, and the indentation after a line break elsewhere.
_KEEP_WHITESPACE = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENTATION = re.compile(r"\n\s+")


def collapse_indentation(html: str) -> str:
    """`html` without the whitespace after each line break, except where whitespace counts.

    >>> collapse_indentation("<ul>\\n    <li>a\\n\\n  b</li>\\n</ul><pre>x\\n  y</pre>")
    '<ul>\\n<li>a\\nb</li>\\n</ul><pre>x\\n  y</pre>'
    """
    parts, start = [], 0
    for match in _KEEP_WHITESPACE.finditer(html):
        parts += [_INDENTATION.sub("\n", html[start : match.start()]), match[0]]
        start = match.end()
    parts.append(_INDENTATION.sub("\n", html[start:]))
    return "".join(parts)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return collapse_indentation(output)
