"""keras.utils.image_dataset_from_directory and the image file helpers, against
tf_keras (fixtures from tests/ops/record_image_fixtures.py on the same generated folder)."""

from __future__ import annotations

import io
import json
import os
import pathlib
from contextlib import redirect_stdout

import numpy as np
import pytest
from PIL import Image

import tensorflux as tf
from tests.ops.record_image_fixtures import make_image_folder

FIXTURES = json.loads(
    (pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "image_ops.json").read_text()
)["directory"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("images"))
    make_image_folder(root, Image)
    return root


def _load(root, kwargs):
    out = io.StringIO()
    with redirect_stdout(out):
        result = tf.keras.utils.image_dataset_from_directory(root, **kwargs)
    return result, out.getvalue()


@pytest.mark.parametrize("case", FIXTURES, ids=[str(i) for i in range(len(FIXTURES))])
def test_matches_tf_keras(folder, case):
    result, printed = _load(folder, case["kwargs"])
    assert printed == case["printed"]
    datasets = result if isinstance(result, (list, tuple)) else [result]
    assert len(datasets) == len(case["datasets"])
    for ds, want in zip(datasets, case["datasets"]):
        assert ds.class_names == want["class_names"]
        assert [os.path.relpath(p, folder) for p in ds.file_paths] == want["file_paths"]
        if "spec" in want:
            assert str(ds.element_spec) == want["spec"]
            continue
        elements = list(ds.as_numpy_iterator())
        assert len(elements) == len(want["elements"])
        for got, expected in zip(elements, want["elements"]):
            got = got if isinstance(got, tuple) else (got,)
            for part, entry in zip(got, expected):
                value = np.asarray(entry["out"], entry["dtype"]).reshape(entry["shape"])
                assert part.dtype == value.dtype and part.shape == value.shape
                np.testing.assert_allclose(part, value, atol=2e-4)


def test_seeded_subsets_are_disjoint_and_cover_the_files(folder):
    (train, val), _ = _load(
        folder,
        {
            "seed": 11,
            "validation_split": 0.5,
            "subset": "both",
            "batch_size": 3,
            "image_size": (4, 4),
        },
    )
    assert not set(train.file_paths) & set(val.file_paths)
    assert len(train.file_paths) + len(val.file_paths) == 12
    labels = np.concatenate([y for _, y in train.as_numpy_iterator()])
    assert sorted(labels.tolist()) == sorted(
        [
            "ants bees cats".split().index(
                p.split(os.sep)[-2] if "more" not in p else p.split(os.sep)[-3]
            )
            for p in train.file_paths
        ]
    )


def test_trains_a_model_in_fit(folder):
    ds, _ = _load(folder, {"image_size": (8, 8), "batch_size": 4, "seed": 1})
    model = tf.keras.Sequential(
        [tf.keras.layers.Flatten(input_shape=(8, 8, 3)), tf.keras.layers.Dense(3)]
    )
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"validation_split": 0.2}, ValueError, "If `subset` is set, `validation_split` must"),
        ({"validation_split": 0.2, "subset": "training"}, ValueError, "provide a `seed`"),
        ({"validation_split": 1.5, "subset": "training", "seed": 1}, ValueError, "between 0 and 1"),
        ({"subset": "test", "validation_split": 0.2, "seed": 1}, ValueError, '"both"'),
        ({"label_mode": "sparse"}, ValueError, "`label_mode` argument must be one of"),
        ({"color_mode": "bgr"}, ValueError, "`color_mode` must be one of"),
        ({"label_mode": "binary"}, ValueError, "exactly 2"),
        ({"class_names": ["ants", "wasps"]}, ValueError, "did not match"),
        ({"labels": "folders"}, ValueError, "list/tuple of integer labels"),
        ({"labels": [0, 1]}, ValueError, "Expected the lengths of `labels`"),
        ({"interpolation": "cubic"}, NotImplementedError, "interpolation"),
        ({"image_size": (0, 4)}, ValueError, "image_size"),
        ({"shuffle_files": True}, TypeError, "Unknown keywords"),
    ],
)
def test_bad_arguments(folder, kwargs, error, message):
    with pytest.raises(error, match=message):
        _load(folder, kwargs)


