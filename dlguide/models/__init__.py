"""Keras 3 model builders.

Each builder validates its arguments up front and returns a plain, uncompiled
functional `keras.Model` built with `keras.Input`.

Examples:
    >>> from dlguide import models
    >>> models.mlp(4, (8,), output_units=3, output_activation="softmax").output_shape
    (None, 3)
"""

from ._mlp import mlp

__all__ = ["mlp"]
