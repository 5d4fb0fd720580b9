"""MkDocs hook: tables that read well on a phone.

A table of `CARD_COLUMNS` or more columns gets a `data-cards` attribute and each of its
body cells a `data-label` with the text of its column's heading. On a phone,
`docs/stylesheets/extra.css` ("layout: tables fit") shows such a table as one card per
row, each cell under its column's name, instead of a table ten times wider than the
screen. Wider screens show the table as it is.

Only the Markdown pages' tables are marked (a Python-Markdown treeprocessor); notebook
tables and outputs keep scrolling sideways.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig

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
