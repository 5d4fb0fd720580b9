"""Saving figures: one place for the format, resolution and folder creation."""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure


def _save_figure(fig: Figure, path: str | os.PathLike[str] | None) -> None:
    """Save `fig` to `path` (format from the suffix, PNG by default) if a path is given.

    Missing parent folders are created. Every `plot_*` function calls this with its
    `path` argument, so all figures of the guide share one resolution.
    """
    if path is None:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
