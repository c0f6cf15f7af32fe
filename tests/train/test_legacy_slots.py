"""Slot variables of legacy (``OptimizerV2``) Keras optimizers in object-based
checkpoints: TF's keys and object graph, restoring TF's files and ours (at once, or
deferred as TF defers), the skip option and the status assertions, compared with what
``record_legacy_slot_fixtures.py`` recorded from TensorFlow 2.21."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train.object_graph import TrackableObjectGraph
from tests.train import legacy_slot_writer as shared

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "legacy_slots"
TF = json.loads((FIXTURES / "tf_written.json").read_text())
TF_READ = json.loads((FIXTURES / "tf_read_ours.json").read_text())
TF_CKPT = str(FIXTURES / "ckpt")


def graph_of(prefix) -> list:
    reader = tf.train.load_checkpoint(prefix)
    return TrackableObjectGraph.decode(reader.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")).nodes


def slot_references(nodes, as_dicts=False) -> list:
    """Each optimizer's slot references with node ids replaced by what they name: the
    optimizer's first attribute key, the original variable's key, the slot name, the
    slot's key and full name (node ids differ with the objects each library tracks)."""

    def field(node, name):
        return node[name] if as_dicts else getattr(node, name)

    def attribute(node_id):
        first = field(nodes[node_id], "attributes")[0]
        name, full_name, key = (
            first
            if as_dicts
            else (
                first.name,
                first.full_name,
                first.checkpoint_key,
            )
        )
        # Layer names count the layers made before (in this process or TF's).
        return [
            name,
            re.sub(r"/dense_\d+/", "/dense_N/", full_name.replace("/dense/", "/dense_0/")),
            key,
        ]

    out = []
    for node in nodes:
        for ref in field(node, "slot_variables"):
            original, slot_name, slot = (
                ref
                if as_dicts
                else (
                    ref.original_variable_node_id,
                    ref.slot_name,
                    ref.slot_variable_node_id,
                )
            )
            slot_node = nodes[slot]
            out.append(
                (
                    attribute(original)[2],
                    slot_name,
                    attribute(slot),
                    len(field(slot_node, "attributes")),
                    field(slot_node, "children") == [],
                    field(slot_node, "has_checkpoint_values"),
                )
            )
    return out


def assert_state(model, expected, rtol=1e-5, atol=1e-7):
    for got, want in zip(model.weights, expected["weights"]):
        np.testing.assert_allclose(np.asarray(got), want, rtol=rtol, atol=atol)
    slots = shared.slot_values(model)
    assert sorted(slots) == sorted(expected["slots"])
    for key, want in expected["slots"].items():
        np.testing.assert_allclose(slots[key], want, rtol=rtol, atol=atol)
    assert int(model.optimizer.iterations.numpy()) == expected["iterations"]


def slot_names(model) -> list:
    """The slot variables in creation order, without their layer's name."""
    names = [w.name for w in model.optimizer.weights if w.name.split("/")[-1] != "iter:0"]
    return [name.split("/", 1)[1] for name in names]


def outcome(fn) -> str:
    try:
        fn()
    except AssertionError as e:
        return "AssertionError: " + str(e).split(":")[0]
    return "ok"


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    """Our checkpoint of the recorder's Adam model after one step, and that model."""
    model = shared.dense_model(tf)
    shared.step(model)
    prefix = str(tmp_path_factory.mktemp("legacy") / "ckpt")
    tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(prefix)
    return prefix, model


def test_write_keys_values_and_slot_references_match_tf(ours):
    prefix, model = ours
    assert_state(model, TF["ckpt"])
    reader = tf.train.load_checkpoint(prefix)
    values = {k: reader.get_tensor(k) for k, _ in tf.train.list_variables(prefix)}
    values.pop("_CHECKPOINTABLE_OBJECT_GRAPH")
    assert sorted(values) == sorted(TF["ckpt"]["values"])
    for key, want in TF["ckpt"]["values"].items():
        np.testing.assert_allclose(values[key], want, rtol=1e-5, atol=1e-7)
    assert slot_references(graph_of(prefix)) == slot_references(TF["ckpt"]["graph"], True)
    # The slot references sit on the optimizer's node, the only one with any.
    nodes = graph_of(prefix)
    (optimizer,) = [n for n in nodes if n.slot_variables]
    assert optimizer.attributes == [] and optimizer.has_checkpoint_values
    slot = nodes[optimizer.slot_variables[0].slot_variable_node_id].attributes[0]
    kernel = model.layers[0].kernel
    assert slot.full_name == model.optimizer.get_slot(kernel, "m").name.split(":")[0]
    assert slot.full_name == f"Adam/{kernel.name.split(':')[0]}/m"
    assert [c.local_name for c in optimizer.children] == [
        c[1] for c in next(n for n in TF["ckpt"]["graph"] if n["slot_variables"])["children"]
    ]


