"""Records reference outputs of the built-in Keras layers from Keras 2 (``tf_keras``)
into ``tests/keras/fixtures/layers.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_layer_fixtures.py

Each case builds a layer from ``kwargs`` on recorded inputs, sets its weights to
recorded random values (so results are comparable), and records the outputs in
inference mode (and in training mode where it differs, with the weights after
that call: BatchNormalization's moving statistics), the output mask, the
layer's losses and the keys of its config.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "layers.json"

rng = np.random.default_rng(1234)


def normal(*shape):
    return rng.normal(size=shape).round(4).astype("float32")


# name: (layer class, kwargs, inputs, record training-mode outputs)
CASES = {
    "dense_relu": ("Dense", {"units": 3, "activation": "relu"}, normal(4, 5), False),
    "dense_rank3_tanh": ("Dense", {"units": 2, "activation": "tanh"}, normal(2, 3, 4), False),
    "dense_no_bias": ("Dense", {"units": 2, "use_bias": False}, normal(3, 4), False),
    "dense_l2": (
        "Dense",
        {"units": 2, "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}},
        normal(3, 4),
        False,
    ),
    "activation_softmax": ("Activation", {"activation": "softmax"}, normal(2, 4), False),
    "activation_sigmoid": ("Activation", {"activation": "sigmoid"}, normal(2, 4), False),
    "embedding": (
        "Embedding",
        {"input_dim": 6, "output_dim": 3, "mask_zero": True},
        np.array([[0, 1, 5], [2, 2, 3]], dtype="int32"),
        False,
    ),
    "masking": (
        "Masking",
        {"mask_value": 0.0},
        np.array([[[0, 0], [1, 2], [0, 3]], [[4, 0], [0, 0], [0, 0]]], "float32"),
        False,
    ),
    "activity_regularization": (
        "ActivityRegularization",
        {"l1": 0.1, "l2": 0.2},
        normal(2, 3),
        False,
    ),
    "batch_norm_2d": ("BatchNormalization", {"momentum": 0.9}, normal(6, 3), True),
    "batch_norm_rank3_axis1": (
        "BatchNormalization",
        {"axis": 1, "epsilon": 0.01},
        normal(2, 3, 4),
        True,
    ),
    "batch_norm_4d": ("BatchNormalization", {}, normal(2, 3, 3, 2), True),
    "batch_norm_4d_axis1": (
        "BatchNormalization",
        {"axis": 1, "momentum": 0.5},
        normal(2, 3, 2, 2),
        True,
    ),
    "batch_norm_no_center": ("BatchNormalization", {"center": False}, normal(5, 2), True),
    "layer_norm": ("LayerNormalization", {}, normal(2, 3, 4), False),
    "layer_norm_axes12": (
        "LayerNormalization",
        {"axis": [1, 2], "epsilon": 0.1},
        normal(2, 3, 4),
        False,
    ),
    "layer_norm_axis1": ("LayerNormalization", {"axis": 1, "scale": False}, normal(2, 3, 4), False),
    "unit_norm": ("UnitNormalization", {}, normal(2, 3), False),
    "unit_norm_axes": ("UnitNormalization", {"axis": [1, 2]}, normal(2, 2, 3), False),
    "flatten": ("Flatten", {}, normal(2, 3, 2), False),
    "flatten_channels_first": (
        "Flatten",
        {"data_format": "channels_first"},
        normal(2, 3, 2, 2),
        False,
    ),
    "reshape": ("Reshape", {"target_shape": [2, -1]}, normal(2, 3, 2), False),
    "permute": ("Permute", {"dims": [2, 1]}, normal(2, 3, 2), False),
    "repeat_vector": ("RepeatVector", {"n": 3}, normal(2, 2), False),
    "add": ("Add", {}, [normal(2, 3), normal(2, 3), normal(2, 3)], False),
    "add_broadcast": ("Add", {}, [normal(2, 3, 4), normal(2, 4)], False),
    "subtract": ("Subtract", {}, [normal(2, 3), normal(2, 3)], False),
    "multiply": ("Multiply", {}, [normal(2, 3), normal(2, 3)], False),
    "average": ("Average", {}, [normal(2, 3), normal(2, 3), normal(2, 3)], False),
    "maximum": ("Maximum", {}, [normal(2, 3), normal(2, 3)], False),
    "minimum": ("Minimum", {}, [normal(2, 3), normal(2, 3)], False),
    "concatenate": ("Concatenate", {}, [normal(2, 3), normal(2, 2)], False),
    "concatenate_axis1": ("Concatenate", {"axis": 1}, [normal(2, 1, 2), normal(2, 3, 2)], False),
    "dot": ("Dot", {"axes": 1}, [normal(2, 3), normal(2, 3)], False),
    "dot_normalize": ("Dot", {"axes": 1, "normalize": True}, [normal(2, 3), normal(2, 3)], False),
    "dot_axes_pair": ("Dot", {"axes": [1, 2]}, [normal(2, 3, 4), normal(2, 5, 3)], False),
    "dot_rank3": ("Dot", {"axes": 2}, [normal(2, 3, 4), normal(2, 5, 4)], False),
}


def tolist(x):
    if x is None:
        return None
    if isinstance(x, (list, tuple)):
        return [tolist(v) for v in x]
    return np.asarray(x).tolist()


def random_weights(layer):
    weights = []
    for w in layer.weights:
        shape = tuple(w.shape)
        if "variance" in w.name:
            weights.append(rng.uniform(0.5, 1.5, size=shape).round(4).astype("float32"))
        else:
            weights.append((0.5 * rng.normal(size=shape)).round(4).astype("float32"))
    return weights


def record_case(keras, class_name, kwargs, inputs, training):
    layer = getattr(keras.layers, class_name)(**kwargs)
    layer(inputs)
    weights = random_weights(layer)
    layer.set_weights(weights)
    out = layer(inputs, training=False)
    entry = {
        "layer": class_name,
        "kwargs": kwargs,
        "inputs": tolist(inputs),
        "input_dtype": str(np.asarray(inputs[0] if isinstance(inputs, list) else inputs).dtype),
        "weights": tolist(weights),
        "output": tolist(out.numpy()),
        "mask": tolist(getattr(out, "_keras_mask", None)),
        "losses": [float(v) for v in layer.losses],
        "config_keys": sorted(layer.get_config()),
    }
    if training:
        entry["training_output"] = tolist(layer(inputs, training=True).numpy())
        entry["weights_after_training"] = tolist(layer.get_weights())
    return entry


def record_dropout(keras):
    """Dropout's kept values are scaled by 1 / (1 - rate), in training only."""
    out = {}
    for rate in (0.2, 0.5):
        x = np.ones((400,), "float32")
        y = keras.layers.Dropout(rate)(x, training=True).numpy()
        out[str(rate)] = sorted(set(np.round(y, 6).tolist()))
    return out


def main():
    import tf_keras as keras

    cases = {name: record_case(keras, *spec) for name, spec in CASES.items()}
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(
        json.dumps({"cases": cases, "dropout_values": record_dropout(keras)}, indent=1)
    )
    print(f"wrote {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
