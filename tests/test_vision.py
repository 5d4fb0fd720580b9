"""dlguide.vision: OpenCV wrappers checked on real images and real files."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from skimage import data
from skimage.filters import threshold_otsu

from dlguide import vision

cv2 = pytest.importorskip("cv2")


def test_read_image_converts_opencvs_bgr_to_rgb(tmp_path):
    image = np.zeros((3, 4, 3), dtype=np.uint8)
    image[1, 2] = (200, 30, 10)  # mostly red, in RGB
    path = vision.write_image(tmp_path / "sub" / "pixel.png", image)
    # OpenCV itself sees the channels the other way round ...
    assert cv2.imread(str(path))[1, 2].tolist() == [10, 30, 200]
    # ... and read_image gives back exactly the RGB pixels written.
    assert np.array_equal(vision.read_image(path), image)
    assert vision.read_image(path, color="bgr")[1, 2].tolist() == [10, 30, 200]
    gray = vision.read_image(path, color="gray")
    assert (
        gray.shape == (3, 4) and abs(int(gray[1, 2]) - (0.299 * 200 + 0.587 * 30 + 0.114 * 10)) <= 1
    )


def test_write_image_from_bgr_and_the_swap_is_its_own_inverse(tmp_path):
    rgb = data.astronaut()[:50, :60]
    bgr = vision.rgb_to_bgr(rgb)
    assert np.array_equal(bgr[..., 0], rgb[..., 2])
    assert np.array_equal(vision.bgr_to_rgb(bgr), rgb)
    path = vision.write_image(tmp_path / "a.png", bgr, color="bgr")
    assert np.array_equal(vision.read_image(path), rgb)


def test_read_image_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No image file"):
        vision.read_image(tmp_path / "missing.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="cannot decode"):
        vision.read_image(bad)
    with pytest.raises(ValueError, match="Received: color='hsv'"):
        vision.read_image(bad, color="hsv")
    with pytest.raises(ValueError, match="Received: image.dtype=float64"):
        vision.write_image(tmp_path / "f.png", np.zeros((4, 4)))


def test_resize_takes_height_width_not_opencvs_width_height():
    image = data.coins()  # (303, 384)
    assert vision.resize(image, (100, 50)).shape == (100, 50)
    assert vision.resize(data.astronaut(), 64).shape == (64, 64, 3)
    labels = np.array([[0, 1], [2, 3]], dtype=np.uint8)
    up = vision.resize(labels, (4, 4), interpolation="nearest")
    assert set(np.unique(up).tolist()) == {0, 1, 2, 3}
    with pytest.raises(ValueError, match=r"Received: size=\(10, -1\)"):
        vision.resize(image, (10, -1))
    with pytest.raises(ValueError, match="Received: interpolation='bilinear'"):
        vision.resize(image, 10, interpolation="bilinear")


def test_grayscale_weights_and_channel_order():
    rgb = data.astronaut()
    gray = vision.to_grayscale(rgb)
    expected = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    assert gray.shape == (512, 512) and gray.dtype == np.uint8
    assert np.abs(gray - expected).max() <= 1
    assert np.array_equal(vision.to_grayscale(vision.rgb_to_bgr(rgb), color="bgr"), gray)
    assert np.array_equal(vision.to_grayscale(gray), gray)


def test_normalize_methods():
    image = data.camera()
    scaled = vision.normalize(image)
    assert scaled.dtype == np.float32 and scaled.max() == 1.0 and scaled.min() == 0.0
    dull = (image // 4 + 100).astype(np.uint8)  # grey levels 100-163
    stretched = vision.normalize(dull, method="minmax")
    assert stretched.min() == 0.0 and stretched.max() == 1.0
    standard = vision.normalize(image, method="standardize")
    assert abs(float(standard.mean())) < 1e-4 and abs(float(standard.std()) - 1) < 1e-4
    with pytest.raises(ValueError, match="constant image"):
        vision.normalize(np.full((3, 3), 7, np.uint8), method="minmax")


def test_blur_reduces_noise_and_median_removes_salt():
    rng = np.random.default_rng(0)
    flat = np.full((64, 64), 120, dtype=np.uint8)
    noisy = np.clip(flat + rng.normal(0, 20, flat.shape), 0, 255).astype(np.uint8)
    assert vision.blur(noisy, 5).std() < noisy.std() / 3
    salted = flat.copy()
    salted[rng.integers(0, 64, 100), rng.integers(0, 64, 100)] = 255
    assert np.array_equal(vision.blur(salted, 3, method="median"), flat)
    assert vision.blur(data.astronaut(), 9).shape == (512, 512, 3)
    with pytest.raises(ValueError, match="Received: kernel_size=0"):
        vision.blur(flat, 0)


def test_canny_finds_the_outline_of_a_disk():
    yy, xx = np.mgrid[:100, :100]
    disk = ((yy - 50) ** 2 + (xx - 50) ** 2 < 30**2).astype(np.uint8) * 255
    edges = vision.canny(disk)
    ys, xs = np.nonzero(edges)
    radius = np.hypot(ys - 50, xs - 50)
    assert len(ys) > 150 and radius.min() > 27 and radius.max() < 32
    assert vision.canny(data.astronaut()).shape == (512, 512)
    with pytest.raises(ValueError, match="Expected low <= high"):
        vision.canny(disk, 200, 100)
    with pytest.raises(ValueError, match="Received: image.dtype=float32"):
        vision.canny(disk.astype(np.float32))


def test_otsu_threshold_on_real_images_matches_scikit_image():
    for image in (data.coins(), data.camera()):
        value, mask = vision.threshold(image, method="otsu")
        assert value == threshold_otsu(image)
        assert np.array_equal(mask == 255, image > value)
    value, mask = vision.threshold(data.coins(), method="otsu")
    assert value == 107.0
    _, inverse = vision.threshold(data.coins(), method="otsu", inverse=True)
    assert np.array_equal(inverse, 255 - mask)
    assert vision.threshold(data.coins(), 50)[0] == 50.0


def test_contours_of_the_coins():
    coins = data.coins()
    _, mask = vision.threshold(vision.blur(coins, 5), method="otsu")
    contours = vision.find_contours(mask, min_area=500)
    areas = [cv2.contourArea(c) for c in contours]
    assert areas == sorted(areas, reverse=True) and min(areas) >= 500
    assert len(contours) >= 10  # 24 coins, some merge with the bright background border
    drawn = vision.draw_contours(coins, contours, color=(255, 0, 0))
    assert drawn.shape == (303, 384, 3) and coins.ndim == 2
    x, y = contours[0][0, 0]
    assert drawn[y, x].tolist() == [255, 0, 0]
    assert len(vision.find_contours(np.zeros((5, 5)))) == 0
    with pytest.raises(ValueError, match="Received: mask.shape=\\(5, 5, 3\\)"):
        vision.find_contours(np.zeros((5, 5, 3)))


def test_face_detector_finds_the_astronauts_face_and_nothing_in_a_blank_image():
    image = data.astronaut()
    boxes = vision.detect_faces(image)
    assert boxes.shape == (1, 4)
    x, y, w, h = boxes[0]
    # Eileen Collins's face is in the upper middle of the photo, about 100 pixels wide.
    assert 150 < x + w / 2 < 260 and 80 < y + h / 2 < 160 and 70 < w < 130
    assert vision.detect_faces(np.zeros((512, 512, 3), np.uint8)).shape == (0, 4)
    assert vision.detect_faces(np.full((300, 300), 128, np.uint8)).shape == (0, 4)
    same = vision.detect_faces(vision.rgb_to_bgr(image), color="bgr")
    assert np.array_equal(same, boxes)
    drawn = vision.draw_boxes(image, boxes)
    assert drawn[y, x + 5].tolist() == [0, 255, 0] and not np.array_equal(drawn, image)


def test_face_detector_errors_name_the_fix(monkeypatch):
    with pytest.raises(FileNotFoundError, match="Available: .*haarcascade_eye.xml"):
        vision.detect_faces(data.astronaut(), cascade="haarcascade_unicorn.xml")
    monkeypatch.delattr(cv2, "data")
    with pytest.raises(FileNotFoundError, match=r"ships no Haar cascade files.*dlguide\[cv\]"):
        vision.detect_faces(data.astronaut(), cascade="haarcascade_frontalface_alt.xml")
    with pytest.raises(ValueError, match="Received: scale_factor=1.0"):
        vision.detect_faces(data.astronaut(), scale_factor=1.0)


@pytest.mark.parametrize(("name", "codec"), [("clip.mp4", "mp4v"), ("clip.avi", "MJPG")])
def test_video_round_trip(tmp_path, name, codec):
    frames = np.zeros((15, 60, 80, 3), dtype=np.uint8)
    for t in range(15):
        frames[t, 20:40, 4 * t : 4 * t + 20] = (255, 0, 0)  # a red block moving right
    path = vision.write_video(tmp_path / name, frames, fps=15, codec=codec)
    back = vision.read_video(path)
    assert back.shape == frames.shape and back.dtype == np.uint8
    # Lossy codecs: close, not equal. The block is still red (RGB order survived) and moves.
    assert np.abs(back.astype(int) - frames).mean() < 6
    assert back[0, 30, 10].tolist()[0] > 200 and back[0, 30, 10].tolist()[2] < 60
    centres = [np.nonzero(f[..., 0] > 128)[1].mean() for f in back]
    assert np.all(np.diff(centres) > 3)
    assert vision.read_video(path, max_frames=4, color="gray").shape == (4, 60, 80)


def test_video_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        vision.read_video(tmp_path / "none.mp4")
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(ValueError, match="could not read any frame"):
        vision.read_video(tmp_path / "empty.mp4")
    with pytest.raises(ValueError, match="Received: frames of shape \\(4, 4\\)"):
        vision.write_video(tmp_path / "x.mp4", np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match="Received: codec='avc1'"):
        vision.write_video(tmp_path / "x.mp4", np.zeros((2, 8, 8), np.uint8), codec="avc1")


def test_bad_images_get_a_keras_style_error():
    with pytest.raises(ValueError, match="Received: image of shape \\(5,\\)"):
        vision.to_grayscale(np.zeros(5))
    with pytest.raises(ValueError, match="Received: color=\\(1, 2\\)"):
        vision.draw_boxes(np.zeros((5, 5), np.uint8), [(0, 0, 2, 2)], color=(1, 2))
    with pytest.raises(ValueError, match="Received: thickness=0"):
        vision.draw_contours(np.zeros((5, 5), np.uint8), [], thickness=0)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (255, r"range \[0, 255\) for a uint8 image .* Received: value=255\.0"),
        (300, r"Received: value=300\.0"),
        (-1, r"Received: value=-1\.0"),
        (float("nan"), r"Expected a real number\. Received: value=nan"),
    ],
)
def test_a_threshold_outside_the_grey_levels_is_refused(value, message):
    with pytest.raises(ValueError, match=message):
        vision.threshold(data.coins(), value)
    # Otsu picks its own level: the value is not used.
    assert vision.threshold(data.coins(), 0, method="otsu")[0] > 0


def test_missing_opencv_gives_an_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)  # makes `import cv2` fail
    module = importlib.import_module("dlguide.vision._cv")
    with pytest.raises(ImportError, match=r'needs OpenCV: pip install "dlguide\[cv\]"'):
        vision.blur(np.zeros((5, 5), np.uint8), 3)
    assert module._INSTALL_HINT.startswith("dlguide.vision needs OpenCV")
