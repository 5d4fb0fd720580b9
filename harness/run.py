"""Run one page or notebook as the tests do, and store its passing run in the cache.

    python -m harness.run docs/architectures/cnn.md

The site build runs this for a unit whose outputs are not in the execution cache
(`harness.outputs`). It takes the unit's lock first, so when a test worker is running
the same unit it waits for that run and reuses it. Exit status 0 means the unit's
run is stored; otherwise the failure is printed and nothing is stored.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

from . import notebooks, units
from .offline.sitecustomize import install as refuse_network
from .pages import PageRun, run_page
from .plugin import install_offline_guard


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


def main(argv: list[str]) -> int:
    refuse_network()  # this process runs the page's code
    install_offline_guard()  # and the processes it starts (kernels, subprocesses)
    if len(argv) != 1:
        print("usage: python -m harness.run PAGE_OR_NOTEBOOK", file=sys.stderr)
        return 2
    failure = run(Path(argv[0]))
    if failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
