"""The exercise registry: what each exercise asks, its cases and its reference answer.

An exercise is registered by decorating its reference answer with
`_exercise(...)`. The decorator stores an `_Exercise` under the function's
name and returns it, so the reference function is reachable only through the
registry (and is not a public name of the package). `_check` imports
`_solutions`, which fills the registry; this module imports neither, so the
three form no import cycle.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Case:
    """One fixed input for an exercise: the positional arguments of the call."""

    args: tuple[Any, ...]


@dataclass(frozen=True)
class _Exercise:
    """An exercise: its statement, hint, reference answer and how to check it.

    `cases` returns fresh inputs on each call. `verify`, when given, replaces
    the comparison with the reference on the cases: it takes the reader's
    function and returns `None` if it is right, else what is wrong (one line).
    """

    name: str
    title: str
    page: str
    task: str
    hint: str
    reference: Callable[..., Any]
    cases: Callable[[], list[_Case]]
    outputs: tuple[str, ...] = ()
    verify: Callable[[Callable[..., Any]], str | None] | None = None

    @property
    def params(self) -> tuple[str, ...]:
        """Names of the arguments the reader's function must take."""
        return tuple(inspect.signature(self.reference).parameters)

    @property
    def signature(self) -> str:
        """The call the reader must support, e.g. `relu_grad(x)`."""
        return f"{self.name}({', '.join(self.params)})"


_EXERCISES: dict[str, _Exercise] = {}


_NBSP = "\u00a0"


def _fill(text: str, width: int, indent: str = "") -> str:
    """Wrap one paragraph, never inside a `code span`."""
    words = " ".join(text.split())
    words = re.sub(r"`[^`]*`", lambda m: m[0].replace(" ", _NBSP), words)
    lines = textwrap.wrap(
        words,
        width,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines).replace(_NBSP, " ")


def _wrap(text: str, width: int = 79) -> str:
    """Re-wrap the paragraphs and bullets of a task; keep indented (code) blocks as they are."""
    blocks = []
    for block in inspect.cleandoc(text).split("\n\n"):
        if block.startswith(" "):
            blocks.append(block)
        elif block.startswith("- "):
            items = ("\n" + block).split("\n- ")[1:]
            blocks.append("\n".join(_fill(item, width, "- ") for item in items))
        else:
            blocks.append(_fill(block, width))
    return "\n\n".join(blocks)


def _exercise(
    *,
    title: str,
    page: str,
    task: str,
    hint: str,
    cases: Callable[[], list[_Case]],
    outputs: tuple[str, ...] = (),
    verify: Callable[[Callable[..., Any]], str | None] | None = None,
) -> Callable[[Callable[..., Any]], _Exercise]:
    """Register the decorated reference answer as an exercise named after it."""

    def register(reference: Callable[..., Any]) -> _Exercise:
        exercise = _Exercise(
            name=reference.__name__,
            title=title,
            page=page,
            task=_wrap(task),
            hint=" ".join(hint.split()),
            reference=reference,
            cases=cases,
            outputs=outputs,
            verify=verify,
        )
        _EXERCISES[exercise.name] = exercise
        return exercise

    return register
