"""Records reference behaviour of Keras 2 (``tf_keras``) layers — Identity,
GaussianDropout, AlphaDropout, EinsumDense, GroupNormalization and others — into
``tests/keras/fixtures/layers2.json``.

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    /path/to/tf-venv/bin/python tests/keras/layers/record_layers2_fixtures.py

Each case seeds with ``tf_keras.utils.set_random_seed``, builds a layer (named after
the case) from ``kwargs`` by calling it on recorded inputs, and records its initial
weights (names, shapes, values: the seeded initializers' draws), its
``compute_output_shape``, its outputs for each ``training`` value asked for (the
random layers' draws), the weights after those calls, and its config.
Cases with ``errors`` record the exception type and message of building the layer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "layers2.json"

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=shape).round(4).astype("float32")


# name: (layer class, kwargs, inputs, training values, seed)
CASES = {
    "identity": ("Identity", {}, normal(2, 3), [None], 1),
    "gaussian_dropout_seeded": (
        "GaussianDropout",
        {"rate": 0.3, "seed": 5},
        normal(3, 4),
        [True, True, False],
        1,
    ),
    "gaussian_dropout_global": ("GaussianDropout", {"rate": 0.5}, normal(2, 3, 2), [True, True], 3),
    "gaussian_dropout_rate0": ("GaussianDropout", {"rate": 0.0}, normal(2, 3), [True], 3),
    "alpha_dropout_seeded": (
        "AlphaDropout",
        {"rate": 0.4, "seed": 2},
        normal(3, 5),
        [True, True, False],
        1,
    ),
    "alpha_dropout_global": ("AlphaDropout", {"rate": 0.2}, normal(4, 3), [True], 4),
    "alpha_dropout_noise_shape": (
        "AlphaDropout",
        {"rate": 0.5, "noise_shape": [3, 1], "seed": 1},
        normal(3, 4),
        [True],
        1,
    ),
    "einsum_dense_3d_bias": (
        "EinsumDense",
        {
            "equation": "abc,cd->abd",
            "output_shape": [None, 4],
            "bias_axes": "d",
            "activation": "relu",
        },
        normal(2, 3, 5),
        [None],
        11,
    ),
    "einsum_dense_matmul_int_shape": (
        "EinsumDense",
        {"equation": "ab,bc->ac", "output_shape": 3},
        normal(2, 4),
        [None],
        12,
    ),
    "einsum_dense_two_output_axes": (
        "EinsumDense",
        {"equation": "abc,cde->abde", "output_shape": [None, 2, 3], "bias_axes": "de"},
        normal(2, 3, 4),
        [None],
        13,
    ),
    "einsum_dense_bias_on_inner_axis": (
        "EinsumDense",
        {
            "equation": "abc,cd->abd",
            "output_shape": [3, 4],
            "bias_axes": "b",
            "bias_initializer": "ones",
        },
        normal(2, 3, 5),
        [None],
        14,
    ),
    "einsum_dense_left_ellipsis": (
        "EinsumDense",
        {"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"},
        normal(2, 3, 2, 5),
        [None],
        15,
    ),
    "einsum_dense_right_ellipsis": (
        "EinsumDense",
        {
            "equation": "ab...,bc->ac...",
            "output_shape": 5,
            "bias_axes": "c",
            "bias_initializer": "ones",
        },
        normal(2, 4, 3),
        [None],
        16,
    ),
    "group_norm_two_groups": (
        "GroupNormalization",
        {"groups": 2},
        normal(2, 3, 4),
        [None, True],
        21,
    ),
    "group_norm_per_channel": (
        "GroupNormalization",
        {"groups": -1, "gamma_initializer": "random_normal", "beta_initializer": "random_uniform"},
        normal(2, 3, 4),
        [None],
        22,
    ),
    "group_norm_axis1": (
        "GroupNormalization",
        {"groups": 1, "axis": 1, "epsilon": 0.1},
        normal(2, 4, 3),
        [None],
        23,
    ),
    "group_norm_axis_minus2": (
        "GroupNormalization",
        {"groups": 3, "axis": -2, "center": False, "gamma_initializer": "random_normal"},
        normal(2, 2, 6, 3),
        [None],
        24,
    ),
    "group_norm_no_weights": (
        "GroupNormalization",
        {"groups": 2, "center": False, "scale": False},
        normal(3, 4),
        [None],
        25,
    ),
    "spectral_norm_dense": (
        "SpectralNormalization",
        {"layer": {"class_name": "Dense", "config": {"units": 3, "name": "inner"}}},
        normal(2, 4),
        [True, True, False],
        31,
    ),
    "spectral_norm_conv_two_iterations": (
        "SpectralNormalization",
        {
            "layer": {
                "class_name": "Conv2D",
                "config": {"filters": 2, "kernel_size": 2, "name": "inner"},
            },
            "power_iterations": 2,
        },
        normal(1, 3, 3, 2),
        [True, False],
        32,
    ),
    "spectral_norm_embedding": (
        "SpectralNormalization",
        {
            "layer": {
                "class_name": "Embedding",
                "config": {"input_dim": 5, "output_dim": 3, "name": "inner"},
            }
        },
        np.array([[0, 4, 2]], dtype="int32"),
        [True],
        33,
    ),
}
_BIAS = {"bias_initializer": "random_normal"}
for _impl in (1, 2, 3):
    CASES[f"locally_connected1d_impl{_impl}"] = (
        "LocallyConnected1D",
        {"filters": 2, "kernel_size": 3, "strides": 2, "implementation": _impl, **_BIAS},
        normal(2, 7, 3),
        [None],
        40 + _impl,
    )
    CASES[f"locally_connected1d_first_impl{_impl}"] = (
        "LocallyConnected1D",
        {
            "filters": 3,
            "kernel_size": 2,
            "data_format": "channels_first",
            "implementation": _impl,
            **_BIAS,
        },
        normal(2, 2, 5),
        [None],
        43 + _impl,
    )
    CASES[f"locally_connected2d_impl{_impl}"] = (
        "LocallyConnected2D",
        {
            "filters": 2,
            "kernel_size": (2, 3),
            "activation": "relu",
            "implementation": _impl,
            **_BIAS,
        },
        normal(2, 3, 4, 2),
        [None],
        46 + _impl,
    )
    CASES[f"locally_connected2d_first_impl{_impl}"] = (
        "LocallyConnected2D",
        {
            "filters": 3,
            "kernel_size": 2,
            "strides": (1, 2),
            "data_format": "channels_first",
            "implementation": _impl,
            **_BIAS,
        },
        normal(1, 2, 3, 5),
        [None],
        49 + _impl,
    )
for _impl in (2, 3):
    CASES[f"locally_connected1d_same_impl{_impl}"] = (
        "LocallyConnected1D",
        {"filters": 2, "kernel_size": 3, "padding": "same", "implementation": _impl, **_BIAS},
        normal(2, 4, 2),
        [None],
        52 + _impl,
    )
    CASES[f"locally_connected2d_same_first_impl{_impl}"] = (
        "LocallyConnected2D",
        {
            "filters": 2,
            "kernel_size": 2,
            "strides": 2,
            "padding": "same",
            "data_format": "channels_first",
            "implementation": _impl,
            **_BIAS,
        },
        normal(1, 2, 3, 3),
        [None],
        54 + _impl,
    )

# name: (layer class, kwargs, input shape): the error of building on that shape.
ERRORS = {
    "einsum_dense_bad_equation": ("EinsumDense", {"equation": "ab->b", "output_shape": 2}, [2, 3]),
    "einsum_dense_shared_dim_mismatch": (
        "EinsumDense",
        {"equation": "abc,cd->abd", "output_shape": [7, 4]},
        [2, 3, 5],
    ),
    "einsum_dense_unsized_weight_dim": (
        "EinsumDense",
        {"equation": "ab,bcx->ac", "output_shape": 3},
        [2, 4],
    ),
    "einsum_dense_unsized_output_dim": (
        "EinsumDense",
        {"equation": "ab,bc->acz", "output_shape": [3, 2]},
        [2, 4],
    ),
    "einsum_dense_bias_not_in_output": (
        "EinsumDense",
        {"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "b"},
        [2, 4],
    ),
    "spectral_norm_no_kernel": (
        "SpectralNormalization",
        {"layer": {"class_name": "ReLU", "config": {"name": "inner"}}},
        [2, 3],
    ),
    "spectral_norm_zero_iterations": (
        "SpectralNormalization",
        {"layer": {"class_name": "Dense", "config": {"units": 2}}, "power_iterations": 0},
        [2, 3],
    ),
    "locally_connected1d_same_impl1": (
        "LocallyConnected1D",
        {"filters": 2, "kernel_size": 2, "padding": "same"},
        [2, 4, 3],
    ),
    "locally_connected1d_unknown_channels": (
        "LocallyConnected1D",
        {"filters": 2, "kernel_size": 2},
        [2, 4, None],
    ),
    "locally_connected1d_empty_output": (
        "LocallyConnected1D",
        {"filters": 2, "kernel_size": 5},
        [2, 4, 3],
    ),
    "locally_connected2d_unknown_rows": (
        "LocallyConnected2D",
        {"filters": 2, "kernel_size": 2},
        [2, None, 4, 3],
    ),
    "locally_connected2d_bad_implementation": (
        "LocallyConnected2D",
        {"filters": 2, "kernel_size": 2, "implementation": 4},
        [2, 3, 4, 3],
    ),
    "group_norm_too_many_groups": ("GroupNormalization", {"groups": 8}, [2, 4]),
    "group_norm_groups_not_dividing": ("GroupNormalization", {"groups": 3}, [2, 4]),
    "group_norm_bad_axis": ("GroupNormalization", {"groups": 2, "axis": 3}, [2, 4]),
    "group_norm_unknown_channels": ("GroupNormalization", {"groups": 2}, [2, None]),
}


# name: (kwargs, inputs as (values, dtype) pairs): HashedCrossing's bins.
CROSSINGS = {
    "strings_and_ints": (
        {"num_bins": 7},
        [(["A", "B", "C", "A"], "string"), ([1, 2, 3, 4], "int64")],
    ),
    "column_inputs": ({"num_bins": 100}, [([["x"], ["y"]], "string"), ([[5], [-3]], "int32")]),
    "three_features": (
        {"num_bins": 1000},
        [([10, 20], "int64"), (["p", "q"], "string"), (["long string value!", ""], "string")],
    ),
    "scalars": ({"num_bins": 3}, [("A", "string"), (1, "int64")]),
    "one_hot": (
        {"num_bins": 4, "output_mode": "one_hot"},
        [(["A", "B", "C"], "string"), ([1, 2, 3], "int64")],
    ),
    "one_hot_scalars": ({"num_bins": 4, "output_mode": "one_hot"}, [("A", "string"), (2, "int64")]),
}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _weights(layer):
    return [
        {
            "name": w.name,
            "shape": list(w.shape),
            "trainable": bool(w.trainable),
            "value": w.numpy().tolist(),
        }
        for w in layer.weights
    ]


def _make(layers, cls, kwargs, **extra):
    """The layer; a ``"layer"`` argument is a serialized layer to wrap."""
    kwargs = dict(kwargs)
    if "layer" in kwargs:
        kwargs["layer"] = layers.deserialize(kwargs["layer"])
    return getattr(layers, cls)(**kwargs, **extra)


def main():
    # tf_keras' wrappers name ``tf.keras`` in places: make it tf_keras, as under Keras 2.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow as tf
    import tf_keras

    out = {"cases": {}, "errors": {}}
    for name, (cls, kwargs, x, trainings, seed) in CASES.items():
        tf_keras.utils.set_random_seed(seed)
        layer = _make(tf_keras.layers, cls, kwargs, name=name)
        inputs = tf.constant(x)
        layer(inputs)  # builds it (an inference call: no random draws)
        initial = _weights(layer)
        output_shape = list(layer.compute_output_shape(inputs.shape))
        outputs = []
        for training in trainings:
            if training is None:
                y = layer(inputs)
            else:
                y = layer(inputs, training=training)
            outputs.append(np.asarray(y).tolist())
        out["cases"][name] = {
            "cls": cls,
            "kwargs": kwargs,
            "seed": seed,
            "input": x.tolist(),
            "input_dtype": str(x.dtype),
            "training": trainings,
            "outputs": outputs,
            "output_shape": output_shape,
            "initial_weights": initial,
            "final_weights": _weights(layer),
            "config": _jsonable({k: v for k, v in layer.get_config().items() if k != "name"}),
        }
    for name, (cls, kwargs, shape) in ERRORS.items():
        try:
            _make(tf_keras.layers, cls, kwargs, name=name).build(tf.TensorShape(shape))
        except Exception as e:  # noqa: BLE001 - every error type is what is recorded
            out["errors"][name] = {
                "cls": cls,
                "kwargs": kwargs,
                "shape": shape,
                "type": type(e).__name__,
                "message": str(e),
            }
        else:
            raise RuntimeError(f"{name}: no error")
    out["crossings"] = {}
    for name, (kwargs, inputs) in CROSSINGS.items():
        layer = tf_keras.layers.HashedCrossing(**kwargs)
        y = layer(tuple(tf.constant(v, dtype=d) for v, d in inputs))
        out["crossings"][name] = {
            "kwargs": kwargs,
            "inputs": inputs,
            "output": np.asarray(y).tolist(),
            "dtype": y.dtype.name,
            "config": {k: v for k, v in layer.get_config().items() if k != "name"},
        }
    FIXTURE.write_text(json.dumps(out, indent=None, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
