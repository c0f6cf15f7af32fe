"""XLA kernels of the fused recurrent ops: SimpleRNN, LSTM and GRU over a sequence.

The forward ops run the time loop as ``lax.scan`` and return the same workspace
outputs as the NumPy kernels (states, activated gates). Their gradient ops are the
transposes of the forward computation, taken with ``jax.vjp`` from the same inputs:
the workspaces the NumPy backward pass reads are not needed by XLA, which recomputes
what it needs inside the one compiled program.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from tensorflux.kernels.xla import xla_kernel

ACTIVATIONS = {
    "tanh": jnp.tanh,
    # 0.5 * (1 + tanh(a / 2)), as the NumPy kernels compute it.
    "sigmoid": lambda a: 0.5 * (1.0 + jnp.tanh(0.5 * a)),
    "relu": lambda a: jnp.maximum(a, 0.0),
    "linear": lambda a: a,
    "hard_sigmoid": lambda a: jnp.clip(0.2 * a + 0.5, 0.0, 1.0),
    "elu": lambda a: jnp.where(a < 0, jnp.expm1(jnp.minimum(a, 0.0)), a),
    "softplus": lambda a: jnp.logaddexp(a, 0.0),
}


def _activation(name: str):
    fn = ACTIVATIONS.get(name)
    if fn is None:
        raise NotImplementedError(f"no fused XLA kernel for activation {name!r}")
    return fn


def _time_major(a, go_backwards: bool):
    a = jnp.swapaxes(a, 0, 1)
    return a[::-1] if go_backwards else a


def _project(x, kernel, bias, go_backwards):
    xw = jnp.matmul(_time_major(x, go_backwards), kernel)
    return xw + bias


def _carry_outputs(new, m, zero_output_for_mask):
    """Outputs from each step's unmasked result: zeros or the previous output where a
    step is masked (see ``rnn_ops.carry_outputs``)."""
    if zero_output_for_mask:
        return jnp.where(m, new, jnp.zeros((), new.dtype))

    def step(prev, pair):
        out = jnp.where(pair[1], pair[0], prev)
        return out, out

    return lax.scan(step, jnp.zeros_like(new[0]), (new, m))[1]


def _mask(mask, go_backwards):
    return _time_major(mask != 0, go_backwards)[..., None]


def _simple_rnn(x, h0, mask, kernel, rk, bias, activation, go_backwards, zero_output_for_mask):
    act = _activation(activation)
    xw = _project(x, kernel, bias, go_backwards)
    m = _mask(mask, go_backwards)

    def step(h, inputs):
        xs, ms = inputs
        new = act(xs + h @ rk)
        h = jnp.where(ms, new, h)
        return h, (h, new)

    h, (hs, new) = lax.scan(step, h0.astype(xw.dtype), (xw, m))
    outputs = _carry_outputs(new, m, zero_output_for_mask)
    return jnp.swapaxes(outputs, 0, 1), h, hs, new


@xla_kernel("FusedSimpleRNN")
def _fused_simple_rnn(
    x, h0, mask, kernel, recurrent_kernel, bias, activation="tanh", go_backwards=False,
    zero_output_for_mask=False,
):  # fmt: skip
    return _simple_rnn(
        x, h0, mask, kernel, recurrent_kernel, bias, activation, go_backwards,
        zero_output_for_mask,
    )  # fmt: skip


@xla_kernel("FusedSimpleRNNGrad")
def _fused_simple_rnn_grad(
    x, h0, mask, kernel, recurrent_kernel, bias, states, new, d_outputs, d_h,
    activation="tanh", go_backwards=False, zero_output_for_mask=False,
):  # fmt: skip
    def forward(x, h0, kernel, rk, bias):
        outputs, h, _, _ = _simple_rnn(
            x, h0, mask, kernel, rk, bias, activation, go_backwards, zero_output_for_mask
        )
        return outputs, h

    _, transpose = jax.vjp(forward, x, h0, kernel, recurrent_kernel, bias)
    return transpose((d_outputs, d_h))


def _lstm(x, h0, c0, mask, kernel, rk, bias, act, ract, go_backwards, zero_output_for_mask):
    act, ract = _activation(act), _activation(ract)
    xw = _project(x, kernel, bias, go_backwards)
    m = _mask(mask, go_backwards)
    units = rk.shape[0]

    def step(carry, inputs):
        h, c = carry
        xs, ms = inputs
        z = xs + h @ rk
        i, f = ract(z[:, :units]), ract(z[:, units : 2 * units])
        g, o = act(z[:, 2 * units : 3 * units]), ract(z[:, 3 * units :])
        c_new = f * c + i * g
        new = o * act(c_new)
        c = jnp.where(ms, c_new, c)
        h = jnp.where(ms, new, h)
        return (h, c), (h, c, jnp.concatenate([i, f, g, o], axis=-1), new)

    init = (h0.astype(xw.dtype), c0.astype(xw.dtype))
    (h, c), (hs, cs, gates, new) = lax.scan(step, init, (xw, m))
    outputs = _carry_outputs(new, m, zero_output_for_mask)
    return jnp.swapaxes(outputs, 0, 1), h, c, hs, cs, gates, new


@xla_kernel("FusedLSTM")
def _fused_lstm(
    x, h0, c0, mask, kernel, recurrent_kernel, bias, activation="tanh",
    recurrent_activation="sigmoid", go_backwards=False, zero_output_for_mask=False,
):  # fmt: skip
    return _lstm(
        x, h0, c0, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation,
        go_backwards, zero_output_for_mask,
    )  # fmt: skip


@xla_kernel("FusedLSTMGrad")
def _fused_lstm_grad(
    x, h0, c0, mask, kernel, recurrent_kernel, bias, hs, cs, gates, new, d_outputs, d_h,
    d_c, activation="tanh", recurrent_activation="sigmoid", go_backwards=False,
    zero_output_for_mask=False,
):  # fmt: skip
    def forward(x, h0, c0, kernel, rk, bias):
        outputs, h, c = _lstm(
            x, h0, c0, mask, kernel, rk, bias, activation, recurrent_activation,
            go_backwards, zero_output_for_mask,
        )[:3]  # fmt: skip
        return outputs, h, c

    _, transpose = jax.vjp(forward, x, h0, c0, kernel, recurrent_kernel, bias)
    return transpose((d_outputs, d_h, d_c))


def _gru(x, h0, mask, kernel, rk, bias, act, ract, go_backwards, zero_output_for_mask,
         reset_after):  # fmt: skip
    act, ract = _activation(act), _activation(ract)
    in_bias, rec_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    xw = _project(x, kernel, in_bias, go_backwards)
    m = _mask(mask, go_backwards)
    units = rk.shape[0]
    u2 = 2 * units

    def step(h, inputs):
        xs, ms = inputs
        if reset_after:
            inner = h @ rk + rec_bias
            zr = ract(xs[:, :u2] + inner[:, :u2])
            hh = act(xs[:, u2:] + zr[:, units:] * inner[:, u2:])
            saved = jnp.concatenate([zr, hh, inner[:, u2:]], axis=-1)
        else:
            zr = ract(xs[:, :u2] + h @ rk[:, :u2])
            hh = act(xs[:, u2:] + (zr[:, units:] * h) @ rk[:, u2:])
            saved = jnp.concatenate([zr, hh], axis=-1)
        new = hh + zr[:, :units] * (h - hh)
        h = jnp.where(ms, new, h)
        return h, (h, saved, new)

    h, (hs, gates, new) = lax.scan(step, h0.astype(xw.dtype), (xw, m))
    outputs = _carry_outputs(new, m, zero_output_for_mask)
    return jnp.swapaxes(outputs, 0, 1), h, hs, gates


@xla_kernel("FusedGRU")
def _fused_gru(
    x, h0, mask, kernel, recurrent_kernel, bias, activation="tanh",
    recurrent_activation="sigmoid", go_backwards=False, zero_output_for_mask=False,
    reset_after=True,
):  # fmt: skip
    return _gru(
        x, h0, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation,
        go_backwards, zero_output_for_mask, reset_after,
    )  # fmt: skip


@xla_kernel("FusedGRUGrad")
def _fused_gru_grad(
    x, h0, mask, kernel, recurrent_kernel, bias, hs, gates, d_outputs, d_h,
    activation="tanh", recurrent_activation="sigmoid", go_backwards=False,
    zero_output_for_mask=False, reset_after=True,
):  # fmt: skip
    def forward(x, h0, kernel, rk, bias):
        outputs, h = _gru(
            x, h0, mask, kernel, rk, bias, activation, recurrent_activation, go_backwards,
            zero_output_for_mask, reset_after,
        )[:2]  # fmt: skip
        return outputs, h

    _, transpose = jax.vjp(forward, x, h0, kernel, recurrent_kernel, bias)
    return transpose((d_outputs, d_h))
