"""Shared by ``record_legacy_slot_fixtures.py`` (with TensorFlow) and the tests (with
tensorflux): the model, data and steps of the legacy-optimizer slot checkpoints, written
against the ``tf`` module either library provides.

Run as a script (with tensorflux importable), it writes tensorflux's checkpoints for
TensorFlow to read::

    python3 tests/train/legacy_slot_writer.py OUTPUT_FOLDER

``OUTPUT_FOLDER/ckpt`` (``tf.train.Checkpoint`` of the model and a legacy Adam after
one step), ``OUTPUT_FOLDER/weights`` (``save_weights`` of a model compiled with a legacy
RMSprop, centered, with momentum, after one step) and ``manifest.json`` with the values
that were saved.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

X = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
Y = np.stack([X.sum(1), X[:, 0] - X[:, 2]], axis=1)


def initial_weights() -> list:
    """Fixed starting weights of :func:`dense_model` (kernel, bias, kernel, bias)."""
    rng = np.random.default_rng(3)
    return [
        rng.uniform(-0.5, 0.5, (3, 4)).astype(np.float32),
        rng.uniform(-0.1, 0.1, (4,)).astype(np.float32),
        rng.uniform(-0.5, 0.5, (4, 2)).astype(np.float32),
        rng.uniform(-0.1, 0.1, (2,)).astype(np.float32),
    ]


def dense_model(tf, optimizer="adam", compile=True):  # noqa: A002 - as Keras names it
    """A two-layer Dense model with :func:`initial_weights`, compiled (unless not
    ``compile``) with a legacy ``Adam(0.01)`` or ``RMSprop(0.01, momentum=0.5,
    centered=True)``."""
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)), tf.keras.layers.Dense(2)]
    )
    model.set_weights(initial_weights())
    if not compile:
        return model
    legacy = tf.keras.optimizers.legacy
    model.compile(
        optimizer=legacy.Adam(0.01)
        if optimizer == "adam"
        else legacy.RMSprop(0.01, momentum=0.5, centered=True),
        loss="mse",
    )
    return model


def step(model) -> None:
    """One training step on the whole batch, in a fixed order."""
    model.fit(X, Y, epochs=1, batch_size=8, shuffle=False, verbose=0)


def slot_values(model) -> dict:
    """``"<variable index>/<slot name>"`` -> the slot's value, for every slot made."""
    optimizer = model.optimizer
    out = {}
    for i, variable in enumerate(model.trainable_variables):
        for name in optimizer.get_slot_names():
            try:
                out[f"{i}/{name}"] = np.asarray(optimizer.get_slot(variable, name)).tolist()
            except KeyError:
                continue
    return out


def main(folder: str) -> None:
    import tensorflux as tf

    manifest = {}
    model = dense_model(tf)
    step(model)
    tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(os.path.join(folder, "ckpt"))
    manifest["ckpt"] = {
        "weights": [np.asarray(w).tolist() for w in model.weights],
        "slots": slot_values(model),
    }
    model = dense_model(tf, "rmsprop")
    step(model)
    model.save_weights(os.path.join(folder, "weights"))
    manifest["weights"] = {
        "weights": [np.asarray(w).tolist() for w in model.weights],
        "slots": slot_values(model),
    }
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1])
