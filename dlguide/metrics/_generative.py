r"""Measuring generated samples: Fréchet distance, class coverage, and a feature extractor.

`frechet_distance` and `class_coverage` are plain NumPy. `ClassifierFeatures`
is a small digit classifier (the guide's own `dlguide.cnn`), trained in the
run: its hidden layer gives the features that `frechet_distance` compares.
It imports Keras only when it is trained.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import (
    check_array,
    check_int_sequence,
    check_positive_float,
    check_positive_int,
)


def _features(value: Any, name: str) -> np.ndarray:
    expected = "Expected a 2-D array of finite numbers (one row of features per sample)."
    array = check_array(value, name, expected, ndims=(2,))
    if len(array) < 2:
        raise ValueError(
            f"Expected at least 2 samples to estimate a covariance. Received: {name}.shape="
            f"{array.shape}"
        )
    return array


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """The symmetric square root of a symmetric positive semi-definite matrix."""
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(features_a: Any, features_b: Any) -> float:
    r"""Compute the Fréchet distance between two sets of feature vectors.

    Each set is summarised by a Gaussian: its mean $\mu$ and covariance
    $\Sigma$. The Fréchet (2-Wasserstein) distance between the two Gaussians
    is

    $$d^2 = \lVert \mu_a - \mu_b \rVert^2 + \operatorname{tr}\big(\Sigma_a + \Sigma_b
    - 2 (\Sigma_a^{1/2} \Sigma_b \Sigma_a^{1/2})^{1/2}\big).$$

    With the 2048 Inception-v3 features of Heusel et al. (2017) this is the
    FID. Here you pass any features, e.g. those of `ClassifierFeatures`, so
    the value is **not** the published FID and is comparable only with
    values computed from the same features. It is 0 for identical sets,
    grows when the means move apart or the spreads differ, and is biased
    upwards for small sets: compare models on sets of the same size.

    Args:
        features_a: Features of the first set, shape `(n_a, num_features)`,
            at least 2 rows.
        features_b: Features of the second set, shape `(n_b, num_features)`.

    Returns:
        The squared distance $d^2$, a float >= 0 (like the FID, which is
        the squared distance too).

    Raises:
        ValueError: If the features are not finite 2-D arrays with at least 2
            rows and the same number of columns.

    Examples:
        >>> import numpy as np
        >>> from dlguide.metrics import frechet_distance
        >>> rng = np.random.default_rng(0)
        >>> a = rng.normal(size=(5000, 2))
        >>> b = rng.normal(loc=[3.0, 0.0], scale=2.0, size=(5000, 2))
        >>> round(frechet_distance(a, a), 6)
        0.0
        >>> # mean shift 3**2 = 9, plus (2 - 1)**2 = 1 for each of the two axes
        >>> round(frechet_distance(a, b), 1)
        11.0
    """
    a = _features(features_a, "features_a")
    b = _features(features_b, "features_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            "Expected features_a and features_b to have the same number of features "
            f"(columns). Received: features_a.shape={a.shape}, features_b.shape={b.shape}"
        )
    mean_a, mean_b = a.mean(axis=0), b.mean(axis=0)
    cov_a = np.atleast_2d(np.cov(a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(b, rowvar=False))
    root_a = _sqrt_psd(cov_a)
    cross = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_root = np.sqrt(np.clip(cross, 0, None)).sum()
    distance = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root
    return float(max(distance, 0.0))


def class_coverage(labels: Any, classes: int, *, min_share: float | None = None) -> int:
    """Count the classes that a set of generated samples covers.

    A generator that draws only a few kinds of digit (mode collapse) can
    still make each one look good. Classify its samples, then count the
    classes that get at least `min_share` of them: a healthy generator of
    10 digits covers 10.

    Args:
        labels: The predicted class of each sample, integers from 0 to
            `classes - 1`, e.g. `ClassifierFeatures.predict(samples)`.
        classes: Number of classes.
        min_share: Smallest share of the samples that counts a class as
            covered; by default half of a uniform share, `0.5 / classes`
            (5% of the samples for 10 classes).

    Returns:
        The number of covered classes, from 0 to `classes`.

    Raises:
        ValueError: If `labels` is not a non-empty 1-D array of integers in
            range, or `classes` or `min_share` is invalid.

    Examples:
        >>> from dlguide.metrics import class_coverage
        >>> class_coverage([0, 1, 2, 3, 4, 5, 6, 7, 8, 9] * 10, 10)
        10
        >>> class_coverage([1] * 90 + [7] * 8 + [3, 4], 10)  # 3 and 4: 1% each
        2
    """
    classes = check_positive_int(classes, "classes")
    share = 0.5 / classes if min_share is None else check_positive_float(min_share, "min_share")
    array = np.asarray(labels)
    if (
        array.ndim != 1
        or array.size == 0
        or not np.issubdtype(array.dtype, np.integer)
        or array.min() < 0
        or array.max() >= classes
    ):
        raise ValueError(
            f"Expected a non-empty 1-D array of integer labels from 0 to {classes - 1}. "
            f"Received: labels={labels!r}"
        )
    counts = np.bincount(array, minlength=classes)
    return int(np.sum(counts >= share * len(array)))


def _images(value: Any, name: str) -> np.ndarray:
    """A float32 batch of grey images in [0, 1]: uint8 is divided by 255, floats clipped."""
    raw = np.asarray(value)
    expected = (
        "Expected a batch of grey images of shape (num_images, height, width) or "
        "(num_images, height, width, 1)."
    )
    if raw.ndim == 4 and raw.shape[-1] == 1:
        raw = raw[..., 0]
    array = check_array(raw, name, expected, ndims=(3,), dtype="float32")
    if raw.dtype == np.uint8:
        return array / 255.0
    return np.clip(array, 0.0, 1.0)


class ClassifierFeatures:
    """A digit classifier trained in the run, used to measure generated images.

    `fit` trains a small CNN (`dlguide.cnn`: convolution blocks, then one
    hidden dense layer of `units` ReLU units) on real labelled images.
    Then `features` returns that hidden layer's activations, the input of
    `frechet_distance`, and `predict` the class of each image: is a
    generated "7" recognised as a 7? The same idea as the FID's Inception
    network, trained here in seconds on the guide's own data and never
    downloaded; its numbers are comparable only with each other.

    Images are grey, `(num_images, height, width)`: `uint8` images are
    divided by 255, float images are taken to be in [0, 1] and clipped to
    it (generated images often overshoot a little).

    Args:
        filters: Filters of the convolution blocks.
        units: Size of the hidden layer, i.e. of the features.

    Raises:
        ValueError: If `filters` or `units` is invalid.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> import dlguide
        >>> from dlguide.metrics import ClassifierFeatures
        >>> keras.utils.set_random_seed(0)
        >>> (x_train, y_train), (x_test, y_test) = dlguide.load_digits()
        >>> # 8x8 digits, scaled to [0, 1]
        >>> images = lambda x: x.reshape(-1, 8, 8) / 16
        >>> extractor = ClassifierFeatures(units=32).fit(
        ...     images(x_train), y_train, epochs=10)
        >>> extractor.features(images(x_test)).shape
        (359, 32)
        >>> bool(extractor.score(images(x_test), y_test) > 0.9)
        True
        >>> from dlguide.metrics import class_coverage
        >>> # all 10 digits predicted
        >>> class_coverage(extractor.predict(images(x_test)), 10)
        10
    """

    def __init__(self, *, filters: int | Sequence[int] = (16, 32), units: int = 64) -> None:
        self.filters = check_int_sequence(filters, "filters")
        if not self.filters:
            raise ValueError(f"Expected at least one filter count. Received: filters={filters!r}")
        self.units = check_positive_int(units, "units")
        self.model: Any = None
        self._feature_model: Any = None
        self._image_shape: tuple[int, int] | None = None

    def fit(
        self,
        images: Any,
        labels: Any,
        *,
        epochs: int = 5,
        batch_size: int = 64,
        verbose: int = 0,
    ) -> ClassifierFeatures:
        """Train the classifier on real labelled images.

        Args:
            images: Grey images, `(num_images, height, width)`, `uint8` or
                floats in [0, 1].
            labels: Their integer classes, from 0 to `classes - 1` (the
                number of classes is `labels.max() + 1`).
            epochs: Number of passes over the images.
            batch_size: Images per gradient step.
            verbose: Keras' verbosity (0: silent).

        Returns:
            The extractor itself, trained.

        Raises:
            ValueError: If the images or labels are invalid, or do not match.

        Examples:
            >>> import numpy as np
            >>> from dlguide.metrics import ClassifierFeatures
            >>> ClassifierFeatures().fit(np.zeros((4, 8, 8)), [0, 1, 2])
            Traceback (most recent call last):
            ...
            ValueError: Expected one non-negative integer label per image (4 images). Received: labels of shape (3,) and dtype int64
        """
        x = _images(images, "images")
        y = np.asarray(labels)
        if y.ndim != 1 or len(y) != len(x) or not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
            raise ValueError(
                f"Expected one non-negative integer label per image ({len(x)} images). "
                f"Received: labels of shape {y.shape} and dtype {y.dtype}"
            )
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        import keras

        from ..models import cnn

        classes = int(y.max()) + 1
        self._image_shape = x.shape[1:]
        # `dlguide.cnn(input_shape, classes=...)`: conv blocks, dense_1 (the features), output.
        self.model = cnn(
            self._image_shape,
            classes=classes,
            filters=self.filters,
            dense_units=(self.units,),
            name="classifier_features",
        )
        self.model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        # Adam's variables now: made inside fit's first traced step, they would
        # make TensorFlow trace that step twice.
        self.model.optimizer.build(self.model.trainable_variables)
        self.model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=verbose)
        self._feature_model = keras.Model(
            self.model.inputs, self.model.get_layer("dense_1").output, name="features"
        )
        return self

    def _prepared(self, images: Any) -> np.ndarray:
        if self.model is None:
            raise ValueError("This ClassifierFeatures is not trained yet: call fit() first.")
        x = _images(images, "images")
        if x.shape[1:] != self._image_shape:
            raise ValueError(
                f"Expected images of shape {self._image_shape}, the shape it was trained on. "
                f"Received: images.shape={np.shape(images)}"
            )
        return x

    def features(self, images: Any) -> np.ndarray:
        """Return the hidden-layer features of images: the input of `frechet_distance`.

        Args:
            images: Grey images of the shape the extractor was trained on.

        Returns:
            A float32 array of shape `(num_images, units)`.

        Raises:
            ValueError: If the extractor is not trained or the images do not
                fit it.

        Examples:
            >>> import numpy as np
            >>> from dlguide.metrics import ClassifierFeatures
            >>> ClassifierFeatures().features(np.zeros((3, 8, 8)))
            Traceback (most recent call last):
            ...
            ValueError: This ClassifierFeatures is not trained yet: call fit() first.
        """
        x = self._prepared(images)
        return np.asarray(self._feature_model.predict(x, verbose=0, batch_size=256))

    def predict(self, images: Any) -> np.ndarray:
        """Return the predicted class of each image.

        Args:
            images: Grey images of the shape the extractor was trained on.

        Returns:
            An int array of shape `(num_images,)`.

        Raises:
            ValueError: If the extractor is not trained or the images do not
                fit it.

        Examples:
            >>> import numpy as np
            >>> from dlguide.metrics import ClassifierFeatures
            >>> ClassifierFeatures().predict(np.zeros((3, 8, 8)))
            Traceback (most recent call last):
            ...
            ValueError: This ClassifierFeatures is not trained yet: call fit() first.
        """
        x = self._prepared(images)
        return np.asarray(self.model.predict(x, verbose=0, batch_size=256)).argmax(axis=1)

    def score(self, images: Any, labels: Any) -> float:
        """Return the accuracy of the classifier on labelled images.

        For generated images, `labels` are the classes that were asked for:
        the score is then the share of samples recognised as the requested
        class.

        Args:
            images: Grey images of the shape the extractor was trained on.
            labels: One integer class per image.

        Returns:
            The share of images whose predicted class equals the label.

        Raises:
            ValueError: If the extractor is not trained, or the images and
                labels do not match.

        Examples:
            >>> import numpy as np
            >>> from dlguide.metrics import ClassifierFeatures
            >>> ClassifierFeatures().score(np.zeros((3, 8, 8)), [0, 1, 2])
            Traceback (most recent call last):
            ...
            ValueError: This ClassifierFeatures is not trained yet: call fit() first.
        """
        predicted = self.predict(images)
        y = np.asarray(labels)
        if y.shape != predicted.shape:
            raise ValueError(
                f"Expected one label per image ({len(predicted)} images). "
                f"Received: labels of shape {y.shape}"
            )
        return float(np.mean(predicted == y))
