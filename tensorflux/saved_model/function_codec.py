"""Traced functions as TF ``FunctionDef`` s, and back.

A ``ConcreteFunction``'s graph is written as TF encodes a function library entry: an
``OpDef`` signature (one argument per input, one ``DT_RESOURCE`` argument per variable
the function reads or assigns, one output per flat output), a ``NodeDef`` per op under
its TF op name (``ReadVariableOp``/``AssignVariableOp`` for variables, ``Const`` for the
tensors it closed over) and the ``ret`` map. Node inputs are ``"node:output:i"`` or an
argument name. Our attrs are written as AttrValues; which of them were tuples is kept in
the internal attr ``_tuple_attrs`` (TF ignores attrs starting with ``_``).

Loading interprets the NodeDefs through the op registry, and wraps that in a
``tf.function`` with the saved input signature, so each loaded function runs as one
traced graph again.
"""

from __future__ import annotations

import re

import numpy as np

from tensorflux.engine import registry, tf_op_defs
from tensorflux.engine.function import function as tf_function
from tensorflux.engine.graph import ASSIGN, ASSIGN_ADD, ASSIGN_SUB, READ
from tensorflux.framework import dtypes, nest
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import Message, MessageWriter
from tensorflux.framework.tensor import Tensor, constant
from tensorflux.saved_model import optimizer_lowering, rnn_lowering

__all__ = ["encode_function", "FunctionDefRunner", "restore_function"]

_ASSIGN_OPS = {
    ASSIGN: "AssignVariableOp",
    ASSIGN_ADD: "AssignAddVariableOp",
    ASSIGN_SUB: "AssignSubVariableOp",
}
_TUPLE_ATTRS = "_tuple_attrs"
# Attrs whose value is None: named here instead of written as an AttrValue with no
# value, which TensorFlow cannot instantiate a function with.
_NONE_ATTRS = "_none_attrs"
_OWN = "_tfx_"
# How many of a node's inputs are tensorflux's (TF's form of the op takes more).
_OWN_INPUTS = "_own_inputs"


def _arg_name(name: str, taken: set) -> str:
    """A FunctionDef argument name (TF wants ``[a-z][a-z0-9_]*``), unique in ``taken``."""
    base = re.sub(r"[^a-z0-9_]", "_", (name or "args").lower())
    if not base or not base[0].isalpha():
        base = "arg_" + base
    return rnn_lowering.unique_name(base, taken)


