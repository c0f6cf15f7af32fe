"""Loading never runs a file's code unless asked, saves are atomic, and bad files give
clear errors of TF's types (never a raw h5py or zipfile traceback)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
import zipfile

import numpy as np
import pytest

import tensorflux as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _model():
    return tf.keras.Sequential(
        [tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)]
    )


def _save(model, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)


# -- code in files ---------------------------------------------------------------


def _lambda_model(marker):
    def touch(x, path=marker):
        open(path, "w").close()
        return 2.0 * x

    return tf.keras.Sequential(
        [tf.keras.Input(shape=(3,)), tf.keras.layers.Lambda(touch), tf.keras.layers.Dense(2)]
    )


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_lambda_bytecode_is_refused_and_never_run(tmp_path, suffix):
    marker = str(tmp_path / "ran")
    path = str(tmp_path / f"model{suffix}")
    _save(_lambda_model(marker), path)
    os.remove(marker)  # building the model called the function once
    with pytest.raises(ValueError, match="safe_mode=False"):
        tf.keras.models.load_model(path)
    assert not os.path.exists(marker)
    # The user may opt in for a file they trust: then the function runs again.
    model = tf.keras.models.load_model(path, safe_mode=False)
    assert os.path.exists(marker)
    assert model.predict(np.ones((1, 3), "float32"), verbose=0).shape == (1, 2)


FIXTURES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "keras_formats"
)


@pytest.mark.parametrize("filename", ["lambda.tfk.keras", "lambda.tfk.h5"])
def test_tf_keras_lambda_file_is_refused(tmp_path, monkeypatch, filename):
    """tf-keras saved a Lambda whose code creates ``lambda_layer_code_ran`` in the working
    directory: loading it refuses the code, which never runs."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        tf.keras.models.load_model(os.path.join(FIXTURES, filename))
    assert os.listdir(tmp_path) == []


def test_safe_mode_does_not_outlive_the_load(tmp_path):
    path = str(tmp_path / "model.keras")
    _save(_lambda_model(str(tmp_path / "ran")), path)
    with pytest.raises(ValueError, match="safe_mode"):
        tf.keras.models.load_model(path)
    config = _lambda_model(str(tmp_path / "ran2")).get_config()
    # A config of the user's own, outside any load, is trusted as in Keras.
    assert tf.keras.Sequential.from_config(config).layers[0].__class__.__name__ == "Lambda"


# -- atomic saves ----------------------------------------------------------------

_KILLED_SAVE = """
import os, sys, time, zipfile
sys.path.insert(0, {root!r})
import h5py
import tensorflux as tf
path, started = {path!r}, {started!r}
model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(4),
                             tf.keras.layers.Dense(2)])
def stall(*args, **kwargs):
    open(started, "w").close()
    time.sleep(60)
h5py.Group.create_dataset = stall
zipfile.ZipFile.writestr = stall
model.save(path)
"""


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_save_killed_midway_leaves_the_old_file(tmp_path, suffix):
    path, started = str(tmp_path / f"model{suffix}"), str(tmp_path / "started")
    old = _model()
    _save(old, path)
    before = open(path, "rb").read()
    script = _KILLED_SAVE.format(root=ROOT, path=path, started=started)
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)])
    try:
        deadline = time.time() + 60
        while not os.path.exists(started) and time.time() < deadline:
            time.sleep(0.05)
        assert os.path.exists(started), "the saving process never started writing"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert open(path, "rb").read() == before
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(
        tf.keras.models.load_model(path).predict(x, verbose=0), old.predict(x, verbose=0)
    )


# -- bad files -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["missing.h5", "missing.keras", "missing_dir"])
def test_missing_file(tmp_path, name):
    with pytest.raises(OSError, match="No file or directory found at"):
        tf.keras.models.load_model(str(tmp_path / name))


@pytest.mark.parametrize("name", ["notes.h5", "notes.keras", "notes"])
def test_a_file_that_is_not_a_model(tmp_path, name):
    path = tmp_path / name
    path.write_text("just some text, not a model\n" * 20)
    with pytest.raises(OSError, match="truncated, corrupted or not"):
        tf.keras.models.load_model(str(path))


def test_weights_file_given_to_load_model(tmp_path):
    path = str(tmp_path / "weights.h5")
    _model().save_weights(path)
    with pytest.raises(ValueError, match="No model config found"):
        tf.keras.models.load_model(path)


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_truncated_file(tmp_path, suffix):
    path = str(tmp_path / f"model{suffix}")
    _save(_model(), path)
    data = open(path, "rb").read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    with pytest.raises(OSError, match="truncated"):
        tf.keras.models.load_model(path)


def test_corrupted_keras_member(tmp_path):
    path = str(tmp_path / "model.keras")
    _save(_model(), path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("model.weights.h5")
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(open(path, "rb").read())
    for i in range(offset + 200, offset + 400):
        data[i] ^= 0xFF
    open(path, "wb").write(bytes(data))
    with pytest.raises(OSError, match="truncated or corrupted"):
        tf.keras.models.load_model(path)


def test_corrupted_config_json(tmp_path):
    path = str(tmp_path / "model.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "2.21.0"}))
        archive.writestr("config.json", "{not json")
        archive.writestr("model.weights.h5", b"")
    with pytest.raises(ValueError, match="not valid JSON"):
        tf.keras.models.load_model(path)


def test_archive_without_a_model(tmp_path):
    path = str(tmp_path / "model.keras")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="has no config.json"):
        tf.keras.models.load_model(path)


class Doubler(tf.keras.layers.Layer):
    def call(self, inputs):
        return 2.0 * inputs


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_unknown_custom_layer_names_class_and_custom_objects(tmp_path, suffix):
    path = str(tmp_path / f"model{suffix}")
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), Doubler(), tf.keras.layers.Dense(2)])
    _save(model, path)
    with pytest.raises(ValueError, match=r"Unknown layer: 'Doubler'.*custom_objects"):
        tf.keras.models.load_model(path)
    x = np.ones((1, 3), "float32")
    loaded = tf.keras.models.load_model(path, custom_objects={"Doubler": Doubler})
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_file_from_a_newer_keras(tmp_path, suffix):
    import h5py

    path = str(tmp_path / f"model{suffix}")
    _save(_model(), path)
    if suffix == ".h5":
        with h5py.File(path, "a") as f:
            f.attrs["keras_version"] = b"4.0.0"
    else:
        with zipfile.ZipFile(path) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        members["metadata.json"] = json.dumps({"keras_version": "4.0.0"}).encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    with pytest.raises(ValueError, match="newer format version"):
        tf.keras.models.load_model(path)


def test_shape_mismatch_names_layer_and_shapes(tmp_path):
    path = str(tmp_path / "weights.h5")
    _model().save_weights(path)
    wider = tf.keras.Sequential(
        [tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(5), tf.keras.layers.Dense(2)]
    )
    with pytest.raises(
        ValueError,
        match=r"Shape mismatch in layer #0 \(named dense.*"
        r"expects shape \(3, 5\).*shape \(3, 4\).*skip_mismatch",
    ):
        wider.load_weights(path)


def test_shape_mismatch_in_keras_weights_file(tmp_path):
    path = str(tmp_path / "model.weights.h5")
    _model().save_weights(path)
    wider = tf.keras.Sequential(
        [tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(5), tf.keras.layers.Dense(2)]
    )
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(3, 4\).*skip_mismatch"):
        wider.load_weights(path)
    with pytest.warns(UserWarning, match="Skipping object"):
        wider.load_weights(path, skip_mismatch=True)
