"""The sybil side of the harness: what runs on a page or in a docstring, and how.

The root `conftest.py` builds its two Sybils (`pages`, `docstrings`) from these parts.
`run_page` runs one Markdown page through the very same Sybil outside pytest (the
site build does that for a page whose figures are not in the cache yet).
"""

from __future__ import annotations

import doctest
import os
import re
import sys
import tempfile
import time
import traceback
import unittest
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.document import PythonDocStringDocument
from sybil.evaluators.doctest import NUMBER
from sybil.parsers.abstract import AbstractCodeBlockParser
from sybil.parsers.abstract.codeblock import PythonDocTestOrCodeBlockParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, FencedCodeBlockLexer

OPTIONFLAGS = doctest.ELLIPSIS | NUMBER
FIGURE_SUFFIXES = frozenset({".png", ".svg"})

# ------------------------------------------------------------------ code a reader sees


class _FencedCodeBlockParser(AbstractCodeBlockParser):
    """Fenced code blocks only: sybil's `invisible-code-block` directive is not collected."""

    def __init__(self, language: str, evaluator: Callable[[Example], Any]) -> None:
        super().__init__(
            [
                FencedCodeBlockLexer(
                    language=r".+", mapping={"language": "arguments", "source": "source"}
                )
            ],
            language,
            evaluator,
        )


class VisiblePythonCodeBlockParser(PythonDocTestOrCodeBlockParser):
    """Every ```` ```python ```` fence (doctest or plain code), and nothing hidden.

    Sybil's Markdown parser also runs code from `<!-- invisible-code-block: python -->`
    comments, which a reader never sees; this one does not (and
    `tests/test_docs_fences.py` fails on such a comment).
    """

    codeblock_parser_class = _FencedCodeBlockParser


# -------------------------------------------------------------------- numbers in prose

_NUMBER_ARGUMENTS = re.compile(r"(?P<expr>.+?)\s*=\s*(?P<value>-?\d+(?:\.\d+)?)\s*$")
NUMBER_DIRECTIVE = re.compile(r"<!--\s*number:\s*(?P<arguments>.*?)\s*-->")


def parse_number(arguments: str, where: str) -> tuple[str, str]:
    """`EXPR = VALUE` from a number directive, as (expr, literal)."""
    match = _NUMBER_ARGUMENTS.match(arguments or "")
    if match is None:
        raise ValueError(f"{where}: expected <!-- number: EXPR = VALUE -->, got {arguments!r}")
    return match["expr"], match["value"]


def check_number(literal: str, paragraph: str, expr: str, value: float) -> str | None:
    """Why a number in prose is wrong, or None if the paragraph says it and the run agrees.

    The paragraph must spell `literal` (or, for a fraction with 2+ decimals, the same
    value as a percentage: 0.97 -> 97%), and `value` must round to it.
    """
    decimals = len(literal.partition(".")[2])
    spellings = [re.escape(literal)]
    if decimals >= 2:
        spellings.append(re.escape(f"{float(literal) * 100:.{decimals - 2}f}%"))
    if not re.search(rf"(?<![\d.])(?:{'|'.join(spellings)})(?![\d])", paragraph):
        return f"the prose before the check does not mention {literal}"
    if round(value, decimals) != round(float(literal), decimals):
        return f"the prose says {literal}, but the run gives {expr} = {value!r}"
    return None


def paragraph_before(text: str, position: int) -> str:
    """The paragraph (or table) that ends at `position`."""
    return text[text.rfind("\n\n", 0, position) + 1 : position]