def encode_function(
    concrete, fn_name: str, arg_names=None, output_order=None, assets=None, library=None
):
    """Encodes ``concrete`` (a ConcreteFunction) as a FunctionDef named ``fn_name``.

    Args:
        arg_names: names for the tensor inputs (default: the specs' names).
        output_order: the flat outputs' indices in the order to write them (default:
            as they are).
        assets: ``{id(asset.asset_path): asset}`` of the saved ``tf.saved_model.Asset``
            s: a path the function captures becomes a string argument bound to its
            asset (as TF binds it), not a constant.
        library: a list the FunctionDefs this one calls are appended to (the loops of
            fused recurrent ops, written in TF's ops by ``rnn_lowering``).

    Returns:
        ``(FunctionDef bytes, captured objects)``: the variables bound to the resource
        arguments, then the assets bound to the string ones, in argument order.

    Raises:
        ValueError: the graph holds something a FunctionDef cannot (a captured symbolic
            tensor, or an op attribute that is a graph or other Python object).
    """
    graph = concrete.graph
    if graph.captures:
        raise ValueError(
            f"tf.function {concrete.name!r} captures tensors of another graph and cannot be saved."
        )
    taken: set = set()
    refs: dict[int, str] = {}
    signature = MessageWriter().raw(1, fn_name)
    specs = concrete.inputs
    names = arg_names or [s.name for s in specs]
    for slot, spec, name in zip(graph.inputs, specs, names):
        arg = _arg_name(name, taken)
        refs[slot] = arg
        signature.raw(2, MessageWriter().raw(1, arg).varint(3, spec.dtype.as_datatype_enum))
    variables = list(graph.variables.values())
    resources = {}
    for var in variables:
        arg = _arg_name(var.name.split(":")[0] + "_resource", taken)
        resources[id(var)] = arg
        signature.raw(2, MessageWriter().raw(1, arg).varint(3, protos.DT_RESOURCE))
    captured = list(variables)
    for slot, value in graph.constants.items():
        asset = (assets or {}).get(id(value))
        if asset is not None:
            refs[slot] = _arg_name("asset_path", taken)
            captured.append(asset)
            signature.raw(
                2, MessageWriter().raw(1, refs[slot]).varint(3, dtypes.string.as_datatype_enum)
            )
    node_names: set = set()
    nodes = []
    slot_dtypes = _slot_dtypes(graph, specs)
    slot_ranks = _slot_ranks(graph, specs)
    for slot, value in graph.constants.items():
        if slot in refs:
            continue
        name = _arg_name("Const", node_names)
        refs[slot] = f"{name}:output:0"
        value_array = np.asarray(value._value)  # a 0-d constant may be a NumPy scalar
        nodes.append(_node(name, "Const", [], {"value": value_array, "dtype": value._dtype}))
    for node in graph.nodes:
        if node.kind == READ:
            name = rnn_lowering.unique_name("ReadVariableOp", node_names)
            refs[node.outputs[0]] = f"{name}:value:0"
            nodes.append(
                _node(name, "ReadVariableOp", [resources[id(node.var)]], {"dtype": node.var.dtype})
            )
        elif node.kind in _ASSIGN_OPS:
            op = _ASSIGN_OPS[node.kind]
            nodes.append(
                _node(
                    rnn_lowering.unique_name(op, node_names),
                    op,
                    [resources[id(node.var)], refs[node.inputs[0]]],
                    {"dtype": node.var.dtype},
                )
            )
        else:
            # TF's node names cannot start with "_", as internal op names do.
            name = rnn_lowering.unique_name(node.op.name.lstrip("_"), node_names)
            arg = tf_op_defs.output_arg_name(node.op.name)
            for i, slot in enumerate(node.outputs):
                refs[slot] = f"{name}:{arg}:{i}"
            dtypes_in = [slot_dtypes.get(s) for s in node.inputs]
            inputs = [refs[s] for s in node.inputs]
            if node.op.name in rnn_lowering.FUSED_OPS:
                if library is None:
                    raise ValueError(
                        f"tf.function {concrete.name!r} holds {node.op.name}, whose loop "
                        f"functions need a library to be written to."
                    )
                lowered, loop_functions = rnn_lowering.lower_fused_rnn(
                    node.op.name, name, inputs, dtypes_in, node.attrs, node_names, fn_name
                )
                nodes.extend(lowered)
                library.extend(loop_functions)
                continue
            if node.op.name in optimizer_lowering.FUSED_OPS:
                nodes.extend(
                    optimizer_lowering.lower_fused_update(
                        node.op.name, name, inputs, dtypes_in, node_names
                    )
                )
                continue
            tf_attrs = tf_op_defs.tf_attrs(node.op.name, node.attrs, dtypes_in)
            extra = tf_op_defs.extra_inputs(
                node.op.name, node.attrs, slot_ranks.get(node.inputs[0]) if inputs else None
            )
            if tf_attrs is not None and extra:
                tf_attrs[_OWN_INPUTS] = len(inputs)
                for value in extra:
                    const = rnn_lowering.unique_name(f"{name}/input_{len(inputs)}", node_names)
                    nodes.append(_node(const, "Const", [], {"value": value, "dtype": dtypes.int32}))
                    inputs.append(f"{const}:output:0")
            try:
                nodes.append(_node(name, node.op.name, inputs, node.attrs, tf_attrs))
            except TypeError as e:
                raise ValueError(
                    f"tf.function {concrete.name!r} cannot be saved: op {node.op.name} has {e}."
                ) from None
    out_names = []
    flat = list(zip(concrete._output_slots, _output_dtypes(concrete)))
    order = range(len(flat)) if output_order is None else output_order
    for i, (slot, dtype) in enumerate(flat[j] for j in order):
        out = f"output_{i}"
        out_names.append((out, refs[slot]))
        signature.raw(3, MessageWriter().raw(1, out).varint(3, dtype.as_datatype_enum))
    if variables:
        signature.varint(17, 1)
    fdef = MessageWriter().raw(1, signature)
    for n in nodes:
        fdef.raw(3, n)
    for out, ref in out_names:
        fdef.raw(4, MessageWriter().raw(1, out).raw(2, ref))
    return fdef.bytes(), captured


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _output_dtypes(concrete) -> list:
    out = []
    for kind, _, dtype in concrete._leaves:
        if kind == "tensor":
            out.append(dtype)
        elif kind == "slices":
            out.extend(dtype)
    return out


