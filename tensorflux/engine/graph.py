"""The graph IR that ``tf.function`` records while tracing.

A ``FuncGraph`` is a list of nodes in execution order over numbered *slots*.
Placeholders (function inputs), constants (eager tensors the function closed
over) and captures (symbolic tensors of an enclosing graph, for control-flow
branches) are slots too. Variable reads and assignments are nodes, recorded in
program order, so the executor replays them in the same order on every call.
"""

from __future__ import annotations

import contextlib
import weakref

import numpy as np

from tensorflux.engine.partial_shapes import as_example, as_plain
from tensorflux.framework import context
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor

__all__ = ["Node", "FuncGraph"]

# Node kinds besides registry ops.
READ, ASSIGN, ASSIGN_ADD, ASSIGN_SUB = "read", "assign", "assign_add", "assign_sub"


class Node:
    """One step of a graph: a registry op call or a variable read/assignment."""

    __slots__ = ("kind", "op", "inputs", "attrs", "outputs", "var", "out_values")

    def __init__(self, kind, op, inputs, attrs, outputs, var=None, out_values=()):
        self.kind = kind
        self.op = op
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = outputs
        self.var = var
        self.out_values = out_values

    def has_effect(self) -> bool:
        """Whether running the node changes anything beyond its outputs (a variable, or
        what an op with no outputs or marked ``has_effects`` does)."""
        if self.kind in (ASSIGN, ASSIGN_ADD, ASSIGN_SUB):
            return True
        return self.op is not None and (
            self.op.num_outputs == 0 or bool(self.attrs.get("has_effects"))
        )

    def __repr__(self):
        what = self.op.name if self.op is not None else f"{self.kind}({self.var.name})"
        return f"<Node {what} {self.inputs} -> {self.outputs}>"