class ProseNumberParser:
    """Check a number written in prose against the page's namespace.

    ``<!-- number: test_acc = 0.97 -->`` evaluates ``test_acc``, checks that it
    rounds to 0.97 (to the digits written), and that the paragraph just before
    the comment says "0.97" (or, for a fraction, "97%").
    """

    def __init__(self) -> None:
        self.lexer = DirectiveInHTMLCommentLexer("number")

    def __call__(self, document: Document) -> Iterable[Region]:
        for lexed in self.lexer(document):
            expr, literal = parse_number(lexed.lexemes["arguments"], str(document.path))
            parsed = (expr, literal, paragraph_before(document.text, lexed.start))
            yield Region(lexed.start, lexed.end, parsed, self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        expr, literal, paragraph = example.parsed
        return check_number(literal, paragraph, expr, float(eval(expr, example.namespace)))


# ----------------------------------------------------------------- sealed docstrings


def _fresh_session(evaluator: Callable[[Example], Any]) -> Callable[[Example], Any]:
    def evaluate(example: Example) -> Any:
        example.namespace.clear()
        clear_keras_session()
        return evaluator(example)

    return evaluate


class DocstringDocument(Document):
    """The docstrings of a module, each one's examples starting in an empty namespace.

    Sybil's own `PythonDocStringDocument` imports the module and runs every example
    with the module's globals, so an example can use `np` without importing it. A
    reader who pastes one docstring's examples into a new session has none of that:
    here each docstring starts from an empty namespace and a clear Keras session.
    """

    @classmethod
    def parse(cls, path: str, *parsers: Any, encoding: str = "utf-8") -> Document:
        with open(path, encoding=encoding) as source:
            document = cls(source.read(), path)
        for start, _, text in sorted(PythonDocStringDocument.extract_docstrings(document.text)):
            docstring = Document(text, path)
            regions = sorted(
                (region for parser in parsers for region in parser(docstring)),
                key=lambda region: region.start,
            )
            for index, region in enumerate(regions):
                region.start += start
                region.end += start
                if index == 0:
                    region.evaluator = _fresh_session(region.evaluator)
                document.add(region)
        return document


# --------------------------------------------------------- one page, one fresh session


def clear_keras_session() -> None:
    """Reset Keras's global state (layer names, the graph) if Keras is loaded.

    `free_memory=False` skips the full garbage collection Keras runs by default:
    about 0.3 s each time with TensorFlow loaded, for 400-odd docstrings a run,
    and nothing a reader's fresh session would see.
    """
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session(free_memory=False)


_page_dirs: list[tuple[str, tempfile.TemporaryDirectory[str]]] = []


def start_page(namespace: dict[str, object]) -> None:
    """Sybil setup: each page runs in an empty temporary working directory."""
    workdir = tempfile.TemporaryDirectory(prefix="dlguide-page-")
    _page_dirs.append((os.getcwd(), workdir))
    os.chdir(workdir.name)


def current_workdir() -> Path:
    """The working directory made for the page that is running now."""
    return Path(_page_dirs[-1][1].name)


def end_page(namespace: dict[str, object]) -> None:
    """Sybil teardown: back to the old directory, and a clear Keras session."""
    cwd, workdir = _page_dirs.pop()
    os.chdir(cwd)
    workdir.cleanup()
    clear_keras_session()


def figures_in(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """The images a page run wrote into its working directory, by file name."""
    return {
        path.name: path
        for path in sorted(Path(folder).iterdir())
        if path.suffix in FIGURE_SUFFIXES and path.is_file()
    }


@dataclass
class PageRun:
    """What running a page's examples gave: failures, durations and the figures written."""

    failures: list[str] = field(default_factory=list)
    examples: list[tuple[int, float]] = field(default_factory=list)  # (line, seconds)
    seconds: float = 0.0


def run_page(sybil: Sybil, path: Path, keep: Callable[[dict[str, Path], PageRun], None]) -> PageRun:
    """Run one page through `sybil` as the tests do, outside pytest.

    Every example is evaluated in order in one namespace, skips included. When all
    pass, `keep(figures, run)` is called while the page's working directory (and so
    its figures) still exists.
    """
    document = sybil.parse(path)
    run = PageRun()
    start = time.perf_counter()
    if sybil.setup:
        sybil.setup(document.namespace)
    try:
        for example in document.examples():
            began = time.perf_counter()
            try:
                example.evaluate()
            except unittest.SkipTest:
                pass
            except Exception as error:  # noqa: BLE001 - reported as the page's failure
                detail = (
                    str(error)
                    if type(error).__name__ == "SybilFailure"
                    else "".join(traceback.format_exception(error)[-12:])
                )
                run.failures.append(f"{path.name}, line {example.line}:\n{detail}")
            run.examples.append((example.line, time.perf_counter() - began))
        run.seconds = time.perf_counter() - start
        if not run.failures:
            keep(figures_in(current_workdir()), run)
    finally:
        if sybil.teardown:
            sybil.teardown(document.namespace)
    return run
