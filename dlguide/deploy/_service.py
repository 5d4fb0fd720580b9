"""A prediction service over HTTP: a FastAPI app, a local server, a client and a load test."""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .._validation import (
    check_non_empty_str,
    check_non_negative_int,
    check_positive_float,
    check_positive_int,
    check_shape,
    check_url,
)
from ._common import _optional, _predict_fn

_MAX_SHOWN = 60  # characters of a bad value repeated in an error message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


class _BadRequest(Exception):
    """A request the service refuses, with its HTTP status and a clear message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _check_value_range(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        or not value[0] < value[1]
    ):
        raise ValueError(
            f"Expected None or a pair (low, high) with low < high, e.g. (0, 255). "
            f"Received: value_range={value!r}"
        )
    return float(value[0]), float(value[1])


def _check_class_names(value: Any) -> list[str] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or not value
        or not all(isinstance(v, str) for v in value)
    ):
        raise ValueError(
            f"Expected None or a non-empty list of strings. Received: class_names={value!r}"
        )
    return list(value)


def _parse_instances(
    body: Any, input_shape: tuple[int, ...], max_batch_size: int, value_range: Any
) -> np.ndarray:
    """The request's `instances` as a float32 batch, or a `_BadRequest` saying what is wrong."""
    if not isinstance(body, dict) or "instances" not in body:
        raise _BadRequest(
            422,
            'Expected a JSON object {"instances": [...]} with a list of inputs. '
            f"Received: {_short(body)}",
        )
    instances = body["instances"]
    if not isinstance(instances, list) or not instances:
        raise _BadRequest(
            422, f"Expected a non-empty list of inputs. Received: instances={_short(instances)}"
        )
    if len(instances) > max_batch_size:
        raise _BadRequest(
            413,
            f"Expected at most max_batch_size={max_batch_size} inputs per request. "
            f"Received: {len(instances)} inputs",
        )
    expected = f"Expected each input to be an array of numbers of shape {input_shape}."
    try:
        array = np.asarray(instances)
    except (ValueError, TypeError):  # ragged nested lists
        raise _BadRequest(422, f"{expected} Received: inputs of different shapes") from None
    if array.dtype.kind not in "iuf":
        raise _BadRequest(
            422,
            f"{expected} Received: values of type {array.dtype.kind!r} ({_short(instances[0])})",
        )
    if array.shape[1:] != input_shape:
        raise _BadRequest(422, f"{expected} Received: an input of shape {array.shape[1:]}")
    array = array.astype("float32")
    if not np.all(np.isfinite(array)):
        raise _BadRequest(422, f"{expected} Received: NaN or infinite values")
    if value_range is not None:
        low, high = value_range
        if array.min() < low or array.max() > high:
            raise _BadRequest(
                422,
                f"Expected values in [{low:g}, {high:g}]. Received: values from "
                f"{array.min():g} to {array.max():g}",
            )
    return array


