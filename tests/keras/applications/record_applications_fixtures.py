"""Records tf.keras.applications reference data from tf_keras 2.21 (weights=None).

Run with the TensorFlow venv from the repository root:
    python tests/keras/applications/record_applications_fixtures.py
Writes tests/keras/fixtures/applications.json: per model configuration the layer
table (name, class, output shape, parameter count) and total parameters; the outputs
of a few small models whose weights follow `formula_weights` (reproduced by the test
without TensorFlow); preprocess_input outputs per mode; and the weight files each
constructor asks `get_file` for with weights="imagenet".
"""

import json
import os
import sys

import numpy as np
import tf_keras
from tf_keras.src.utils import data_utils

sys.path.insert(0, os.path.dirname(__file__))
from formula_weights import formula_input, formula_values  # noqa: E402

A = tf_keras.applications
S32 = (32, 32, 3)

TABLES = {
    "vgg16_top_32": ("VGG16", dict(input_shape=S32, classes=10)),
    "vgg19_notop_avg": ("VGG19", dict(include_top=False, input_shape=S32, pooling="avg")),
    "resnet50_notop_max": ("ResNet50", dict(include_top=False, input_shape=S32, pooling="max")),
    "resnet152_notop": ("ResNet152", dict(include_top=False, input_shape=S32)),
    "resnet50v2_top_32": ("ResNet50V2", dict(input_shape=S32, classes=7)),
    "resnet152v2_notop": ("ResNet152V2", dict(include_top=False, input_shape=S32)),
    "mobilenet_025_top_32": ("MobileNet", dict(alpha=0.25, input_shape=S32, classes=10)),
    "mobilenet_05_dm2_notop": (
        "MobileNet",
        dict(alpha=0.5, depth_multiplier=2, include_top=False, input_shape=S32, pooling="avg"),
    ),
    "mobilenetv2_035_top_32": ("MobileNetV2", dict(alpha=0.35, input_shape=S32, classes=10)),
    "mobilenetv2_13_notop": ("MobileNetV2", dict(alpha=1.3, include_top=False, input_shape=S32)),
    "mobilenetv3small_top_32": ("MobileNetV3Small", dict(input_shape=S32, classes=10)),
    "mobilenetv3large_min_075_notop": (
        "MobileNetV3Large",
        dict(
            alpha=0.75,
            minimalistic=True,
            include_top=False,
            input_shape=S32,
            pooling="avg",
            include_preprocessing=False,
        ),
    ),
    "mobilenetv3large_top_32": ("MobileNetV3Large", dict(input_shape=S32, classes=5)),
    "inceptionv3_top_75": ("InceptionV3", dict(input_shape=(75, 75, 3), classes=10)),
    "xception_top_71": ("Xception", dict(input_shape=(71, 71, 3), classes=10)),
    "densenet121_top_32": ("DenseNet121", dict(input_shape=S32, classes=10)),
    "densenet169_notop": ("DenseNet169", dict(include_top=False, input_shape=S32)),
    "densenet201_notop": ("DenseNet201", dict(include_top=False, input_shape=S32)),
    "efficientnetb0_top_32": ("EfficientNetB0", dict(input_shape=S32, classes=10)),
    "efficientnetb1_notop": ("EfficientNetB1", dict(include_top=False, input_shape=S32)),
    "efficientnetb2_notop": ("EfficientNetB2", dict(include_top=False, input_shape=S32)),
    "efficientnetb3_notop": ("EfficientNetB3", dict(include_top=False, input_shape=S32)),
    "efficientnetb7_notop": ("EfficientNetB7", dict(include_top=False, input_shape=S32)),
}

# (table key, input value range) for the models whose outputs are recorded.
PREDICTIONS = {
    "mobilenetv2_035_top_32": (2, 1.0),
    "vgg16_notop_avg_32": (2, 255.0),
    "mobilenetv3small_top_32": (2, 255.0),
    "efficientnetb0_top_32": (1, 255.0),
    "resnet50v2_top_32": (1, 1.0),
    "inceptionv3_top_75": (1, 1.0),
    "xception_top_71": (1, 1.0),
    "densenet121_top_32": (1, 255.0),
    "mobilenet_025_top_32": (1, 1.0),
}
EXTRA_MODELS = {
    "vgg16_notop_avg_32": ("VGG16", dict(include_top=False, input_shape=S32, pooling="avg")),
}

# Constructor calls with weights="imagenet" whose get_file requests are recorded.
WEIGHT_CALLS = [
    ("VGG16", dict()),
    ("VGG16", dict(include_top=False, input_shape=S32)),
    ("VGG19", dict(include_top=False, input_shape=S32)),
    ("ResNet50", dict(include_top=False, input_shape=S32)),
    ("ResNet101", dict(include_top=False, input_shape=S32)),
    ("ResNet152V2", dict(include_top=False, input_shape=S32)),
    ("MobileNet", dict(include_top=False, alpha=0.25, input_shape=(128, 128, 3))),
    ("MobileNet", dict(alpha=0.5, input_shape=(160, 160, 3))),
    ("MobileNetV2", dict(include_top=False, alpha=0.35, input_shape=(96, 96, 3))),
    ("MobileNetV2", dict(alpha=1.4)),
    ("MobileNetV3Small", dict(include_top=False, input_shape=(224, 224, 3))),
    ("MobileNetV3Large", dict(minimalistic=True, input_shape=(224, 224, 3))),
    ("InceptionV3", dict(include_top=False, input_shape=(75, 75, 3))),
    ("Xception", dict(include_top=False, input_shape=(71, 71, 3))),
    ("DenseNet121", dict(include_top=False, input_shape=S32)),
    ("DenseNet201", dict(include_top=False, input_shape=S32)),
    ("EfficientNetB0", dict(include_top=False, input_shape=S32)),
    ("EfficientNetB2", dict()),
    ("EfficientNetB7", dict(include_top=False, input_shape=S32)),
]

