"""Records TensorFlow's ``tf.nn.RNNCellResidualWrapper``, ``tf.nn.RNNCellDeviceWrapper``
and ``tf.nn.RNNCellDropoutWrapper`` around tf_keras cells (outputs, states, configs)
into ``tests/fixtures/rnn_cell_wrappers.json``.

Run it where TensorFlow is installed (the test suite never imports it)::

    /path/to/tf-venv/bin/python tests/keras/record_rnn_cell_wrapper_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parents[1] / "fixtures" / "rnn_cell_wrappers.json"

X = np.round(np.random.default_rng(0).uniform(-1, 1, [2, 3]), 3).tolist()
H = np.round(np.random.default_rng(1).uniform(-1, 1, [2, 3]), 3).tolist()
SEQ = np.round(np.random.default_rng(2).uniform(-1, 1, [2, 4, 3]), 3).tolist()
# Keyword arguments of the dropout wrapper; each case also names the cell kind.
DROPOUT_CASES = [
    ("simple", {"input_keep_prob": 0.5, "output_keep_prob": 0.8, "state_keep_prob": 0.7,
                "seed": 3}),
    ("gru", {"input_keep_prob": 0.6, "seed": 11}),
    ("simple", {"input_keep_prob": 0.5, "state_keep_prob": 0.5, "variational_recurrent": True,
                "input_size": 3, "dtype": "float32", "seed": 5}),
]  # fmt: skip


def _cell(tf_keras, kind):
    init = {"kernel_initializer": tf_keras.initializers.RandomNormal(seed=1),
            "recurrent_initializer": tf_keras.initializers.RandomNormal(seed=2),
            "bias_initializer": tf_keras.initializers.RandomNormal(seed=3)}  # fmt: skip
    if kind == "gru":
        return tf_keras.layers.GRUCell(3, **init)
    return tf_keras.layers.SimpleRNNCell(3, **init)


def _call(tf, wrapper, bare_state=False):
    """One step; a bare state tensor (not a list) where the variational noise needs one."""
    out, state = wrapper(tf.constant(X), tf.constant(H) if bare_state else [tf.constant(H)])
    state = [state] if bare_state else state
    return {"out": out.numpy().tolist(), "state": [s.numpy().tolist() for s in state],
            "weights": [w.tolist() for w in wrapper.cell.get_weights()]}  # fmt: skip


def main():
    import tensorflow as tf
    import tf_keras

    out = {}
    tf.random.set_seed(5)
    res = tf.nn.RNNCellResidualWrapper(_cell(tf_keras, "simple"))
    out["residual"] = _call(tf, res)
    out["residual_config"] = res.get_config()
    layer = tf_keras.layers.RNN(tf.nn.RNNCellResidualWrapper(_cell(tf_keras, "simple")),
                                return_sequences=True)  # fmt: skip
    out["residual_rnn"] = layer(tf.constant(SEQ)).numpy().tolist()
    out["residual_rnn_weights"] = [w.tolist() for w in layer.get_weights()]
    dev = tf.nn.RNNCellDeviceWrapper(_cell(tf_keras, "gru"), "/cpu:0")
    out["device"] = _call(tf, dev)
    out["device_config"] = dev.get_config()
    out["dropout"] = []
    for kind, kwargs in DROPOUT_CASES:
        tf.random.set_seed(5)
        wrapper = tf.nn.RNNCellDropoutWrapper(_cell(tf_keras, kind), **kwargs)
        bare = kwargs.get("variational_recurrent", False)
        first = _call(tf, wrapper, bare)
        second = _call(tf, wrapper, bare)
        out["dropout"].append({"first": first, "second": second,
                               "config": wrapper.get_config()})  # fmt: skip
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
