# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Project: ship the digit classifier
#
# The [digits project](cnn_mnist_digits.py) ends with a `.keras` file. This one carries the same
# kind of model the rest of the way: shrink it, export it for runtimes without Keras, serve it
# over HTTP, query the service, and measure it. At every step the same three numbers go into one
# table: **size** of the model file, **test accuracy** on the 1,000 held-out digits, and
# **latency** of one prediction on this machine. Sizes and accuracies are checked by the run;
# latencies are measured and shown, never checked, because they depend on the machine and on
# whatever else it is doing.
#
# The steps:
#
# 1. train the CNN (float32, Keras);
# 2. shrink it: int8 weights with `model.quantize("int8")`;
# 3. export it: ONNX for ONNX Runtime, and LiteRT with int8 weights;
# 4. serve the ONNX model with FastAPI and uvicorn on 127.0.0.1, with no Keras in the serving
#    path, and query it;
# 5. put the table together.
#
# See [making models small and fast](../deployment/small-and-fast.md) and
# [deploying a model](../deployment/deploying.md) for each technique on its own.

# %%
# %matplotlib inline
import tempfile
import time
import warnings
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

import dlguide
from dlguide import deploy

keras.utils.set_random_seed(0)
tf.get_logger().setLevel("ERROR")  # no "INFO:tensorflow:Assets written" line per export
(x_train, y_train), (x_test, y_test) = dlguide.load_mnist()
folder = Path(tempfile.mkdtemp())
table = {}  # step -> size (KiB), test accuracy, median latency of one image (ms)

# %% [markdown]
# ## 1. Train
#
# The CNN of the digits project (two convolution blocks, a dense layer of 64 units, a softmax
# over 10 digits, `Rescaling(1/255)` inside so it takes raw pixels), for 4 epochs to keep the
# notebook quick.