def test_empty_folder_and_other_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="No images found in directory"):
        _load(str(tmp_path), {})


def test_grayscale_bmp_and_corrupt_file_errors(folder, tmp_path):
    ds, _ = _load(folder, {"color_mode": "grayscale", "shuffle": False})
    with pytest.raises(tf.errors.InvalidArgumentError, match="for BMP"):
        list(ds)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    ds, _ = _load(str(tmp_path), {})
    with pytest.raises(tf.errors.InvalidArgumentError, match="broken.png: Invalid PNG"):
        list(ds)


def test_image_file_helpers(tmp_path):
    pixels = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3) * 10
    path = str(tmp_path / "x.png")
    tf.keras.utils.save_img(path, pixels, scale=False)
    img = tf.keras.utils.load_img(path)
    assert img.size == (3, 2) and img.mode == "RGB"
    np.testing.assert_array_equal(tf.keras.utils.img_to_array(img), pixels)
    grey = tf.keras.utils.load_img(path, color_mode="grayscale", target_size=(4, 6))
    assert tf.keras.utils.img_to_array(grey).shape == (4, 6, 1)
    cropped = tf.keras.utils.load_img(path, target_size=(2, 2), keep_aspect_ratio=True)
    assert cropped.size == (2, 2)
    scaled = tf.keras.utils.img_to_array(tf.keras.utils.array_to_img(pixels))
    assert scaled.max() == 255 and scaled.min() == 0
    assert tf.keras.utils.img_to_array(img, data_format="channels_first").shape == (3, 2, 3)
    with pytest.raises(ValueError, match="rank 3"):
        tf.keras.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="color_mode"):
        tf.keras.utils.load_img(path, color_mode="cmyk")
    with pytest.raises(TypeError, match="path should be path-like"):
        tf.keras.utils.load_img(3)


def test_smart_resize_and_preprocessing_names():
    image = np.arange(4 * 8, dtype=np.float32).reshape(4, 8, 1)
    out = tf.keras.preprocessing.image.smart_resize(image, (2, 2))
    assert isinstance(out, np.ndarray) and out.shape == (2, 2, 1)
    np.testing.assert_allclose(out[..., 0], [[6.5, 8.5], [22.5, 24.5]])
    assert (
        tf.keras.preprocessing.image_dataset_from_directory
        is tf.keras.utils.image_dataset_from_directory
    )


@pytest.mark.parametrize("method", ["bilinear", "nearest", "area"])
@pytest.mark.parametrize("channels", [1, 3])
def test_a_chunk_of_files_loads_as_the_ops_load_each(tmp_path, method, channels, monkeypatch):
    from tensorflux.keras.utils import image_dataset

    # Images of two sizes, resized together, and one large enough to be resized alone;
    # JPEGs of one size and kind decoded into one array, and grey ones among colour ones.
    monkeypatch.setattr(image_dataset, "_BATCHED_RESIZE_BYTES", 30 * 40 * 3)
    rng = np.random.default_rng(5)
    paths = []
    for index, (fmt, shape) in enumerate(
        [
            ("JPEG", (13, 17, 3)),
            ("PNG", (13, 17, 3)),
            ("JPEG", (8, 21, 1)),
            ("JPEG", (13, 17, 3)),
            ("PNG", (8, 21, 3)),
            ("JPEG", (31, 40, 3)),
            ("JPEG", (8, 21, 1)),
            ("PNG", (13, 17, 3)),
            ("JPEG", (13, 17, 3)),
        ]
    ):
        paths.append(str(tmp_path / f"{index}.{fmt.lower()}"))
        pixels = rng.integers(0, 256, shape).astype(np.uint8)
        Image.fromarray(pixels.squeeze(-1) if shape[-1] == 1 else pixels).save(paths[-1], fmt)
    got = image_dataset._load_chunk(paths, (9, 11), channels, method, False)
    for path, image in zip(paths, got, strict=True):
        decoded = tf.io.decode_image(tf.io.read_file(path), channels, expand_animations=False)
        want = tf.image.resize(decoded, (9, 11), method=method).numpy()
        assert image.dtype == want.dtype
        np.testing.assert_array_equal(image, want)


