"""Records Keras 2 (``tf_keras``) convolution layer results into
``tests/keras/fixtures/conv_layers.json``.

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    python tests/keras/record_conv_layer_fixtures.py

Each case builds a layer from ``kwargs`` on seeded inputs, sets its weights to seeded
values, and records the output, the config (without the name), the weight names (of a
layer named "conv") and shapes, and the output shape computed for an unknown batch.
Also the ``summary()`` of a small model holding Conv2D and Conv2DTranspose.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "conv_layers.json"

# name: (layer class, kwargs, input shape)
CASES = {
    "conv1d_valid": ("Conv1D", {"filters": 3, "kernel_size": 3}, (2, 7, 2)),
    "conv1d_causal_dilated": (
        "Conv1D",
        {
            "filters": 2,
            "kernel_size": 2,
            "padding": "causal",
            "dilation_rate": 2,
            "activation": "relu",
        },
        (2, 6, 3),
    ),
    "conv1d_same_strided": (
        "Conv1D",
        {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same", "use_bias": False},
        (1, 9, 2),
    ),
    "conv2d_valid": ("Conv2D", {"filters": 4, "kernel_size": 3}, (2, 6, 5, 3)),
    "conv2d_same_strided": (
        "Conv2D",
        {
            "filters": 3,
            "kernel_size": (3, 2),
            "strides": (2, 1),
            "padding": "same",
            "activation": "tanh",
        },
        (2, 7, 5, 2),
    ),
    "conv2d_dilated": (
        "Conv2D",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2},
        (1, 6, 6, 2),
    ),
    "conv2d_groups": (
        "Conv2D",
        {"filters": 4, "kernel_size": 3, "groups": 2, "padding": "same"},
        (2, 5, 5, 4),
    ),
    "conv2d_batch_dims": ("Conv2D", {"filters": 2, "kernel_size": 2}, (2, 3, 4, 4, 1)),
    "conv3d_same": (
        "Conv3D",
        {"filters": 2, "kernel_size": 2, "strides": (1, 2, 1), "padding": "same"},
        (1, 3, 4, 3, 2),
    ),
    "conv1d_transpose": (
        "Conv1DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2},
        (2, 4, 3),
    ),
    "conv2d_transpose_same": (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 3, 4, 2),
    ),
    "conv2d_transpose_output_padding": (
        "Conv2DTranspose",
        {
            "filters": 2,
            "kernel_size": (3, 2),
            "strides": (3, 2),
            "output_padding": (1, 1),
            "activation": "relu",
        },
        (1, 3, 3, 2),
    ),
    "conv2d_transpose_dilated": (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2},
        (1, 4, 4, 1),
    ),
    "conv2d_transpose_channels_first": (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        (1, 3, 2, 3),
    ),
    "conv3d_transpose": (
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"},
        (1, 2, 3, 2, 2),
    ),
}


def main() -> None:
    import tf_keras as keras

    out = {}
    for i, (name, (cls, kwargs, shape)) in enumerate(CASES.items()):
        rng = np.random.default_rng(100 + i)
        x = rng.uniform(-1, 1, size=shape).round(3).astype("float32")
        layer = getattr(keras.layers, cls)(name="conv", **kwargs)
        layer(x)
        weights = [
            rng.uniform(-1, 1, size=w.shape).round(3).astype("float32") for w in layer.get_weights()
        ]
        layer.set_weights(weights)
        config = layer.get_config()
        del config["name"]
        symbolic = (None,) + shape[1:]
        out[name] = {
            "class": cls,
            "kwargs": kwargs,
            "x": x.tolist(),
            "weights": [w.tolist() for w in weights],
            "y": layer(x).numpy().tolist(),
            "config": json.loads(json.dumps(config)),
            "weight_names": [w.name for w in layer.weights],
            "weight_shapes": [list(w.shape) for w in layer.weights],
            "symbolic_output_shape": list(layer.compute_output_shape(symbolic)),
        }
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Conv2D(4, 3, name="conv2d"),
            keras.layers.Conv2DTranspose(2, 3, strides=2, name="conv2d_transpose"),
            keras.layers.Flatten(name="flatten"),
        ],
        name="sequential",
    )
    lines = []
    model.summary(print_fn=lines.append)
    out["summary"] = "\n".join(lines)
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")))
    print(f"wrote {len(out)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
