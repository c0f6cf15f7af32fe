"""The fused SimpleRNN: a whole sequence forward, and back through time, as one op each.

``FusedSimpleRNN`` computes, for every step t in processing order,
``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``; a masked step
(mask 0) carries ``h_{t-1}`` on and outputs zeros (``zero_output_for_mask``) or the
previous output, as Keras' ``backend.rnn`` does. It is a primitive because the time
loop inside one NumPy kernel costs a matrix product per step, where a graph of small
ops per step costs a dispatch per op per step.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
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

__all__ = ["fused_simple_rnn"]

_ALLOWED = FLOATING - {dtypes.bfloat16}


def carry_outputs(new, m, zero_output_for_mask):
    """Outputs (time, batch, units) from the unmasked step results ``new``: a masked step
    outputs zeros or the previous output (zeros before the first)."""
    if m is None:
        return new
    if zero_output_for_mask:
        return np.where(m, new, 0.0).astype(new.dtype, copy=False)
    out = np.empty_like(new)
    prev = np.zeros_like(new[0])
    for s in range(new.shape[0]):
        prev = np.where(m[s], new[s], prev)
        out[s] = prev
    return out


def output_grads(d_outputs, m, zero_output_for_mask):
    """Inverse of ``carry_outputs``: the gradient reaching each step's unmasked result
    from the outputs' gradient (time-major, processing order)."""
    d = np.swapaxes(d_outputs, 0, 1)
    if m is None:
        return d
    if zero_output_for_mask:
        return np.where(m, d, 0.0)
    out = np.empty_like(d)
    carry = np.zeros_like(d[0])
    for s in range(d.shape[0] - 1, -1, -1):
        total = d[s] + carry
        out[s] = np.where(m[s], total, 0.0)
        carry = np.where(m[s], 0.0, total)
    return out


def previous_states(h0, hs):
    """h_{t-1} for every step: (time, batch, units)."""
    return np.concatenate([h0[None], hs[:-1]], axis=0)


# -- FusedSimpleRNN -----------------------------------------------------------------------


def _fused_simple_rnn_kernel(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    go_backwards=False,
    zero_output_for_mask=False,
):
    check_activation(activation, "FusedSimpleRNN")
    act = ACTIVATIONS[activation][0]
    # Each step's result is written over its projected inputs, which are not read again.
    new = project_inputs(x, kernel, bias, go_backwards)
    m = step_mask(mask, go_backwards)
    hs = new if m is None else np.empty_like(new)
    h = h0.astype(new.dtype, copy=False)
    carried = np.empty_like(h)
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(new.shape[0]):
            a = new[s]
            a += np.matmul(h, recurrent_kernel, out=carried)
            act(a)
            h = a if m is None else np.where(m[s], a, h)
            if m is not None:
                hs[s] = h
    outputs = carry_outputs(new, m, zero_output_for_mask)
    return np.swapaxes(outputs, 0, 1), h.copy(), hs, new


def _fused_simple_rnn_infer(
    x: Spec,
    h0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    activation="tanh",
    go_backwards=False,
    zero_output_for_mask=False,
):
    dtype, batch, t, units, saved = sequence_infer(
        "FusedSimpleRNN", x, h0, kernel, recurrent_kernel, (1, 1)
    )
    return sequence_outputs(dtype, batch, t, units, saved, 1)


def _fused_simple_rnn_grad(call, d_outputs, d_h, d_states, d_new):
    """Back through time: dpre_t = (dout_t + dh_t) * act'(h_t); dh_{t-1} = dpre_t @ R^T
    (carried past masked steps); dx, dkernel, dR, dbias are sums of products with dpre.
    The saved arrays (states, unmasked results) are the backward pass's workspace: no
    gradient flows into them."""
    x, h0, mask, kernel, recurrent_kernel, bias = call.inputs
    outputs, h_last, states, new = call.outputs
    d_outputs = _zeros_if_none(d_outputs, outputs)
    d_h = _zeros_if_none(d_h, h_last)
    dx, dh0, dk, dr, db = execute(
        _GRAD,
        (x, h0, mask, kernel, recurrent_kernel, bias, states, new, d_outputs, d_h),
        call.attrs,
    )
    return dx, dh0, None, dk, dr, db


def _zeros_if_none(d, like):
    from tensorflux.ops.creation_ops import zeros_like

    return zeros_like(like) if d is None else d


