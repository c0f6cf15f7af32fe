"""Records what TensorFlow 2.21 and tf_keras 2.21 write to TensorBoard event files into
``tests/fixtures/summary_events.json``.

Run with a Python where TensorFlow, tf_keras and tensorboard are installed (the tests
never import them)::

    python tests/summary/record_summary_fixtures.py

(a) Raw event records (base64 of the serialized ``Event``) of ``tf.summary`` calls with
fixed inputs, for a byte-exact comparison of our encoding; the first record of a file
(``file_version``); the histogram tensors of a few inputs and bucket counts.
(b) For a small Keras model fitted with validation data, ``histogram_freq=1`` (and a
second run with ``update_freq="batch"``, ``write_images``): per run folder, the tags, their
plugin names and steps, and the files beside the runs.
"""

from __future__ import annotations

import base64
import glob
import json
import os
import struct
import tempfile

import numpy as np
import tensorflow as tf
import tf_keras

OUT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "summary_events.json")


def _records(path):
    """The data of each TFRecord in ``path``."""
    with open(path, "rb") as f:
        data = f.read()
    pos, out = 0, []
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos : pos + 8])
        out.append(data[pos + 12 : pos + 12 + length])
        pos += 12 + length + 4
    return out


def _one_file(folder):
    (path,) = glob.glob(os.path.join(folder, "events.out.tfevents.*"))
    return path


def raw_events():
    """Each case: the summary call and the events it wrote (after the file_version one)."""
    cases = {
        "scalar": lambda: tf.summary.scalar("loss", 0.25, step=3),
        "scalar_described": lambda: tf.summary.scalar(
            "acc", np.float64(0.5), step=7, description="accuracy"
        ),
        "histogram": lambda: tf.summary.histogram(
            "weights", np.array([0.0, 1.0, 2.0, 2.5, -1.0]), step=1, buckets=4
        ),
        "histogram_default": lambda: tf.summary.histogram(
            "w30", np.linspace(-1, 3, 17).astype(np.float32), step=2
        ),
        "histogram_constant": lambda: tf.summary.histogram("c", [2.0, 2.0, 2.0], step=0),
        "histogram_empty": lambda: tf.summary.histogram("e", np.zeros([0]), step=0),
        "text": lambda: tf.summary.text("notes", "hello **world**", step=2),
        "text_vector": lambda: tf.summary.text("rows", ["a", "bc"], step=5),
        "image_uint8": lambda: tf.summary.image(
            "img", np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3) * 7, step=4
        ),
        "image_float": lambda: tf.summary.image(
            "imgf",
            np.linspace(0, 1, 2 * 3 * 2 * 1, dtype=np.float32).reshape(2, 3, 2, 1),
            step=1,
            max_outputs=1,
        ),
        "audio": lambda: tf.summary.audio(
            "snd",
            np.sin(np.linspace(0, 6, 16)).reshape(1, 8, 2).astype(np.float32),
            sample_rate=8000,
            step=0,
        ),
        "write": lambda: tf.summary.write("raw", tf.constant([1, 2], tf.int64), step=9),
    }
    out = {}
    for name, call in cases.items():
        folder = tempfile.mkdtemp()
        writer = tf.summary.create_file_writer(folder)
        with writer.as_default():
            call()
        writer.close()
        path = _one_file(folder)
        records = _records(path)
        out[name] = [base64.b64encode(r).decode("ascii") for r in records[1:]]
        out.setdefault("_file_version", base64.b64encode(records[0]).decode("ascii"))
        out.setdefault("_file_name", os.path.basename(path))
    return out


def _tags(folder):
    """tag -> {plugin, steps, dtype, shape} of every event file under ``folder``."""
    from tensorboard.backend.event_processing import event_accumulator

    acc = event_accumulator.EventAccumulator(folder, size_guidance={"tensors": 0})
    acc.Reload()
    tags = {}
    for tag in acc.Tags()["tensors"]:
        events = acc.Tensors(tag)
        meta = acc.SummaryMetadata(tag)
        tags[tag] = {
            "plugin": meta.plugin_data.plugin_name,
            "steps": [e.step for e in events],
            "dtype": int(events[0].tensor_proto.dtype),
            "shape": [d.size for d in events[0].tensor_proto.tensor_shape.dim],
        }
    return tags


def _has_graph(folder):
    """Whether the run holds a GraphDef event (the train step's graph)."""
    from tensorboard.backend.event_processing import event_accumulator

    acc = event_accumulator.EventAccumulator(folder)
    acc.Reload()
    return acc.Tags()["graph"]


