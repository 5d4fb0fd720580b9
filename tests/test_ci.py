"""`.ci/run` runs the README's test command, and fails loudly on a README it cannot trust."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "readme_commands", ROOT / ".ci" / "readme_commands.py"
)
readme_commands = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_commands)

SERVE = "bash .ci/setup && .venv/bin/mkdocs serve -a 127.0.0.1:8000"
TEST = "bash .ci/setup && .venv/bin/python -m pytest"


def readme(*lines: str) -> str:
    return "# dlguide\n\n```bash\n" + "\n".join(lines) + "\n```\n\nMore text.\n\n```bash\nx\n```\n"


def test_the_real_readme_gives_serve_then_test():
    found = readme_commands.commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "mkdocs serve" in found["serve"] and "pytest" in found["test"]


def test_the_two_commands_are_read_in_order():
    assert readme_commands.commands(readme(SERVE, TEST)) == {"serve": SERVE, "test": TEST}


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ((TEST, SERVE), "first command does not serve the site"),
        ((SERVE,), "holds 1 command(s), not 2"),
        ((SERVE, TEST, "echo more"), "holds 3 command(s), not 2"),
        ((SERVE, "bash .ci/setup"), "second command does not run the tests"),
    ],
)
def test_anything_else_is_refused_with_the_reason(lines, problem):
    with pytest.raises(
        readme_commands.ReadmeError, match=problem.replace("(", r"\(").replace(")", r"\)")
    ):
        readme_commands.commands(readme(*lines))


def test_ci_run_fails_fast_on_swapped_readme_lines(tmp_path):
    """`.ci/run` on a README whose lines are swapped stops at once, without serving."""
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci", ignore=shutil.ignore_patterns("node_modules"))
    (tmp_path / "README.md").write_text(readme(TEST, SERVE), encoding="utf-8")
    fake_bin = tmp_path / "bin"  # .ci/run installs Chromium when it is missing: pretend it is there
    fake_bin.mkdir()
    (fake_bin / "chromium").write_text("#!/bin/sh\n", encoding="utf-8")
    (fake_bin / "chromium").chmod(0o755)
    result = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")],
        env={"PATH": f"{fake_bin}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "first command does not serve the site" in result.stderr
    assert "ci: bash" not in result.stdout  # no command was started
