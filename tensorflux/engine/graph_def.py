"""A traced graph as a TF ``GraphDef``, for TensorBoard's graph dashboard.

Each function input becomes a ``Placeholder`` (dtype and shape), each closed-over
tensor a ``Const``, each variable a ``DT_RESOURCE`` placeholder read by
``ReadVariableOp`` and written by ``AssignVariableOp``/``AssignAddVariableOp``..., and
each op a ``NodeDef`` under its TF op name with TF's attrs where the op table knows
them (else ``T``, its first input's dtype). Node inputs are ``"name"`` for a node's
first output and ``"name:i"`` for the others, as in a GraphDef.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import tf_op_defs
from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, READ
from tensorflux.framework import dtypes
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import MessageWriter
from tensorflux.framework.shape import TensorShape

__all__ = ["encode_graph_def"]

_ASSIGN_OPS = {
    ASSIGN: "AssignVariableOp",
    ASSIGN_ADD: "AssignAddVariableOp",
    ASSIGN_SUB: "AssignSubVariableOp",
}


# AttrValue {type: DT_RESOURCE}: a variable's handle, a type tensorflux has no DType for.
_RESOURCE = MessageWriter().varint(6, protos.DT_RESOURCE)


class _Names:
    """Unique node names as TF makes them: ``Relu``, ``Relu_1``..."""

    def __init__(self):
        self._taken: set = set()

    def __call__(self, base: str) -> str:
        name, n = base, 0
        while name in self._taken:
            n += 1
            name = f"{base}_{n}"
        self._taken.add(name)
        return name


def _node(name: str, op: str, inputs, attrs: dict) -> bytes:
    w = MessageWriter().raw(1, name).raw(2, op)
    for ref in inputs:
        w.raw(3, ref)
    for key in sorted(attrs):
        value = attrs[key]
        if not isinstance(value, MessageWriter):
            value = protos.encode_attr(value)
        w.raw(5, MessageWriter().raw(1, key).raw(2, value))
    return w.bytes()


def _ref(name: str, index: int) -> str:
    return name if index == 0 else f"{name}:{index}"


def _op_attrs(node, input_dtypes: list) -> dict:
    """TF's attrs of an op node, or ``T`` alone where the table has none (our own attrs
    may hold Python objects a GraphDef cannot)."""
    try:
        attrs = tf_op_defs.tf_attrs(node.op.name, node.attrs, input_dtypes)
    except (TypeError, ValueError, KeyError):
        attrs = None
    if attrs is None:
        attrs = {"T": input_dtypes[0]} if input_dtypes and input_dtypes[0] is not None else {}
    return attrs


def encode_graph_def(graph, input_names=None) -> bytes:
    """The GraphDef bytes of a traced ``FuncGraph``.

    Args:
        graph: the graph (``concrete_function.graph``).
        input_names: names for its inputs (default ``input``, ``input_1``...).
    """
    names = _Names()
    refs: dict[int, str] = {}
    dtype_of: dict[int, dtypes.DType] = {}
    nodes = []
    input_names = list(input_names or [])
    for i, slot in enumerate(graph.inputs):
        name = names(input_names[i] if i < len(input_names) else "input")
        refs[slot] = name
        shape = graph.static_shapes.get(slot)
        attrs = {"shape": TensorShape(None if shape is None else list(shape))}
        dtype = graph.input_dtypes.get(slot)
        if dtype is not None:
            attrs["dtype"] = dtype
            dtype_of[slot] = dtype
        nodes.append(_node(name, "Placeholder", [], attrs))
    for slot, value in graph.constants.items():
        name = names("Const")
        refs[slot] = name
        dtype_of[slot] = value._dtype
        nodes.append(
            _node(name, "Const", [], {"value": np.asarray(value._value), "dtype": value._dtype})
        )
    resources = {}
    for var in graph.variables.values():
        name = names(var.name.split(":")[0].replace("/", "_") + "_resource")
        resources[id(var)] = name
        nodes.append(_node(name, "Placeholder", [], {"dtype": _RESOURCE}))
    for node in graph.nodes:
        if node.kind == READ:
            name = names("ReadVariableOp")
            refs[node.outputs[0]] = name
            dtype_of[node.outputs[0]] = node.var.dtype
            nodes.append(
                _node(name, "ReadVariableOp", [resources[id(node.var)]], {"dtype": node.var.dtype})
            )
        elif node.kind in _ASSIGN_OPS:
            op = _ASSIGN_OPS[node.kind]
            inputs = [resources[id(node.var)], refs[node.inputs[0]]]
            nodes.append(_node(names(op), op, inputs, {"dtype": node.var.dtype}))
        else:
            name = names(node.op.name)
            for i, slot in enumerate(node.outputs):
                refs[slot] = _ref(name, i)
                if i < len(node.out_values):
                    dtype_of[slot] = _dtype_of(node.out_values[i])
            input_dtypes = [dtype_of.get(s) for s in node.inputs]
            inputs = [refs[s] for s in node.inputs if s in refs]
            nodes.append(_node(name, node.op.name, inputs, _op_attrs(node, input_dtypes)))
    w = MessageWriter()
    for node in nodes:
        w.raw(1, node)
    return w.bytes()


def _dtype_of(value):
    value = np.asarray(value)
    if value.dtype == object or value.dtype.kind in "SU":
        return dtypes.string
    try:
        return dtypes.from_numpy(value.dtype)
    except (TypeError, KeyError, ValueError):
        return None
