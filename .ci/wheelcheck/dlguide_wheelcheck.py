"""pytest plugin for `.ci/wheel`: run the docstring examples of the *installed* dlguide.

Loaded with `-p dlguide_wheelcheck` from a temporary folder, outside the repository, so
neither the repository nor its root conftest.py is on the path: the examples run
against the copy of dlguide that pip installed from the wheel, as a user's would. It is
the `docstrings` Sybil of the root conftest.py, pointed at the installed package.
"""

from __future__ import annotations

import doctest
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from sybil import Sybil  # noqa: E402
from sybil.document import PythonDocStringDocument  # noqa: E402
from sybil.evaluators.doctest import NUMBER  # noqa: E402
from sybil.parsers.rest import DocTestParser  # noqa: E402

import dlguide  # noqa: E402

PACKAGE = Path(dlguide.__file__).parent
_page_dirs: list[tuple[str, tempfile.TemporaryDirectory[str]]] = []


def _start(namespace: dict[str, object]) -> None:
    workdir = tempfile.TemporaryDirectory(prefix="dlguide-wheel-")
    _page_dirs.append((os.getcwd(), workdir))
    os.chdir(workdir.name)


def _end(namespace: dict[str, object]) -> None:
    cwd, workdir = _page_dirs.pop()
    os.chdir(cwd)
    workdir.cleanup()
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()


docstrings = Sybil(
    name="installed-docstrings",
    parsers=[DocTestParser(optionflags=doctest.ELLIPSIS | NUMBER)],
    patterns=["*.py"],
    excludes=["__main__.py"],
    path=str(PACKAGE),
    document_types={".py": PythonDocStringDocument},
    setup=_start,
    teardown=_end,
)

pytest_collect_file = docstrings.pytest()


def pytest_report_header() -> str:
    return f"dlguide {dlguide.__version__} from {PACKAGE}"
