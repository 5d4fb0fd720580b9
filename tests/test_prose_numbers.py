"""Summary tables that repeat measured numbers check every one of them.

A table followed by `<!-- number: EXPR = VALUE -->` comments is a table of measured
results. Each decimal or percentage in its cells (outside code and maths) must be one
that a comment after it checks against the run, so a summary cannot drift from the
sections it summarises.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.pages import NUMBER_DIRECTIVE, parse_number

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md"))

_TABLE = re.compile(
    r"(?P<table>(?:^\|.*\|[ \t]*\n)+)(?P<checks>(?:^<!--\s*number:.*-->[ \t]*\n?)+)", re.M
)
_CODE_OR_MATH = re.compile(r"`[^`]*`|\$[^$]*\$")
_MEASURED = re.compile(r"(?<![\w.])\d+\.\d+%?|(?<![\w.])\d+%")


def unchecked_numbers(text: str) -> list[str]:
    """Numbers in checked tables that no check after the table covers."""
    missing = []
    for match in _TABLE.finditer(text):
        literals = set()
        for directive in NUMBER_DIRECTIVE.finditer(match["checks"]):
            _, literal = parse_number(directive["arguments"], "table")
            literals.add(literal)
            decimals = len(literal.partition(".")[2])
            if decimals >= 2:
                literals.add(f"{float(literal) * 100:.{decimals - 2}f}%")
        body = match["table"].splitlines()[2:]  # below the header and the --- row
        for row in body:
            for number in _MEASURED.findall(_CODE_OR_MATH.sub("", row)):
                if number not in literals:
                    missing.append(number)
    return missing


def test_detector_finds_an_unchecked_number():
    text = (
        "| a | b |\n| --- | --- |\n| x | 0.51 → 0.49, 80% of `Dropout(0.5)` |\n"
        "<!-- number: y = 0.51 -->\n<!-- number: z = 0.80 -->\n"
    )
    assert unchecked_numbers(text) == ["0.49"]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_checked_tables_check_every_number(page):
    missing = unchecked_numbers(page.read_text(encoding="utf-8"))
    assert not missing, (
        f"{page.relative_to(ROOT)}: a table of checked numbers also states {missing}, which no "
        "<!-- number: ... --> after it checks"
    )
