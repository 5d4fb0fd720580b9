"""Every figure fits the guide's text column at full size, with readable text.

The site's column is about 690 px wide on a laptop. A figure saved wider is shrunk to fit,
and its text with it (a 1386 px figure shown at 688 px turns 10 pt labels into 6 px ones).
So each `plot_*` function, called as the pages call it (many panels included), must save a
PNG at most `MAX_WIDTH_PX` wide, and draw no text below `MIN_FONT_PT` at the saved dpi.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pytest
from matplotlib.text import Text

from dlguide import plots
from dlguide.models import augmentation, cnn

MAX_WIDTH_PX = 720
MIN_WIDTH_PX = 300
MIN_FONT_PT = 9.0

RNG = np.random.default_rng(0)
HISTORY = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7]}
HISTORY |= {"accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.4, 0.6, 0.7]}


def _digits(n: int) -> np.ndarray:
    return RNG.integers(0, 256, size=(n, 28, 28)).astype("uint8")


@pytest.fixture(scope="module")
def model() -> Any:
    keras.utils.set_random_seed(0)
    return cnn((28, 28), classes=10, filters=(32, 64), kernel_size=3)


def _scores(n: int, classes: int = 10) -> np.ndarray:
    scores = RNG.uniform(size=(n, classes))
    return scores / scores.sum(axis=1, keepdims=True)


# name -> a call as the guide's pages make it, with the most panels they use.
FIGURES = {
    "history, two metrics": lambda m, p: plots.plot_history(HISTORY, path=p, title="a run"),
    "activations, all six": lambda m, p: plots.plot_activations(path=p),
    "decision boundary": lambda m, p: plots.plot_decision_boundary(
        lambda g: (g[:, 0] > 0).astype(int), RNG.normal(size=(40, 2)), RNG.integers(0, 2, 40),
        path=p, title="a boundary",
    ),
    "images, eight columns": lambda m, p: plots.plot_images(
        _digits(16), [f"digit {i}" for i in range(16)], ncols=8, path=p
    ),
    "misclassified, sixteen": lambda m, p: plots.plot_misclassified(
        _digits(200), RNG.integers(0, 10, 200), _scores(200), max_images=16, path=p
    ),
    "confusion matrix, ten classes": lambda m, p: plots.plot_confusion_matrix(
        RNG.integers(0, 10, 300), RNG.integers(0, 10, 300), path=p
    ),
    "roc curve": lambda m, p: plots.plot_roc_curve(
        RNG.integers(0, 2, 100), RNG.uniform(size=100), path=p, title="ROC"
    ),
    "loss surface paths": lambda m, p: plots.plot_loss_surface_paths(
        {"SGD": np.cumsum(RNG.normal(size=(20, 2)), axis=0) * 0.1,
         "Adam": np.cumsum(RNG.normal(size=(20, 2)), axis=0) * 0.1},
        lambda a, b: a**2 + 3 * b**2, path=p, title="paths",
    ),
    "forecast": lambda m, p: plots.plot_forecast(
        np.sin(np.arange(300) / 10), {"LSTM": np.sin(np.arange(60) / 10), "naive": np.zeros(60)},
        path=p, title="forecast", ylabel="price",
    ),
    "gradient norms": lambda m, p: plots.plot_gradient_norms(
        {"RNN": np.logspace(-8, 0, 50), "LSTM": np.logspace(-2, 0, 50)}, path=p, title="norms"
    ),
    "feature maps, eight per layer": lambda m, p: plots.plot_feature_maps(
        m, _digits(1)[0] / 255, max_maps=8, path=p
    ),
    "filters, 32 kernels": lambda m, p: plots.plot_filters(m, path=p),
    "augmentation, five variants": lambda m, p: plots.plot_augmentation_grid(
        augmentation(), _digits(3) / 255, num_variants=5, path=p
    ),
    "attention, two heads": lambda m, p: plots.plot_attention(
        RNG.dirichlet(np.ones(8), size=(2, 8)), titles=["head 1", "head 2"], path=p
    ),
    "positional encoding": lambda m, p: plots.plot_positional_encoding(
        np.sin(np.arange(64)[:, None] / 10.0 ** (np.arange(32) / 8)), path=p
    ),
    "sample grid, three rows of ten": lambda m, p: plots.plot_sample_grid(
        _digits(30) / 255, ncols=10, row_titles=["VAE", "GAN", "diffusion"], path=p,
        title="samples",
    ),
    "image rows, a noising strip": lambda m, p: plots.plot_image_rows(
        (_digits(12) / 255).reshape(2, 6, 28, 28), row_titles=["forward", "reverse"],
        column_titles=[f"t={t}" for t in (0, 20, 40, 60, 80, 100)], path=p,
    ),
    "latent space with decoded grid": lambda m, p: plots.plot_latent_space(
        RNG.normal(size=(200, 2)), RNG.integers(0, 10, 200),
        decoder=lambda z: np.ones((len(z), 8, 8)) * (z[:, :1, None] > 0), path=p,
    ),
}  # fmt: skip


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_plot_function_is_covered():
    called = {name for draw in FIGURES.values() for name in draw.__code__.co_names}
    missing = [name for name in plots.__all__ if name not in called]
    assert not missing, f"add a typical call of these to FIGURES: {missing}"


@pytest.mark.parametrize("name", FIGURES)
def test_figure_fits_the_column_with_readable_text(name, model, tmp_path):
    path = tmp_path / "figure.png"
    fig = FIGURES[name](model, path)
    width, height = _png_size(path)
    assert MIN_WIDTH_PX <= width <= MAX_WIDTH_PX, f"{name}: saved {width}x{height} px"
    assert height <= 2.5 * MAX_WIDTH_PX, f"{name}: saved {width}x{height} px"
    small = sorted(
        {
            (round(text.get_fontsize(), 1), text.get_text()[:30])
            for text in fig.findobj(Text)
            if text.get_visible() and text.get_text().strip()
            and text.get_fontsize() < MIN_FONT_PT
        }
    )  # fmt: skip
    assert not small, f"{name}: text below {MIN_FONT_PT} pt: {small[:5]}"