def keras_runs():
    """The runs, tags and files the TensorBoard callback writes for two small fits."""
    tf_keras.utils.set_random_seed(0)
    x = np.random.rand(12, 4).astype("float32")
    y = (x.sum(axis=1) > 2).astype("int32")
    out = {}
    configs = {
        "epoch": dict(histogram_freq=1),
        "batch_images": dict(histogram_freq=1, update_freq="batch", write_images=True),
        "every_2": dict(update_freq=2, write_graph=False),
        # A progress bar calls every callback's batch hooks: then batch_* scalars appear.
        "every_2_verbose": dict(update_freq=2, write_graph=False, verbose=1),
        "schedule": dict(write_graph=False, schedule=True),
        # With batch hooks called, the first batch also writes the train step's graph.
        "graph_verbose": dict(verbose=1),
    }
    for key, kwargs in configs.items():
        verbose = kwargs.pop("verbose", 0)
        optimizer = "sgd"
        if kwargs.pop("schedule", False):
            optimizer = tf_keras.optimizers.SGD(
                tf_keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
            )
        model = tf_keras.Sequential(
            [
                tf_keras.layers.Dense(3, activation="relu", input_shape=(4,)),
                tf_keras.layers.Dense(2, activation="softmax"),
            ]
        )
        model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
        log_dir = tempfile.mkdtemp()
        cb = tf_keras.callbacks.TensorBoard(log_dir, **kwargs)
        model.fit(
            x, y, batch_size=4, epochs=2, validation_data=(x, y), callbacks=[cb], verbose=verbose
        )
        runs = {}
        for run in sorted(os.listdir(log_dir)):
            runs[run] = _tags(os.path.join(log_dir, run))
            runs[run]["_files"] = len(glob.glob(os.path.join(log_dir, run, "events.out.*")))
            runs[run]["_graph"] = _has_graph(os.path.join(log_dir, run))
        out[key] = runs
    return out


def keras_model_config_event():
    """The ``keras`` tag: its plugin content and the JSON it holds."""
    model = tf_keras.Sequential([tf_keras.layers.Dense(2, input_shape=(3,), name="d")])
    log_dir = tempfile.mkdtemp()
    cb = tf_keras.callbacks.TensorBoard(log_dir)
    cb.set_model(model)
    cb._close_writers()
    from tensorboard.backend.event_processing import event_accumulator

    acc = event_accumulator.EventAccumulator(os.path.join(log_dir, "train"))
    acc.Reload()
    event = acc.Tensors("keras")[0]
    meta = acc.SummaryMetadata("keras")
    return {
        "plugin": meta.plugin_data.plugin_name,
        "content": base64.b64encode(meta.plugin_data.content).decode("ascii"),
        "json": event.tensor_proto.string_val[0].decode("utf-8"),
        "model_to_json": model.to_json(),
        "step": event.step,
    }


def projector_config():
    """``projector_config.pbtxt`` for a model with an Embedding layer and metadata."""
    model = tf_keras.Sequential(
        [tf_keras.layers.Embedding(5, 2, input_length=3, name="emb"), tf_keras.layers.Flatten()]
    )
    model.build((None, 3))
    log_dir = tempfile.mkdtemp()
    cb = tf_keras.callbacks.TensorBoard(
        log_dir, embeddings_freq=1, embeddings_metadata={"emb": "meta.tsv"}
    )
    cb.set_model(model)
    cb._close_writers()
    with open(os.path.join(log_dir, "projector_config.pbtxt")) as f:
        return f.read()


def errors():
    out = {}
    folder = tempfile.mkdtemp()
    writer = tf.summary.create_file_writer(folder)
    with writer.as_default():
        for key, call in {
            "scalar_rank": lambda: tf.summary.scalar("s", [1.0, 2.0], step=1),
            "no_step": lambda: tf.summary.scalar("s", 1.0),
            "image_rank": lambda: tf.summary.image("i", np.zeros([2, 2, 3]), step=1),
        }.items():
            try:
                call()
            except Exception as e:  # noqa: BLE001 -- recording the type and message
                out[key] = [type(e).__name__, str(e)]
    out["no_writer"] = bool(tf.summary.scalar("s", 1.0, step=1).numpy())
    return out


def main():
    fixture = {
        "raw": raw_events(),
        "keras": keras_runs(),
        "keras_model_config": keras_model_config_event(),
        "projector_config": projector_config(),
        "errors": errors(),
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
