"""tf.train.Checkpoint: TF's keys, TF's checkpoints restored, statuses, deferred
restoration, errors; load_checkpoint / list_variables / latest_checkpoint."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train import tensor_bundle
from tests.train.interop_writer import Holder
from tests.train.test_tensor_bundle import expected_value

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checkpoints"
RECORDED = json.loads((FIXTURES / "tf_written.json").read_text())


def test_module_checkpoint_keys_match_tensorflow(tmp_path):
    path = tf.train.Checkpoint(module=Holder()).write(str(tmp_path / "module"))
    assert path == str(tmp_path / "module")
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert keys == sorted(RECORDED["module"]["keys"])


def test_restores_tensorflow_module_checkpoint():
    holder = Holder()
    status = tf.train.Checkpoint(module=holder).read(str(FIXTURES / "module"))
    status.assert_consumed().assert_existing_objects_matched().assert_nontrivial_match()
    keys = RECORDED["module"]["keys"]
    np.testing.assert_array_equal(
        holder.table.numpy(), expected_value(keys["module/table/.ATTRIBUTES/VARIABLE_VALUE"])
    )
    assert holder.child.counter.numpy() == 7
    assert holder.items[1].numpy().tolist() == [1.5, -2.0]


def test_restores_every_dtype_from_tensorflow():
    entries = {
        key.split("/")[0]: entry
        for key, entry in RECORDED["dtypes"]["keys"].items()
        if key != "_CHECKPOINTABLE_OBJECT_GRAPH"
    }
    variables = {
        name: tf.Variable(np.zeros_like(expected_value(entry)))
        if entry["dtype"] != "string"
        else tf.Variable(np.full(entry["shape"], b"", dtype=object))
        for name, entry in entries.items()
    }
    tf.train.Checkpoint(**variables).read(str(FIXTURES / "dtypes")).assert_consumed()
    for name, variable in variables.items():
        np.testing.assert_array_equal(np.asarray(variable.numpy()), expected_value(entries[name]))


def test_save_numbers_prefixes_and_writes_state_file(tmp_path):
    v = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(v=v)
    first = checkpoint.save(str(tmp_path / "run" / "ckpt"))
    second = checkpoint.save(str(tmp_path / "run" / "ckpt"))
    assert (first, second) == (str(tmp_path / "run" / "ckpt-1"), str(tmp_path / "run" / "ckpt-2"))
    assert int(checkpoint.save_counter.numpy()) == 2
    assert (tmp_path / "run" / "checkpoint").read_text() == (
        'model_checkpoint_path: "ckpt-2"\nall_model_checkpoint_paths: "ckpt-2"\n'
    )
    assert tf.train.latest_checkpoint(str(tmp_path / "run")) == second
    keys = [k for k, _ in tf.train.list_variables(str(tmp_path / "run"))]
    assert keys == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    restored = tf.train.Checkpoint(v=tf.Variable(0.0))
    restored.restore(first).assert_consumed()
    assert float(restored.v.numpy()) == 1.0
    assert int(restored.save_counter.numpy()) == 1


def test_status_assertions(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).write(str(tmp_path / "c"))
    partial = tf.train.Checkpoint(a=tf.Variable(0.0))
    status = partial.read(path)
    status.assert_existing_objects_matched().assert_nontrivial_match()
    with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
        status.assert_consumed()
    assert status.expect_partial() is status
    extra = tf.train.Checkpoint(a=tf.Variable(0.0), b=tf.Variable(0.0), c=tf.Variable(0.0))
    status = extra.read(path)
    with pytest.raises(AssertionError, match="not bound to checkpointed values"):
        status.assert_existing_objects_matched()
    unrelated = tf.train.Checkpoint(z=tf.Variable(0.0)).read(path)
    with pytest.raises(AssertionError, match="does not match the Python program"):
        unrelated.assert_nontrivial_match()
    nothing = tf.train.Checkpoint(a=tf.Variable(0.0)).restore(None)
    with pytest.raises(AssertionError):
        nothing.assert_consumed()


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="was expecting value to be a trackable object"):
        tf.train.Checkpoint(value=3)
    with pytest.raises(
        tf.errors.NotFoundError, match="Failed to find any matching files for .*missing"
    ):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "missing"))
    path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(str(tmp_path / "c"))
    with pytest.raises(ValueError, match=r"incompatible tensor with shape \(2,\)"):
        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0, 3.0])).read(path)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="expected dtype int32 does not equal original dtype float",
    ):
        tf.train.Checkpoint(v=tf.Variable([1, 2])).read(path)
    data = Path(tensor_bundle.data_path(path))
    data.write_bytes(data.read_bytes()[:-3])
    with pytest.raises(tf.errors.DataLossError):
        tf.train.Checkpoint(v=tf.Variable([0.0, 0.0])).read(path)


def test_deferred_restoration_into_attributes_created_later(tmp_path):
    source = Holder()
    path = tf.train.Checkpoint(module=source).write(str(tmp_path / "c"))
    late = tf.Module()
    status = tf.train.Checkpoint(module=late).read(path)
    with pytest.raises(AssertionError):
        status.assert_consumed()
    late.scale = tf.Variable(0.0)
    assert late.scale.numpy() == np.float32(-4.25)
    late.child = tf.Module()
    late.child.counter = tf.Variable(np.int64(0))
    assert late.child.counter.numpy() == 123
    late.items = [tf.Variable(np.int32(0)), tf.Variable(np.zeros(2, np.float32))]
    late.table = tf.Variable(np.zeros((2, 3)))
    status.assert_consumed()
    assert late.items[1].numpy().tolist() == [0.25, 8.0]


def test_shared_objects_save_once_under_their_first_path(tmp_path):
    shared = tf.Variable(5.0)
    root = tf.Module()
    root.first = shared
    root.group = [shared]
    path = tf.train.Checkpoint(root_module=root).write(str(tmp_path / "c"))
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert keys == ["_CHECKPOINTABLE_OBJECT_GRAPH", "root_module/first/.ATTRIBUTES/VARIABLE_VALUE"]


def test_reader_api(tmp_path):
    checkpoint = tf.train.Checkpoint(
        v=tf.Variable([1.0, 2.0]), n=tf.Variable(np.int64(4)), s=tf.Variable(b"text")
    )
    path = checkpoint.save(str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    assert reader.has_tensor("v/.ATTRIBUTES/VARIABLE_VALUE")
    assert not reader.has_tensor("nope")
    assert reader.get_tensor("n/.ATTRIBUTES/VARIABLE_VALUE") == np.int64(4)
    assert reader.get_tensor("s/.ATTRIBUTES/VARIABLE_VALUE") == b"text"
    assert reader.get_variable_to_shape_map()["v/.ATTRIBUTES/VARIABLE_VALUE"] == [2]
    assert reader.get_variable_to_dtype_map()["n/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    assert tf.train.load_variable(path, "v/.ATTRIBUTES/VARIABLE_VALUE").tolist() == [1.0, 2.0]
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found in checkpoint"):
        reader.get_tensor("nope")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints"):
        tf.train.load_checkpoint(str(empty))


def test_latest_checkpoint_reads_tensorflow_state_files(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    copy = tmp_path / "managed"
    shutil.copytree(FIXTURES / "managed", copy)
    assert tf.train.latest_checkpoint(str(copy)) == str(copy / "ckpt-3")
    state = tf.train.get_checkpoint_state(str(copy))
    assert state.all_model_checkpoint_paths == [str(copy / "ckpt-2"), str(copy / "ckpt-3")]
    assert len(state.all_model_checkpoint_timestamps) == 2
    os.remove(copy / "ckpt-3.index")
    assert tf.train.latest_checkpoint(str(copy)) is None
    (tmp_path / "checkpoint").write_text("not a state file")
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_root_argument_saves_the_root_objects_children(tmp_path):
    module = tf.Module()
    module.v = tf.Variable(1.0)
    path = tf.train.Checkpoint(root=module, extra=tf.Variable(2.0)).save(str(tmp_path / "x"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "extra/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        "v/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    fresh = tf.Module()
    fresh.v = tf.Variable(0.0)
    tf.train.Checkpoint(root=fresh).restore(path).expect_partial()
    assert float(fresh.v.numpy()) == 1.0
