"""Sequence data: series and text loaders, leakage-free windows, chronological splits."""

from __future__ import annotations

import socket

import numpy as np
import pytest

import dlguide
from dlguide import datasets


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_network_is_blocked_in_this_module():
    # pytest-socket, or the harness's offline guard that every test process starts with
    with pytest.raises(Exception, match="[Ss]ocket|dlguide runs offline"):
        socket.create_connection(("pypi.org", 443), timeout=1)


# --- loaders -------------------------------------------------------------------------------


def test_stock_prices_are_real_daily_goog_prices_in_date_order():
    dates, prices = datasets.load_stock_prices()
    info = datasets.get_dataset_info("stocks")
    assert info.loader == "load_stock_prices" and len(prices) == info.num_examples == 2148
    assert dates.dtype == np.dtype("datetime64[D]") and prices.dtype == np.float32
    assert np.all(np.diff(dates) >= np.timedelta64(1, "D"))  # strictly increasing
    # Trading days only: no Saturdays or Sundays (1970-01-01 was a Thursday).
    weekday = (dates.astype(np.int64) + 3) % 7
    assert not np.isin(weekday, [5, 6]).any()
    # GOOG's first close after its 2004 listing, and the last one in the file.
    assert prices[0] == pytest.approx(100.335) and prices[-1] == pytest.approx(806.19)


def test_stock_columns_are_consistent():
    _, ohlc = datasets.load_stock_prices("IBM", column=["open", "high", "low", "close"])
    assert ohlc.shape == (3270, 4)
    low, high = ohlc[:, 2], ohlc[:, 1]
    assert np.all(low <= ohlc[:, 0] + 1e-3) and np.all(ohlc[:, 0] <= high + 1e-3)
    assert np.all(low <= ohlc[:, 3] + 1e-3) and np.all(ohlc[:, 3] <= high + 1e-3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"symbol": "GOOGL"}, "Received: symbol='GOOGL'"),
        ({"column": "price"}, "Received: column='price'"),
        ({"column": []}, r"Received: column=\[\]"),
    ],
)
def test_stock_prices_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.load_stock_prices(**kwargs)


def test_unemployment_is_monthly_and_seasonal():
    dates, rates = datasets.load_unemployment()
    assert len(rates) == datasets.get_dataset_info("unemployment").num_examples == 828
    assert np.all(np.diff(dates) == np.timedelta64(1, "M"))
    # Not seasonally adjusted: January is above October in most years.
    by_year = rates.reshape(-1, 12)
    assert (by_year[:, 0] > by_year[:, 9]).mean() > 0.8
    assert rates[0] == pytest.approx(4.0) and rates[-1] == pytest.approx(4.5)


def test_imdb_is_real_balanced_without_html_or_overlap():
    (x_train, y_train), (x_test, y_test) = datasets.load_imdb()
    info = datasets.get_dataset_info("imdb")
    assert len(x_train) + len(x_test) == info.num_examples == 24902
    assert len(x_test) == round(0.2 * info.num_examples)
    assert x_train.dtype == object and isinstance(x_train[0], str)
    assert y_train.dtype == np.uint8 and set(np.unique(y_train)) == {0, 1}
    assert abs(y_test.mean() - 0.5) < 0.001
    assert not set(x_train) & set(x_test)  # no review in both parts
    assert not any("<br" in text for text in x_train[:2000])
    assert sum("movie" in text.lower() for text in x_test[:500]) > 200


def test_imdb_subsets_and_determinism():
    (a, ya), (b, yb) = datasets.load_imdb(num_train=50, num_test=20)
    (c, _), _ = datasets.load_imdb(num_train=50, num_test=20)
    (d, _), _ = datasets.load_imdb(num_train=50, seed=1)
    assert a.shape == (50,) and b.shape == (20,) and ya.shape == (50,) and yb.shape == (20,)
    assert list(a) == list(c) and list(a) != list(d)
    with pytest.raises(ValueError, match="Received: num_train=0"):
        datasets.load_imdb(num_train=0)


def test_text_corpus_is_real_english_with_a_held_out_tail():
    train_text, test_text = datasets.load_text_corpus(num_chars=50_000, test_size=0.2)
    assert (len(train_text), len(test_text)) == (40_000, 10_000)
    assert set(train_text + test_text) <= set("abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?'\"()\n-")
    words = (train_text + test_text).split()
    assert words.count("the") / len(words) > 0.03  # the commonest English word
    longer, _ = datasets.load_text_corpus(num_chars=60_000, test_size=0.2)
    assert longer.startswith(train_text)  # a fixed order: longer corpora extend shorter ones
    raw, _ = datasets.load_text_corpus(num_chars=10_000, lowercase=False)
    assert any(c.isupper() for c in raw)
    with pytest.raises(ValueError, match="Received: num_chars=100000000"):
        datasets.load_text_corpus(num_chars=100_000_000)