def prediction_app(
    predict: Any,
    input_shape: Sequence[int] | int,
    *,
    class_names: Sequence[str] | None = None,
    max_batch_size: int = 64,
    value_range: tuple[float, float] | None = None,
    name: str = "model",
) -> Any:
    """Build a FastAPI app that serves a model's predictions over HTTP.

    Two endpoints:

    - `GET /health` answers `{"status": "ok", ...}` with the model's name,
      input shape and batch limit, for a load balancer or an orchestrator
      to check that the service is up.
    - `POST /predict` takes `{"instances": [input, ...]}` (JSON; up to
      `max_batch_size` inputs, predicted together in one call, which is
      what makes batching pay) and answers `{"predictions": [class index,
      ...], "probabilities": [[...], ...]}`, plus `"labels"` when
      `class_names` is given.

    Every input is checked before the model sees it. Malformed JSON is a
    400; a missing `instances` list, a wrong shape, text instead of numbers,
    NaN, or values outside `value_range` are a 422; too many inputs are a
    413. Each error answers `{"detail": message}` with a message that says
    what was expected and what was received, never a 500. The model runs in
    a worker thread, one batch at a time. Needs the `serve` extra:
    `pip install "dlguide[serve]"`.

    Args:
        predict: A Keras model, or a function mapping a float32 batch to
            class probabilities (e.g. from `load_exported`, to serve an ONNX
            file without Keras).
        input_shape: Shape of one input, e.g. `(28, 28)`.
        class_names: Optional names of the classes, in output order.
        max_batch_size: Largest number of inputs in one request.
        value_range: Optional `(low, high)` that every value must lie in,
            e.g. `(0, 255)` for raw pixels.
        name: The model's name, reported by `/health`.

    Returns:
        A `fastapi.FastAPI` application; run it with `serve` or with
        `uvicorn module:app`.

    Raises:
        ValueError: If an argument is invalid.
        ImportError: If FastAPI is not installed.

    Examples:
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> def predict(batch):  # a stand-in model: 2 classes from the mean
        ...     p = batch.mean(axis=(1, 2)) / 10
        ...     return np.stack([1 - p, p], axis=1)
        >>> app = deploy.prediction_app(predict, (2, 2), class_names=["no", "yes"])
        >>> with deploy.serve(app) as url:
        ...     print(deploy.request_json(url + "/health"))
        ...     print(deploy.request_json(url + "/predict",
        ...                               {"instances": [[[1, 2], [3, 4]]]}))
        ...     print(deploy.request_json(url + "/predict",
        ...                               {"instances": [[1, 2]]}))
        (200, {'status': 'ok', 'model': 'model', 'input_shape': [2, 2], 'max_batch_size': 64})
        (200, {'predictions': [0], 'probabilities': [[0.75, 0.25]], 'labels': ['no']})
        (422, {'detail': 'Expected each input to be an array of numbers of shape (2, 2). Received: an input of shape (2,)'})
    """
    fastapi = _optional("fastapi", "dlguide.deploy.prediction_app")
    responses = _optional("fastapi.responses", "dlguide.deploy.prediction_app")
    concurrency = _optional("starlette.concurrency", "dlguide.deploy.prediction_app")
    run = _predict_fn(predict)
    input_shape = check_shape(input_shape, "input_shape")
    class_names = _check_class_names(class_names)
    max_batch_size = check_positive_int(max_batch_size, "max_batch_size")
    value_range = _check_value_range(value_range)
    name = check_non_empty_str(name, "name")

    app = fastapi.FastAPI(title=f"{name} prediction service")
    lock = threading.Lock()

    def predict_batch(batch: np.ndarray) -> np.ndarray:
        with lock:  # one batch at a time: the model is shared by every request
            return np.asarray(run(batch))

    def error(status: int, message: str) -> Any:
        return responses.JSONResponse({"detail": message}, status_code=status)

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "model": name,
            "input_shape": list(input_shape),
            "max_batch_size": max_batch_size,
        }

    async def predict_endpoint(request: Any) -> Any:
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return error(400, "Expected a JSON body. Received: bytes that are not valid JSON")
        try:
            batch = _parse_instances(body, input_shape, max_batch_size, value_range)
        except _BadRequest as bad:
            return error(bad.status, bad.message)
        probabilities = await concurrency.run_in_threadpool(predict_batch, batch)
        answer: dict[str, Any] = {
            "predictions": probabilities.argmax(axis=-1).tolist(),
            "probabilities": probabilities.tolist(),
        }
        if class_names is not None:
            answer["labels"] = [class_names[i] for i in answer["predictions"]]
        return answer

    # The annotation tells FastAPI to pass the raw request (this module's annotations are strings).
    predict_endpoint.__annotations__["request"] = fastapi.Request
    app.post("/predict")(predict_endpoint)
    return app


@contextlib.contextmanager
def serve(app: Any, *, port: int = 0, timeout: float = 30.0) -> Iterator[str]:
    """Run an ASGI app with uvicorn on 127.0.0.1 in a background thread.

    A context manager: the server is listening when the `with` block starts
    and is shut down cleanly (open requests finish, the port is released)
    when it ends, even if the block raises. It listens on the loopback
    address only, so nothing outside this machine can reach it. Needs the
    `serve` extra: `pip install "dlguide[serve]"`.

    Args:
        app: An ASGI application, e.g. from `prediction_app`.
        port: The TCP port; 0 picks a free one.
        timeout: Seconds to wait for the server to start or to stop.

    Yields:
        The base URL, e.g. `"http://127.0.0.1:54321"`.

    Returns:
        A context manager (see Yields).

    Raises:
        ValueError: If `port` or `timeout` is invalid.
        RuntimeError: If the server does not start or stop in time.
        ImportError: If uvicorn is not installed.

    Examples:
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> app = deploy.prediction_app(lambda b: np.ones((len(b), 2)) / 2, 3)
        >>> with deploy.serve(app) as url:
        ...     status, body = deploy.request_json(url + "/health")
        >>> url.startswith("http://127.0.0.1:"), status
        (True, 200)
    """
    uvicorn = _optional("uvicorn", "dlguide.deploy.serve")
    port = check_non_negative_int(port, "port")
    if port > 65535:
        raise ValueError(f"Expected a port in 0-65535. Received: port={port}")
    timeout = check_positive_float(timeout, "timeout")

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"The server at {url} did not start within {timeout:g} s")
            time.sleep(0.01)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
        if thread.is_alive():
            raise RuntimeError(f"The server at {url} did not stop within {timeout:g} s")


def _split(url: str) -> tuple[str, int, str]:
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or not parts.port:
        raise ValueError(f"Expected an http:// URL with a host and a port. Received: url={url!r}")
    return parts.hostname, parts.port, parts.path or "/"


