"""Files written by tf-keras 2.21 and Keras 3 load here with their predictions, and
TensorFlow loads ours with our predictions (fixtures from
``record_keras_format_fixtures.py``)."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.saving import format_models
from tests.keras.saving.make_our_format_files import main as make_our_files

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "keras_formats")

with open(os.path.join(FIXTURES, "predictions.json")) as _f:
    _RECORDED = json.load(_f)
PREDICTIONS, WEIGHTS_ONLY = _RECORDED["predictions"], _RECORDED["weights_only"]
with open(os.path.join(FIXTURES, "reverse.json")) as _f:
    REVERSE = json.load(_f)


@pytest.mark.parametrize("filename", sorted(PREDICTIONS))
def test_their_file_loads_with_their_predictions(filename):
    name = filename.split(".")[0]
    x, _ = format_models.data(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = tf.keras.models.load_model(os.path.join(FIXTURES, filename))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), PREDICTIONS[filename], rtol=1e-6, atol=1e-6
    )
    # Compiled as saved, with the optimizer's state after its two steps.
    assert model.optimizer is not None
    assert int(model.optimizer.iterations.numpy()) == 2
    assert len(model.optimizer.variables) == 1 + 2 * len(model.trainable_variables)


@pytest.mark.parametrize("filename", sorted(f for f in PREDICTIONS if f.endswith(".keras")))
def test_their_keras_file_loads_weights_only(filename):
    name = filename.split(".")[0]
    x, _ = format_models.data(name)
    model = {**format_models.MODELS, **format_models.TF_KERAS_ONLY}[name](tf.keras)
    model.load_weights(os.path.join(FIXTURES, filename))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), PREDICTIONS[filename], rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("filename", sorted(f for f in PREDICTIONS if f.endswith(".h5")))
def test_their_h5_file_gives_weights_to_load_weights(filename):
    name = filename.split(".")[0]
    x, _ = format_models.data(name)
    model = {**format_models.MODELS, **format_models.TF_KERAS_ONLY}[name](tf.keras)
    model.load_weights(os.path.join(FIXTURES, filename))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), PREDICTIONS[filename], rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("filename", sorted(WEIGHTS_ONLY))
def test_their_weights_h5_file_loads(filename):
    """tf-keras's and Keras 3's ``save_weights("x.weights.h5")`` layout."""
    name = filename.split(".")[0]
    x, _ = format_models.data(name)
    model = format_models.MODELS[name](tf.keras)
    model.load_weights(os.path.join(FIXTURES, filename))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), WEIGHTS_ONLY[filename], rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("name", sorted(REVERSE))
def test_tensorflow_reads_our_files_with_our_predictions(name):
    entry = REVERSE[name]
    readers = ["tf_keras_h5", "tf_keras_keras"]
    if name in format_models.MODELS:
        readers.append("keras3_h5")
    for reader in readers:
        np.testing.assert_allclose(entry[reader], entry["tensorflux"], rtol=1e-6, atol=1e-6)
    assert entry["tf_keras_h5_iterations"] == entry["tf_keras_keras_iterations"] == 2


@pytest.fixture(scope="module")
def our_files(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("ours"))
    make_our_files(folder)
    return folder


@pytest.mark.parametrize("name", sorted(REVERSE))
def test_our_files_are_the_ones_recorded(our_files, name):
    """Today's writer makes the models TensorFlow was recorded reading, and reads them
    back itself."""
    with open(os.path.join(our_files, "ours_predictions.json")) as f:
        ours = json.load(f)
    np.testing.assert_allclose(ours[name], REVERSE[name]["tensorflux"], rtol=1e-6, atol=1e-6)
    x, _ = format_models.data(name)
    for suffix in (".h5", ".keras"):
        model = tf.keras.models.load_model(os.path.join(our_files, f"{name}.ours{suffix}"))
        np.testing.assert_allclose(model.predict(x, verbose=0), ours[name], rtol=1e-6, atol=1e-6)
        assert int(model.optimizer.iterations.numpy()) == 2


def test_our_h5_has_tf_keras_layout(our_files):
    import h5py

    with (
        h5py.File(os.path.join(FIXTURES, "dense.tfk.h5")) as theirs,
        h5py.File(os.path.join(our_files, "dense.ours.h5")) as ours,
    ):
        assert sorted(ours.attrs) == sorted(theirs.attrs)
        assert sorted(ours) == sorted(theirs)
        assert sorted(ours["model_weights"].attrs) == sorted(theirs["model_weights"].attrs)
        assert len(ours["model_weights"].attrs["layer_names"]) == 3
        names = [
            n.decode() if isinstance(n, bytes) else n
            for n in ours["optimizer_weights"].attrs["weight_names"]
        ]
        assert names[0] == "iteration:0" and names[1].startswith("Adam/m/")
        assert names[2].startswith("Adam/v/")
        config = json.loads(ours.attrs["model_config"])
        assert config["class_name"] == "Sequential"
        assert "module" not in config["config"]["layers"][1]


def test_our_keras_archive_has_tf_keras_layout(our_files):
    import zipfile

    with zipfile.ZipFile(os.path.join(our_files, "two_branch.ours.keras")) as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert json.loads(archive.read("metadata.json"))["keras_version"].startswith("2.")
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Functional"
    layers = config["config"]["layers"]
    assert layers[1]["inbound_nodes"] == [[["features", 0, 0, {}]]]
    assert config["config"]["input_layers"] == [["features", 0, 0]]
    assert config["compile_config"]["loss"] == "mean_squared_error"
