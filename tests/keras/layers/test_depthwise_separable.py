"""DepthwiseConv1D/2D and SeparableConv1D/2D against Keras 2 (tf_keras) fixtures: outputs
with set weights, weight names and shapes, configs, output shapes, error messages and
the model summary; plus the standard layer checks, gradients and training in models."""

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test

FIXTURES = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "depthwise_layers.json").read_text()
)
CASES, ERRORS = FIXTURES["cases"], FIXTURES["errors"]


def _build(case):
    layer = getattr(layers, case["layer"])(**case["kwargs"])
    x = tf.constant(np.array(case["inputs"], dtype="float32"))
    layer(x)
    layer.set_weights([np.array(w, dtype="float32") for w in case["weights"]])
    return layer, x


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tf_keras(name):
    case = CASES[name]
    layer, x = _build(case)
    np.testing.assert_allclose(layer(x).numpy(), np.array(case["output"]), rtol=1e-5, atol=1e-5)
    assert [w.name.split("/")[-1] for w in layer.weights] == case["weight_names"]
    assert [w.shape.as_list() for w in layer.weights] == case["weight_shapes"]
    assert re.sub(r"_\d+$", "", layer.name) == case["default_name"]
    config = json.loads(json.dumps(layer.get_config()))
    config.pop("name")
    assert config == case["config"]
    shape = [None] + list(np.shape(case["inputs"]))[1:]
    assert layer.compute_output_shape(shape).as_list() == case["output_shape"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_traced_with_unknown_batch(name):
    case = CASES[name]
    layer, x = _build(case)
    spec = tf.TensorSpec([None] + x.shape.as_list()[1:], tf.float32)
    out = tf.function(layer.__call__, input_signature=[spec])(x)
    np.testing.assert_allclose(out.numpy(), np.array(case["output"]), rtol=1e-5, atol=1e-5)


def test_config_from_tf_keras_loads():
    case = CASES["sep2d_same_mult2_tanh"]
    layer = layers.SeparableConv2D.from_config(dict(case["config"], name="from_keras"))
    assert layer.filters == 3 and layer.kernel_size == (3, 3) and layer.groups == 1
    layer = layers.DepthwiseConv2D.from_config(CASES["dw2d_dilated"]["config"])
    assert layer.dilation_rate == (2, 1)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_tf_keras(name):
    case = ERRORS[name]
    # Tuples were recorded (JSON keeps them as lists); messages quote them.
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    with pytest.raises(ValueError) as info:
        layer = getattr(layers, case["layer"])(**kwargs)
        layer(np.zeros(case["input_shape"], "float32"))
    # Layer names carry per-session counters.
    want = re.sub(r'layer "\w+"', 'layer "L"', case["message"])
    assert re.sub(r'layer "\w+"', 'layer "L"', str(info.value)) == want


def test_unknown_channels_and_channel_change():
    inputs = tf.keras.Input((5, 5, None))
    with pytest.raises(
        ValueError, match="The channel dimension of the inputs to `DepthwiseConv` should be defined"
    ):
        layers.DepthwiseConv2D(3)(inputs)
    with pytest.raises(ValueError, match="The channel dimension of the inputs should be defined"):
        layers.SeparableConv2D(2, 3)(inputs)
    layer = layers.DepthwiseConv2D(3)
    layer(tf.ones((1, 5, 5, 3)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(tf.ones((1, 5, 5, 4)))


def test_compute_output_shape_errors():
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        layers.DepthwiseConv2D(7).compute_output_shape((1, 5, 5, 3))
    with pytest.raises(
        ValueError, match="One of the dimensions in the output is <= 0 due to downsampling"
    ):
        layers.SeparableConv1D(2, 7).compute_output_shape((1, 5, 3))


def test_summary_matches_tf_keras():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 3)),
            layers.DepthwiseConv2D(3, depth_multiplier=2, name="dw"),
            layers.SeparableConv2D(5, 3, padding="same", name="sep"),
            layers.SeparableConv2D(2, 2, use_bias=False, name="sep_nobias"),
        ],
        name="depthwise_model",
    )
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    assert buffer.getvalue() == FIXTURES["summary"]


def test_aliases():
    assert layers.SeparableConvolution2D is layers.SeparableConv2D
    assert layers.SeparableConvolution1D is layers.SeparableConv1D


@pytest.mark.parametrize(
    "cls,kwargs,shape,expected",
    [
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 3, "depth_multiplier": 2},
            (2, 5, 6, 3),
            (2, 3, 4, 6),
        ),
        (
            layers.DepthwiseConv2D,
            {
                "kernel_size": (2, 3),
                "padding": "same",
                "strides": 2,
                "data_format": "channels_first",
            },
            (2, 3, 5, 6),
            (2, 3, 3, 3),
        ),
        (
            layers.DepthwiseConv1D,
            {"kernel_size": 3, "padding": "same", "depth_multiplier": 2},
            (2, 5, 3),
            (2, 5, 6),
        ),
        (
            layers.SeparableConv2D,
            {"filters": 4, "kernel_size": 3, "depth_multiplier": 2},
            (2, 5, 6, 3),
            (2, 3, 4, 4),
        ),
        (
            layers.SeparableConv1D,
            {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
            (2, 7, 3),
            (2, 7, 4),
        ),
    ],
)
def test_run_layer_test(cls, kwargs, shape, expected):
    run_layer_test(cls, kwargs, shape, expected)


@pytest.mark.parametrize(
    "cls,kwargs,shape",
    [
        (
            layers.DepthwiseConv2D,
            {"kernel_size": 2, "depth_multiplier": 2, "strides": 2},
            (1, 4, 5, 2),
        ),
        (layers.SeparableConv2D, {"filters": 2, "kernel_size": 2, "padding": "same"}, (1, 3, 3, 2)),
        (
            layers.SeparableConv1D,
            {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
            (1, 2, 4),
        ),
    ],
)
def test_layer_gradients(cls, kwargs, shape):
    layer = cls(dtype="float64", **kwargs)
    check_layer_gradients(layer, np.random.default_rng(3).normal(size=shape))


def test_training_in_models():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 8, 8, 3)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 3)),
            layers.DepthwiseConv2D(3, depth_multiplier=2, activation="relu"),
            layers.SeparableConv2D(4, 3, padding="same"),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    model.compile("adam", "mse")
    history = model.fit(x, y, epochs=4, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    inputs = tf.keras.Input((None, 4))
    hidden = layers.DepthwiseConv1D(3, padding="same")(inputs)
    outputs = layers.SeparableConv1D(2, 3, padding="causal")(hidden)
    assert outputs.shape.as_list() == [None, None, 2]
    functional = tf.keras.Model(inputs, outputs)
    functional.compile("sgd", "mse")
    functional.fit(rng.normal(size=(8, 6, 4)), rng.normal(size=(8, 6, 2)), epochs=1, verbose=0)
    assert functional.predict(rng.normal(size=(3, 9, 4)), verbose=0).shape == (3, 9, 2)
