"""EinsumDense and GroupNormalization: the layer harness, gradients, unknown batch
sizes inside tf.function, masks, normalization statistics."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test


@pytest.mark.parametrize(
    "kwargs, input_shape, output_shape, weights",
    [
        ({"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "c"}, (2, 4), (2, 3), 2),
        (
            {"equation": "abc,cde->abde", "output_shape": (3, 2, 3)},
            (2, 3, 4),
            (2, 3, 2, 3),
            1,
        ),
        (
            {
                "equation": "...b,bc->...c",
                "output_shape": 2,
                "activation": "tanh",
                "bias_axes": "c",
            },
            (2, 3, 4),
            (2, 3, 2),
            2,
        ),
    ],
)
def test_einsum_dense_harness(kwargs, input_shape, output_shape, weights):
    run_layer_test(
        layers.EinsumDense,
        kwargs,
        input_shape,
        output_shape,
        expected_num_trainable_weights=weights,
    )


@pytest.mark.parametrize(
    "kwargs, input_shape",
    [
        ({"groups": 2}, (2, 3, 4)),
        ({"groups": -1, "axis": 1}, (2, 3, 2)),
        ({"groups": 1, "center": False}, (3, 4)),
    ],
)
def test_group_normalization_harness(kwargs, input_shape):
    weights = 1 + kwargs.get("center", True)
    run_layer_test(
        layers.GroupNormalization,
        kwargs,
        input_shape,
        input_shape,
        expected_num_trainable_weights=weights,
        supports_masking=True,
    )


def test_einsum_dense_gradients():
    layer = layers.EinsumDense(
        "abc,cd->abd",
        output_shape=(3, 2),
        bias_axes="bd",
        activation="tanh",
        bias_initializer="random_normal",
        dtype="float64",
    )
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    layer(x)
    assert [w.shape.as_list() for w in layer.weights] == [[4, 2], [3, 2]]
    check_layer_gradients(layer, x)


@pytest.mark.parametrize("kwargs", [{"groups": 2}, {"groups": 3, "axis": 1, "epsilon": 0.1}])
def test_group_normalization_gradients(kwargs):
    layer = layers.GroupNormalization(
        gamma_initializer="random_normal",
        beta_initializer="random_normal",
        dtype="float64",
        **kwargs,
    )
    x = np.random.default_rng(1).normal(size=(2, 3, 4)) * 2
    if kwargs.get("axis") == 1:
        x = x.transpose(0, 2, 1)[:, :3]
    layer(x)
    check_layer_gradients(layer, x, rtol=1e-4, atol=1e-6)


def test_group_normalization_statistics():
    x = np.random.default_rng(2).normal(3, 2, size=(4, 5, 6)).astype("float32")
    y = layers.GroupNormalization(groups=3, epsilon=0.0)(tf.constant(x)).numpy()
    groups = y.reshape(4, 5, 3, 2)
    np.testing.assert_allclose(groups.mean(axis=(1, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(groups.std(axis=(1, 3)), 1, atol=1e-4)


def test_group_normalization_mask_weights_the_moments():
    x = np.arange(8, dtype="float32").reshape(1, 8)
    mask = np.array([[True] * 4 + [False] * 4])
    layer = layers.GroupNormalization(groups=1, epsilon=0.0)
    y = layer(tf.constant(x), mask=tf.constant(mask)).numpy()
    kept = x[0, :4]
    np.testing.assert_allclose(y[0], (x[0] - kept.mean()) / kept.std(), rtol=1e-5)


@pytest.mark.parametrize(
    "layer",
    [
        lambda: layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d"),
        lambda: layers.GroupNormalization(groups=2),
    ],
)
def test_unknown_batch_in_function(layer):
    layer = layer()
    x = np.random.default_rng(3).normal(size=(2, 5, 4)).astype("float32")
    eager = layer(tf.constant(x)).numpy()
    traced = tf.function(layer, input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    np.testing.assert_allclose(traced(tf.constant(x)).numpy(), eager, rtol=1e-5, atol=1e-6)


def test_in_a_functional_model():
    inputs = tf.keras.Input((3, 4))
    hidden = layers.EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")(inputs)
    outputs = layers.GroupNormalization(groups=2)(hidden)
    model = tf.keras.Model(inputs, outputs)
    assert model.output_shape == (None, 3, 4)
    clone = tf.keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = np.ones((2, 3, 4), "float32")
    np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)
