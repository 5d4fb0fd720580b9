"""Root pytest configuration: the two Sybils that run the guide's code.

- ``pages``: every ```` ```python ```` block in ``docs/**/*.md`` and ``README.md``, in
  order, in one namespace per page. Blocks that start with ``>>>`` are doctests, so
  their shown output is compared with a fresh run. ``<!-- number: EXPR = VALUE -->``
  after a paragraph checks a number in the prose. Code a reader cannot see (sybil's
  ``invisible-code-block``) is not run, and ``tests/test_docs_fences.py`` rejects it.
- ``docstrings``: every ``Examples:`` section in ``dlguide/``. Each docstring starts from
  an empty namespace, as a reader pasting it into a new session would.

Each page runs in a fresh temporary working directory (files it writes, such as
figures, land there) and starts from a clear Keras session. Project notebooks
(``docs/projects/*.py``) run in a fresh kernel each. The rest of the machinery
(execution cache, ordering, the offline guard for child processes) is in
``harness/``; ``harness.plugin`` says how it fits together.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# Each test process (and every kernel or build it starts, which inherit the environment) gets
# its share of the cores. Left alone, TensorFlow and OpenMP size their thread pools for the
# whole machine in every one of the two workers, and the pools fight over two cores.
# (xdist sets PYTEST_XDIST_WORKER_COUNT before it loads this file.)
_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
_threads = str(max(1, (os.cpu_count() or 1) // _workers))
for _name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_name, _threads)

import pytest  # noqa: E402

pytest.register_assert_rewrite("harness")

from sybil import Sybil  # noqa: E402
from sybil.parsers.markdown import SkipParser  # noqa: E402
from sybil.parsers.rest import DocTestParser  # noqa: E402

from harness.pages import (  # noqa: E402
    OPTIONFLAGS,
    DocstringDocument,
    ProseNumberParser,
    VisiblePythonCodeBlockParser,
    end_page,
    start_page,
)
from harness.plugin import collector  # noqa: E402

pytest_plugins = ["harness.plugin"]

pages = Sybil(
    name="pages",
    parsers=[
        VisiblePythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS),
        SkipParser(),
        ProseNumberParser(),
    ],
    patterns=["*.md"],
    path=".",
    setup=start_page,
    teardown=end_page,
)

docstrings = Sybil(
    name="docstrings",
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    patterns=["*.py"],
    excludes=["__main__.py"],
    path="dlguide",
    document_types={".py": DocstringDocument},
    setup=start_page,
    teardown=end_page,
)

pytest_collect_file = collector(pages, docstrings)
