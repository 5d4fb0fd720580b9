"""Shared helpers of `dlguide.deploy`: optional imports and argument checks."""

from __future__ import annotations

import importlib
import sys
from typing import Any

# Optional dependency -> the extra that installs it.
_EXTRAS = {
    "fastapi": "serve",
    "uvicorn": "serve",
    "onnxruntime": "export",
    "tf2onnx": "export",
    "onnx": "export",
    "ai_edge_litert": "export",
}


def _optional(module: str, feature: str) -> Any:
    """Import `module`, or raise an ImportError that names the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        extra = _EXTRAS.get(module.split(".")[0], "deploy")
        raise ImportError(
            f"{feature} needs the optional package {module.split('.')[0]!r}: "
            f'pip install "dlguide[{extra}]"'
        ) from error


def _predict_fn(predict: Any, name: str = "predict") -> Any:
    """A function batch -> NumPy outputs, from a Keras model or any callable."""
    keras = sys.modules.get("keras")  # a Keras model means Keras is already imported
    if keras is not None and isinstance(predict, keras.Model):
        model = predict

        def run(batch: Any) -> Any:
            return keras.ops.convert_to_numpy(model.predict_on_batch(batch))

        return run
    if not callable(predict):
        raise ValueError(
            "Expected a Keras model or a function that maps a batch of inputs to "
            f"a batch of outputs. Received: {name}={predict!r}"
        )
    return predict
