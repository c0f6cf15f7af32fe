"""The graph messages of TensorFlow (``graph.proto``, ``node_def.proto``,
``attr_value.proto``): what ``ConcreteFunction.graph.as_graph_def()`` returns, with
protobuf's Python API (``node``, ``SerializeToString``, text format).

Tensors held in attributes are kept as their TensorProto bytes.
"""

from __future__ import annotations

from tensorflux.framework.proto_message import Field, Message

__all__ = ["AttrValue", "GraphDef", "NodeDef", "TensorShapeProto"]


class _Dim(Message):
    full_name = "tensorflow.TensorShapeProto.Dim"
    fields = (Field("size", 1, "int64"), Field("name", 2, "string"))


class TensorShapeProto(Message):
    """A shape: ``dim`` (each with ``size``, -1 when unknown) or ``unknown_rank``."""

    full_name = "tensorflow.TensorShapeProto"
    fields = (
        Field("dim", 2, "tensorflow.TensorShapeProto.Dim", repeated=True),
        Field("unknown_rank", 3, "bool"),
    )


class _ListValue(Message):
    full_name = "tensorflow.AttrValue.ListValue"
    fields = (
        Field("s", 2, "bytes", repeated=True),
        Field("i", 3, "int64", repeated=True),
        Field("f", 4, "float", repeated=True),
        Field("b", 5, "bool", repeated=True),
        Field("type", 6, "int32", repeated=True),
        Field("shape", 7, "tensorflow.TensorShapeProto", repeated=True),
        Field("tensor", 8, "bytes", repeated=True),
        Field("func", 9, "tensorflow.NameAttrList", repeated=True),
    )


class AttrValue(Message):
    """One attribute value: ``s``, ``i``, ``f``, ``b``, ``type`` (a DataType number),
    ``shape``, ``tensor`` (TensorProto bytes), ``list``, ``func`` or ``placeholder``."""

    full_name = "tensorflow.AttrValue"
    fields = (
        Field("list", 1, "tensorflow.AttrValue.ListValue", oneof="value"),
        Field("s", 2, "bytes", oneof="value"),
        Field("i", 3, "int64", oneof="value"),
        Field("f", 4, "float", oneof="value"),
        Field("b", 5, "bool", oneof="value"),
        Field("type", 6, "int32", oneof="value"),
        Field("shape", 7, "tensorflow.TensorShapeProto", oneof="value"),
        Field("tensor", 8, "bytes", oneof="value"),
        Field("placeholder", 9, "string", oneof="value"),
        Field("func", 10, "tensorflow.NameAttrList", oneof="value"),
    )


class _NameAttrList(Message):
    full_name = "tensorflow.NameAttrList"
    fields = (
        Field("name", 1, "string"),
        Field("attr", 2, "tensorflow.AttrValue", map_key="string"),
    )


class NodeDef(Message):
    """One node: ``name``, ``op``, ``input`` (``"name:index"``, ``"^name"`` for
    control inputs), ``device`` and ``attr``."""

    full_name = "tensorflow.NodeDef"
    fields = (
        Field("name", 1, "string"),
        Field("op", 2, "string"),
        Field("input", 3, "string", repeated=True),
        Field("device", 4, "string"),
        Field("attr", 5, "tensorflow.AttrValue", map_key="string"),
    )


class _VersionDef(Message):
    full_name = "tensorflow.VersionDef"
    fields = (
        Field("producer", 1, "int32"),
        Field("min_consumer", 2, "int32"),
        Field("bad_consumers", 3, "int32", repeated=True),
    )


class GraphDef(Message):
    """A graph: its ``node`` list, ``versions`` and function ``library`` (as bytes)."""

    full_name = "tensorflow.GraphDef"
    fields = (
        Field("node", 1, "tensorflow.NodeDef", repeated=True),
        Field("library", 2, "bytes"),
        Field("versions", 4, "tensorflow.VersionDef"),
    )