def test_plain_jpegs_of_one_size_decode_into_one_array(tmp_path):
    from tensorflux.ops import jpeg_pixels

    rng = np.random.default_rng(6)
    datas = []
    for shape in [(12, 10, 3), (7, 9, 3), (12, 10, 3), (12, 10), (12, 10, 3)]:
        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, shape).astype(np.uint8)).save(buffer, "JPEG")
        datas.append(buffer.getvalue())
    datas[4] = datas[4][: len(datas[4]) // 2]  # truncated: left to the full reader
    groups, left = jpeg_pixels.plain_jpegs_together(datas, 3, 1 << 20)
    assert [positions for positions, _ in groups] == [[0, 2], [1]] and left == [3, 4]
    for positions, pixels in groups:
        for position, image in zip(positions, pixels, strict=True):
            np.testing.assert_array_equal(image, jpeg_pixels.plain_jpeg_pixels(datas[position]))
    groups, left = jpeg_pixels.plain_jpegs_together(datas, 1, 1 << 20)
    assert [positions for positions, _ in groups] == [[3]] and left == [0, 1, 2, 4]
    groups, left = jpeg_pixels.plain_jpegs_together(datas, 3, 12 * 10 * 3 - 1)
    assert [positions for positions, _ in groups] == [[1]] and left == [0, 2, 3, 4]
    assert jpeg_pixels.plain_jpegs_together(datas[4:], 3, 1 << 20) == ([], [0])


@pytest.mark.parametrize("batch_size", [None, 2, 5, 32])
def test_chunks_decoded_ahead_come_in_the_order_of_the_files(tmp_path, monkeypatch, batch_size):
    from tensorflux.keras.utils import image_dataset

    monkeypatch.setattr(image_dataset, "_CHUNK_FILES", 3)
    for i in range(23):
        folder = tmp_path / "ab"[i % 2]
        folder.mkdir(exist_ok=True)
        Image.fromarray(np.full((4, 6, 3), i * 10, np.uint8)).save(folder / f"{i:02d}.png")
    ds, _ = _load(str(tmp_path), {"image_size": (2, 3), "batch_size": batch_size, "shuffle": False})
    parts = list(ds.as_numpy_iterator())
    if batch_size is None:
        images = np.stack([image for image, _ in parts])
        labels = np.stack([label for _, label in parts])
    else:
        assert [len(labels) for _, labels in parts[:-1]] == [batch_size] * (len(parts) - 1)
        images = np.concatenate([images for images, _ in parts])
        labels = np.concatenate([labels for _, labels in parts])
    numbers = [int(os.path.basename(path)[:2]) for path in ds.file_paths]
    np.testing.assert_array_equal(images[:, 0, 0, 0], np.asarray(numbers, np.float32) * 10)
    np.testing.assert_array_equal(labels, [n % 2 for n in numbers])
    # An iterator dropped after a few elements leaves no work behind that blocks the next.
    iterator = iter(ds)
    next(iterator)
    del iterator
    assert len(list(ds)) == len(parts)


def test_a_damaged_file_fails_in_its_place_and_the_next_read_goes_on(tmp_path, monkeypatch):
    # As tf_keras 2.21: images 0 and 1, the error for 2, then 3, 4 and 5.
    from tensorflux.keras.utils import image_dataset

    monkeypatch.setattr(image_dataset, "_CHUNK_FILES", 2)
    (tmp_path / "a").mkdir()
    for i in range(6):
        Image.fromarray(np.full((3, 3, 3), i, np.uint8)).save(tmp_path / "a" / f"{i}.png")
    (tmp_path / "a" / "2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    ds, _ = _load(str(tmp_path), {"image_size": (3, 3), "batch_size": None, "shuffle": False})
    iterator = iter(ds)
    firsts = [next(iterator)[0].numpy()[0, 0, 0] for _ in range(2)]
    with pytest.raises(tf.errors.InvalidArgumentError, match="2.png: Invalid PNG"):
        next(iterator)
    lasts = [image.numpy()[0, 0, 0] for image, _ in iterator]
    assert firsts == [0, 1] and lasts == [3, 4, 5]
