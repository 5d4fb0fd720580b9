"""dlguide.deploy: errors for bad arguments, the service's answers, exports and distillation."""

from __future__ import annotations

import socket
import subprocess
import sys

import keras
import numpy as np
import pytest

from dlguide import deploy
from dlguide.deploy import _distill


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((2, 3))
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Dense(4, activation="softmax")(x)
    return keras.Model(inputs, outputs)


@pytest.fixture(scope="module")
def x():
    return np.random.default_rng(0).integers(0, 256, size=(12, 2, 3)).astype("float32")


# --------------------------------------------------------------------------- the service


@pytest.fixture(scope="module")
def service(model):
    app = deploy.prediction_app(
        model, (2, 3), class_names=list("abcd"), max_batch_size=8, value_range=(0, 255)
    )
    with deploy.serve(app) as url:
        yield url


def test_health_endpoint(service):
    status, body = deploy.request_json(service + "/health")
    assert status == 200
    assert body == {"status": "ok", "model": "model", "input_shape": [2, 3], "max_batch_size": 8}


def test_answers_equal_the_model_predictions(service, model, x):
    status, body = deploy.request_json(service + "/predict", {"instances": x[:8].tolist()})
    assert status == 200
    expected = model.predict(x[:8], verbose=0)
    np.testing.assert_allclose(body["probabilities"], expected, atol=1e-6)
    assert body["predictions"] == expected.argmax(axis=1).tolist()
    assert body["labels"] == ["abcd"[i] for i in body["predictions"]]


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        (b"{oops", 400, "Expected a JSON body"),
        (b"\xff\xfe", 400, "Expected a JSON body"),
        ([1, 2], 422, 'Expected a JSON object {"instances": [...]}'),
        ({"inputs": []}, 422, 'Expected a JSON object {"instances": [...]}'),
        ({"instances": []}, 422, "Expected a non-empty list of inputs"),
        ({"instances": "abc"}, 422, "Expected a non-empty list of inputs"),
        ({"instances": [[1, 2, 3]]}, 422, "Received: an input of shape (3,)"),
        ({"instances": [[[1, 2, 3], [4, 5]]]}, 422, "Received: inputs of different shapes"),
        ({"instances": [[["a", "b", "c"]] * 2]}, 422, "Received: values of type 'U'"),
        ({"instances": [[[True] * 3] * 2]}, 422, "Received: values of type 'b'"),
        ({"instances": [[[None] * 3] * 2]}, 422, "Received: values of type 'O'"),
        ({"instances": [[[1, 2, 3], [4, 5, 999]]]}, 422, "Expected values in [0, 255]"),
        ({"instances": [[[1, 2, 3], [4, 5, -1]]]}, 422, "Received: values from -1 to 5"),
        ({"instances": [[[0] * 3] * 2] * 9}, 413, "at most max_batch_size=8 inputs"),
    ],
)
def test_malformed_requests_get_a_4xx_with_a_clear_message(service, payload, status, message):
    got_status, body = deploy.request_json(service + "/predict", payload)
    assert got_status == status, body
    assert message in body["detail"]


def test_nan_is_refused(model):
    app = deploy.prediction_app(model, (2, 3))
    with deploy.serve(app) as url:
        # JSON has no NaN, but Python's json module writes and reads it.
        status, body = deploy.request_json(
            url + "/predict", b'{"instances": [[[NaN, 1, 2], [3, 4, 5]]]}'
        )
    assert status == 422 and "NaN or infinite" in body["detail"]


def test_unknown_route_and_method(service):
    assert deploy.request_json(service + "/nope")[0] == 404
    assert deploy.request_json(service + "/health", {"a": 1})[0] == 405


def test_serve_releases_the_port_and_stops_on_error():
    app = deploy.prediction_app(lambda b: np.ones((len(b), 2)), 3)
    with pytest.raises(ZeroDivisionError), deploy.serve(app) as url:
        port = int(url.rsplit(":", 1)[1])
        1 / 0  # noqa: B018
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))  # the port is free again
    with pytest.raises(OSError):
        deploy.request_json(url + "/health", timeout=2)


