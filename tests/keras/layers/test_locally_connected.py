"""LocallyConnected1D/2D: the harness for each implementation and data format,
gradients, agreement between implementations and with Conv when the per-position
kernels are equal, unknown batch sizes in tf.function."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("implementation", [1, 2, 3])
@pytest.mark.parametrize(
    "cls, kwargs, input_shape, output_shape",
    [
        (layers.LocallyConnected1D, {"filters": 2, "kernel_size": 2}, (2, 4, 3), (2, 3, 2)),
        (
            layers.LocallyConnected2D,
            {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
            (2, 1, 3, 3),
            (2, 2, 2, 2),
        ),
    ],
)
def test_harness(cls, kwargs, input_shape, output_shape, implementation):
    run_layer_test(
        cls,
        {**kwargs, "implementation": implementation},
        input_shape,
        output_shape,
        expected_num_trainable_weights=2,
    )


@pytest.mark.parametrize("implementation", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_gradients(implementation, data_format):
    layer = layers.LocallyConnected2D(
        2,
        (2, 2),
        strides=(1, 2),
        data_format=data_format,
        implementation=implementation,
        bias_initializer="random_normal",
        activation="tanh",
        dtype="float64",
    )
    shape = (1, 3, 4, 2) if data_format == "channels_last" else (1, 2, 3, 4)
    x = np.random.default_rng(0).normal(size=shape)
    layer(x)
    check_layer_gradients(layer, x)


def test_implementations_agree_on_shared_weights():
    x = tf.constant(np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32"))
    conv = layers.Conv1D(2, 3, strides=2, bias_initializer="random_normal")
    want = conv(x).numpy()
    kernel, bias = conv.get_weights()  # (3, 3, 2), (2,)
    one = layers.LocallyConnected1D(2, 3, strides=2, implementation=1)
    one(x)
    one.set_weights([np.stack([kernel.reshape(9, 2)] * 2), np.stack([bias] * 2)])
    np.testing.assert_allclose(one(x).numpy(), want, rtol=1e-5, atol=1e-6)
    two = layers.LocallyConnected1D(2, 3, strides=2, implementation=2)
    two(x)
    dense = np.zeros((5, 3, 2, 2), "float32")
    for o in range(2):
        dense[2 * o : 2 * o + 3, :, o, :] = kernel
    two.set_weights([dense, np.stack([bias] * 2)])
    np.testing.assert_allclose(two(x).numpy(), want, rtol=1e-5, atol=1e-6)


def test_same_padding_matches_a_masked_convolution():
    x = tf.constant(np.random.default_rng(2).normal(size=(1, 4, 4, 1)).astype("float32"))
    layer = layers.LocallyConnected2D(1, 3, padding="same", implementation=2, use_bias=False)
    layer(x)
    kernel = np.random.default_rng(3).normal(size=(3, 3, 1, 1)).astype("float32")
    dense = np.zeros((4, 4, 1, 4, 4, 1), "float32")
    for i in range(4):
        for j in range(4):
            for di in range(3):
                for dj in range(3):
                    r, c = i + di - 1, j + dj - 1
                    if 0 <= r < 4 and 0 <= c < 4:
                        dense[r, c, 0, i, j, 0] = kernel[di, dj, 0, 0]
    layer.set_weights([dense])
    conv = tf.nn.conv2d(x, kernel, 1, "SAME").numpy()
    np.testing.assert_allclose(layer(x).numpy(), conv, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("implementation", [1, 2, 3])
def test_unknown_batch_in_function(implementation):
    layer = layers.LocallyConnected1D(3, 2, implementation=implementation)
    x = tf.constant(np.random.default_rng(4).normal(size=(3, 4, 2)).astype("float32"))
    eager = layer(x).numpy()
    traced = tf.function(layer, input_signature=[tf.TensorSpec([None, 4, 2], tf.float32)])
    np.testing.assert_allclose(traced(x).numpy(), eager, rtol=1e-5, atol=1e-6)


def test_same_padding_needs_implementation_2_or_3():
    with pytest.raises(ValueError, match='only "valid" is supported if implementation is 1'):
        layers.LocallyConnected2D(2, 2, padding="same")
