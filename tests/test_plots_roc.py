"""plot_roc_curve: draws the curve of dlguide.metrics.roc_curve, labelled with its AUC."""

from __future__ import annotations

import numpy as np
import pytest

import dlguide
from dlguide.metrics import roc_auc_score, roc_curve
from dlguide.plots import plot_roc_curve

RNG = np.random.default_rng(0)
Y_TRUE = np.r_[0, 1, RNG.integers(0, 2, 60)]
SCORES = np.clip(Y_TRUE * 0.4 + RNG.normal(0.3, 0.25, len(Y_TRUE)), 0, 1)


def test_draws_the_roc_curve_and_the_chance_line(tmp_path):
    path = tmp_path / "nested" / "roc.png"
    fig = plot_roc_curve(Y_TRUE, SCORES[:, None], path=path, title="demo")
    ax = fig.axes[0]
    curve, chance = ax.get_lines()
    fpr, tpr, _ = roc_curve(Y_TRUE, SCORES)
    np.testing.assert_array_equal(curve.get_xdata(), fpr)
    np.testing.assert_array_equal(curve.get_ydata(), tpr)
    assert curve.get_label() == f"AUC = {roc_auc_score(Y_TRUE, SCORES):.2f}"
    assert list(chance.get_xdata()) == [0, 1] and chance.get_linestyle() == "--"
    assert ax.get_title() == "demo"
    assert ax.get_legend() is not None
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compares_several_models_in_one_figure():
    perfect = Y_TRUE.astype(float)
    fig = plot_roc_curve(Y_TRUE, {"model": SCORES, "oracle": perfect})
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == [
        f"model (AUC = {roc_auc_score(Y_TRUE, SCORES):.2f})",
        "oracle (AUC = 1.00)",
        "chance (AUC = 0.5)",
    ]
    oracle = fig.axes[0].get_lines()[1]
    assert list(oracle.get_xdata()) == [0, 0, 1] and list(oracle.get_ydata()) == [0, 1, 1]


def test_is_exported_flat():
    assert dlguide.plot_roc_curve is plot_roc_curve


@pytest.mark.parametrize(
    ("y_true", "scores", "message"),
    [
        ([1, 1, 1], [0.2, 0.4, 0.9], "both positive and negative samples"),
        ([0, 1], [0.2, float("nan")], "Received: scores with 1 NaN or infinite entries"),
        ([0, 1, 0], [0.2, 0.4], r"len\(y_true\)=3, len\(scores\)=2"),
        ([0, 1], {}, r"non-empty dict of \{name: scores\}\. Received: scores=\{\}"),
        ([0, 1], {"a": [0.1, 0.9], "b": [0.5]}, r"len\(scores\)=1"),
    ],
)
def test_rejects_bad_input(y_true, scores, message):
    with pytest.raises(ValueError, match=message):
        plot_roc_curve(y_true, scores)
