"""The protocol-buffer messages of a SavedModel directory, encoded and decoded by hand.

``saved_model.pb`` holds a ``SavedModel`` (TF's ``core/protobuf/saved_model.proto``,
``meta_graph.proto``, ``saved_object_graph.proto``, ``struct.proto``) whose graph and
function library use ``core/framework/{graph,function,node_def,attr_value,tensor,
tensor_shape}.proto``; ``fingerprint.pb`` holds a ``FingerprintDef``. Field numbers are
TF 2.21's. Messages are decoded into plain Python values (dicts, lists, NumPy arrays);
only the fields tensorflux reads or writes are handled, the others are skipped.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.proto_wire import Message, MessageWriter
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor_proto import (  # noqa: F401 - re-exported
    DTYPE_BY_ENUM,
    as_signed,
    decode_shape,
    decode_tensor,
    dtype_from_enum,
    encode_shape,
    encode_tensor,
    split_fixed,
)
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = [
    "DT_RESOURCE",
    "NamedTupleValue",
    "full_arg_spec",
    "dtype_from_enum",
    "encode_shape",
    "decode_shape",
    "encode_tensor",
    "decode_tensor",
    "encode_attr",
    "decode_attr",
    "encode_structure",
    "decode_structure",
    "encode_signature_def",
    "decode_signature_def",
    "encode_saved_model",
    "decode_saved_model",
    "encode_fingerprint",
]

DT_RESOURCE = 20
# -- AttrValue -----------------------------------------------------------------


def encode_attr(value) -> MessageWriter:
    """An AttrValue for a Python attr: str/bytes, bool, int, float, DType, TensorShape,
    NumPy array (a tensor), None (no value), or a list/tuple of one of these kinds.

    Raises:
        TypeError: a value with no AttrValue form (e.g. a nested list or a graph).
    """
    w = MessageWriter()
    if value is None:
        return w
    if isinstance(value, (list, tuple)):
        return w.raw(1, _encode_attr_list(value))
    _encode_attr_scalar(w, value, list_field=False)
    return w


_SCALAR_FIELDS = {"s": 2, "i": 3, "f": 4, "b": 5, "type": 6, "shape": 7, "tensor": 8}


def _attr_kind(value) -> str:
    if isinstance(value, (str, bytes)):
        return "s"
    if isinstance(value, (bool, np.bool_)):
        return "b"
    if isinstance(value, (int, np.integer)):
        return "i"
    if isinstance(value, (float, np.floating)):
        return "f"
    if isinstance(value, dtypes.DType):
        return "type"
    if isinstance(value, TensorShape):
        return "shape"
    if isinstance(value, np.ndarray):
        return "tensor"
    raise TypeError(
        f"an attribute value of type {type(value).__name__} ({value!r}) has no AttrValue form"
    )


def _encode_attr_scalar(w: MessageWriter, value, list_field: bool) -> None:
    kind = _attr_kind(value)
    field = _SCALAR_FIELDS[kind]
    if kind == "s":
        w.raw(field, value)
    elif kind in ("i", "b"):
        w.varint(field, int(value))
    elif kind == "f":
        w.float32(field, float(value))
    elif kind == "type":
        w.varint(field, value.as_datatype_enum)
    elif kind == "shape":
        w.raw(field, encode_shape(None if value.rank is None else value.as_list()))
    else:
        w.raw(field, encode_tensor(value, dtypes.from_numpy(value.dtype)))


def _encode_attr_list(values) -> MessageWriter:
    w = MessageWriter()
    kinds = {_attr_kind(v) for v in values}
    if len(kinds) > 1 and kinds != {"i", "b"}:
        raise TypeError(f"an attribute list mixes kinds {sorted(kinds)}: {values!r}")
    for v in values:
        _encode_attr_scalar(w, v, list_field=True)
    return w


def decode_attr(m: Message):
    """An AttrValue as a Python value (see :func:`encode_attr`); lists come back as lists."""
    if m.has(1):
        lst = m.message(1)
        for field, kind in (
            (2, "s"),
            (3, "i"),
            (4, "f"),
            (5, "b"),
            (6, "type"),
            (7, "shape"),
            (8, "tensor"),
        ):
            if lst.has(field):
                return _decode_list(lst, field, kind)
        return []
    if m.has(2):
        return _text(m.bytes(2))
    if m.has(3):
        return m.int64(3)
    if m.has(4):
        return m.float32(4)
    if m.has(5):
        return bool(m.varint(5))
    if m.has(6):
        return _attr_dtype(m.varint(6))
    if m.has(7):
        return TensorShape(decode_shape(m.message(7)))
    if m.has(8):
        return decode_tensor(m.message(8))
    if m.has(10):
        return {"func": m.message(10).string(1)}
    return None


def _text(raw: bytes):
    """A string attr as str; binary ones (TF's serialized ``config_proto``) stay bytes."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _attr_dtype(enum: int):
    """A type attr's DType; TF-only types (``DT_RESOURCE``, ``DT_VARIANT``) stay enum ints,
    so that a graph mentioning them still decodes."""
    d = DTYPE_BY_ENUM.get(enum)
    return enum if d is None else d


def _decode_list(lst: Message, field: int, kind: str) -> list:
    if kind == "s":
        return [_text(v) for v in lst.all(field)]
    if kind == "i":
        return as_signed(lst.packed_varints(field))
    if kind == "b":
        return [bool(v) for v in lst.packed_varints(field)]
    if kind == "f":
        return [float(np.frombuffer(v, "<f4")[0]) for v in split_fixed(lst, field, 4)]
    if kind == "type":
        return [_attr_dtype(v) for v in lst.packed_varints(field)]
    if kind == "shape":
        return [TensorShape(decode_shape(s)) for s in lst.messages(field)]
    return [decode_tensor(t) for t in lst.messages(field)]


# -- StructuredValue (struct.proto) --------------------------------------------


class NamedTupleValue:
    """A named tuple for :func:`encode_structure` (TF writes a function's
    ``FullArgSpec`` as one): ``name`` and ``(field, value)`` pairs in order."""

    def __init__(self, name: str, fields):
        self.name = name
        self.fields = list(fields)


def full_arg_spec(args) -> NamedTupleValue:
    """The ``FullArgSpec`` of a function taking the positional parameters ``args``."""
    return NamedTupleValue(
        "FullArgSpec",
        [
            ("args", list(args)),
            ("varargs", None),
            ("varkw", None),
            ("defaults", None),
            ("kwonlyargs", []),
            ("kwonlydefaults", None),
            ("annotations", {}),
        ],
    )


def encode_structure(value) -> MessageWriter:
    """A StructuredValue for a nest of None, bool, int, float, str, TensorSpec,
    TensorShape, DType, tuple, list and dict (str keys).

    Raises:
        TypeError: a value of another kind.
    """
    w = MessageWriter()
    if value is None:
        return w.raw(1, b"")
    if isinstance(value, bool):
        return w.varint(14, value)
    if isinstance(value, int):
        return w.sint(12, value)
    if isinstance(value, float):
        return w.float64(11, value)
    if isinstance(value, str):
        return w.raw(13, value)
    if isinstance(value, TensorSpec):
        spec = MessageWriter()
        if value.name:
            spec.raw(1, value.name)
        spec.raw(2, encode_shape(None if value.shape.rank is None else value.shape.as_list()))
        spec.varint(3, value.dtype.as_datatype_enum)
        return w.raw(33, spec)
    if isinstance(value, TensorShape):
        return w.raw(31, encode_shape(None if value.rank is None else value.as_list()))
    if isinstance(value, dtypes.DType):
        return w.varint(32, value.as_datatype_enum)
    if isinstance(value, (list, tuple)):
        items = MessageWriter()
        for v in value:
            items.raw(1, encode_structure(v))
        return w.raw(51 if isinstance(value, list) else 52, items)
    if isinstance(value, dict):
        fields = MessageWriter()
        for k in sorted(value):
            fields.raw(1, MessageWriter().raw(1, str(k)).raw(2, encode_structure(value[k])))
        return w.raw(53, fields)
    if isinstance(value, NamedTupleValue):
        named = MessageWriter().raw(1, value.name)
        for k, v in value.fields:
            named.raw(2, MessageWriter().raw(1, k).raw(2, encode_structure(v)))
        return w.raw(54, named)
    raise TypeError(
        f"{type(value).__name__} values cannot be part of a saved function's signature: {value!r}"
    )


def decode_structure(m: Message):
    """A StructuredValue as Python values (inverse of :func:`encode_structure`); named
    tuples come back as dicts of their fields."""
    if m.has(1):
        return None
    if m.has(14):
        return bool(m.varint(14))
    if m.has(12):
        return m.sint(12)
    if m.has(11):
        return m.float64(11)
    if m.has(13):
        return m.string(13)
    if m.has(33):
        spec = m.message(33)
        return TensorSpec(
            TensorShape(decode_shape(spec.message(2))),
            dtype_from_enum(spec.varint(3)),
            spec.string(1) or None,
        )
    if m.has(31):
        return TensorShape(decode_shape(m.message(31)))
    if m.has(32):
        return dtype_from_enum(m.varint(32))
    if m.has(51):
        return [decode_structure(v) for v in m.message(51).messages(1)]
    if m.has(52):
        return tuple(decode_structure(v) for v in m.message(52).messages(1))
    if m.has(53):
        return {f.string(1): decode_structure(f.message(2)) for f in m.message(53).messages(1)}
    if m.has(54):
        return {f.string(1): decode_structure(f.message(2)) for f in m.message(54).messages(2)}
    return None


# -- SignatureDef ----------------------------------------------------------------


def encode_signature_def(inputs: dict, outputs: dict, method_name: str) -> MessageWriter:
    """A SignatureDef; ``inputs``/``outputs`` map keys to ``(tensor name, DType, dims)``."""
    w = MessageWriter()
    for field, infos in ((1, inputs), (2, outputs)):
        for key in sorted(infos):
            name, dtype, dims = infos[key]
            info = MessageWriter().raw(1, name)
            if dtype is not None:
                info.varint(2, dtype.as_datatype_enum)
            info.raw(3, encode_shape(dims))
            w.raw(field, MessageWriter().raw(1, key).raw(2, info))
    if method_name:
        w.raw(3, method_name)
    return w


def decode_signature_def(m: Message) -> dict:
    """``{"inputs": {key: (name, DType or None, dims)}, "outputs": {...}, "method_name"}``."""
    out = {"method_name": m.string(3)}
    for field, part in ((1, "inputs"), (2, "outputs")):
        infos = {}
        for entry in m.messages(field):
            info = entry.message(2)
            enum = info.varint(2)
            infos[entry.string(1)] = (
                info.string(1),
                dtype_from_enum(enum) if enum else None,
                decode_shape(info.message(3)),
            )
        out[part] = infos
    return out


# -- SavedModel ------------------------------------------------------------------


def encode_saved_model(
    meta_info: dict,
    graph_def: bytes,
    signature_defs: dict,
    object_graph: bytes,
    saver_def=None,
    asset_files=(),
) -> bytes:
    """The bytes of ``saved_model.pb``: one MetaGraphDef with ``meta_info`` (tags,
    tensorflow_version, tensorflow_git_version), an encoded GraphDef, an optional
    SaverDef, SignatureDefs (key -> encoded SignatureDef), AssetFileDefs
    (``(path tensor name, file name in assets/)``) and an encoded SavedObjectGraph."""
    info = MessageWriter()
    for tag in meta_info["tags"]:
        info.raw(4, tag)
    info.raw(5, meta_info["tensorflow_version"]).raw(6, meta_info["tensorflow_git_version"])
    info.varint(7, 1)
    meta = MessageWriter().raw(1, info).raw(2, graph_def)
    if saver_def is not None:
        meta.raw(3, saver_def)
    for key in sorted(signature_defs):
        meta.raw(5, MessageWriter().raw(1, key).raw(2, signature_defs[key]))
    for tensor_name, filename in asset_files:
        meta.raw(6, MessageWriter().raw(1, MessageWriter().raw(1, tensor_name)).raw(2, filename))
    meta.raw(7, object_graph)
    return MessageWriter().varint(1, 1).raw(2, meta).bytes()


def decode_saved_model(data: bytes) -> dict:
    """``saved_model.pb`` as ``{"schema_version", "meta_graphs": [{"tags",
    "tensorflow_version", "graph_def" (Message), "signature_defs" (key -> decoded),
    "asset_files" (file names in assets/), "object_graph" (Message)}]}``."""
    m = Message(data)
    metas = []
    for meta in m.messages(2):
        info = meta.message(1)
        metas.append(
            {
                "tags": [t.decode("utf-8") for t in info.all(4)],
                "tensorflow_version": info.string(5),
                "tensorflow_git_version": info.string(6),
                "graph_def": meta.message(2),
                "signature_defs": {
                    e.string(1): decode_signature_def(e.message(2)) for e in meta.messages(5)
                },
                "asset_files": [a.string(2) for a in meta.messages(6)],
                "object_graph": meta.message(7),
            }
        )
    return {"schema_version": m.int64(1), "meta_graphs": metas}


def encode_fingerprint(
    saved_model_bytes: bytes,
    graph_def: bytes,
    signature_bytes: bytes,
    object_graph: bytes,
    checkpoint_bytes: bytes,
) -> bytes:
    """``fingerprint.pb``: a FingerprintDef (version 4, as TF 2.21 writes) of 64-bit
    hashes of the parts.

    TF hashes with its Fingerprint64; these are our own stable 64-bit hashes (blake2b)
    of the same parts, which is what the fields are for: telling SavedModels apart."""
    import hashlib
    import uuid

    def h(data: bytes) -> int:
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")

    return (
        MessageWriter()
        .varint(1, h(saved_model_bytes))
        .varint(2, h(graph_def))
        .varint(3, h(signature_bytes))
        .varint(4, h(object_graph))
        .varint(5, h(checkpoint_bytes))
        .raw(6, MessageWriter().varint(1, 4))
        .raw(7, str(uuid.uuid4().int))
        .bytes()
    )
