"""Writes checkpoints with tensorflux for TensorFlow to read (part (b) of
``record_checkpoint_fixtures.py``, which runs this file in a Python without TF).

    python3 tests/train/interop_writer.py OUTPUT_FOLDER

Writes, into OUTPUT_FOLDER: ``dtypes`` (one variable per dtype), ``module`` (a Module
shaped like the recorder's ``_Holder``, other values), ``keras/w.ckpt`` (a Dense model
with Adam state after one training step, via ``save_weights``), ``managed/`` (a
CheckpointManager keeping two of three checkpoints) and ``manifest.json`` naming them
with the values written, for the recorder to store beside what TensorFlow read.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

import tensorflux as tf
from tensorflux.train.keras_checkpoint import save_weights

DTYPES = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]


def dtype_values() -> dict:
    values = {}
    for i, name in enumerate(DTYPES):
        array = (np.arange(6).reshape(3, 2) + 1) * (i + 2)
        if name == "bool":
            array = np.arange(6).reshape(3, 2) % 3 == 0
        elif name.startswith("complex"):
            array = array - 1.5j * array
        values[name] = array.astype(name)
    values["string"] = np.array([[b"tensor", b""], [b"\x01\x02", "ü".encode()]], dtype=object)
    return values


class Holder(tf.Module):
    def __init__(self):
        super().__init__(name="holder")
        self.scale = tf.Variable(np.float32(-4.25), name="scale")
        self.table = tf.Variable(np.linspace(0, 1, 6).reshape(2, 3), name="table")
        self.child = tf.Module(name="child")
        self.child.counter = tf.Variable(np.int64(123), name="counter", trainable=False)
        self.items = [tf.Variable(np.int32(-9)), tf.Variable(np.array([0.25, 8.0], np.float32))]


def dense_model():
    tf.keras.utils.set_random_seed(7)
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
            tf.keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
    y = np.stack([x.sum(1), x[:, 0] - x[:, 2]], axis=1)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    return model, x


def main(folder: str) -> None:
    manifest = {"bundles": {}}
    variables = {name: tf.Variable(value) for name, value in dtype_values().items()}
    manifest["bundles"]["dtypes"] = os.path.relpath(
        tf.train.Checkpoint(**variables).write(os.path.join(folder, "dtypes")), folder
    )

    holder = Holder()
    manifest["module"] = os.path.relpath(
        tf.train.Checkpoint(module=holder).write(os.path.join(folder, "module")), folder
    )
    manifest["bundles"]["module"] = manifest["module"]
    manifest["module_values"] = {v.name: np.asarray(v).tolist() for v in holder.variables}

    model, x = dense_model()
    save_weights(model, os.path.join(folder, "keras", "w.ckpt"))
    manifest["keras_weights"] = os.path.join("keras", "w.ckpt")
    manifest["bundles"]["keras"] = manifest["keras_weights"]
    manifest["keras_values"] = {
        "predict": model.predict(x, verbose=0).tolist(),
        "weights": [np.asarray(w).tolist() for w in model.weights],
        "optimizer_variables": [np.asarray(v).tolist() for v in model.optimizer.variables],
    }

    step = tf.Variable(np.int64(0))
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step), os.path.join(folder, "managed"), max_to_keep=2
    )
    for _ in range(3):
        step.assign_add(1)
        manager.save()
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1])
