"""Pooling and global pooling layers against tf_keras fixtures: values, configs, output
shapes, masks, errors, summary(), and training inside models."""

import io
import json
import os
from contextlib import redirect_stdout

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import run_layer_test

with open(
    os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "pooling_layers.json")
) as f:
    FIXTURES = json.load(f)

# tf_keras' CPU kernels refuse channels-first 2-D pooling (see the error fixtures).
RUNNABLE = [
    c
    for c in FIXTURES["layers"]
    if not (
        c["class_name"].endswith("Pooling2D")
        and not c["class_name"].startswith("Global")
        and c["kwargs"].get("data_format") == "channels_first"
    )
]


def _case_id(case):
    return f"{case['class_name']}-{case['kwargs']}"


def _as_json(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("case", FIXTURES["layers"], ids=_case_id)
def test_outputs_configs_and_shapes_match_tf_keras(case):
    layer = getattr(layers, case["class_name"])(**case["kwargs"])
    x = np.array(case["x"], np.float32)
    y = layer(x)
    np.testing.assert_allclose(y.numpy(), np.array(case["y"]), rtol=1e-5, atol=1e-6)
    assert y.shape.as_list() == case["output_shape"]
    symbolic = layer.compute_output_shape((None,) + x.shape[1:])
    assert symbolic.as_list() == case["symbolic_output_shape"]
    config = _as_json(layer.get_config())
    expected = dict(case["config"])
    # Layer names count instances per session; the rest must be identical.
    config.pop("name"), expected.pop("name")
    assert config == expected
    assert list(layer.get_config()) == list(case["config"])


@pytest.mark.parametrize("case", RUNNABLE[::2], ids=_case_id)
def test_harness(case):
    x = np.array(case["x"], np.float32)
    run_layer_test(
        getattr(layers, case["class_name"]),
        case["kwargs"],
        input_data=x,
        expected_output_shape=tuple(case["output_shape"]),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
    )


def test_aliases_are_the_same_classes():
    for alias, name in FIXTURES["aliases"].items():
        assert getattr(layers, alias) is getattr(layers, name)
        assert getattr(tf.keras.layers, alias) is getattr(layers, name)


def test_defaults_as_tf_keras():
    pool = layers.MaxPooling2D()
    assert (pool.pool_size, pool.strides, pool.padding, pool.data_format) == (
        (2, 2),
        (2, 2),
        "valid",
        "channels_last",
    )
    assert layers.AveragePooling1D(pool_size=3).strides == (3,)
    assert layers.MaxPooling3D(strides=1).pool_size == (2, 2, 2)
    assert layers.AveragePooling2D(padding="SAME").padding == "same"
    assert layers.GlobalAveragePooling2D().keepdims is False


def test_default_data_format_follows_the_backend():
    backend = tf.keras.backend
    backend.set_image_data_format("channels_first")
    try:
        assert layers.MaxPooling2D().data_format == "channels_first"
        assert layers.GlobalMaxPooling3D().data_format == "channels_first"
        # As tf_keras, the 1-D layers default to channels_last whatever the backend says.
        assert layers.MaxPooling1D().data_format == "channels_last"
        assert layers.GlobalAveragePooling1D().data_format == "channels_last"
    finally:
        backend.set_image_data_format("channels_last")


@pytest.mark.parametrize("case", FIXTURES["errors"], ids=lambda c: c["fragment"][:40])
def test_errors_match_tf_keras(case):
    tf.keras.backend.clear_session()
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    with pytest.raises(Exception) as info:
        layer = getattr(layers, case["class_name"])(**kwargs)
        layer(np.ones(case["shape"], np.float32))
    assert type(info.value).__name__ == case["type"]
    assert case["fragment"] in str(info.value)


def test_global_average_pooling_1d_with_a_mask():
    mask = FIXTURES["mask"]
    x = np.array(mask["x"], np.float32)
    m = tf.constant(mask["mask"])
    np.testing.assert_allclose(
        layers.GlobalAveragePooling1D()(x, mask=m).numpy(), mask["y"], rtol=1e-5
    )
    first = layers.GlobalAveragePooling1D(data_format="channels_first")
    np.testing.assert_allclose(
        first(x.transpose(0, 2, 1), mask=m).numpy(), mask["y_first"], rtol=1e-5
    )
    assert layers.GlobalAveragePooling1D().supports_masking


def test_masked_average_after_an_embedding_in_a_model():
    inputs = tf.keras.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    pooled = layers.GlobalAveragePooling1D()(embedded)
    model = tf.keras.Model(inputs, pooled)
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    table = model.layers[1].get_weights()[0]
    expected = np.stack([table[[1, 2]].mean(0), table[3]])
    np.testing.assert_allclose(model(ids).numpy(), expected, rtol=1e-5)
    assert FIXTURES["mask"]["pooled_mask_is_none"]
    assert getattr(model(ids), "_keras_mask", None) is None


def test_summary_as_tf_keras():
    tf.keras.backend.clear_session()
    model = tf.keras.Sequential(
        [
            tf.keras.Input((12, 12, 3)),
            layers.MaxPooling2D(),
            layers.AveragePooling2D(padding="same"),
            layers.GlobalMaxPooling2D(keepdims=True),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ]
    )
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    assert buffer.getvalue() == FIXTURES["summary"]


def test_symbolic_shapes_with_unknown_sizes():
    x = tf.keras.Input((None, 10, 3))
    assert layers.MaxPooling2D()(x).shape.as_list()[2:] == [5, 3]
    assert layers.MaxPooling2D().compute_output_shape((None, None, 10, 3)).as_list() == [
        None,
        None,
        5,
        3,
    ]
    assert layers.AveragePooling2D(3, 1, "same")(x).shape.as_list() == [None, None, 10, 3]
    assert layers.GlobalMaxPooling2D()(x).shape.as_list() == [None, 3]
    seq = tf.keras.Input((None, 4))
    assert layers.MaxPooling1D(padding="same")(seq).shape.as_list() == [None, None, 4]


def test_a_small_convolution_free_model_trains_with_fit():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8, 8, 2)).astype(np.float32)
    y = (x[:, :4, :4, 0].mean(axis=(1, 2)) > 0).astype(np.int32)
    tf.random.set_seed(0)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 2)),
            layers.MaxPooling2D(),
            layers.AveragePooling2D(1),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model3d = tf.keras.Sequential(
        [
            tf.keras.Input((4, 4, 4, 1)),
            layers.MaxPooling3D(),
            layers.GlobalAveragePooling3D(),
            layers.Dense(1),
        ]
    )
    model3d.compile("sgd", "mse")
    model3d.fit(rng.standard_normal((8, 4, 4, 4, 1)), rng.standard_normal((8, 1)), verbose=0)


def test_layer_gradients_reach_the_input():
    x = tf.constant(np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layers.MaxPooling2D()(x)
    grad = tape.gradient(y, x).numpy()
    assert grad.sum() == 8 and grad[0, 1, 1].tolist() == [1, 1]
