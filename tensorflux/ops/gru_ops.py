"""The fused GRU: a whole sequence forward, and back through time, as one op each.

Keras' gate order z, r, h. With ``reset_after`` (Keras 2's default, cuDNN's and
oneDNN's "linear before reset") the bias is (2, 3 units), input and recurrent halves,
and ``hh = activation(x_h + r * (h_{t-1} @ R_h + b_rh))``; without it the bias is
(3 units,) and ``hh = activation(x_h + (r * h_{t-1}) @ R_h)``. Then
``h_t = z * h_{t-1} + (1 - z) * hh``. A masked step carries h on. A primitive for the
reason ``FusedSimpleRNN`` is: one kernel runs the time loop.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.ops.rnn_common import (
    ACTIVATIONS,
    check_activation,
    directions_side_by_side,
    matmul_sequence,
    project_inputs,
    resolve_saved,
    same_shapes_infer,
    sequence_infer,
    sequence_outputs,
    small_blas,
    step_mask,
    unproject,
)
from tensorflux.ops.rnn_ops import (
    _ALLOWED,
    _zeros_if_none,
    carry_outputs,
    output_grads,
    previous_states,
)

__all__ = ["fused_gru"]


# -- FusedGRU -----------------------------------------------------------------------------


def _fused_gru_kernel(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
    reset_after=True,
):
    check_activation(activation, "FusedGRU")
    check_activation(recurrent_activation, "FusedGRU")
    act, ract = ACTIVATIONS[activation][0], ACTIVATIONS[recurrent_activation][0]
    in_bias, rec_bias = (bias[0], bias[1]) if reset_after else (bias, None)
    xw = project_inputs(x, kernel, in_bias, go_backwards)
    m = step_mask(mask, go_backwards)
    steps, batch, units = xw.shape[0], xw.shape[1], recurrent_kernel.shape[0]
    u2 = 2 * units
    hs = np.empty((steps, batch, units), xw.dtype)
    new = hs if m is None else np.empty_like(hs)
    # Saved per step: z, r, hh and, with reset_after, the recurrent part of the candidate.
    gates = np.empty((steps, batch, (4 if reset_after else 3) * units), xw.dtype)
    r_zr, r_h = recurrent_kernel[:, :u2], recurrent_kernel[:, u2:]
    h = h0.astype(xw.dtype, copy=False)
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(steps):
            xs, g = xw[s], gates[s]
            if reset_after:
                inner = h @ recurrent_kernel
                inner += rec_bias
                g[:, :u2] = xs[:, :u2] + inner[:, :u2]
                g[:, 3 * units :] = inner[:, u2:]
                ract(g[:, :u2])
                cand = xs[:, u2:] + g[:, units:u2] * inner[:, u2:]
            else:
                g[:, :u2] = xs[:, :u2] + h @ r_zr
                ract(g[:, :u2])
                cand = xs[:, u2:] + (g[:, units:u2] * h) @ r_h
            hh = g[:, u2 : 3 * units] = act(cand)
            z = g[:, :units]
            new[s] = hh + z * (h - hh)
            h = new[s] if m is None else np.where(m[s], new[s], h)
            if m is not None:
                hs[s] = h
    outputs = carry_outputs(new, m, zero_output_for_mask)
    return np.swapaxes(outputs, 0, 1), h.copy(), hs, gates


def _fused_gru_infer(
    x: Spec,
    h0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
    reset_after=True,
):
    dtype, batch, t, units, saved = sequence_infer(
        "FusedGRU", x, h0, kernel, recurrent_kernel, (1, 4 if reset_after else 3)
    )
    return sequence_outputs(dtype, batch, t, units, saved, 1)


def _fused_gru_grad(call, d_outputs, d_h, d_hs, d_gates):
    """Back through time: dz = dh * (h_{t-1} - hh), dhh = dh * (1 - z), da_h = dhh *
    act'(hh), dr from the candidate's recurrent part; dh_{t-1} = dh * z + d(recurrent
    products) @ R^T (carried past masked steps). The saved arrays are the backward
    pass's workspace: no gradient flows into them."""
    x, h0, mask, kernel, recurrent_kernel, bias = call.inputs
    outputs, h_last, hs, gates = call.outputs
    dx, dh0, dk, dr, db = execute(
        _GRAD,
        (
            x,
            h0,
            mask,
            kernel,
            recurrent_kernel,
            bias,
            hs,
            gates,
            _zeros_if_none(d_outputs, outputs),
            _zeros_if_none(d_h, h_last),
        ),
        call.attrs,
    )
    return dx, dh0, None, dk, dr, db


_FUSED = register(
    "FusedGRU",
    kernel=_fused_gru_kernel,
    grad=_fused_gru_grad,
    infer=_fused_gru_infer,
    num_outputs=4,
    allowed=_ALLOWED,
)


# -- FusedGRUGrad -------------------------------------------------------------------------


