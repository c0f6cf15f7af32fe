"""Configs in the spellings of tf-keras 2.x and Keras 3, turned into ours and back."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.saving import config_dialects


def _keras3_tensor(layer, node=0, tensor=0):
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 3], "dtype": "float32", "keras_history": [layer, node, tensor]},
    }


POLICY = {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "float32"},
    "registered_name": None,
}

KERAS3_FUNCTIONAL = {
    "module": "keras.src.models.functional",
    "class_name": "Functional",
    "registered_name": "Functional",
    "config": {
        "name": "k3",
        "trainable": True,
        "layers": [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "name": "x",
                "config": {
                    "batch_shape": [None, 3],
                    "dtype": "float32",
                    "sparse": False,
                    "ragged": False,
                    "name": "x",
                    "optional": False,
                },
                "registered_name": None,
                "inbound_nodes": [],
            },
            {
                "module": "keras.layers",
                "class_name": "Dense",
                "name": "d",
                "config": {
                    "name": "d",
                    "trainable": True,
                    "dtype": POLICY,
                    "units": 2,
                    "activation": "relu",
                    "use_bias": True,
                    "quantization_config": None,
                    "kernel_initializer": {
                        "module": "keras.initializers",
                        "class_name": "GlorotUniform",
                        "config": {"seed": None, "input_axes": None, "output_axes": None},
                        "registered_name": None,
                    },
                },
                "registered_name": None,
                "build_config": {"input_shape": [None, 3]},
                "inbound_nodes": [{"args": [_keras3_tensor("x")], "kwargs": {}}],
            },
        ],
        "input_layers": ["x", 0, 0],
        "output_layers": ["d", 0, 0],
    },
}


def test_keras3_functional_config():
    config = config_dialects.normalize(KERAS3_FUNCTIONAL)
    dense = config["config"]["layers"][1]
    assert dense["inbound_nodes"] == [
        {"inputs": ["__keras_tensor__", "x", 0, 0], "args": [], "kwargs": {}}
    ]
    assert dense["config"]["dtype"] == "float32"
    assert "quantization_config" not in dense["config"]
    assert "input_axes" not in dense["config"]["kernel_initializer"]["config"]
    assert config["config"]["layers"][0]["config"]["batch_input_shape"] == [None, 3]
    model = tf.keras.layers.deserialize(config)
    assert model.output_shape == (None, 2)
    assert KERAS3_FUNCTIONAL["config"]["layers"][1]["config"]["dtype"] is POLICY  # a copy


def test_set_unknown_arguments_are_kept_for_the_error():
    config = {"class_name": "Dense", "config": {"name": "d", "units": 2, "lora_rank": 4}}
    normalized = config_dialects.normalize(config)
    assert normalized["config"]["lora_rank"] == 4
    with pytest.raises(TypeError, match="lora_rank"):
        tf.keras.layers.deserialize(normalized)


def test_tf_keras_nodes_and_back():
    inputs = tf.keras.Input(shape=(3,), name="x")
    left, right = (
        tf.keras.layers.Dense(2, name="l")(inputs),
        tf.keras.layers.Dense(2, name="r")(inputs),
    )
    model = tf.keras.Model(inputs, tf.keras.layers.Concatenate(name="c")([left, right]))
    ours = tf.keras.layers.serialize(model)
    theirs = config_dialects.to_tf_keras(ours)
    layers = {entry["name"]: entry for entry in theirs["config"]["layers"]}
    assert layers["c"]["inbound_nodes"] == [[["l", 0, 0, {}], ["r", 0, 0, {}]]]
    assert theirs["config"]["input_layers"] == [["x", 0, 0]]
    assert theirs["config"]["output_layers"] == [["c", 0, 0]]
    back = config_dialects.normalize(theirs)
    assert tf.keras.layers.deserialize(back).output_shape == (None, 4)
    legacy = config_dialects.to_tf_keras(ours, legacy=True)
    assert "module" not in legacy["config"]["layers"][1]


def test_keyword_tensors_become_tf_keras_triples_and_back():
    # tf-keras reads a keyword tensor (an RNN's initial_state) of an inbound node as a
    # [layer, node, tensor] triple; ours were written in our own form, which it refused.
    x = tf.keras.Input((5, 3), name="x")
    h, c = tf.keras.Input((4,), name="h"), tf.keras.Input((4,), name="c")
    out = tf.keras.layers.LSTM(4, name="lstm")(x, initial_state=[h, c])
    model = tf.keras.Model([x, h, c], out)
    theirs = config_dialects.to_tf_keras(tf.keras.layers.serialize(model))
    layers = {entry["name"]: entry for entry in theirs["config"]["layers"]}
    assert layers["lstm"]["inbound_nodes"] == [
        [["x", 0, 0, {"initial_state": [["h", 0, 0], ["c", 0, 0]]}]]
    ]
    back = tf.keras.layers.deserialize(config_dialects.normalize(theirs))
    values = [np.ones((2, 5, 3), "float32"), np.full((2, 4), 0.5, "float32")]
    values.append(np.zeros((2, 4), "float32"))
    back.set_weights(model.get_weights())
    np.testing.assert_array_equal(back.predict(values, verbose=0), model.predict(values, verbose=0))


def test_optimizer_spellings():
    config = config_dialects.normalize_compile(
        {
            "optimizer_config": {
                "class_name": "Custom>Adam",
                "config": {
                    "learning_rate": 0.01,
                    "loss_scale_factor": None,
                    "gradient_accumulation_steps": None,
                },
            }
        }
    )
    optimizer = tf.keras.optimizers.deserialize(config["optimizer_config"])
    assert type(optimizer).__name__ == "Adam"
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.01)


def test_missing_h5py_is_a_clear_import_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "h5py", None)
    model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(1)])
    with pytest.raises(ImportError, match="requires h5py"):
        model.save(str(tmp_path / "m.keras"))


def test_model_from_json_reads_tf_keras_json():
    import json
    import os

    import h5py

    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "..",
        "..",
        "fixtures",
        "keras_formats",
        "operators.tfk.h5",
    )
    with h5py.File(path) as f:
        text = f.attrs["model_config"]
    text = text.decode() if isinstance(text, bytes) else text
    model = tf.keras.models.model_from_json(text)
    assert model.output_shape == (None, 2)
    # ``to_json`` speaks tf-keras's dialect back.
    again = json.loads(model.to_json())
    assert again["config"]["output_layers"] == [["head", 0, 0]]
    assert tf.keras.models.model_from_json(model.to_json()).output_shape == (None, 2)