def _node(name: str, op: str, inputs, attrs: dict, tf_attrs=None) -> MessageWriter:
    """A NodeDef. With ``tf_attrs`` (TF's attrs for the op), tensorflux's own attrs are
    written with the ``_tfx_`` prefix beside them; without, as they are."""
    w = MessageWriter().raw(1, name).raw(2, op)
    for ref in inputs:
        w.raw(3, ref)
    prefix = _OWN if tf_attrs is not None else ""
    entries = {prefix + k: v for k, v in attrs.items() if v is not None}
    tuples = sorted(prefix + k for k, v in attrs.items() if isinstance(v, tuple))
    if tuples:
        entries[_TUPLE_ATTRS] = tuples
    nones = sorted(prefix + k for k, v in attrs.items() if v is None)
    if nones:
        entries[_NONE_ATTRS] = nones
    if tf_attrs is not None:
        entries[_OWN + "marker"] = True
        entries.update(tf_attrs)
    for key in sorted(entries):
        try:
            value = protos.encode_attr(entries[key])
        except TypeError as e:
            raise TypeError(f"attribute {key!r} with {e}") from None
        w.raw(5, MessageWriter().raw(1, key).raw(2, value))
    return w


def _slot_ranks(graph, specs) -> dict:
    """The rank of every slot of ``graph`` whose rank is known."""
    out = {slot: spec.shape.rank for slot, spec in zip(graph.inputs, specs)}
    out.update((slot, t._value.ndim) for slot, t in graph.constants.items())
    for node in graph.nodes:
        for slot, value in zip(node.outputs, node.out_values):
            out[slot] = np.ndim(value)
    return out


def _slot_dtypes(graph, specs) -> dict:
    """The dtype of every slot of ``graph``: inputs, constants and node outputs."""
    out = {slot: spec.dtype for slot, spec in zip(graph.inputs, specs)}
    out.update((slot, t._dtype) for slot, t in graph.constants.items())
    for node in graph.nodes:
        if node.var is not None:
            out.update((slot, node.var.dtype) for slot in node.outputs)
            continue
        for slot, value in zip(node.outputs, node.out_values):
            kind = getattr(value, "dtype", None)
            out[slot] = dtypes.string if kind is None else dtypes.from_numpy(kind)
    return out


