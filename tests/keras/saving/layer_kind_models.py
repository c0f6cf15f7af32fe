"""The conv and recurrent models whose TF-written checkpoints and SavedModels the
interop tests read (``record_layer_kind_fixtures.py`` builds them with tf_keras, the
tests with tensorflux: the same code, so the checkpoint keys agree)."""

from __future__ import annotations

import numpy as np


def conv(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 2)),
            L.Conv2D(4, 3, activation="relu"),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Flatten(),
            L.Dense(3),
        ]
    )


def recurrent(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(6, 3)),
            L.LSTM(5, return_sequences=True),
            L.GRU(4),
            L.Dense(2),
        ]
    )


MODELS = {"conv": conv, "recurrent": recurrent}


def data(name):
    """A fixed batch ``(x, y)`` for ``name``'s model."""
    rng = np.random.default_rng(11)
    shape = {"conv": (8, 8, 2), "recurrent": (6, 3)}[name]
    outputs = {"conv": 3, "recurrent": 2}[name]
    x = rng.standard_normal((8, *shape)).astype("float32")
    return x, rng.standard_normal((8, outputs)).astype("float32")


def train_one_epoch_seeded(keras, name):
    """``name``'s model built with ``keras`` with ``seeded_weights``, compiled with Adam
    and trained one epoch on ``data(name)``."""
    model = MODELS[name](keras)
    seeded_weights(model)
    model.compile(optimizer="adam", loss="mse")
    x, y = data(name)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False)
    return model


def seeded_weights(model, seed=5):
    """Gives every weight a fixed value (moving variances kept positive)."""
    rng = np.random.default_rng(seed)
    values = []
    for weight in model.weights:
        value = rng.uniform(-0.5, 0.5, size=tuple(weight.shape)).astype("float32")
        if "moving_variance" in weight.name:
            value = np.abs(value) + 0.5
        values.append(value)
    model.set_weights(values)