def test_load_test_counts_errors(model, x):
    app = deploy.prediction_app(model, (2, 3), max_batch_size=2)
    with deploy.serve(app) as url:
        ok = deploy.load_test(url + "/predict", x, batch_size=2, num_requests=6, concurrency=2)
        bad = deploy.load_test(url + "/predict", x, batch_size=3, num_requests=4, concurrency=1)
    assert (ok["requests"], ok["errors"], bad["requests"], bad["errors"]) == (6, 0, 4, 4)
    assert ok["inputs_per_second"] == pytest.approx(2 * ok["requests_per_second"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_shape": (0, 3)}, "Received: input_shape=(0, 3)"),
        ({"class_names": "ab"}, "Expected None or a non-empty list of strings"),
        ({"class_names": [1, 2]}, "Received: class_names=[1, 2]"),
        ({"max_batch_size": 0}, "Expected a positive integer. Received: max_batch_size=0"),
        ({"value_range": (255, 0)}, "Received: value_range=(255, 0)"),
        ({"value_range": "0-255"}, "Received: value_range='0-255'"),
        ({"name": ""}, "Expected a non-empty string. Received: name=''"),
        ({"predict": "model.keras"}, "Expected a Keras model or a function"),
    ],
)
def test_prediction_app_argument_errors(kwargs, message):
    arguments = {"predict": lambda b: b, "input_shape": (2, 3), **kwargs}
    with pytest.raises(ValueError, match=None) as error:
        deploy.prediction_app(arguments.pop("predict"), arguments.pop("input_shape"), **arguments)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: deploy.request_json("127.0.0.1:80/health"), "Expected an http:// URL"),
        (lambda: deploy.request_json("http://127.0.0.1/health"), "with a host and a port"),
        (lambda: deploy.request_json("http://127.0.0.1:1/x", timeout=0), "timeout=0"),
        (
            lambda: deploy.load_test("http://127.0.0.1:1/p", np.zeros((2, 3)), batch_size=3),
            "Expected at least batch_size=3 inputs",
        ),
        (
            lambda: deploy.load_test("http://127.0.0.1:1/p", np.zeros((2, 3)), num_requests=10**6),
            "Expected at most 100000 requests",
        ),
        (
            lambda: deploy.load_test("http://127.0.0.1:1/p", np.zeros((2, 3)), concurrency=0),
            "Received: concurrency=0",
        ),
        (
            lambda: deploy.load_test("http://127.0.0.1:1/p", np.zeros((2, 3)), max_seconds=-1),
            "Received: max_seconds=-1",
        ),
        (lambda: deploy.serve(None, port=70000).__enter__(), "Expected a port in 0-65535"),
        (lambda: deploy.serve(None, port=-1).__enter__(), "Received: port=-1"),
        (lambda: deploy.serve(None, timeout=0).__enter__(), "Received: timeout=0"),
    ],
)
def test_client_and_server_argument_errors(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert message in str(error.value)


# --------------------------------------------------------------------------- measuring


def test_saved_size_counts_int8_weights():
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(256)])
    float_size = deploy.saved_size(model)
    assert 4 * 64 * 256 < float_size < 4 * 64 * 256 + 20_000  # float32 kernel + overhead
    model.quantize("int8")
    assert 64 * 256 < deploy.saved_size(model) < float_size / 2  # int8 kernel + scales


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, x: deploy.saved_size("model.keras"), "Expected a built Keras model"),
        (lambda m, x: deploy.measure_latency(m, x, batch_size=0), "Received: batch_size=0"),
        (lambda m, x: deploy.measure_latency(m, x, repeats=0), "Received: repeats=0"),
        (lambda m, x: deploy.measure_latency(m, x, warmup=-1), "Received: warmup=-1"),
        (
            lambda m, x: deploy.measure_latency(m, x[:2], batch_size=3),
            "Expected at least batch_size=3 rows of inputs. Received: x.shape=(2, 2, 3)",
        ),
        (lambda m, x: deploy.measure_latency(3, x), "Received: predict=3"),
    ],
)
def test_measure_errors(model, x, call, message):
    with pytest.raises(ValueError) as error:
        call(model, x)
    assert message in str(error.value)


def test_measure_latency_of_a_keras_model(model, x):
    timing = deploy.measure_latency(model, x, batch_size=4, repeats=5)
    assert 0 < timing["p50_ms"] <= timing["p99_ms"]


# --------------------------------------------------------------------------- exports


def test_every_export_agrees_with_keras(model, x, tmp_path):
    report = deploy.export_and_compare(model, x, tmp_path)
    assert sorted(report) == ["litert", "onnx", "saved_model"]
    for fmt, entry in report.items():
        assert entry["max_abs_diff"] < 1e-6, fmt
        assert entry["size_bytes"] > 0 and entry["path"].exists()
    # LiteRT changes its batch size between calls.
    run = deploy.load_exported(report["litert"]["path"])
    assert run(x[:1]).shape == (1, 4) and run(x[:5]).shape == (5, 4)


