"""Check a reader's answer to an exercise, offline, and explain what differs."""

from __future__ import annotations

import copy
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from .._validation import lookup
from . import (
    _solutions,  # noqa: F401  (registers every exercise)
    _solutions_generative,  # noqa: F401  (registers the generative track's, after)
    _solutions_hot,  # noqa: F401  (and the hot-topics track's, last)
)
from ._compare import _call_label, _compare, _run
from ._registry import _EXERCISES, _Exercise

# The modules a reference answer may use, and how `solution()` imports them.
_IMPORTS = {"np": "import numpy as np", "scratch": "from dlguide import scratch"}

# Feedback lines fit a code block of the guide's pages (75 characters) and a terminal.
_WIDTH = 72


def _get_exercise(name: Any) -> _Exercise:
    """Return the exercise called `name`, or raise a Keras-style `ValueError`."""
    return lookup(_EXERCISES, name, "exercise")


def _first_difference(exercise: _Exercise, func: Callable[..., Any]) -> str | None:
    """Run the reader's function on every case; return the first problem found."""
    if exercise.verify is not None:
        return exercise.verify(func)
    for case in exercise.cases():
        call = _call_label(exercise.name, exercise.params, case.args)
        expected = exercise.reference(*copy.deepcopy(case.args))
        got, error = _run(func, case.args)
        if error:
            return f"{call} raised {error}"
        difference = _compare(exercise.outputs, expected, got)
        if difference:
            return f"{call} -> {difference}"
    return None


_KEEP = "\0"  # stands for a space the wrapping must not break at


def _wrap(text: str, indent: str, first: str = "", *, keep_from: int | None = None) -> list[str]:
    """`text` on lines of at most `_WIDTH` characters, broken only at spaces.

    With `keep_from`, spaces inside brackets nested at least that deep are kept, so
    that `[0, 1, 2]` or `shape=(3, 5)` stays on one line.
    """
    text = " ".join(text.split())
    if keep_from is not None:
        depth, chars = 0, []
        for char in text:
            depth += (char in "([{") - (char in ")]}")
            chars.append(_KEEP if char == " " and depth >= keep_from else char)
        text = "".join(chars)
    lines = textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_KEEP, " ") for line in lines]


def _feedback(difference: str, hint: str) -> str:
    """The FAIL report: the call, what went wrong, the hint, each on its own lines.

    `difference` is "<call> -> <what differs>" or "<call> raised <error>".
    """
    call, arrow, problem = difference.partition(" -> ")
    if not arrow:
        call, raised, error = difference.partition(" raised ")
        problem = f"raised {error}" if raised else ""
    lines = _wrap(f"FAIL: {call}", "    ", keep_from=2)
    if problem:
        lines += _wrap(problem, "  ", first="  ", keep_from=1)
    lines += _wrap(f"Hint: {hint}", "  ")
    return "\n".join(lines)


def check(name: str, func: Callable[..., Any]) -> bool:
    """Check your answer to an exercise against the reference answer.

    Runs `func` on several fixed inputs, edge cases included, and compares
    what it returns with the reference answer using
    `np.allclose(got, expected, rtol=1e-6, atol=1e-9)` (for
    `"inverted_dropout"`, whose mask is random, it checks statistical
    properties instead; `describe(name)` says which). Prints `PASS: <title>`,
    or a FAIL report over a few short lines: the call that went wrong, what
    differs, and a hint. If `func` raises, that is a FAIL that quotes the
    exception, not a traceback. Your inputs are copies, so changing them in
    place does no harm.

    Args:
        name: The exercise, one of `list_exercises()`.
        func: Your function, with the signature `describe(name)` gives.

    Returns:
        `True` if every case passes, else `False`.

    Raises:
        ValueError: If `name` is not an exercise or `func` is not callable.

    Examples:
        >>> from dlguide.exercises import check
        >>> check("relu_grad", lambda x: (x > 0).astype(float))
        PASS: Derivative of ReLU
        True
        >>> check("relu_grad", lambda x: (x >= 0).astype(float))
        FAIL: relu_grad(x=[-3, -0.5, 0, 0.5, 3])
          expected [0, 0, 0, 1, 1], got [0, 0, 1, 1, 1]
        Hint: The slope of max(x, 0) is 1 where x > 0 and 0 elsewhere, including
          at x = 0: compare x with 0 and turn the booleans into floats.
        False
        >>> def my_sigmoid_grad(x):
        ...     raise NotImplementedError("todo")
        >>> check("sigmoid_grad", my_sigmoid_grad)
        FAIL: sigmoid_grad(x=[-2, -0.5, 0, 0.5, 2])
          raised NotImplementedError: todo
        Hint: ...
        False
    """
    exercise = _get_exercise(name)
    if not callable(func):
        raise ValueError(f"Expected a function to check. Received: func={func!r}")
    difference = _first_difference(exercise, func)
    if difference is None:
        print(f"PASS: {exercise.title}")
        return True
    print(_feedback(difference, exercise.hint))
    return False


def list_exercises() -> list[str]:
    """List the names of the exercises, in the order of the guide's pages.

    Returns:
        The exercise names, e.g. `"dense_forward"`, to pass to `check`,
        `describe` and `solution`.

    Examples:
        >>> from dlguide.exercises import list_exercises
        >>> list_exercises()[:3]
        ['dense_forward', 'perceptron_update', 'sigmoid_grad']
        >>> len(list_exercises())
        26
    """
    return list(_EXERCISES)


def describe(name: str) -> str:
    """Describe an exercise: its task and the signature your function needs.

    Args:
        name: The exercise, one of `list_exercises()`.

    Returns:
        The statement of the exercise, several lines of text: print it.

    Raises:
        ValueError: If `name` is not an exercise (the message suggests the
            closest name).

    Examples:
        >>> from dlguide.exercises import describe
        >>> print(describe("relu_grad"))
        Derivative of ReLU (page: Activation functions)
        ...
        Write relu_grad(x).
        ...
        Check it with: dlguide.exercises.check("relu_grad", relu_grad)
        >>> describe("relu_gard")
        Traceback (most recent call last):
        ...
        ValueError: Unknown exercise. Did you mean 'relu_grad'? Received: name='relu_gard'
    """
    exercise = _get_exercise(name)
    return (
        f"{exercise.title} (page: {exercise.page})\n\n"
        f"Write {exercise.signature}.\n\n"
        f"{exercise.task}\n\n"
        f'Check it with: dlguide.exercises.check("{exercise.name}", {exercise.name})'
    )


def solution(name: str) -> str:
    """Show the source code of an exercise's reference answer.

    The code is complete: its imports come first, so it runs as it is.
    Try the exercise before you look!

    Args:
        name: The exercise, one of `list_exercises()`.

    Returns:
        Python source code: print it.

    Raises:
        ValueError: If `name` is not an exercise (the message suggests the
            closest name).

    Examples:
        >>> from dlguide.exercises import solution
        >>> print(solution("relu_grad"))
        def relu_grad(x):
            return (x > 0).astype(float)
        >>> print(solution("dense_forward").splitlines()[0])
        from dlguide import scratch
    """
    exercise = _get_exercise(name)
    lines = inspect.getsource(exercise.reference).splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("def "))
    code = "".join(lines[start:]).rstrip("\n")
    used = set(exercise.reference.__code__.co_names)
    imports = [line for module, line in _IMPORTS.items() if module in used]
    return "\n".join(imports) + "\n\n\n" + code if imports else code
