"""Measuring a model: its size on disk and its prediction latency."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import check_non_negative_int, check_positive_int
from ._common import _predict_fn


def saved_size(model: Any) -> int:
    """Return the size in bytes of a Keras model's weights file.

    The weights are written as by `model.save_weights` to a temporary
    `.weights.h5` file, but without the optimizer's variables (Adam keeps
    two more numbers per weight, which a served model does not need). The
    number counts the parameters as stored: float32, or int8 plus scales
    after `model.quantize("int8")`.

    Args:
        model: A built Keras model.

    Returns:
        The file size in bytes.

    Raises:
        ValueError: If `model` is not a built Keras model.

    Examples:
        >>> import dlguide
        >>> from dlguide import deploy
        >>> model = dlguide.cnn((28, 28), classes=10, filters=(8,))
        >>> model.count_params()
        15770
        >>> deploy.saved_size(model) > 4 * model.count_params()
        True
    """
    import keras

    if not isinstance(model, keras.Model) or not model.built:
        raise ValueError(f"Expected a built Keras model. Received: model={model!r}")
    from keras.src.saving import saving_lib

    optimizer = getattr(model, "optimizer", None)
    with tempfile.TemporaryDirectory(prefix="dlguide-size-") as folder:
        path = Path(folder) / "model.weights.h5"
        # Keras's own save_weights, minus the optimizer's variables.
        saving_lib.save_weights_only(
            model, path, objects_to_skip=[optimizer] if optimizer is not None else None
        )
        return path.stat().st_size


def measure_latency(
    predict: Any,
    x: Any,
    *,
    batch_size: int = 1,
    repeats: int = 50,
    warmup: int = 3,
) -> dict[str, float]:
    """Time single predictions on this machine and return latency percentiles.

    Each of the `repeats` timed calls predicts the next `batch_size` rows of
    `x` (wrapping around), after `warmup` untimed calls that let the model
    compile. A Keras model is called through `predict_on_batch`, the fastest
    way Keras offers for one small batch. The numbers depend on the machine
    and on what else it is doing: show them, do not assert them.

    Args:
        predict: A Keras model, or any function mapping a batch to outputs
            (e.g. one returned by `load_exported`).
        x: Inputs; the first axis indexes the examples.
        batch_size: Rows per call.
        repeats: Number of timed calls.
        warmup: Number of untimed calls before the timed ones.

    Returns:
        A dict with `p50_ms`, `p90_ms`, `p99_ms` (percentiles of one call's
        time in milliseconds) and `per_second` (examples per second at the
        median).

    Raises:
        ValueError: If an argument is invalid or `x` has fewer rows than
            `batch_size`.

    Examples:
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> timing = deploy.measure_latency(lambda batch: batch * 2,
        ...                                 np.ones((8, 3)))
        >>> sorted(timing)
        ['p50_ms', 'p90_ms', 'p99_ms', 'per_second']
        >>> timing["p50_ms"] <= timing["p90_ms"] <= timing["p99_ms"]
        True
    """
    run = _predict_fn(predict)
    batch_size = check_positive_int(batch_size, "batch_size")
    repeats = check_positive_int(repeats, "repeats")
    warmup = check_non_negative_int(warmup, "warmup")
    x = np.asarray(x)
    if x.ndim == 0 or len(x) < batch_size:
        raise ValueError(
            f"Expected at least batch_size={batch_size} rows of inputs. Received: x.shape={x.shape}"
        )
    starts = [(i * batch_size) % (len(x) - batch_size + 1) for i in range(warmup + repeats)]
    times = []
    for i, start in enumerate(starts):
        batch = x[start : start + batch_size]
        begin = time.perf_counter()
        run(batch)
        if i >= warmup:
            times.append(time.perf_counter() - begin)
    p50, p90, p99 = np.percentile(np.array(times) * 1000, [50, 90, 99])
    return {
        "p50_ms": float(p50),
        "p90_ms": float(p90),
        "p99_ms": float(p99),
        "per_second": float(batch_size / (p50 / 1000)) if p50 > 0 else float("inf"),
    }
