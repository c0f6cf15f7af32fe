"""Values a graph loop or cond carries as one tensor, and ``tf.while_loop`` over them.

A ``tf.TensorArray`` (``ops/tensor_array.py``) is not a tensor, yet ``tf.while_loop``,
``tf.cond`` and AutoGraph's loops carry it: each crossing flattens it to one buffer
tensor and rebuilds it from the buffer on the other side. The engine knows such values
only through this protocol, so it needs nothing from the op library above it.
"""

from __future__ import annotations

from tensorflux.framework import context, nest
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor

__all__ = ["LoopCarried", "has_loop_carried", "while_loop_with_carried"]


class LoopCarried:
    """A value that graph loops and conds carry as one tensor. Subclasses define:

    - ``_loop_flatten() -> Tensor``: the tensor a loop or cond carries for the value;
    - ``_loop_unflatten(tensor)``: the value rebuilt from the carried tensor;
    - ``_loop_invariant()``: the carried tensor's shape invariant, or None when its
      shape never changes;
    - ``_loop_needs_retrace() -> bool``: whether the loop must be traced again (the
      first trace carried a placeholder and has since learnt the real shape).

    A plain class, not an ``abc.ABC``: ``tf.while_loop`` checks its loop variables
    against it on every call, and ABC instance checks cost more.
    """

    __slots__ = ()


def has_loop_carried(structure) -> bool:
    """Whether ``structure`` holds a LoopCarried value (``tf.while_loop`` then delegates
    to ``while_loop_with_carried``)."""
    return any(isinstance(v, LoopCarried) for v in nest.flatten(structure))


def while_loop_with_carried(
    while_loop, cond, body, loop_vars, shape_invariants, maximum_iterations
):
    """``while_loop`` with LoopCarried values (TensorArrays) among ``loop_vars``: the
    graph loop carries their tensors; eagerly the loop runs in Python on the values."""
    single = not isinstance(loop_vars, (list, tuple))
    packed = [loop_vars] if single else list(loop_vars)

    def normalize(out):
        return [out] if single or not isinstance(out, (list, tuple)) else list(out)

    if context.state.graph is None:
        vals, i = packed, 0
        while maximum_iterations is None or i < int(maximum_iterations):
            if not bool(cond(*vals)):
                break
            vals = normalize(body(*vals))
            i += 1
        return vals[0] if single else nest.pack_sequence_as(loop_vars, vals)
    user_inv = (
        None
        if shape_invariants is None
        else nest.flatten([shape_invariants] if single else shape_invariants)
    )
    graph = context.state.graph
    for _ in range(len(nest.flatten(packed)) + 1):
        n_nodes = len(graph.nodes)
        leaves = nest.flatten(packed)
        flat = [v._loop_flatten() if isinstance(v, LoopCarried) else v for v in leaves]

        def rebuild(vals, leaves=leaves):
            return nest.pack_sequence_as(
                packed,
                [
                    leaf._loop_unflatten(v) if isinstance(leaf, LoopCarried) else v
                    for leaf, v in zip(leaves, vals)
                ],
            )

        def flat_body(*vals, rebuild=rebuild):
            out = nest.flatten(normalize(body(*rebuild(vals))))
            return [v._loop_flatten() if isinstance(v, LoopCarried) else v for v in out]

        invariants = None
        if user_inv is not None or any(
            isinstance(v, LoopCarried) and v._loop_invariant() is not None for v in leaves
        ):
            invariants = []
            for k, (leaf, t) in enumerate(zip(leaves, flat)):
                given = None if user_inv is None else user_inv[k]
                if isinstance(leaf, LoopCarried):
                    given = leaf._loop_invariant() or given
                invariants.append(
                    TensorShape(given) if given is not None else convert_to_tensor(t).shape
                )
        result = while_loop(
            lambda *v, rebuild=rebuild: cond(*rebuild(v)),
            flat_body,
            flat,
            shape_invariants=invariants,
            maximum_iterations=maximum_iterations,
        )
        if not any(isinstance(v, LoopCarried) and v._loop_needs_retrace() for v in leaves):
            out = rebuild(result)
            return out[0] if single else nest.pack_sequence_as(loop_vars, out)
        # Traced with placeholder buffers: drop that loop (it may print) and trace again.
        del graph.nodes[n_nodes:]
    raise RuntimeError("tf.while_loop: could not infer the element shapes of its TensorArrays.")
