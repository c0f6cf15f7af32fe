"""Recurrent layers' behaviour: the standard layer harness, fused vs step-by-step paths,
dropout, custom cells, traced unknown lengths, configs through serialize, training, and
Keras 2's errors for bad input."""

import numpy as np
import pytest

import tensorflux as tf

layers = tf.keras.layers
X = np.random.default_rng(3).uniform(-1, 1, (2, 5, 3)).astype(np.float32)


@pytest.mark.parametrize(
    "cls,kwargs,shape,weights",
    [
        (layers.SimpleRNN, {"units": 4}, (2, 4), 3),
        (layers.LSTM, {"units": 4, "return_sequences": True}, (2, 5, 4), 3),
        (layers.GRU, {"units": 4, "reset_after": False}, (2, 4), 3),
        (layers.GRU, {"units": 4, "go_backwards": True, "return_sequences": True}, (2, 5, 4), 3),
    ],
)
def test_layer_harness(cls, kwargs, shape, weights):
    run_layer_test(
        cls,
        kwargs,
        input_data=X,
        expected_output_shape=shape,
        expected_num_trainable_weights=weights,
        supports_masking=True,
    )


def run_layer_test(*args, **kwargs):
    from tensorflux.testing.layer_test import run_layer_test as run

    return run(*args, **kwargs)


def test_wrappers_harness():
    run_layer_test(
        layers.Bidirectional,
        {"layer": layers.LSTM(3, return_sequences=True), "merge_mode": "sum"},
        input_data=X,
        expected_output_shape=(2, 5, 3),
        expected_num_trainable_weights=6,
    )
    run_layer_test(
        layers.TimeDistributed,
        {"layer": layers.Dense(2)},
        input_data=X,
        expected_output_shape=(2, 5, 2),
        expected_num_trainable_weights=2,
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.SimpleRNN(4, return_sequences=True, return_state=True, go_backwards=True),
        lambda: layers.LSTM(4, return_sequences=True, return_state=True),
        lambda: layers.GRU(4, return_sequences=True, return_state=True, reset_after=False),
    ],
)
def test_fused_path_equals_cell_loop(make):
    fused = make()
    mask = tf.constant([[True, True, False, True, False], [True] * 5])
    out_fused = fused(X, mask=mask)
    loop = layers.RNN(
        fused.cell, return_sequences=True, return_state=True, go_backwards=fused.go_backwards
    )
    out_loop = loop(X, mask=mask)
    for a, b in zip(out_fused, out_loop):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_only_while_training():
    layer = layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    inference = layer(X)
    np.testing.assert_allclose(layer(X).numpy(), inference.numpy())
    tf.random.set_seed(1)
    trained = layer(X, training=True)
    assert not np.allclose(trained.numpy(), inference.numpy())
    gru = layers.GRU(4, dropout=0.5)
    assert not np.allclose(gru(X, training=True).numpy(), gru(X).numpy())


