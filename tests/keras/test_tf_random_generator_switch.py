"""keras.backend.experimental's random-generator switch: random layers made while it is
on draw from a tf.random.Generator of their own. The values below are tf_keras 2.21's
for the same programs (printed by tf_keras, compared by hand)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.utils import random_seed

keras = tf.keras
SWITCH = keras.backend.experimental


@pytest.fixture
def generator_on(monkeypatch):
    monkeypatch.setattr(random_seed, "_use_tf_generator", False)
    assert not SWITCH.is_tf_random_generator_enabled()
    SWITCH.enable_tf_random_generator()
    assert SWITCH.is_tf_random_generator_enabled()


def _two_calls(layer, x):
    return [np.round(layer(x, training=True).numpy(), 4).tolist() for _ in range(2)]


def test_dropout_layers_draw_from_their_generator(generator_on):
    x = tf.ones([2, 6])
    assert _two_calls(keras.layers.Dropout(0.5, seed=3), x) == [
        [[0.0, 2.0, 2.0, 2.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0, 0.0, 2.0]],
        [[2.0, 2.0, 0.0, 0.0, 0.0, 0.0], [2.0, 2.0, 2.0, 0.0, 0.0, 0.0]],
    ]
    first, second = _two_calls(keras.layers.SpatialDropout1D(0.5, seed=3), tf.ones([2, 3, 4]))
    assert first[0] == [[0.0, 2.0, 2.0, 2.0]] * 3 and first[1] == [[0.0] * 4] * 3
    assert second[1] == [[2.0, 0.0, 0.0, 2.0]] * 3
    alpha = _two_calls(keras.layers.AlphaDropout(0.5, seed=3), x)[0][0]
    np.testing.assert_allclose(
        alpha, [-0.7792, 1.6656, 1.6656, 1.6656, -0.7792, -0.7792], atol=1e-4
    )


def test_noise_layers_draw_from_their_generator(generator_on):
    x = tf.ones([2, 6])
    noise = _two_calls(keras.layers.GaussianNoise(0.5, seed=3), x)
    np.testing.assert_allclose(
        noise[0][0], [0.7818, 0.0183, 0.9677, 0.4716, 1.501, 1.3368], atol=1e-4
    )
    dropout = _two_calls(keras.layers.GaussianDropout(0.5, seed=3), x)
    np.testing.assert_allclose(
        dropout[1][0], [0.7362, 1.5285, 1.0399, 3.1032, 1.5142, 2.7439], atol=1e-4
    )


def test_unseeded_layers_take_seeds_from_set_random_seed(generator_on):
    keras.utils.set_random_seed(5)
    out = keras.layers.Dropout(0.5)(tf.ones([2, 6]), training=True)
    assert out.numpy().tolist() == [[0.0, 2.0, 2.0, 0.0, 2.0, 2.0], [2.0, 2.0, 0.0, 2.0, 0.0, 0.0]]


def test_rnn_dropout_masks_come_from_the_cells_generator(generator_on):
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 3, 4)
    keras.utils.set_random_seed(11)
    lstm = keras.layers.LSTM(
        2,
        dropout=0.5,
        recurrent_dropout=0.3,
        kernel_initializer="ones",
        recurrent_initializer="ones",
    )
    np.testing.assert_allclose(
        lstm(x, training=True).numpy(), [[-0.08355, -0.08355], [0.9897, 0.9897]], atol=1e-5
    )


def test_layers_made_after_disabling_use_the_legacy_ops(generator_on):
    SWITCH.disable_tf_random_generator()
    assert not SWITCH.is_tf_random_generator_enabled()
    keras.utils.set_random_seed(5)
    out = keras.layers.Dropout(0.5, seed=3)(tf.ones([2, 6]), training=True)
    assert out.numpy().tolist() == [[0.0, 2.0, 2.0, 0.0, 0.0, 2.0], [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]]
