"""tf.keras.applications against tf_keras 2.21: layer tables (name, class, output
shape, parameters), outputs with formula weights, preprocessing, argument errors,
and the weight files asked for (fixtures from record_applications_fixtures.py)."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.tensor import constant
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.initializers import random_initializers

sys.path.insert(0, os.path.dirname(__file__))
from formula_weights import formula_input, formula_values  # noqa: E402

_PATH = os.path.join(os.path.dirname(__file__), "..", "fixtures", "applications.json")
with open(_PATH) as _f:
    FIXTURE = json.load(_f)
A = tf.keras.applications
# The largest models (and the slower output checks) run when this is set; by default
# the suite keeps to the smaller variants of each family, which share their builders.
FULL = os.environ.get("TENSORFLUX_FULL_APPLICATIONS") == "1"
_LARGE_TABLES = {
    "resnet152_notop",
    "resnet152v2_notop",
    "densenet169_notop",
    "densenet201_notop",
    "efficientnetb3_notop",
    "efficientnetb7_notop",
}
_QUICK_OUTPUTS = {
    "mobilenetv2_035_top_32",
    "vgg16_notop_avg_32",
    "mobilenetv3small_top_32",
    "efficientnetb0_top_32",
    "mobilenet_025_top_32",
}


def _full_only(name):
    return pytest.mark.skipif(
        not FULL, reason=f"{name}: large model, checked with TENSORFLUX_FULL_APPLICATIONS=1"
    )


def _kwargs(kwargs):
    out = dict(kwargs)
    if "input_shape" in out:
        out["input_shape"] = tuple(out["input_shape"])
    return out


def _build(name, kwargs):
    tf.keras.backend.clear_session()
    kwargs = _kwargs(kwargs)
    return getattr(A, name)(weights=kwargs.pop("weights", None), **kwargs)


@pytest.fixture
def zero_init(monkeypatch):
    """Random initializers return zeros: building the large models then costs only
    their graphs (the tables compare names, shapes and counts, not values)."""

    def zeros(initializer, kind, shape, dtype, a, b):
        return constant(np.zeros(shape, dtype.as_numpy_dtype))

    monkeypatch.setattr(random_initializers, "draw", zeros)


def _table(model):
    rows = []
    for layer in model.layers:
        shape = layer.output_shape
        shape = [list(s) for s in shape] if isinstance(shape, list) else list(shape)
        rows.append([layer.name, type(layer).__name__, shape, layer.count_params()])
    return rows


@pytest.mark.parametrize(
    "key",
    [pytest.param(k, marks=_full_only(k)) if k in _LARGE_TABLES else k for k in FIXTURE["tables"]],
)
def test_layer_table_matches_tf_keras(key, zero_init):
    ref = FIXTURE["tables"][key]
    model = _build(ref["model"], ref["kwargs"])
    assert model.name == ref["name"]
    table = _table(model)
    for k, (row, expected) in enumerate(zip(table, ref["layers"])):
        assert row == expected, f"layer #{k}"
    assert len(table) == len(ref["layers"])
    assert model.count_params() == ref["total_params"]
    trainable = sum(int(np.prod(w.shape.as_list())) for w in model.trainable_weights)
    assert trainable == ref["trainable_params"]


def _set_formula_weights(model, names):
    """The fixture's weights, in tf_keras' order of ``model.weights`` (layer by layer,
    each layer's trainable weights before its moving statistics)."""
    assert [w.name for w in model.weights] == [n for n, _ in names]
    model.set_weights(formula_values([(n, tuple(s)) for n, s in names]))


@pytest.mark.parametrize(
    "key",
    [
        k if k in _QUICK_OUTPUTS else pytest.param(k, marks=_full_only(k))
        for k in FIXTURE["predictions"]
    ],
)
def test_outputs_match_tf_keras(key, zero_init):
    ref = FIXTURE["predictions"][key]
    model = _build(ref["model"], ref["kwargs"])
    _set_formula_weights(model, ref["weights"])
    x = formula_input(tuple(ref["input_shape"]), ref["scale"])
    expected = np.array(ref["output"])
    scale = np.abs(expected).max()
    np.testing.assert_allclose(model(x, training=False).numpy(), expected, atol=2e-5 * scale)
    if key == "mobilenetv2_035_top_32":
        # predict runs the model traced by tf.function.
        np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=2e-5 * scale)


