"""JPEG/WebP extras of tf.image: extract_jpeg_shape, decode_and_crop_jpeg,
adjust_jpeg_quality and its random forms, decode_webp; values against TF (fixtures
recorded by record_image_extra_fixtures.py)."""

from __future__ import annotations

import base64
import io
import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import image_jpeg_ops as jpeg

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_extras.json"


@pytest.fixture(scope="module")
def fx():
    return json.loads(FIXTURES.read_text())["jpeg"]


def _image(fx, key):
    return np.asarray(fx["images"][key], np.uint8)


def test_variable_quality_bytes_are_tfs(fx):
    for row in fx["encode"]:
        image = _image(fx, row["image"])
        got = jpeg._encode_jpeg_variable_quality_kernel(image, np.int32(row["quality"]))
        assert got.item() == base64.b64decode(row["bytes"]), row["quality"]


def test_adjust_jpeg_quality_pixels(fx):
    for row in fx["adjust"]:
        image = _image(fx, row["image"])
        got = tf.image.adjust_jpeg_quality(image, row["quality"]).numpy()
        # Exact against TF's accurate DCT. TF's default fast DCT, which Pillow cannot
        # select, is a few levels away (mean up to 1.1 below quality 100), and far off
        # at quality 100 (mean 5 to 10, up to 40 levels), where its rounding dominates.
        np.testing.assert_array_equal(got, np.asarray(row["accurate"], np.uint8))
        distance = np.abs(got.astype(np.int32) - np.asarray(row["fast"], np.int32))
        assert distance.mean() <= (11.0 if row["quality"] == 100 else 1.2)


def test_adjust_jpeg_quality_floats_and_tracing(fx):
    image = _image(fx, "rgb")
    floats = tf.image.adjust_jpeg_quality(image.astype(np.float32) / 255.0, 75)
    assert floats.dtype.name == fx["adjust_float"]["dtype"]
    expected = tf.image.adjust_jpeg_quality(image, 75).numpy() / 255.0
    np.testing.assert_allclose(floats.numpy(), expected, atol=1e-6)
    traced = tf.function(lambda x, q: tf.image.adjust_jpeg_quality(x, q))
    np.testing.assert_array_equal(
        traced(image, tf.constant(75)).numpy(), tf.image.adjust_jpeg_quality(image, 75).numpy()
    )


def test_adjust_jpeg_quality_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"quality must be in \[0,100\]"):
        tf.image.adjust_jpeg_quality(np.zeros((2, 2, 3), np.uint8), 101)
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 or 3 channels"):
        tf.image.adjust_jpeg_quality(np.zeros((2, 2, 2), np.uint8), 50)


def test_stateless_random_jpeg_quality_draws_tfs_quality(fx):
    image = _image(fx, "rgb")
    for row in fx["stateless_draws"]:
        got = tf.image.stateless_random_jpeg_quality(image, 10, 95, row["seed"])
        want = tf.image.adjust_jpeg_quality(image, row["quality"])
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_random_jpeg_quality_draws_tfs_quality(fx):
    image = _image(fx, "grey")
    for row in fx["stateful_draws"]:
        tf.random.set_seed(row["global"])
        for quality in row["qualities"]:
            got = tf.image.random_jpeg_quality(image, 10, 95, seed=row["op"])
            want = tf.image.adjust_jpeg_quality(image, quality)
            np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize(
    "low, high, message",
    [(-1, 50, "between 0 and 100"), (10, 101, "between 0 and 100"), (50, 50, "less than")],
)
def test_random_jpeg_quality_range_errors(low, high, message):
    image = np.zeros((2, 2, 3), np.uint8)
    with pytest.raises(ValueError, match=message):
        tf.image.random_jpeg_quality(image, low, high)
    with pytest.raises(ValueError, match=message):
        tf.image.stateless_random_jpeg_quality(image, low, high, (1, 2))


def test_extract_jpeg_shape(fx):
    data = base64.b64decode(fx["file"])
    got = tf.image.extract_jpeg_shape(data)
    assert got.dtype is tf.int32 and got.numpy().tolist() == fx["shape"]
    assert tf.image.extract_jpeg_shape(data, output_type=tf.int64).dtype is tf.int64
    traced = tf.function(lambda d: tf.image.extract_jpeg_shape(d))
    assert traced(tf.constant(data)).numpy().tolist() == fx["shape"]
    grey = tf.io.encode_jpeg(np.zeros((3, 4, 1), np.uint8))
    assert tf.image.extract_jpeg_shape(grey).numpy().tolist() == [3, 4, 1]
    png = tf.io.encode_png(np.zeros((3, 4, 1), np.uint8)).numpy()
    for bad in (b"", b"abc", png):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid JPEG data, size"):
            tf.image.extract_jpeg_shape(bad)


