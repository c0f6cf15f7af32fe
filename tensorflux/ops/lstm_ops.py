"""The fused LSTM: a whole sequence forward, and back through time, as one op each.

Keras' gate order i, f, c, o: with ``z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias``
split in four, ``i, f, o = recurrent_activation(z_i, z_f, z_o)``, ``g = activation(z_c)``,
``c_t = f * c_{t-1} + i * g``, ``h_t = o * activation(c_t)``. A masked step carries
(h, c) on. A primitive for the reason ``FusedSimpleRNN`` is: one kernel runs the time
loop, a matrix product per step.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.ops.rnn_common import (
    ACTIVATIONS,
    check_activation,
    directions_side_by_side,
    project_inputs,
    resolve_saved,
    same_shapes_infer,
    sequence_infer,
    sequence_outputs,
    small_blas,
    step_mask,
    weight_grads,
)
from tensorflux.ops.rnn_ops import (
    _ALLOWED,
    _zeros_if_none,
    carry_outputs,
    output_grads,
    previous_states,
)

__all__ = ["fused_lstm"]


def _split4(z, units):
    return z[:, :units], z[:, units : 2 * units], z[:, 2 * units : 3 * units], z[:, 3 * units :]


def _attrs_ok(activation, recurrent_activation):
    check_activation(activation, "FusedLSTM")
    check_activation(recurrent_activation, "FusedLSTM")


# -- FusedLSTM ----------------------------------------------------------------------------


def _fused_lstm_kernel(
    x,
    h0,
    c0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
):
    _attrs_ok(activation, recurrent_activation)
    act, ract = ACTIVATIONS[activation][0], ACTIVATIONS[recurrent_activation][0]
    xw = project_inputs(x, kernel, bias, go_backwards)
    m = step_mask(mask, go_backwards)
    steps, batch, units = xw.shape[0], xw.shape[1], recurrent_kernel.shape[0]
    hs = np.empty((steps, batch, units), xw.dtype)
    cs = np.empty_like(hs)
    new = hs if m is None else np.empty_like(hs)
    h, c = h0.astype(xw.dtype, copy=False), c0.astype(xw.dtype, copy=False)
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(steps):
            z = xw[s]
            z += h @ recurrent_kernel
            ract(z[:, : 2 * units])
            ract(z[:, 3 * units :])
            act(z[:, 2 * units : 3 * units])
            i, f, g, o = _split4(z, units)
            c_new = f * c
            c_new += i * g
            new[s] = o * act(c_new.copy())
            if m is None:
                c = cs[s] = c_new
                h = new[s]
            else:
                c = cs[s] = np.where(m[s], c_new, c)
                h = hs[s] = np.where(m[s], new[s], h)
    outputs = carry_outputs(new, m, zero_output_for_mask)
    # xw now holds the activated gates: the backward pass's workspace.
    return np.swapaxes(outputs, 0, 1), h.copy(), c.copy(), hs, cs, xw, new


def _fused_lstm_infer(
    x: Spec,
    h0: Spec,
    c0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
):
    dtype, batch, t, units, saved = sequence_infer(
        "FusedLSTM", x, h0, kernel, recurrent_kernel, (1, 1, 4, 1)
    )
    return sequence_outputs(dtype, batch, t, units, saved, 2)


def _fused_lstm_grad(call, d_outputs, d_h, d_c, d_hs, d_cs, d_gates, d_new):
    """Back through time: dc_t += dh_t * o * act'(act(c_t)); dz = (dc*g, dc*c_{t-1},
    dc*i, dh*act(c_t)) times each gate's activation derivative; dh_{t-1} = dz @ R^T,
    dc_{t-1} = dc * f (both carried past masked steps). The saved arrays are the
    backward pass's workspace: no gradient flows into them."""
    x, h0, c0, mask, kernel, recurrent_kernel, bias = call.inputs
    outputs, h_last, c_last, hs, cs, gates, new = call.outputs
    grads = execute(
        _GRAD,
        (
            x,
            h0,
            c0,
            mask,
            kernel,
            recurrent_kernel,
            bias,
            hs,
            cs,
            gates,
            new,
            _zeros_if_none(d_outputs, outputs),
            _zeros_if_none(d_h, h_last),
            _zeros_if_none(d_c, c_last),
        ),
        call.attrs,
    )
    dx, dh0, dc0, dk, dr, db = grads
    return dx, dh0, dc0, None, dk, dr, db


_FUSED = register(
    "FusedLSTM",
    kernel=_fused_lstm_kernel,
    grad=_fused_lstm_grad,
    infer=_fused_lstm_infer,
    num_outputs=7,
    allowed=_ALLOWED,
)


# -- FusedLSTMGrad ------------------------------------------------------------------------


