"""Recurrent layers against Keras 2: outputs, final states and gradients (weights, inputs,
initial states) of every case in ``rnn_cases``, weight names and configs, a stateful
LSTM, a masked text model and a summary, all recorded by ``record_rnn_fixtures.py``."""

import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.layers.rnn import rnn_cases as rc

FIXTURES = json.loads(
    (Path(__file__).resolve().parents[3] / "fixtures" / "rnn_layers.json").read_text()
)
TOL = {"rtol": 1e-5, "atol": 1e-5}


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat(item)]
    return [x]


def _run_case(name):
    s, opts = rc.CASES[name]
    want = FIXTURES["cases"][name]
    tf.keras.backend.clear_session()  # default names (stacked_rnn_cells) start afresh
    layer = rc.make_layer(s, tf.keras.layers)
    x = rc.case_inputs(name)
    if opts.get("time_major"):
        x = np.ascontiguousarray(x.transpose(1, 0, 2))
    kwargs = {}
    if opts.get("mask"):
        kwargs["mask"] = tf.constant(rc.MASK)
    states = rc.case_states(name, opts["initial_state"]) if "initial_state" in opts else []
    xt = tf.constant(x)
    st = [tf.constant(v) for v in states]
    if st:
        kwargs["initial_state"] = st
    layer(xt, **kwargs)
    layer.set_weights([np.asarray(w, np.float32) for w in want["weights"]])
    return layer, xt, st, kwargs, want


@pytest.mark.parametrize("name", sorted(rc.CASES))
def test_outputs_and_gradients_match_keras(name):
    layer, xt, st, kwargs, want = _run_case(name)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        for v in st:
            tape.watch(v)
        outs = _flat(layer(xt, **kwargs))
        ws = rc.output_weights(name, [tuple(o.shape) for o in outs])
        loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, ws)])
    assert len(outs) == len(want["outputs"])
    for got, expected in zip(outs, want["outputs"]):
        np.testing.assert_allclose(got.numpy(), expected, **TOL)
    grads = tape.gradient(loss, layer.trainable_weights + [xt] + st)
    assert len(grads) == len(want["grads"])
    for i, (got, expected) in enumerate(zip(grads, want["grads"])):
        np.testing.assert_allclose(np.asarray(got), expected, err_msg=f"gradient {i}", **TOL)


def _without_build_config(config):
    """Keras 2 adds the ``build_config`` of built sublayers (cells) when serializing;
    that is the serializer's business, not the layers', so it is left out here."""
    if isinstance(config, dict):
        return {k: _without_build_config(v) for k, v in config.items() if k != "build_config"}
    if isinstance(config, list):
        return [_without_build_config(v) for v in config]
    return config


@pytest.mark.parametrize("name", sorted(rc.CASES))
def test_weight_names_and_config_match_keras(name):
    layer, _, _, _, want = _run_case(name)
    assert [w.name for w in layer.weights] == want["weight_names"]
    assert json.loads(json.dumps(layer.get_config())) == _without_build_config(want["config"])


@pytest.mark.parametrize(
    "name",
    [
        "lstm_sequences_state_masked",
        "gru_reset_before_backwards",
        "bidi_none_sequences",
        "rnn_stacked_cells",
    ],
)
def test_traced_calls_match_keras(name):
    layer, xt, st, kwargs, want = _run_case(name)
    outs = _flat(tf.function(lambda x: layer(x, **kwargs))(xt))
    for got, expected in zip(outs, want["outputs"]):
        np.testing.assert_allclose(got.numpy(), expected, **TOL)


def test_stateful_lstm_carries_states_between_batches():
    want = FIXTURES["stateful"]
    layer = tf.keras.layers.LSTM(
        rc.U,
        stateful=True,
        return_sequences=True,
        name="lstm",
        batch_input_shape=(rc.B, rc.T, rc.D),
    )
    x1, x2 = rc.case_inputs("stateful_1"), rc.case_inputs("stateful_2")
    layer(x1)
    layer.set_weights([np.asarray(w, np.float32) for w in want["weights"]])
    layer.reset_states()
    np.testing.assert_allclose(layer(x1).numpy(), want["first"], **TOL)
    np.testing.assert_allclose(layer(x2).numpy(), want["second"], **TOL)
    for got, expected in zip(layer.states, want["states"]):
        np.testing.assert_allclose(got.numpy(), expected, **TOL)
    layer.reset_states()
    np.testing.assert_allclose(layer(x2).numpy(), want["after_reset"], **TOL)


def test_masked_text_model_predicts_padded_as_unpadded():
    want = FIXTURES["masked_model"]
    k = tf.keras
    model = k.Sequential(
        [
            k.layers.Embedding(12, 4, mask_zero=True, name="embedding"),
            k.layers.Bidirectional(k.layers.LSTM(3, name="lstm"), name="bidirectional"),
            k.layers.Dense(1, name="dense"),
        ]
    )
    tokens = np.asarray(want["tokens"], np.int32)
    model(tokens)
    model.set_weights([np.asarray(w, np.float32) for w in want["weights"]])
    assert [w.name for w in model.weights] == want["weight_names"]
    padded = model(tokens).numpy()
    np.testing.assert_allclose(padded, want["padded"], **TOL)
    np.testing.assert_allclose(model(tokens[:1, :3]).numpy(), want["unpadded"], **TOL)
    np.testing.assert_allclose(padded[0], want["unpadded"][0], **TOL)


def test_summary_matches_keras():
    k = tf.keras
    model = k.Sequential(
        [
            k.Input((None, 3)),
            k.layers.GRU(4, return_sequences=True, name="gru"),
            k.layers.TimeDistributed(k.layers.Dense(2, name="dense"), name="td"),
            k.layers.Bidirectional(k.layers.SimpleRNN(2, name="rnn"), name="bidi"),
        ],
        name="seq",
    )
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == FIXTURES["summary"]