@pytest.mark.parametrize("family", sorted(FIXTURE["preprocess_input"]["outputs"]))
def test_preprocess_input(family):
    data = FIXTURE["preprocess_input"]
    x = np.array(data["input"], np.float32)
    expected = np.array(data["outputs"][family])
    if "/" in family:
        _, mode, fmt = family.split("/")
        got = imagenet_utils.preprocess_input(x.copy(), data_format=fmt, mode=mode)
        tensor = imagenet_utils.preprocess_input(tf.constant(x), data_format=fmt, mode=mode)
        np.testing.assert_allclose(tensor.numpy(), expected, atol=1e-4)
    else:
        got = getattr(A, family).preprocess_input(x.copy())
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_preprocess_input_on_keras_tensors_records_tf_ops():
    tf.keras.backend.clear_session()
    inputs = tf.keras.Input((3, 2, 3))
    model = tf.keras.Model(inputs, A.vgg16.preprocess_input(inputs))
    names = [layer.name for layer in model.layers]
    assert names == ["input_1", "tf.__operators__.getitem", "tf.nn.bias_add"]
    data = FIXTURE["preprocess_input"]
    x = np.array(data["input"], np.float32)
    np.testing.assert_allclose(model(x).numpy(), np.array(data["outputs"]["vgg16"]), atol=1e-4)


def test_preprocess_input_converts_integers_and_checks_arguments():
    x = np.full((1, 1, 1, 3), 255, np.uint8)
    assert A.mobilenet.preprocess_input(x).dtype == np.float32
    with pytest.raises(ValueError, match="Expected mode to be one of `caffe`, `tf` or `torch`"):
        imagenet_utils.preprocess_input(x, mode="keras")
    with pytest.raises(ValueError, match="Received: data_format=NHWC"):
        imagenet_utils.preprocess_input(x, data_format="NHWC")


@pytest.mark.parametrize("case", FIXTURE["errors"], ids=lambda c: c["model"])
def test_argument_errors(case, zero_init, monkeypatch):
    monkeypatch.setattr(imagenet_utils.data_utils, "get_file", _refuse_download)
    if case["error"] is None:
        _build(case["model"], case["kwargs"])
        return
    with pytest.raises(ValueError) as info:
        _build(case["model"], case["kwargs"])
    assert str(info.value) == case["message"]


def _refuse_download(*args, **kwargs):
    raise AssertionError("tests must not download")


class _Requested(Exception):
    pass


# Deeper siblings of models whose file names the default run checks.
_LARGE_WEIGHT_CALLS = {"ResNet101", "ResNet152V2", "DenseNet201", "EfficientNetB7"}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=_full_only(c["model"])) if c["model"] in _LARGE_WEIGHT_CALLS else c
        for c in FIXTURE["weight_files"]
    ],
    ids=lambda c: c["model"],
)
def test_imagenet_weights_ask_for_keras_files(case, zero_init, monkeypatch):
    """Each model asks get_file for tf_keras' file name, URL, cache folder and hash
    (checked before the weights are read, so nothing is downloaded)."""
    requests = []

    def fake_get_file(fname=None, origin=None, **kwargs):
        requests.append(
            {
                "fname": fname,
                "origin": origin,
                "cache_subdir": kwargs.get("cache_subdir"),
                "file_hash": kwargs.get("file_hash"),
            }
        )
        raise _Requested()

    monkeypatch.setattr(imagenet_utils.data_utils, "get_file", fake_get_file)
    kwargs = dict(case["kwargs"])
    if case["model"] == "VGG16" and kwargs.get("include_top", True):
        # Building VGG16's top (124M parameters) would dominate the suite: its file
        # is checked from the module's table instead.
        fname, file_hash = A.vgg16._FILES[True]
        request = case["requests"][0]
        assert (fname, file_hash) == (request["fname"], request["file_hash"])
        assert A.vgg16._BASE + fname == request["origin"]
        return
    with pytest.raises(_Requested):
        _build(case["model"], dict(kwargs, weights="imagenet"))
    assert requests == case["requests"]
