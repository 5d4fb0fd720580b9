"""The sybil harness itself is strict: wrong outputs and wrong prose numbers fail."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from sybil.example import SybilFailure

_spec = importlib.util.spec_from_file_location(
    "root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
)
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)


def run_page(tmp_path: Path, text: str) -> dict[str, object]:
    """Evaluate a Markdown page like the test suite does; return its namespace."""
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    document = root_conftest.pages.parse(page)
    skipped = document.namespace.setdefault("skipped", [])
    for example in document.examples():
        try:
            example.evaluate()
        except unittest.SkipTest as reason:
            skipped.append(str(reason))
    return document.namespace


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_matching_output_passes_with_ellipsis_and_number(tmp_path):
    ns = run_page(
        tmp_path,
        page(
            "```python",
            ">>> acc = 0.9712",
            ">>> print(acc)",
            "0.97",
            ">>> print(list(range(20)))",
            "[0, 1, ..., 19]",
            "```",
            "",
            "It reaches 0.97 accuracy, that is 97% of the digits.",
            "<!-- number: acc = 0.97 -->",
        ),
    )
    assert ns["acc"] == 0.9712


def test_wrong_output_fails(tmp_path):
    with pytest.raises(SybilFailure, match="Expected:\n    0.95\nGot:\n    0.9712"):
        run_page(tmp_path, page("```python", ">>> print(0.9712)", "0.95", "```"))


def test_plain_block_errors_fail(tmp_path):
    with pytest.raises(ZeroDivisionError):
        run_page(tmp_path, page("```python", "x = 1 / 0", "```"))


def test_prose_number_that_the_run_contradicts_fails(tmp_path):
    with pytest.raises(SybilFailure, match="the prose says 0.97, but the run gives acc = 0.91"):
        run_page(
            tmp_path,
            page(
                "```python",
                "acc = 0.91",
                "```",
                "",
                "It reaches 0.97.",
                "<!-- number: acc = 0.97 -->",
            ),
        )


def test_prose_number_missing_from_the_paragraph_fails(tmp_path):
    with pytest.raises(SybilFailure, match="does not mention 0.91"):
        run_page(
            tmp_path,
            page(
                "```python",
                "acc = 0.91",
                "```",
                "",
                "It is very accurate.",
                "<!-- number: acc = 0.91 -->",
            ),
        )


def test_skip_with_reason_skips_the_next_block(tmp_path):
    ns = run_page(
        tmp_path,
        page(
            '<!-- skip: next "needs a GPU" -->',
            "```python",
            "x = 1 / 0",
            "```",
            "",
            "```python",
            "y = 2",
            "```",
        ),
    )
    assert ns["y"] == 2 and "x" not in ns
    assert ns["skipped"] == ["needs a GPU"]


def test_only_bare_python_fences_are_collected(tmp_path):
    """Why tests/test_docs_fences.py exists: these fences would never run."""
    ns = run_page(
        tmp_path,
        page(
            "```py",
            "a = 1",
            "```",
            '```python title="x.py"',
            "b = 1",
            "```",
            "```python",
            "c = 1",
            "```",
        ),
    )
    assert "c" in ns and "a" not in ns and "b" not in ns


# ------------------------------------------------------------- what you see is what runs


def run_docstrings(tmp_path: Path, source: str) -> dict[str, object]:
    """Evaluate a module's docstring examples as the test suite does."""
    module = tmp_path / "module.py"
    module.write_text(source, encoding="utf-8")
    document = root_conftest.docstrings.parse(module)
    for example in document.examples():
        example.evaluate()
    return document.namespace


def test_docstring_examples_do_not_see_the_module_globals(tmp_path):
    source = '''import numpy as np


def zeros():
    """Zeros.

    Examples:
        >>> np.zeros(2)
        array([0., 0.])
    """
'''
    with pytest.raises(SybilFailure, match="name 'np' is not defined"):
        run_docstrings(tmp_path, source)


def test_each_docstring_starts_from_an_empty_namespace(tmp_path):
    source = '''def first():
    """First.

    Examples:
        >>> x = 1
    """


def second():
    """Second.

    Examples:
        >>> x
        1
    """
'''
    with pytest.raises(SybilFailure, match="name 'x' is not defined"):
        run_docstrings(tmp_path, source)


def test_a_docstring_that_imports_what_it_uses_passes(tmp_path):
    source = '''def zeros():
    """Zeros.

    Examples:
        >>> import numpy as np
        >>> np.zeros(2)
        array([0., 0.])
    """
'''
    assert "np" in run_docstrings(tmp_path, source)


def test_invisible_code_blocks_do_not_run(tmp_path):
    """A reader never sees this directive's code, so the pages Sybil must not run it."""
    ns = run_page(
        tmp_path,
        page(
            "<!-- invisible-code-block: python",
            "hidden = 1",
            "-->",
            "",
            "```python",
            "shown = 2",
            "```",
        ),
    )
    assert ns["shown"] == 2 and "hidden" not in ns


# --------------------------------------------------------------------------- offline


def test_child_processes_refuse_other_hosts_with_a_clear_message():
    from harness.outputs import child_environment

    code = (
        "import urllib.request\n"
        "urllib.request.urlopen('https://storage.googleapis.com/x.npz', timeout=5)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=child_environment(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "dlguide runs offline: looking up storage.googleapis.com was refused" in result.stderr


def test_child_processes_may_talk_to_127_0_0_1():
    from harness.outputs import child_environment

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        code = f"import socket; socket.create_connection(('127.0.0.1', {port})).close()"
        result = subprocess.run(
            [sys.executable, "-c", code], env=child_environment(), capture_output=True, text=True
        )
    assert result.returncode == 0, result.stderr
