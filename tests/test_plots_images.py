"""Image grids, confusion matrices and misclassified examples."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

import dlguide
from dlguide.plots import plot_confusion_matrix, plot_images, plot_misclassified


def test_plot_images_grid_layout_titles_and_saving(tmp_path):
    images = np.stack([data.camera()[:64, :64], data.coins()[:64, :64], data.moon()[:64, :64]])
    path = tmp_path / "deep" / "grid.png"
    fig = plot_images(images, ["camera", "coins", "moon"], ncols=2, path=path)
    assert len(fig.axes) == 3  # the unused fourth cell is removed
    assert [ax.get_title() for ax in fig.axes] == ["camera", "coins", "moon"]
    shown = fig.axes[1].get_images()[0]
    assert np.array_equal(shown.get_array(), images[1])
    assert shown.get_clim() == (0, 255) and shown.get_cmap().name == "gray"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_images_accepts_rgb_lists_of_different_sizes_and_channel_axis():
    fig = plot_images([data.astronaut(), data.chelsea(), data.coffee()])
    assert [ax.get_images()[0].get_array().shape for ax in fig.axes] == [
        (512, 512, 3),
        (300, 451, 3),
        (400, 600, 3),
    ]
    fig = plot_images(np.zeros((5, 8, 8, 1), np.float32), cmap="viridis", ncols=10)
    assert len(fig.axes) == 5 and fig.axes[0].get_images()[0].get_cmap().name == "viridis"


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((4, 4)), {}, r"Received: images of shape \(4, 4\)"),
        ([], {}, r"Received: images of shape \(0,\)"),
        (np.zeros((2, 4, 4, 2)), {}, "num_images, height, width, channels"),
        (np.zeros((2, 4, 4)), {"titles": "ab"}, "Received: titles='ab'"),
        (np.zeros((2, 4, 4)), {"ncols": 0}, "Received: ncols=0"),
    ],
)
def test_plot_images_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_images(images, **kwargs)


def test_confusion_matrix_counts_match_scikit_learn():
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 4, 200))
    fig = plot_confusion_matrix(y_true, y_pred)
    ax = fig.axes[0]
    counts = np.array([int(t.get_text()) for t in ax.texts]).reshape(4, 4)
    assert np.array_equal(counts, confusion_matrix(y_true, y_pred))
    accuracy = (y_true == y_pred).mean()
    assert ax.get_title() == f"accuracy {accuracy:.3f} ({(y_true == y_pred).sum()} of 200)"
    assert np.array_equal(ax.get_images()[0].get_array(), counts)

    # `normalize` means what it means in metrics.confusion_matrix (and scikit-learn).
    for normalize, axis in (("true", 1), ("pred", 0), ("all", None)):
        fig = plot_confusion_matrix(y_true, y_pred, normalize=normalize)
        fractions = np.array([float(t.get_text()) for t in fig.axes[0].texts]).reshape(4, 4)
        assert np.allclose(fractions.sum(axis=axis), 1, atol=0.02)
        expected = confusion_matrix(y_true, y_pred, normalize=normalize)
        assert np.allclose(fig.axes[0].get_images()[0].get_array(), expected)


def test_confusion_matrix_from_class_scores_with_names(tmp_path):
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    fig = plot_confusion_matrix(
        [0, 1, 1], scores, class_names=["face", "other"], path=tmp_path / "cm.png"
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "1", "1"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["face", "other"]
    assert (tmp_path / "cm.png").exists()


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "message"),
    [
        ([0, 1], [0], {}, r"\(2 examples\). Received: y_pred of shape \(1,\)"),
        ([0, -1], [0, 1], {}, r"Received: y_true of shape \(2,\)"),
        ([0.5, 1], [0, 1], {}, "integer class labels"),
        ([0, 2], [0, 1], {"class_names": ["a", "b"]}, "at least 3"),
        ([0, 1], [0, 1], {"normalize": "yes"}, "Received: normalize='yes'"),
        ([0, 1], [0, 1], {"normalize": True}, "'true', 'pred', 'all'. Received: normalize=True"),
    ],
)
def test_confusion_matrix_rejects_bad_input(y_true, y_pred, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_confusion_matrix(y_true, y_pred, **kwargs)


def test_plot_misclassified_shows_the_most_confident_mistakes_first(tmp_path):
    x = np.arange(6 * 4 * 4, dtype=np.uint8).reshape(6, 4, 4)
    y_true = np.array([0, 1, 2, 0, 1, 2])
    scores = np.array(
        [
            [0.9, 0.05, 0.05],  # right
            [0.6, 0.3, 0.1],  # wrong: 1 -> 0 at 0.60
            [0.0, 0.05, 0.95],  # right
            [0.1, 0.85, 0.05],  # wrong: 0 -> 1 at 0.85
            [0.1, 0.8, 0.1],  # right
            [0.5, 0.1, 0.4],  # wrong: 2 -> 0 at 0.50
        ]
    )
    fig = plot_misclassified(
        x, y_true, scores, class_names=["a", "b", "c"], max_images=2, path=tmp_path / "m.png"
    )
    assert [ax.get_title() for ax in fig.axes] == [
        "true a\npred b (0.85)",
        "true b\npred a (0.60)",
    ]
    assert np.array_equal(fig.axes[0].get_images()[0].get_array(), x[3])
    assert fig.get_suptitle() == "3 of 6 misclassified (the first 2 shown)"
    assert (tmp_path / "m.png").exists()


def test_plot_misclassified_with_no_mistakes_and_bad_input():
    fig = plot_misclassified(np.zeros((3, 4, 4)), [0, 1, 2], [0, 1, 2])
    assert fig.get_suptitle() == "0 of 3 misclassified"
    assert fig.axes[0].texts[0].get_text() == "no misclassified examples"
    with pytest.raises(ValueError, match=r"Expected x and y_true to have the same number"):
        plot_misclassified(np.zeros((3, 4, 4)), [0, 1], [0, 1])
    with pytest.raises(ValueError, match="Received: max_images=0"):
        plot_misclassified(np.zeros((3, 4, 4)), [0, 1, 2], [0, 1, 1], max_images=0)


def test_flat_exports():
    assert dlguide.plot_images is plot_images
    assert dlguide.plot_confusion_matrix is plot_confusion_matrix
    assert dlguide.plot_misclassified is plot_misclassified
