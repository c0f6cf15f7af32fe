"""TensorFlow's ``TensorProto`` and ``TensorShapeProto`` (``core/framework/tensor.proto``,
``tensor_shape.proto``) on the hand-written wire codec of ``proto_wire``: the one encoder
and decoder that ``tf.io.serialize_tensor``/``parse_tensor``, SavedModel constants and
summaries share.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.proto_wire import (
    Message,
    MessageWriter,
    ProtoDecodeError,
    decode_varint,
    encode_varint,
)

__all__ = [
    "DTYPE_BY_ENUM",
    "as_signed",
    "split_fixed",
    "dtype_from_enum",
    "encode_shape",
    "decode_shape",
    "encode_tensor",
    "decode_tensor",
]

DTYPE_BY_ENUM = {
    d.as_datatype_enum: d for d in vars(dtypes).values() if isinstance(d, dtypes.DType)
}


def dtype_from_enum(enum: int) -> dtypes.DType:
    """The DType of a TF ``DataType`` enum value.

    Raises:
        ValueError: a DataType tensorflux does not have.
    """
    d = DTYPE_BY_ENUM.get(enum)
    if d is None:
        raise ValueError(f"DataType {enum} is not supported by tensorflux.")
    return d


# -- TensorShapeProto, TensorProto --------------------------------------------


def encode_shape(shape) -> MessageWriter:
    """A TensorShapeProto: ``None`` (unknown rank) or dims with None for unknown sizes."""
    w = MessageWriter()
    if shape is None:
        return w.varint(3, 1)
    for d in shape:
        w.raw(
            2, MessageWriter().varint(1, -1 if d is None else int(d)) if d != 0 else MessageWriter()
        )
    return w


def decode_shape(m: Message):
    """A TensorShapeProto as a list of dims (None unknown), or None for unknown rank."""
    if m.varint(3):
        return None
    dims = []
    for dim in m.messages(2):
        size = dim.int64(1)
        dims.append(None if size < 0 else size)
    return dims


_VAL_FIELDS = {"f": (5, "<f4"), "d": (6, "<f8")}


def _as_bytes(item) -> bytes:
    return item if isinstance(item, bytes) else str(item).encode("utf-8")


def encode_tensor(array, dtype: dtypes.DType, string_content: bool = False) -> MessageWriter:
    """A TensorProto holding ``array`` (raw little-endian ``tensor_content``; strings as
    ``string_val``, or with ``string_content`` in ``tensor_content`` as TF's
    ``AsProtoTensorContent`` writes them: every length as a varint, then the bytes)."""
    array = np.asarray(array)
    w = MessageWriter().varint(1, dtype.as_datatype_enum).raw(2, encode_shape(array.shape))
    if dtype is dtypes.string:
        items = [_as_bytes(item) for item in array.reshape(-1)]
        if string_content:
            if items:
                lengths = b"".join(encode_varint(len(item)) for item in items)
                w.raw(4, lengths + b"".join(items))
            return w
        for item in items:
            w.raw(8, item)
        return w
    flat = np.ascontiguousarray(array, dtype=dtype.as_numpy_dtype).reshape(-1)
    if flat.size:
        w.raw(4, flat.astype(flat.dtype.newbyteorder("<"), copy=False).tobytes())
    return w


def decode_tensor(m: Message) -> np.ndarray:
    """A TensorProto as a NumPy array: from ``tensor_content`` or the typed ``*_val``
    fields, a single value filling the whole shape as TF does."""
    dtype = dtype_from_enum(m.varint(1))
    shape = decode_shape(m.message(2)) or []
    if dtype is dtypes.string:
        values = _string_content(m.bytes(4), shape) if m.has(4) else m.all(8)
        out = np.empty(len(values), dtype=object)
        out[:] = values
    elif m.has(4):
        np_dtype = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
        out = np.frombuffer(m.bytes(4), dtype=np_dtype).astype(dtype.as_numpy_dtype)
    else:
        out = _typed_values(m, dtype)
    size = int(np.prod(shape)) if shape else 1
    if out.size == size:
        return out.reshape(shape)
    if out.size == 1 or out.size == 0:
        fill = out.reshape(-1)[0] if out.size else np.zeros((), dtype.as_numpy_dtype)
        return np.full(shape, fill, dtype=dtype.as_numpy_dtype)
    # Fewer values than elements: TF repeats the last one.
    return np.concatenate([out, np.full(size - out.size, out[-1])]).reshape(shape)


def _string_content(data: bytes, shape) -> list:
    """The strings of a string tensor's ``tensor_content``: ``n`` varint lengths, then
    the bytes of each."""
    count = int(np.prod(shape)) if shape else 1
    lengths, pos = [], 0
    for _ in range(count):
        length, pos = decode_varint(data, pos)
        lengths.append(length)
    out = []
    for length in lengths:
        if pos + length > len(data):
            raise ProtoDecodeError("truncated string tensor_content")
        out.append(bytes(data[pos : pos + length]))
        pos += length
    return out


def _typed_values(m: Message, dtype: dtypes.DType) -> np.ndarray:
    np_dtype = dtype.as_numpy_dtype
    if dtype is dtypes.float32:
        return np.array([np.frombuffer(v, "<f4")[0] for v in split_fixed(m, 5, 4)], np_dtype)
    if dtype is dtypes.float64:
        return np.array([np.frombuffer(v, "<f8")[0] for v in split_fixed(m, 6, 8)], np_dtype)
    if dtype is dtypes.int64:
        return np.array(as_signed(m.packed_varints(10)), np_dtype)
    if dtype is dtypes.bool:
        return np.array(m.packed_varints(11), np_dtype)
    if dtype is dtypes.uint32:
        return np.array(m.packed_varints(16), np_dtype)
    if dtype is dtypes.uint64:
        return np.array(m.packed_varints(17), np_dtype)
    if dtype is dtypes.float16:
        return np.array(m.packed_varints(13), np.uint16).view(np.float16)
    return np.array(as_signed(m.packed_varints(7)), np_dtype)


def split_fixed(m: Message, field: int, width: int) -> list:
    """A repeated fixed-width field, packed or not, as one bytes object per value."""
    out = []
    for raw in m.all(field):
        out.extend(raw[i : i + width] for i in range(0, len(raw), width))
    return out


def as_signed(values) -> list:
    return [v - (1 << 64) if v >= 1 << 63 else v for v in values]
