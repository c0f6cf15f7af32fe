"""The recurrent-layer cases shared by ``record_rnn_fixtures.py`` (run with TensorFlow)
and the tests (run with tensorflux): each case is a layer spec, an input, and how the
layer is called. ``make_layer(spec, layers)`` builds a spec with either library's
``keras.layers`` module, so both build the same layer."""

from __future__ import annotations

import numpy as np

B, T, D, U = 2, 4, 3, 3

# Batch 0 is padded at its end, batch 1 has a hole: both carrying paths are exercised.
MASK = [[True, True, True, False], [True, False, True, True]]


def spec(cls, **kwargs):
    return {"class": cls, "kwargs": kwargs}


def make_layer(s, layers):
    """The layer described by spec ``s``, built from the ``layers`` namespace."""
    kwargs = dict(s["kwargs"])
    cls = getattr(layers, s["class"])
    if "cell" in s:
        cell = s["cell"]
        cell = (
            [make_layer(c, layers) for c in cell]
            if isinstance(cell, list)
            else (make_layer(cell, layers))
        )
        return cls(cell, **kwargs)
    if "layer" in s:
        if "backward_layer" in s:
            kwargs["backward_layer"] = make_layer(s["backward_layer"], layers)
        return cls(make_layer(s["layer"], layers), **kwargs)
    return cls(**kwargs)


def _bidi(merge_mode, **kwargs):
    return {
        "class": "Bidirectional",
        "kwargs": {"merge_mode": merge_mode, "name": "bidi"},
        "layer": spec("LSTM", units=U, name="lstm", **kwargs),
    }


