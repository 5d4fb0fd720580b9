"""Root pytest configuration: the two Sybils that run the guide's code.

- ``pages``: every ```` ```python ```` block in ``docs/**/*.md`` and ``README.md``. Blocks that start
  with ``>>>`` are doctests, so their shown output is compared with a fresh run.
  ``<!-- number: EXPR = VALUE -->`` after a paragraph checks a number in the prose.
- ``docstrings``: every ``Examples:`` section in ``dlguide/``.

Each page runs in a fresh temporary working directory (files it writes, such as
figures, land there) and starts from a clear Keras session, as a reader who
pastes the page into a new Python session would.
"""

from __future__ import annotations

import doctest
import os
import re
import sys
import tempfile
from collections.abc import Iterable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from sybil import Document, Example, Region, Sybil  # noqa: E402
from sybil.document import PythonDocStringDocument  # noqa: E402
from sybil.evaluators.doctest import NUMBER  # noqa: E402
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser  # noqa: E402
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer  # noqa: E402
from sybil.parsers.rest import DocTestParser  # noqa: E402

OPTIONFLAGS = doctest.ELLIPSIS | NUMBER

_NUMBER_ARGUMENTS = re.compile(r"(?P<expr>.+?)\s*=\s*(?P<value>-?\d+(?:\.\d+)?)\s*$")


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
            match = _NUMBER_ARGUMENTS.match(lexed.lexemes["arguments"] or "")
            if match is None:
                raise ValueError(
                    f"{document.path}: expected <!-- number: EXPR = VALUE -->, got "
                    f"{lexed.lexemes['arguments']!r}"
                )
            paragraph_start = document.text.rfind("\n\n", 0, lexed.start)
            paragraph = document.text[paragraph_start + 1 : lexed.start]
            parsed = (match["expr"], match["value"], paragraph)
            yield Region(lexed.start, lexed.end, parsed, self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        expr, literal, paragraph = example.parsed
        decimals = len(literal.partition(".")[2])
        spellings = [re.escape(literal)]
        if decimals >= 2:
            spellings.append(re.escape(f"{float(literal) * 100:.{decimals - 2}f}%"))
        if not re.search(rf"(?<![\d.])(?:{'|'.join(spellings)})(?![\d])", paragraph):
            return f"the prose before the check does not mention {literal}"
        value = float(eval(expr, example.namespace))
        if round(value, decimals) != round(float(literal), decimals):
            return f"the prose says {literal}, but the run gives {expr} = {value!r}"
        return None


_page_dirs: list[tuple[str, tempfile.TemporaryDirectory[str]]] = []


def _start_page(namespace: dict[str, object]) -> None:
    workdir = tempfile.TemporaryDirectory(prefix="dlguide-page-")
    _page_dirs.append((os.getcwd(), workdir))
    os.chdir(workdir.name)


def _end_page(namespace: dict[str, object]) -> None:
    cwd, workdir = _page_dirs.pop()
    os.chdir(cwd)
    workdir.cleanup()
    if "keras" in sys.modules:  # the next page starts like a fresh session
        sys.modules["keras"].backend.clear_session()


pages = Sybil(
    name="pages",
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS),
        SkipParser(),
        ProseNumberParser(),
    ],
    patterns=["*.md"],
    path=".",
    setup=_start_page,
    teardown=_end_page,
)

docstrings = Sybil(
    name="docstrings",
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    patterns=["*.py"],
    excludes=["__main__.py"],
    path="dlguide",
    document_types={".py": PythonDocStringDocument},
    setup=_start_page,
    teardown=_end_page,
)

pytest_collect_file = (pages + docstrings).pytest()
