#!/usr/bin/env python3
"""Read the two set-up commands at the top of README.md, refusing anything else.

    python3 .ci/readme_commands.py test    # prints the command that runs the tests
    python3 .ci/readme_commands.py serve   # prints the command that serves the site

The README must start its first code block with exactly two commands: the first
serves the site (`mkdocs serve`), the second runs the tests (`pytest`). If the block
holds anything else, or the lines are swapped, this exits with an error that says so,
so `.ci/run` fails loudly instead of running the wrong command (e.g. hanging on a
server).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^```[a-z]*\n(?P<body>.*?)^```", re.M | re.S)


class ReadmeError(ValueError):
    pass


def commands(text: str) -> dict[str, str]:
    """{"serve": ..., "test": ...} from the README's first code block."""
    block = _BLOCK.search(text)
    if block is None:
        raise ReadmeError("README.md has no code block with the set-up commands")
    lines = [line.strip() for line in block["body"].splitlines() if line.strip()]
    problem = None
    if len(lines) != 2:
        problem = f"it holds {len(lines)} command(s), not 2"
    elif "mkdocs serve" not in lines[0] or "pytest" in lines[0]:
        problem = "its first command does not serve the site with `mkdocs serve`"
    elif "pytest" not in lines[1] or "mkdocs serve" in lines[1]:
        problem = "its second command does not run the tests with `pytest`"
    if problem:
        shown = "\n  ".join(lines) or "(empty)"
        raise ReadmeError(
            "README.md's first code block must hold exactly two commands: serve the site, then "
            f"run the tests. But {problem}:\n  {shown}"
        )
    return {"serve": lines[0], "test": lines[1]}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("serve", "test"):
        print("usage: readme_commands.py serve|test", file=sys.stderr)
        return 2
    try:
        print(commands(README.read_text(encoding="utf-8"))[argv[0]])
    except ReadmeError as error:
        print(f"ci: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