class FuncGraph:
    """A graph under construction (while tracing) and, once traced, the IR to compile.

    Args:
        name: the traced function's name (used in symbolic tensor names).
        outer: the enclosing graph when this is a control-flow branch or loop body.
    """

    def __init__(self, name: str, outer: FuncGraph | None = None):
        self.name = name
        self.outer = outer
        # An abstract graph only infers: ops on its values run their inference rules, not
        # their kernels (Keras symbolic building; see ``abstract.py``). Branches inherit it.
        self.abstract = outer.abstract if outer is not None else False
        self.nodes: list[Node] = []
        self.n_slots = 0
        self.inputs: list[int] = []
        # The inputs' tensors while user code holds them, for ``tf.gradients`` (weakly: a
        # traced graph must not keep its first call's arguments alive).
        self.input_tensors: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        # Each input's dtype, for describing the graph (a GraphDef's placeholders).
        self.input_dtypes: dict[int, object] = {}
        self.constants: dict[int, Tensor] = {}
        self._constant_slots: dict[int, int] = {}
        self.captures: list[tuple[SymbolicTensor, int]] = []
        self._capture_slots: dict[int, int] = {}
        self._shadow: dict[int, object] = {}
        self.variables: dict[int, object] = {}
        # ids of the variables this graph (or a branch/loop nested in it) assigns.
        self.assigned: set[int] = set()
        self.created_variables: list = []
        self._names: dict[str, int] = {}
        # Where Python code first read an example's partly unknown shape (see
        # partial_shapes); None while the graph holds for every shape of its inputs.
        self.specialized_at: str | None = None
        # Static shapes of the slots whose shape is only partly known (None dims), and of
        # every input: slot -> tuple.
        self.static_shapes: dict[int, tuple] = {}
        # What tracing knows of the values of shape tensors (``tf.shape(x)``): slot ->
        # list of dims, None where only the running graph knows; for a scalar taken from
        # one (``tf.shape(x)[1]``), its int value.
        self.shape_values: dict[int, list | int] = {}

    # -- slots --------------------------------------------------------------

    def _new_slot(self) -> int:
        self.n_slots += 1
        return self.n_slots - 1

    def _unique(self, base: str) -> str:
        n = self._names.get(base, 0)
        self._names[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def placeholder(
        self,
        example,
        dtype,
        name: str = "x",
        dynamic_shape: bool = False,
        shape: TensorShape | None = None,
    ) -> SymbolicTensor:
        """A function input, traced with ``example`` as its value.

        Args:
            dynamic_shape: its shape may change between runs with the data, e.g. a loop
                variable with a shape invariant.
            shape: its static shape, when only partly known (``None`` dimensions).
        """
        slot = self._new_slot()
        self.inputs.append(slot)
        if shape is not None and shape.is_fully_defined():
            shape = None
        if shape is not None:
            example = as_example(example)
            if shape.rank is not None:
                self.static_shapes[slot] = tuple(shape.as_list())
        else:
            example = as_plain(example)
            self.static_shapes[slot] = np.shape(example)
        self.input_dtypes[slot] = dtype
        t = SymbolicTensor(example, dtype, self, slot, self._unique(name), dynamic_shape, shape)
        self.input_tensors[slot] = t
        return t

    def slot_of(self, t: Tensor) -> int:
        """The slot holding ``t`` in this graph: its own, a capture, or a constant."""
        if type(t) is SymbolicTensor:
            if t._graph is self:
                return t._slot
            return self._capture(t)
        key = id(t)
        slot = self._constant_slots.get(key)
        if slot is None:
            slot = self._new_slot()
            self._constant_slots[key] = slot
            self.constants[slot] = t
        return slot

    def _capture(self, t: SymbolicTensor) -> int:
        g = self.outer
        while g is not None and g is not t._graph:
            g = g.outer
        if g is None:
            raise TypeError(
                f"Tensor '{t.name}' belongs to another tf.function's graph and cannot be used "
                "here: a symbolic tensor leaked out of the function that traced it. Return "
                "values from the function instead of storing them in Python state."
            )
        slot = self._capture_slots.get(id(t))
        if slot is None:
            slot = self._new_slot()
            self._capture_slots[id(t)] = slot
            self.captures.append((t, slot))
        return slot

    def _symbolic(self, value, dtype, op_name: str, shape=None) -> SymbolicTensor:
        slot = self._new_slot()
        if shape is not None:
            value = as_example(value)
            if shape.rank is not None:
                self.static_shapes[slot] = tuple(shape.as_list())
        return SymbolicTensor(value, dtype, self, slot, self._unique(op_name), shape=shape)

    # -- nodes --------------------------------------------------------------

    def add_op(
        self, op, inputs, attrs, out_values, out_dtypes, out_shapes=None
    ) -> list[SymbolicTensor]:
        """Appends a registry-op node; returns its symbolic outputs (``out_shapes``: their
        static shapes where only partly known, else None)."""
        ins = [self.slot_of(t) for t in inputs]
        if out_shapes is None:
            out_shapes = (None,) * len(out_values)
        outs = [
            self._symbolic(v, d, op.name, s) for v, d, s in zip(out_values, out_dtypes, out_shapes)
        ]
        self.nodes.append(
            Node(
                "op",
                op,
                ins,
                dict(attrs),
                [o._slot for o in outs],
                out_values=tuple(o._value for o in outs),
            )
        )
        return outs

    def read_variable(self, var) -> SymbolicTensor:
        """A read of ``var`` at this point of the program."""
        self.variables[id(var)] = var
        value = self._current(var)
        out = self._symbolic(value, var._dtype, "ReadVariableOp")
        self.nodes.append(Node(READ, None, [], {}, [out._slot], var=var, out_values=(value,)))
        return out

    def assign_variable(self, var, kind: str, value: Tensor) -> None:
        """Records ``var.assign*(value)``; later reads in this trace see the new example."""
        self.variables[id(var)] = var
        slot = self.slot_of(value)
        self.nodes.append(Node(kind, None, [slot], {}, [], var=var))
        g = self
        while g is not None:
            g.assigned.add(id(var))
            g = g.outer
        old = self._current(var)
        if kind == ASSIGN:
            new = value._value
        elif kind == ASSIGN_ADD:
            new = np.add(old, value._value, dtype=old.dtype)
        else:
            new = np.subtract(old, value._value, dtype=old.dtype)
        self._shadow[id(var)] = new

    def _current(self, var):
        """The example value of ``var`` at this point of the trace (a branch sees the
        assignments its enclosing graphs made before it)."""
        g = self
        while g is not None:
            value = g._shadow.get(id(var))
            if value is not None:
                return value
            g = g.outer
        return var._value

    def lift_variable_reads(self, keep: set[int]) -> None:
        """Turns this branch's reads of variables (ids not in ``keep``) into captures of one
        read in the enclosing graph, made now, just before the If/While node that runs
        this branch. The node then takes the value as an input, so gradients reach the
        variable. ``keep`` must hold every variable the construct assigns, whose reads
        must stay in place."""
        lifted: dict[int, SymbolicTensor] = {}
        nodes = []
        for node in self.nodes:
            if node.kind != READ or id(node.var) in keep:
                nodes.append(node)
                continue
            outer = lifted.get(id(node.var))
            if outer is None:
                with self.outer.as_default():
                    outer = lifted[id(node.var)] = node.var.value()
            self.captures.append((outer, node.outputs[0]))
        self.nodes = nodes

    @contextlib.contextmanager
    def as_default(self):
        """Makes this the graph that ``execute`` records into."""
        saved = context.state.graph
        context.state.graph = self
        try:
            yield self
        finally:
            context.state.graph = saved

    def as_graph_def(self, from_version=None, add_shapes=False):
        """The graph as a GraphDef message: its placeholders, constants, variable reads
        and writes, and op nodes, with TF's op names and attributes.

        >>> import tensorflux as tf
        >>> double = tf.function(lambda x: x * 2.0)
        >>> graph = double.get_concrete_function(tf.TensorSpec([2])).graph
        >>> [node.op for node in graph.as_graph_def().node]
        ['Placeholder', 'Const', 'Mul']
        """
        from tensorflux.engine.graph_def import encode_graph_def
        from tensorflux.framework.graph_messages import GraphDef

        return GraphDef.FromString(encode_graph_def(self))