def test_save_weights_of_rmsprop_slots_match_tf(tmp_path):
    model = shared.dense_model(tf, "rmsprop")
    shared.step(model)
    model.save_weights(str(tmp_path / "weights"))
    assert_state(model, TF["weights"])
    prefix = str(tmp_path / "weights")
    assert sorted(k for k, _ in tf.train.list_variables(prefix)) == sorted(
        [*TF["weights"]["values"], "_CHECKPOINTABLE_OBJECT_GRAPH"]
    )
    reader = tf.train.load_checkpoint(prefix)
    for key, want in TF["weights"]["values"].items():
        np.testing.assert_allclose(reader.get_tensor(key), want, rtol=1e-5, atol=1e-7)
    assert slot_references(graph_of(prefix)) == slot_references(TF["weights"]["graph"], True)


@pytest.mark.parametrize("source", ["tf", "ours"])
def test_restore_creates_the_slots_holding_the_saved_values(source, ours):
    prefix = TF_CKPT if source == "tf" else ours[0]
    model = shared.dense_model(tf)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(prefix)
    # As TF: the restore itself makes the slots, variable by variable, unscoped.
    assert slot_names(model) == [
        n.split("/", 1)[1] for n in TF["restored"]["after_restore"]["slot_names"]
    ]
    assert model.optimizer.weights[-1].name.startswith(model.layers[1].name + "/")
    slots = shared.slot_values(model)
    reader = tf.train.load_checkpoint(prefix)
    for key, want in TF["restored"]["after_restore"]["slots"].items():
        np.testing.assert_allclose(slots[key], want, rtol=1e-5, atol=1e-7)
        layer, kind = divmod(int(key.split("/")[0]), 2)
        saved = reader.get_tensor(
            f"model/layer_with_weights-{layer}/{['kernel', 'bias'][kind]}/.OPTIMIZER_SLOT/"
            f"optimizer/{key.split('/')[1]}/.ATTRIBUTES/VARIABLE_VALUE"
        )
        np.testing.assert_array_equal(slots[key], saved)
    shared.step(model)
    assert_state(model, TF["restored"]["after_step"])
    assert outcome(status.assert_consumed) == TF["restored"]["assert_consumed_after_step"]


def test_resumed_training_equals_uninterrupted_training(ours):
    prefix, _ = ours
    uninterrupted = shared.dense_model(tf)
    shared.step(uninterrupted)
    shared.step(uninterrupted)
    resumed = shared.dense_model(tf)
    tf.train.Checkpoint(model=resumed, optimizer=resumed.optimizer).read(prefix).assert_consumed()
    shared.step(resumed)
    for a, b in zip(uninterrupted.weights, resumed.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert shared.slot_values(uninterrupted) == shared.slot_values(resumed)
    assert_state(resumed, TF["uninterrupted"])


def test_restore_under_a_variable_creator_scope_waits_for_the_first_step():
    recorded = TF["creator_scope"]
    model = shared.dense_model(tf)
    with tf.variable_creator_scope(lambda next_creator, **kwargs: next_creator(**kwargs)):
        status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(TF_CKPT)
    assert slot_names(model) == recorded["after_restore"]["slot_names"] == []
    assert (
        outcome(status.assert_existing_objects_matched)
        == recorded["after_restore"]["assert_existing_objects_matched"]
    )
    with pytest.raises(AssertionError):
        status.assert_consumed()  # the slots' values are still waiting
    shared.step(model)
    assert_state(model, recorded["after_step"])
    assert outcome(status.assert_consumed) == recorded["assert_consumed_after_step"]


def test_optimizer_compiled_after_the_restore_gets_its_slots_on_the_first_step():
    recorded = TF["optimizer_later"]
    model = shared.dense_model(tf, compile=False)
    status = tf.train.Checkpoint(model=model).read(TF_CKPT)
    assert outcome(status.assert_consumed).startswith("AssertionError: Unresolved object")
    assert recorded["assert_consumed_before"].startswith("AssertionError: Unresolved object")
    model.compile(optimizer=tf.keras.optimizers.legacy.Adam(0.01), loss="mse")
    assert slot_names(model) == recorded["slot_names"] == []
    shared.step(model)
    assert_state(model, recorded["after_step"])
    assert outcome(status.assert_consumed) == recorded["assert_consumed_after_step"]


def test_unbuilt_model_gets_its_slots_when_its_variables_are_created(ours):
    prefix, _ = ours
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(4, activation="relu"), tf.keras.layers.Dense(2)]
    )
    model.compile(optimizer=tf.keras.optimizers.legacy.Adam(0.01), loss="mse")
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(prefix)
    assert slot_names(model) == []
    model(shared.X[:1])
    assert len(slot_names(model)) == 8
    shared.step(model)
    status.assert_consumed()
    assert_state(model, TF["restored"]["after_step"])