class FunctionDefRunner:
    """A decoded FunctionDef, callable on tensors through the op registry.

    Functions tensorflux wrote carry its own attrs (``_tfx_*``). Functions TensorFlow
    wrote are read through ``tf_op_defs.from_tensorflow`` (TF's attrs mapped to
    tensorflux's, constant inputs such as a reduction's axes read as attrs), and their
    ``StatefulPartitionedCall``/``PartitionedCall`` nodes call the ``library``'s
    functions.

    Args:
        fdef: the FunctionDef message.
        captured: the objects bound to its last arguments (its captures, as TF places
            them), in order: variables to ``DT_RESOURCE`` ones, ``Asset`` s (their
            paths) to string ones.
        library: function name -> FunctionDef message, for the functions it calls.

    Raises:
        ValueError: a node names an op tensorflux does not have.
    """

    def __init__(self, fdef: Message, captured, library=None):
        signature = fdef.message(1)
        self.name = signature.string(1)
        self._library = library or {}
        self._args = [a.string(1) for a in signature.messages(2)]
        resource = [a.varint(3) == protos.DT_RESOURCE for a in signature.messages(2)]
        self._captured = list(captured or ())
        given = len(self._args) - len(self._captured)
        if captured is not None and (given < 0 or any(resource[:given])):
            raise ValueError(
                f"function {self.name} takes {sum(resource)} variables but "
                f"{len(captured)} objects are bound to it: the SavedModel is corrupted."
            )
        # Which arguments the bound objects fill: the trailing ones.
        self._resource = (
            resource if captured is None else [i >= given for i in range(len(resource))]
        )
        self.arg_names = [a for a, r in zip(self._args, self._resource) if not r]
        self.output_names = [a.string(1) for a in signature.messages(3)]
        rets = {e.string(1): e.string(2) for e in fdef.messages(4)}
        self._rets = [rets[o] for o in self.output_names]
        nodes = [self._decode_node(n) for n in fdef.messages(3)]
        self._nodes = [n for n in nodes if n is not None]

    def _decode_node(self, n: Message):
        op_name = n.string(2)
        attrs = {e.string(1): protos.decode_attr(e.message(2)) for e in n.messages(5)}
        if attrs.get(rnn_lowering.LOWERED):
            # TF's expansion of a fused op: the node standing for the op runs it whole.
            return None
        for key in attrs.pop(_TUPLE_ATTRS, []):
            attrs[key] = tuple(attrs[key])
        for key in attrs.pop(_NONE_ATTRS, []):
            attrs[key] = None
        own_inputs = attrs.pop(_OWN_INPUTS, None)
        inputs = [r.decode("utf-8") for r in n.all(3)]
        if rnn_lowering.FUSED_OP in attrs:
            op_name = _text(attrs.pop(rnn_lowering.FUSED_OP))
            inputs = [_text(r) for r in attrs.pop(rnn_lowering.FUSED_INPUTS)]
        inputs = [r for r in inputs if not r.startswith("^")]
        from_inputs = {}
        if attrs.pop(_OWN + "marker", False):
            attrs = {k[len(_OWN) :]: v for k, v in attrs.items() if k.startswith(_OWN)}
            if own_inputs is not None:
                inputs = inputs[:own_inputs]
        elif op_name in _CALL_OPS:
            attrs = {"f": attrs.get("f", {}).get("func")}
        elif op_name not in _VARIABLE_OPS:
            attrs, from_inputs = tf_op_defs.from_tensorflow(op_name, attrs, len(inputs))
        if op_name in _VARIABLE_OPS or op_name in _CALL_OPS:
            op = op_name
        else:
            try:
                op = registry.get(op_name)
            except (KeyError, ValueError, LookupError):
                raise ValueError(
                    f"The SavedModel's function {self.name} uses op {op_name!r}, which "
                    f"tensorflux does not implement. A Keras model saved by TensorFlow "
                    f"loads with tf.keras.models.load_model."
                ) from None
        return n.string(1), op, inputs, attrs, from_inputs

    def __call__(self, *tensors):
        """Runs the function on its tensor arguments (the bound variables fill in the
        resource arguments)."""
        given = iter(tensors)
        captured = iter([getattr(c, "asset_path", c) for c in self._captured])
        return self.run([next(captured) if r else next(given) for r in self._resource])

    def run(self, args):
        """Runs the function on all its arguments (variables for resource ones)."""
        values = dict(zip(self._args, args))
        for name, op, inputs, attrs, from_inputs in self._nodes:
            if op == "NoOp":
                continue
            if op == "Const":
                values[name + ":0"] = constant(attrs["value"], dtype=attrs["dtype"])
                continue
            ins = [self._value(values, r) for r in inputs]
            if op == "ReadVariableOp":
                out = ins[0].value()
            elif op in _ASSIGN_METHODS:
                getattr(ins[0], _ASSIGN_METHODS[op])(ins[1])
                continue
            elif op == "Identity" and not isinstance(ins[0], Tensor):
                out = ins[0]
            elif op in _CALL_OPS:
                if attrs["f"] not in self._library:
                    raise ValueError(
                        f"The SavedModel's function {self.name} calls "
                        f"{attrs['f']!r}, which its library does not hold."
                    )
                out = tuple(
                    FunctionDefRunner(self._library[attrs["f"]], None, self._library).run(ins)
                )
            else:
                if from_inputs:
                    attrs = dict(attrs)
                    for key, (index, as_tuple) in from_inputs.items():
                        value = np.asarray(ins[index].numpy())
                        attrs[key] = tuple(value.reshape(-1).tolist()) if as_tuple else value.item()
                    taken = {index for index, _ in from_inputs.values()}
                    ins = [t for k, t in enumerate(ins) if k not in taken]
                out = registry.execute(op, ins, attrs)
            outs = out if isinstance(out, tuple) else (out,)
            for i, t in enumerate(outs):
                values[f"{name}:{i}"] = t
        return [self._value(values, r) for r in self._rets]

    @staticmethod
    def _value(values: dict, ref: str):
        if ref in values:
            return values[ref]
        parts = ref.split(":")
        key = f"{parts[0]}:{parts[-1]}" if len(parts) == 3 else f"{parts[0]}:0"
        return values[key]


_CALL_OPS = ("StatefulPartitionedCall", "PartitionedCall")
_ASSIGN_METHODS = {
    "AssignVariableOp": "assign",
    "AssignAddVariableOp": "assign_add",
    "AssignSubVariableOp": "assign_sub",
}
_VARIABLE_OPS = ("Const", "ReadVariableOp", "NoOp", *_ASSIGN_METHODS)


def restore_function(runner: FunctionDefRunner, input_signature, output_structure):
    """A ``tf.function`` that runs ``runner`` on tensors of ``input_signature`` (a flat
    list of TensorSpecs) and packs its outputs as ``output_structure``."""

    def call(*tensors):
        return nest.pack_sequence_as(output_structure, runner(*tensors))

    call.__name__ = getattr(runner, "name", getattr(runner, "__name__", "restored"))
    return tf_function(call, input_signature=list(input_signature))
