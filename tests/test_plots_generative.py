"""Figures of generative models: sample grids, image rows, latent-space maps."""

from __future__ import annotations

import numpy as np
import pytest

from dlguide.plots import plot_image_rows, plot_latent_space, plot_sample_grid


def test_sample_grid_pads_the_last_row_scales_uint8_and_clips_floats(tmp_path):
    images = np.full((12, 8, 8), 255, dtype=np.uint8)
    fig = plot_sample_grid(images, ncols=5, title="samples", path=tmp_path / "grid.png")
    assert len(fig.axes) == 15 and fig.get_suptitle() == "samples"
    assert fig.axes[0].get_images()[0].get_array().max() == 1.0
    assert fig.axes[14].get_images()[0].get_array().max() == 0.0  # padding
    fig = plot_sample_grid(np.full((3, 8, 8), 1.7), ncols=10)
    assert len(fig.axes) == 3 and fig.axes[0].get_images()[0].get_array().max() == 1.0
    assert (tmp_path / "grid.png").read_bytes()[:4] == b"\x89PNG"
    assert fig.get_size_inches()[0] <= 7.5


def test_image_rows_accept_one_sequence_or_several_rows_with_titles():
    rows = np.random.default_rng(0).random((3, 4, 8, 8, 1))
    fig = plot_image_rows(rows, column_titles=list("abcd"), row_titles=["x", "y", "z"])
    assert len(fig.axes) == 12
    assert [ax.get_title() for ax in fig.axes[:4]] == list("abcd")
    assert fig.axes[8].get_ylabel() == "z"
    assert len(plot_image_rows(rows[0, :, :, :, 0]).axes) == 4


def test_latent_space_scatter_and_decoded_grid_with_a_keras_like_decoder():
    class Decoder:
        def predict(self, codes, verbose=0):
            assert codes.shape == (16, 2) and verbose == 0
            return np.ones((len(codes), 6, 6)) * (codes[:, :1, None] > 0)

    z = np.random.default_rng(0).normal(size=(50, 2))
    fig = plot_latent_space(z, np.arange(50) % 10, decoder=Decoder(), grid_size=4, extent=2.0)
    mosaic = fig.axes[1].get_images()[0].get_array()
    assert mosaic.shape == (24, 24)
    # Left half of the decoded grid has z1 < 0 (dark), right half z1 > 0 (bright).
    assert mosaic[:, :12].max() == 0 and mosaic[:, 12:].min() == 1
    assert len(plot_latent_space(z).axes) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: plot_sample_grid(np.zeros((8, 8))),
            r"Expected a batch of grey images of shape \(num_images, height, width\) of finite numbers. Received: images of shape \(8, 8\)",
        ),
        (lambda: plot_sample_grid(np.zeros((4, 8, 8)), ncols=0), r"Received: ncols=0"),
        (
            lambda: plot_sample_grid(np.zeros((4, 8, 8)), ncols=2, row_titles=["a"]),
            r"Expected 2 titles, one per row. Received: row_titles=\['a'\]",
        ),
        (
            lambda: plot_image_rows(np.zeros((2, 3, 8, 8)), column_titles="abc"),
            r"Expected 3 titles, one per column. Received: column_titles='abc'",
        ),
        (
            lambda: plot_image_rows(np.zeros((8, 8))),
            r"Expected a grid of grey images of shape \(rows, columns, height, width\)",
        ),
        (
            lambda: plot_latent_space(np.zeros((5, 3))),
            r"Expected 2-D codes of shape \(num_examples, 2\), finite. Received: latents of shape \(5, 3\)",
        ),
        (
            lambda: plot_latent_space(np.zeros((5, 2)), [1, 2]),
            r"Expected one label per code \(5\). Received: labels of shape \(2,\)",
        ),
        (lambda: plot_latent_space(np.zeros((5, 2)), extent=0), r"Received: extent=0"),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