def test_skip_slot_variables_writes_them_and_restores_none(tmp_path, ours):
    recorded = TF["skip_slots"]
    _, trained = ours
    options = tf.train.CheckpointOptions(experimental_skip_slot_variables=True)
    prefix = tf.train.Checkpoint(model=trained, optimizer=trained.optimizer).write(
        str(tmp_path / "c"), options=options
    )
    assert sorted(k for k, _ in tf.train.list_variables(prefix)) == TF["skip_option_write_keys"]

    model = shared.dense_model(tf)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(TF_CKPT, options)
    assert slot_names(model) == recorded["slot_names"] == []
    shared.step(model)
    assert outcome(status.assert_consumed) == recorded["assert_consumed_after_step"]
    # Existing slots are left as they are.
    before = shared.slot_values(model)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(TF_CKPT, options)
    assert shared.slot_values(model) == before
    assert (
        outcome(status.assert_consumed) == recorded["existing_slots_after_step"]["assert_consumed"]
    )
    for key, want in recorded["existing_slots_after_step"]["slots"].items():
        np.testing.assert_allclose(before[key], want, rtol=1e-5, atol=1e-7)


def test_slots_missing_from_the_checkpoint_are_unmatched_objects(tmp_path):
    recorded = TF["slots_missing_from_checkpoint"]
    model = shared.dense_model(tf)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    prefix = checkpoint.write(str(tmp_path / "c"))
    shared.step(model)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(prefix)
    assert (
        outcome(status.assert_existing_objects_matched)
        == (recorded["assert_existing_objects_matched"])
    )
    options = tf.train.CheckpointOptions(experimental_skip_slot_variables=True)
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(prefix, options)
    assert outcome(status.assert_existing_objects_matched) == recorded["with_skip"]


def test_tensorflow_restored_our_files():
    """Recorded: TF 2.21 restored tensorflux's files (assert_consumed passed) and took one
    more step; its slots are the values we wrote, its step is ours."""
    written = TF_READ["written"]
    for name in ("ckpt", "weights"):
        assert TF_READ["keys"][name] == sorted(
            [*TF[name]["values"], "_CHECKPOINTABLE_OBJECT_GRAPH"]
        )
    for name, kind in (("ckpt", "adam"), ("weights", "rmsprop")):
        assert TF_READ[name]["restored"]["slots"] == written[name]["slots"]
        model = shared.dense_model(tf, kind)
        shared.step(model)
        shared.step(model)
        assert_state(model, TF_READ[name]["after_step"])


def test_new_optimizers_write_no_slot_references(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    shared.step(model)
    prefix = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(str(tmp_path / "c"))
    keys = [k for k, _ in tf.train.list_variables(prefix)]
    assert not any(".OPTIMIZER_SLOT" in k for k in keys)
    assert "optimizer/_variables/1/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert not any(n.slot_variables for n in graph_of(prefix))


def test_existing_slots_take_the_saved_values_at_once():
    model = shared.dense_model(tf)
    shared.step(model)
    shared.step(model)
    slots = {id(w): w for w in model.optimizer.weights}
    status = tf.train.Checkpoint(model=model, optimizer=model.optimizer).read(TF_CKPT)
    assert {id(w) for w in model.optimizer.weights} == set(slots)  # no new slot
    for key, want in TF["ckpt"]["slots"].items():
        np.testing.assert_array_equal(shared.slot_values(model)[key], np.float32(want))
    status.assert_consumed()


def test_checkpoint_manager_saves_the_slots(tmp_path, ours):
    _, model = ours
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(model=model, optimizer=model.optimizer), str(tmp_path), max_to_keep=1
    )
    keys = {k for k, _ in tf.train.list_variables(manager.save())}
    assert keys == {
        *TF["ckpt"]["values"],
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
    }


def test_restore_makes_the_save_counter_a_write_did_not_save():
    model = shared.dense_model(tf)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    status = checkpoint.restore(TF_CKPT)
    assert int(checkpoint.save_counter.numpy()) == 0
    shared.step(model)
    expected = TF["restored"]["restore_assert_consumed_after_step"]
    assert outcome(status.assert_consumed) == expected
    assert expected.startswith("AssertionError: Found 1 Python objects that were not bound")


def test_load_weights_of_tf_rmsprop_weights_resumes_as_tf():
    recorded = TF["weights"]
    model = shared.dense_model(tf, "rmsprop")
    status = model.load_weights(str(FIXTURES / "weights"))
    slots = shared.slot_values(model)
    assert sorted(slots) == sorted(recorded["restored_slots"])
    for key, want in recorded["restored_slots"].items():
        np.testing.assert_array_equal(slots[key], np.float32(want))
    shared.step(model)
    status.assert_consumed()
    assert_state(model, recorded["resumed"])
