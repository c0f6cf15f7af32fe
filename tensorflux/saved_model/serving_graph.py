"""The MetaGraphDef's own graph, for TensorFlow 1-style consumers (TF Serving,
``tf.compat.v1.saved_model.load``, ``saved_model_cli run``): one ``VarHandleOp`` per
variable, a ``Placeholder`` per signature input, a ``StatefulPartitionedCall`` per
signature running its function on those, and a restore subgraph (``RestoreV2`` and
``AssignVariableOp`` s) named by the ``SaverDef``, which such a consumer runs with the
``variables/variables`` prefix fed to ``saver_filename``.

TF 2's ``tf.saved_model.load`` reads the object graph instead; both see the same
functions and checkpoint.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework import graph_protos as protos
from tensorflux.framework.proto_wire import MessageWriter

__all__ = [
    "node",
    "placeholder",
    "var_handle",
    "asset_path",
    "call",
    "restore",
    "SAVER_FILENAME",
]

SAVER_FILENAME = "saver_filename"
_RESTORE = "restore_all"


def _attr(value_writer: MessageWriter, key: str) -> MessageWriter:
    return MessageWriter().raw(1, key).raw(2, value_writer)


def node(name: str, op: str, inputs=(), attrs=None) -> MessageWriter:
    """A graph NodeDef; ``attrs`` maps names to ready AttrValue writers."""
    w = MessageWriter().raw(1, name).raw(2, op)
    for ref in inputs:
        w.raw(3, ref)
    for key in sorted(attrs or {}):
        w.raw(5, _attr(attrs[key], key))
    return w


def placeholder(name: str, dtype, dims) -> MessageWriter:
    """A ``Placeholder`` of ``dtype`` and shape ``dims``."""
    return node(
        name,
        "Placeholder",
        attrs={
            "dtype": MessageWriter().varint(6, dtype.as_datatype_enum),
            "shape": MessageWriter().raw(7, protos.encode_shape(dims)),
        },
    )


def var_handle(name: str, var) -> MessageWriter:
    """The ``VarHandleOp`` of a variable (its shared name is the node name)."""
    return node(
        name,
        "VarHandleOp",
        attrs={
            "dtype": MessageWriter().varint(6, var.dtype.as_datatype_enum),
            "shape": MessageWriter().raw(7, protos.encode_shape(var.shape.as_list())),
            "shared_name": MessageWriter().raw(2, name),
            "container": MessageWriter().raw(2, ""),
        },
    )


def asset_path(index: int) -> tuple:
    """The nodes holding the path of the ``index``-th asset, as TF names them: a
    ``Placeholder`` (``asset_path_initializer``, which the AssetFileDef names and a
    TF 1 loader feeds with the file's path in ``assets/``), a string variable it is
    assigned to by the init op, and the variable's read that the signatures take.
    Returns ``(nodes, assign node name, read node name)``."""
    suffix = f"_{index}" if index else ""
    feed, var = f"asset_path_initializer{suffix}", f"Variable{suffix}"
    string = MessageWriter().varint(6, dtypes.string.as_datatype_enum)
    nodes = [
        placeholder(feed, dtypes.string, []),
        node(
            var,
            "VarHandleOp",
            attrs={
                "dtype": string,
                "shape": MessageWriter().raw(7, protos.encode_shape([])),
                "shared_name": MessageWriter().raw(2, var),
                "container": MessageWriter().raw(2, ""),
            },
        ),
        node(f"{var}/Assign", "AssignVariableOp", [var, feed], {"dtype": string}),
        node(f"{var}/Read/ReadVariableOp", "ReadVariableOp", [var], {"dtype": string}),
    ]
    return nodes, f"{var}/Assign", f"{var}/Read/ReadVariableOp"


def _types(values) -> MessageWriter:
    lst = MessageWriter()
    for v in values:
        lst.varint(6, v if isinstance(v, int) else v.as_datatype_enum)
    return MessageWriter().raw(1, lst)


def call(name: str, function: str, inputs, in_types, out_types) -> MessageWriter:
    """A ``StatefulPartitionedCall`` of ``function``."""
    return node(
        name,
        "StatefulPartitionedCall",
        inputs,
        {
            "f": MessageWriter().raw(10, MessageWriter().raw(1, function)),
            "Tin": _types(in_types),
            "Tout": _types(out_types),
            "config": MessageWriter().raw(2, ""),
            "config_proto": MessageWriter().raw(2, ""),
            "executor_type": MessageWriter().raw(2, ""),
        },
    )


def restore(handles: list) -> tuple:
    """The restore subgraph for ``(handle node name, variable, checkpoint key)`` triples,
    and the ``SaverDef`` naming it: ``(nodes, SaverDef writer)``."""
    string = dtypes.string
    keys = np.array([key.encode() for _, _, key in handles], dtype=object)
    slices = np.array([b""] * len(handles), dtype=object)
    nodes = [
        placeholder(SAVER_FILENAME, string, []),
        node(
            "restore/tensor_names",
            "Const",
            attrs={
                "dtype": MessageWriter().varint(6, string.as_datatype_enum),
                "value": MessageWriter().raw(8, protos.encode_tensor(keys, string)),
            },
        ),
        node(
            "restore/shape_and_slices",
            "Const",
            attrs={
                "dtype": MessageWriter().varint(6, string.as_datatype_enum),
                "value": MessageWriter().raw(8, protos.encode_tensor(slices, string)),
            },
        ),
        node(
            "restore/RestoreV2",
            "RestoreV2",
            [SAVER_FILENAME, "restore/tensor_names", "restore/shape_and_slices"],
            {"dtypes": _types([var.dtype for _, var, _ in handles])},
        ),
    ]
    for i, (handle, var, _) in enumerate(handles):
        nodes.append(
            node(
                f"restore/Assign_{i}",
                "AssignVariableOp",
                [handle, f"restore/RestoreV2:{i}"],
                {"dtype": MessageWriter().varint(6, var.dtype.as_datatype_enum)},
            )
        )
    nodes.append(node(_RESTORE, "NoOp", [f"^restore/Assign_{i}" for i in range(len(handles))]))
    saver = (
        MessageWriter()
        .raw(1, f"{SAVER_FILENAME}:0")
        .raw(2, f"{SAVER_FILENAME}:0")
        .raw(3, _RESTORE)
        .varint(7, 2)
    )
    return nodes, saver