def _exchange(connection: http.client.HTTPConnection, path: str, payload: Any) -> tuple[int, Any]:
    if payload is None:
        connection.request("GET", path)
    else:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        connection.request("POST", path, body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, data.decode(errors="replace")


def request_json(url: str, payload: Any = None, *, timeout: float = 10.0) -> tuple[int, Any]:
    """Send one HTTP request and return the status code and the decoded JSON answer.

    A GET without `payload`; with one, a POST of `payload` encoded as JSON
    (or sent as it is, if it is `bytes`). It uses the standard library's
    `http.client` and connects straight to the URL's host (no proxy).

    Args:
        url: The endpoint, e.g. `"http://127.0.0.1:8000/predict"`.
        payload: `None` for a GET, else a JSON-serialisable object or bytes.
        timeout: Seconds to wait for the answer.

    Returns:
        `(status, body)`: the HTTP status code and the answer decoded from
        JSON (the raw text if it is not JSON).

    Raises:
        ValueError: If `url` or `timeout` is invalid.
        OSError: If nothing answers at `url`.

    Examples:
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> app = deploy.prediction_app(lambda b: np.ones((len(b), 2)) / 2, 3)
        >>> with deploy.serve(app) as url:
        ...     print(deploy.request_json(url + "/predict", b"{not json"))
        ...     print(deploy.request_json(url + "/predict", {"images": [1, 2, 3]}))
        (400, {'detail': 'Expected a JSON body. Received: bytes that are not valid JSON'})
        (422, {'detail': 'Expected a JSON object {"instances": [...]} with a list of inputs. Received: {\\'images\\': [1, 2, 3]}'})
    """
    url = check_url(url)
    timeout = check_positive_float(timeout, "timeout")
    host, port, path = _split(url)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        return _exchange(connection, path, payload)
    finally:
        connection.close()


def load_test(
    url: str,
    inputs: Any,
    *,
    batch_size: int = 1,
    num_requests: int = 200,
    concurrency: int = 4,
    max_seconds: float = 30.0,
) -> dict[str, float]:
    """Send a bounded burst of prediction requests and measure latency and throughput.

    `concurrency` client threads, each with one kept-alive connection, send
    `num_requests` POSTs in total to `url`, each with the next `batch_size`
    rows of `inputs` as `{"instances": [...]}`. The test stops early once
    `max_seconds` have passed. Client and server share this machine's CPU,
    so the numbers describe this machine at this moment: show them, do not
    assert them.

    Args:
        url: The prediction endpoint, e.g. `url + "/predict"`.
        inputs: Inputs to send; the first axis indexes them.
        batch_size: Inputs per request.
        num_requests: Total number of requests (at most 100000).
        concurrency: Number of client threads sending at the same time.
        max_seconds: Time limit of the whole test.

    Returns:
        A dict with `requests` (sent), `errors` (answers other than 200),
        `seconds`, `requests_per_second`, `inputs_per_second`, and the
        latency percentiles `p50_ms`, `p90_ms` and `p99_ms`.

    Raises:
        ValueError: If an argument is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> app = deploy.prediction_app(lambda b: np.ones((len(b), 2)) / 2, 3)
        >>> with deploy.serve(app) as url:
        ...     stats = deploy.load_test(url + "/predict", np.zeros((10, 3)),
        ...                              num_requests=20, concurrency=2)
        >>> stats["requests"], stats["errors"]
        (20, 0)
        >>> stats["p50_ms"] <= stats["p99_ms"]
        True
    """
    url = check_url(url)
    host, port, path = _split(url)
    batch_size = check_positive_int(batch_size, "batch_size")
    num_requests = check_positive_int(num_requests, "num_requests")
    if num_requests > 100_000:
        raise ValueError(
            f"Expected at most 100000 requests (a bounded test). Received: num_requests={num_requests}"
        )
    concurrency = check_positive_int(concurrency, "concurrency")
    max_seconds = check_positive_float(max_seconds, "max_seconds")
    inputs = np.asarray(inputs)
    if inputs.ndim == 0 or len(inputs) < batch_size:
        raise ValueError(
            f"Expected at least batch_size={batch_size} inputs. Received: inputs.shape={inputs.shape}"
        )
    num_batches = len(inputs) // batch_size
    bodies = [
        json.dumps({"instances": inputs[i * batch_size : (i + 1) * batch_size].tolist()}).encode()
        for i in range(min(num_batches, num_requests))
    ]
    deadline = time.monotonic() + max_seconds
    counter = iter(range(num_requests))
    counter_lock = threading.Lock()

    def worker() -> list[tuple[float, bool]]:
        results = []
        connection = http.client.HTTPConnection(host, port, timeout=max_seconds)
        try:
            while time.monotonic() < deadline:
                with counter_lock:
                    i = next(counter, None)
                if i is None:
                    break
                start = time.perf_counter()
                try:
                    status, _ = _exchange(connection, path, bodies[i % len(bodies)])
                except OSError:
                    status = 0
                    connection.close()
                results.append((time.perf_counter() - start, status == 200))
        finally:
            connection.close()
        return results

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(worker) for _ in range(concurrency)]
        results = [r for future in futures for r in future.result()]
    seconds = time.perf_counter() - start
    latencies = np.array([r[0] for r in results]) * 1000
    p50, p90, p99 = np.percentile(latencies, [50, 90, 99]) if len(results) else (math.nan,) * 3
    return {
        "requests": len(results),
        "errors": sum(not ok for _, ok in results),
        "seconds": seconds,
        "requests_per_second": len(results) / seconds,
        "inputs_per_second": len(results) * batch_size / seconds,
        "p50_ms": float(p50),
        "p90_ms": float(p90),
        "p99_ms": float(p99),
    }
