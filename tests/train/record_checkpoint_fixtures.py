"""Records TensorFlow checkpoints into ``tests/fixtures/checkpoints/`` and checks that
TensorFlow reads the checkpoints tensorflux writes.

Run with a Python where TensorFlow 2.21 and tf_keras are installed (the tests never
import them)::

    python tests/train/record_checkpoint_fixtures.py

(a) TensorFlow writes small checkpoints: a Dense model with Adam slots after one
training step (``save_weights``), a ``tf.train.Checkpoint`` of a ``tf.Module`` and of a
Keras model, a string tensor and one variable of each stored dtype. Their keys, dtypes,
shapes and values go to ``checkpoints/tf_written.json``; tensorflux reads the files and
compares.

(b) tensorflux (run in a subprocess with the Python found as ``python3`` on PATH, which
needs NumPy but not TensorFlow) writes checkpoints from the values in
``tests/train/interop_writer.py``; TensorFlow reads them with ``tf.train.load_checkpoint``
and tf_keras ``load_weights``, and what it read goes to ``checkpoints/tf_read_ours.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "checkpoints"


def _targets(x):
    return np.stack([x.sum(1), x[:, 0] - x[:, 2]], axis=1)


def _dense_model(fit=True):
    tf_keras.utils.set_random_seed(1)
    model = tf_keras.Sequential(
        [
            tf_keras.layers.Dense(4, activation="relu", input_shape=(3,)),
            tf_keras.layers.Dense(2),
        ]
    )
    model.compile(optimizer=tf_keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
    if fit:
        model.fit(x, _targets(x), epochs=1, batch_size=8, verbose=0)
    return model, x


def _functional_model():
    inputs = tf_keras.Input((3,))
    hidden = tf_keras.layers.Dense(4)(inputs)
    hidden = tf_keras.layers.BatchNormalization()(hidden)
    hidden = tf_keras.layers.Dropout(0.1)(hidden)
    model = tf_keras.Model(inputs, tf_keras.layers.Dense(2)(hidden))
    model.compile(optimizer=tf_keras.optimizers.SGD(0.1, momentum=0.9), loss="mse")
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
    model.fit(x, _targets(x), epochs=1, batch_size=8, verbose=0)
    return model


class _Subclassed(tf_keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [tf_keras.layers.Dense(4, activation="relu"), tf_keras.layers.Dense(3)]
        self.head = tf_keras.layers.Dense(2)

    def call(self, inputs):
        for block in self.blocks:
            inputs = block(inputs)
        return self.head(inputs)

    @classmethod
    def trained(cls):
        model = cls()
        model.compile(optimizer=tf_keras.optimizers.RMSprop(0.01, momentum=0.5), loss="mse")
        x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(8, 3)
        model.fit(x, _targets(x), epochs=1, batch_size=8, verbose=0)
        return model


class _WithMetrics(tf_keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf_keras.layers.Dense(2)
        self.tracker = tf_keras.metrics.Mean(name="loss")
        self.accuracy = tf_keras.metrics.SparseCategoricalAccuracy()

    def call(self, inputs):
        return self.dense(inputs)


def _keys_only(model) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        model.save_weights(os.path.join(folder, "w"))
        return {key: shape for key, shape in tf.train.list_variables(os.path.join(folder, "w"))}


class _Holder(tf.Module):
    def __init__(self):
        super().__init__(name="holder")
        self.scale = tf.Variable(np.float32(2.5), name="scale")
        self.table = tf.Variable(np.arange(6, dtype=np.float64).reshape(2, 3), name="table")
        self.child = tf.Module(name="child")
        self.child.counter = tf.Variable(np.int64(7), name="counter", trainable=False)
        self.items = [tf.Variable(np.int32(1)), tf.Variable(np.array([1.5, -2.0], np.float32))]


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


def _dtype_values():
    values = {}
    for i, name in enumerate(DTYPES):
        array = (np.arange(6).reshape(2, 3) - 2 * (name[0] not in "ub")) * (i + 1)
        if name == "bool":
            array = np.arange(6).reshape(2, 3) % 2 == 0
        elif name.startswith("complex"):
            array = array + 0.5j * array
        values[name] = array.astype(name)
    values["string"] = np.array([[b"ab", b""], [b"\x00\xff", "é".encode()]], dtype=object)
    values["scalar_string"] = np.array(b"hello", dtype=object)
    return values


def _encode(value: np.ndarray):
    if value.dtype == object:
        return {"bytes_hex": [v.hex() for v in value.reshape(-1).tolist()]}
    if value.dtype.kind == "c":
        return {"real": value.real.reshape(-1).tolist(), "imag": value.imag.reshape(-1).tolist()}
    return {"values": value.reshape(-1).tolist()}


def _describe(prefix: str) -> dict:
    reader = tf.train.load_checkpoint(prefix)
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    out = {}
    for key in sorted(shapes):
        value = reader.get_tensor(key)
        value = np.asarray(value, dtype=object if dtypes[key] == tf.string else None)
        entry = {"dtype": dtypes[key].name, "shape": list(shapes[key])}
        if key != "_CHECKPOINTABLE_OBJECT_GRAPH":
            entry.update(_encode(value))
        out[key] = entry
    return out


def record_tf_written() -> dict:
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    FIXTURES.mkdir(parents=True)
    cases = {}

    model, x = _dense_model()
    model.save_weights(str(FIXTURES / "dense_adam.ckpt"))
    cases["dense_adam"] = {
        "prefix": "dense_adam.ckpt",
        "keys": _describe(str(FIXTURES / "dense_adam.ckpt")),
        "x": x.tolist(),
        "predict": model.predict(x, verbose=0).tolist(),
    }

    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    path = checkpoint.save(str(FIXTURES / "keras_ckpt" / "ckpt"))
    cases["keras_checkpoint"] = {"prefix": os.path.relpath(path, FIXTURES), "keys": _describe(path)}

    holder = _Holder()
    path = tf.train.Checkpoint(module=holder).write(str(FIXTURES / "module"))
    cases["module"] = {"prefix": "module", "keys": _describe(path)}

    tensors = {name: tf.Variable(value) for name, value in _dtype_values().items()}
    path = tf.train.Checkpoint(**tensors).write(str(FIXTURES / "dtypes"))
    cases["dtypes"] = {"prefix": "dtypes", "keys": _describe(path)}

    # Resuming: a fresh compiled model loads the weights and Adam's state, trains one
    # more step; its weights and optimizer variables after that step.
    resumed, _ = _dense_model(fit=False)
    resumed.load_weights(str(FIXTURES / "dense_adam.ckpt"))
    resumed.fit(x, _targets(x), epochs=1, batch_size=8, verbose=0)
    cases["dense_adam"]["resumed"] = {
        "weights": [w.numpy().tolist() for w in resumed.weights],
        "optimizer_variables": [np.asarray(v).tolist() for v in resumed.optimizer.variables()],
    }

    cases["functional_keys"] = {"key_shapes": _keys_only(_functional_model())}
    cases["subclassed_keys"] = {"key_shapes": _keys_only(_Subclassed.trained())}
    with_metrics = _WithMetrics()
    with_metrics(np.ones((1, 3), np.float32))
    cases["metrics_keys"] = {"key_shapes": _keys_only(with_metrics)}

    manager_dir = FIXTURES / "managed"
    step = tf.Variable(np.int64(0))
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step), str(manager_dir), max_to_keep=2
    )
    for _ in range(3):
        step.assign_add(1)
        manager.save()
    cases["managed"] = {
        "latest": os.path.relpath(manager.latest_checkpoint, FIXTURES),
        "checkpoints": [os.path.relpath(p, FIXTURES) for p in manager.checkpoints],
        "state_file": (manager_dir / "checkpoint").read_text(),
    }
    return cases


def record_tf_reads_ours() -> dict:
    """Has tensorflux write checkpoints (subprocess, no TF there) and reads them with TF."""
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run(
            ["python3", str(ROOT / "tests" / "train" / "interop_writer.py"), folder],
            check=True,
            env=env,
            cwd=folder,
        )
        manifest = json.loads(Path(folder, "manifest.json").read_text())
        for name, prefix in manifest["bundles"].items():
            out[name] = {"keys": _describe(os.path.join(folder, prefix))}
        # tf_keras restores the model and optimizer state that tensorflux saved.
        model, x = _dense_model()
        status = model.load_weights(os.path.join(folder, manifest["keras_weights"]))
        status.assert_consumed()
        out["keras_load_weights"] = {
            "x": x.tolist(),
            "predict": model.predict(x, verbose=0).tolist(),
            "weights": [w.numpy().tolist() for w in model.weights],
            "optimizer_iterations": int(model.optimizer.iterations.numpy()),
            "optimizer_variables": [np.asarray(v).tolist() for v in model.optimizer.variables()],
        }
        restored = _Holder()
        status = tf.train.Checkpoint(module=restored).read(os.path.join(folder, manifest["module"]))
        status.assert_consumed()
        out["module_read"] = {v.name: np.asarray(v).tolist() for v in restored.variables}
        out["written"] = {
            "module_values": manifest["module_values"],
            "keras_values": manifest["keras_values"],
        }
        out["latest_checkpoint"] = os.path.relpath(
            tf.train.latest_checkpoint(os.path.join(folder, "managed")), folder
        )
    return out


def main() -> None:
    written = record_tf_written()
    (FIXTURES / "tf_written.json").write_text(json.dumps(written, indent=1))
    if len(sys.argv) < 2 or sys.argv[1] != "--only-tf":
        read = record_tf_reads_ours()
        (FIXTURES / "tf_read_ours.json").write_text(json.dumps(read, indent=1))


if __name__ == "__main__":
    main()
