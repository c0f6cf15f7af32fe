"""Records reference data for the later tf.keras.applications families
(InceptionResNetV2, ConvNeXt, EfficientNetV2, RegNet, ResNetRS, NASNet) from
tf_keras 2.21.

Run with the TensorFlow venv from the repository root, naming the families to
(re)record (default: all):
    python tests/keras/applications/record_family_fixtures.py convnext regnet
Updates tests/keras/fixtures/applications_families.json: per family the layer tables
(name, class, output shape, parameter count) of some configurations, parameter counts
of the larger models, outputs with `formula_weights` weights, preprocess_input
outputs, and the weight files each constructor asks `get_file` for.
"""

import hashlib
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
PATH = os.path.join(os.path.dirname(__file__), "..", "fixtures", "applications_families.json")

# family -> tables {key: (constructor, kwargs)}, parameter counts {key: (constructor,
# kwargs)}, outputs {table key: (batch, input scale)}, weight-file calls.
FAMILIES = {
    "inception_resnet_v2": {
        "tables": {
            "top_75": ("InceptionResNetV2", dict(input_shape=(75, 75, 3), classes=10)),
        },
        "counts": {
            "notop_avg": (
                "InceptionResNetV2",
                dict(include_top=False, input_shape=(75, 75, 3), pooling="avg"),
            ),
        },
        "outputs": {"top_75": (1, 1.0)},
        "weights": [
            ("InceptionResNetV2", dict(include_top=False, input_shape=(75, 75, 3))),
            ("InceptionResNetV2", dict()),
        ],
    },
    "convnext": {
        "tables": {"tiny_top_32": ("ConvNeXtTiny", dict(input_shape=S32, classes=10))},
        "counts": {
            "tiny_notop_max": (
                "ConvNeXtTiny",
                dict(include_top=False, input_shape=S32, pooling="max"),
            ),
            "small_notop": ("ConvNeXtSmall", dict(include_top=False, input_shape=S32)),
            "base_notop": ("ConvNeXtBase", dict(include_top=False, input_shape=S32)),
            "large_notop": ("ConvNeXtLarge", dict(include_top=False, input_shape=S32)),
            "xlarge_notop": ("ConvNeXtXLarge", dict(include_top=False, input_shape=S32)),
        },
        "outputs": {"tiny_top_32": (1, 255.0)},
        "weights": [
            ("ConvNeXtTiny", dict(include_top=False, input_shape=S32)),
            ("ConvNeXtTiny", dict()),
            ("ConvNeXtXLarge", dict(include_top=False, input_shape=S32)),
        ],
    },
    "efficientnet_v2": {
        "tables": {
            "b0_top_32": ("EfficientNetV2B0", dict(input_shape=S32, classes=10)),
        },
        "counts": {
            "s_notop_max": (
                "EfficientNetV2S",
                dict(include_top=False, input_shape=S32, pooling="max"),
            ),
            "b1_notop": ("EfficientNetV2B1", dict(include_top=False, input_shape=S32)),
            "b2_notop": ("EfficientNetV2B2", dict(include_top=False, input_shape=S32)),
            "b3_notop": ("EfficientNetV2B3", dict(include_top=False, input_shape=S32)),
            "m_notop": ("EfficientNetV2M", dict(include_top=False, input_shape=S32)),
            "l_notop": ("EfficientNetV2L", dict(include_top=False, input_shape=S32)),
        },
        "outputs": {"b0_top_32": (1, 255.0), "s_notop_max": (1, 255.0)},
        "weights": [
            ("EfficientNetV2B0", dict(include_top=False, input_shape=S32)),
            ("EfficientNetV2B3", dict()),
            ("EfficientNetV2S", dict(include_top=False, input_shape=S32)),
        ],
    },
    "regnet": {
        "tables": {
            "x002_top_32": ("RegNetX002", dict(input_shape=S32, classes=10)),
            "y002_notop_avg": (
                "RegNetY002",
                dict(include_top=False, input_shape=S32, pooling="avg"),
            ),
        },
        "counts": {
            **{
                f"{v}_notop": (f"RegNet{v.upper()}", dict(include_top=False, input_shape=S32))
                for v in (
                    "x004 x006 x008 x016 x032 x040 x064 x080 x120 x160 x320 "
                    "y004 y006 y008 y016 y032 y040 y064 y080 y120 y160 y320"
                ).split()
            },
        },
        "outputs": {"x002_top_32": (1, 255.0), "y002_notop_avg": (1, 255.0)},
        "weights": [
            ("RegNetX002", dict(include_top=False, input_shape=S32)),
            ("RegNetY002", dict()),
            ("RegNetY320", dict(include_top=False, input_shape=S32)),
        ],
    },
    "resnet_rs": {
        "tables": {"50_top_32": ("ResNetRS50", dict(input_shape=S32, classes=10))},
        "counts": {
            "200_notop_avg": (
                "ResNetRS200",
                dict(include_top=False, input_shape=S32, pooling="avg"),
            ),
            **{
                f"{d}_notop": (f"ResNetRS{d}", dict(include_top=False, input_shape=S32))
                for d in (101, 152, 270, 350, 420)
            },
        },
        "outputs": {"50_top_32": (1, 255.0)},
        "weights": [
            ("ResNetRS50", dict(include_top=False, input_shape=S32)),
            ("ResNetRS50", dict()),
            ("ResNetRS152", dict(include_top=False, input_shape=S32)),
            ("ResNetRS152", dict(include_top=False, input_shape=S32, weights="imagenet-i192")),
        ],
        "errors": [
            ("ResNetRS50", dict(weights="imagenet-i224", include_top=False)),
            ("ResNetRS101", dict(weights="imagenet-i160", classes=10)),
        ],
    },
    "nasnet": {
        "tables": {"mobile_top_32": ("NASNetMobile", dict(input_shape=S32, classes=10))},
        "counts": {
            "large_notop": ("NASNetLarge", dict(include_top=False, input_shape=S32)),
        },
        "outputs": {"mobile_top_32": (1, 1.0)},
        "weights": [
            ("NASNetMobile", dict(include_top=False, input_shape=S32)),
            ("NASNetMobile", dict()),
            ("NASNetLarge", dict(include_top=False, input_shape=S32)),
        ],
        "errors": [
            ("NASNetMobile", dict(weights="imagenet", input_shape=(None, None, 3))),
        ],
    },
}


