"""Activation-function figures: each function next to its derivative."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_choice
from ..scratch import ACTIVATIONS
from ._save import _save_figure

_TITLES = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU (slope 0.2)",
    "elu": "ELU",
    "gelu": "GELU",
}


def plot_activations(
    names: str | Sequence[str] | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Plot activation functions and their derivatives, one panel each.

    Each panel draws the function (solid) and its derivative (dashed) on
    [-5, 5], computed with `dlguide.scratch`, so the curves show where the
    gradient vanishes (the flat tails of sigmoid and tanh) or is exactly zero
    (ReLU for negative inputs).

    Args:
        names: Activation names from `dlguide.scratch.ACTIVATIONS` (`"sigmoid"`,
            `"tanh"`, `"relu"`, `"leaky_relu"`, `"elu"`, `"gelu"`), a single
            name, or `None` for all of them.
        path: If given, the figure is also saved there (PNG by default, the
            format follows the suffix; missing parent folders are created).

    Returns:
        A `matplotlib.figure.Figure` (not tied to pyplot, so it works headless).

    Raises:
        ValueError: If a name is not a known elementwise activation.

    Examples:
        >>> from dlguide.plots import plot_activations
        >>> fig = plot_activations(("sigmoid", "relu"))
        >>> [ax.get_title() for ax in fig.axes]
        ['sigmoid', 'ReLU']
        >>> [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
        ['f(x)', "f'(x)"]
        >>> len(plot_activations().axes)
        6
        >>> plot_activations("swish")
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'. Received: names='swish'
    """
    if names is None:
        selected = list(ACTIVATIONS)
    else:
        selected = [names] if isinstance(names, str) else list(names)
        if not selected:
            raise ValueError(f"Expected at least one activation name. Received: names={names!r}")
        for name in selected:
            check_choice(name, "names", ACTIVATIONS)

    cols = min(2, len(selected))
    rows = math.ceil(len(selected) / cols)
    fig = Figure(figsize=(3.5 * cols, 2.5 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    x = np.linspace(-5.0, 5.0, 1001)
    for ax, name in zip(axes, selected, strict=False):  # extra axes stay hidden
        fn, grad = ACTIVATIONS[name]
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        ax.axvline(0.0, color="0.6", linewidth=0.8)
        ax.plot(x, fn(x), label="f(x)", linewidth=2)
        # break the derivative line at its jumps (ReLU, leaky ReLU at 0)
        dy = grad(x)
        dy_plot = dy.copy()
        jumps = np.flatnonzero(np.abs(np.diff(dy)) > 0.2)
        dy_plot[jumps] = np.nan
        ax.plot(x, dy_plot, "--", label="f'(x)", linewidth=2)
        ax.set_title(_TITLES[name])
        ax.set_xlabel("x")
        ax.set_ylim(-1.6, 3.0)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    for ax in axes[len(selected) :]:
        ax.set_visible(False)
    _save_figure(fig, path)
    return fig
