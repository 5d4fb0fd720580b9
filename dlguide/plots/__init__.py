"""Figures for the guide, drawn with matplotlib without pyplot (headless-safe).

Examples:
    >>> from dlguide import plots
    >>> fig = plots.plot_history({"loss": [1.0, 0.5]})
    >>> len(fig.axes)
    1
"""

from ._activations import plot_activations
from ._attention import plot_attention, plot_positional_encoding
from ._boundary import plot_decision_boundary
from ._cnn import plot_augmentation_grid, plot_feature_maps, plot_filters
from ._evaluation import plot_confusion_matrix, plot_misclassified
from ._generative import plot_image_rows, plot_latent_space, plot_sample_grid
from ._history import plot_history
from ._images import plot_images
from ._optimizers import plot_loss_surface_paths
from ._roc import plot_roc_curve
from ._sequence import plot_forecast, plot_gradient_norms

__all__ = [
    "plot_activations",
    "plot_attention",
    "plot_augmentation_grid",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_feature_maps",
    "plot_filters",
    "plot_forecast",
    "plot_gradient_norms",
    "plot_history",
    "plot_image_rows",
    "plot_images",
    "plot_latent_space",
    "plot_loss_surface_paths",
    "plot_misclassified",
    "plot_positional_encoding",
    "plot_roc_curve",
    "plot_sample_grid",
]
