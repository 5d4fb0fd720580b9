"""Real time series (stock prices, unemployment) and leakage-free windowing."""

from __future__ import annotations

import csv
import functools
import gzip
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import (
    check_array,
    check_choice,
    check_examples,
    check_non_negative_int,
    check_positive_int,
    check_same_length,
)
from ._loaders import _package_file
from ._split import _num_test

_STOCK_COLUMNS = ("open", "high", "low", "close", "volume", "adj_close")
_STOCK_SYMBOLS = ("AAPL", "FB", "GOOG", "IBM", "MSFT")


@functools.cache
def _stock_table() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    path = _package_file("bokeh_sampledata", "_data", "stocks.csv.gz")
    rows: dict[str, list[list[str]]] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)  # Ticker,Date,Open,High,Low,Close,Volume,Adj Close
        for row in reader:
            rows.setdefault(row[0], []).append(row[1:])
    table = {}
    for symbol, symbol_rows in rows.items():
        symbol_rows.sort(key=lambda r: r[0])
        dates = np.array([r[0] for r in symbol_rows], dtype="datetime64[D]")
        values = np.array([[float(v) for v in r[1:]] for r in symbol_rows])
        table[symbol] = (dates, values)
    return table


def load_stock_prices(
    symbol: str = "GOOG", *, column: str | Sequence[str] = "close"
) -> tuple[np.ndarray, np.ndarray]:
    """Load the daily prices of one stock, in date order, offline.

    The prices ship in the `bokeh_sampledata` wheel (Quandl WIKI prices, public
    domain) and end on 1 March 2013. GOOG starts at its listing on 19 August
    2004 (2148 trading days), FB on 18 May 2012, the others on 1 March 2000.
    Only trading days are present: weekends and holidays are simply missing.
    `"close"` is the price the stock actually traded at; it is not adjusted for
    splits (AAPL, IBM and MSFT split during the period, GOOG and FB did not),
    so use `"adj_close"` for those.

    Args:
        symbol: One of `"AAPL"`, `"FB"`, `"GOOG"`, `"IBM"`, `"MSFT"`.
        column: One of `"open"`, `"high"`, `"low"`, `"close"`, `"volume"`,
            `"adj_close"`, or a sequence of them.

    Returns:
        `(dates, values)`: `datetime64[D]` dates of shape `(N,)`, and float32
        values of shape `(N,)` for one column or `(N, len(column))` for a
        sequence of columns.

    Raises:
        ValueError: If `symbol` or `column` is unknown.

    Examples:
        >>> from dlguide.datasets import load_stock_prices
        >>> dates, prices = load_stock_prices("GOOG")
        >>> prices.shape, prices.dtype, str(dates[0]), str(dates[-1])
        ((2148,), dtype('float32'), '2004-08-19', '2013-03-01')
        >>> _, ohlc = load_stock_prices(
        ...     "GOOG", column=("open", "high", "low", "close"))
        >>> ohlc.shape
        (2148, 4)
    """
    symbol = check_choice(symbol, "symbol", _STOCK_SYMBOLS)
    columns = [column] if isinstance(column, str) else column
    if (
        not isinstance(columns, Sequence)
        or not columns
        or not all(c in _STOCK_COLUMNS for c in columns)
    ):
        raise ValueError(
            f"Expected one of {', '.join(map(repr, _STOCK_COLUMNS))}, or a non-empty "
            f"sequence of them. Received: column={column!r}"
        )
    dates, values = _stock_table()[symbol]
    chosen = values[:, [_STOCK_COLUMNS.index(c) for c in columns]].astype(np.float32)
    return dates.copy(), chosen[:, 0] if isinstance(column, str) else chosen


@functools.cache
def _unemployment() -> tuple[np.ndarray, np.ndarray]:
    path = _package_file("bokeh_sampledata", "_data", "unemployment1948.csv")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)  # Year,Jan,...,Dec,Annual
        rows = [(int(row[0]), [float(v) for v in row[1:13]]) for row in reader]
    first_year = rows[0][0]
    dates = np.arange(
        np.datetime64(f"{first_year}-01", "M"), np.datetime64(f"{rows[-1][0] + 1}-01", "M")
    )
    rates = np.array([v for _, months in rows for v in months], dtype=np.float32)
    return dates, rates


def load_unemployment() -> tuple[np.ndarray, np.ndarray]:
    """Load the monthly US unemployment rate, January 1948 to December 2016, offline.

    The rates ship in the `bokeh_sampledata` wheel (US Bureau of Labor
    Statistics, public domain). They are NOT seasonally adjusted, so the
    yearly cycle is in the data: on average January is about 1.1 percentage
    points above October. On top of it sit the business cycles (recessions).

    Returns:
        `(dates, rates)`: `datetime64[M]` months of shape `(828,)` and float32
        unemployment rates in percent of the labour force, shape `(828,)`.

    Examples:
        >>> from dlguide.datasets import load_unemployment
        >>> dates, rates = load_unemployment()
        >>> rates.shape, str(dates[0]), str(dates[-1])
        ((828,), '1948-01', '2016-12')
        >>> round(float(rates.min()), 1), round(float(rates.max()), 1)
        (2.4, 11.4)
    """
    dates, rates = _unemployment()
    return dates.copy(), rates.copy()


