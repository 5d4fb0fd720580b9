"""Saving figures: one place for the size, format, resolution and folder creation."""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure

# Every figure is saved at DPI dots per inch. The guide's text column is about 690 px wide on a
# laptop, so a figure at most COLUMN_WIDTH inches wide is shown at its full size (about 700 px),
# and its text at the size it was drawn (never below 9 pt: 12.5 px).
DPI = 100
COLUMN_WIDTH = 7.0


def _save_figure(fig: Figure, path: str | os.PathLike[str] | None) -> None:
    """Save `fig` to `path` (format from the suffix, PNG by default) if a path is given.

    Missing parent folders are created. Every `plot_*` function calls this with its
    `path` argument, so all figures of the guide share one resolution, `DPI`.
    """
    if path is None:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
