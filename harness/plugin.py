"""The pytest side of the harness (loaded by the root `conftest.py`).

- Collection: Markdown pages and docstrings through the two Sybils, and each project
  notebook (`docs/projects/*.py`) as one test that executes it in a fresh kernel.
- Each page and notebook is a unit of the execution cache (`harness.units`): a
  passing run stores its outputs (figures, the executed notebook), which the site
  build then uses instead of running the unit again. A unit whose exact text and
  dependencies already passed is reused, not re-run (the summary says how many);
  `--cold`, or `CI=true`, empties the cache first so that everything runs.
- Order: work is handed to the xdist workers longest first (times measured by
  `.ci/benchmark` in `.ci/durations.json`, rough guesses for new files), with the
  site build placed after every unit it needs, so the build finds them done.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import unittest
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from sybil import Sybil
from sybil.integration.pytest import SybilFile, SybilItem

from . import notebooks, units
from .pages import current_workdir, figures_in

DURATIONS = units.ROOT / ".ci" / "durations.json"
SITE_TESTS = "tests/test_site.py"
OFFLINE_GUARD = units.ROOT / "harness" / "offline"

_state: dict[str, Any] = {"digest": None, "reused": []}


def _digest() -> str:
    if _state["digest"] is None:
        _state["digest"] = units.dependencies_digest()
    return _state["digest"]


def install_offline_guard() -> None:
    """Every Python process started from here on refuses connections beyond 127.0.0.1."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(OFFLINE_GUARD) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(OFFLINE_GUARD), *filter(None, paths)])


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cold",
        action="store_true",
        help="empty the execution cache first, so every page and notebook runs (as CI=true)",
    )


def pytest_configure(config: pytest.Config) -> None:
    install_offline_guard()
    is_worker = hasattr(config, "workerinput")
    if not is_worker and (config.getoption("--cold") or os.environ.get("CI") == "true"):
        units.clear_cache()


# ------------------------------------------------------------------------ collection


class PageItem(SybilItem):
    """One example of a page; it passes at once when its page's run is reused."""

    def runtest(self) -> None:
        page = self.parent
        if page.reused:
            if page.ran == 0:
                self.user_properties.append(("reused", page.unit.name))
            page.ran += 1
            return
        try:
            super().runtest()
        except (unittest.SkipTest, pytest.skip.Exception):
            page.ran += 1
            raise
        except BaseException:
            page.failed = True
            raise
        page.ran += 1


class PageFile(SybilFile):
    """A page or module of docstrings. Pages are units of the execution cache."""

    def __init__(self, *, cached: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cached = cached
        self.reused = self.failed = False
        self.ran = 0
        self.claim: units.Claim | None = None

    def collect(self) -> Iterable[PageItem]:
        for sybil in self.sybils:
            document = sybil.parse(self.path)
            self.documents.append(document)
            for example in document.examples():
                yield PageItem.from_parent(self, sybil=sybil, example=example)

    def setup(self) -> None:
        if self.cached:
            self.unit = units.unit_for(self.path, _digest())
            self.claim = units.Claim(self.unit)
            if self.claim.acquire() is not None:
                self.reused = True
                self.claim.release()
                return
        self.started = time.perf_counter()
        super().setup()

    def teardown(self) -> None:
        if self.reused:
            return
        try:
            examples = sum(len(list(document.examples())) for document in self.documents)
            complete = self.ran == examples and not self.failed
            if self.claim is not None and complete:
                # The page's working directory still exists: keep the figures it wrote.
                units.store(
                    self.unit,
                    figures_in(current_workdir()),
                    seconds=round(time.perf_counter() - self.started, 2),
                    by="pytest",
                )
        finally:
            super().teardown()
            if self.claim is not None:
                self.claim.release()


class NotebookItem(pytest.Item):
    """Execute a project notebook in a fresh kernel; a reused run passes at once."""

    def runtest(self) -> None:
        unit = units.unit_for(self.path, _digest())
        with units.claimed(unit) as record:
            if record is not None:
                self.user_properties.append(("reused", unit.name))
                return
            with tempfile.TemporaryDirectory(prefix="dlguide-notebook-") as workdir:
                nb, seconds = notebooks.execute(self.path, Path(workdir))
                executed = Path(workdir) / f"{self.path.stem}.ipynb"
                import nbformat

                nbformat.write(nb, executed)
                units.store(unit, {executed.name: executed}, seconds=round(seconds, 2), by="pytest")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, notebooks.NotebookFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"notebook {self.path.name}"


class NotebookFile(pytest.File):
    def collect(self) -> Iterable[NotebookItem]:
        yield NotebookItem.from_parent(self, name="notebook")


def collector(pages: Sybil, docstrings: Sybil) -> Callable[..., pytest.Collector | None]:
    """The `pytest_collect_file` hook for the root conftest."""

    def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        if units.is_notebook(file_path):
            return NotebookFile.from_parent(parent, path=file_path)
        active = [sybil for sybil in (pages, docstrings) if sybil.should_parse(file_path)]
        if not active:
            return None
        return PageFile.from_parent(parent, path=file_path, sybils=active, cached=pages in active)

    return pytest_collect_file


# ---------------------------------------------------------------------------- order


def _guess(relative: str) -> float:
    """Seconds a file of tests probably takes, for files `.ci/durations.json` lacks."""
    if units.is_notebook(units.ROOT / relative):
        return 60.0
    if relative.endswith(".md"):
        return 10.0
    return 1.0


def _measured() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def expected_seconds(path: Path) -> float:
    """Seconds the tests of a file (a page, a notebook) probably take: measured, or a guess."""
    try:
        relative = Path(path).resolve().relative_to(units.ROOT).as_posix()
    except ValueError:
        return _guess(str(path))
    return _measured().get(relative, _guess(relative))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest files first; the site build right after the last unit it needs."""
    measured = _measured()
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def cost(relative: str) -> float:
        return measured.get(relative, _guess(relative))

    def needed_by_build(relative: str) -> bool:
        return units.needs_run_for_site(units.ROOT / relative)

    first = sorted((f for f in files if needed_by_build(f)), key=cost, reverse=True)
    rest = sorted((f for f in files if f not in first and f != SITE_TESTS), key=cost, reverse=True)
    order = first + ([SITE_TESTS] if SITE_TESTS in files else []) + rest
    items[:] = [item for name in order for item in files[name]]


# -------------------------------------------------------------------------- summary


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _state["reused"].extend(value for name, value in report.user_properties if name == "reused")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reused = sorted(set(_state["reused"]))
    if reused:
        terminalreporter.write_line(
            f"execution cache: {len(reused)} page(s)/notebook(s) reused, unchanged since "
            "their last passing run (--cold to run everything)"
        )
