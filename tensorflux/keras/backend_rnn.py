"""``tf.keras.backend.rnn``: runs a step function over the time axis of a sequence.

With a known number of time steps the loop runs in Python (unrolled when traced);
inside ``tf.function`` with an unknown number it is a ``tf.while_loop`` writing the
outputs into a ``TensorArray``. A mask (or, without one, ``input_length``) keeps the
states and the previous output where a step is masked, as Keras does.
"""

from tensorflux.engine import control_flow
from tensorflux.framework import dtypes, nest
from tensorflux.framework import tensor as tensor_lib
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops import (
    array_ops,
    creation_ops,
    gather_ops,
    joining_ops,
    logic_ops,
    math_ops,
    reduction_ops,
    shape_ops,
)
from tensorflux.ops.tensor_array import TensorArray

__all__ = ["rnn"]


def _swap_batch_time(x):
    perm = list(range(x.shape.rank))
    perm[0], perm[1] = 1, 0
    return shape_ops.transpose(x, perm)


def _blend(keep, new, old):
    """``new`` where ``keep`` (a ``(batch,)`` or ``(batch, 1...)`` bool), else ``old``."""
    keep = shape_ops.reshape(keep, [-1] + [1] * (new.shape.rank - 1))
    return gather_ops.where(keep, new, old)


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Iterates ``step_function(input_t, states + constants) -> (output_t, new_states)``
    over the time axis of ``inputs``.

    Args:
        step_function: the cell's step.
        inputs: ``(batch, time, ...)`` (``(time, batch, ...)`` when ``time_major``), or
            a nested structure of such tensors.
        initial_states: the list of state tensors of the first step.
        go_backwards: iterate from the last step to the first (the outputs are in the
            order of processing).
        mask: ``(batch, time)`` (bool or 0/1): at a masked step the states carry on
            and the output is the previous one (zeros at first, or always with
            ``zero_output_for_mask``).
        constants: extra tensors passed to every step after the states.
        unroll: require a known number of steps (Keras' unrolled loop).
        input_length: without ``mask``, a ``(batch,)`` int tensor of sequence lengths
            masking the steps past each length (only when not ``unroll``).
        return_all_outputs: False keeps only the last output (time axis of size 1).

    Returns:
        ``(last_output, outputs, new_states)``.

    >>> import numpy as np
    >>> step = lambda x, states: (x + states[0], [x + states[0]])
    >>> last, outputs, states = rnn(step, np.ones((1, 3, 2), np.float32),
    ...                             [np.zeros((1, 2), np.float32)])
    >>> outputs.numpy()[0, :, 0]
    array([1., 2., 3.], dtype=float32)

    Raises:
        ValueError: ``unroll`` without a known number of time steps.
    """
    inputs = nest.map_structure(convert_to_tensor, inputs)
    if not time_major:
        inputs = nest.map_structure(_swap_batch_time, inputs)
    flat_inputs = nest.flatten(inputs)
    if go_backwards:
        flat_inputs = [joining_ops.reverse(x, [0]) for x in flat_inputs]
    time_steps = flat_inputs[0].shape[0]
    if unroll and not time_steps:
        raise ValueError("Unrolling requires a fixed number of timesteps.")
    # ``keep``: (time, batch, 1) bools in the order of processing, or None.
    keep = None
    if mask is not None:
        keep = convert_to_tensor(mask)
        if keep.dtype != dtypes.bool:
            keep = math_ops.cast(keep, dtypes.bool)
        if keep.shape.rank == 2:
            keep = shape_ops.expand_dims(keep, -1)
        if not time_major:
            keep = _swap_batch_time(keep)
        if go_backwards:
            keep = joining_ops.reverse(keep, [0])
    elif input_length is not None and not unroll:
        keep = _length_mask(input_length, flat_inputs[0], go_backwards)
    loop = _python_loop if time_steps is not None else _while_loop
    last, outputs, states = loop(
        step_function,
        inputs,
        flat_inputs,
        tuple(initial_states),
        tuple(constants or ()),
        keep,
        zero_output_for_mask,
        return_all_outputs,
    )
    if not unroll:
        states = tuple(states)
    if not time_major:
        outputs = nest.map_structure(_swap_batch_time, outputs)
    return last, outputs, states


def _length_mask(input_length, x, go_backwards):
    """The ``(time, batch)`` mask of the steps before each sequence's length, in the
    order of processing: going backwards the padding comes first."""
    lengths = convert_to_tensor(input_length)
    steps = math_ops.cast(creation_ops.range(shape_ops.shape(x)[0]), lengths.dtype)
    if go_backwards:
        first = reduction_ops.reduce_max(lengths, axis=0) - 1 - lengths
        return logic_ops.less(first[None, :], steps[:, None])
    return logic_ops.greater(lengths[None, :], steps[:, None])


def _step(step_function, inputs, x_t, states, constants, keep_t, prev, zero_output_for_mask):
    """One step with its mask: ``(output structure, flat outputs, new states)``."""
    output, new_states = step_function(
        nest.pack_sequence_as(inputs, x_t), tuple(states) + constants
    )
    flat_out = nest.flatten(output)
    if keep_t is None:
        return output, flat_out, new_states
    if zero_output_for_mask or prev is None:
        prev = [creation_ops.zeros_like(o) for o in flat_out]
    flat_out = [_blend(keep_t, o, p) for o, p in zip(flat_out, prev)]
    flat_states = [
        _blend(keep_t, n, o) for n, o in zip(nest.flatten(new_states), nest.flatten(states))
    ]
    return (
        nest.pack_sequence_as(output, flat_out),
        flat_out,
        nest.pack_sequence_as(states, flat_states),
    )


def _python_loop(
    step_function, inputs, flat_inputs, states, constants, keep, zero_output, return_all
):
    outputs, prev, structure = [], None, None
    for t in range(flat_inputs[0].shape[0]):
        keep_t = None if keep is None else keep[t]
        structure, prev, states = _step(
            step_function,
            inputs,
            [x[t] for x in flat_inputs],
            states,
            constants,
            keep_t,
            prev,
            zero_output,
        )
        outputs = outputs + [prev] if return_all else [prev]
    stacked = [array_ops.stack(column) for column in zip(*outputs)]
    last = nest.pack_sequence_as(structure, list(outputs[-1]))
    return last, nest.pack_sequence_as(structure, stacked), states


def _while_loop(
    step_function, inputs, flat_inputs, states, constants, keep, zero_output, return_all
):
    """The loop over a number of steps known only when the traced graph runs."""
    steps = shape_ops.shape(flat_inputs[0])[0]
    first = [x[0] for x in flat_inputs]
    # Keras runs the step once on the first input to learn the outputs' structure.
    structure, flat_first, _ = _step(
        step_function, inputs, first, states, constants, None, None, zero_output
    )
    size = steps if return_all else 1
    arrays = tuple(TensorArray(o.dtype, size=size, element_shape=o.shape) for o in flat_first)
    prev = tuple(creation_ops.zeros_like(o) for o in flat_first)
    flat_states = nest.flatten(states)

    n = len(flat_first)

    # The loop variables stay one flat tuple: (t, output arrays, previous outputs, states).
    def body(t, *flat):
        arrays, prev, flat_states = flat[:n], flat[n : 2 * n], flat[2 * n :]
        keep_t = None if keep is None else gather_ops.gather(keep, t)
        _, out, new_states = _step(
            step_function,
            inputs,
            [gather_ops.gather(x, t) for x in flat_inputs],
            nest.pack_sequence_as(states, list(flat_states)),
            constants,
            keep_t,
            list(prev),
            zero_output,
        )
        index = t if return_all else 0
        arrays = tuple(a.write(index, o) for a, o in zip(arrays, out))
        return (t + 1,) + arrays + tuple(out) + tuple(nest.flatten(new_states))

    final = control_flow.while_loop(
        lambda t, *_: t < steps,
        body,
        (tensor_lib.constant(0),) + arrays + prev + tuple(flat_states),
    )
    stacked = [a.stack() for a in final[1 : n + 1]]
    last = nest.pack_sequence_as(structure, [s[-1] for s in stacked])
    new_states = nest.pack_sequence_as(states, list(final[2 * n + 1 :]))
    return last, nest.pack_sequence_as(structure, stacked), new_states
