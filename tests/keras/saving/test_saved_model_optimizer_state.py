"""The optimizer state in Keras SavedModels, against tf-keras 2.21
(``tests/saved_model/record_assets_slots_fixtures.py``).

tf-keras' ``load_model`` compiles the loaded model with a new optimizer (iteration 0,
no slots) whatever state the SavedModel holds; ``load_weights`` of the SavedModel's
``variables/variables`` on a compiled model brings the state back (the iterations at
once, the slots when created: at once for the legacy optimizers, at the first step
for the others), and training resumes where it stopped.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.saving import optimizer_state_models as osm

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "savedmodels"
RECORD = json.loads((FIXTURES / "assets_slots.json").read_text())["optimizer_state"]


def _close(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=2e-5, atol=1e-6)


def _canonical(values):
    """Optimizer values with the iteration count first: after a restore, tf-keras'
    legacy optimizers list their slots (created by the restore) before it."""
    return [v for v in values if np.ndim(v) == 0] + [v for v in values if np.ndim(v)]


def _state(model):
    """The iterations, then each slot by slot name and variable (the legacy
    optimizers list their slots in creation order, which a restore changes)."""
    opt = model.optimizer
    if not hasattr(opt, "get_slot_names"):
        return [np.asarray(v) for v in osm.optimizer_values(model)]
    slots = [
        opt.get_slot(v, s).numpy() for s in opt.get_slot_names() for v in model.trainable_variables
    ]
    return [opt.iterations.numpy()] + slots


def _step(model):
    model.train_on_batch(osm.STEP_X, osm.STEP_Y)


@pytest.mark.parametrize("name", osm.OPTIMIZERS)
def test_load_model_of_tf_keras_file_starts_a_new_optimizer(name):
    record = RECORD[name]["tf_keras"]
    model = tf.keras.models.load_model(str(FIXTURES / f"tk_state_{name}"))
    _close(osm.weights(model), record["weights"])
    assert model.optimizer.iterations.numpy() == record["load_model"]["iterations"] == 0
    _step(model)
    _close(osm.weights(model), record["load_model"]["after_step"])
    _close(osm.optimizer_values(model), record["load_model"]["optimizer_after_step"])


@pytest.mark.parametrize("name", osm.OPTIMIZERS)
def test_load_weights_of_tf_keras_file_resumes(name):
    record = RECORD[name]["tf_keras"]
    model = osm.build(tf.keras, name)
    model.load_weights(str(FIXTURES / f"tk_state_{name}" / "variables" / "variables"))
    assert model.optimizer.iterations.numpy() == record["load_weights"]["iterations"] == 4
    # The legacy optimizers create their slots as they are restored, the others on
    # their first step (the restore waits for it).
    assert len(osm.optimizer_values(model)) == record["load_weights"]["optimizer_variables"]
    if len(osm.optimizer_values(model)) > 1:
        _close(_state(model), record["optimizer"])
    _step(model)
    _close(osm.weights(model), record["uninterrupted_after_step"])
    _close(_state(model), record["uninterrupted_optimizer_after_step"])
    _close(osm.weights(model), record["load_weights"]["after_step"])


@pytest.mark.parametrize("name", osm.OPTIMIZERS)
def test_our_file_resumes_bit_for_bit(tmp_path, name):
    model = osm.trained(tf.keras, name)
    model.save(str(tmp_path / "m"))
    loaded = tf.keras.models.load_model(str(tmp_path / "m"))
    assert loaded.optimizer.iterations.numpy() == 0
    assert type(loaded.optimizer) is type(model.optimizer)
    resumed = osm.build(tf.keras, name)
    resumed.load_weights(str(tmp_path / "m" / "variables" / "variables"))
    assert resumed.optimizer.iterations.numpy() == 4
    for m in (model, resumed):
        _step(m)
    for a, b in zip(model.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(_state(model), _state(resumed), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", osm.OPTIMIZERS)
def test_tf_keras_reads_our_file_as_its_own(tmp_path, name):
    """What tf-keras did with our SavedModel of the same training is what it did with
    its own; our loaders do the same with ours."""
    record = RECORD[name]
    assert record["tf_reads_ours"]["load_model"]["iterations"] == 0
    assert record["tf_reads_ours"]["load_weights"]["iterations"] == 4
    _close(
        record["tf_reads_ours"]["load_weights"]["after_step"],
        record["tf_keras"]["uninterrupted_after_step"],
    )
    model = osm.trained(tf.keras, name)
    _close(osm.weights(model), record["tf_keras"]["weights"])
    _close(osm.optimizer_values(model), record["tf_keras"]["optimizer"])
    model.save(str(tmp_path / "m"))
    loaded = tf.keras.models.load_model(str(tmp_path / "m"))
    _step(loaded)
    _close(osm.weights(loaded), record["tf_reads_ours"]["load_model"]["after_step"])
    resumed = osm.build(tf.keras, name)
    resumed.load_weights(str(tmp_path / "m" / "variables" / "variables"))
    assert (
        len(osm.optimizer_values(resumed))
        == record["tf_reads_ours"]["load_weights"]["optimizer_variables"]
    )
    _step(resumed)
    _close(osm.weights(resumed), record["tf_reads_ours"]["load_weights"]["after_step"])
    _close(
        _canonical(osm.optimizer_values(resumed)),
        _canonical(record["tf_reads_ours"]["load_weights"]["optimizer_after_step"]),
    )


@pytest.mark.parametrize("name", ["legacy_adam", "legacy_sgd_momentum"])
def test_legacy_slots_saved_under_tf_keys(tmp_path, name):
    model = osm.trained(tf.keras, name)
    model.save(str(tmp_path / "m"))
    ours = {k for k, _ in tf.train.list_variables(str(tmp_path / "m" / "variables" / "variables"))}
    theirs = {
        k
        for k, _ in tf.train.list_variables(
            str(FIXTURES / f"tk_state_{name}" / "variables" / "variables")
        )
    }
    assert {k for k in ours if "OPTIMIZER_SLOT" in k} == {
        k for k in theirs if "OPTIMIZER_SLOT" in k
    }
    assert {k for k in ours if k.startswith("optimizer/")} == {
        k for k in theirs if k.startswith("optimizer/")
    }
    # tf.saved_model.load reads the slot variables too (nodes of no parent).
    assert tf.saved_model.load(str(tmp_path / "m")) is not None


def test_without_optimizer_no_slots(tmp_path):
    model = osm.trained(tf.keras, "legacy_adam")
    model.save(str(tmp_path / "m"), include_optimizer=False)
    keys = [k for k, _ in tf.train.list_variables(str(tmp_path / "m" / "variables" / "variables"))]
    assert not [k for k in keys if "OPTIMIZER_SLOT" in k or k.startswith("optimizer")]


def test_load_model_without_training_config_warns_as_tf_keras(tmp_path, caplog):
    model = osm.trained(tf.keras, "legacy_sgd_momentum")
    model.save(str(tmp_path / "bare"), include_optimizer=False)
    with caplog.at_level("WARNING", logger="tensorflow"):
        loaded = tf.keras.models.load_model(str(tmp_path / "bare"))
    assert "No training configuration found in save file" in caplog.text
    assert not loaded._compiled
