"""Records how TensorFlow checkpoints the slot variables of legacy (``OptimizerV2``)
Keras optimizers, into ``tests/fixtures/legacy_slots/``.

Run with a Python where TensorFlow 2.21 and tf_keras are installed (the tests never
import them)::

    TF_USE_LEGACY_KERAS=1 python tests/train/record_legacy_slot_fixtures.py

(a) TensorFlow writes ``ckpt`` (``tf.train.Checkpoint(model=, optimizer=)``, legacy
Adam, one step) and ``weights`` (``save_weights``, legacy centered RMSprop with
momentum, one step) from ``legacy_slot_writer``'s model; ``tf_written.json`` holds
their keys, values and object graphs, and what TF does when it restores ``ckpt``:
which slots exist right after the restore, the step after it, deferral under a
variable creator scope, ``experimental_skip_slot_variables``, the outcome of the
status assertions.

(b) tensorflux (a subprocess running ``legacy_slot_writer.py`` with the ``python3`` on
PATH) writes the same checkpoints; TensorFlow restores them and continues one step;
``tf_read_ours.json`` holds what it read and computed.
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
from tensorflow.core.protobuf import trackable_object_graph_pb2  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "train"))
import legacy_slot_writer as shared  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "legacy_slots"


def _graph(prefix: str) -> list:
    proto = trackable_object_graph_pb2.TrackableObjectGraph()
    proto.ParseFromString(
        tf.train.load_checkpoint(prefix).get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")
    )
    return [
        {
            "children": [[c.node_id, c.local_name] for c in node.children],
            "attributes": [[a.name, a.full_name, a.checkpoint_key] for a in node.attributes],
            "slot_variables": [
                [s.original_variable_node_id, s.slot_name, s.slot_variable_node_id]
                for s in node.slot_variables
            ],
            "has_checkpoint_values": node.has_checkpoint_values.value,
        }
        for node in proto.nodes
    ]


def _values(prefix: str) -> dict:
    reader = tf.train.load_checkpoint(prefix)
    return {
        key: np.asarray(reader.get_tensor(key)).tolist()
        for key in sorted(reader.get_variable_to_shape_map())
        if key != "_CHECKPOINTABLE_OBJECT_GRAPH"
    }


def _outcome(fn) -> str:
    try:
        fn()
    except AssertionError as e:
        return "AssertionError: " + str(e).split(":")[0]
    return "ok"


def _eager_optimizer_variables(model) -> None:
    # tf_keras makes ``iter`` and the hyperparameter variables on the first step;
    # tensorflux makes them when the optimizer is first checkpointed. Made here, the
    # cases below differ only in the slots.
    _ = model.optimizer.iterations
    model.optimizer._create_hypers()


def _state(model) -> dict:
    return {
        "weights": [np.asarray(w).tolist() for w in model.weights],
        "slots": shared.slot_values(model),
        "iterations": int(model.optimizer.iterations.numpy()),
    }


def _slot_names(model) -> list:
    # Slots in the order the optimizer created them, without the scope prefix (TF names
    # a slot made by a restore after its variable alone, one made by a step under the
    # optimizer's name).
    return [w.name for w in model.optimizer.weights if w.name.split("/")[-1] != "iter:0"]


def record_tf_written(folder: Path) -> dict:
    out = {}
    model = shared.dense_model(tf)
    shared.step(model)
    prefix = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(str(folder / "ckpt"))
    out["ckpt"] = {"values": _values(prefix), "graph": _graph(prefix), **_state(model)}
    # Even with experimental_skip_slot_variables, a write keeps the slots.
    skipped = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(
        tempfile.mkdtemp() + "/c",
        options=tf.train.CheckpointOptions(experimental_skip_slot_variables=True),
    )
    out["skip_option_write_keys"] = sorted(k for k, _ in tf.train.list_variables(skipped))
    shared.step(model)
    out["uninterrupted"] = _state(model)

    rms = shared.dense_model(tf, "rmsprop")
    shared.step(rms)
    rms.save_weights(str(folder / "weights"))
    prefix = str(folder / "weights")
    out["weights"] = {"values": _values(prefix), "graph": _graph(prefix), **_state(rms)}

    # tf_keras' load_weights of the RMSprop weights into a fresh compiled model.
    rms = shared.dense_model(tf, "rmsprop")
    status = rms.load_weights(prefix)
    out["weights"]["restored_slots"] = shared.slot_values(rms)
    shared.step(rms)
    status.assert_consumed()
    out["weights"]["resumed"] = _state(rms)

    ckpt = str(folder / "ckpt")
    # A fresh model and optimizer: the slots are made by the restore itself.
    model = shared.dense_model(tf)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(ckpt)
    after = {"slot_names": _slot_names(model), "slots": shared.slot_values(model)}
    shared.step(model)
    out["restored"] = {
        "after_restore": after,
        "after_step": _state(model),
        "assert_consumed_after_step": _outcome(status.assert_consumed),
    }

    # ``restore`` (not ``read``) makes the save counter, which a ``write`` did not save.
    model = shared.dense_model(tf)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).restore(ckpt)
    shared.step(model)
    out["restored"]["restore_assert_consumed_after_step"] = _outcome(status.assert_consumed)

    # Under a variable creator scope the restore leaves the slots to the first step.
    model = shared.dense_model(tf)
    with tf.variable_creator_scope(lambda next_creator, **kwargs: next_creator(**kwargs)):
        status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(ckpt)
    after = {"slot_names": _slot_names(model)}
    after["assert_existing_objects_matched"] = _outcome(status.assert_existing_objects_matched)
    shared.step(model)
    out["creator_scope"] = {
        "after_restore": after,
        "after_step": _state(model),
        "assert_consumed_after_step": _outcome(status.assert_consumed),
    }

    # The optimizer joins the model after the restore (compiled later): the slots of
    # the variables restored before are made when it does.
    model = shared.dense_model(tf, compile=False)
    status = tf.train.Checkpoint(model=model).read(ckpt)
    before = _outcome(status.assert_consumed)
    model.compile(optimizer=tf.keras.optimizers.legacy.Adam(0.01), loss="mse")
    out["optimizer_later"] = {
        "assert_consumed_before": before,
        "slot_names": _slot_names(model),
        "slots": shared.slot_values(model),
    }
    shared.step(model)
    out["optimizer_later"]["after_step"] = _state(model)
    out["optimizer_later"]["assert_consumed_after_step"] = _outcome(status.assert_consumed)

    # experimental_skip_slot_variables: no slot restored, none required.
    model = shared.dense_model(tf)
    options = tf.train.CheckpointOptions(experimental_skip_slot_variables=True)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(ckpt, options)
    out["skip_slots"] = {"slot_names": _slot_names(model)}
    shared.step(model)
    out["skip_slots"]["assert_consumed_after_step"] = _outcome(status.assert_consumed)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(ckpt, options)
    out["skip_slots"]["existing_slots_after_step"] = {
        "assert_consumed": _outcome(status.assert_consumed),
        "slots": shared.slot_values(model),
    }

    # Slots the optimizer has that the checkpoint lacks (written before any step).
    model = shared.dense_model(tf)
    _eager_optimizer_variables(model)
    empty = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(
        tempfile.mkdtemp() + "/c"
    )
    shared.step(model)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(empty)
    out["slots_missing_from_checkpoint"] = {
        "assert_existing_objects_matched": _outcome(status.assert_existing_objects_matched),
        "with_skip": _outcome(
            tf.train.Checkpoint(model=model, optimizer=model.optimizer)
            .read(empty, options)
            .assert_existing_objects_matched
        ),
    }
    return out


def record_tf_reads_ours() -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run(
            ["python3", str(ROOT / "tests" / "train" / "legacy_slot_writer.py"), folder],
            check=True,
            env=env,
            cwd=folder,
        )
        out["written"] = json.loads(Path(folder, "manifest.json").read_text())
        out["keys"] = {
            name: sorted(k for k, _ in tf.train.list_variables(os.path.join(folder, name)))
            for name in ("ckpt", "weights")
        }
        model = shared.dense_model(tf)
        status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(
            os.path.join(folder, "ckpt")
        )
        restored = {"slots": shared.slot_values(model)}
        shared.step(model)
        # After the step: tf_keras creates ``iter`` and the hyperparameters then.
        status.assert_consumed()
        out["ckpt"] = {"restored": restored, "after_step": _state(model)}

        model = shared.dense_model(tf, "rmsprop")
        status = model.load_weights(os.path.join(folder, "weights"))
        restored = {"slots": shared.slot_values(model)}
        shared.step(model)
        status.assert_consumed()
        out["weights"] = {"restored": restored, "after_step": _state(model)}
    return out


def main() -> None:
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    FIXTURES.mkdir(parents=True)
    written = record_tf_written(FIXTURES)
    (FIXTURES / "tf_written.json").write_text(json.dumps(written, indent=1))
    read = record_tf_reads_ours()
    (FIXTURES / "tf_read_ours.json").write_text(json.dumps(read, indent=1))


if __name__ == "__main__":
    main()
