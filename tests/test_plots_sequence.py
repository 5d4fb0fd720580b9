"""plot_forecast and plot_gradient_norms: what is drawn, saving, validation."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import dlguide
from dlguide.plots import plot_forecast, plot_gradient_norms


def test_flat_exports():
    assert dlguide.plot_forecast is plot_forecast
    assert dlguide.plot_gradient_norms is plot_gradient_norms


def test_forecast_lines_and_alignment():
    actual = np.arange(30.0)
    short = np.arange(20.0, 30.0) + 0.5
    fig = plot_forecast(actual, {"full": actual * 2, "test only": short}, ylabel="price")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["actual", "full", "test only"]
    np.testing.assert_array_equal(lines[0].get_ydata(), actual)
    np.testing.assert_array_equal(lines[1].get_xdata(), np.arange(30))
    np.testing.assert_array_equal(lines[2].get_xdata(), np.arange(20, 30))
    np.testing.assert_array_equal(lines[2].get_ydata(), short)
    assert ax.get_ylabel() == "price"
    assert ax.get_title() == "Forecast vs actual"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual", "full", "test only"]


def test_forecast_with_a_date_index_and_column_vectors(tmp_path):
    dates = np.arange("2020-01-01", "2020-01-11", dtype="datetime64[D]")
    actual = np.linspace(1, 2, 10).reshape(-1, 1)  # a (n, 1) column, as models predict
    forecast = np.full((4, 1), 1.5)
    path = tmp_path / "sub" / "forecast.png"
    fig = plot_forecast(actual, {"model": forecast}, index=dates, path=path, title="GOOG")
    assert path.stat().st_size > 1000
    ax = fig.axes[0]
    assert ax.get_title() == "GOOG"
    assert ax.get_xlabel() == "time"
    assert len(ax.get_lines()[1].get_xdata()) == 4
    assert ax.get_lines()[1].get_xdata()[0] == dates[6]


def test_forecast_nan_leaves_a_gap():
    actual = np.array([1.0, np.nan, 3.0])
    fig = plot_forecast(actual, {"m": [1.0, 2.0, 3.0]})
    assert np.isnan(fig.axes[0].get_lines()[0].get_ydata()[1])


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            ([], {"m": [1]}),
            {},
            r"Expected a non-empty 1-D array .* Received: actual with shape \(0,\)",
        ),
        ((np.zeros((3, 2)), {"m": [1]}), {}, r"Received: actual with shape \(3, 2\)"),
        ((["a", "b"], {"m": [1]}), {}, "Received: actual with shape None"),
        (([1, 2], {}), {}, r"Expected a non-empty dict of forecasts \(name -> 1-D array\)"),
        (([1, 2], [1, 2]), {}, r"Received: forecasts=\[1, 2\]"),
        (([1, 2], {"m": [[1, 2]]}), {}, r"Received: forecasts\['m'\] with shape \(1, 2\)"),
        (
            ([1, 2], {"m": [1, 2, 3]}),
            {},
            r"Expected forecasts no longer than actual \(2 steps\). Received: forecasts\['m'\] "
            r"with 3 steps",
        ),
        (
            ([1, 2], {"m": [1]}),
            {"index": [0, 1, 2]},
            r"Expected an index with one value per step of actual \(2\). Received: index with "
            r"shape \(3,\)",
        ),
    ],
)
def test_forecast_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_forecast(*args, **kwargs)


def test_gradient_norms_lines_steps_and_log_scale(tmp_path):
    decay = 0.5 ** np.arange(10)[::-1]
    path = tmp_path / "norms.png"
    fig = plot_gradient_norms({"SimpleRNN": decay, "LSTM": np.ones(10)}, path=path)
    assert path.stat().st_size > 1000
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["SimpleRNN", "LSTM"]
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 11))
    np.testing.assert_array_equal(lines[0].get_ydata(), decay)
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Gradient norm per time step"
    assert "oldest" in ax.get_xlabel()


def test_gradient_norms_linear_scale_and_title():
    fig = plot_gradient_norms({"a": [0.0, 1.0, 2.0]}, log_scale=False, title="t")
    assert fig.axes[0].get_yscale() == "linear"
    assert fig.axes[0].get_title() == "t"


@pytest.mark.parametrize(
    ("norms", "kwargs", "message"),
    [
        ({}, {}, r"Expected a non-empty dict of gradient norms \(name -> 1-D array\)"),
        (None, {}, "Received: norms=None"),
        ({"a": [1.0, -0.5]}, {}, r"Expected norms >= 0. Received: norms\['a'\] with minimum -0.5"),
        ({"a": [1.0, np.inf]}, {}, r"Expected finite values. Received: norms\['a'\] with NaN"),
        ({"a": [1.0, np.nan]}, {}, r"Received: norms\['a'\] with NaN or infinite entries"),
        ({"a": np.ones((2, 2))}, {}, r"Received: norms\['a'\] with shape \(2, 2\)"),
        ({"a": [1.0]}, {"log_scale": "yes"}, "Received: log_scale='yes'"),
    ],
)
def test_gradient_norms_rejects_bad_input(norms, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_gradient_norms(norms, **kwargs)
