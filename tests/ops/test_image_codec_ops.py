"""tf.io file and image codec ops: round trips, channel and dtype rules, damaged input,
tracing, and values against TF (fixtures recorded by record_image_fixtures.py)."""

from __future__ import annotations

import base64
import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_ops.json"


def _fixtures() -> dict:
    return json.loads(FIXTURES.read_text())


def _image(h=5, w=7, c=3, dtype=np.uint8):
    return (np.arange(h * w * c) * 7 % 256).astype(dtype).reshape(h, w, c)


def test_import_does_not_load_pillow():
    code = "import sys, tensorflux; print('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip_is_exact(channels):
    img = _image(c=channels)
    data = tf.io.encode_png(img)
    assert data.dtype is tf.string and data.shape == ()
    np.testing.assert_array_equal(tf.io.decode_png(data).numpy(), img)
    np.testing.assert_array_equal(tf.io.decode_image(data).numpy(), img)


def test_png_channel_conversions_and_uint16():
    img = _image()
    data = tf.io.encode_png(img)
    assert tf.io.decode_png(data, channels=4).numpy()[..., 3].min() == 255
    wide = tf.io.decode_png(data, dtype=tf.uint16).numpy()
    np.testing.assert_array_equal(wide, img.astype(np.uint16) * 257)
    grey16 = np.arange(12, dtype=np.uint16).reshape(3, 4, 1) * 5000
    np.testing.assert_array_equal(
        tf.io.decode_png(tf.io.encode_png(grey16), dtype=tf.uint16).numpy(), grey16
    )


def test_decode_image_dtypes_follow_convert_image_dtype():
    data = tf.io.encode_png(_image())
    as_float = tf.io.decode_image(data, dtype=tf.float32).numpy()
    np.testing.assert_allclose(as_float, _image() / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(
        tf.io.decode_image(data, dtype=tf.uint16).numpy(), _image().astype(np.uint16) * 257
    )
    jpeg = tf.io.encode_jpeg(_image())
    np.testing.assert_array_equal(
        tf.io.decode_image(jpeg, dtype=tf.uint16).numpy(),
        tf.io.decode_jpeg(jpeg).numpy().astype(np.uint16) * 256,
    )


def test_gif_frames_and_expand_animations():
    import io

    from PIL import Image

    data = tf.io.encode_png(_image())
    frames = [Image.fromarray(np.full((4, 6, 3), v, np.uint8)) for v in (0, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    gif = buffer.getvalue()
    assert tf.io.decode_gif(gif).shape == (2, 4, 6, 3)
    assert tf.io.decode_image(gif).shape == (2, 4, 6, 3)
    assert tf.io.decode_image(gif, expand_animations=False).shape == (4, 6, 3)
    assert tf.io.decode_gif(data).shape == (1, 5, 7, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels must be 0 or 3 for GIF"):
        tf.io.decode_image(gif, channels=1)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Input is empty"),
        (b"hello world", "Unknown image file format"),
    ],
)
def test_unknown_or_empty_contents(data, message):
    for fn in (tf.io.decode_image, tf.io.decode_jpeg, tf.io.decode_png):
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            fn(data)


def test_truncated_files_raise_invalid_argument():
    jpeg = tf.io.encode_jpeg(_image(16, 16)).numpy()
    png = tf.io.encode_png(_image(16, 16)).numpy()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid JPEG data"):
        tf.io.decode_jpeg(jpeg[: len(jpeg) // 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid PNG"):
        tf.io.decode_png(png[: len(png) // 2])


def test_channel_and_argument_errors():
    jpeg = tf.io.encode_jpeg(_image())
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be 0, 1, 3 or 4 but got 2"):
        tf.io.decode_jpeg(jpeg, channels=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="JPEG does not support 4"):
        tf.io.decode_jpeg(jpeg, channels=4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="using DecodeBmp"):
        tf.io.decode_bmp(jpeg)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be scalar"):
        tf.io.decode_image(tf.constant([jpeg.numpy()] * 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="quality must be in"):
        tf.io.encode_jpeg(_image(), quality=101)
    with pytest.raises(tf.errors.InvalidArgumentError, match="1 or 3 channels"):
        tf.io.encode_jpeg(_image(c=2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="compression should be in"):
        tf.io.encode_png(_image(), compression=10)


def test_read_and_write_file(tmp_path):
    path = str(tmp_path / "sub" / "a.bin")
    tf.io.write_file(path, b"\x00\x01abc")
    assert tf.io.read_file(path).numpy() == b"\x00\x01abc"
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        tf.io.read_file(str(tmp_path / "missing.png"))
    # TF 2.21: a directory is a failed precondition for both ops.
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.io.read_file(str(tmp_path / "sub"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.io.write_file(str(tmp_path / "sub"), b"x")
    # A file larger than any one read's buffer comes whole, and an empty one empty.
    large = np.random.default_rng(0).integers(0, 256, 3 << 20, dtype=np.uint8).tobytes()
    (tmp_path / "large.bin").write_bytes(large)
    assert tf.io.read_file(str(tmp_path / "large.bin")).numpy() == large
    (tmp_path / "empty.bin").write_bytes(b"")
    assert tf.io.read_file(str(tmp_path / "empty.bin")).numpy() == b""


def test_a_file_that_grew_since_its_size_was_read_comes_whole(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from tensorflux.ops import file_io_ops

    data = bytes(range(256)) * 9000
    (tmp_path / "grown.bin").write_bytes(data)
    monkeypatch.setattr(file_io_ops.os, "fstat", lambda fd: SimpleNamespace(st_size=10))
    assert file_io_ops.read_bytes(str(tmp_path / "grown.bin")) == data


def test_decoding_inside_function_and_dataset_map(tmp_path):
    path = str(tmp_path / "a.png")
    tf.io.write_file(path, tf.io.encode_png(_image()))

    @tf.function
    def load(p):
        return tf.io.decode_png(tf.io.read_file(p), channels=3)

    np.testing.assert_array_equal(load(tf.constant(path)).numpy(), _image())
    ds = tf.data.Dataset.from_tensor_slices([path, path]).map(
        lambda p: tf.io.decode_image(tf.io.read_file(p), channels=3, expand_animations=False)
    )
    assert ds.element_spec.shape.as_list() == [None, None, 3]
    assert [x.shape for x in ds] == [(5, 7, 3), (5, 7, 3)]


def test_decoded_values_match_tensorflow():
    for case in _fixtures()["decode"]:
        data = base64.b64decode(case["bytes"])
        fn = getattr(tf.io, case["fn"])
        got = fn(data, **case["kwargs"]).numpy()
        want = np.asarray(case["out"], dtype=case["dtype"]).reshape(case["shape"])
        assert got.shape == want.shape, case["name"]
        tolerance = case.get("tolerance", 0)
        assert np.abs(got.astype(int) - want.astype(int)).max() <= tolerance, case["name"]


def test_encoded_jpeg_matches_tensorflow_bytes():
    for case in _fixtures()["encode_jpeg"]:
        img = np.asarray(case["image"], dtype=np.uint8).reshape(case["shape"])
        got = tf.io.encode_jpeg(img, quality=case["quality"]).numpy()
        decoded = tf.io.decode_jpeg(got).numpy()
        want = np.asarray(case["decoded"], dtype=np.uint8).reshape(decoded.shape)
        np.testing.assert_array_equal(decoded, want)
