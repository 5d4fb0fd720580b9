"""Figures: content, saving, and validation."""

from __future__ import annotations

import pytest

from dlguide.plots import plot_history

HISTORY = {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7], "mae": [3.0, 2.0, 1.5]}


def test_plot_history_draws_training_and_validation(tmp_path):
    path = tmp_path / "nested" / "curves.png"
    fig = plot_history(HISTORY, path=path, title="run")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    loss_lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in loss_lines] == ["training", "validation"]
    assert list(loss_lines[1].get_ydata()) == [1.1, 0.8, 0.7]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_history_accepts_a_keras_history_object():
    class History:
        history = {"accuracy": [0.5, 0.9]}

    assert [ax.get_title() for ax in plot_history(History()).axes] == ["accuracy"]


@pytest.mark.parametrize(
    ("history", "metrics", "message"),
    [
        ({}, None, "Received: history={}"),
        ([1, 2], None, r"Received: history=\[1, 2\]"),
        (
            HISTORY,
            "accuracy",
            "Expected metrics recorded in the history \\('loss', 'mae'\\). Received: metrics='accuracy'",
        ),
        (HISTORY, [], r"Received: metrics=\[\]"),
    ],
)
def test_plot_history_rejects_bad_input(history, metrics, message):
    with pytest.raises(ValueError, match=message):
        plot_history(history, metrics)


def test_plot_attention_and_positional_encoding(tmp_path):
    import numpy as np

    from dlguide import scratch
    from dlguide.plots import plot_attention, plot_positional_encoding

    fig = plot_attention(np.eye(3), keys=list("abc"), path=tmp_path / "a.png")
    assert (tmp_path / "a.png").exists() and fig.get_size_inches()[0] <= 7
    fig = plot_positional_encoding(scratch.positional_encoding(32, 16), path=tmp_path / "p.png")
    assert (tmp_path / "p.png").exists() and fig.get_size_inches()[0] <= 7
    for call, message in [
        (lambda: plot_attention(np.ones(3)), "Received: weights.shape=(3,)"),
        (lambda: plot_attention(np.eye(2), keys=["a"]), "Received: keys=['a']"),
        (lambda: plot_attention(np.eye(2)[None], titles="ab"), "Received: titles='ab'"),
        (lambda: plot_positional_encoding(np.ones((2, 2, 2))), "encoding.shape"),
    ]:
        try:
            call()
        except ValueError as error:
            assert message in str(error), error
        else:
            raise AssertionError(message)
