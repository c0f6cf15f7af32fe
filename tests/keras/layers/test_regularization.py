"""Dropout, GaussianNoise, ActivityRegularization: the harness, training-only noise,
losses, errors."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import run_layer_test


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (layers.Dropout, {"rate": 0.5}),
        (layers.Dropout, {"rate": 0.2, "noise_shape": (None, 1, 4), "seed": 3}),
        (layers.GaussianNoise, {"stddev": 0.1}),
        (layers.ActivityRegularization, {"l1": 0.1}),
    ],
)
def test_harness(cls, kwargs):
    out = run_layer_test(
        cls, kwargs, (2, 3, 4), (2, 3, 4), expected_num_trainable_weights=0, supports_masking=True
    )
    assert out.shape.as_list() == [2, 3, 4]


def test_dropout_is_identity_unless_training():
    x = tf.ones((50, 4))
    layer = layers.Dropout(0.5)
    assert layer(x) is x or np.array_equal(layer(x).numpy(), x.numpy())
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x.numpy())
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1


def test_dropout_noise_shape_drops_whole_features():
    y = layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=1)(
        tf.ones((3, 5, 6)), training=True
    ).numpy()
    assert (y == y[:, :1, :]).all()


def test_dropout_inherits_training_from_outer_call_and_runs_in_function():
    class Block(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.drop = layers.Dropout(0.5)

        def call(self, x, training=None):
            return self.drop(x)

    block = Block()
    x = tf.ones((100,))
    assert (block(x, training=True).numpy() == 0).any()
    np.testing.assert_array_equal(block(x).numpy(), x.numpy())
    traced = tf.function(lambda v: block(v, training=True))(x).numpy()
    assert (traced == 0).any() and set(np.unique(traced)) <= {0.0, 2.0}


def test_gaussian_noise_only_in_training():
    x = tf.zeros((2000,))
    layer = layers.GaussianNoise(0.5, seed=2)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    assert abs(float(tf.math.reduce_std(layer(x, training=True))) - 0.5) < 0.05


def test_activity_regularization_loss_divided_by_batch():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    layer(tf.constant([[1.0, -2.0], [0.0, 1.0]]))
    np.testing.assert_allclose(float(layer.losses[0]), (0.1 * 4 + 0.2 * 6) / 2, rtol=1e-6)


@pytest.mark.parametrize("rate", [1.5, -0.1])
def test_dropout_rate_error(rate):
    with pytest.raises(
        ValueError,
        match=f"Invalid value {rate} received for `rate`, expected a value between 0 and 1.",
    ):
        layers.Dropout(rate)
