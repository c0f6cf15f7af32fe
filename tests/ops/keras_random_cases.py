"""Keras programs whose random numbers must be tf_keras' (see ``random_cases.py``).

Run on TensorFlow with ``tf.keras`` being tf_keras by ``record_random_fixtures.py``,
and on tensorflux by ``test_random_streams.py``.
"""

import random

import numpy as np

SHAPES = [(3, 2), (5,), (2, 3, 4), (3, 3, 2, 5)]


def keras_dropout_under_tf_set_seed(tf):
    """``tf.random.set_seed`` alone fixes Dropout and GaussianNoise (Python's ``random``
    is seeded too, since tf_keras takes unseeded initializers' seeds from it)."""
    random.seed(9)
    tf.random.set_seed(9)
    x = tf.ones([4, 6])
    drop, noise = tf.keras.layers.Dropout(0.4), tf.keras.layers.GaussianNoise(0.5)
    dense = tf.keras.layers.Dense(3)
    dense.build((None, 6))
    return [
        drop(x, training=True),
        drop(x, training=True),
        noise(x, training=True),
        dense.kernel,
        drop(x, training=False),
    ]


def keras_initializers(tf):
    tf.keras.utils.set_random_seed(4)
    init = tf.keras.initializers
    out = []
    for make in [
        init.GlorotUniform,
        init.GlorotNormal,
        init.HeNormal,
        init.HeUniform,
        init.LecunNormal,
        init.LecunUniform,
        init.RandomNormal,
        init.RandomUniform,
        init.TruncatedNormal,
        lambda: init.VarianceScaling(2.0, "fan_out", "untruncated_normal"),
        lambda: init.RandomNormal(0.5, 2.0, seed=7),
        lambda: init.RandomUniform(-3.0, 1.0, seed=7),
        lambda: init.TruncatedNormal(1.0, 0.1, seed=8),
    ]:
        for shape in SHAPES:
            out.append(make()(shape))
    again = init.GlorotUniform()
    out += [again((4, 4)), again((4, 4)), init.RandomNormal()((6,), dtype="float64")]
    return out


def keras_layer_weights(tf):
    tf.keras.utils.set_random_seed(1)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(3, 3, input_shape=(6, 6, 2)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4, activation="relu"),
            tf.keras.layers.Dense(
                2, kernel_initializer="he_normal", bias_initializer="random_normal"
            ),
        ]
    )
    return [np.asarray(w) for w in model.get_weights()]


def keras_dropout_layers(tf):
    tf.keras.utils.set_random_seed(2)
    x = tf.reshape(tf.range(1.0, 41.0), [5, 8])
    drop = tf.keras.layers.Dropout(0.3)
    seeded = tf.keras.layers.Dropout(0.5, seed=3)
    shaped = tf.keras.layers.Dropout(0.5, noise_shape=(5, 1))
    noise = tf.keras.layers.GaussianNoise(0.2, seed=4)
    out = [
        drop(x, training=True),
        drop(x, training=True),
        seeded(x, training=True),
        seeded(x, training=True),
        shaped(x, training=True),
        noise(x, training=True),
        noise(x, training=True),
    ]

    @tf.function
    def traced(v):
        return drop(v, training=True), noise(v, training=True)

    out += list(traced(x)) + list(traced(x))
    return out


def keras_fit_dense_shuffled(tf):
    """Two epochs of a seeded Dense model: shuffle=True order, validation_split."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(22, 3)).astype(np.float32)
    y = rng.normal(size=(22, 2)).astype(np.float32)
    tf.keras.utils.set_random_seed(1)
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="tanh", input_shape=(3,)), tf.keras.layers.Dense(2)]
    )
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    history = model.fit(
        x, y, batch_size=4, epochs=2, shuffle=True, validation_split=0.25, verbose=0
    )
    return [np.asarray(w) for w in model.get_weights()] + [
        np.array(history.history["loss"] + history.history["val_loss"], np.float32)
    ]


def keras_fit_cnn_dropout(tf):
    """One epoch of a seeded small CNN with Dropout (masks drawn inside the traced step)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12, 6, 6, 1)).astype(np.float32)
    y = rng.integers(0, 3, size=(12,))
    tf.keras.utils.set_random_seed(2)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dropout(0.3),
            tf.keras.layers.Dense(3),
        ]
    )
    model.compile(
        tf.keras.optimizers.Adam(0.01),
        tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x, y, batch_size=5, epochs=1, shuffle=True, verbose=0)
    return [np.asarray(w) for w in model.get_weights()]