def test_registry_lists_the_sequence_datasets_with_sources():
    names = {info.name: info for info in dlguide.list_datasets()}
    for name in ("stocks", "unemployment", "imdb", "imdb_text"):
        info = names[name]
        assert getattr(datasets, info.loader)
        assert info.source and info.license and info.description


# --- make_windows --------------------------------------------------------------------------


@pytest.mark.parametrize("window", [1, 3, 7])
@pytest.mark.parametrize("horizon", [1, 2, 5])
def test_windows_never_look_ahead(window, horizon):
    # Use each value's time index as the value, so windows show where they come from.
    times = np.arange(40)
    X, y = datasets.make_windows(times, window, horizon)
    assert X.shape == (40 - window - horizon + 1, window, 1) and y.shape == (len(X),)
    inputs, targets = X[:, :, 0].astype(int), y.astype(int)
    assert np.all(targets > inputs.max(axis=1))  # every target after every input
    assert np.all(targets - inputs[:, -1] == horizon)
    assert np.all(np.diff(inputs, axis=1) == 1)  # consecutive steps, in order
    assert inputs[0, 0] == 0 and targets[-1] == 39  # the whole series is used


def test_windows_of_a_multivariate_series():
    series = np.stack([np.arange(20), 100 + np.arange(20)], axis=1)
    X, y = datasets.make_windows(series, 4)
    assert X.shape == (16, 4, 2) and y.shape == (16, 2)
    assert X[0].tolist() == [[0, 100], [1, 101], [2, 102], [3, 103]]
    assert y[0].tolist() == [4, 104]
    X, y = datasets.make_windows(series, 4, horizon=3, target=1)
    assert y.shape == (14,) and y[0] == 106 and X.dtype == y.dtype == np.float32


def test_windows_are_independent_copies():
    series = np.arange(10.0)
    X, y = datasets.make_windows(series, 3)
    X[0, 0, 0] = -1
    assert series[0] == 0 and X[1, 0, 0] == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.arange(5), 0), {}, "Expected a positive integer. Received: window=0"),
        ((np.arange(5), 2), {"horizon": -1}, "Received: horizon=-1"),
        ((np.arange(5), 5), {}, "Received: len\\(series\\)=5, window=5, horizon=1"),
        ((np.zeros((2, 2, 2)), 1), {}, "Received: series.shape=\\(2, 2, 2\\)"),
        (([1.0, np.nan, 2.0], 1), {}, "NaN"),
        ((np.arange(5), 2), {"target": 0}, "target=None for a 1-D series"),
        ((np.zeros((5, 2)), 2), {"target": 2}, "Received: target=2"),
    ],
)
def test_windows_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.make_windows(*args, **kwargs)


# --- split_chronological -------------------------------------------------------------------


def test_chronological_split_keeps_time_order_and_never_shuffles():
    times = np.arange(100)
    train, test = datasets.split_chronological(times, test_size=0.25)
    assert train.tolist() == list(range(75)) and test.tolist() == list(range(75, 100))
    assert train.max() < test.min()


def test_windows_then_split_put_every_test_target_after_every_training_target():
    times = np.arange(60)
    horizon = 3
    X, y = datasets.make_windows(times, 5, horizon)
    (x_train, y_train), (x_test, y_test) = datasets.split_chronological(
        X, y, test_size=10, gap=horizon - 1
    )
    assert len(x_test) == 10 and len(x_train) == len(X) - 10 - (horizon - 1)
    # With the gap, no training target lies after a test window's last input.
    assert y_train.max() <= x_test[:, -1, 0].min()
    assert y_train.max() < y_test.min()


def test_chronological_split_returns_copies_and_checks_lengths():
    x = np.arange(10)
    train, _ = datasets.split_chronological(x, test_size=2)
    train[0] = 99
    assert x[0] == 0
    with pytest.raises(ValueError, match="len\\(x\\)=10, len\\(y\\)=9"):
        datasets.split_chronological(x, np.arange(9))
    with pytest.raises(ValueError, match="Received: test_size=1.5"):
        datasets.split_chronological(x, test_size=1.5)
    with pytest.raises(ValueError, match="Received: gap=-1"):
        datasets.split_chronological(x, gap=-1)
