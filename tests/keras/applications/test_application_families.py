"""The later tf.keras.applications families against tf_keras 2.21: layer tables
(name, class, output shape, parameters), parameter counts of the larger variants,
outputs with formula weights, preprocess_input, and the weight files asked for
(fixtures from record_family_fixtures.py)."""

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.tensor import constant
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.initializers import random_initializers

sys.path.insert(0, os.path.dirname(__file__))
from formula_weights import formula_input, formula_values  # noqa: E402

_PATH = os.path.join(os.path.dirname(__file__), "..", "fixtures", "applications_families.json")
with open(_PATH) as _f:
    FIXTURE = json.load(_f)
A = tf.keras.applications
# Building the largest variants takes seconds each: by default only their parameter
# counts of the smaller ones run; TENSORFLUX_FULL_APPLICATIONS=1 checks them all.
FULL = os.environ.get("TENSORFLUX_FULL_APPLICATIONS") == "1"
_LARGE = {
    "convnext/xlarge_notop",
    "convnext/large_notop",
    "efficientnet_v2/l_notop",
    "efficientnet_v2/m_notop",
    "regnet/x320_notop",
    "regnet/y320_notop",
    "regnet/x160_notop",
    "regnet/y160_notop",
    "resnet_rs/420_notop",
    "resnet_rs/350_notop",
    "resnet_rs/270_notop",
    "nasnet/large_notop",
}


def _cases(section):
    out = []
    for family, data in FIXTURE.items():
        for key in data[section]:
            name = f"{family}/{key}"
            if name in _LARGE:
                reason = f"{name}: large model, checked with TENSORFLUX_FULL_APPLICATIONS=1"
                out.append(pytest.param(name, marks=pytest.mark.skipif(not FULL, reason=reason)))
            else:
                out.append(name)
    return out


def _ref(section, name):
    family, key = name.split("/")
    return FIXTURE[family][section][key]


def _build(name, kwargs):
    tf.keras.backend.clear_session()
    kwargs = dict(kwargs)
    if "input_shape" in kwargs:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    return getattr(A, name)(weights=kwargs.pop("weights", None), **kwargs)


@pytest.fixture
def zero_init(monkeypatch):
    """Random initializers return zeros: building costs only the graph."""

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


@pytest.mark.parametrize("name", _cases("tables"))
def test_layer_table_matches_tf_keras(name, zero_init):
    ref = _ref("tables", name)
    model = _build(ref["model"], ref["kwargs"])
    assert model.name == ref["name"]
    table = _table(model)
    for k, (row, expected) in enumerate(zip(table, ref["layers"])):
        assert row == expected, f"layer #{k}"
    assert len(table) == len(ref["layers"])
    assert model.count_params() == ref["total_params"]
    trainable = sum(int(np.prod(w.shape.as_list())) for w in model.trainable_weights)
    assert trainable == ref["trainable_params"]


@pytest.mark.parametrize("name", _cases("counts"))
def test_parameter_counts_match_tf_keras(name, zero_init):
    ref = _ref("counts", name)
    model = _build(ref["model"], ref["kwargs"])
    assert model.name == ref["name"]
    assert len(model.layers) == ref["layers"]
    assert model.count_params() == ref["total_params"]
    assert list(model.output_shape) == ref["output_shape"]


@pytest.mark.parametrize("name", _cases("outputs"))
def test_outputs_match_tf_keras(name, zero_init):
    ref = _ref("outputs", name)
    model = _build(ref["model"], ref["kwargs"])
    weights = [(w.name, w.shape.as_list()) for w in model.weights]
    # tf_keras' weight names and shapes, in order, as recorded (by digest).
    text = json.dumps([[name, shape] for name, shape in weights])
    assert len(weights) == ref["weights"]["count"]
    assert hashlib.md5(text.encode()).hexdigest() == ref["weights"]["md5"]
    model.set_weights(formula_values([(n, tuple(s)) for n, s in weights]))
    x = formula_input(tuple(ref["input_shape"]), ref["scale"])
    expected = np.array(ref["output"])
    scale = np.abs(expected).max()
    np.testing.assert_allclose(model(x, training=False).numpy(), expected, atol=2e-5 * scale)


