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
