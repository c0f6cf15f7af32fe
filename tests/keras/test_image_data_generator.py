"""ImageDataGenerator against tf_keras (fixtures from
tests/keras/record_image_generator_fixtures.py): seeded parameters, flow order and
subsets, directory listing and labels, fit statistics; transforms and use in fit."""

from __future__ import annotations

import io
import json
import pathlib
from contextlib import redirect_stdout

import numpy as np
import pytest
from PIL import Image

import tensorflux as tf
from tensorflux.keras.preprocessing.image import ImageDataGenerator, apply_affine_transform
from tests.ops.record_image_fixtures import make_image_folder

FIXTURES = json.loads(
    (pathlib.Path(__file__).resolve().parent / "fixtures" / "image_generator.json").read_text()
)


def test_seeded_parameters_match_keras():
    generator = ImageDataGenerator(**FIXTURES["generator"])
    for seed, want in zip((1, 2), FIXTURES["params"]):
        got = generator.get_random_transform((8, 10, 3), seed=seed)
        for key, value in want.items():
            assert (got[key] is None) == (value is None), key
            if value is not None:
                assert float(got[key]) == pytest.approx(value), key


def test_flow_order_and_subsets_match_keras():
    y = np.arange(10)
    flow = ImageDataGenerator().flow(np.zeros((10, 2, 2, 1)), y, batch_size=4, seed=3)
    assert [next(flow)[1].tolist() for _ in range(4)] == FIXTURES["flow_orders"]
    assert len(flow) == 3
    split = ImageDataGenerator(validation_split=0.3)
    for subset, want in FIXTURES["subsets"].items():
        it = split.flow(
            np.zeros((10, 2, 2, 1)),
            y,
            batch_size=10,
            shuffle=False,
            subset=subset,
            ignore_class_split=True,
        )
        assert next(it)[1].tolist() == want


def test_fit_statistics_match_keras():
    data = np.asarray(FIXTURES["fit_data"])
    generator = ImageDataGenerator(
        featurewise_center=True, featurewise_std_normalization=True, rescale=1 / 255
    )
    generator.fit(data)
    np.testing.assert_allclose(generator.mean.ravel(), FIXTURES["mean"], rtol=1e-5)
    np.testing.assert_allclose(generator.std.ravel(), FIXTURES["std"], rtol=1e-5)
    out = generator.standardize(np.array(data[0], dtype=np.float32))
    np.testing.assert_allclose(out.ravel(), FIXTURES["standardized"], atol=1e-4)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("generator"))
    make_image_folder(root, Image)
    return root


@pytest.mark.parametrize("case", FIXTURES["directory"], ids=["all", "validation", "training"])
def test_flow_from_directory_matches_keras(folder, case):
    kwargs = dict(case["kwargs"])
    out = io.StringIO()
    with redirect_stdout(out):
        it = ImageDataGenerator(validation_split=0.34).flow_from_directory(folder, **kwargs)
        x, y = next(it)
    assert out.getvalue() == case["printed"]
    assert it.filenames == case["filenames"]
    assert it.classes.tolist() == case["classes"]
    assert it.class_indices == case["class_indices"]
    assert len(it) == case["len"]
    assert np.asarray(y).tolist() == case["labels"]
    assert list(x.shape) == case["x_shape"]
    np.testing.assert_allclose(x[0].ravel()[:12], case["first_pixels"], atol=1e-3)


def test_affine_transforms():
    image = np.arange(6 * 7, dtype=np.float32).reshape(6, 7, 1)
    same = apply_affine_transform(image, row_axis=0, col_axis=1, channel_axis=2)
    np.testing.assert_array_equal(same, image)
    shifted = apply_affine_transform(image, tx=1, row_axis=0, col_axis=1, channel_axis=2)
    np.testing.assert_allclose(shifted[:, :-1, 0], image[:, 1:, 0])  # as Keras: columns
    turned = apply_affine_transform(
        image, theta=90, row_axis=0, col_axis=1, channel_axis=2, order=0
    )
    assert turned.shape == image.shape
    flat = np.full((5, 5, 2), 3.0, np.float32)
    generator = ImageDataGenerator(
        rotation_range=40,
        shear_range=10,
        zoom_range=0.3,
        width_shift_range=0.2,
        fill_mode="reflect",
    )
    np.testing.assert_allclose(generator.random_transform(flat, seed=1), flat, rtol=1e-6)
    with pytest.raises(ValueError, match="fill_mode"):
        apply_affine_transform(
            image, theta=3, row_axis=0, col_axis=1, channel_axis=2, fill_mode="mirror"
        )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"validation_split": 1.5}, "strictly between 0 and 1"),
        ({"zoom_range": "big"}, "zoom_range"),
        ({"data_format": "nhwc"}, "data_format"),
        ({"brightness_range": 0.5}, "brightness_range"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**kwargs)


def test_iterators_train_a_model_without_steps(folder):
    generator = ImageDataGenerator(
        rescale=1 / 255, rotation_range=10, horizontal_flip=True, validation_split=0.34
    )
    with redirect_stdout(io.StringIO()):
        train = generator.flow_from_directory(
            folder, target_size=(8, 8), batch_size=4, subset="training", seed=1
        )
        val = generator.flow_from_directory(
            folder, target_size=(8, 8), batch_size=4, subset="validation", seed=1
        )
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["val_loss"]).all()
    x = np.random.default_rng(0).uniform(size=(12, 8, 8, 3)).astype(np.float32)
    y = tf.keras.utils.to_categorical(np.arange(12) % 4, 4)
    model.fit(generator.flow(x, y, batch_size=5), epochs=1, verbose=0)


@pytest.mark.parametrize("case", FIXTURES["affine"], ids=lambda c: str(c["kwargs"]))
def test_affine_transform_matches_keras_inside_the_image(case):
    image = np.asarray(FIXTURES["affine_image"], dtype=np.float32)
    got = apply_affine_transform(image, row_axis=0, col_axis=1, channel_axis=2, **case["kwargs"])
    want = np.asarray(case["out"]).reshape(image.shape)
    # Keras resamples with SciPy's ndimage: same maps, borders handled a little
    # differently; the pixels away from the border agree.
    np.testing.assert_allclose(got[2:-2, 2:-2], want[2:-2, 2:-2], atol=2e-3)