@pytest.mark.parametrize("family", sorted(FIXTURE))
def test_preprocess_input(family):
    data = FIXTURE[family]["preprocess_input"]
    x = np.array(data["input"], np.float32)
    got = np.asarray(getattr(A, family).preprocess_input(x.copy()))
    assert str(got.dtype) == data["dtype"]
    np.testing.assert_allclose(got, np.array(data["output"]), atol=1e-4)
    assert getattr(A, family).decode_predictions is imagenet_utils.decode_predictions


@pytest.mark.parametrize(
    "case",
    [c for data in FIXTURE.values() for c in data.get("errors", [])],
    ids=lambda c: c["model"],
)
def test_argument_errors(case, zero_init):
    with pytest.raises(ValueError) as info:
        _build(case["model"], case["kwargs"])
    assert str(info.value) == case["message"]


class _Requested(Exception):
    pass


@pytest.mark.parametrize(
    "case",
    [c for data in FIXTURE.values() for c in data["weight_files"]],
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
    with pytest.raises(_Requested):
        _build(case["model"], dict({"weights": "imagenet"}, **case["kwargs"]))
    assert requests == case["requests"]


def test_convnext_stochastic_depth_drops_whole_samples_in_training():
    layer = A.convnext.StochasticDepth(0.5)
    x = tf.ones((400, 2, 3))
    assert layer(x) is x
    y = layer(x, training=True).numpy()
    per_sample = y.reshape(400, -1)
    assert set(np.unique(per_sample)) <= {0.0, 2.0}
    assert (per_sample == per_sample[:, :1]).all()
    assert 120 < (per_sample[:, 0] == 2.0).sum() < 280
    config = layer.get_config()
    assert config["drop_path_rate"] == 0.5
    assert A.convnext.StochasticDepth.from_config(config).drop_path_rate == 0.5


def test_convnext_block_with_stochastic_depth_and_layer_scale(zero_init):
    tf.keras.backend.clear_session()
    inputs = tf.keras.Input((4, 4, 8))
    outputs = A.convnext.ConvNeXtBlock(8, drop_path_rate=0.1, name="b")(inputs)
    model = tf.keras.Model(inputs, outputs)
    names = [layer.name for layer in model.layers]
    assert names[-2:] == ["b_stochastic_depth", "tf.__operators__.add"]
    scale = model.get_layer("b_layer_scale")
    assert [w.name for w in scale.weights] == ["b_layer_scale/gamma:0"]
    assert scale.get_config()["projection_dim"] == 8
    np.testing.assert_allclose(scale.gamma.numpy(), np.full(8, 1e-6, np.float32))


def test_imagenet_weights_load_from_the_keras_cache_with_sha256(tmp_path, monkeypatch):
    """RegNet's files carry sha256 digests: a cached file of that name and digest is
    loaded, and nothing is downloaded."""

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    os.makedirs(tmp_path / "models")
    tf.keras.backend.clear_session()
    source = A.RegNetX002(weights=None, include_top=False, input_shape=(32, 32, 3))
    rng = np.random.default_rng(0)
    for w in source.weights:
        w.assign(rng.normal(0.0, 0.1, w.shape.as_list()).astype("float32"))
    path = tmp_path / "models" / "regnetx002_notop.h5"
    source.save_weights(str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setitem(A.regnet._HASHES, "x002", ("unused", digest))
    model = A.RegNetX002(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    for got, want in zip(model.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(got, want)
    path.write_bytes(b"not the weights")
    with pytest.raises(OSError, match="regnetx002_notop.h5"):
        A.RegNetX002(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
