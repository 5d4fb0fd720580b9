"""The `dlguide` command: output, exit codes, and no tracebacks on bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dlguide


def _dlguide(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dlguide", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "dlguide"]
    return subprocess.run([*command, *args], capture_output=True, text=True)


def test_version():
    result = _dlguide("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"dlguide {dlguide.__version__}"


def test_datasets_table_lists_every_dataset():
    result = _dlguide("datasets")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["name", "loader", "examples"]
    assert [line.split()[0] for line in lines[2:]] == [
        info.name for info in dlguide.list_datasets()
    ]
    assert "mnist          load_mnist()          5000      28x28  10" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["--nope"], "unrecognized arguments: --nope"),
        (["datasets", "extra"], "unrecognized arguments: extra"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_and_no_traceback(args, message):
    result = _dlguide(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "usage: dlguide" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_no_command_prints_help_and_fails():
    result = _dlguide()
    assert result.returncode == 2
    assert "datasets" in result.stderr
    assert "Traceback" not in result.stderr
