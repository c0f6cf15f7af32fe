"""The small recurrent Keras models whose SavedModels real TensorFlow must run.

Shared by ``record_rnn_savedmodel_fixtures.py`` (run with TensorFlow) and
``test_rnn_savedmodel_export.py``: each model is built with tensorflux, its weights set
from a NumPy seed fixed by its name (so both rebuild the same numbers) and its inputs
drawn from another.
"""

from __future__ import annotations

import zlib

import numpy as np


def _lstm(keras):
    L = keras.layers
    return keras.Sequential([L.LSTM(4, input_shape=(5, 3)), L.Dense(2)])


def _gru_reset_after(keras):
    L = keras.layers
    return keras.Sequential([L.GRU(4, input_shape=(5, 3)), L.Dense(2)])


def _gru_reset_before(keras):
    L = keras.layers
    gru = L.GRU(4, reset_after=False, recurrent_activation="hard_sigmoid", input_shape=(5, 3))
    return keras.Sequential([gru, L.Dense(2)])


def _simple_rnn(keras):
    L = keras.layers
    return keras.Sequential([L.SimpleRNN(4, activation="relu", input_shape=(5, 3)), L.Dense(2)])


def _lstm_sequences(keras):
    L = keras.layers
    return keras.Sequential([L.LSTM(4, return_sequences=True, input_shape=(5, 3))])


def _gru_backwards(keras):
    L = keras.layers
    return keras.Sequential(
        [L.GRU(4, go_backwards=True, return_sequences=True, input_shape=(5, 3))]
    )


def _bidirectional(keras):
    L = keras.layers
    bi = L.Bidirectional(L.LSTM(3, return_sequences=True), input_shape=(5, 3))
    return keras.Sequential([bi, L.Dense(2)])


def _masked(keras):
    L = keras.layers
    return keras.Sequential(
        [L.Embedding(10, 3, mask_zero=True, input_length=6), L.LSTM(4, return_sequences=True)]
    )


def _masked_gru_backwards(keras):
    L = keras.layers
    return keras.Sequential(
        [L.Embedding(10, 3, mask_zero=True, input_length=6), L.GRU(4, go_backwards=True)]
    )


def _unknown_time(keras):
    L = keras.layers
    inputs = keras.Input((None, 3))
    outputs = L.Dense(2)(L.SimpleRNN(4)(L.LSTM(4, return_sequences=True)(inputs)))
    return keras.Model(inputs, outputs)


def _stacked_states(keras):
    L = keras.layers
    inputs = keras.Input((5, 3), name="seq")
    seq, h, c = L.LSTM(4, return_sequences=True, return_state=True)(inputs)
    last = L.LSTM(4)(seq, initial_state=[h, c])
    return keras.Model(inputs, [L.Dense(2, name="score")(last), h])


def _lstm_activations(keras):
    L = keras.layers
    lstm = L.LSTM(
        4,
        activation="elu",
        recurrent_activation="hard_sigmoid",
        time_major=True,
        return_sequences=True,
        input_shape=(5, 3),
    )
    return keras.Sequential([lstm])


def _masked_zero_outputs(keras):
    L = keras.layers
    rnn = L.SimpleRNN(4, return_sequences=True, zero_output_for_mask=True)
    return keras.Sequential([L.Masking(0.0, input_shape=(5, 3)), rnn])


def _gru_states(keras):
    L = keras.layers
    inputs = keras.Input((None, 3))
    gru = L.GRU(4, use_bias=False, return_sequences=True, return_state=True, go_backwards=True)
    outputs, state = gru(inputs)
    return keras.Model(inputs, [outputs, state])


def _lstm_float64(keras):
    L = keras.layers
    return keras.Sequential([L.LSTM(4, dtype="float64", return_sequences=True, input_shape=(5, 3))])


# name -> (builder, input shape without the batch, int vocabulary or None).
MODELS = {
    "lstm": (_lstm, (5, 3), None),
    "gru_reset_after": (_gru_reset_after, (5, 3), None),
    "gru_reset_before": (_gru_reset_before, (5, 3), None),
    "simple_rnn": (_simple_rnn, (5, 3), None),
    "lstm_sequences": (_lstm_sequences, (5, 3), None),
    "gru_backwards": (_gru_backwards, (5, 3), None),
    "bidirectional": (_bidirectional, (5, 3), None),
    "masked_lstm": (_masked, (6,), 10),
    "masked_gru_backwards": (_masked_gru_backwards, (6,), 10),
    "unknown_time": (_unknown_time, (7, 3), None),
    "stacked_states": (_stacked_states, (5, 3), None),
    "lstm_activations": (_lstm_activations, (5, 3), None),
    "masked_zero_outputs": (_masked_zero_outputs, (5, 3), None),
    "gru_states": (_gru_states, (5, 3), None),
    "lstm_float64": (_lstm_float64, (5, 3), None),
}


def build(keras, name: str):
    """The model ``name`` built with ``keras`` (tensorflux's), weights from a fixed seed."""
    builder = MODELS[name][0]
    model = builder(keras)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    model.set_weights(
        [rng.uniform(-0.8, 0.8, w.shape).astype(w.dtype) for w in model.get_weights()]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def inputs(name: str) -> list:
    """The batches the model predicts on: 3 sequences each; integer ones padded with
    zeros (masked); a model of unknown time length gets two lengths."""
    _, shape, vocab = MODELS[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()) + 1)
    if vocab is None:
        x = rng.normal(size=(3,) + shape).astype(np.float64 if "64" in name else np.float32)
        if name == "masked_zero_outputs":  # padded steps, at the end and in front
            x[1, 3:] = 0.0
            x[2, :2] = 0.0
        return [x, x[:, :4]] if name in ("unknown_time", "gru_states") else [x]
    ids = rng.integers(1, vocab, (3,) + shape)
    for row, length in enumerate((6, 4, 2)):
        ids[row, length:] = 0
    return [ids.astype(np.int32)]


def build_module(tf):
    """A ``tf.Module`` (no Keras metadata: loading runs its functions) holding an LSTM
    and a GRU, with a serving signature of unknown batch and time."""
    L = tf.keras.layers
    lstm = L.LSTM(4, return_sequences=True)
    gru = L.GRU(3, go_backwards=True, reset_after=False)
    lstm.build((None, None, 3))
    gru.build((None, None, 4))
    rng = np.random.default_rng(7)
    for layer in (lstm, gru):
        layer.set_weights(
            [rng.uniform(-0.8, 0.8, w.shape).astype(np.float32) for w in layer.get_weights()]
        )

    class Sequences(tf.Module):
        def __init__(self):
            super().__init__()
            self.lstm, self.gru = lstm, gru

        @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.float32, name="x")])
        def __call__(self, x):
            return {"y": self.gru(self.lstm(x))}

    return Sequences()


def module_inputs() -> list:
    """Two batches of different lengths for :func:`build_module`."""
    rng = np.random.default_rng(200)
    return [
        rng.normal(size=(2, 6, 3)).astype(np.float32),
        rng.normal(size=(3, 2, 3)).astype(np.float32),
    ]
