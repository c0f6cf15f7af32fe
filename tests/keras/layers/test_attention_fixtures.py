"""Attention layers against values recorded from tf_keras 2.21
(``record_attention_fixtures.py``): outputs, attention scores, gradients with respect
to the inputs and weights, weight names and shapes and configs; eager and traced."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.layers import attention_cases as ac

FIXTURES = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "attention_layers.json").read_text()
)
TOL = {"rtol": 1e-5, "atol": 1e-5}


def _dense_call(name, layer, case):
    _, _, _, _, causal = ac.DENSE_CASES[name]
    masks = [tf.constant(np.array(m, bool)) for m in case["masks"]]

    def call(tensors):
        opts = {"return_attention_scores": True, "use_causal_mask": causal}
        if masks:
            opts["mask"] = masks
        return layer(list(tensors), **opts)

    return call


def _mha_call(name, layer, case):
    _, _, _, causal = ac.MHA_CASES[name]
    masks = [tf.constant(np.array(m, bool)) for m in case["masks"]]

    def call(tensors):
        return layer(
            tensors[0],
            tensors[1],
            key=tensors[2] if len(tensors) > 2 else None,
            attention_mask=masks[0] if masks else None,
            return_attention_scores=True,
            use_causal_mask=causal,
        )

    return call


def _make(kind, name):
    case = FIXTURES[kind][name]
    if kind == "dense":
        cls_name, kwargs, *_ = ac.DENSE_CASES[name]
        layer = getattr(tf.keras.layers, cls_name)(**kwargs)
        call = _dense_call(name, layer, case)
    else:
        kwargs = ac.MHA_CASES[name][0]
        layer = tf.keras.layers.MultiHeadAttention(**kwargs)
        call = _mha_call(name, layer, case)
    inputs = [tf.constant(np.array(x, np.float32)) for x in case["inputs"]]
    call(inputs)
    layer.set_weights([np.array(w, np.float32) for w in case["weights"]])
    return layer, call, inputs, case


def _check_values(layer, call, inputs, case, name):
    with tf.GradientTape(persistent=True) as tape:
        for t in inputs:
            tape.watch(t)
        out, scores = call(inputs)
        cot = tf.constant(ac.cotangent(name, tuple(out.shape.as_list())))
        scalar = tf.reduce_sum(out * cot)
    np.testing.assert_allclose(out.numpy(), case["output"], **TOL)
    np.testing.assert_allclose(scores.numpy(), case["scores"], **TOL)
    for got, want in zip(tape.gradient(scalar, inputs), case["input_grads"]):
        np.testing.assert_allclose(got.numpy(), want, **TOL)
    for got, want in zip(tape.gradient(scalar, layer.trainable_weights), case["weight_grads"]):
        np.testing.assert_allclose(got.numpy(), want, **TOL)


CASES = [("dense", n) for n in ac.DENSE_CASES] + [("mha", n) for n in ac.MHA_CASES]


@pytest.mark.parametrize("kind,name", CASES)
def test_values_and_gradients_match_keras(kind, name):
    layer, call, inputs, case = _make(kind, name)
    _check_values(layer, call, inputs, case, name)


@pytest.mark.parametrize("kind,name", CASES)
def test_traced_call_matches_keras(kind, name):
    layer, call, inputs, case = _make(kind, name)
    traced = tf.function(lambda *xs: call(list(xs)))
    out, scores = traced(*inputs)
    np.testing.assert_allclose(out.numpy(), case["output"], **TOL)
    np.testing.assert_allclose(scores.numpy(), case["scores"], **TOL)


@pytest.mark.parametrize("kind,name", CASES)
def test_weight_names_shapes_and_config_match_keras(kind, name):
    layer, _, _, case = _make(kind, name)
    # Layer names carry a per-process counter; the part after it is Keras'.
    assert [w.name.split("/", 1) for w in layer.weights] == [
        [layer.name, n.split("/", 1)[1]] for n in case["weight_names"]
    ]
    assert [w.shape.as_list() for w in layer.weights] == case["weight_shapes"]
    config = json.loads(json.dumps(layer.get_config()))
    want = dict(case["config"])
    assert config.pop("name") == layer.name
    want.pop("name")
    assert config == want
