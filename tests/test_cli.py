"""The `dlguide` command: output, exit codes, and no tracebacks on bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dlguide


def _dlguide(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dlguide", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "dlguide"]
    environment = {k: v for k, v in os.environ.items() if k != "DLGUIDE_SITE_URL"}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env={**environment, **(env or {})}
    )


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


# --------------------------------------------------------------------------- explain


@pytest.mark.parametrize(
    ("words", "title"),
    [
        (["epoch"], "Epoch"),
        (["batch", "norm"], "Batch normalisation"),
        (["CNNs"], "Convolutional neural network (CNN)"),
        (["Learning-Rates"], "Learning rate"),
    ],
)
def test_explain_prints_the_glossary_entry(words, title):
    from dlguide import glossary

    result = _dlguide("explain", *words)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    term = glossary.lookup(" ".join(words))
    assert lines[0] == title
    assert " ".join(result.stdout.split()).count(" ".join(term.short.split())) == 1
    assert lines[-1] == f"In the guide: {term.url}"


def test_explain_links_follow_the_configured_site():
    from importlib.metadata import metadata

    documentation = dict(
        (part.strip() for part in entry.split(",", 1))
        for entry in metadata("dlguide").get_all("Project-URL")
    )["Documentation"]
    page = "foundations/training-practice/#the-vocabulary-of-a-training-run"
    published = _dlguide("explain", "epoch").stdout.splitlines()[-1]
    assert published == f"In the guide: {documentation.rstrip('/')}/{page}"
    mirror = _dlguide("explain", "epoch", env={"DLGUIDE_SITE_URL": "http://127.0.0.1:8000"})
    assert mirror.stdout.splitlines()[-1] == f"In the guide: http://127.0.0.1:8000/{page}"


def test_explain_an_unknown_term_suggests_and_exits_1():
    result = _dlguide("explain", "dropotu")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "dlguide explain: Unknown glossary term. Did you mean 'Dropout'? Received: term='dropotu'"
    )


def test_explain_without_a_term_is_a_usage_error():
    result = _dlguide("explain")
    assert result.returncode == 2
    assert "the following arguments are required: term" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- advise


def test_advise_prints_architecture_and_optimizer():
    from dlguide import advise

    result = _dlguide("advise", "time", "series", "--examples", "500", "--sequence-length", "30")
    assert result.returncode == 0, result.stderr
    architecture = advise.architecture("time series", num_examples=500, sequence_length=30)
    optimizer = advise.optimizer(architecture)
    assert result.stdout == f"Architecture: {architecture}\n\nOptimizer: {optimizer}\n"
    assert (
        "dlguide.models.rnn(input_shape, cell='gru', classes=1, classifier_activation=None)"
        in result.stdout
    )


def test_advise_not_photos():
    photos = _dlguide("advise", "images", "--examples", "5000")
    digits = _dlguide("advise", "images", "--examples", "5000", "--not-photos")
    assert photos.returncode == digits.returncode == 0, photos.stderr + digits.stderr
    assert "Architecture: Transfer learning" in photos.stdout
    assert "Architecture: CNN" in digits.stdout


@pytest.mark.parametrize(
    ("flag", "rule"),
    [
        ("--fine-tuning", "fine_tune"),
        ("--large-model", "adamw"),
        ("--sparse-inputs", "adagrad"),
        ("--tune-for-accuracy", "sgd_momentum"),
    ],
)
def test_advise_optimizer_flags(flag, rule):
    from dlguide.advise._optimizer import OPTIMIZER_RULES

    result = _dlguide("advise", "images", "--examples", "5000", flag)
    assert result.returncode == 0, result.stderr
    assert f"Optimizer: {OPTIMIZER_RULES[rule]}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["advise", "photos"], "dlguide advise: Expected one of 'tabular', 'images'"),
        (["advise", "imgs"], "Did you mean 'images'? Received: data='imgs'"),
        (["advise", "text", "--examples", "-3"], "Received: num_examples=-3"),
        (["advise", "text", "--examples", "many"], "argument --examples: invalid int value"),
        (["advise"], "the following arguments are required: data"),
    ],
)
def test_advise_bad_input_exits_2_without_a_traceback(args, message):
    result = _dlguide(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
