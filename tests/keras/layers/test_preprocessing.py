"""Image preprocessing layers against tf_keras (fixtures from
tests/keras/record_preprocessing_fixtures.py), their statistics while training, the
identity at inference, and use in fit and Dataset.map."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.layers.preprocessing import preprocessing_utils as utils
from tensorflux.testing.layer_test import run_layer_test

FIXTURES = json.loads(
    (
        pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "preprocessing_layers.json"
    ).read_text()
)
INPUTS = {
    k: np.asarray(v["values"], v["dtype"]).reshape(v["shape"])
    for k, v in FIXTURES["inputs"].items()
}
RANDOM_LAYERS = [
    (tf.keras.layers.RandomFlip, {}),
    (tf.keras.layers.RandomRotation, {"factor": 0.3}),
    (tf.keras.layers.RandomZoom, {"height_factor": 0.3}),
    (tf.keras.layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2}),
    (tf.keras.layers.RandomContrast, {"factor": 0.5}),
    (tf.keras.layers.RandomBrightness, {"factor": 0.2}),
    (tf.keras.layers.RandomHeight, {"factor": 0.3}),
    (tf.keras.layers.RandomWidth, {"factor": 0.3}),
    (tf.keras.layers.RandomCrop, {"height": 3, "width": 3}),
]


def _expected(entry):
    return np.asarray(entry["out"], entry["dtype"]).reshape(entry["shape"])


@pytest.mark.parametrize("case", FIXTURES["configs"], ids=[c["class"] for c in FIXTURES["configs"]])
def test_config_matches_tf_keras(case):
    layer = getattr(tf.keras.layers, case["class"])(**case["kwargs"])
    config = layer.get_config()
    config.pop("name")
    want = dict(case["config"])
    want.pop("rng_type", None)  # tf_keras' choice of random generator: not ours to copy
    for key in ("factor", "height_factor", "width_factor", "value_range"):
        if isinstance(config.get(key), tuple):
            config[key] = list(config[key])
    assert config == want
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


@pytest.mark.parametrize("case", FIXTURES["outputs"], ids=[c["class"] for c in FIXTURES["outputs"]])
def test_deterministic_outputs_match_tf_keras(case):
    layer = getattr(tf.keras.layers, case["class"])(**case["kwargs"])
    out = layer(INPUTS[case["input"]], training=False)
    want = _expected(case)
    assert out.dtype.name == want.dtype.name and out.shape == want.shape
    np.testing.assert_allclose(out.numpy(), want, atol=2e-4 * max(1, np.abs(want).max()))


_TRANSFORMS = FIXTURES["transforms"]


@pytest.mark.parametrize(
    "case",
    _TRANSFORMS,
    ids=[f"{c['kind']}-{c['fill_mode']}-{c['interpolation']}" for c in _TRANSFORMS],
)
def test_projective_transforms_match_tf_keras(case):
    images = tf.constant(INPUTS["f32"])
    height, width = INPUTS["f32"].shape[1:3]
    if case["kind"] == "rotation":
        matrix = utils.rotation_matrices(tf.constant(FIXTURES["angles"]), height, width)
    elif case["kind"] == "zoom":
        matrix = utils.zoom_matrices(tf.constant(FIXTURES["zooms"]), height, width)
    else:
        matrix = utils.translation_matrices(tf.constant(FIXTURES["shifts"]))
    np.testing.assert_allclose(matrix.numpy(), case["matrix"], atol=1e-6)
    out = utils.transform(images, matrix, case["fill_mode"], 0.5, case["interpolation"])
    np.testing.assert_allclose(out.numpy(), _expected(case), atol=1e-4)


@pytest.mark.parametrize("case", FIXTURES["errors"], ids=[c["class"] for c in FIXTURES["errors"]])
def test_constructor_errors_match_tf_keras(case):
    error = {"ValueError": ValueError, "NotImplementedError": NotImplementedError}[case["type"]]
    with pytest.raises(error) as info:
        getattr(tf.keras.layers, case["class"])(**case["kwargs"])
    message = case["message"]
    if case["class"] in ("RandomFlip",):
        message = message.split(" received")[1]
    if "Supported values are" in message:
        message = message.split(" Supported")[0]
    assert message in str(info.value)


@pytest.mark.parametrize("cls, kwargs", RANDOM_LAYERS, ids=[c.__name__ for c, _ in RANDOM_LAYERS])
def test_identity_at_inference_and_active_in_training(cls, kwargs):
    x = INPUTS["u8"].astype(np.float32)
    layer = cls(seed=7, **kwargs)
    if cls is tf.keras.layers.RandomCrop:
        assert layer(x, training=True).shape == (2, 3, 3, 3)
        return
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    model = tf.keras.Sequential([tf.keras.Input((5, 6, 3)), cls(seed=7, **kwargs)])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    tf.random.set_seed(3)
    changed = [not np.array_equal(np.asarray(layer(x, training=True)), x) for _ in range(4)]
    assert any(changed)


def test_called_directly_the_augmentation_is_active_as_in_keras():
    x = np.arange(64 * 4, dtype=np.float32).reshape(64, 2, 2, 1)
    out = tf.keras.layers.RandomFlip("horizontal", seed=1)(x).numpy()
    assert not np.array_equal(out, x)


def test_flip_statistics_and_seeded_repeat():
    x = np.arange(400 * 2, dtype=np.float32).reshape(400, 1, 2, 1)
    tf.random.set_seed(11)
    out = tf.keras.layers.RandomFlip("horizontal", seed=5)(x, training=True).numpy()
    flipped = out[:, 0, 0, 0] > out[:, 0, 1, 0]
    assert 150 < flipped.sum() < 250
    tf.random.set_seed(11)
    again = tf.keras.layers.RandomFlip("horizontal", seed=5)(x, training=True).numpy()
    np.testing.assert_array_equal(out, again)


def test_rotation_and_zoom_keep_constant_images_and_move_pixels():
    flat = np.full((3, 6, 6, 1), 0.7, np.float32)
    for layer in (
        tf.keras.layers.RandomRotation(0.5),
        tf.keras.layers.RandomZoom(0.5),
        tf.keras.layers.RandomTranslation(0.3, 0.3),
    ):
        np.testing.assert_allclose(layer(flat, training=True).numpy(), flat, rtol=1e-6)
    # A quarter turn at most 0.25 of a circle: a centred dot stays within the image.
    dot = np.zeros((1, 5, 5, 1), np.float32)
    dot[0, 2, 2, 0] = 1.0
    turned = tf.keras.layers.RandomRotation((0.25, 0.25), interpolation="nearest")(
        dot, training=True
    ).numpy()
    np.testing.assert_array_equal(turned, dot)


def test_brightness_contrast_and_sides_stay_in_range():
    x = INPUTS["u8"].astype(np.float32)
    bright = tf.keras.layers.RandomBrightness(0.1)(x, training=True).numpy()
    shift = bright - x
    inside = (bright > 0) & (bright < 255)
    assert np.abs(shift[inside]).max() <= 25.5 + 1e-3
    for image in range(2):
        deltas = shift[image][inside[image]]
        assert np.ptp(deltas) < 1e-3  # one delta per image, up to float32 rounding
    contrast = tf.keras.layers.RandomContrast(0.5)(x, training=True).numpy()
    assert contrast.min() >= 0 and contrast.max() <= 255
    for _ in range(5):
        tall = tf.keras.layers.RandomHeight(0.5)(x, training=True)
        assert 2 <= tall.shape[1] <= 7 and tall.shape[2] == 6
        wide = tf.keras.layers.RandomWidth((0.5, 1.0))(x, training=True)
        assert 9 <= wide.shape[2] <= 12 and wide.shape[1] == 5


def test_layer_harness_and_experimental_names():
    run_layer_test(
        tf.keras.layers.Rescaling,
        {"scale": 0.5, "offset": 1.0},
        input_shape=(2, 3, 4, 1),
        expected_output_shape=(None, 3, 4, 1),
        expected_num_trainable_weights=0,
    )
    run_layer_test(
        tf.keras.layers.Resizing,
        {"height": 2, "width": 5},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(None, 2, 5, 3),
    )
    run_layer_test(
        tf.keras.layers.CenterCrop,
        {"height": 2, "width": 3},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(None, 2, 3, 3),
    )
    run_layer_test(
        tf.keras.layers.RandomFlip,
        {"mode": "vertical"},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(None, 4, 4, 3),
    )
    experimental = tf.keras.layers.experimental.preprocessing
    assert experimental.RandomRotation is tf.keras.layers.RandomRotation
    assert experimental.Rescaling is tf.keras.layers.Rescaling


def test_augmentation_in_dataset_map_and_fit():
    x = np.random.default_rng(0).uniform(size=(16, 6, 6, 1)).astype(np.float32)
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype(np.int32)
    augment = tf.keras.Sequential(
        [
            tf.keras.layers.RandomFlip("horizontal", seed=1),
            tf.keras.layers.RandomRotation(0.1, seed=2),
        ]
    )
    ds = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(8)
        .map(lambda a, b: (augment(a, training=True), b))
    )
    assert [a.shape for a, _ in ds] == [(8, 6, 6, 1), (8, 6, 6, 1)]
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6, 6, 1)),
            tf.keras.layers.RandomFlip("horizontal"),
            tf.keras.layers.RandomZoom(0.1),
            tf.keras.layers.Rescaling(2.0, offset=-1.0),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2),
        ]
    )
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_model_with_preprocessing_layers_saves_and_loads(tmp_path):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 3)),
            tf.keras.layers.Rescaling(1 / 255),
            tf.keras.layers.RandomFlip("horizontal", seed=1),
            tf.keras.layers.RandomRotation(0.1),
            tf.keras.layers.RandomContrast(0.2),
            tf.keras.layers.Resizing(6, 6),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2),
        ]
    )
    x = np.random.default_rng(0).uniform(0, 255, size=(2, 8, 8, 3)).astype(np.float32)
    path = str(tmp_path / "augmenting.keras")
    model.save(path)
    restored = tf.keras.models.load_model(path)
    assert [type(layer).__name__ for layer in restored.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
    np.testing.assert_allclose(
        restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5
    )
