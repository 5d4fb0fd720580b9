"""The `dlguide` command line interface."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__


def _datasets_table() -> str:
    from .datasets import list_datasets

    rows = [("name", "loader", "examples", "shape", "classes", "licence")]
    for info in list_datasets():
        rows.append(
            (
                info.name,
                f"{info.loader}()",
                str(info.num_examples),
                "x".join(map(str, info.example_shape)),
                str(info.num_classes) if info.num_classes else "regression",
                info.license.split(";")[0],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlguide",
        description="Helpers of the dlguide deep-learning guide.",
    )
    parser.add_argument("--version", action="version", version=f"dlguide {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "datasets",
        help="list the offline datasets",
        description="List the real datasets dlguide loads offline.",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface and return its exit status.

    Args:
        argv: Arguments without the program name; `sys.argv[1:]` by default.

    Returns:
        0 on success, 2 on a usage error (after printing the usage).

    Examples:
        >>> from dlguide._cli import main
        >>> main(["datasets"])  # doctest: +ELLIPSIS
        name           loader                examples  shape  classes     licence
        ...
        mnist          load_mnist()          5000      28x28  10          CC BY-SA 3.0 (MNIST)
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "datasets":
        print(_datasets_table())
        return 0
    parser.print_help(sys.stderr)
    return 2
