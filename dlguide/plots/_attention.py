"""Attention figures: attention-weight heatmaps and the positional-encoding image."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._validation import check_array
from ._save import _save_figure


def _labels(labels: Sequence[str] | None, size: int, name: str) -> list[str] | None:
    if labels is None:
        return None
    if isinstance(labels, str) or len(labels) != size:
        raise ValueError(
            f"Expected {size} labels, one per row or column of the weights. "
            f"Received: {name}={labels!r}"
        )
    return [str(label) for label in labels]


def plot_attention(
    weights: Any,
    *,
    queries: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
    xlabel: str = "key (attended to)",
    ylabel: str = "query (attending)",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw attention weights as heatmaps: one row per query, one column per key.

    Row `i` shows how the query at position `i` spreads its attention over
    the keys (each row sums to 1). Give one matrix, or several (e.g. one per
    head), drawn side by side with a shared colour scale from 0.

    Args:
        weights: A matrix `(num_queries, num_keys)` or a stack
            `(num_maps, num_queries, num_keys)`, values in [0, 1].
        queries: Labels of the rows (e.g. the output tokens).
        keys: Labels of the columns (e.g. the input tokens).
        titles: One title per map.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis (first map only).
        path: If given, the figure is also saved there (PNG by default).

    Returns:
        A `matplotlib.figure.Figure` with one axes per map and a colour bar.

    Raises:
        ValueError: If `weights` is not 2-D or 3-D, or the labels do not match.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_attention
        >>> weights = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]])
        >>> fig = plot_attention(weights, queries=["le", "chat"],
        ...                      keys=["the", "cat", "."])
        >>> ax = fig.axes[0]
        >>> ([t.get_text() for t in ax.get_xticklabels()],
        ...  [t.get_text() for t in ax.get_yticklabels()])
        (['the', 'cat', '.'], ['le', 'chat'])
        >>> # 4 maps + the colour bar
        >>> len(plot_attention(np.ones((4, 3, 3)) / 3, titles=list("abcd")).axes)
        5
    """
    expected = "Expected a 2-D or 3-D array of attention weights."
    array = check_array(weights, "weights", expected, ndims=(2, 3))
    maps = array[None] if array.ndim == 2 else array
    num_maps, num_queries, num_keys = maps.shape
    queries = _labels(queries, num_queries, "queries")
    keys = _labels(keys, num_keys, "keys")
    titles = _labels(titles, num_maps, "titles")
    cell = 0.28 if max(num_queries, num_keys) <= 20 else 0.12
    width = min(7.0, 1.2 + num_maps * max(1.8, cell * num_keys + 0.6))
    height = min(7.0, 1.4 + max(1.6, cell * num_queries))
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, num_maps, sharey=True))
    image = None
    fontsize = 9 if max(num_queries, num_keys) <= 20 else 7
    for index, ax in enumerate(axes):
        image = ax.imshow(
            maps[index], cmap="viridis", vmin=0, vmax=max(maps.max(), 1e-12), aspect="auto"
        )
        if keys is not None:
            ax.set_xticks(
                range(num_keys),
                keys,
                rotation=90 if max(map(len, keys)) > 2 else 0,
                fontsize=fontsize,
            )
        if queries is not None:
            ax.set_yticks(range(num_queries), queries, fontsize=fontsize)
        ax.set_xlabel(xlabel, fontsize=9)
        if titles is not None:
            ax.set_title(titles[index], fontsize=10)
    axes[0].set_ylabel(ylabel, fontsize=9)
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    _save_figure(fig, path)
    return fig


def plot_positional_encoding(
    encoding: Any, *, path: str | os.PathLike[str] | None = None
) -> Figure:
    """Draw a positional encoding as an image: one row per position, one column per feature.

    For the sinusoidal encoding of `dlguide.scratch.positional_encoding`,
    the first columns turn fast (stripes) and the last ones slowly (almost
    constant), so every row is different: a fingerprint of its position.

    Args:
        encoding: A matrix `(num_steps, num_hiddens)`, e.g.
            `scratch.positional_encoding(64, 32)`.
        path: If given, the figure is also saved there (PNG by default).

    Returns:
        A `matplotlib.figure.Figure` with the image and, below it, the
        curves of four columns against the position.

    Raises:
        ValueError: If `encoding` is not a 2-D array of finite numbers.

    Examples:
        >>> from dlguide import scratch
        >>> from dlguide.plots import plot_positional_encoding
        >>> fig = plot_positional_encoding(scratch.positional_encoding(64, 32))
        >>> [ax.get_xlabel() for ax in fig.axes[:2]]
        ['feature (column)', 'position']
    """
    expected = "Expected a 2-D array of finite numbers (num_steps, num_hiddens)."
    P = check_array(encoding, "encoding", expected, ndims=(2,))
    num_steps, num_hiddens = P.shape
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=(2, 1))
    image = top.imshow(P, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    top.set_xlabel("feature (column)")
    top.set_ylabel("position (row)")
    fig.colorbar(image, ax=top, shrink=0.9)
    columns = sorted({0, 1, min(num_hiddens - 1, 6), num_hiddens - 2} & set(range(num_hiddens)))
    for column in columns:
        bottom.plot(np.arange(num_steps), P[:, column], label=f"column {column}")
    bottom.set_xlabel("position")
    bottom.set_ylabel("value")
    bottom.legend(fontsize=9, ncols=len(columns), loc="lower left")
    _save_figure(fig, path)
    return fig
