"""Cross-entropy of a softmax or sigmoid output is computed from its logits, as tf_keras does.

Keras' ``softmax``/``sigmoid`` activations (eagerly and traced) and a traced
``tf.nn.softmax``/``tf.sigmoid`` remember their logits; the cross-entropy losses use
them, so saturated probabilities keep a finite loss and a non-zero gradient.
"""

import warnings

import numpy as np
import pytest

import tensorflux as tf

LOGITS = np.array([[40.0, 0.0, -40.0], [0.5, 1.0, -1.0]], np.float32)


def test_keras_softmax_output_gives_the_exact_loss_and_gradient():
    x = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        tape.watch(x)
        probs = tf.keras.activations.softmax(x)
        loss = tf.keras.losses.sparse_categorical_crossentropy([2, 0], probs)
    exact = tf.keras.losses.sparse_categorical_crossentropy([2, 0], x, from_logits=True)
    np.testing.assert_allclose(loss.numpy(), exact.numpy(), rtol=1e-6)
    assert loss.numpy()[0] == pytest.approx(80.0, rel=1e-5)  # clipping would give 16.1
    assert np.abs(tape.gradient(loss, x).numpy()[0]).max() > 0.5


def test_eager_tf_nn_softmax_keeps_keras_clipping():
    probs = tf.nn.softmax(tf.constant(LOGITS))
    loss = tf.keras.losses.sparse_categorical_crossentropy([2, 0], probs)
    assert loss.numpy()[0] == pytest.approx(-np.log(1e-7), rel=1e-4)


def test_traced_softmax_and_sigmoid_use_their_logits():
    @tf.function
    def losses(x):
        sparse = tf.keras.losses.sparse_categorical_crossentropy([2, 0], tf.nn.softmax(x))
        dense = tf.keras.losses.categorical_crossentropy(
            [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], tf.nn.softmax(x)
        )
        binary = tf.keras.losses.binary_crossentropy(tf.zeros_like(x), tf.sigmoid(x))
        return sparse, dense, binary

    sparse, dense, binary = losses(tf.constant(LOGITS))
    x = tf.constant(LOGITS)
    np.testing.assert_allclose(sparse.numpy(), [80.0, 1.054957], rtol=1e-4)
    np.testing.assert_allclose(dense.numpy(), sparse.numpy(), rtol=1e-6)
    expected = tf.keras.losses.binary_crossentropy(tf.zeros_like(x), x, from_logits=True)
    np.testing.assert_allclose(binary.numpy(), expected.numpy(), rtol=1e-6)


def test_from_logits_true_on_a_softmax_output_warns():
    probs = tf.keras.activations.softmax(tf.constant(LOGITS))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.keras.losses.categorical_crossentropy(tf.one_hot([2, 0], 3), probs, from_logits=True)
    assert any("does not represent logits" in str(w.message) for w in caught)


def test_softmax_model_trains_on_unscaled_pixels():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (64, 6, 6, 1)).astype(np.uint8)
    y = x.reshape(64, -1)[:, :18].mean(axis=1) > x.reshape(64, -1)[:, 18:].mean(axis=1)
    tf.random.set_seed(0)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(4, 3, activation="relu", input_shape=(6, 6, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y.astype(np.int32), epochs=5, batch_size=16, verbose=0)
    # Clipped probabilities would leave the loss stuck at a constant (no gradient).
    assert history.history["loss"][-1] < history.history["loss"][0]