_FUSED = register(
    "FusedSimpleRNN",
    kernel=_fused_simple_rnn_kernel,
    grad=_fused_simple_rnn_grad,
    infer=_fused_simple_rnn_infer,
    num_outputs=4,
    allowed=_ALLOWED,
)


# -- FusedSimpleRNNGrad -------------------------------------------------------------------


def _fused_simple_rnn_grad_kernel(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    states,
    new,
    d_outputs,
    d_h,
    activation="tanh",
    go_backwards=False,
    zero_output_for_mask=False,
):
    d_act = ACTIVATIONS[activation][1]
    filled = resolve_saved(new)
    if filled is not None:
        states, new = filled
    m = step_mask(mask, go_backwards)
    d_new_out = output_grads(d_outputs, m, zero_output_for_mask)
    steps = new.shape[0]
    d_pre = d_act(new)  # each step's derivative, multiplied by its gradient in place
    # Most layers return only their last state: then the outputs' gradient is zeros.
    from_outputs = d_outputs.any()
    dh = d_h.astype(new.dtype, copy=True)
    rt = recurrent_kernel.T
    with small_blas(x.shape[0] * recurrent_kernel.size):
        for s in range(steps - 1, -1, -1):
            if m is None:
                d_step = dh + d_new_out[s] if from_outputs else dh
                carried = None
            else:
                d_step = np.where(m[s], dh, 0.0) + d_new_out[s]
                carried = np.where(m[s], 0.0, dh)
            d_pre[s] *= d_step
            dh = d_pre[s] @ rt
            if carried is not None:
                dh += carried
    dx, dk, dr, db = weight_grads(d_pre, x, kernel, previous_states(h0, states), go_backwards)
    return dx, dh, dk, dr, db.reshape(bias.shape)


def _fused_simple_rnn_grad_infer(
    x: Spec,
    h0: Spec,
    mask: Spec,
    kernel: Spec,
    recurrent_kernel: Spec,
    bias: Spec,
    states: Spec,
    new: Spec,
    d_outputs: Spec,
    d_h: Spec,
    activation="tanh",
    go_backwards=False,
    zero_output_for_mask=False,
):
    return same_shapes_infer(x, h0, kernel, recurrent_kernel, bias)


# Not differentiable again, as TF's cuDNN RNN backprop is not.
_GRAD = register(
    "FusedSimpleRNNGrad",
    kernel=_fused_simple_rnn_grad_kernel,
    grad=None,
    infer=_fused_simple_rnn_grad_infer,
    num_outputs=5,
    allowed=_ALLOWED,
)
directions_side_by_side("FusedSimpleRNN", "FusedSimpleRNNGrad")


def fused_simple_rnn(
    x,
    h0,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    activation="tanh",
    go_backwards=False,
    zero_output_for_mask=False,
):
    """A whole SimpleRNN sequence in one op (what ``keras.layers.SimpleRNN`` runs).

    Args:
        x: inputs (batch, time, features).
        h0: initial state (batch, units).
        mask: (batch, time), nonzero where a step counts; a masked step carries the
            state on.
        kernel / recurrent_kernel / bias: (features, units), (units, units), (units,).
        activation: the name of a Keras activation in ``rnn_common.ACTIVATIONS``.
        go_backwards: process the sequence from its end; outputs are in processing order.
        zero_output_for_mask: a masked step outputs zeros instead of the previous output.

    Returns:
        (outputs (batch, time, units), final state (batch, units)).

    Raises:
        InvalidArgumentError: an activation without a fused kernel, or mismatched shapes.

    >>> import numpy as np
    >>> from tensorflux.ops import rnn_ops
    >>> x = np.ones((2, 3, 4), np.float32)
    >>> out, h = rnn_ops.fused_simple_rnn(x, np.zeros((2, 5), np.float32),
    ...     np.ones((2, 3), np.float32), np.zeros((4, 5), np.float32),
    ...     np.zeros((5, 5), np.float32), np.ones(5, np.float32))
    >>> out.shape, round(float(h[0, 0]), 4)
    (TensorShape([2, 3, 5]), 0.7616)
    """
    outputs, h, _, _ = execute(
        _FUSED,
        (x, h0, mask, kernel, recurrent_kernel, bias),
        {
            "activation": activation,
            "go_backwards": bool(go_backwards),
            "zero_output_for_mask": bool(zero_output_for_mask),
        },
    )
    return outputs, h
