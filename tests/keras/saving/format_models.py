"""Small models built the same way from any Keras module (``tf_keras``, Keras 3's
``keras`` or ``tensorflux.keras``): the interop fixtures save and load these."""

from __future__ import annotations

import numpy as np


def dense(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            L.Dense(8, activation="relu"),
            L.Dropout(0.3),
            L.Dense(3, activation="softmax"),
        ]
    )


def conv_bn(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(6, 6, 2)),
            L.Conv2D(4, 3, activation="relu"),
            L.BatchNormalization(),
            L.Flatten(),
            L.Dense(2),
        ]
    )


def two_branch(keras):
    L = keras.layers
    inputs = keras.Input(shape=(5,), name="features")
    left = L.Dense(4, activation="tanh", name="left")(inputs)
    right = L.Dense(3, name="right")(inputs)
    merged = L.Concatenate(name="merge")([left, right])
    return keras.Model(inputs, L.Dense(2, name="head")(merged), name="two_branch")


def recurrent(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=(5, 3)),
            L.LSTM(4, return_sequences=True),
            L.GRU(3),
            L.Dense(2),
        ]
    )


def operators(keras):
    """Python operators on Keras tensors: tf-keras records TFOpLambda layers (Keras 3 has
    none, so this one is tf-keras only)."""
    L = keras.layers
    inputs = keras.Input(shape=(4,))
    a, b = L.Dense(3, name="a")(inputs), L.Dense(3, name="b")(inputs)
    return keras.Model(inputs, L.Dense(2, name="head")(a - b * 0.5 + 1.0))


MODELS = {"dense": dense, "conv_bn": conv_bn, "two_branch": two_branch, "recurrent": recurrent}
TF_KERAS_ONLY = {"operators": operators}
LOSSES = {
    "dense": "sparse_categorical_crossentropy",
    "conv_bn": "mse",
    "two_branch": "mse",
    "recurrent": "mse",
    "operators": "mse",
}


def data(name, n=8):
    """A fixed batch ``(x, y)`` for ``name``'s model."""
    rng = np.random.default_rng(7)
    shape = {
        "dense": (4,),
        "conv_bn": (6, 6, 2),
        "two_branch": (5,),
        "recurrent": (5, 3),
        "operators": (4,),
    }[name]
    x = rng.standard_normal((n, *shape)).astype("float32")
    if name == "dense":
        y = rng.integers(0, 3, size=(n,)).astype("int32")
    else:
        y = rng.standard_normal((n, 2)).astype("float32")
    return x, y


def set_seeded_weights(model, seed=3):
    """Gives every weight a fixed value, so that all sides build the same model
    (moving variances kept positive)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        values = []
        for weight in layer.weights:
            value = rng.uniform(-0.5, 0.5, size=tuple(weight.shape)).astype("float32")
            if "moving_variance" in weight.name:
                value = np.abs(value) + 0.5
            values.append(value)
        if values:
            layer.set_weights(values)
