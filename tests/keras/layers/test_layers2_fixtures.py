"""Identity, GaussianDropout, AlphaDropout, EinsumDense, GroupNormalization and
others against Keras 2 (tf_keras) recordings: seeded weight initializers and random
draws, outputs per ``training`` value, weight names and shapes, configs, errors."""

import builtins
import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "layers2.json").read_text())
CASES = FIXTURES["cases"]
ERRORS = FIXTURES["errors"]
CROSSINGS = FIXTURES["crossings"]


def _make(cls, kwargs, **extra):
    kwargs = dict(kwargs)
    if "layer" in kwargs:
        kwargs["layer"] = layers.deserialize(kwargs["layer"])
    return getattr(layers, cls)(**kwargs, **extra)


def _run(name, case):
    tf.keras.utils.set_random_seed(case["seed"])
    layer = _make(case["cls"], case["kwargs"], name=name)
    x = tf.constant(np.array(case["input"], dtype=case["input_dtype"]))
    layer(x)
    initial = [(w.name, w.shape.as_list(), w.trainable, w.numpy()) for w in layer.weights]
    assert layer.compute_output_shape(x.shape).as_list() == case["output_shape"]
    outputs = []
    for training in case["training"]:
        y = layer(x) if training is None else layer(x, training=training)
        outputs.append(y.numpy())
    return layer, initial, outputs


def _assert_weights(actual, expected, what):
    assert [w[0] for w in actual] == [w["name"] for w in expected], what
    for (_, shape, trainable, value), want in zip(actual, expected):
        assert shape == want["shape"] and trainable == want["trainable"], what
        np.testing.assert_allclose(value, np.array(want["value"]), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tf_keras(name):
    case = CASES[name]
    layer, initial, outputs = _run(name, case)
    _assert_weights(initial, case["initial_weights"], f"{name}: initial weights")
    for got, want in zip(outputs, case["outputs"]):
        np.testing.assert_allclose(got, np.array(want), rtol=1e-5, atol=1e-5, err_msg=name)
    final = [(w.name, w.shape.as_list(), w.trainable, w.numpy()) for w in layer.weights]
    _assert_weights(final, case["final_weights"], f"{name}: weights after the calls")
    config = {k: v for k, v in layer.get_config().items() if k != "name"}
    expected = dict(case["config"])
    if "layer" in expected:
        # tf_keras adds the built wrapped layer's input shape, which
        # ``layers.serialize`` leaves out (it is not needed to rebuild the layer).
        expected["layer"] = {k: v for k, v in expected["layer"].items() if k != "build_config"}
    assert json.loads(json.dumps(config)) == expected


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_tf_keras(name):
    case = ERRORS[name]
    with pytest.raises(getattr(builtins, case["type"], Exception)) as info:
        _make(case["cls"], case["kwargs"], name=name).build(tf.TensorShape(case["shape"]))
    assert type(info.value).__name__ == case["type"]
    assert str(info.value) == case["message"]


@pytest.mark.parametrize("name", sorted(CROSSINGS))
def test_hashed_crossing_bins_match_tf_keras(name):
    case = CROSSINGS[name]
    layer = layers.HashedCrossing(**case["kwargs"])
    inputs = tuple(tf.constant(v, dtype=d) for v, d in case["inputs"])
    out = layer(inputs)
    assert out.dtype.name == case["dtype"]
    np.testing.assert_array_equal(out.numpy(), np.array(case["output"]))
    assert {k: v for k, v in layer.get_config().items() if k != "name"} == case["config"]
