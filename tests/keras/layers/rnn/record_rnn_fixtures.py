"""Records Keras 2 (``tf_keras``) recurrent-layer results into
``tests/fixtures/rnn_layers.json``.

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    python tests/keras/layers/rnn/record_rnn_fixtures.py

For each case of ``rnn_cases.CASES``: the layer is built on the case's input, its
weights set to seeded values, and the outputs (flattened), the gradients of a fixed
weighting of the outputs with respect to the weights, the input and any initial states,
the weight names and the config are recorded. Also: a stateful LSTM over two batches
and after ``reset_states``, a masked Embedding + Bidirectional model on padded and
unpadded inputs, and a model's ``summary()``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))
FIXTURE = HERE.parents[2] / "fixtures" / "rnn_layers.json"

from tests.keras.layers.rnn import rnn_cases as rc  # noqa: E402


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat(item)]
    return [x]


def _plain(o):
    # Keras' tracked containers (ListWrapper, _DictWrapper) as plain lists and dicts.
    return dict(o) if hasattr(o, "items") else list(o)


def _arr(a):
    return np.asarray(a, np.float32).round(7).tolist()


def record_case(name, keras, tf):
    s, opts = rc.CASES[name]
    layer = rc.make_layer(s, keras.layers)
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
    shapes = [tuple(w.shape) for w in layer.weights]
    weights = rc.case_weights(name, shapes)
    layer.set_weights(weights)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        for v in st:
            tape.watch(v)
        outs = _flat(layer(xt, **kwargs))
        ws = rc.output_weights(name, [tuple(o.shape) for o in outs])
        loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, ws)])
    grads = tape.gradient(loss, layer.trainable_weights + [xt] + st)
    return {
        "weights": [_arr(w) for w in weights],
        "weight_names": [w.name for w in layer.weights],
        "outputs": [_arr(o) for o in outs],
        "grads": [_arr(g) for g in grads],
        "config": json.loads(json.dumps(layer.get_config(), default=_plain)),
    }


def record_stateful(keras):
    layer = keras.layers.LSTM(
        rc.U,
        stateful=True,
        return_sequences=True,
        name="lstm",
        batch_input_shape=(rc.B, rc.T, rc.D),
    )
    x1, x2 = rc.case_inputs("stateful_1"), rc.case_inputs("stateful_2")
    layer(x1)
    weights = rc.case_weights("stateful", [tuple(w.shape) for w in layer.weights])
    layer.set_weights(weights)
    layer.reset_states()
    first = layer(x1).numpy()
    second = layer(x2).numpy()
    states = [s.numpy() for s in layer.states]
    layer.reset_states()
    again = layer(x2).numpy()
    return {
        "weights": [_arr(w) for w in weights],
        "first": _arr(first),
        "second": _arr(second),
        "states": [_arr(s) for s in states],
        "after_reset": _arr(again),
    }


def _text_model(keras):
    return keras.Sequential(
        [
            keras.layers.Embedding(12, 4, mask_zero=True, name="embedding"),
            keras.layers.Bidirectional(keras.layers.LSTM(3, name="lstm"), name="bidirectional"),
            keras.layers.Dense(1, name="dense"),
        ]
    )


def record_masked_model(keras):
    model = _text_model(keras)
    tokens = np.array([[3, 5, 7, 0, 0, 0], [2, 9, 4, 11, 6, 1]], np.int32)
    model(tokens)
    weights = rc.case_weights("text_model", [tuple(w.shape) for w in model.weights])
    model.set_weights(weights)
    return {
        "weights": [_arr(w) for w in weights],
        "tokens": tokens.tolist(),
        "padded": _arr(model(tokens)),
        "unpadded": _arr(model(tokens[:1, :3])),
        "weight_names": [w.name for w in model.weights],
    }


def record_summary(keras):
    model = keras.Sequential(
        [
            keras.Input((None, 3)),
            keras.layers.GRU(4, return_sequences=True, name="gru"),
            keras.layers.TimeDistributed(keras.layers.Dense(2, name="dense"), name="td"),
            keras.layers.Bidirectional(keras.layers.SimpleRNN(2, name="rnn"), name="bidi"),
        ],
        name="seq",
    )
    lines = []
    model.summary(print_fn=lines.append)
    return lines


def main() -> None:
    import tensorflow as tf
    import tf_keras as keras

    out = {
        "cases": {name: record_case(name, keras, tf) for name in rc.CASES},
        "stateful": record_stateful(keras),
        "masked_model": record_masked_model(keras),
        "summary": record_summary(keras),
    }
    FIXTURE.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
