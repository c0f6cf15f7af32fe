"""Records Keras 2 (``tf_keras``) outputs and configs of the image reshaping layers,
SpatialDropout and the advanced activation layers into
``tests/keras/fixtures/image_layers.json``.

Run it where TensorFlow and tf_keras are installed (the test suite never imports them)::

    /path/to/tf-venv/bin/python tests/keras/record_image_layer_fixtures.py

Each case builds a layer from ``kwargs`` on a recorded input (and mask), sets its
weights to recorded values, and records the inference-mode output, the config, the
weight names and ``compute_output_shape`` with an unknown batch size. Error cases
record the exception type and message of the constructor or call.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "image_layers.json"

rng = np.random.default_rng(77)


def normal(*shape):
    return rng.normal(size=shape).round(3).astype("float32")


# name: (class, kwargs, input, mask or None)
CASES = {
    "up1d": ("UpSampling1D", {"size": 3}, normal(2, 3, 2), None),
    "up2d_nearest": ("UpSampling2D", {"size": (2, 3)}, normal(2, 3, 2, 2), None),
    "up2d_nearest_cf": (
        "UpSampling2D",
        {"size": 2, "data_format": "channels_first"},
        normal(1, 2, 3, 2),
        None,
    ),
    "up2d_bilinear": (
        "UpSampling2D",
        {"size": (3, 2), "interpolation": "Bilinear"},
        normal(2, 3, 4, 1),
        None,
    ),
    "up2d_bilinear_cf": (
        "UpSampling2D",
        {"size": 3, "interpolation": "bilinear", "data_format": "channels_first"},
        normal(1, 2, 3, 2),
        None,
    ),
    **{
        f"up2d_{method}": (
            "UpSampling2D",
            {"size": (2, 3), "interpolation": method},
            normal(1, 3, 2, 2),
            None,
        )
        for method in ("bicubic", "area", "lanczos3", "lanczos5", "gaussian", "MitchellCubic")
    },
    "up2d_lanczos3_cf": (
        "UpSampling2D",
        {"interpolation": "lanczos3", "data_format": "channels_first"},
        normal(1, 2, 3, 2),
        None,
    ),
    "up3d": ("UpSampling3D", {"size": (1, 2, 3)}, normal(1, 2, 2, 1, 2), None),
    "up3d_cf": (
        "UpSampling3D",
        {"size": 2, "data_format": "channels_first"},
        normal(1, 2, 1, 2, 2),
        None,
    ),
    "pad1d": ("ZeroPadding1D", {"padding": (1, 2)}, normal(2, 3, 2), None),
    "pad1d_int": ("ZeroPadding1D", {"padding": 2}, normal(1, 2, 2), None),
    "pad2d": ("ZeroPadding2D", {"padding": ((1, 0), (2, 1))}, normal(1, 2, 3, 2), None),
    "pad2d_pair_cf": (
        "ZeroPadding2D",
        {"padding": (1, 2), "data_format": "channels_first"},
        normal(1, 2, 2, 3),
        None,
    ),
    "pad3d": ("ZeroPadding3D", {"padding": ((0, 1), 2, (1, 0))}, normal(1, 2, 1, 2, 1), None),
    "pad3d_cf": (
        "ZeroPadding3D",
        {"padding": 1, "data_format": "channels_first"},
        normal(1, 1, 2, 1, 2),
        None,
    ),
    "crop1d": ("Cropping1D", {"cropping": (1, 2)}, normal(2, 5, 2), None),
    "crop1d_int": ("Cropping1D", {"cropping": 1}, normal(1, 4, 1), None),
    "crop2d": ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, normal(1, 4, 5, 2), None),
    "crop2d_int_cf": (
        "Cropping2D",
        {"cropping": 1, "data_format": "channels_first"},
        normal(1, 2, 4, 3),
        None,
    ),
    "crop3d": ("Cropping3D", {"cropping": ((1, 0), 1, (0, 2))}, normal(1, 3, 4, 3, 1), None),
    "crop3d_cf": (
        "Cropping3D",
        {"cropping": (0, 1, 1), "data_format": "channels_first"},
        normal(1, 1, 2, 3, 4),
        None,
    ),
    "relu": ("ReLU", {}, normal(2, 5), None),
    "relu_all": (
        "ReLU",
        {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.5},
        normal(2, 6) * 2,
        None,
    ),
    "relu_six": ("ReLU", {"max_value": 6.0}, normal(2, 5) * 5, None),
    "relu_slope": ("ReLU", {"negative_slope": 0.2}, normal(2, 5), None),
    "relu_threshold": ("ReLU", {"threshold": 0.3}, normal(2, 5), None),
    "leaky": ("LeakyReLU", {}, normal(2, 5), None),
    "leaky_alpha": ("LeakyReLU", {"alpha": 0.05}, normal(2, 5), None),
    "prelu": ("PReLU", {}, normal(2, 3, 2), None),
    "prelu_shared": ("PReLU", {"shared_axes": [1, 2]}, normal(2, 2, 3, 2), None),
    "prelu_shared_int": (
        "PReLU",
        {"shared_axes": 1, "alpha_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}},
        normal(2, 3, 2),
        None,
    ),
    "elu": ("ELU", {}, normal(2, 5), None),
    "elu_alpha": ("ELU", {"alpha": 0.5}, normal(2, 5), None),
    "thresholded": ("ThresholdedReLU", {"theta": 0.4}, normal(2, 5), None),
    "softmax": ("Softmax", {}, normal(2, 4), None),
    "softmax_axis": ("Softmax", {"axis": 1}, normal(2, 3, 2), None),
    "softmax_axes": ("Softmax", {"axis": [1, 2]}, normal(2, 2, 3), None),
    "softmax_mask": (
        "Softmax",
        {},
        normal(2, 4),
        np.array([[1, 1, 0, 1], [0, 1, 1, 0]], dtype=bool),
    ),
    "softmax_robust": (
        "Softmax",
        {"robust_masking": True},
        normal(2, 3),
        np.array([[1, 0, 1], [1, 1, 0]], dtype=bool),
    ),
    "spatial1d": ("SpatialDropout1D", {"rate": 0.3}, normal(2, 3, 2), None),
    "spatial2d": (
        "SpatialDropout2D",
        {"rate": 0.3, "data_format": "channels_first"},
        normal(1, 2, 2, 2),
        None,
    ),
    "spatial3d": ("SpatialDropout3D", {"rate": 0.5}, normal(1, 2, 1, 2, 2), None),
}

# name: (class, kwargs, input shape or None: the constructor fails)
ERRORS = {
    "relu_max": ("ReLU", {"max_value": -1.0}, None),
    "relu_slope": ("ReLU", {"negative_slope": -0.1}, None),
    "relu_slope_none": ("ReLU", {"negative_slope": None}, None),
    "relu_threshold": ("ReLU", {"threshold": -2.0}, None),
    "leaky_none": ("LeakyReLU", {"alpha": None}, None),
    "elu_none": ("ELU", {"alpha": None}, None),
    "theta_none": ("ThresholdedReLU", {"theta": None}, None),
    "theta_negative": ("ThresholdedReLU", {"theta": -1.0}, None),
    "up2d_interp": ("UpSampling2D", {"interpolation": "cubic"}, None),
    "up2d_size": ("UpSampling2D", {"size": (1, 2, 3)}, None),
    "up2d_size_zero": ("UpSampling2D", {"size": 0}, None),
    "up3d_format": ("UpSampling3D", {"data_format": "nhwc"}, None),
    "pad1d_negative": ("ZeroPadding1D", {"padding": -1}, None),
    "pad2d_len": ("ZeroPadding2D", {"padding": (1, 2, 3)}, None),
    "pad2d_kind": ("ZeroPadding2D", {"padding": 1.5}, None),
    "pad2d_entry": ("ZeroPadding2D", {"padding": ((1, 2, 3), 1)}, None),
    "pad3d_len": ("ZeroPadding3D", {"padding": (1, 2)}, None),
    "pad3d_kind": ("ZeroPadding3D", {"padding": None}, None),
    "pad3d_entry": ("ZeroPadding3D", {"padding": (1, 2, (1, -1))}, None),
    "crop2d_len": ("Cropping2D", {"cropping": (1, 2, 3)}, None),
    "crop2d_kind": ("Cropping2D", {"cropping": 1.5}, None),
    "crop3d_len": ("Cropping3D", {"cropping": (1,)}, None),
    "crop3d_kind": ("Cropping3D", {"cropping": 2.5}, None),
    "spatial2d_format": ("SpatialDropout2D", {"rate": 0.5, "data_format": "nchw"}, None),
    "spatial3d_format": ("SpatialDropout3D", {"rate": 0.5, "data_format": "x"}, None),
    "crop1d_call": ("Cropping1D", {"cropping": (2, 2)}, (1, 4, 2)),
    "crop2d_call": ("Cropping2D", {"cropping": ((1, 1), (2, 1))}, (1, 4, 3, 2)),
    "up2d_ndim": ("UpSampling2D", {}, (2, 3, 4)),
    "pad3d_ndim": ("ZeroPadding3D", {}, (1, 2, 3, 4)),
    "spatial1d_ndim": ("SpatialDropout1D", {"rate": 0.5}, (2, 3, 4, 5)),
    "prelu_axes": ("PReLU", {"shared_axes": [1]}, [(2, 3, 4), (2, 3, 5)]),
}


def _error(fn) -> dict:
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - recording whatever Keras raises
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("expected an error")


def main() -> None:
    import tensorflow as tf
    import tf_keras

    layers = tf_keras.layers
    cases = {}
    for name, (cls_name, kwargs, x, mask) in CASES.items():
        tf_keras.backend.clear_session()
        layer = getattr(layers, cls_name)(**kwargs)
        call_kwargs = {} if mask is None else {"mask": tf.constant(mask)}
        layer(x, **call_kwargs)
        weights = [rng.normal(size=w.shape).round(3).astype("float32") for w in layer.get_weights()]
        layer.set_weights(weights)
        out = layer(x, **call_kwargs)
        shape = layer.compute_output_shape((None,) + x.shape[1:])
        config = tf_keras.utils.serialize_keras_object(layer)["config"]
        cases[name] = {
            "class": cls_name,
            "kwargs": kwargs,
            "input": x.tolist(),
            "mask": None if mask is None else mask.tolist(),
            "weights": [w.tolist() for w in weights],
            "weight_names": [w.name for w in layer.weights],
            "output": np.asarray(out).tolist(),
            "output_dtype": out.dtype.name,
            "output_shape": list(shape),
            "config": json.loads(json.dumps(config, default=float)),
        }
    errors = {}
    for name, (cls_name, kwargs, shape) in ERRORS.items():
        tf_keras.backend.clear_session()
        cls = getattr(layers, cls_name)
        if shape is None:
            errors[name] = {
                "class": cls_name,
                "kwargs": kwargs,
                "shape": None,
                **_error(lambda cls=cls, kwargs=kwargs: cls(**kwargs)),
            }
            continue
        layer = cls(**kwargs)
        shapes = shape if isinstance(shape, list) else [shape]

        def call(layer=layer, shapes=shapes):
            for s in shapes:
                layer(np.ones(s, "float32"))

        errors[name] = {"class": cls_name, "kwargs": kwargs, "shape": shapes, **_error(call)}
    FIXTURE.write_text(json.dumps({"cases": cases, "errors": errors}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases and {len(errors)} errors to {FIXTURE}")


if __name__ == "__main__":
    main()