def _as_series(series: Any) -> np.ndarray:
    expected = "Expected a 1-D or 2-D array of finite numbers (time along the first axis)."
    return check_array(series, "series", expected, ndims=(1, 2), dtype=np.float32)


def make_windows(
    series: Any, window: int, horizon: int = 1, *, target: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a time series into supervised windows, with no look-ahead.

    Example `i` sees the `window` values `series[i : i + window]` and must
    predict the value `horizon` steps after the last of them,
    `series[i + window - 1 + horizon]`. Every target therefore lies strictly
    after every input of its window. Windows overlap and keep time order;
    split them with `split_chronological`, never with a shuffle.

    Args:
        series: Values in time order, shape `(T,)` or `(T, features)`.
        window: Number of past steps each example sees.
        horizon: How many steps ahead of the window's last step the target is
            (1 = the next step).
        target: For a 2-D series, the column to predict; `None` predicts all
            columns.

    Returns:
        `(X, y)`: float32 `X` of shape `(T - window - horizon + 1, window,
        features)` (`features` is 1 for a 1-D series) and float32 `y` of shape
        `(num_windows,)` (1-D series or `target` given) or
        `(num_windows, features)`.

    Raises:
        ValueError: If the series is not a finite 1-D/2-D array, is shorter
            than `window + horizon`, or an argument is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.datasets import make_windows
        >>> X, y = make_windows(np.arange(10), window=3)
        >>> X.shape, y.shape
        ((7, 3, 1), (7,))
        >>> X[0, :, 0].tolist(), float(y[0])
        ([0.0, 1.0, 2.0], 3.0)
        >>> X, y = make_windows(np.arange(10), window=3, horizon=2)
        >>> X[-1, :, 0].tolist(), float(y[-1])
        ([5.0, 6.0, 7.0], 9.0)
    """
    array = _as_series(series)
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    if array.ndim == 1:
        array = array[:, None]
        if target is not None:
            raise ValueError(f"Expected target=None for a 1-D series. Received: target={target!r}")
        target = 0
    elif target is not None and (
        not isinstance(target, numbers.Integral)
        or isinstance(target, bool)
        or not 0 <= target < array.shape[1]
    ):
        raise ValueError(
            f"Expected a column index in the range [0, {array.shape[1] - 1}] or None. "
            f"Received: target={target!r}"
        )
    num_windows = len(array) - window - horizon + 1
    if num_windows < 1:
        raise ValueError(
            f"Expected a series longer than window + horizon - 1 = {window + horizon - 1} "
            f"steps. Received: len(series)={len(array)}, window={window}, horizon={horizon}"
        )
    starts = np.arange(num_windows)
    X = array[starts[:, None] + np.arange(window)]
    targets = array[starts + window - 1 + horizon]
    y = targets if target is None else targets[:, target]
    return X, np.ascontiguousarray(y)


def split_chronological(
    x: Any, y: Any = None, *, test_size: float | int = 0.2, gap: int = 0
) -> Any:
    """Split arrays in time order: the test part is the most recent stretch.

    Nothing is shuffled, so the model is trained on the past and tested on
    the future, as it would be used. When splitting windows made with
    `make_windows(..., horizon=h)`, pass `gap=h - 1` so that no training
    target lies after the start of the first test window's forecast.

    Args:
        x: Array (or array of windows) in time order, examples along the first
            axis.
        y: Optional targets, one per example of `x`.
        test_size: Fraction (a float in (0, 1)) or number (an int) of the last
            examples that form the test part.
        gap: Number of examples dropped between the train and the test part.

    Returns:
        `(x_train, x_test)` without `y`, or `(x_train, y_train), (x_test,
        y_test)` with it (copies, not views).

    Raises:
        ValueError: If `x` and `y` differ in length, or `test_size` or `gap`
            is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.datasets import split_chronological
        >>> train, test = split_chronological(np.arange(10), test_size=3)
        >>> train.tolist(), test.tolist()
        ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9])
        >>> (x_train, y_train), (x_test, y_test) = split_chronological(
        ...     np.arange(10), np.arange(10) * 10, test_size=0.2, gap=1)
        >>> x_train.tolist(), y_test.tolist()
        ([0, 1, 2, 3, 4, 5, 6], [80, 90])
    """
    x = check_examples(x, "x")
    if y is not None:
        y = check_examples(y, "y")
        check_same_length(x, y, "x", "y", "number of examples")
    gap = check_non_negative_int(gap, "gap")
    if len(x) - gap < 2:
        raise ValueError(
            f"Expected at least gap + 2 = {gap + 2} examples. Received: len(x)={len(x)}"
        )
    num_test = _num_test(len(x) - gap, test_size)
    end_train = len(x) - gap - num_test
    start_test = len(x) - num_test
    x_train, x_test = x[:end_train].copy(), x[start_test:].copy()
    if y is None:
        return x_train, x_test
    return (x_train, y[:end_train].copy()), (x_test, y[start_test:].copy())
