"""SpectralNormalization: the harness, the power-iteration estimate converging to the
largest singular value, zero kernels, tf.function updates, gradients."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test


def test_harness():
    run_layer_test(
        layers.SpectralNormalization,
        {"layer": layers.Dense(3), "power_iterations": 2},
        (2, 4),
        (2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
        check_training=False,
    )


def test_kernel_reaches_spectral_norm_one():
    layer = layers.SpectralNormalization(layers.Dense(4), power_iterations=20)
    x = tf.ones((1, 6))
    layer(x)
    layer(x, training=True)
    singular = np.linalg.svd(layer.layer.kernel.numpy(), compute_uv=False)
    np.testing.assert_allclose(singular[0], 1.0, rtol=1e-4)
    u = layer.vector_u.numpy()
    np.testing.assert_allclose(np.linalg.norm(u), 1.0, rtol=1e-5)


def test_inference_leaves_the_kernel():
    layer = layers.SpectralNormalization(layers.Dense(2))
    layer(tf.ones((1, 3)))
    before = layer.layer.kernel.numpy().copy()
    layer(tf.ones((1, 3)), training=False)
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), before)


def test_zero_kernel_is_left_alone():
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    layer(tf.ones((1, 3)))
    u = layer.vector_u.numpy().copy()
    out = layer(tf.ones((1, 3)), training=True)
    np.testing.assert_array_equal(out.numpy(), np.zeros((1, 2)))
    np.testing.assert_array_equal(layer.vector_u.numpy(), u)


def test_updates_inside_tf_function_match_eager():
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 5)).astype("float32"))
    tf.keras.utils.set_random_seed(4)
    eager = layers.SpectralNormalization(layers.Dense(3))
    eager(x)
    tf.keras.utils.set_random_seed(4)
    traced = layers.SpectralNormalization(layers.Dense(3))
    traced(x)
    step = tf.function(lambda v: traced(v, training=True))
    for _ in range(2):
        want = eager(x, training=True).numpy()
        np.testing.assert_allclose(step(x).numpy(), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(traced.vector_u.numpy(), eager.vector_u.numpy(), rtol=1e-5)


def test_gradients_through_the_wrapped_layer():
    layer = layers.SpectralNormalization(layers.Dense(2, dtype="float64"), dtype="float64")
    x = np.random.default_rng(1).normal(size=(2, 3))
    layer(x)
    check_layer_gradients(layer, x)


def test_errors():
    with pytest.raises(ValueError, match="`power_iterations` should be greater than zero"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="ReLU object has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.ReLU())(tf.ones((1, 2)))


def test_fit_normalizes_and_the_model_saves(tmp_path):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4,)),
            layers.SpectralNormalization(layers.Dense(3), power_iterations=10),
            layers.GaussianDropout(0.2),
        ]
    )
    model.compile("sgd", "mse")
    before = model.layers[0].vector_u.numpy().copy()
    model.fit(np.ones((8, 4)), np.zeros((8, 3)), epochs=1, verbose=0)
    assert not np.allclose(model.layers[0].vector_u.numpy(), before)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
