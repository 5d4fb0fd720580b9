"""Metrics for generated samples: the Fréchet distance against a direct computation and
closed forms, class coverage, the classifier feature extractor, and every validation message."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import scipy.linalg

from dlguide.metrics import ClassifierFeatures, class_coverage, frechet_distance


def _direct_frechet(a, b):
    """The textbook formula with scipy's general matrix square root (as in the FID code)."""
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b)
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * root.real))


@pytest.mark.parametrize("num_features", [2, 5, 16])
def test_frechet_distance_matches_the_direct_computation(num_features):
    rng = np.random.default_rng(num_features)
    mix_a = rng.normal(size=(num_features, num_features))
    mix_b = rng.normal(size=(num_features, num_features))
    a = rng.normal(size=(400, num_features)) @ mix_a
    b = rng.normal(size=(300, num_features)) @ mix_b + rng.normal(size=num_features)
    assert frechet_distance(a, b) == pytest.approx(_direct_frechet(a, b), rel=1e-6)


def test_frechet_distance_of_one_feature_is_the_gaussian_closed_form():
    rng = np.random.default_rng(0)
    a, b = rng.normal(1.0, 2.0, size=(500, 1)), rng.normal(-0.5, 0.5, size=(800, 1))
    expected = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_is_zero_for_the_same_set_symmetric_and_row_order_free():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(200, 4)), rng.normal(size=(150, 4)) * 1.5
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-9)
    assert frechet_distance(a[::-1], b) == pytest.approx(frechet_distance(a, b), rel=1e-9)
    # Shifting both sets by the same vector changes nothing.
    shift = rng.normal(size=4)
    assert frechet_distance(a + shift, b + shift) == pytest.approx(frechet_distance(a, b))


def test_frechet_distance_handles_singular_covariances():
    rng = np.random.default_rng(2)
    a = np.column_stack([rng.normal(size=50), np.zeros(50)])  # a constant feature
    b = np.column_stack([rng.normal(size=50), np.zeros(50)])
    assert frechet_distance(a, b) >= 0


def test_class_coverage_counts_classes_above_the_share():
    assert class_coverage(np.arange(10).repeat(5), 10) == 10
    assert class_coverage([0] * 95 + [1] * 5, 10) == 2  # 5% is exactly half a fair share
    assert class_coverage([0] * 96 + [1] * 4, 10) == 1
    assert class_coverage([0, 0, 1], 3, min_share=0.5) == 1
    assert class_coverage(np.array([2], dtype=np.uint8), 3) == 1


def test_classifier_features_learn_digits_and_scale_uint8_images():
    keras.utils.set_random_seed(0)
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images[:1000] * 255 / 16).astype(np.uint8)
    labels = digits.target[:1000]
    extractor = ClassifierFeatures(units=16).fit(images, labels, epochs=10)
    assert extractor.model.get_layer("dense_1").output.shape == (None, 16)
    held_out = (digits.images[1000:1300] * 255 / 16).astype(np.uint8)
    assert extractor.score(held_out, digits.target[1000:1300]) > 0.8
    # uint8 images are divided by 255; float images are clipped to [0, 1].
    np.testing.assert_allclose(
        extractor.features(held_out[:5]), extractor.features(held_out[:5] / 255.0), atol=1e-5
    )
    np.testing.assert_allclose(
        extractor.features(np.full((1, 8, 8), 3.0)), extractor.features(np.ones((1, 8, 8)))
    )
    assert extractor.features(held_out[:3, :, :, None]).shape == (3, 16)
    with pytest.raises(ValueError, match=r"Expected images of shape \(8, 8\), the shape it was"):
        extractor.features(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match=r"Expected one label per image \(3 images\)"):
        extractor.score(held_out[:3], [1, 2])


A = np.zeros((5, 3))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: frechet_distance(A, np.zeros((5, 2))),
            r"same number of features \(columns\). Received: features_a.shape=\(5, 3\), features_b.shape=\(5, 2\)",
        ),
        (
            lambda: frechet_distance(A[:1], A),
            r"Expected at least 2 samples to estimate a covariance. Received: features_a.shape=\(1, 3\)",
        ),
        (
            lambda: frechet_distance(A, np.zeros(5)),
            r"Expected a 2-D array of finite numbers \(one row of features per sample\). Received: features_b.shape=\(5,\)",
        ),
        (
            lambda: frechet_distance([[np.inf, 0.0], [0.0, 0.0]], A),
            r"Received: features_a with 1 NaN or infinite entries",
        ),
        (
            lambda: class_coverage([0, 10], 10),
            r"Expected a non-empty 1-D array of integer labels from 0 to 9. Received: labels=\[0, 10\]",
        ),
        (lambda: class_coverage([0.5], 10), r"integer labels from 0 to 9"),
        (lambda: class_coverage([], 10), r"integer labels from 0 to 9"),
        (lambda: class_coverage([0], 0), r"Expected a positive integer. Received: classes=0"),
        (
            lambda: class_coverage([0], 2, min_share=0),
            r"Expected a positive float. Received: min_share=0",
        ),
        (lambda: ClassifierFeatures(units=0), r"Expected a positive integer. Received: units=0"),
        (
            lambda: ClassifierFeatures(filters=()),
            r"Expected at least one filter count. Received: filters=\(\)",
        ),
        (lambda: ClassifierFeatures(filters=-1), r"Received: filters=-1"),
        (
            lambda: ClassifierFeatures().fit(np.zeros((3, 8)), [0, 1, 2]),
            r"Expected a batch of grey images of shape \(num_images, height, width\) or \(num_images, height, width, 1\). Received: images.shape=\(3, 8\)",
        ),
        (
            lambda: ClassifierFeatures().fit(np.zeros((2, 8, 8)), [0.0, 1.0]),
            r"Expected one non-negative integer label per image \(2 images\)",
        ),
        (
            lambda: ClassifierFeatures().fit(np.zeros((2, 8, 8)), [0, 1], epochs=0),
            r"Received: epochs=0",
        ),
        (
            lambda: ClassifierFeatures().predict(np.zeros((2, 8, 8))),
            r"not trained yet: call fit\(\) first",
        ),
    ],
)
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()