# weights="imagenet" argument checks: (constructor, kwargs) -> error text.
ERROR_CALLS = [
    ("VGG16", dict(weights="imagenet", classes=10)),
    ("VGG16", dict(weights="imagenet", input_shape=(32, 32, 3))),
    ("VGG16", dict(weights="nonexistent_file.h5")),
    ("VGG16", dict(weights=None, include_top=False, input_shape=(16, 16, 3))),
    ("VGG16", dict(weights=None, include_top=False, input_shape=(32, 32))),
    ("VGG16", dict(weights="imagenet", include_top=False, input_shape=(64, 64, 1))),
    ("ResNet50", dict(weights=None, pooling="avg", include_top=False, input_shape=(16, 32, 3))),
    ("MobileNet", dict(weights="imagenet", alpha=0.3, include_top=False)),
    ("MobileNet", dict(weights="imagenet", depth_multiplier=2, include_top=False)),
    ("MobileNetV2", dict(weights="imagenet", alpha=0.6, include_top=False)),
    ("MobileNetV3Small", dict(weights="imagenet", alpha=0.5, include_top=False)),
    ("InceptionV3", dict(weights=None, include_top=False, input_shape=(64, 64, 3))),
    ("Xception", dict(weights=None, include_top=False, input_shape=(64, 64, 3))),
    ("EfficientNetB0", dict(weights="imagenet", classes=10)),
    ("VGG16", dict(weights=None, classifier_activation="relu", input_shape=S32)),
]


def layer_table(model):
    rows = []
    for layer in model.layers:
        shape = layer.output_shape
        if isinstance(shape, list):
            shape = [list(s) for s in shape]
        else:
            shape = list(shape)
        rows.append([layer.name, type(layer).__name__, shape, layer.count_params()])
    return rows


def build(name, kwargs):
    tf_keras.backend.clear_session()
    return getattr(A, name)(weights=kwargs.pop("weights", None), **kwargs)


class _Requested(Exception):
    pass


def record_weight_calls():
    out = []
    real = data_utils.get_file

    def fake(fname=None, origin=None, **kwargs):
        out[-1]["requests"].append(
            {
                "fname": fname,
                "origin": origin,
                "cache_subdir": kwargs.get("cache_subdir"),
                "file_hash": kwargs.get("file_hash"),
            }
        )
        raise _Requested()

    data_utils.get_file = fake
    try:
        for name, kwargs in WEIGHT_CALLS:
            out.append({"model": name, "kwargs": kwargs, "requests": []})
            try:
                build(name, dict(kwargs, weights="imagenet"))
            except _Requested:
                pass
    finally:
        data_utils.get_file = real
    return out


def record_errors():
    out = []
    for name, kwargs in ERROR_CALLS:
        try:
            build(name, dict(kwargs))
            text, kind = None, None
        except Exception as error:  # noqa: BLE001 - the reference is whatever TF raises
            text, kind = str(error), type(error).__name__
        out.append({"model": name, "kwargs": kwargs, "error": kind, "message": text})
    return out


def main():
    fixture = {"tables": {}, "predictions": {}}
    for key, (name, kwargs) in TABLES.items():
        model = build(name, dict(kwargs))
        fixture["tables"][key] = {
            "model": name,
            "kwargs": kwargs,
            "name": model.name,
            "layers": layer_table(model),
            "total_params": model.count_params(),
            "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        }
        print(key, model.count_params(), flush=True)
    for key, (batch, scale) in PREDICTIONS.items():
        name, kwargs = TABLES.get(key) or EXTRA_MODELS[key]
        if kwargs.get("include_top", True):
            # Logits, not softmax: near-uniform probabilities would hide differences.
            kwargs = dict(kwargs, classifier_activation=None)
        model = build(name, dict(kwargs))
        model.set_weights(formula_values([(w.name, tuple(w.shape)) for w in model.weights]))
        shape = (batch,) + tuple(kwargs["input_shape"])
        x = formula_input(shape, scale)
        y = model(x, training=False).numpy()
        fixture["predictions"][key] = {
            "model": name,
            "kwargs": kwargs,
            "input_shape": shape,
            "scale": scale,
            "weights": [[w.name, list(w.shape)] for w in model.weights],
            "output": np.round(y.astype(np.float64), 7).tolist(),
        }
        print(key, y.shape, float(np.abs(y).max()), flush=True)
    x = np.linspace(0.0, 255.0, 2 * 2 * 3 * 3).reshape(2, 3, 2, 3).astype("float32")
    pre = {}
    for family in (
        "vgg16",
        "resnet50",
        "resnet_v2",
        "mobilenet",
        "mobilenet_v2",
        "inception_v3",
        "xception",
        "densenet",
        "efficientnet",
        "mobilenet_v3",
    ):
        module = getattr(A, family)
        pre[family] = np.round(module.preprocess_input(x.copy()).astype(np.float64), 5).tolist()
    for mode in ("caffe", "tf", "torch"):
        for fmt in ("channels_last", "channels_first"):
            y = A.imagenet_utils.preprocess_input(x.copy(), data_format=fmt, mode=mode)
            pre[f"imagenet_utils/{mode}/{fmt}"] = np.round(y.astype(np.float64), 5).tolist()
    fixture["preprocess_input"] = {"input": x.tolist(), "outputs": pre}
    fixture["weight_files"] = record_weight_calls()
    fixture["errors"] = record_errors()
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "applications.json")
    with open(path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print("wrote", path, os.path.getsize(path))


if __name__ == "__main__":
    main()
