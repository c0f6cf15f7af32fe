"""Losses built from a functional model's own Keras tensors.

Two routes run the lecture notes' VAE: ``model.add_loss(keras_tensor)`` (the KL
term becomes part of the model) and graph-era Keras' loss closure, where a loss
function passed to ``compile`` reads intermediate Keras tensors that stand for
their values in the same forward pass (``keras_tensor.step_values``). Also the
pieces they need: backend functions and ``TFOpLambda`` layers on Keras tensors,
``K.shape`` inside a trace, and TF's top-level Keras aliases.
"""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend as K
from tensorflux.keras.models.tf_op_layer import TFOpLambda

X = np.random.default_rng(0).uniform(size=(8, 3)).astype("float32")


def _model():
    inputs = tf.keras.Input(shape=(3,))
    hidden = tf.keras.layers.Dense(2, name="hidden")(inputs)
    outputs = tf.keras.layers.Dense(3, name="out")(hidden)
    return tf.keras.Model(inputs, outputs), hidden


def test_tf_op_lambda_resolves_function_names():
    layer = TFOpLambda("math.reduce_mean")
    assert layer.name.startswith("tf.math.reduce_mean")
    np.testing.assert_allclose(layer(tf.constant([[1.0, 3.0]]), axis=-1).numpy(), [2.0])
    assert TFOpLambda.from_config(layer.get_config()).function == "math.reduce_mean"
    with pytest.raises(ValueError, match="unknown function 'math.no_such_op'.*'math.exp'"):
        TFOpLambda("math.no_such_op")


def test_backend_functions_on_keras_tensors_record_layers():
    inputs = tf.keras.Input(shape=(3,))
    out = K.mean(K.square(inputs) + K.exp(inputs), axis=-1)
    assert out.shape.as_list() == [None]
    model = tf.keras.Model(inputs, out)
    names = [layer.name for layer in model.layers[1:]]
    assert names[0].startswith("tf.math.square") and names[-1].startswith("tf.math.reduce_mean")
    np.testing.assert_allclose(model(X).numpy(), (X**2 + np.exp(X)).mean(-1), rtol=1e-6)
    np.testing.assert_allclose(K.mean(K.square(X), axis=-1).numpy(), (X**2).mean(-1), rtol=1e-6)


def test_functional_add_loss_of_keras_tensors():
    model, hidden = _model()
    model.add_loss(K.mean(K.square(hidden)))
    assert any(layer.name.startswith("tf.math.square") for layer in model.layers)
    model(X)
    expected = np.mean(model.get_layer("hidden")(X).numpy() ** 2)
    assert len(model.losses) == 1
    assert float(model.losses[0]) == pytest.approx(expected, rel=1e-6)
    model(X[:2])
    assert len(model.losses) == 1  # recomputed per call, not accumulated


def test_add_loss_is_part_of_training():
    model, hidden = _model()
    model.add_loss(10.0 * K.mean(K.square(hidden)))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    y = np.zeros((8, 3), "float32")
    before = model.evaluate(X, y, verbose=0)
    mse = float(np.mean(model.predict(X, verbose=0) ** 2))
    penalty = 10.0 * float(np.mean(model.get_layer("hidden")(X).numpy() ** 2))
    assert before == pytest.approx(mse + penalty, rel=1e-5)
    model.fit(X, y, epochs=20, batch_size=8, verbose=0)
    assert model.evaluate(X, y, verbose=0) < before


def test_add_loss_of_an_unrelated_keras_tensor_is_refused():
    model, _ = _model()
    other = tf.keras.Input(shape=(3,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        model.add_loss(K.mean(other))


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_compiled_loss_may_read_the_models_keras_tensors(run_eagerly):
    """Graph-era Keras: the loss closure sees ``hidden`` as computed in the same pass."""
    model, hidden = _model()

    def loss(y_true, y_pred):
        return tf.keras.losses.mse(y_true, y_pred) + K.mean(K.square(hidden), axis=-1)

    model.compile(optimizer="sgd", loss=loss, run_eagerly=run_eagerly)
    y = np.zeros((8, 3), "float32")
    value = model.evaluate(X, y, verbose=0)
    expected = np.mean(model.predict(X, verbose=0) ** 2) + np.mean(
        model.get_layer("hidden")(X).numpy() ** 2
    )
    assert value == pytest.approx(expected, rel=1e-5)
    history = model.fit(X, y, epochs=3, batch_size=4, verbose=0)
    assert len(history.history["loss"]) == 3


def test_compiled_loss_with_keras_tensor_built_outside_the_loss():
    model, hidden = _model()
    penalty = 1 + K.sum(hidden, axis=-1)  # built before compile: derived on demand

    model.compile(optimizer="sgd", loss=lambda t, p: tf.keras.losses.mse(t, p) + penalty)
    y = np.zeros((8, 3), "float32")
    expected = np.mean(model.predict(X, verbose=0) ** 2) + np.mean(
        1 + model.get_layer("hidden")(X).numpy().sum(-1)
    )
    assert model.evaluate(X, y, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_keras_tensor_the_pass_cannot_compute_names_add_loss():
    model, _ = _model()
    stranger = tf.keras.Input(shape=(3,))
    model.compile(optimizer="sgd", loss=lambda t, p: tf.keras.losses.mse(t, p) + K.sum(stranger))
    with pytest.raises(ValueError, match=r"model.add_loss\(loss_tensor\)"):
        model.fit(X, np.zeros((8, 3), "float32"), verbose=0)


def test_keras_tensor_in_eager_math_names_add_loss():
    _, hidden = _model()
    with pytest.raises(TypeError, match=r"model.add_loss\(loss\)"):
        tf.constant(1.0) + hidden


def test_backend_shape_in_a_trace_sizes_random_tensors():
    @tf.function
    def noise_like(x):
        return K.random_normal(shape=(K.shape(x)[0], K.int_shape(x)[1]))

    assert noise_like(tf.zeros((5, 2))).shape == (5, 2)
    assert noise_like(tf.zeros((3, 2))).shape == (3, 2)
    np.testing.assert_array_equal(K.shape(tf.zeros((4, 1))).numpy(), [4, 1])


def test_top_level_keras_aliases():
    assert tf.initializers.RandomNormal is tf.keras.initializers.RandomNormal
    assert tf.losses.SparseCategoricalCrossentropy is tf.keras.losses.SparseCategoricalCrossentropy
    assert tf.optimizers.Adam is tf.keras.optimizers.Adam
    assert tf.metrics.Mean is tf.keras.metrics.Mean