def test_decode_and_crop_jpeg(fx):
    data = base64.b64decode(fx["file"])
    for row in fx["crops"]:
        got = tf.image.decode_and_crop_jpeg(data, row["window"]).numpy()
        want = np.asarray(row["pixels"], np.uint8)
        assert got.shape == want.shape
        # libjpeg's cropped decode upsamples chroma at a window's right side as at an
        # image edge; the full decode blends in the next chroma column there.
        np.testing.assert_array_equal(got[:, :-1], want[:, :-1])
        if row["window"][1] + row["window"][3] == 11:
            np.testing.assert_array_equal(got, want)
    full = tf.io.decode_jpeg(data).numpy()
    traced = tf.function(lambda d, w: tf.image.decode_and_crop_jpeg(d, w, channels=3))
    np.testing.assert_array_equal(traced(tf.constant(data), [1, 2, 3, 4]).numpy(), full[1:4, 2:6])
    grey = tf.image.decode_and_crop_jpeg(data, [0, 0, 2, 2], channels=1)
    assert grey.shape == (2, 2, 1)


@pytest.mark.parametrize("window", [[1, 2, 10, 4], [0, 0, 0, 1], [-1, 0, 2, 2]])
def test_decode_and_crop_jpeg_bad_windows(fx, window):
    data = base64.b64decode(fx["file"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid JPEG data or crop window"):
        tf.image.decode_and_crop_jpeg(data, window)
    with pytest.raises(tf.errors.InvalidArgumentError, match="crop_size must have four"):
        tf.image.decode_and_crop_jpeg(data, [1, 2, 3])


def _webp(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="WEBP", lossless=True)
    return buffer.getvalue()


def test_decode_webp():
    rgb = (np.arange(6 * 7 * 3) * 37 % 256).astype(np.uint8).reshape(6, 7, 3)
    data = _webp(rgb)
    for channels in (0, 3):
        got = tf.image.decode_webp(data, channels=channels)
        assert got.dtype is tf.uint8 and got.shape == (1, 6, 7, 3)
        np.testing.assert_array_equal(got.numpy()[0], rgb)
    assert tf.io.decode_webp is tf.image.decode_webp
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not match input"):
        tf.image.decode_webp(data, channels=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="only supports 3 or 4 channels"):
        tf.image.decode_webp(data, channels=1)
    rgba = np.concatenate([rgb, np.full((6, 7, 1), 255, np.uint8)], axis=-1)
    rgba[0, 0, 3] = 100
    assert tf.image.decode_webp(_webp(rgba)).shape == (1, 6, 7, 4)
    # Other formats decode as decode_image does, as in TF.
    png = tf.io.encode_png(rgb)
    np.testing.assert_array_equal(tf.image.decode_webp(png).numpy(), rgb)
    traced = tf.function(lambda d: tf.image.decode_webp(d))
    np.testing.assert_array_equal(traced(tf.constant(data)).numpy()[0], rgb)


def _jpeg_bytes(pixels, **options) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "kind, options",
    [
        ("rgb", {"quality": 90}),
        ("rgb", {"quality": 75, "subsampling": 0}),
        ("rgb", {"progressive": True}),
        ("grey", {"quality": 80}),
        ("grey", {"progressive": True}),
    ],
)
def test_plain_jpegs_decode_in_one_call_to_pillows_own_pixels(kind, options):
    from PIL import Image

    from tensorflux.ops import jpeg_pixels

    rng = np.random.default_rng(len(str(options)))
    shape = (37, 53, 3) if kind == "rgb" else (37, 53)
    data = _jpeg_bytes(rng.integers(0, 256, shape).astype(np.uint8), **options)
    fast = jpeg_pixels.plain_jpeg_pixels(data)
    assert fast is not None
    want = np.asarray(Image.open(io.BytesIO(data)))
    np.testing.assert_array_equal(fast, want if want.ndim == 3 else want[..., None])


def test_other_jpegs_are_left_to_the_full_reader():
    from PIL import Image

    from tensorflux.ops import jpeg_pixels

    rgb = np.random.default_rng(0).integers(0, 256, (16, 24, 3)).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).convert("CMYK").save(buffer, "JPEG")
    cmyk = buffer.getvalue()
    assert jpeg_pixels.jpeg_frame(cmyk)[-1] == 4
    assert jpeg_pixels.plain_jpeg_pixels(cmyk) is None  # four components, Adobe segment
    data = _jpeg_bytes(rgb)
    assert jpeg_pixels.plain_jpeg_pixels(data[: len(data) // 2]) is None  # truncated
    assert jpeg_pixels.plain_jpeg_pixels(b"\xff\xd8\xff\xd9") is None  # no frame
    # Through the op, the truncated file still raises TF's error and CMYK decodes.
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.decode_jpeg(data[: len(data) // 2])
    assert tf.io.decode_jpeg(cmyk).shape == (16, 24, 3)


@pytest.mark.parametrize("shape", [(37, 53, 3), (37, 53), (1, 1, 3), (700, 90, 3)])
def test_image_bytes_copies_the_pixels_out_in_one_call(shape, monkeypatch):
    from PIL import Image

    from tensorflux.ops import jpeg_pixels

    image = Image.fromarray(np.random.default_rng(1).integers(0, 256, shape).astype(np.uint8))
    want = image.tobytes()
    data = _jpeg_bytes(np.asarray(image) if len(shape) == 3 else np.stack([image] * 3, -1))

    def refuse(*args, **kwargs):
        raise AssertionError("tobytes called")

    monkeypatch.setattr(Image.Image, "tobytes", refuse)
    assert jpeg_pixels.image_bytes(image) == want
    groups, left = jpeg_pixels.plain_jpegs_together([data, data], 3, 1 << 22)
    assert left == [] and groups[0][1].shape == (2, shape[0], shape[1], 3)