def test_exported_models_run_in_a_process_without_keras(model, x, tmp_path):
    report = deploy.export_and_compare(model, x, tmp_path, formats=("onnx", "litert"))
    code = (
        "import sys, numpy as np\n"
        "from dlguide.deploy import load_exported\n"
        f"x = np.load({str(tmp_path / 'x.npy')!r})\n"
        f"print(load_exported({str(report['onnx']['path'])!r})(x).sum().round(3),"
        f" load_exported({str(report['litert']['path'])!r})(x).sum().round(3))\n"
        "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))\n"
    )
    np.save(tmp_path / "x.npy", x)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out[0] == "12.0 12.0" and out[1] == "[]"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, d: deploy.export_and_compare("m", np.ones(1), d), "Expected a built Keras"),
        (
            lambda m, d: deploy.export_and_compare(m, np.ones((1, 2, 3)), d, formats="onnx"),
            "Expected a non-empty list of formats",
        ),
        (
            lambda m, d: deploy.export_and_compare(m, np.ones((1, 2, 3)), d, formats=[]),
            "Expected a non-empty list of formats",
        ),
        (
            lambda m, d: deploy.export_and_compare(m, np.ones((1, 2, 3)), d, formats=["tflite"]),
            "Received: formats[0]='tflite'",
        ),
        (lambda m, d: deploy.export_and_compare(m, np.ones((1, 2, 3)), 3), "Received: directory=3"),
        (lambda m, d: deploy.load_exported(d), "Expected a SavedModel directory"),
        (lambda m, d: deploy.load_exported(""), "Received: path=''"),
    ],
)
def test_export_errors(model, tmp_path, call, message):
    with pytest.raises(ValueError) as error:
        call(model, tmp_path)
    assert message in str(error.value)


def test_a_missing_optional_dependency_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(ImportError, match=r'pip install "dlguide\[serve\]"'):
        deploy.serve(None).__enter__()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    (tmp_path / "model.onnx").write_bytes(b"")
    with pytest.raises(ImportError, match=r"'onnxruntime': pip install \"dlguide\[export\]\""):
        deploy.load_exported(tmp_path / "model.onnx")


# --------------------------------------------------------------------------- distillation


def test_distillation_loss_matches_the_formula():
    rng = np.random.default_rng(0)
    teacher_p = rng.dirichlet(np.ones(3), size=4).astype("float32")
    student_p = rng.dirichlet(np.ones(3), size=4).astype("float32")
    labels = np.array([0, 2, 1, 1], dtype="float32")
    t, alpha = 3.0, 0.25
    y_true = np.concatenate([labels[:, None], np.log(teacher_p)], axis=1)
    got = keras.ops.convert_to_numpy(
        _distill._distillation_loss_class()(t, alpha)(y_true, student_p)
    )

    def soft(p):
        z = np.log(p) / t
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    kl = (soft(teacher_p) * np.log(soft(teacher_p) / soft(student_p))).sum(axis=1)
    ce = -np.log(student_p[np.arange(4), labels.astype(int)])
    np.testing.assert_allclose(got, np.mean(alpha * ce + (1 - alpha) * t**2 * kl), rtol=1e-5)


def test_distill_trains_the_student_and_leaves_the_teacher(model, x):
    y = np.arange(len(x)) % 4
    teacher_weights = [w.copy() for w in model.get_weights()]
    student = keras.Sequential(
        [keras.Input((2, 3)), keras.layers.Flatten(), keras.layers.Dense(4, activation="softmax")]
    )
    before = [w.copy() for w in student.get_weights()]
    history = deploy.distill(model, student, x / 255, y, epochs=2, validation_data=(x / 255, y))
    assert sorted(history.history) == ["loss", "val_loss"]
    assert not np.allclose(before[0], student.get_weights()[0])
    assert all(
        np.array_equal(a, b) for a, b in zip(teacher_weights, model.get_weights(), strict=True)
    )
    assert len(student.evaluate(x / 255, y, verbose=0)) == 2  # loss, accuracy


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": 0}, "Received: temperature=0"),
        ({"alpha": 1.0}, "Received: alpha=1.0"),
        ({"epochs": 0}, "Received: epochs=0"),
        ({"batch_size": 0}, "Received: batch_size=0"),
        ({"learning_rate": -1.0}, "Received: learning_rate=-1.0"),
        ({"validation_data": np.ones(3)}, "Expected validation_data=(x_val, y_val)"),
        ({"y": np.zeros(5)}, "Expected as many labels as inputs (12)"),
        ({"student": "small"}, "Received: student='small'"),
        (
            {
                "student": keras.Sequential(
                    [
                        keras.Input((2, 3)),
                        keras.layers.Flatten(),
                        keras.layers.Dense(3, activation="softmax"),
                    ]
                )
            },
            "the same number of classes",
        ),
    ],
)
def test_distill_errors(model, x, kwargs, message):
    arguments = {"student": keras.models.clone_model(model), "y": np.zeros(len(x)), **kwargs}
    with pytest.raises(ValueError) as error:
        deploy.distill(model, arguments.pop("student"), x, arguments.pop("y"), **arguments)
    assert message in str(error.value)


def test_import_dlguide_deploy_does_not_import_keras_or_the_optional_packages():
    code = (
        "import sys, dlguide.deploy\n"
        "print(sorted(m for m in ('keras', 'tensorflow', 'fastapi', 'uvicorn', 'onnxruntime', "
        "'tf2onnx', 'ai_edge_litert') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"
