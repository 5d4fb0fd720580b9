"""Figures for the guide, drawn with matplotlib without pyplot (headless-safe).

Examples:
    >>> from dlguide import plots
    >>> fig = plots.plot_history({"loss": [1.0, 0.5]})
    >>> len(fig.axes)
    1
"""

from ._activations import plot_activations
from ._boundary import plot_decision_boundary
from ._history import plot_history
from ._optimizers import plot_loss_surface_paths

__all__ = [
    "plot_activations",
    "plot_decision_boundary",
    "plot_history",
    "plot_loss_surface_paths",
]
