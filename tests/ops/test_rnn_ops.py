"""The fused recurrent ops: finite-difference gradients (float64) through whole sequences,
with masks, go_backwards and zero outputs for masked steps; traced and eager calls agree;
the error path. Values against TensorFlow are checked through the Keras layers'
fixtures (tests/keras/layers/rnn)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import execute, get
from tensorflux.ops import gru_ops, lstm_ops, rnn_ops
from tensorflux.testing import check_gradients
from tensorflux.testing.trace_check import check_one_graph

B, T, D, U = 2, 4, 3, 3
MASKS = {"unmasked": np.ones((B, T)), "masked": np.array([[1, 0, 1, 1], [0, 0, 1, 0]], np.float64)}


def _rng():
    return np.random.default_rng(7)


def _weights(gates, bias_shape):
    rng = _rng()
    return [
        rng.normal(size=(D, gates * U)) * 0.5,
        rng.normal(size=(U, gates * U)) * 0.5,
        rng.normal(size=bias_shape) * 0.1,
    ]


def _states(n):
    rng = _rng()
    return [rng.normal(size=(B, T, D))] + [rng.normal(size=(B, U)) for _ in range(n)]


ORDERS = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("go_backwards,zero_output", ORDERS)
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "elu"])
def test_simple_rnn_gradients(mask, go_backwards, zero_output, activation):
    m = MASKS[mask]
    attrs = {
        "activation": activation,
        "go_backwards": go_backwards,
        "zero_output_for_mask": zero_output,
    }

    def f(x, h0, k, r, b):
        out = execute(get("FusedSimpleRNN"), (x, h0, m, k, r, b), attrs)
        return [out[0], out[1]]

    check_gradients(f, _states(1) + _weights(1, (U,)))


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("go_backwards,zero_output", ORDERS)
def test_lstm_gradients(mask, go_backwards, zero_output):
    m = MASKS[mask]
    attrs = {"go_backwards": go_backwards, "zero_output_for_mask": zero_output}

    def f(x, h0, c0, k, r, b):
        out = execute(get("FusedLSTM"), (x, h0, c0, m, k, r, b), attrs)
        return [out[0], out[1], out[2]]

    check_gradients(f, _states(2) + _weights(4, (4 * U,)))


def test_lstm_gradients_other_activations():
    attrs = {"activation": "softplus", "recurrent_activation": "hard_sigmoid"}

    def f(x, h0, c0, k, r, b):
        out = execute(get("FusedLSTM"), (x, h0, c0, MASKS["masked"], k, r, b), attrs)
        return [out[0], out[1], out[2]]

    check_gradients(f, _states(2) + _weights(4, (4 * U,)))


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("go_backwards,zero_output", ORDERS)
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_gradients(mask, go_backwards, zero_output, reset_after):
    m = MASKS[mask]
    attrs = {
        "go_backwards": go_backwards,
        "zero_output_for_mask": zero_output,
        "reset_after": reset_after,
    }

    def f(x, h0, k, r, b):
        out = execute(get("FusedGRU"), (x, h0, m, k, r, b), attrs)
        return [out[0], out[1]]

    bias = (2, 3 * U) if reset_after else (3 * U,)
    check_gradients(f, _states(1) + _weights(3, bias))


def test_masked_steps_carry_the_state_and_repeat_the_output():
    x, h0 = _states(1)
    k, r, b = _weights(1, (U,))
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], np.float64)
    out, h = rnn_ops.fused_simple_rnn(x, h0, mask, k, r, b)
    full, _ = rnn_ops.fused_simple_rnn(x[:, :2], h0, np.ones((B, 2)), k, r, b)
    np.testing.assert_allclose(h.numpy()[0], full.numpy()[0, 1])
    np.testing.assert_allclose(out.numpy()[0, 2], out.numpy()[0, 1])
    zeros, _ = rnn_ops.fused_simple_rnn(x, h0, mask, k, r, b, zero_output_for_mask=True)
    np.testing.assert_array_equal(zeros.numpy()[0, 2:], 0.0)


def test_go_backwards_reads_the_reversed_sequence():
    x, h0, c0 = _states(2)
    w = _weights(4, (4 * U,))
    ones = np.ones((B, T))
    back = lstm_ops.fused_lstm(x, h0, c0, ones, *w, go_backwards=True)
    forward = lstm_ops.fused_lstm(x[:, ::-1], h0, c0, ones, *w)
    for a, e in zip(back, forward):
        np.testing.assert_allclose(a.numpy(), e.numpy(), rtol=1e-12)


def test_float32_keeps_its_dtype():
    x, h0 = (a.astype(np.float32) for a in _states(1))
    w = [a.astype(np.float32) for a in _weights(3, (2, 3 * U))]
    out, h = gru_ops.fused_gru(x, h0, np.ones((B, T), np.float32), *w)
    assert out.dtype == tf.float32 and h.dtype == tf.float32


def test_traced_calls_match_eager_for_unknown_batch_and_time():
    w = [tf.constant(a, tf.float32) for a in _weights(4, (4 * U,))]

    def fn(x, mask):
        h0 = tf.zeros([tf.shape(x)[0], U])
        with tf.GradientTape() as tape:
            tape.watch(w)
            out, h, c = lstm_ops.fused_lstm(x, h0, h0, mask, *w)
            loss = tf.reduce_sum(out) + tf.reduce_sum(c)
        return [out, h, c] + tape.gradient(loss, w)

    rng = _rng()
    calls = [
        (
            tf.constant(rng.normal(size=(b, t, D)), tf.float32),
            tf.constant((rng.uniform(size=(b, t)) > 0.3).astype(np.float32)),
        )
        for b, t in [(2, 4), (3, 6)]
    ]
    check_one_graph(
        fn,
        [tf.TensorSpec([None, None, D], tf.float32), tf.TensorSpec([None, None], tf.float32)],
        calls,
        rtol=1e-5,
    )


def test_unknown_activation_is_refused():
    x, h0 = _states(1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="no fused kernel for activation"):
        rnn_ops.fused_simple_rnn(x, h0, np.ones((B, T)), *_weights(1, (U,)), activation="selu")