# %%
model = dlguide.cnn(
    (28, 28), classes=10, filters=(16, 32), kernel_size=5, dense_units=(64,),
    rescale=1 / 255,
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
# optimizer variables now, not in fit's first step (saves a retrace)
model.optimizer.build(model.trainable_variables)
start = time.perf_counter()
model.fit(x_train, y_train, epochs=4, batch_size=64, verbose=0)
print(f"trained in {time.perf_counter() - start:.1f} s; {model.count_params():,} parameters")


def accuracy(predict):
    """Test accuracy of a predict function (a batch of raw images -> probabilities)."""
    return float((np.asarray(predict(x_test)).argmax(axis=1) == y_test).mean())


def latency(predict):
    """Median time of one single-image prediction, in ms (shown, not checked)."""
    return deploy.measure_latency(predict, x_test, batch_size=1, repeats=20)["p50_ms"]


table["1. Keras, float32"] = (
    deploy.saved_size(model) / 1024,
    accuracy(model.predict_on_batch),
    latency(model),
)
print("size {:.0f} KiB, test accuracy {:.3f}, latency {:.2f} ms".format(*table["1. Keras, float32"]))

# %% [markdown]
# ## 2. Shrink: int8 weights
#
# `model.quantize("int8")` stores the weights of the dense layers (nine parameters in ten here)
# as 8-bit integers with one float scale per unit. The convolutions stay float32. It works on a
# copy, so the float32 model remains to export.

# %%
quantized = keras.models.clone_model(model)
quantized.set_weights(model.get_weights())
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # one warning per layer that has no int8 version
    quantized.quantize("int8")
table["2. Keras, int8 weights"] = (
    deploy.saved_size(quantized) / 1024,
    accuracy(quantized.predict_on_batch),
    latency(quantized),
)
print("size {:.0f} KiB, test accuracy {:.3f}, latency {:.2f} ms".format(*table["2. Keras, int8 weights"]))

# %% [markdown]
# ## 3. Export: ONNX, and LiteRT with int8 weights
#
# ONNX export needs float32 weights, so it takes the float32 model; ONNX Runtime then runs it
# without Keras. LiteRT's converter can quantize by itself: `optimizations=[tf.lite.Optimize.
# DEFAULT]` stores the weights as int8 ("dynamic-range quantization"), and the LiteRT
# interpreter has int8 kernels for them. `export_and_compare` checks each export against Keras.

# %%
report = deploy.export_and_compare(model, x_test[:200], folder, formats=["onnx"])
print(f"ONNX agrees with Keras to {report['onnx']['max_abs_diff']:.0e}")
onnx_path = report["onnx"]["path"]
run_onnx = deploy.load_exported(onnx_path)
table["3a. ONNX Runtime, float32"] = (
    onnx_path.stat().st_size / 1024,
    accuracy(run_onnx),
    latency(run_onnx),
)

litert_path = folder / "model_int8.tflite"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model.export(
        str(litert_path), format="litert", verbose=False, optimizations=[tf.lite.Optimize.DEFAULT]
    )
run_litert = deploy.load_exported(litert_path)
litert_difference = np.abs(run_litert(x_test[:200]) - model.predict(x_test[:200], verbose=0)).max()
table["3b. LiteRT, int8 weights"] = (
    litert_path.stat().st_size / 1024,
    accuracy(run_litert),
    latency(run_litert),
)
print(f"LiteRT int8 differs from Keras by at most {litert_difference:.3f} in a probability")
for step in ("3a. ONNX Runtime, float32", "3b. LiteRT, int8 weights"):
    print(step, "size {:.0f} KiB, test accuracy {:.3f}, latency {:.2f} ms".format(*table[step]))

# %%
assert report["onnx"]["max_abs_diff"] < 1e-5
assert litert_difference < 0.05  # int8 weights: close to Keras, not equal

# %% [markdown]
# ## 4. Serve and query
#
# The service runs the ONNX file: the predict function it gets is ONNX Runtime's, so Keras
# plays no part in answering requests (in production this process would not even install it).
# `deploy.serve` starts uvicorn on 127.0.0.1 on a free port in a background thread and stops it
# at the end of the `with` block. All 1,000 test digits go through HTTP in requests of 50, and
# the answers must equal what ONNX Runtime gives directly. Then a bounded load test: 100
# single-image requests from 4 client threads.

# %%
app = deploy.prediction_app(
    run_onnx, (28, 28), max_batch_size=64, value_range=(0, 255), name="mnist-cnn-onnx"
)
with deploy.serve(app) as url:
    health = deploy.request_json(url + "/health")
    served = []
    for i in range(0, len(x_test), 50):
        status, answer = deploy.request_json(
            url + "/predict", {"instances": x_test[i : i + 50].tolist()}
        )
        assert status == 200, answer
        served.append(answer["probabilities"])
    bad_status, bad_answer = deploy.request_json(url + "/predict", {"instances": [[1, 2, 3]]})
    load = deploy.load_test(url + "/predict", x_test, batch_size=1, num_requests=100, concurrency=4)
served = np.concatenate(served)
print("health:", health)
print("a malformed request:", bad_status, bad_answer["detail"])
print(
    f"load test: {load['requests']} requests, {load['errors']} errors, "
    f"{load['requests_per_second']:.0f} requests/s, latency p50 {load['p50_ms']:.1f} ms, "
    f"p90 {load['p90_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms"
)
table["4. HTTP service (ONNX Runtime)"] = (
    onnx_path.stat().st_size / 1024,
    float((served.argmax(axis=1) == y_test).mean()),
    load["p50_ms"],
)

# %%
assert health[0] == 200 and health[1]["status"] == "ok"
assert bad_status == 422
assert load["errors"] == 0 and load["requests"] == 100
np.testing.assert_allclose(served, run_onnx(x_test), atol=1e-6)

# %% [markdown]
# ## 5. The table
#
# Latency is the median of single-image predictions: called in-process for steps 1 to 3, and
# over HTTP with 4 clients at once for step 4 (the request's whole round trip, JSON encoding
# included).

# %%
print(f"{'step':33} {'size (KiB)':>10} {'accuracy':>9} {'latency (ms)':>13}")
for step, (size, acc, ms) in table.items():
    print(f"{step:33} {size:10.0f} {acc:9.3f} {ms:13.2f}")

float_size, float_accuracy, _ = table["1. Keras, float32"]
int8_size, int8_accuracy, _ = table["2. Keras, int8 weights"]
litert_size, litert_accuracy, _ = table["3b. LiteRT, int8 weights"]
served_accuracy = table["4. HTTP service (ONNX Runtime)"][1]

# %% [markdown]
# What the run shows, and checks below:
#
# - **Size.** Both int8 versions take less than 40% of the float32 weights: Keras's int8 model
#   and the LiteRT file with int8 weights (which holds the graph too).
# - **Accuracy.** No step costs more than half a percentage point of test accuracy; the ONNX
#   export and the HTTP service give exactly the float32 model's answers.
# - **Latency.** Compare the column on the machine that ran this notebook, and expect it to
#   differ on yours. Usually the runtimes built for inference (ONNX Runtime, LiteRT) answer one
#   image faster than Keras's `predict_on_batch`, and the HTTP round trip costs more than the
#   model itself.

# %%
assert int8_size < 0.4 * float_size and litert_size < 0.4 * float_size
assert float_accuracy >= 0.95
for step, (size, acc, ms) in table.items():
    assert abs(acc - float_accuracy) <= 0.005, (step, acc)
assert table["3a. ONNX Runtime, float32"][1] == float_accuracy == served_accuracy

# %% [markdown]
# ## What to take away
#
# - Keep the preprocessing in the model; then every export and the service take raw pixels.
# - Check every export against Keras on real inputs: ONNX matched to float32 rounding, LiteRT
#   with int8 weights to a few thousandths of a probability.
# - The serving process needs only the runtime (here ONNX Runtime), NumPy and the web framework.
# - Measure latency where the model will run, and read percentiles rather than the mean.
