"""Python that sybil would silently skip is an error, unless marked with a reason.

Sybil only collects fences opened with exactly ```python. A fence such as
```py or ```python title="x.py" looks like tested code but never runs. Such a
fence is allowed only right after `<!-- not-run: reason -->`. Sybil's own
`<!-- skip: ... -->` directives must give a reason too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(ROOT.joinpath("docs").rglob("*.md")) + [ROOT / "README.md"]

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_PYTHONISH = re.compile(r"^\s*\{?\s*\.?(py|python\d?|pycon|ipython\d?)\b", re.I)
_NOT_RUN = re.compile(r"<!--\s*not-run:\s*\S.*-->\s*$")
_SKIP = re.compile(r"<!--\s*skip:\s*(?P<args>.*?)\s*-->")


def silently_skipped(text: str) -> list[tuple[int, str]]:
    """(line number, line) of Python-looking fences sybil will not collect."""
    found, lines, open_fence = [], text.splitlines(), None
    for number, line in enumerate(lines, start=1):
        match = _FENCE_OPEN.match(line)
        if not match:
            continue
        if open_fence:
            if match["fence"].startswith(open_fence) and not match["info"].strip():
                open_fence = None
            continue
        open_fence = match["fence"]
        info = match["info"]
        if info == "python" or not _PYTHONISH.match(info):
            continue
        previous = next((p for p in reversed(lines[: number - 1]) if p.strip()), "")
        if not _NOT_RUN.search(previous):
            found.append((number, line.strip()))
    return found


def test_detector_catches_the_silent_forms():
    text = "\n".join(
        [
            "```py",
            "x",
            "```",
            '```python title="a.py"',
            "x",
            "```",
            "``` python",
            "x",
            "```",
            "```python3",
            "x",
            "```",
            "```pycon",
            "x",
            "```",
            "```python",
            "ok",
            "```",
            "<!-- not-run: needs a GPU -->",
            "```py",
            "x",
            "```",
            "````markdown",
            "```py",
            "inside another fence",
            "```",
            "````",
            "```bash",
            "ok",
            "```",
        ]
    )
    assert [n for n, _ in silently_skipped(text)] == [1, 4, 7, 10, 13]


def test_there_are_pages():
    assert len(PAGES) >= 5


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_no_python_fence_is_silently_skipped(page):
    found = silently_skipped(page.read_text(encoding="utf-8"))
    assert not found, (
        f"{page.relative_to(ROOT)}: these fences look like Python but sybil will not run "
        f"them; open them with exactly ```python, or put `<!-- not-run: reason -->` "
        f"right before: {found}"
    )


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_skip_gives_a_reason(page):
    for match in _SKIP.finditer(page.read_text(encoding="utf-8")):
        args = match["args"]
        if args.startswith("next") or args.startswith("start"):
            assert re.search(r'"[^"]+"', args), f"{page.name}: skip without a reason: {match[0]}"


# HTML-comment directives a page may use: skips and not-run markers (with a reason), number
# checks and the glossary placeholder. Anything else that sybil could read as a directive
# (invisible-code-block, code-block, clear-namespace, setup/teardown) would run or change code
# a reader cannot see.
_ALLOWED_DIRECTIVES = {"skip", "not-run", "number", "glossary"}
_DIRECTIVE = re.compile(r"<!--\s*(?P<name>[A-Za-z][\w-]*)\s*(?::|-->|\n)")


def hidden_directives(text: str) -> list[str]:
    """Directives in `text` that are not in the allowed set."""
    return [m["name"] for m in _DIRECTIVE.finditer(text) if m["name"] not in _ALLOWED_DIRECTIVES]


def test_hidden_code_detector_catches_sybil_directives():
    text = "\n".join(
        [
            "<!-- invisible-code-block: python",
            "x = 1",
            "-->",
            "<!-- code-block: python -->",
            "<!-- clear-namespace -->",
            '<!-- skip: next "a reason" -->',
            "<!-- number: x = 1 -->",
            "<!-- not-run: shown only -->",
        ]
    )
    assert hidden_directives(text) == ["invisible-code-block", "code-block", "clear-namespace"]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_no_page_runs_code_a_reader_cannot_see(page):
    found = hidden_directives(page.read_text(encoding="utf-8"))
    assert not found, (
        f"{page.relative_to(ROOT)}: directives that run or change code a reader cannot see: "
        f"{found}. Show the code in a ```python block instead (fold it into a "
        '`??? note "..."` block if a reader need not read it).'
    )
