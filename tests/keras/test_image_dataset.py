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
def test_a_block_of_files_loads_as_the_ops_load_each(tmp_path, method, channels, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from tensorflux.keras.utils import image_dataset

    # Images of two sizes, resized together, and one large enough to be resized alone.
    monkeypatch.setattr(image_dataset, "_BATCHED_RESIZE_BYTES", 30 * 40 * 3)
    rng = np.random.default_rng(5)
    paths = []
    for index, (fmt, shape) in enumerate(
        [
            ("JPEG", (13, 17)),
            ("PNG", (13, 17)),
            ("PNG", (8, 21)),
            ("JPEG", (31, 40)),
            ("PNG", (13, 17)),
        ]
    ):
        paths.append(str(tmp_path / f"{index}.{fmt.lower()}"))
        Image.fromarray(rng.integers(0, 256, (*shape, 3)).astype(np.uint8)).save(paths[-1], fmt)
    with ThreadPoolExecutor(2) as pool:
        got = image_dataset._load_block(paths, pool, (9, 11), channels, method, False)
    for path, image in zip(paths, got, strict=True):
        decoded = tf.io.decode_image(tf.io.read_file(path), channels, expand_animations=False)
        want = tf.image.resize(decoded, (9, 11), method=method).numpy()
        assert image.dtype == want.dtype
        np.testing.assert_array_equal(image, want)
