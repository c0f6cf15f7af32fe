"""Records reference outputs of Keras 2's (``tf_keras``) depthwise and separable
convolution layers into ``tests/keras/fixtures/depthwise_layers.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_depthwise_layer_fixtures.py

Each case builds a layer from ``kwargs`` on recorded inputs, sets its weights to
recorded random values and records the output, the weights' names (without the layer
name) and shapes, and the config. TF's CPU build refuses channels-first inputs for all
but DepthwiseConv2D; for those the output is recorded from the channels-last layer with
the same weights on transposed inputs (``via_channels_last``). It also records the
messages of invalid arguments and inputs, and a model summary.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import tf_keras as keras

FIXTURE = Path(__file__).parent / "fixtures" / "depthwise_layers.json"

rng = np.random.default_rng(99)


def normal(*shape):
    return rng.normal(size=shape).round(4).astype("float32")


# name: (layer class, kwargs, input shape)
CASES = {
    "dw2d_default": ("DepthwiseConv2D", {"kernel_size": 3}, (2, 5, 6, 3)),
    "dw2d_same_mult2_relu": (
        "DepthwiseConv2D",
        {"kernel_size": (2, 3), "padding": "same", "depth_multiplier": 2, "activation": "relu"},
        (1, 6, 5, 2),
    ),
    "dw2d_strides": (
        "DepthwiseConv2D",
        {"kernel_size": 3, "strides": 2, "use_bias": False},
        (2, 7, 6, 2),
    ),
    "dw2d_dilated": (
        "DepthwiseConv2D",
        {"kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"},
        (1, 7, 6, 2),
    ),
    "dw2d_channels_first": (
        "DepthwiseConv2D",
        {"kernel_size": 2, "data_format": "channels_first", "depth_multiplier": 2},
        (2, 3, 5, 4),
    ),
    "dw1d_default": ("DepthwiseConv1D", {"kernel_size": 3}, (2, 7, 3)),
    "dw1d_same_strides": (
        "DepthwiseConv1D",
        {"kernel_size": 4, "strides": 2, "padding": "same", "depth_multiplier": 3},
        (1, 9, 2),
    ),
    "dw1d_dilated_channels_first": (
        "DepthwiseConv1D",
        {"kernel_size": 3, "dilation_rate": 2, "data_format": "channels_first"},
        (2, 2, 8),
    ),
    "sep2d_default": ("SeparableConv2D", {"filters": 4, "kernel_size": 3}, (2, 5, 6, 3)),
    "sep2d_same_mult2_tanh": (
        "SeparableConv2D",
        {
            "filters": 3,
            "kernel_size": 3,
            "padding": "same",
            "depth_multiplier": 2,
            "activation": "tanh",
        },
        (1, 6, 5, 2),
    ),
    "sep2d_strides_no_bias": (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": (3, 2), "strides": (2, 2), "use_bias": False},
        (2, 7, 6, 2),
    ),
    "sep2d_dilated": (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2},
        (1, 6, 6, 3),
    ),
    "sep2d_channels_first": (
        "SeparableConv2D",
        {"filters": 3, "kernel_size": 2, "data_format": "channels_first"},
        (2, 2, 5, 4),
    ),
    "sep1d_default": ("SeparableConv1D", {"filters": 4, "kernel_size": 3}, (2, 7, 3)),
    "sep1d_causal_dilated": (
        "SeparableConv1D",
        {
            "filters": 2,
            "kernel_size": 3,
            "padding": "causal",
            "dilation_rate": 2,
            "depth_multiplier": 2,
        },
        (1, 8, 2),
    ),
    "sep1d_strides_same": (
        "SeparableConv1D",
        {"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same"},
        (2, 7, 2),
    ),
    "sep1d_channels_first": (
        "SeparableConv1D",
        {"filters": 3, "kernel_size": 3, "data_format": "channels_first"},
        (2, 2, 6),
    ),
}

# name: (layer class, kwargs, input shape or None to fail in the constructor)
ERRORS = {
    "kernel_size_zero": ("DepthwiseConv2D", {"kernel_size": 0}, None),
    "kernel_size_rank": ("DepthwiseConv2D", {"kernel_size": (3, 3, 3)}, None),
    "strides_zero": ("DepthwiseConv2D", {"kernel_size": 3, "strides": 0}, None),
    "strides_and_dilation": (
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        None,
    ),
    "causal_depthwise": ("DepthwiseConv1D", {"kernel_size": 3, "padding": "causal"}, None),
    "causal_2d": ("SeparableConv2D", {"filters": 2, "kernel_size": 3, "padding": "causal"}, None),
    "bad_padding": ("DepthwiseConv2D", {"kernel_size": 3, "padding": "full"}, None),
    "bad_data_format": (
        "SeparableConv1D",
        {"filters": 2, "kernel_size": 3, "data_format": "nchw"},
        None,
    ),
    "filters_zero": ("SeparableConv2D", {"filters": 0, "kernel_size": 3}, None),
    "rank_5_depthwise": ("DepthwiseConv2D", {"kernel_size": 3}, (2, 5, 5, 3, 1)),
    "rank_3_depthwise": ("DepthwiseConv2D", {"kernel_size": 3}, (2, 5, 5)),
    "rank_3_separable": ("SeparableConv2D", {"filters": 2, "kernel_size": 3}, (2, 5, 5)),
}


def _layer_output(cls, kwargs, x, weights):
    layer = cls(**kwargs)
    layer(x)
    layer.set_weights(weights)
    return layer, layer(x).numpy()


def record_case(cls_name, kwargs, shape):
    cls = getattr(keras.layers, cls_name)
    x = normal(*shape)
    layer = cls(**kwargs)
    channels_first = kwargs.get("data_format") == "channels_first"
    via_last = channels_first and cls_name != "DepthwiseConv2D"
    if via_last:
        perm = (0, *range(2, x.ndim), 1)
        back = (0, x.ndim - 1, *range(1, x.ndim - 1))
        last_kwargs = dict(kwargs, data_format="channels_last")
        probe = cls(**last_kwargs)
        probe(np.transpose(x, perm))
        weights = [normal(*w.shape) for w in probe.weights]
        layer.build(x.shape)
        _, out = _layer_output(cls, last_kwargs, np.transpose(x, perm), weights)
        out = np.transpose(out, back)
    else:
        layer(x)
        weights = [normal(*w.shape) for w in layer.weights]
        layer.set_weights(weights)
        out = layer(x).numpy()
    return {
        "layer": cls_name,
        "kwargs": kwargs,
        "inputs": x.tolist(),
        "weights": [w.tolist() for w in weights],
        "output": out.tolist(),
        "via_channels_last": via_last,
        "weight_names": [w.name.split("/")[-1] for w in layer.weights],
        "weight_shapes": [list(w.shape) for w in layer.weights],
        "default_name": layer.name,
        "config": {k: v for k, v in layer.get_config().items() if k != "name"},
        "output_shape": list(layer.compute_output_shape((None,) + shape[1:])),
    }


def record_error(cls_name, kwargs, shape):
    cls = getattr(keras.layers, cls_name)
    try:
        layer = cls(**kwargs)
        layer(np.zeros(shape, "float32"))
    except ValueError as e:
        return {
            "layer": cls_name,
            "kwargs": kwargs,
            "input_shape": shape,
            "type": "ValueError",
            "message": str(e),
        }
    raise AssertionError(f"{cls_name}({kwargs}) did not fail")


def record_summary():
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.DepthwiseConv2D(3, depth_multiplier=2, name="dw"),
            keras.layers.SeparableConv2D(5, 3, padding="same", name="sep"),
            keras.layers.SeparableConv2D(2, 2, use_bias=False, name="sep_nobias"),
        ],
        name="depthwise_model",
    )
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    return buffer.getvalue()


def main():
    # Default names (depthwise_conv2d, separable_conv1d, ...) need a fresh name scope.
    cases = {}
    for name, spec in CASES.items():
        keras.backend.clear_session()
        cases[name] = record_case(*spec)
    errors = {name: record_error(*spec) for name, spec in ERRORS.items()}
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(
        json.dumps(
            {
                "tf_keras": keras.__version__,
                "cases": cases,
                "errors": errors,
                "summary": record_summary(),
            }
        )
        + "\n"
    )
    print(f"wrote {len(cases)} cases and {len(errors)} errors to {FIXTURE}")


if __name__ == "__main__":
    main()