def weights_digest(weights):
    """The count and md5 of a model's ``(name, shape)`` weight list, in order (the
    list itself would dominate the fixture)."""
    text = json.dumps([[name, [int(d) for d in shape]] for name, shape in weights])
    return {"count": len(weights), "md5": hashlib.md5(text.encode()).hexdigest()}


def layer_table(model):
    rows = []
    for layer in model.layers:
        shape = layer.output_shape
        shape = [list(s) for s in shape] if isinstance(shape, list) else list(shape)
        rows.append([layer.name, type(layer).__name__, shape, layer.count_params()])
    return rows


def build(name, kwargs):
    tf_keras.backend.clear_session()
    return getattr(A, name)(weights=kwargs.pop("weights", None), **kwargs)


class _Requested(Exception):
    pass


def weight_requests(calls):
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
        for name, kwargs in calls:
            out.append({"model": name, "kwargs": kwargs, "requests": []})
            try:
                build(name, dict({"weights": "imagenet"}, **kwargs))
            except _Requested:
                pass
    finally:
        data_utils.get_file = real
    return out


def record_family(family, spec):
    data = {"tables": {}, "counts": {}, "outputs": {}}
    for key, (name, kwargs) in spec["tables"].items():
        model = build(name, dict(kwargs))
        data["tables"][key] = {
            "model": name,
            "kwargs": kwargs,
            "name": model.name,
            "layers": layer_table(model),
            "total_params": model.count_params(),
            "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        }
        print(family, key, model.count_params(), flush=True)
    for key, (name, kwargs) in spec["counts"].items():
        model = build(name, dict(kwargs))
        data["counts"][key] = {
            "model": name,
            "kwargs": kwargs,
            "name": model.name,
            "layers": len(model.layers),
            "total_params": model.count_params(),
            "output_shape": list(model.output_shape),
        }
        print(family, key, model.count_params(), flush=True)
    for key, (batch, scale) in spec["outputs"].items():
        name, kwargs = spec["tables"].get(key) or spec["counts"][key]
        if kwargs.get("include_top", True):
            # Logits, not softmax: near-uniform probabilities would hide differences.
            kwargs = dict(kwargs, classifier_activation=None)
        model = build(name, dict(kwargs))
        model.set_weights(formula_values([(w.name, tuple(w.shape)) for w in model.weights]))
        shape = (batch,) + tuple(kwargs["input_shape"])
        y = model(formula_input(shape, scale), training=False).numpy()
        data["outputs"][key] = {
            "model": name,
            "kwargs": kwargs,
            "input_shape": shape,
            "scale": scale,
            "weights": weights_digest([(w.name, list(w.shape)) for w in model.weights]),
            "output": np.round(y.astype(np.float64), 7).tolist(),
        }
        print(family, key, y.shape, float(np.abs(y).max()), flush=True)
    x = np.linspace(0.0, 255.0, 2 * 2 * 3 * 3).reshape(2, 3, 2, 3).astype("float32")
    module = getattr(A, family)
    y = np.asarray(module.preprocess_input(x.copy()))
    data["preprocess_input"] = {
        "input": x.tolist(),
        "output": np.round(y.astype(np.float64), 5).tolist(),
        "dtype": str(y.dtype),
    }
    data["weight_files"] = weight_requests(spec["weights"])
    data["errors"] = []
    for name, kwargs in spec.get("errors", []):
        try:
            build(name, dict(kwargs))
        except ValueError as error:
            data["errors"].append({"model": name, "kwargs": kwargs, "message": str(error)})
    return data


def main():
    families = sys.argv[1:] or list(FAMILIES)
    fixture = {}
    if os.path.exists(PATH):
        with open(PATH) as f:
            fixture = json.load(f)
    for family in families:
        fixture[family] = record_family(family, FAMILIES[family])
    with open(PATH, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print("wrote", PATH, os.path.getsize(PATH))


if __name__ == "__main__":
    main()
