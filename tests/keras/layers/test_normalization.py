"""BatchNormalization, LayerNormalization, UnitNormalization: the harness, finite-
difference gradients in float64, moving statistics (eagerly and in tf.function),
errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test

HARNESS = [
    (layers.BatchNormalization, {}, (4, 3), 2, 2),
    (layers.BatchNormalization, {"axis": 1, "center": False}, (2, 3, 4, 4), 1, 2),
    (layers.BatchNormalization, {"axis": [1, 2]}, (4, 2, 3), 2, 2),
    (layers.LayerNormalization, {}, (2, 3, 4), 2, 0),
    (layers.LayerNormalization, {"axis": [1, 2], "scale": False}, (2, 3, 4), 1, 0),
    (layers.UnitNormalization, {"axis": [1, 2]}, (2, 3, 4), 0, 0),
]


@pytest.mark.parametrize("cls, kwargs, shape, n_trainable, n_fixed", HARNESS)
def test_harness(cls, kwargs, shape, n_trainable, n_fixed):
    run_layer_test(
        cls,
        kwargs,
        shape,
        shape,
        expected_num_trainable_weights=n_trainable,
        expected_num_non_trainable_weights=n_fixed,
        supports_masking=True,
    )


def _randomized(layer, shape):
    layer.build(shape)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.uniform(0.5, 1.5, size=w.shape.as_list()) for w in layer.weights])
    return layer


@pytest.mark.parametrize(
    "kwargs, training", [({}, True), ({}, False), ({"axis": 1}, True), ({"axis": [1, 2]}, True)]
)
def test_batch_norm_gradients(kwargs, training):
    shape = (4, 2, 3)
    layer = _randomized(layers.BatchNormalization(dtype="float64", **kwargs), shape)
    x = np.random.default_rng(0).normal(size=shape)
    check_layer_gradients(layer, x, training=training)


@pytest.mark.parametrize("kwargs", [{}, {"axis": 1}, {"axis": [1, 2], "epsilon": 0.1}])
def test_layer_norm_gradients(kwargs):
    shape = (2, 3, 4)
    layer = _randomized(layers.LayerNormalization(dtype="float64", **kwargs), shape)
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=shape))


def test_unit_norm_gradients():
    layer = layers.UnitNormalization(dtype="float64")
    check_layer_gradients(layer, np.random.default_rng(0).normal(size=(2, 3)))


def test_batch_norm_moving_statistics_in_tf_function():
    x = tf.constant(np.random.default_rng(0).normal(size=(8, 3)).astype("float32"))
    eager, traced = layers.BatchNormalization(momentum=0.5), layers.BatchNormalization(momentum=0.5)
    step = tf.function(lambda v: traced(v, training=True))
    for _ in range(3):
        eager(x, training=True)
        step(x)
    for a, b in zip(eager.get_weights(), traced.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    mean = x.numpy().mean(axis=0)
    np.testing.assert_allclose(eager.moving_mean.numpy(), mean * (1 - 0.5**3), rtol=1e-5)


def test_batch_norm_inference_and_frozen_layer_use_moving_statistics():
    layer = layers.BatchNormalization(name="bn")
    x = tf.constant([[1.0], [3.0]])
    np.testing.assert_allclose(layer(x).numpy(), x.numpy() / np.sqrt(1 + 1e-3), rtol=1e-6)
    layer.trainable = False
    np.testing.assert_allclose(
        layer(x, training=True).numpy(), x.numpy() / np.sqrt(1 + 1e-3), rtol=1e-6
    )
    assert layer.moving_mean.numpy()[0] == 0.0
    assert [w.name for w in layer.weights] == [
        "bn/gamma:0",
        "bn/beta:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
    ]


@pytest.mark.parametrize("cls", [layers.BatchNormalization, layers.LayerNormalization])
def test_axis_out_of_range(cls):
    with pytest.raises(
        ValueError,
        match=r"Invalid value for `axis` argument. Expected 0 <= "
        r"axis < inputs.rank \(with inputs.rank=2\). Received: axis=\(3,\)",
    ):
        cls(axis=3)(tf.ones((2, 3)))


def test_batch_norm_wrong_feature_size():
    layer = layers.BatchNormalization(name="bn")
    layer(tf.ones((2, 3)))
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "bn" is incompatible with the '
        r"layer: expected axis 1 of input shape to have value 3",
    ):
        layer(tf.ones((2, 4)))


def test_unit_norm_axis_type_error():
    with pytest.raises(TypeError, match="expected an int or a list/tuple of ints"):
        layers.UnitNormalization(axis="last")
