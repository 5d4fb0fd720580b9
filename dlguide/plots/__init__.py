"""Figures for the guide, drawn with matplotlib without pyplot (headless-safe).

Examples:
    >>> from dlguide import plots
    >>> fig = plots.plot_history({"loss": [1.0, 0.5]})
    >>> len(fig.axes)
    1
"""

from ._history import plot_history

__all__ = ["plot_history"]
