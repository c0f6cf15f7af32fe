"""Tests for the Keras convolution layers: values and configs against tf_keras, shapes,
weights, training, traces and errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import UnimplementedError
from tensorflux.testing.layer_test import check_layer_gradients, run_layer_test

FIXTURES = json.loads((Path(__file__).parent.parent / "fixtures" / "conv_layers.json").read_text())
SUMMARY = FIXTURES.pop("summary")
layers = tf.keras.layers


# -- against tf_keras -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_outputs_configs_and_weights_match_tf_keras(name):
    case = FIXTURES[name]
    layer = getattr(layers, case["class"])(name="conv", **case["kwargs"])
    x = np.array(case["x"], np.float32)
    layer(x)
    layer.set_weights([np.array(w, np.float32) for w in case["weights"]])
    np.testing.assert_allclose(layer(x).numpy(), np.array(case["y"]), rtol=1e-5, atol=1e-5)
    config = json.loads(json.dumps(layer.get_config()))
    del config["name"]
    assert config == case["config"]
    assert [w.name for w in layer.weights] == case["weight_names"]
    assert [w.shape.as_list() for w in layer.weights] == case["weight_shapes"]
    symbolic = (None,) + x.shape[1:]
    assert layer.compute_output_shape(symbolic).as_list() == case["symbolic_output_shape"]
    rebuilt = type(layer).from_config(layer.get_config())
    assert rebuilt.get_config() == layer.get_config()


def test_summary_prints_like_tf_keras():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 3)),
            layers.Conv2D(4, 3, name="conv2d"),
            layers.Conv2DTranspose(2, 3, strides=2, name="conv2d_transpose"),
            layers.Flatten(name="flatten"),
        ],
        name="sequential",
    )
    lines = []
    model.summary(print_fn=lines.append)
    assert "\n".join(lines) == SUMMARY


def test_aliases():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution3D is layers.Conv3D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


# -- the standard layer checks ----------------------------------------------------


@pytest.mark.parametrize(
    "cls, kwargs, input_shape, output_shape",
    [
        (
            layers.Conv1D,
            {"filters": 3, "kernel_size": 2, "padding": "causal"},
            (2, 5, 2),
            (2, 5, 3),
        ),
        (
            layers.Conv2D,
            {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
            (2, 5, 5, 2),
            (2, 3, 3, 3),
        ),
        (layers.Conv2D, {"filters": 4, "kernel_size": 2, "groups": 2}, (2, 4, 4, 2), (2, 3, 3, 4)),
        (layers.Conv3D, {"filters": 2, "kernel_size": 2}, (1, 3, 3, 3, 2), (1, 2, 2, 2, 2)),
        (
            layers.Conv1DTranspose,
            {"filters": 2, "kernel_size": 3, "strides": 2},
            (2, 3, 2),
            (2, 7, 2),
        ),
        (
            layers.Conv2DTranspose,
            {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
            (2, 3, 3, 2),
            (2, 6, 6, 2),
        ),
        (
            layers.Conv3DTranspose,
            {"filters": 2, "kernel_size": 2, "strides": 2},
            (1, 2, 2, 2, 1),
            (1, 4, 4, 4, 2),
        ),
    ],
)
def test_run_layer_test(cls, kwargs, input_shape, output_shape):
    run_layer_test(
        cls,
        kwargs,
        input_shape,
        output_shape,
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize(
    "cls, kwargs, shape",
    [
        (layers.Conv2D, {"filters": 2, "kernel_size": 2, "strides": (2, 1)}, (2, 4, 3, 2)),
        (
            layers.Conv1D,
            {"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2},
            (1, 5, 2),
        ),
        (layers.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2}, (1, 2, 3, 2)),
    ],
)
def test_layer_gradients(cls, kwargs, shape):
    layer = cls(dtype="float64", **kwargs)
    check_layer_gradients(layer, np.random.default_rng(0).uniform(-1, 1, size=shape))


def test_regularizers_add_losses():
    layer = layers.Conv2D(
        2, 2, kernel_regularizer="l2", bias_regularizer="l1", activity_regularizer="l2"
    )
    layer(tf.ones([1, 3, 3, 1]))
    assert len(layer.losses) == 3


# -- models, traces and training --------------------------------------------------


def test_functional_model_serves_every_batch_size():
    inputs = tf.keras.Input((6, 6, 2))
    hidden = layers.Conv2D(3, 3, padding="same")(inputs)
    outputs = layers.Conv2DTranspose(2, 2, strides=2)(hidden)
    assert outputs.shape.as_list() == [None, 12, 12, 2]
    model = tf.keras.Model(inputs, outputs)
    for n in (1, 3):
        x = np.random.default_rng(n).normal(size=(n, 6, 6, 2)).astype(np.float32)
        np.testing.assert_allclose(
            model.predict(x, verbose=0), model(x).numpy(), rtol=1e-5, atol=1e-5
        )


def test_conv_model_fit_lowers_the_loss():
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 8, 8, 1)).astype(np.float32)
    y = (x[:, 2:6, 2:6, 0].mean(axis=(1, 2)) > 0).astype(np.float32)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8, 8, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    # 50 samples in batches of 16: the last, partial batch is traced with no batch size.
    history = model.fit(x, y, batch_size=16, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# -- errors -------------------------------------------------------------------------------


ERRORS = [
    (
        lambda: layers.Conv2D(4, 3)(tf.ones([5, 5, 2])),
        'Input 0 of layer "conv2d_err" is incompatible with the layer: expected min_ndim=4, found '
        "ndim=3. Full shape received: (5, 5, 2)",
    ),
    (
        lambda: layers.Conv2D(4, 3)(tf.keras.Input((5, 5))),
        "expected min_ndim=4, found ndim=3. Full shape received: (None, 5, 5)",
    ),
    (
        lambda: layers.Conv2D(4, 3, groups=3),
        "The number of filters must be evenly divisible by the number of groups. Received: "
        "groups=3, filters=4",
    ),
    (
        lambda: layers.Conv2D(4, 3, groups=2)(tf.ones([1, 5, 5, 3])),
        "The number of input channels must be evenly divisible by the number of groups. Received "
        "groups=2, but the input has 3 channels (full input shape is (1, 5, 5, 3)).",
    ),
    (
        lambda: layers.Conv2D(0, 3),
        "Invalid value for argument `filters`. Expected a strictly positive value. Received "
        "filters=0.",
    ),
    (lambda: layers.Conv2D(4, 0), "The `kernel_size` argument must be a tuple of 2 integers."),
    (
        lambda: layers.Conv2D(4, 3, strides=0),
        "The argument `strides` cannot contains 0(s). Received: (0, 0)",
    ),
    (
        lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2),
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=(2, 2) and dilation_rate=(2, 2)",
    ),
    (
        lambda: layers.Conv2D(4, 3, padding="causal"),
        "Causal padding is only supported for `Conv1D`and `SeparableConv1D`.",
    ),
    (lambda: layers.Conv2D(4, 3, padding="full"), 'one of "valid", "same"'),
    (
        lambda: layers.Conv2D(4, 7)(tf.ones([1, 5, 5, 2])),
        "One of the dimensions in the output is <= 0 due to downsampling in conv2d_err. Consider "
        "increasing the input size. Received input shape [1, 5, 5, 2] which would produce output "
        "shape with a zero or negative value in a dimension.",
    ),
    (
        lambda: layers.Conv2D(4, 3)(tf.keras.Input((5, 5, None))),
        "The channel dimension of the inputs should be defined. The input_shape received is "
        "(None, 5, 5, None), where axis -1 (0-based) is the channel dimension, which found to be "
        "`None`.",
    ),
    (
        lambda: layers.Conv2DTranspose(4, 3, output_padding=2, strides=2),
        "Strides must be greater than output padding. Received strides=(2, 2), "
        "output_padding=(2, 2).",
    ),
    (
        lambda: layers.Conv2DTranspose(4, 3)(tf.ones([1, 5, 5, 2, 1])),
        "Inputs should have rank 4. Received input_shape=(1, 5, 5, 2, 1).",
    ),
    (
        lambda: layers.Conv2DTranspose(4, 3, dilation_rate=(2, 1))(tf.ones([1, 5, 5, 2])),
        "Expected the 2 dimensions of the `dilation_rate` argument to be equal to each other.",
    ),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index, monkeypatch):
    from tensorflux.keras import backend

    monkeypatch.setattr(backend, "unique_object_name", lambda prefix: prefix + "_err")
    fn, text = ERRORS[index]
    with pytest.raises(ValueError) as info:
        fn()
    assert text in str(info.value)


def test_input_channels_must_match_the_built_kernel():
    layer = layers.Conv2D(4, 3)
    layer.build((None, 5, 5, 2))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 2"):
        layer(tf.ones([1, 5, 5, 3]))


def test_channels_first_conv2d_is_refused_on_the_cpu_as_in_tf():
    with pytest.raises(UnimplementedError, match="only supports the NHWC tensor format"):
        layers.Conv2D(4, 3, data_format="channels_first")(tf.ones([1, 2, 5, 5]))
