"""Keras models inside a tf.function whose signature leaves the batch size unknown."""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux.testing import check_one_graph

IMAGES = tf.TensorSpec([None, 4, 4], tf.float32)
LABELS = tf.TensorSpec([None], tf.int32)


def _model():
    tf.keras.utils.set_random_seed(3)
    return tf.keras.Sequential(
        [
            tf.keras.layers.Input((4, 4)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(3),
        ]
    )


def _batch(n, seed):
    rng = np.random.default_rng(seed)
    return (
        tf.constant(rng.normal(size=(n, 4, 4)).astype(np.float32)),
        tf.constant(rng.integers(0, 3, size=n).astype(np.int32)),
    )


def test_forward_loss_and_gradients_trace_once_for_every_batch_size():
    model = _model()
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        return [loss, logits] + tape.gradient(loss, model.trainable_variables)

    check_one_graph(step, [IMAGES, LABELS], [_batch(n, n) for n in (5, 1, 3)], rtol=1e-4)


def test_custom_training_loop_with_an_optimizer_traces_once():
    model = _model()
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam(0.05)

    @tf.function(input_signature=[IMAGES, LABELS])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    x, y = _batch(12, 0)
    first = float(train_step(x, y))
    for _ in range(30):
        train_step(x[:5], y[:5])
        train_step(x[5:], y[5:])
    assert float(train_step(x, y)) < first / 2
    assert train_step.experimental_get_tracing_count() == 1


def test_flatten_of_unknown_inner_sizes():
    flatten = tf.keras.layers.Flatten()
    check_one_graph(
        lambda x: flatten(x),
        [tf.TensorSpec([None, None, 3], tf.float32)],
        [(tf.ones([2, n, 3]),) for n in (1, 2, 4)],
    )


def test_fit_traces_a_partial_last_batch_once_for_every_size_as_keras_does():
    # Keras compiles its steps with reduce_retracing: a batch of a new size gives one
    # more trace, with the batch size left unknown, which then serves every size.
    model = _model()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _batch(23, 1)
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    model.fit(x[:21], y[:21], batch_size=8, epochs=1, verbose=0)
    assert model.train_function.experimental_get_tracing_count() == 2
    loss, accuracy = model.evaluate(x, y, batch_size=10, verbose=0)
    assert model.test_function.experimental_get_tracing_count() == 2
    eager = tf.keras.losses.sparse_categorical_crossentropy(y, model(x))
    np.testing.assert_allclose(loss, float(tf.reduce_mean(eager)), rtol=1e-5)


def test_batch_normalization_training_with_an_unknown_batch_size():
    # 4-D float32 inputs take Keras 2's unbiased moving-variance update, whose n - 1
    # divisor the running graph computes.
    def make():
        layer = tf.keras.layers.BatchNormalization(momentum=0.5)
        layer.build((None, 2, 2, 3))
        return layer

    traced_layer, eager_layer = make(), make()
    step = tf.function(
        lambda x: traced_layer(x, training=True),
        input_signature=[tf.TensorSpec([None, 2, 2, 3], tf.float32)],
    )
    for n in (1, 4, 2):
        x = tf.constant(np.random.default_rng(n).normal(size=(n, 2, 2, 3)).astype(np.float32))
        np.testing.assert_allclose(
            step(x).numpy(), eager_layer(x, training=True).numpy(), rtol=1e-4, atol=1e-5
        )
    for traced, eager in zip(traced_layer.weights, eager_layer.weights):
        np.testing.assert_allclose(traced.numpy(), eager.numpy(), rtol=1e-5)
    assert step.experimental_get_tracing_count() == 1


def test_merging_layers_with_an_unknown_batch_size():
    layers = tf.keras.layers
    merges = [
        layers.Concatenate(),
        layers.Add(),
        layers.Multiply(),
        layers.Average(),
        layers.Maximum(),
        layers.Dot(axes=2),
        layers.Dot(axes=(1, 1), normalize=True),
    ]
    spec = tf.TensorSpec([None, 3, 4], tf.float32)
    rng = np.random.default_rng(5)
    calls = [
        tuple(tf.constant(rng.normal(size=(n, 3, 4)).astype(np.float32)) for _ in "ab")
        for n in (1, 4)
    ]
    for merge in merges:
        check_one_graph(lambda a, b, merge=merge: merge([a, b]), [spec, spec], calls)
