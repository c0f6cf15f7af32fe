"""The step-by-step loop of ``keras.layers.RNN`` for any cell (Keras' ``backend.rnn``):
one call of the cell per time step, masked steps carrying the states on."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.ops import array_ops, math_ops

__all__ = ["run_steps"]


def run_steps(
    step, x, states, mask, go_backwards: bool, zero_output_for_mask: bool, layer_name: str
):
    """Runs ``step(x_t, states) -> (output, new_states)`` over the time axis of ``x``
    (batch, time, ...).

    Returns:
        (last output, outputs (batch, time, ...) in processing order, final states).

    Raises:
        ValueError: a time dimension unknown while building a graph (the loop is
            unrolled over it).
    """
    steps = x.shape[1]
    if steps is None:
        raise ValueError(
            f'Layer "{layer_name}" runs its cell one step at a time and needs to know the '
            f"number of timesteps, but received inputs of shape "
            f"{tuple(x.shape.as_list())}. Give the time dimension (input_shape=(timesteps, "
            f"features)), or use SimpleRNN / LSTM / GRU with standard settings, whose fused "
            f"kernels take sequences of any length."
        )
    m = None if mask is None else math_ops.cast(mask, x.dtype)
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs, prev = [], None
    for t in order:
        out, new_states = step(x[:, t], states)
        if m is not None:
            # Where the mask is 0: the states carry on, and the output is zeros or the
            # previous output (zeros before the first step).
            keep = m[:, t : t + 1]
            flat = [
                _blend(n, o, keep) for n, o in zip(nest.flatten(new_states), nest.flatten(states))
            ]
            new_states = nest.pack_sequence_as(states, flat)
            out = out * _batch_column(keep, out)
            if prev is not None and not zero_output_for_mask:
                out = out + prev * _batch_column(1.0 - keep, out)
        outputs.append(out)
        prev, states = out, new_states
    return outputs[-1], array_ops.stack(outputs, axis=1), states


def _batch_column(keep, like):
    """The (batch, 1) mask column shaped to broadcast against ``like`` (feature maps
    of convolutional RNNs have more than one feature axis)."""
    rank = like.shape.rank
    if rank is None or rank <= 2:
        return keep
    return array_ops.reshape(keep, [-1] + [1] * (rank - 1))


def _blend(new, old, keep):
    """``new`` where the step is kept, ``old`` where it is masked."""
    column = _batch_column(keep, new)
    return new * column + old * (1.0 - column)