def _fused_lstm_grad_kernel(
    x,
    h0,
    c0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    hs,
    cs,
    gates,
    new,
    d_outputs,
    d_h,
    d_c,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
):
    filled = resolve_saved(gates)
    if filled is not None:
        hs, cs, gates, new = filled
    act, d_act = ACTIVATIONS[activation]
    d_ract = ACTIVATIONS[recurrent_activation][1]
    m = step_mask(mask, go_backwards)
    d_new_out = output_grads(d_outputs, m, zero_output_for_mask)
    steps, units = hs.shape[0], hs.shape[-1]
    c_prev_all = previous_states(c0, cs)
    # Everything that does not depend on the incoming gradients, for all steps at once:
    # dz = (dc * g * ract'(i), dc * c_prev * ract'(f), dc * i * act'(g), dh * t * ract'(o)),
    # and dc gains dh * o * act'(t).
    g4 = gates.reshape(steps, -1, 4, units)
    i, f, g, o = g4[:, :, 0], g4[:, :, 1], g4[:, :, 2], g4[:, :, 3]
    t = act(f * c_prev_all + i * g)
    coef = np.empty_like(g4)
    coef[:, :, 0] = g * d_ract(i)
    coef[:, :, 1] = c_prev_all * d_ract(f)
    coef[:, :, 2] = i * d_act(g)
    coef[:, :, 3] = t * d_ract(o)
    o_dt = o * d_act(t)
    d_z = np.empty_like(g4)
    dh = d_h.astype(hs.dtype, copy=True)
    dc = d_c.astype(hs.dtype, copy=True)
    rt = recurrent_kernel.T
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(steps - 1, -1, -1):
            if m is None:
                dh_new, dc_new = dh + d_new_out[s], dc
                dh_keep = dc_keep = None
            else:
                dh_new = np.where(m[s], dh, 0.0) + d_new_out[s]
                dc_new = np.where(m[s], dc, 0.0)
                dh_keep, dc_keep = np.where(m[s], 0.0, dh), np.where(m[s], 0.0, dc)
            dc_new = dc_new + dh_new * o_dt[s]
            dz = d_z[s]
            np.multiply(dc_new[:, None, :], coef[s, :, :3], out=dz[:, :3])
            np.multiply(dh_new, coef[s, :, 3], out=dz[:, 3])
            dh = dz.reshape(dz.shape[0], -1) @ rt
            dc = dc_new * f[s]
            if dh_keep is not None:
                dh += dh_keep
                dc += dc_keep
    d_z = d_z.reshape(gates.shape)
    dx, dk, dr, db = weight_grads(d_z, x, kernel, previous_states(h0, hs), go_backwards)
    return dx, dh, dc, dk, dr, db.reshape(bias.shape)


def _fused_lstm_grad_infer(
    x: Spec,
    h0: Spec,
    c0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    hs: Spec,
    cs: Spec,
    gates: Spec,
    new: Spec,
    d_outputs: Spec,
    d_h: Spec,
    d_c: Spec,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
):
    return same_shapes_infer(x, h0, c0, kernel, recurrent_kernel, bias)


# Not differentiable again, as TF's cuDNN RNN backprop is not.
_GRAD = register(
    "FusedLSTMGrad",
    kernel=_fused_lstm_grad_kernel,
    grad=None,
    infer=_fused_lstm_grad_infer,
    num_outputs=6,
    allowed=_ALLOWED,
)
directions_side_by_side("FusedLSTM", "FusedLSTMGrad")


def fused_lstm(
    x,
    h0,
    c0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
):
    """A whole LSTM sequence in one op (what ``keras.layers.LSTM`` runs).

    Args:
        x: inputs (batch, time, features).
        h0 / c0: initial states (batch, units).
        mask: (batch, time), nonzero where a step counts.
        kernel / recurrent_kernel / bias: (features, 4 units), (units, 4 units),
            (4 units,), gates in Keras' order i, f, c, o.
        activation / recurrent_activation: names in ``rnn_common.ACTIVATIONS``.
        go_backwards / zero_output_for_mask: as ``rnn_ops.fused_simple_rnn``.

    Returns:
        (outputs (batch, time, units), final h, final c).

    Raises:
        InvalidArgumentError: an activation without a fused kernel, or mismatched shapes.

    >>> import numpy as np
    >>> from tensorflux.ops import lstm_ops
    >>> z = np.zeros((2, 4), np.float32)
    >>> out, h, c = lstm_ops.fused_lstm(np.ones((2, 3, 1), np.float32), z, z,
    ...     np.ones((2, 3), np.float32), np.ones((1, 16), np.float32),
    ...     np.zeros((4, 16), np.float32), np.zeros(16, np.float32))
    >>> out.shape, c.shape
    (TensorShape([2, 3, 4]), TensorShape([2, 4]))
    """
    outs = execute(
        _FUSED,
        (x, h0, c0, mask, kernel, recurrent_kernel, bias),
        {
            "activation": activation,
            "recurrent_activation": recurrent_activation,
            "go_backwards": bool(go_backwards),
            "zero_output_for_mask": bool(zero_output_for_mask),
        },
    )
    return outs[0], outs[1], outs[2]
