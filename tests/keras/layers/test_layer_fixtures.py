"""Built-in layers against outputs recorded from Keras 2 (tf_keras) with the same
weights: values, masks, losses, training-mode statistics and config keys."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "layers.json").read_text())
CASES = FIXTURES["cases"]


def _inputs(case):
    dtype = case["input_dtype"]
    if isinstance(case["inputs"][0], list) and case["layer"] in _MERGES:
        return [tf.constant(np.array(x, dtype=dtype)) for x in case["inputs"]]
    return tf.constant(np.array(case["inputs"], dtype=dtype))


_MERGES = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"}


def _build(case):
    layer = getattr(layers, case["layer"])(**case["kwargs"])
    x = _inputs(case)
    layer(x)
    layer.set_weights([np.array(w, dtype="float32") for w in case["weights"]])
    return layer, x


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tf_keras(name):
    case = CASES[name]
    layer, x = _build(case)
    out = layer(x, training=False) if "training" in layer._call_spec else layer(x)
    np.testing.assert_allclose(out.numpy(), np.array(case["output"]), rtol=1e-5, atol=1e-5)
    mask = getattr(out, "_keras_mask", None)
    if case["mask"] is None:
        assert mask is None
    else:
        np.testing.assert_array_equal(mask.numpy(), np.array(case["mask"]))
    np.testing.assert_allclose([float(v) for v in layer.losses], case["losses"], rtol=1e-5)
    assert sorted(layer.get_config()) == case["config_keys"]
    if "training_output" in case:
        out = layer(x, training=True)
        np.testing.assert_allclose(
            out.numpy(), np.array(case["training_output"]), rtol=1e-5, atol=1e-5
        )
        for got, want in zip(layer.get_weights(), case["weights_after_training"]):
            np.testing.assert_allclose(got, np.array(want), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rate", ["0.2", "0.5"])
def test_dropout_scaling_matches_tf_keras(rate):
    y = layers.Dropout(float(rate))(tf.ones((400,)), training=True).numpy()
    assert sorted(set(np.round(y, 6).tolist())) == FIXTURES["dropout_values"][rate]
