"""Records tf_keras 2.21's pooling layers into tests/fixtures/pooling_layers.json.

Run with a Python that has TensorFlow and tf_keras installed (the test suite itself
never imports them):

    python tests/keras/record_pooling_layer_fixtures.py
"""

import io
import json
import os
from contextlib import redirect_stdout

import numpy as np
import tf_keras as keras

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "pooling_layers.json")
rng = np.random.default_rng(11)
L = keras.layers

# (class name, constructor kwargs, input shape)
LAYER_CASES = [
    ("MaxPooling1D", {}, (2, 7, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 3)),
    ("MaxPooling1D", {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 7)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 6, 2)),
    ("AveragePooling1D", {"data_format": "channels_first", "padding": "same"}, (1, 2, 5)),
    ("MaxPooling2D", {}, (2, 6, 5, 3)),
    ("MaxPooling2D", {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}, (2, 5, 5, 2)),
    ("AveragePooling2D", {}, (2, 6, 5, 3)),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 7, 6, 2)),
    ("MaxPooling3D", {}, (1, 4, 4, 5, 2)),
    (
        "MaxPooling3D",
        {"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"},
        (1, 2, 3, 3, 3),
    ),
    ("AveragePooling3D", {"pool_size": (1, 2, 3), "padding": "same"}, (1, 3, 4, 5, 1)),
    ("AveragePooling3D", {"data_format": "channels_first"}, (1, 2, 4, 4, 4)),
    ("GlobalMaxPooling1D", {}, (2, 5, 3)),
    ("GlobalMaxPooling1D", {"data_format": "channels_first", "keepdims": True}, (2, 3, 5)),
    ("GlobalAveragePooling1D", {}, (2, 5, 3)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 5, 3)),
    ("GlobalMaxPooling2D", {}, (2, 4, 5, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True, "data_format": "channels_first"}, (2, 3, 4, 5)),
    ("GlobalAveragePooling2D", {}, (2, 4, 5, 3)),
    ("GlobalAveragePooling2D", {"keepdims": True}, (2, 4, 5, 3)),
    ("GlobalMaxPooling3D", {}, (1, 2, 3, 4, 2)),
    ("GlobalAveragePooling3D", {"data_format": "channels_first"}, (1, 2, 3, 3, 4)),
    ("GlobalAveragePooling3D", {"keepdims": True}, (1, 2, 3, 3, 4)),
]

ALIASES = [
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
]

# (class name, kwargs, input shape or None, a fragment of the error message)
ERROR_CASES = [
    (
        "MaxPooling2D",
        {"pool_size": 0},
        None,
        "The `pool_size` argument must be a tuple of 2 integers. Received: 0 including {0} that "
        "does not satisfy the requirement `> 0`.",
    ),
    (
        "MaxPooling2D",
        {"pool_size": (2, 2, 2)},
        None,
        "The `pool_size` argument must be a tuple of 2 integers. Received: (2, 2, 2)",
    ),
    (
        "AveragePooling1D",
        {"strides": -1},
        None,
        "The `strides` argument must be a tuple of 1 integers. Received: -1 including {-1} that "
        "does not satisfy the requirement `>= 0`.",
    ),
    (
        "MaxPooling3D",
        {"padding": "full"},
        None,
        "The `padding` argument must be a list/tuple or "
        'one of "valid", "same" (or "causal", only for `Conv1D). Received: full',
    ),
    (
        "GlobalAveragePooling2D",
        {"data_format": "nchw"},
        None,
        'The `data_format` argument must be one of "channels_first", "channels_last". Received: '
        "nchw",
    ),
    (
        "MaxPooling2D",
        {},
        (2, 6, 5),
        'Input 0 of layer "max_pooling2d" is incompatible with the layer: expected ndim=4, found '
        "ndim=3. Full shape received: (2, 6, 5)",
    ),
    (
        "GlobalAveragePooling1D",
        {},
        (2, 3, 4, 5),
        'Input 0 of layer "global_average_pooling1d" is incompatible with the layer: expected '
        "ndim=3, found ndim=4. Full shape received: (2, 3, 4, 5)",
    ),
    (
        "GlobalMaxPooling2D",
        {},
        (2, 0, 4, 3),
        "Incorrect input shape [2, 0, 4, 3] with dimension 0 at reduction axis 1.",
    ),
    (
        "MaxPooling2D",
        {"data_format": "channels_first"},
        (1, 2, 4, 4),
        "Default MaxPoolingOp only supports NHWC on device type CPU",
    ),
]


def layer_cases():
    cases = []
    for name, kwargs, shape in LAYER_CASES:
        keras.backend.clear_session()
        layer = getattr(L, name)(**kwargs)
        x = rng.standard_normal(shape).astype(np.float32)
        y = layer(x)
        config = layer.get_config()
        unknown = (None,) + tuple(shape[1:])
        cases.append(
            {
                "class_name": name,
                "kwargs": kwargs,
                "x": x.round(4).tolist(),
                "y": layer(x.round(4)).numpy().tolist(),
                "config": json.loads(json.dumps(config)),
                "output_shape": list(y.shape),
                "symbolic_output_shape": list(layer.compute_output_shape(unknown)),
            }
        )
    return cases


def mask_cases():
    keras.backend.clear_session()
    x = rng.standard_normal((2, 4, 3)).astype(np.float32).round(4)
    mask = np.array([[True, True, False, False], [True, False, True, True]])
    out = {
        "x": x.tolist(),
        "mask": mask.tolist(),
        "y": L.GlobalAveragePooling1D()(x, mask=mask).numpy().tolist(),
        "y_first": L.GlobalAveragePooling1D(data_format="channels_first")(
            x.transpose(0, 2, 1), mask=mask
        )
        .numpy()
        .tolist(),
    }
    inputs = keras.Input((None,), dtype="int32")
    embedded = L.Embedding(10, 3, mask_zero=True)(inputs)
    pooled = L.GlobalAveragePooling1D()(embedded)
    out["pooled_mask_is_none"] = getattr(pooled, "_keras_mask", None) is None
    return out


def error_cases():
    cases = []
    for name, kwargs, shape, fragment in ERROR_CASES:
        keras.backend.clear_session()
        try:
            layer = getattr(L, name)(**kwargs)
            layer(np.ones(shape, np.float32))
        except Exception as e:  # noqa: BLE001 - recording whatever tf_keras raises
            if fragment not in str(e):
                raise AssertionError(f"{name}{kwargs}: {fragment!r} not in {str(e)!r}") from e
            cases.append(
                {
                    "class_name": name,
                    "kwargs": kwargs,
                    "shape": shape,
                    "type": type(e).__name__,
                    "fragment": fragment,
                }
            )
        else:
            raise AssertionError(f"{name}{kwargs} on {shape} did not raise")
    return cases


def summary():
    keras.backend.clear_session()
    model = keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            L.MaxPooling2D(),
            L.AveragePooling2D(padding="same"),
            L.GlobalMaxPooling2D(keepdims=True),
            L.GlobalAveragePooling2D(),
            L.Dense(2),
        ]
    )
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        model.summary()
    return buffer.getvalue()


def main():
    data = {
        "layers": layer_cases(),
        "aliases": {a: getattr(L, a).__name__ for a in ALIASES},
        "mask": mask_cases(),
        "errors": error_cases(),
        "summary": summary(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