def _fused_gru_grad_kernel(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    hs,
    gates,
    d_outputs,
    d_h,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
    reset_after=True,
):
    filled = resolve_saved(gates)
    if filled is not None:
        hs, gates = filled
    d_act = ACTIVATIONS[activation][1]
    d_ract = ACTIVATIONS[recurrent_activation][1]
    m = step_mask(mask, go_backwards)
    d_new_out = output_grads(d_outputs, m, zero_output_for_mask)
    steps, units = hs.shape[0], hs.shape[-1]
    u2 = 2 * units
    h_prev_all = previous_states(h0, hs)
    d_xw = np.empty((steps, hs.shape[1], 3 * units), hs.dtype)
    # With reset_after the recurrent product's gradient differs from d_xw in its h part.
    d_inner = np.empty_like(d_xw) if reset_after else None
    dr_h = None if reset_after else np.zeros((units, units), hs.dtype)
    r_zr, r_h = recurrent_kernel[:, :u2], recurrent_kernel[:, u2:]
    dh = d_h.astype(hs.dtype, copy=True)
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(steps - 1, -1, -1):
            g, h_prev = gates[s], h_prev_all[s]
            z, r, hh = g[:, :units], g[:, units:u2], g[:, u2 : 3 * units]
            if m is None:
                d_new, keep = dh + d_new_out[s], None
            else:
                d_new = np.where(m[s], dh, 0.0) + d_new_out[s]
                keep = np.where(m[s], 0.0, dh)
            dx_s = d_xw[s]
            da_h = d_new * (1.0 - z) * d_act(hh)
            dx_s[:, :units] = d_new * (h_prev - hh) * d_ract(z)
            dx_s[:, u2:] = da_h
            dh = d_new * z
            if reset_after:
                inner_h = g[:, 3 * units :]
                dx_s[:, units:u2] = da_h * inner_h * d_ract(r)
                di = d_inner[s]
                di[:, :u2] = dx_s[:, :u2]
                di[:, u2:] = da_h * r
                dh += di @ recurrent_kernel.T
            else:
                d_rh = da_h @ r_h.T
                dx_s[:, units:u2] = d_rh * h_prev * d_ract(r)
                dr_h += (r * h_prev).T @ da_h
                dh += d_rh * r
                dh += dx_s[:, :u2] @ r_zr.T
            if keep is not None:
                dh += keep
    flat_h = h_prev_all.reshape(-1, units)
    flat_x = d_xw.reshape(-1, 3 * units)
    if reset_after:
        flat_i = d_inner.reshape(-1, 3 * units)
        dr = matmul_sequence(flat_h, flat_i)
        db = np.stack([flat_x.sum(axis=0), flat_i.sum(axis=0)])
    else:
        dr = np.concatenate([matmul_sequence(flat_h, flat_x[:, :u2]), dr_h], axis=1)
        db = flat_x.sum(axis=0)
    dx, dk = unproject(d_xw, x, kernel, go_backwards)
    return dx, dh, dk, dr, db.reshape(bias.shape)


def _fused_gru_grad_infer(
    x: Spec,
    h0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    hs: Spec,
    gates: Spec,
    d_outputs: Spec,
    d_h: Spec,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
    reset_after=True,
):
    return same_shapes_infer(x, h0, kernel, recurrent_kernel, bias)


# Not differentiable again, as TF's cuDNN RNN backprop is not.
_GRAD = register(
    "FusedGRUGrad",
    kernel=_fused_gru_grad_kernel,
    grad=None,
    infer=_fused_gru_grad_infer,
    num_outputs=5,
    allowed=_ALLOWED,
)
directions_side_by_side("FusedGRU", "FusedGRUGrad")


def fused_gru(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    zero_output_for_mask=False,
    reset_after=True,
):
    """A whole GRU sequence in one op (what ``keras.layers.GRU`` runs).

    Args:
        x: inputs (batch, time, features).
        h0: initial state (batch, units).
        mask: (batch, time), nonzero where a step counts.
        kernel / recurrent_kernel: (features, 3 units), (units, 3 units), gates z, r, h.
        bias: (2, 3 units) with ``reset_after``, else (3 units,).
        activation / recurrent_activation: names in ``rnn_common.ACTIVATIONS``.
        go_backwards / zero_output_for_mask: as ``rnn_ops.fused_simple_rnn``.
        reset_after: apply the reset gate after the recurrent product.

    Returns:
        (outputs (batch, time, units), final state (batch, units)).

    Raises:
        InvalidArgumentError: an activation without a fused kernel, or mismatched shapes.

    >>> import numpy as np
    >>> from tensorflux.ops import gru_ops
    >>> out, h = gru_ops.fused_gru(np.ones((2, 3, 1), np.float32),
    ...     np.zeros((2, 4), np.float32), np.ones((2, 3), np.float32),
    ...     np.ones((1, 12), np.float32), np.zeros((4, 12), np.float32),
    ...     np.zeros((2, 12), np.float32))
    >>> out.shape, h.shape
    (TensorShape([2, 3, 4]), TensorShape([2, 4]))
    """
    outs = execute(
        _FUSED,
        (x, h0, mask, kernel, recurrent_kernel, bias),
        {
            "activation": activation,
            "recurrent_activation": recurrent_activation,
            "go_backwards": bool(go_backwards),
            "zero_output_for_mask": bool(zero_output_for_mask),
            "reset_after": bool(reset_after),
        },
    )
    return outs[0], outs[1]
