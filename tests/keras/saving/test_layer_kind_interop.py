"""Conv and recurrent models saved by tf_keras 2.21 as weights checkpoints and as
SavedModels (``record_layer_kind_fixtures.py``) predict in tensorflux what they
predicted in TensorFlow."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.saving import layer_kind_models

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "keras_formats" / "layer_kinds"
NAMES = sorted(layer_kind_models.MODELS)


def _recorded(name):
    record = json.loads((FIXTURES / "predictions.json").read_text())[name]
    return np.array(record["x"], "float32"), np.array(record["y"], "float32"), record


@pytest.mark.parametrize("name", NAMES)
def test_tf_weights_checkpoint_loads_into_the_same_model(name):
    x, expected, record = _recorded(name)
    model = layer_kind_models.MODELS[name](tf.keras)
    model.compile(optimizer="adam", loss="mse")
    model.load_weights(str(FIXTURES / f"{name}_ckpt" / "weights"))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert tf.train.latest_checkpoint(str(FIXTURES / f"{name}_ckpt")).endswith("weights")
    # The checkpoint holds the optimizer's state too: training resumes from its step.
    model.fit(x[:4], np.zeros((4, expected.shape[1]), "float32"), verbose=0)
    assert model.optimizer.iterations.numpy() == record["iterations"] + 1


@pytest.mark.parametrize("name", NAMES)
def test_tf_savedmodel_loads_and_serves(name):
    x, expected, _ = _recorded(name)
    model = tf.keras.models.load_model(str(FIXTURES / f"{name}_savedmodel"))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    signature = tf.saved_model.load(str(FIXTURES / f"{name}_savedmodel")).signatures[
        "serving_default"
    ]
    (key,) = signature.structured_input_signature[1]
    (out,) = signature(**{key: x}).values()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_tf_keras_loads_our_weights_checkpoints(name):
    # Recorded: tf_keras' load_weights of the checkpoints write_layer_kind_checkpoints.py
    # wrote with tensorflux, and its predictions beside ours.
    reverse = json.loads((FIXTURES / "reverse.json").read_text())[name]
    np.testing.assert_allclose(reverse["tf_keras"], reverse["ours"], rtol=1e-5, atol=1e-6)
    assert reverse["iterations"] == 2
    # Our predictions are still what the recording saw.
    model = layer_kind_models.train_one_epoch_seeded(tf.keras, name)
    x, _ = layer_kind_models.data(name)
    np.testing.assert_allclose(model.predict(x, verbose=0), reverse["ours"], rtol=1e-5, atol=1e-6)
