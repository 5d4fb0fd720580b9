"""Run one page or notebook as the tests do, and store its passing run in the cache.

    python -m harness.run docs/architectures/cnn.md

The site build runs this for a unit whose outputs are not in the execution cache
(`harness.outputs`); with `--worker FD` one process runs unit after unit, read from
stdin, as a test worker does. It takes the unit's lock first, so when a test worker is running
the same unit it waits for that run and reuses it. Exit status 0 means the unit's
run is stored; otherwise the failure is printed and nothing is stored.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import notebooks, units
from .offline.sitecustomize import install as refuse_network
from .pages import PageRun, run_page
from .plugin import install_offline_guard


@functools.cache
def _pages_sybil():
    """The `pages` Sybil of the root conftest.py: the one the tests use."""
    spec = importlib.util.spec_from_file_location(
        "dlguide_root_conftest", units.ROOT / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pages


def run(path: Path) -> str | None:
    """Run the unit at `path` unless its run is stored; the failure, or None."""
    unit = units.unit_for(path)
    with units.claimed(unit) as record:
        if record is not None:
            return None
        if unit.kind == "notebook":
            import nbformat

            with tempfile.TemporaryDirectory(prefix="dlguide-notebook-") as workdir:
                try:
                    nb, seconds = notebooks.execute(unit.path, Path(workdir))
                except notebooks.NotebookFailure as failure:
                    return str(failure)
                executed = Path(workdir) / f"{unit.path.stem}.ipynb"
                nbformat.write(nb, executed)
                units.store(unit, {executed.name: executed}, seconds=round(seconds, 2), by="build")
            return None

        def keep(figures: dict[str, Path], page_run: PageRun) -> None:
            units.store(unit, figures, seconds=round(page_run.seconds, 2), by="build")

        page_run = run_page(_pages_sybil(), unit.path, keep)
        return "\n\n".join(page_run.failures) or None


def worker(results_fd: int) -> int:
    """Run the units named on stdin, one path a line, until it closes.

    After each unit, one JSON line goes to the file descriptor `results_fd`:
    ``{"path": ..., "failure": null or the error, "seconds": ...}``. What the pages
    print stays on stdout and stderr.
    """
    with os.fdopen(results_fd, "w", encoding="utf-8") as results:
        for line in sys.stdin:
            if not line.strip():
                continue
            start = time.perf_counter()
            try:
                failure = run(Path(line.strip()))
            except Exception:  # noqa: BLE001 - the unit fails, the worker goes on
                failure = traceback.format_exc()
            seconds = round(time.perf_counter() - start, 2)
            answer = {"path": line.strip(), "failure": failure, "seconds": seconds}
            results.write(json.dumps(answer) + "\n")
            results.flush()
    return 0


def main(argv: list[str]) -> int:
    refuse_network()  # this process runs the page's code
    install_offline_guard()  # and the processes it starts (kernels, subprocesses)
    if len(argv) == 2 and argv[0] == "--worker" and argv[1].isdigit():
        return worker(int(argv[1]))
    if len(argv) != 1:
        print(
            "usage: python -m harness.run PAGE_OR_NOTEBOOK\n"
            "       python -m harness.run --worker RESULTS_FD  (paths on stdin)",
            file=sys.stderr,
        )
        return 2
    failure = run(Path(argv[0]))
    if failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
