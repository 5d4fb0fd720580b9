"""Sequence figures: forecasts against the actual series, gradient norm per time step."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ._save import COLUMN_WIDTH, _save_figure


def _check_series(value: Any, name: str, *, allow_nan: bool = True) -> np.ndarray:
    """Return a 1-D float array (a column vector `(n, 1)` is flattened)."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is not None and array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array is None or array.ndim != 1 or array.size == 0:
        shape = getattr(array, "shape", None)
        raise ValueError(
            f"Expected a non-empty 1-D array (one value per time step). "
            f"Received: {name} with shape {shape}"
        )
    if not allow_nan and not np.isfinite(array).all():
        raise ValueError(f"Expected finite values. Received: {name} with NaN or infinite entries")
    return array


def _check_dict(value: Any, name: str, what: str) -> None:
    if not isinstance(value, Mapping) or not value:
        raise ValueError(
            f"Expected a non-empty dict of {what} (name -> 1-D array). Received: {name}={value!r}"
        )


def plot_forecast(
    actual: Any,
    forecasts: Mapping[str, Any],
    *,
    index: Any = None,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    ylabel: str | None = None,
) -> Figure:
    """Plot one or more forecasts over the actual series.

    A forecast may be shorter than `actual`: it is then aligned with the END
    of the series, so the usual picture, the whole series with forecasts over
    the test period only, needs no padding. Missing values (NaN) leave gaps.

    Args:
        actual: The observed series, 1-D (or a column `(n, 1)`).
        forecasts: Dict name -> forecast, e.g. `{"LSTM": y_lstm, "naive":
            y_naive}`; each 1-D and at most as long as `actual`.
        index: x values of `actual` (dates or numbers), same length;
            by default the time steps 0, 1, ...
        path: If given, the figure is also saved there (PNG by default).
        title: Title of the plot, `"Forecast vs actual"` by default.
        ylabel: Label of the y axis.

    Returns:
        A `matplotlib.figure.Figure` with one axes: the actual series first
        (black), then one dashed line per forecast.

    Raises:
        ValueError: If a series is not 1-D, a forecast is longer than
            `actual`, or `index` has the wrong length.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_forecast
        >>> actual = np.sin(np.linspace(0, 6, 50))
        >>> forecasts = {"naive": actual[9:-1], "model": actual[10:] + 0.1}
        >>> fig = plot_forecast(actual, forecasts)
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['actual', 'naive', 'model']
        >>> # aligned with the end: steps 10..49
        >>> int(fig.axes[0].get_lines()[1].get_xdata()[0])
        10
        >>> plot_forecast(actual, {"model": np.zeros(60)})
        Traceback (most recent call last):
        ...
        ValueError: Expected forecasts no longer than actual (50 steps). Received: forecasts['model'] with 60 steps
    """
    actual = _check_series(actual, "actual")
    _check_dict(forecasts, "forecasts", "forecasts")
    checked = {}
    for name, values in forecasts.items():
        series = _check_series(values, f"forecasts[{name!r}]")
        if series.size > actual.size:
            raise ValueError(
                f"Expected forecasts no longer than actual ({actual.size} steps). "
                f"Received: forecasts[{name!r}] with {series.size} steps"
            )
        checked[str(name)] = series
    if index is None:
        x = np.arange(actual.size)
    else:
        x = np.asarray(index)
        if x.ndim != 1 or len(x) != actual.size:
            raise ValueError(
                f"Expected an index with one value per step of actual ({actual.size}). "
                f"Received: index with shape {x.shape}"
            )

    fig = Figure(figsize=(COLUMN_WIDTH, 3.4), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, actual, color="black", linewidth=1.4, label="actual")
    for name, series in checked.items():
        ax.plot(x[actual.size - series.size :], series, linestyle="--", linewidth=1.2, label=name)
    ax.set_title(title or "Forecast vs actual")
    ax.set_xlabel("time" if index is not None else "time step")
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    _save_figure(fig, path)
    return fig


def plot_gradient_norms(
    norms: Mapping[str, Any],
    *,
    path: str | os.PathLike[str] | None = None,
    log_scale: bool = True,
    title: str | None = None,
) -> Figure:
    """Plot the size of a gradient at each time step, one line per model.

    The usual input is the norm of the gradient of the loss with respect to
    the input (or hidden state) at time step t, for t = 1 (oldest) to T
    (most recent). A curve that falls steeply towards t = 1 is the vanishing
    gradient: the early steps barely influence learning. A log scale (the
    default) shows the decay over many orders of magnitude as a straight
    line.

    Args:
        norms: Dict name -> per-step norms, each 1-D, finite and >= 0, e.g.
            `{"SimpleRNN": norms_rnn, "LSTM": norms_lstm}`.
        path: If given, the figure is also saved there (PNG by default).
        log_scale: Use a logarithmic y axis.
        title: Title of the plot.

    Returns:
        A `matplotlib.figure.Figure` with one axes and one line per entry;
        the x values are the time steps 1, 2, ..., T.

    Raises:
        ValueError: If `norms` is empty or a curve is not 1-D, finite and
            non-negative.

    Examples:
        >>> import numpy as np
        >>> from dlguide.plots import plot_gradient_norms
        >>> steps = np.arange(1, 21)
        >>> norms = {"vanishing": 0.8 ** (20 - steps), "steady": np.ones(20)}
        >>> fig = plot_gradient_norms(norms)
        >>> ax = fig.axes[0]
        >>> [line.get_label() for line in ax.get_lines()], ax.get_yscale()
        (['vanishing', 'steady'], 'log')
        >>> int(ax.get_lines()[0].get_xdata()[-1])
        20
        >>> plot_gradient_norms({"bad": [1.0, -0.5]})
        Traceback (most recent call last):
        ...
        ValueError: Expected norms >= 0. Received: norms['bad'] with minimum -0.5
    """
    _check_dict(norms, "norms", "gradient norms")
    if not isinstance(log_scale, bool):
        raise ValueError(f"Expected a bool (True or False). Received: log_scale={log_scale!r}")
    checked = {}
    for name, values in norms.items():
        series = _check_series(values, f"norms[{name!r}]", allow_nan=False)
        if series.min() < 0:
            raise ValueError(
                f"Expected norms >= 0. Received: norms[{name!r}] with minimum {series.min():g}"
            )
        checked[str(name)] = series

    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    for name, series in checked.items():
        ax.plot(np.arange(1, series.size + 1), series, marker=".", label=name)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("time step t (1 = oldest input)")
    ax.set_ylabel("gradient norm")
    ax.set_title(title or "Gradient norm per time step")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    _save_figure(fig, path)
    return fig