# name: (spec, call options). Options: "mask" (use MASK), "initial_state" (random states
# of these sizes), "time_major" input layout.
CASES = {
    "simple_rnn": (spec("SimpleRNN", units=U, name="rnn"), {}),
    "simple_rnn_sequences_relu": (
        spec("SimpleRNN", units=U, activation="relu", return_sequences=True, name="rnn"),
        {},
    ),
    "simple_rnn_masked_backwards": (
        spec(
            "SimpleRNN",
            units=U,
            go_backwards=True,
            return_sequences=True,
            return_state=True,
            name="rnn",
        ),
        {"mask": True},
    ),
    "simple_rnn_selu_loop": (
        spec("SimpleRNN", units=U, activation="selu", return_sequences=True, name="rnn"),
        {"mask": True},
    ),
    "simple_rnn_initial_state": (
        spec("SimpleRNN", units=U, return_state=True, name="rnn"),
        {"initial_state": [U]},
    ),
    "lstm": (spec("LSTM", units=U, name="lstm"), {}),
    "lstm_sequences_state_masked": (
        spec("LSTM", units=U, return_sequences=True, return_state=True, name="lstm"),
        {"mask": True},
    ),
    "lstm_backwards_masked": (
        spec("LSTM", units=U, go_backwards=True, return_sequences=True, name="lstm"),
        {"mask": True},
    ),
    "lstm_initial_state": (
        spec("LSTM", units=U, return_state=True, name="lstm"),
        {"initial_state": [U, U]},
    ),
    "lstm_time_major": (
        spec("LSTM", units=U, time_major=True, return_sequences=True, name="lstm"),
        {"time_major": True},
    ),
    "lstm_no_bias_relu_hard_sigmoid": (
        spec(
            "LSTM",
            units=U,
            use_bias=False,
            activation="relu",
            recurrent_activation="hard_sigmoid",
            return_sequences=True,
            name="lstm",
        ),
        {},
    ),
    "lstm_swish_loop": (
        spec("LSTM", units=U, activation="swish", return_state=True, name="lstm"),
        {"mask": True},
    ),
    "gru": (spec("GRU", units=U, name="gru"), {}),
    "gru_sequences_state_masked": (
        spec("GRU", units=U, return_sequences=True, return_state=True, name="gru"),
        {"mask": True},
    ),
    "gru_reset_before_backwards": (
        spec(
            "GRU", units=U, reset_after=False, go_backwards=True, return_sequences=True, name="gru"
        ),
        {"mask": True},
    ),
    "gru_reset_before_initial_state": (
        spec("GRU", units=U, reset_after=False, return_state=True, name="gru"),
        {"initial_state": [U]},
    ),
    "rnn_lstm_cell": (
        {
            "class": "RNN",
            "kwargs": {"return_sequences": True, "name": "rnn"},
            "cell": spec("LSTMCell", units=U, name="cell"),
        },
        {"mask": True},
    ),
    "rnn_stacked_cells": (
        {
            "class": "RNN",
            "kwargs": {"return_state": True, "name": "rnn"},
            "cell": [
                spec("LSTMCell", units=U, name="cell_a"),
                spec("GRUCell", units=2, name="cell_b"),
            ],
        },
        {},
    ),
    "rnn_simple_cell_backwards": (
        {
            "class": "RNN",
            "kwargs": {"go_backwards": True, "name": "rnn"},
            "cell": spec("SimpleRNNCell", units=U, name="cell"),
        },
        {"mask": True},
    ),
    "bidi_concat": (_bidi("concat"), {"mask": True}),
    "bidi_sum_sequences": (_bidi("sum", return_sequences=True), {"mask": True}),
    "bidi_mul_sequences": (_bidi("mul", return_sequences=True), {}),
    "bidi_ave_sequences": (_bidi("ave", return_sequences=True), {"mask": True}),
    "bidi_none_sequences": (_bidi(None, return_sequences=True), {"mask": True}),
    "bidi_concat_state": (_bidi("concat", return_state=True), {"mask": True}),
    "bidi_backward_gru": (
        {
            "class": "Bidirectional",
            "kwargs": {"name": "bidi"},
            "layer": spec("GRU", units=U, return_sequences=True, name="fwd"),
            "backward_layer": spec(
                "GRU", units=2, return_sequences=True, go_backwards=True, name="bwd"
            ),
        },
        {"mask": True},
    ),
    "conv_lstm2d_same_sequences": (
        spec(
            "ConvLSTM2D",
            filters=2,
            kernel_size=3,
            padding="same",
            return_sequences=True,
            name="conv_lstm2d",
        ),
        {"input_shape": (B, 3, 4, 4, 2)},
    ),
    "conv_lstm1d_masked_backwards_state": (
        spec(
            "ConvLSTM1D",
            filters=2,
            kernel_size=2,
            go_backwards=True,
            return_state=True,
            name="conv_lstm1d",
        ),
        {"input_shape": (B, T, 5, 3), "mask": True},
    ),
    "conv_lstm2d_strides_initial_state": (
        spec(
            "ConvLSTM2D",
            filters=2,
            kernel_size=2,
            strides=2,
            activation="relu",
            return_sequences=True,
            name="conv_lstm2d",
        ),
        {"input_shape": (B, 3, 5, 5, 1), "initial_state": [(2, 2, 2), (2, 2, 2)]},
    ),
    "conv_lstm3d_same": (
        spec("ConvLSTM3D", filters=1, kernel_size=2, padding="same", name="conv_lstm3d"),
        {"input_shape": (B, 2, 3, 3, 3, 1)},
    ),
    "time_distributed_dense": (
        {
            "class": "TimeDistributed",
            "kwargs": {"name": "td"},
            "layer": spec("Dense", units=2, activation="tanh", name="dense"),
        },
        {},
    ),
}


def case_inputs(name):
    """The seeded input (batch, time, features), float32, of case ``name`` (of its
    ``input_shape`` option when it has one: the convolutional LSTMs' feature maps)."""
    rng = np.random.default_rng(_seed(name))
    shape = CASES[name][1].get("input_shape", (B, T, D)) if name in CASES else (B, T, D)
    return rng.uniform(-1, 1, shape).astype(np.float32)


def _seed(name: str) -> int:
    return sum(ord(c) * (i + 1) for i, c in enumerate(name))


def case_states(name, sizes):
    rng = np.random.default_rng(_seed(name) + 1)
    # A size is a state's width, or the shape of a feature-map state after the batch.
    shapes = [(B, *s) if isinstance(s, tuple) else (B, s) for s in sizes]
    return [rng.uniform(-1, 1, shape).astype(np.float32) for shape in shapes]


def case_weights(name, shapes):
    rng = np.random.default_rng(_seed(name) + 2)
    return [rng.uniform(-0.6, 0.6, s).astype(np.float32) for s in shapes]


def output_weights(name, shapes):
    """Fixed weights w_i: the loss whose gradients are recorded is sum_i sum(out_i * w_i)."""
    rng = np.random.default_rng(_seed(name) + 3)
    return [rng.uniform(0.5, 1.5, s).astype(np.float32) for s in shapes]
