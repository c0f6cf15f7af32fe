"""``tf.io.write_graph``: a GraphDef written to a file, in protobuf text format or as
binary bytes.

A traced graph (``concrete_function.graph``) is encoded by ``engine.graph_def`` and
given TF's ``versions { producer }``; a GraphDef may also be given as its serialized
bytes or as a message object with ``SerializeToString``. The text form is printed with
``framework.proto_text_schema`` from the GraphDef schema below (TF 2.21's field numbers of
``graph.proto``, ``node_def.proto``, ``attr_value.proto``, ``tensor.proto``,
``tensor_shape.proto`` and ``versions.proto``).
"""

from __future__ import annotations

import os

from tensorflux.engine.graph import FuncGraph
from tensorflux.engine.graph_def import encode_graph_def
from tensorflux.framework.atomic_file import atomic_output
from tensorflux.framework.proto_text_schema import to_text
from tensorflux.framework.proto_wire import Message, MessageWriter

__all__ = ["write_graph"]

# TF 2.21's GRAPH_DEF_VERSION (``tf.version.GRAPH_DEF_VERSION``, which the facade module
# ``tensorflux.version`` holds; a layer module may not import the facade).
GRAPH_DEF_VERSION = 2474

_DATA_TYPES = {
    0: "DT_INVALID", 1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8",
    5: "DT_INT16", 6: "DT_INT8", 7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64",
    10: "DT_BOOL", 11: "DT_QINT8", 12: "DT_QUINT8", 13: "DT_QINT32", 14: "DT_BFLOAT16",
    15: "DT_QINT16", 16: "DT_QUINT16", 17: "DT_UINT16", 18: "DT_COMPLEX128", 19: "DT_HALF",
    20: "DT_RESOURCE", 21: "DT_VARIANT", 22: "DT_UINT32", 23: "DT_UINT64",
}  # fmt: skip

GRAPH_DEF_SCHEMA = {
    "enums": {"DataType": _DATA_TYPES},
    "GraphDef": {
        1: ("node", "NodeDef"),
        2: ("library", "FunctionDefLibrary"),
        3: ("version", "int32"),
        4: ("versions", "VersionDef"),
    },
    "NodeDef": {
        1: ("name", "string"),
        2: ("op", "string"),
        3: ("input", "string"),
        4: ("device", "string"),
        5: ("attr", "map:AttrEntry"),
    },
    "AttrEntry": {1: ("key", "string"), 2: ("value", "AttrValue")},
    "AttrValue": {
        1: ("list", "ListValue"),
        2: ("s", "bytes"),
        3: ("i", "int64"),
        4: ("f", "float"),
        5: ("b", "bool"),
        6: ("type", "enum:DataType"),
        7: ("shape", "TensorShapeProto"),
        8: ("tensor", "TensorProto"),
        9: ("placeholder", "string"),
        10: ("func", "NameAttrList"),
    },
    "ListValue": {
        2: ("s", "bytes"),
        3: ("i", "int64"),
        4: ("f", "float"),
        5: ("b", "bool"),
        6: ("type", "enum:DataType"),
        7: ("shape", "TensorShapeProto"),
        8: ("tensor", "TensorProto"),
        9: ("func", "NameAttrList"),
    },
    "NameAttrList": {1: ("name", "string"), 2: ("attr", "map:AttrEntry")},
    "TensorShapeProto": {2: ("dim", "Dim"), 3: ("unknown_rank", "bool")},
    "Dim": {1: ("size", "int64"), 2: ("name", "string")},
    "TensorProto": {
        1: ("dtype", "enum:DataType"),
        2: ("tensor_shape", "TensorShapeProto"),
        3: ("version_number", "int32"),
        4: ("tensor_content", "bytes"),
        5: ("float_val", "float"),
        6: ("double_val", "double"),
        7: ("int_val", "int32"),
        8: ("string_val", "bytes"),
        9: ("scomplex_val", "float"),
        10: ("int64_val", "int64"),
        11: ("bool_val", "bool"),
        12: ("dcomplex_val", "double"),
        13: ("half_val", "int32"),
        16: ("uint32_val", "uint32"),
        17: ("uint64_val", "uint64"),
    },
    "VersionDef": {
        1: ("producer", "int32"),
        2: ("min_consumer", "int32"),
        3: ("bad_consumers", "int32"),
    },
    # Function libraries are written in binary form only; their text is left out.
    "FunctionDefLibrary": {},
}


def _graph_def_bytes(graph_or_graph_def) -> bytes:
    if isinstance(graph_or_graph_def, FuncGraph):
        data = encode_graph_def(graph_or_graph_def)
    elif isinstance(graph_or_graph_def, (bytes, bytearray)):
        data = bytes(graph_or_graph_def)
    elif hasattr(graph_or_graph_def, "SerializeToString"):
        data = graph_or_graph_def.SerializeToString()
    else:
        raise TypeError(
            f"write_graph expects a graph (a ConcreteFunction's .graph) or a GraphDef (its "
            f"serialized bytes or a message with SerializeToString); got "
            f"{type(graph_or_graph_def).__name__}."
        )
    if not Message(data).has(4):
        data += MessageWriter().raw(4, MessageWriter().varint(1, GRAPH_DEF_VERSION)).bytes()
    return data


def write_graph(graph_or_graph_def, logdir, name, as_text=True) -> str:
    """Writes a GraphDef to ``logdir/name`` (making ``logdir``), in protobuf text format
    or, with ``as_text=False``, as binary bytes; returns the file's path.

    Args:
        graph_or_graph_def: a traced graph (``tf.function(...).get_concrete_function(
            ...).graph``), GraphDef bytes, or a GraphDef message.
        logdir: the folder.
        name: the file name.
        as_text: text format (``.pbtxt``) or binary (``.pb``).

    >>> import os, tempfile
    >>> from tensorflux.summary.graph_io import write_graph
    >>> path = write_graph(b"", tempfile.mkdtemp(), "empty.pbtxt")
    >>> print(open(path).read(), end="")
    versions {
      producer: 2474
    }

    Raises:
        TypeError: something that is neither a graph nor a GraphDef.
    """
    data = _graph_def_bytes(graph_or_graph_def)
    logdir = os.fspath(logdir)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, os.fspath(name))
    with atomic_output(path) as tmp:
        if as_text:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(to_text(data, GRAPH_DEF_SCHEMA, "GraphDef"))
        else:
            with open(tmp, "wb") as f:
                f.write(data)
    return path
