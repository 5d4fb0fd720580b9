"""From notebook to production: measure, shrink, export and serve a Keras model.

- `saved_size` and `measure_latency`: what a model costs on disk and per call.
- `distill`: train a small student to imitate a trained teacher.
- `export_and_compare` and `load_exported`: TensorFlow SavedModel, ONNX and
  LiteRT exports, run without Keras and checked against Keras's predictions.
- `prediction_app`, `serve`, `request_json` and `load_test`: a FastAPI
  prediction service, run with uvicorn on 127.0.0.1, queried and measured.

The web framework and the export runtimes are optional dependencies:
`pip install "dlguide[serve]"` (FastAPI, uvicorn), `pip install
"dlguide[export]"` (ONNX, ONNX Runtime, LiteRT) or `"dlguide[deploy]"` for
both. `import dlguide.deploy` works without them; the functions that need
one raise an `ImportError` that names the extra.

Examples:
    >>> import numpy as np
    >>> from dlguide import deploy
    >>> def predict(batch):
    ...     return np.full((len(batch), 2), 0.5)
    >>> app = deploy.prediction_app(predict, 3)
    >>> with deploy.serve(app) as url:
    ...     status, answer = deploy.request_json(url + "/predict",
    ...                                          {"instances": [[1, 2, 3]]})
    >>> status, answer["predictions"]
    (200, [0])
"""

from ._distill import distill
from ._export import export_and_compare, load_exported
from ._measure import measure_latency, saved_size
from ._service import load_test, prediction_app, request_json, serve

__all__ = [
    "distill",
    "export_and_compare",
    "load_exported",
    "load_test",
    "measure_latency",
    "prediction_app",
    "request_json",
    "saved_size",
    "serve",
]
