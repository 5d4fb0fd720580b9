"""Exporting a Keras model for runtimes without Keras, and checking that they agree."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_choice
from ._common import _optional

FORMATS = ("saved_model", "onnx", "litert")
# Keras's name of each format, and the file name of the export inside `directory`.
_KERAS_FORMAT = {"saved_model": "tf_saved_model", "onnx": "onnx", "litert": "litert"}
_FILE_NAME = {"saved_model": "saved_model", "onnx": "model.onnx", "litert": "model.tflite"}


def _check_path(value: Any, name: str) -> Path:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ValueError(f"Expected a file path (str or pathlib.Path). Received: {name}={value!r}")
    return Path(value)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def load_exported(path: str | os.PathLike[str]) -> Any:
    """Load an exported model in its own runtime, without Keras, as a predict function.

    The runtime is chosen by the path: a directory is a TensorFlow
    SavedModel (loaded with `tf.saved_model.load`, called through its
    `serve` endpoint), a `.onnx` file runs in ONNX Runtime, and a `.tflite`
    file in the LiteRT interpreter (the `ai-edge-litert` package). ONNX
    Runtime and LiteRT need the `export` extra: `pip install "dlguide[export]"`.

    Args:
        path: What `model.export` wrote (see `export_and_compare`).

    Returns:
        A function that maps a NumPy batch (cast to float32) to a NumPy array
        of outputs.

    Raises:
        ValueError: If `path` does not exist or is not one of the three kinds.
        ImportError: If the runtime the file needs is not installed.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import keras
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> x = np.ones((4, 3), dtype="float32")
        >>> expected = keras.ops.convert_to_numpy(model(x))
        >>> path = Path(tempfile.mkdtemp()) / "saved_model"
        >>> model.export(path, format="tf_saved_model", verbose=False)
        >>> predict = deploy.load_exported(path)
        >>> bool(np.allclose(predict(x), expected, atol=1e-6))
        True
        >>> deploy.load_exported("model.pt")
        Traceback (most recent call last):
        ...
        ValueError: Expected a SavedModel directory, a .onnx file or a .tflite file that exists. Received: path='model.pt'
    """
    path = _check_path(path, "path")
    if path.is_dir() and (path / "saved_model.pb").is_file():
        tf = _optional("tensorflow", "Loading a SavedModel")
        loaded = tf.saved_model.load(str(path))

        def run_saved_model(batch: Any) -> np.ndarray:
            return loaded.serve(np.asarray(batch, dtype="float32")).numpy()

        run_saved_model.loaded = loaded  # keep the object alive with the function
        return run_saved_model
    if path.is_file() and path.suffix == ".onnx":
        ort = _optional("onnxruntime", "Running an ONNX model")
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        input_name = session.get_inputs()[0].name

        def run_onnx(batch: Any) -> np.ndarray:
            return session.run(None, {input_name: np.asarray(batch, dtype="float32")})[0]

        return run_onnx
    if path.is_file() and path.suffix == ".tflite":
        litert = _optional("ai_edge_litert.interpreter", "Running a LiteRT model")
        interpreter = litert.Interpreter(model_path=str(path))
        input_index = interpreter.get_input_details()[0]["index"]
        output_index = interpreter.get_output_details()[0]["index"]
        shape: list[tuple[int, ...]] = [()]

        def run_litert(batch: Any) -> np.ndarray:
            batch = np.asarray(batch, dtype="float32")
            if batch.shape != shape[0]:  # LiteRT needs the batch size before each new size
                interpreter.resize_tensor_input(input_index, batch.shape)
                interpreter.allocate_tensors()
                shape[0] = batch.shape
            interpreter.set_tensor(input_index, batch)
            interpreter.invoke()
            return interpreter.get_tensor(output_index).copy()

        return run_litert
    raise ValueError(
        "Expected a SavedModel directory, a .onnx file or a .tflite file that exists. "
        f"Received: path={str(path)!r}"
    )


def export_and_compare(
    model: Any,
    x: Any,
    directory: str | os.PathLike[str],
    *,
    formats: tuple[str, ...] | list[str] = FORMATS,
) -> dict[str, dict[str, Any]]:
    """Export a Keras model to each format, reload it without Keras and compare.

    For each format, `model.export` writes the artefact into `directory`
    (`saved_model/`, `model.onnx` or `model.tflite`), `load_exported` loads
    it in its own runtime, and its predictions on `x` are compared with
    `model.predict(x)`. Export prints nothing: the converters' messages are
    silenced.

    Args:
        model: A built Keras model with float32 weights (ONNX export needs
            the "float32" dtype policy).
        x: A batch of inputs to compare on.
        directory: Where to write the exports; created if missing.
        formats: Any of `"saved_model"` (TensorFlow SavedModel, for TF
            Serving), `"onnx"` (ONNX Runtime and many others) and `"litert"`
            (LiteRT, formerly TensorFlow Lite, for phones and small devices).

    Returns:
        A dict from format to `{"path", "size_bytes", "max_abs_diff"}`, the
        last being the largest absolute difference from Keras's predictions.

    Raises:
        ValueError: If `formats` names an unknown format or `model` is not a
            built Keras model.
        ImportError: If the converter or runtime of a format is missing.

    Examples:
        >>> import tempfile
        >>> import keras
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> keras.utils.set_random_seed(0)
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> x = np.ones((4, 3), dtype="float32")
        >>> report = deploy.export_and_compare(model, x, tempfile.mkdtemp(),
        ...                                    formats=["saved_model"])
        >>> report["saved_model"]["max_abs_diff"] < 1e-6
        True
        >>> deploy.export_and_compare(model, x, ".", formats=["torchscript"])
        Traceback (most recent call last):
        ...
        ValueError: Expected one of 'saved_model', 'onnx', 'litert'. Received: formats[0]='torchscript'
    """
    import keras

    if not isinstance(model, keras.Model) or not model.built:
        raise ValueError(f"Expected a built Keras model. Received: model={model!r}")
    if isinstance(formats, str) or not isinstance(formats, (tuple, list)) or not formats:
        raise ValueError(
            f"Expected a non-empty list of formats such as ['onnx']. Received: formats={formats!r}"
        )
    for i, fmt in enumerate(formats):
        check_choice(fmt, f"formats[{i}]", FORMATS)
    folder = _check_path(directory, "directory")
    folder.mkdir(parents=True, exist_ok=True)
    x = np.asarray(x, dtype="float32")
    model(x[:1])  # export needs a model that has been called once
    expected = keras.ops.convert_to_numpy(model.predict(x, verbose=0))

    report = {}
    for fmt in formats:
        if fmt == "onnx":
            _optional("tf2onnx", "ONNX export")
        if fmt == "litert":
            _optional("ai_edge_litert", "Running a LiteRT model")
        path = folder / _FILE_NAME[fmt]
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            model.export(str(path), format=_KERAS_FORMAT[fmt], verbose=False)
        predictions = load_exported(path)(x)
        report[fmt] = {
            "path": path,
            "size_bytes": _size(path),
            "max_abs_diff": float(np.max(np.abs(predictions - expected))),
        }
    return report
