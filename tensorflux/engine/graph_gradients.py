"""``tf.gradients`` and ``tf.hessians``: symbolic derivatives of a traced graph.

They differentiate the graph that ``tf.function`` is building, after the fact: the
graph's op nodes are read back as the calls a GradientTape would have recorded, and
the tape's backward pass runs over them, adding the gradient ops to the same graph.
As in TF 2, they work only inside a function (eagerly there is no graph; use
``tf.GradientTape``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.graph import READ
from tensorflux.engine.tape import GradientTape, UnconnectedGradients
from tensorflux.framework import context, dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable

__all__ = ["AggregationMethod", "gradients", "hessians"]


class AggregationMethod:
    """How ``tf.gradients`` adds the gradients reaching one tensor. Every method gives
    the same sums; tensorflux always adds them pairwise in order.

    >>> import tensorflux as tf
    >>> tf.AggregationMethod.DEFAULT
    0
    """

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


_EAGER_ERROR = (
    "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead."
)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


class _GraphReader:
    """The tensors of a graph's slots: the user's own objects where known (the tape
    matches tensors by identity), else rebuilt from the graph's example values."""

    def __init__(self, graph, known):
        self.graph = graph
        self.tensors = {
            t._slot: t for t in known if type(t) is SymbolicTensor and t._graph is graph
        }
        self.made = {}
        for node in graph.nodes:
            for k, slot in enumerate(node.outputs):
                self.made[slot] = (node, k)
        self.captured = {slot: outer for outer, slot in graph.captures}

    def tensor(self, slot):
        t = self.tensors.get(slot)
        if t is not None:
            return t
        graph = self.graph
        if slot in graph.constants:
            t = graph.constants[slot]
        elif slot in graph.input_tensors:
            t = graph.input_tensors[slot]
        else:
            shape = graph.static_shapes.get(slot)
            partial = None
            if shape is not None and None in shape:
                partial = TensorShape(shape)
            if slot in self.captured:
                outer = self.captured[slot]
                value, dtype, partial = outer._value, outer._dtype, outer._shape
            elif slot in self.made:
                node, k = self.made[slot]
                value = node.out_values[k]
                dtype = node.var._dtype if node.kind == READ else dtypes.from_numpy(value.dtype)
            else:
                # An input whose tensor the user no longer holds: zeros of its shape and
                # dtype stand in as the example.
                dims = tuple(1 if d is None else d for d in shape or ())
                dtype = graph.input_dtypes[slot]
                value = np.zeros(dims, dtype=dtype.as_numpy_dtype)
            node = self.made.get(slot, (None,))[0]
            name = (
                "Tensor" if node is None else "ReadVariableOp" if node.op is None else node.op.name
            )
            t = SymbolicTensor(value, dtype, graph, slot, name, shape=partial)
        self.tensors[slot] = t
        return t


def gradients(
    ys,
    xs,
    grad_ys=None,
    name="gradients",
    gate_gradients=False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients=UnconnectedGradients.NONE,
):
    """The derivatives of ``sum(ys)`` with respect to each of ``xs``, inside a function.

    Args:
        ys: a tensor or list of tensors to differentiate.
        xs: a tensor, variable or list of them.
        grad_ys: the gradients of ``ys`` (one per y; ``None`` entries mean ones).
        name, gate_gradients: accepted as TF accepts them.
        aggregation_method: an ``AggregationMethod`` (all give the same sums).
        stop_gradients: tensors through which no gradient flows.
        unconnected_gradients: ``"none"`` or ``"zero"`` for the xs ``ys`` do not reach.

    Returns:
        A list with one gradient per x (None, or zeros, where unconnected).

    Raises:
        RuntimeError: called eagerly (use ``tf.GradientTape``).

    >>> import tensorflux as tf
    >>> @tf.function
    ... def slope(x):
    ...     return tf.gradients(x * x, x)[0]
    >>> slope(tf.constant(3.0)).numpy()
    np.float32(6.0)
    """
    graph = context.state.graph
    if graph is None:
        raise RuntimeError(_EAGER_ERROR)
    ys, xs = _as_list(ys), _as_list(xs)
    ys = [y if isinstance(y, Tensor) else convert_to_tensor(y) for y in ys]
    if grad_ys is not None:
        grad_ys = _as_list(grad_ys)
        if len(grad_ys) != len(ys):
            raise ValueError(
                f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys: give one gradient per y."
            )
    stops = {id(t) for t in _as_list(stop_gradients or [])}
    known = [t for t in ys + xs + _as_list(stop_gradients or []) if isinstance(t, Tensor)]
    reader = _GraphReader(graph, known)
    tape = GradientTape(persistent=True)
    variables = {id(x): x for x in xs if isinstance(x, Variable)}
    for node in graph.nodes:
        if node.kind == READ:
            if id(node.var) in variables:
                entry = tape._var_reads.setdefault(id(node.var), (node.var, []))
                entry[1].append(reader.tensor(node.outputs[0]))
            continue
        if node.op is None or node.op.grad is None or not node.outputs:
            continue
        outputs = tuple(reader.tensor(s) for s in node.outputs)
        if any(id(o) in stops for o in outputs):
            continue
        inputs = tuple(reader.tensor(s) for s in node.inputs)
        tape._records.append(registry.OpCall(node.op, inputs, outputs, node.attrs))
    return list(tape._gradient(ys, xs, grad_ys, unconnected_gradients))


def hessians(
    ys,
    xs,
    name="hessians",
    colocate_gradients_with_ops=False,
    gate_gradients=False,
    aggregation_method=None,
):
    """The second derivatives of ``sum(ys)`` with respect to each of ``xs``, inside a
    function: for an x of shape ``s``, a tensor of shape ``s + s``.

    Raises:
        RuntimeError: called eagerly (use nested ``tf.GradientTape``s).
        ValueError: an x whose first gradient is not connected to ``ys``, or whose shape
            is not fully known.

    >>> import tensorflux as tf
    >>> @tf.function
    ... def curvature(x):
    ...     return tf.hessians(tf.reduce_sum(x ** 3), x)[0]
    >>> curvature(tf.constant([1.0, 2.0])).numpy().tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    if context.state.graph is None:
        raise RuntimeError(_EAGER_ERROR)
    xs = _as_list(xs)
    firsts = gradients(ys, xs, aggregation_method=aggregation_method)
    reshape, pack = registry.get("Reshape"), registry.get("Pack")
    results = []
    for first, x in zip(firsts, xs):
        if first is None:
            raise ValueError("None values not supported.")
        first = first._as_tensor() if hasattr(first, "_as_tensor") else first
        shape = x.shape
        if not shape.is_fully_defined():
            raise ValueError(
                f"tf.hessians needs the full shape of x to lay out the Hessian; got {shape}. "
                "Trace the function with a fully known input shape."
            )
        n = int(np.prod(shape.as_list(), dtype=np.int64))
        flat = registry.execute(reshape, (first, Tensor(np.array([-1], np.int32), dtypes.int32)))
        rows = []
        for j in range(n):
            (row,) = gradients(flat[j], [x], unconnected_gradients="zero")
            row = row._as_tensor() if hasattr(row, "_as_tensor") else row
            rows.append(row)
        stacked = registry.execute(pack, rows, {"axis": 0})
        dims = np.array(shape.as_list() * 2, dtype=np.int32)
        results.append(registry.execute(reshape, (stacked, Tensor(dims, dtypes.int32))))
    return results