def _batches_seen(tf, x, y, **fit_kwargs):
    """The batches ``fit`` trains on, each array of each batch recorded as one number
    whose base-100 digits are its rows' values (small integers), row by row."""
    seen = []

    class Probe(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, inputs):
            return self.dense(tf.nest.flatten(inputs)[0])

        def train_step(self, data):
            x, y, w = tf.keras.utils.unpack_x_y_sample_weight(data)
            digits = tf.pow(100.0, tf.cast(tf.range(tf.shape(y)[0]), tf.float32))
            parts = tf.nest.flatten(x) + [y] + ([] if w is None else [w])
            return {
                f"part{i}": tf.reduce_sum(tf.reshape(tf.cast(p, tf.float32), [-1]) * digits)
                for i, p in enumerate(parts)
            }

    class Record(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append([float(logs[k]) for k in sorted(logs)])

    model = Probe()
    model.compile("sgd")
    model.fit(x, y, shuffle="batch", verbose=0, callbacks=[Record()], **fit_kwargs)
    return np.array(seen)


def keras_fit_batch_shuffle_batches(tf):
    """``shuffle="batch"``: which samples land in each batch, in which order, over two
    epochs; tf_keras permutes each array of a batch (both inputs, the targets, the
    sample weights) separately. Also under global seed 0, with ``steps_per_epoch``
    (one stream of passes) and with class weights (taken from the shuffled targets)."""
    n = 11
    a = np.arange(n, dtype=np.float32).reshape(n, 1)
    labels = np.arange(n) % 3
    tf.random.set_seed(5)
    out = [
        _batches_seen(
            tf,
            {"b": a + 20, "a": a},
            a[:, 0] + 50,
            sample_weight=a[:, 0] + 1,
            batch_size=3,
            epochs=2,
        )
    ]
    tf.random.set_seed(0)
    out.append(_batches_seen(tf, a, labels, batch_size=3, epochs=2))
    tf.random.set_seed(7)
    out.append(_batches_seen(tf, a, labels, batch_size=3, epochs=3, steps_per_epoch=3))
    tf.random.set_seed(2)
    out.append(
        _batches_seen(tf, a, labels, batch_size=3, epochs=1, class_weight={0: 1.0, 1: 2.0, 2: 3.0})
    )
    return out


def keras_fit_dense_batch_shuffled(tf):
    """Two epochs of a seeded Dense model with ``shuffle="batch"`` and a validation
    split: the weights tf_keras' batches train to."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(22, 3)).astype(np.float32)
    y = rng.normal(size=(22, 2)).astype(np.float32)
    tf.keras.utils.set_random_seed(6)
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="tanh", input_shape=(3,)), tf.keras.layers.Dense(2)]
    )
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    history = model.fit(
        x, y, batch_size=4, epochs=2, shuffle="BATCH", validation_split=0.25, verbose=0
    )
    return [np.asarray(w) for w in model.get_weights()] + [
        np.array(history.history["loss"] + history.history["val_loss"], np.float32)
    ]


CASES = {
    f.__name__: f
    for f in [
        keras_dropout_under_tf_set_seed,
        keras_initializers,
        keras_layer_weights,
        keras_dropout_layers,
        keras_fit_dense_shuffled,
        keras_fit_cnn_dropout,
        keras_fit_batch_shuffle_batches,
        keras_fit_dense_batch_shuffled,
    ]
}
