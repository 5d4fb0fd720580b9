"""Executing a project notebook: a fresh kernel, every cell in order, prose numbers checked.

Notebooks are jupytext percent-format `.py` files. A markdown cell can check a number
it states, exactly as a Markdown page does, with a comment after the paragraph:

    # The CNN gets 98.2% of the test digits right.
    # <!-- number: cnn_accuracy = 0.982 -->

The expression is evaluated in the kernel at that point of the notebook (before the
next code cell runs); the run fails unless it rounds to the value and the paragraph
says it. The comment renders as nothing on the site.
"""

from __future__ import annotations

import ast
import time
from pathlib import Path
from typing import Any

from .pages import NUMBER_DIRECTIVE, check_number, paragraph_before, parse_number

CELL_TIMEOUT = 600  # seconds; a hung cell must not hang the build forever


class NotebookFailure(Exception):
    """A cell raised, or a number in the prose disagrees with the run."""


def _evaluate(client: Any, nb: Any, expr: str) -> float:
    """`float(expr)` in the running kernel, without adding a cell to the notebook."""
    import nbformat

    probe = nbformat.v4.new_code_cell(f"print(repr(float({expr})))")
    nb.cells.append(probe)
    try:
        client.execute_cell(probe, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
        client.code_cells_executed -= 1
    text = "".join(
        output.get("text", "") for output in probe.outputs if output.get("name") == "stdout"
    )
    return float(ast.literal_eval(text.strip()))


def execute(path: Path, workdir: Path) -> tuple[Any, float]:
    """Run the notebook at `path` in a new kernel whose working directory is `workdir`.

    Returns the executed notebook (nbformat) and the seconds it took. Raises
    `NotebookFailure` with the failing cell's traceback, or the wrong number.
    """
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(workdir)}},
    )
    start = time.perf_counter()
    client.reset_execution_trackers()
    executed = 0
    try:
        with client.setup_kernel():
            info = client.wait_for_reply(client.kc.kernel_info())
            nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(list(nb.cells)):
                if cell.cell_type == "code":
                    if cell.source.strip():
                        executed += 1
                    client.execute_cell(cell, index, execution_count=executed)
                elif cell.cell_type == "markdown":
                    _check_numbers(client, nb, cell.source, f"{path.name}, cell {index + 1}")
    except CellExecutionError as error:
        raise NotebookFailure(f"{path.name}: a cell failed\n{error}") from None
    return nb, time.perf_counter() - start


def _check_numbers(client: Any, nb: Any, text: str, where: str) -> None:
    for match in NUMBER_DIRECTIVE.finditer(text):
        expr, literal = parse_number(match["arguments"], where)
        try:
            value = _evaluate(client, nb, expr)
        except Exception as error:  # noqa: BLE001 - reported with its context
            raise NotebookFailure(f"{where}: cannot evaluate {expr!r}: {error}") from None
        problem = check_number(literal, paragraph_before(text, match.start()), expr, value)
        if problem:
            raise NotebookFailure(f"{where}: {problem}")