class MinimalCell(layers.Layer):
    """A custom cell: ``h = tanh(x @ W) + h``, as in the Keras guide's pattern."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(input_shape[-1], self.units))
        self.built = True

    def call(self, inputs, states):
        h = tf.tanh(tf.matmul(inputs, self.kernel)) + states[0]
        return h, [h]


def test_custom_cell_and_gradients():
    rnn = layers.RNN(MinimalCell(2, name="minimal_cell"), return_sequences=True, name="rnn")
    with tf.GradientTape() as tape:
        out = rnn(X)
        loss = tf.reduce_sum(out)
    kernel = rnn.cell.kernel
    assert [w.name for w in rnn.weights] == ["rnn/minimal_cell/kernel:0"]
    expected = np.cumsum(np.tanh(X @ kernel.numpy()), axis=1)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert tape.gradient(loss, kernel).shape == kernel.shape


def test_fused_layers_trace_once_for_any_length():
    layer = layers.GRU(4, return_sequences=True)
    layer(X)
    f = tf.function(
        lambda x: layer(x), input_signature=[tf.TensorSpec([None, None, 3], tf.float32)]
    )
    for t in (2, 7):
        x = np.random.default_rng(t).normal(size=(3, t, 3)).astype(np.float32)
        np.testing.assert_allclose(f(x).numpy(), layer(x).numpy(), rtol=1e-5, atol=1e-6)
    assert f.experimental_get_tracing_count() == 1


def test_functional_model_with_unknown_length_trains():
    inputs = tf.keras.Input((None, 3))
    h = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(inputs)
    outputs = layers.GRU(2)(h)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    y = np.zeros((2, 2), np.float32)
    first = model.evaluate(X, y, verbose=0)
    model.fit(X, y, epochs=5, verbose=0)
    assert model.evaluate(X, y, verbose=0) < first
    assert model.output_shape == (None, 2)


def test_initial_state_as_extra_inputs():
    layer = layers.LSTM(3)
    states = [np.ones((2, 3), np.float32), np.zeros((2, 3), np.float32)]
    a = layer(X, initial_state=states)
    np.testing.assert_allclose(layer([X] + states).numpy(), a.numpy())


def test_unroll_and_time_major_are_honoured():
    layer = layers.SimpleRNN(3, unroll=True, return_sequences=True)
    batch_major = layer(X)
    tm = layers.SimpleRNN(3, time_major=True, return_sequences=True)
    tm(np.swapaxes(X, 0, 1))
    tm.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        np.swapaxes(tm(np.swapaxes(X, 0, 1)).numpy(), 0, 1), batch_major.numpy(), rtol=1e-6
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.LSTM(3, return_state=True, dropout=0.1),
        lambda: layers.GRU(3, reset_after=False, implementation=1),
        lambda: layers.RNN([layers.SimpleRNNCell(2), layers.LSTMCell(3)]),
        lambda: layers.Bidirectional(
            layers.GRU(2), backward_layer=layers.GRU(2, go_backwards=True), merge_mode="mul"
        ),
        lambda: layers.TimeDistributed(layers.Dense(3)),
    ],
)
def test_config_round_trip_through_serialize(make):
    layer = make()
    config = layers.serialize(layer)
    clone = layers.deserialize(config)
    assert type(clone) is type(layer)
    assert clone.get_config() == layer.get_config()


def test_stateful_reset_states_to_values_and_errors():
    layer = layers.GRU(2, stateful=True, batch_input_shape=(2, 5, 3))
    layer(X)
    layer.reset_states([np.ones((2, 2))])
    np.testing.assert_array_equal(layer.states[0].numpy(), np.ones((2, 2)))
    with pytest.raises(
        ValueError,
        match=r"State 0 is incompatible with layer .*: expected "
        r"shape=\(2, 2\) but found shape=\(3, 2\)",
    ):
        layer.reset_states([np.ones((3, 2))])
    with pytest.raises(AttributeError, match="Layer must be stateful"):
        layers.LSTM(2).reset_states()


def test_bad_input_errors_match_keras():
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "lstm\w*" is incompatible with the '
        r"layer: expected ndim=3, found ndim=2. Full shape "
        r"received: \(2, 3\)",
    ):
        layers.LSTM(3)(np.ones((2, 3), np.float32))
    with pytest.raises(
        ValueError,
        match=r"An `initial_state` was passed that is not compatible "
        r"with `cell.state_size`.*\[3, 3\]",
    ):
        layers.LSTM(3)(X, initial_state=[tf.ones((2, 3))])
    with pytest.raises(ValueError, match="If a RNN is stateful, it needs to know its batch size"):
        tf.keras.Sequential([layers.LSTM(3, stateful=True, input_shape=(5, 3))])
    with pytest.raises(
        ValueError,
        match=r"received a mask of shape \(2, 4\) for inputs of "
        r"shape \(2, 5, 3\)",
    ):
        layers.GRU(3)(X, mask=np.ones((2, 4), bool))
    with pytest.raises(ValueError, match="Invalid merge mode. Received: x"):
        layers.Bidirectional(layers.LSTM(3), merge_mode="x")
    with pytest.raises(
        ValueError,
        match="Forward layer and backward layer should have different `go_backwards` value",
    ):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3))
    with pytest.raises(ValueError, match="with at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="should have a `call` method"):
        layers.RNN(object())
    with pytest.raises(ValueError, match="expected a positive integer, got 0"):
        layers.GRUCell(0)


def test_cell_loop_needs_a_known_length_inside_a_trace():
    rnn = layers.RNN(MinimalCell(2))
    rnn(X)
    f = tf.function(lambda x: rnn(x), input_signature=[tf.TensorSpec([None, None, 3])])
    with pytest.raises(ValueError, match="needs to know the number of timesteps"):
        f(X)


def test_conv_lstm_stateful_carries_feature_maps():
    layer = tf.keras.layers.ConvLSTM2D(
        2, 3, padding="same", stateful=True, batch_input_shape=(2, 3, 4, 4, 1)
    )
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3, 4, 4, 1)).astype(np.float32)
    first = layer(x).numpy()
    assert [s.shape.as_list() for s in layer.states] == [[2, 4, 4, 2], [2, 4, 4, 2]]
    second = layer(x).numpy()
    assert not np.allclose(first, second)
    layer.reset_states()
    np.testing.assert_allclose(layer(x).numpy(), first, rtol=1e-6)


def test_conv_lstm_errors():
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        tf.keras.layers.ConvLSTM2D(2, 3)(np.ones((2, 3, 4, 4), np.float32))
    with pytest.raises(ValueError, match="initial_state"):
        tf.keras.layers.ConvLSTM1D(2, 2)(
            np.ones((1, 2, 5, 1), np.float32), initial_state=[np.zeros((1, 2), np.float32)] * 2
        )


def test_conv_lstm_config_round_trip():
    layer = tf.keras.layers.ConvLSTM2D(3, (2, 2), strides=2, dropout=0.25, return_state=True)
    clone = tf.keras.layers.ConvLSTM2D.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert clone.filters == 3 and clone.strides == (2, 2)


def test_get_initial_state_is_a_list_of_zero_states():
    # As tf_keras: one zeros tensor per state, batch from the inputs (axis 1 if time_major).
    x = np.ones((2, 5, 4), np.float32)
    gru, lstm = tf.keras.layers.GRU(3), tf.keras.layers.LSTM(2, time_major=True)
    (state,) = gru.get_initial_state(x)
    assert state.shape == (2, 3) and state.dtype == tf.float32 and not state.numpy().any()
    assert [s.shape for s in lstm.get_initial_state(tf.constant(x))] == [(5, 2), (5, 2)]
    out, final = gru(x, initial_state=gru.get_initial_state(x)), gru(x)
    np.testing.assert_allclose(out.numpy(), final.numpy())

    @tf.function(input_signature=[tf.TensorSpec([None, 5, 4])])
    def traced(inputs):
        return gru.get_initial_state(inputs)[0]

    assert traced(tf.ones([6, 5, 4])).shape == (6, 3)
