"""``keras.utils``: object serialization and ``audio_dataset_from_directory`` against
tf_keras' recorded results (``tests/keras/record_utils_more_fixtures.py``), and
``experimental.DatasetCreator`` / ``SidecarEvaluator`` at work."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.utils_more_cases import AUDIO_CASES, serialization_cases, write_wav_folder

with open(
    os.path.join(os.path.dirname(__file__), "fixtures", "utils_more.json"), encoding="utf-8"
) as _f:
    FIXTURE = json.load(_f)
UTILS = tf.keras.utils


@pytest.fixture(autouse=True)
def _no_global_seed():
    # The recorded orders come from op seeds alone; a global seed left by another test
    # would change the seeds TF and tensorflux derive.
    tf.random.set_seed(None)


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "to_list"):
        return value.to_list()
    if hasattr(value, "numpy"):
        value = value.numpy()
    return value.tolist() if hasattr(value, "tolist") else value


@pytest.mark.parametrize("name", sorted(FIXTURE["serialized"]))
def test_serialize_keras_object_matches_tf_keras(name):
    obj = serialization_cases(tf.keras)[name]
    assert UTILS.serialize_keras_object(obj) == FIXTURE["serialized"][name]


@pytest.mark.parametrize("name", ["dense", "adam", "glorot", "l2", "nonneg", "mse", "relu"])
def test_deserialize_rebuilds_the_object(name):
    obj = serialization_cases(tf.keras)[name]
    config = UTILS.serialize_keras_object(obj)
    rebuilt = UTILS.deserialize_keras_object(config)
    if name == "relu":
        assert rebuilt is tf.keras.activations.relu
    else:
        assert type(rebuilt) is type(obj)
        assert UTILS.serialize_keras_object(rebuilt) == config


def test_legacy_forms():
    config = UTILS.legacy.serialize_keras_object(tf.keras.layers.Dense(2, name="d"))
    assert config == FIXTURE["legacy"]["dense"]
    dense = UTILS.legacy.deserialize_keras_object(
        config, module_objects={"Dense": tf.keras.layers.Dense}
    )
    assert isinstance(dense, tf.keras.layers.Dense) and dense.units == 2
    with pytest.raises(ValueError, match="Unknown object"):
        UTILS.legacy.deserialize_keras_object({"class_name": "Nope", "config": {}})


@pytest.fixture(scope="module")
def wav_folder(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("wavs"))
    write_wav_folder(tf, folder)
    return folder


@pytest.mark.parametrize("name", sorted(AUDIO_CASES))
def test_audio_dataset_matches_tf_keras(name, wav_folder, capsys):
    dataset = UTILS.audio_dataset_from_directory(wav_folder, **AUDIO_CASES[name])
    expected = FIXTURE["audio"][name]
    assert str(dataset.element_spec) == expected["spec"]
    assert dataset.class_names == expected["class_names"]
    # Samples are int16 / 32768: exact in float32, so the batches compare equal.
    assert [_plain(b) for b in dataset] == expected["batches"]


def test_audio_dataset_arguments_as_tf_keras(wav_folder):
    with pytest.raises(ValueError, match="Cannot set both"):
        UTILS.audio_dataset_from_directory(wav_folder, ragged=True, output_sequence_length=3)
    with pytest.raises(ImportError, match="tensorflow-io"):
        UTILS.audio_dataset_from_directory(wav_folder, sampling_rate=16000)


def test_dataset_creator_feeds_fit():
    def make(context):
        assert context.num_replicas_in_sync == 1
        x = np.ones((8, 2), np.float32)
        return tf.data.Dataset.from_tensor_slices((x, x[:, :1])).batch(4).repeat()

    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(
        UTILS.experimental.DatasetCreator(make), epochs=1, steps_per_epoch=2, verbose=0
    )
    assert len(history.history["loss"]) == 1
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(UTILS.experimental.DatasetCreator(make), epochs=1, verbose=0)


def test_sidecar_evaluator_evaluates_each_checkpoint(tmp_path, capsys):
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
    checkpoint.save(str(tmp_path / "ckpt"))
    checkpoint.save(str(tmp_path / "ckpt"))
    x = np.ones((4, 2), np.float32)
    evaluator = UTILS.SidecarEvaluator(
        model,
        tf.data.Dataset.from_tensor_slices((x, x[:, :1])).batch(2),
        str(tmp_path),
        max_evaluations=2,
    )
    evaluator.start()
    assert capsys.readouterr().out.count("loss") >= 1
