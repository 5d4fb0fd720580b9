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

# Thread pools, pinned so that every run (test workers, their kernels, the build) sums floats
# in the same order: checked numbers depend on it. In practice each process gets the whole
# machine (2 threads here): the pytest controller loads this file first, without a worker
# count, and the xdist workers inherit its values before their own `setdefault`. One thread
# per worker would end the oversubscription (a cold build took 262 s instead of 342 s) but
# moves checked numbers in cnn_textures, cnn_mnist_digits, gan and generating_digits, which
# then need re-stating (issue 10).
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
