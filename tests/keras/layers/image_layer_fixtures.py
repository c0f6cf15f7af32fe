"""Shared checks of the image-shaped, spatial-dropout and activation layers against
``tests/keras/fixtures/image_layers.json`` (recorded from tf_keras by
``tests/keras/record_image_layer_fixtures.py``)."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "image_layers.json").read_text())


def cases_of(classes) -> list:
    return sorted(name for name, case in FIXTURES["cases"].items() if case["class"] in classes)


def errors_of(classes) -> list:
    return sorted(name for name, case in FIXTURES["errors"].items() if case["class"] in classes)


def check_case(name) -> None:
    """Output, dtype, config, weight names and compute_output_shape as tf_keras."""
    case = FIXTURES["cases"][name]
    tf.keras.backend.clear_session()
    layer = getattr(layers, case["class"])(**case["kwargs"])
    x = tf.constant(np.array(case["input"], dtype=np.float32))
    kwargs = {} if case["mask"] is None else {"mask": tf.constant(np.array(case["mask"]))}
    layer(x, **kwargs)
    layer.set_weights([np.array(w, dtype=np.float32) for w in case["weights"]])
    out = layer(x, **kwargs)
    assert out.dtype.name == case["output_dtype"]
    np.testing.assert_allclose(out.numpy(), np.array(case["output"]), rtol=1e-6, atol=1e-6)
    assert json.loads(json.dumps(layer.get_config())) == case["config"]
    assert [w.name for w in layer.weights] == case["weight_names"]
    shape = layer.compute_output_shape((None,) + tuple(x.shape.as_list()[1:]))
    assert shape.as_list() == case["output_shape"]


def _keras_message(message: str) -> str:
    """The message Keras raised, without its "Exception encountered when calling layer"
    frame (tensorflux raises the inner error as it is)."""
    if message.startswith("Exception encountered when calling layer"):
        return message.split("\n\n")[1]
    return message


def _tuples(value):
    """JSON's lists back to the tuples the recording passed (messages quote them)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def check_error(name) -> None:
    case = FIXTURES["errors"][name]
    error = {"ValueError": ValueError, "NotImplementedError": NotImplementedError}[case["type"]]
    cls = getattr(layers, case["class"])
    tf.keras.backend.clear_session()
    with pytest.raises(error) as info:
        layer = cls(**_tuples(case["kwargs"]))
        for shape in case["shape"] or ():
            layer(tf.ones(shape))
    assert str(info.value) == _keras_message(case["message"])
