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
                str(info.classes) if info.classes else "regression",
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
    explain = commands.add_parser(
        "explain",
        help="print a glossary entry",
        description=(
            "Print the glossary entry of a term: its definition, related terms and the "
            "page of the guide that shows it. Case, plurals and abbreviations do not "
            "matter: 'dlguide explain CNNs' works."
        ),
    )
    explain.add_argument("term", nargs="+", help="the term, e.g. dropout or batch size")
    advise = commands.add_parser(
        "advise",
        help="recommend an architecture and an optimizer",
        description=(
            "Recommend an architecture (and the dlguide.models builder to call) and an "
            "optimizer for a kind of data, following the guide's 'Which architecture?' page."
        ),
    )
    advise.add_argument(
        "data",
        nargs="+",
        help="kind of data: tabular, images, text, time series or image sequence",
    )
    advise.add_argument(
        "--examples", type=int, metavar="N", help="number of labelled training examples"
    )
    advise.add_argument(
        "--sequence-length", type=int, metavar="N", help="time steps (or tokens) per example"
    )
    advise.add_argument(
        "--not-photos",
        dest="photos",
        action="store_false",
        help="images unlike photos (digits, symbols, small grey images): no pretrained backbone",
    )
    advise.add_argument(
        "--fine-tuning", action="store_true", help="fine-tuning a pretrained backbone"
    )
    advise.add_argument(
        "--large-model", action="store_true", help="a large model or a long training run"
    )
    advise.add_argument(
        "--sparse-inputs", action="store_true", help="mostly-zero inputs such as one-hot ids"
    )
    advise.add_argument(
        "--tune-for-accuracy",
        action="store_true",
        help="time to tune a schedule for the last bit of accuracy",
    )
    return parser


def _explain(words: Sequence[str]) -> tuple[str, int]:
    from .glossary import lookup

    try:
        return str(lookup(" ".join(words))), 0
    except ValueError as error:
        return f"dlguide explain: {error}", 1


def _advise(args: argparse.Namespace) -> tuple[str, int]:
    from .advise import architecture, optimizer

    try:
        advice = architecture(
            " ".join(args.data),
            num_examples=args.examples,
            sequence_length=args.sequence_length,
            photos=args.photos,
        )
        opt = optimizer(
            advice,
            fine_tuning=args.fine_tuning,
            large_model=args.large_model,
            sparse_inputs=args.sparse_inputs,
            tune_for_accuracy=args.tune_for_accuracy,
        )
    except ValueError as error:
        return f"dlguide advise: {error}", 2
    return f"Architecture: {advice}\n\nOptimizer: {opt}", 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line interface and return its exit status.

    Args:
        argv: Arguments without the program name; `sys.argv[1:]` by default.

    Returns:
        0 on success; 1 for an unknown glossary term; 2 on a usage error
        (after printing the usage) or a bad `advise` argument. Errors go to
        standard error, without a traceback.

    Examples:
        >>> from dlguide._cli import main
        >>> main(["datasets"])  # doctest: +ELLIPSIS
        name           loader                examples  shape  classes     licence
        ...
        mnist          load_mnist()          5000      28x28  10          CC BY-SA 3.0 (MNIST)
        ...
        0
        >>> main(["explain", "epochs"])  # doctest: +ELLIPSIS
        Epoch
        <BLANKLINE>
        One complete pass of training over every example of the training set.
        ...
        In the guide: https://dlguide.github.io/dlguide/foundations/training-practice/#the-vocabulary-of-a-training-run
        0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "datasets":
        print(_datasets_table())
        return 0
    if args.command in ("explain", "advise"):
        text, status = _explain(args.term) if args.command == "explain" else _advise(args)
        print(text, file=sys.stderr if status else sys.stdout)
        return status
    parser.print_help(sys.stderr)
    return 2
