"""tf.nn.RNNCellResidualWrapper / RNNCellDeviceWrapper / RNNCellDropoutWrapper around
Keras cells against TensorFlow fixtures (``record_rnn_cell_wrapper_fixtures.py``): step
outputs and states (dropout masks from TF's derived seeds), a wrapped cell inside
``keras.layers.RNN``, configs and their round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.record_rnn_cell_wrapper_fixtures import DROPOUT_CASES, FIXTURE, SEQ, H, X

RECORD = json.loads(FIXTURE.read_text())


def _cell(kind):
    return tf.keras.layers.GRUCell(3) if kind == "gru" else tf.keras.layers.SimpleRNNCell(3)


def _step(wrapper, want, bare=False):
    if not wrapper.built:
        wrapper.build((2, 3))
    wrapper.cell.set_weights([np.asarray(w) for w in want["weights"]])
    out, state = wrapper(tf.constant(X), tf.constant(H) if bare else [tf.constant(H)])
    state = [state] if bare else state
    np.testing.assert_allclose(out.numpy(), want["out"], atol=1e-6)
    for s, w in zip(state, want["state"]):
        np.testing.assert_allclose(s.numpy(), w, atol=1e-6)


def _same_config(got, want):
    got, want = dict(got), dict(want)
    assert got.pop("name").rstrip("_0123456789") == want.pop("name").rstrip("_0123456789")
    cell_got, cell_want = got.pop("cell"), want.pop("cell")
    assert cell_got["class_name"] == cell_want["class_name"]
    assert cell_got["config"]["units"] == cell_want["config"]["units"]
    assert got == want


def test_residual_wrapper_matches_tf():
    wrapper = tf.nn.RNNCellResidualWrapper(_cell("simple"))
    _step(wrapper, RECORD["residual"])
    _same_config(wrapper.get_config(), RECORD["residual_config"])
    again = type(wrapper).from_config(wrapper.get_config())
    assert again.state_size == 3 and isinstance(again.cell, tf.keras.layers.SimpleRNNCell)


def test_residual_wrapper_inside_rnn_layer_matches_tf():
    layer = tf.keras.layers.RNN(tf.nn.RNNCellResidualWrapper(_cell("simple")),
                                return_sequences=True)  # fmt: skip
    layer.build((2, 4, 3))
    layer.set_weights([np.asarray(w) for w in RECORD["residual_rnn_weights"]])
    for run in (layer, tf.function(layer)):
        np.testing.assert_allclose(run(tf.constant(SEQ)).numpy(), RECORD["residual_rnn"],
                                   atol=1e-6)  # fmt: skip


def test_residual_wrapper_custom_fn_and_shape_check():
    wrapper = tf.nn.RNNCellResidualWrapper(_cell("simple"), residual_fn=lambda i, o: o * 0 + i)
    out, _ = wrapper(tf.constant(X), [tf.constant(H)])
    np.testing.assert_allclose(out.numpy(), np.float32(X))
    narrow = tf.nn.RNNCellResidualWrapper(tf.keras.layers.SimpleRNNCell(2))
    with pytest.raises(ValueError, match="incompatible"):
        narrow(tf.constant(X), [tf.zeros((2, 2))])


def test_device_wrapper_matches_tf():
    wrapper = tf.nn.RNNCellDeviceWrapper(_cell("gru"), "/cpu:0")
    _step(wrapper, RECORD["device"])
    _same_config(wrapper.get_config(), RECORD["device_config"])


@pytest.mark.parametrize("i", range(len(DROPOUT_CASES)))
def test_dropout_wrapper_matches_tf(i):
    kind, kwargs = DROPOUT_CASES[i]
    want = RECORD["dropout"][i]
    tf.random.set_seed(5)
    wrapper = tf.nn.RNNCellDropoutWrapper(_cell(kind), **kwargs)
    bare = kwargs.get("variational_recurrent", False)
    _step(wrapper, want["first"], bare)
    _step(wrapper, want["second"], bare)  # the next draws of the same seeded ops
    _same_config(wrapper.get_config(), want["config"])


def test_dropout_wrapper_errors():
    with pytest.raises(ValueError, match="input_keep_prob must be between 0 and 1"):
        tf.nn.RNNCellDropoutWrapper(_cell("simple"), input_keep_prob=1.5)
    with pytest.raises(ValueError, match="dtype must be provided"):
        tf.nn.RNNCellDropoutWrapper(_cell("simple"), variational_recurrent=True)
    with pytest.raises(TypeError, match="must be callable"):
        tf.nn.RNNCellDropoutWrapper(_cell("simple"), dropout_state_filter_visitor=3)
