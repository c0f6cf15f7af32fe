"""``tf.make_tensor_proto``, ``tf.make_ndarray`` and ``tf.get_static_value``.

``TensorProto`` is TF's ``core/framework/tensor.proto`` message as a small Python object:
the same fields (``dtype`` as the DataType enum, ``tensor_shape.dim[i].size``,
``tensor_content`` and the typed ``*_val`` lists), the same choice between raw content
and typed values as TF's ``make_tensor_proto``, the protobuf wire bytes
(``SerializeToString``) and the protobuf text format (``str``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes

__all__ = ["TensorProto", "make_tensor_proto", "make_ndarray", "get_static_value"]

# TF's DataType names (``types.proto``), by tensorflux dtype name.
_ENUM_NAMES = {
    "float32": "DT_FLOAT",
    "float64": "DT_DOUBLE",
    "float16": "DT_HALF",
    "bfloat16": "DT_BFLOAT16",
    "int8": "DT_INT8",
    "int16": "DT_INT16",
    "int32": "DT_INT32",
    "int64": "DT_INT64",
    "uint8": "DT_UINT8",
    "uint16": "DT_UINT16",
    "uint32": "DT_UINT32",
    "uint64": "DT_UINT64",
    "bool": "DT_BOOL",
    "string": "DT_STRING",
    "complex64": "DT_COMPLEX64",
    "complex128": "DT_COMPLEX128",
}
# Dtypes whose values of more than one element go to ``tensor_content`` (as in TF).
_CONTENT_TYPES = frozenset(
    ["float16", "float32", "float64", "int32", "uint8", "int16", "int8", "int64"]
    + ["uint32", "uint64"]
)
# field number and name of the typed values of each dtype.
_VAL_FIELDS = {
    "float32": (5, "float_val"),
    "float64": (6, "double_val"),
    "int8": (7, "int_val"),
    "int16": (7, "int_val"),
    "int32": (7, "int_val"),
    "uint8": (7, "int_val"),
    "uint16": (7, "int_val"),
    "string": (8, "string_val"),
    "complex64": (9, "scomplex_val"),
    "int64": (10, "int64_val"),
    "bool": (11, "bool_val"),
    "complex128": (12, "dcomplex_val"),
    "float16": (13, "half_val"),
    "bfloat16": (13, "half_val"),
    "uint32": (16, "uint32_val"),
    "uint64": (17, "uint64_val"),
}
_FIELD_ORDER = sorted(set(_VAL_FIELDS.values()))


class _Dim:
    __slots__ = ("size", "name")

    def __init__(self, size: int, name: str = ""):
        self.size = size
        self.name = name

    def __repr__(self):
        return f"dim {{ size: {self.size} }}"


class TensorShapeProto:
    """TF's ``TensorShapeProto``: ``dim`` (each with ``size``) and ``unknown_rank``."""

    def __init__(self, dims=(), unknown_rank: bool = False):
        self.dim = [_Dim(-1 if d is None else int(d)) for d in dims]
        self.unknown_rank = unknown_rank

    def _text(self, indent: str) -> str:
        lines = []
        if self.unknown_rank:
            lines.append(f"{indent}unknown_rank: true")
        for d in self.dim:
            lines.append(f"{indent}dim {{")
            if d.size:
                lines.append(f"{indent}  size: {d.size}")
            lines.append(f"{indent}}}")
        return "".join(line + "\n" for line in lines)

    def __str__(self):
        return self._text("")

    def _writer(self):
        from tensorflux.framework.proto_wire import MessageWriter

        w = MessageWriter()
        for d in self.dim:
            w.raw(2, MessageWriter().varint(1, d.size) if d.size else MessageWriter())
        if self.unknown_rank:
            w.varint(3, 1)
        return w


class TensorProto:
    """A tensor as TF's ``TensorProto`` message (see the module docstring).

    >>> import tensorflux as tf
    >>> p = tf.make_tensor_proto([1.0, 2.0])
    >>> p.dtype, p.tensor_shape.dim[0].size, p.tensor_content
    (1, 2, b'\\x00\\x00\\x80?\\x00\\x00\\x00@')
    """

    def __init__(self, dtype: int = 0, tensor_shape: TensorShapeProto | None = None):
        self.dtype = dtype
        self.tensor_shape = tensor_shape if tensor_shape is not None else TensorShapeProto()
        self.version_number = 0
        self.tensor_content = b""
        for _, name in _FIELD_ORDER:
            setattr(self, name, [])

    def _dtype(self) -> dtypes.DType:
        for d in vars(dtypes).values():
            if isinstance(d, dtypes.DType) and d.as_datatype_enum == self.dtype:
                return d
        raise ValueError(f"DataType {self.dtype} is not supported by tensorflux.")

    def SerializeToString(self) -> bytes:  # noqa: N802 - protobuf's method name
        """The message's protobuf wire encoding (TF's field numbers)."""
        from tensorflux.framework.proto_wire import MessageWriter

        w = MessageWriter()
        if self.dtype:
            w.varint(1, self.dtype)
        w.raw(2, self.tensor_shape._writer())
        if self.tensor_content:
            w.raw(4, self.tensor_content)
        for field, name in _FIELD_ORDER:
            values = getattr(self, name)
            if not values:
                continue
            if name == "string_val":
                for v in values:
                    w.raw(field, v)
            elif name in ("float_val", "scomplex_val"):
                w.raw(field, np.asarray(values, "<f4").tobytes())
            elif name in ("double_val", "dcomplex_val"):
                w.raw(field, np.asarray(values, "<f8").tobytes())
            else:
                w.packed_varints(field, [int(v) for v in values])
        return w.bytes()

    def __eq__(self, other):
        return isinstance(other, TensorProto) and (
            self.SerializeToString() == other.SerializeToString()
        )

    def __hash__(self):
        return hash(self.SerializeToString())

    def __str__(self):
        d = self._dtype()
        text = f"dtype: {_ENUM_NAMES[d.name]}\ntensor_shape {{\n"
        text += self.tensor_shape._text("  ") + "}\n"
        if self.tensor_content:
            text += f'tensor_content: "{_c_escape(self.tensor_content)}"\n'
        for _, name in _FIELD_ORDER:
            for v in getattr(self, name):
                text += f"{name}: {_text_value(name, v)}\n"
        return text

    __repr__ = __str__


def _c_escape(data: bytes) -> str:
    """Bytes as protobuf's text format writes them (C escapes, octal for the rest)."""
    out = []
    special = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x27: "\\'", 0x5C: "\\\\"}
    for b in data:
        if b in special:
            out.append(special[b])
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return "".join(out)


def _float_text(v: float, single: bool) -> str:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    short, full = ("%.6g", "%.9g") if single else ("%.15g", "%.17g")
    text = short % v
    cast = np.float32 if single else float
    return text if cast(float(text)) == cast(v) else full % v


def _text_value(name: str, v) -> str:
    if name == "string_val":
        return f'"{_c_escape(v)}"'
    if name == "bool_val":
        return "true" if v else "false"
    if name in ("float_val", "scomplex_val"):
        return _float_text(float(v), True)
    if name in ("double_val", "dcomplex_val"):
        return _float_text(float(v), False)
    return str(int(v))


def _as_array(values, dtype: dtypes.DType | None):
    from tensorflux.framework.tensor import Tensor, convert_to_tensor

    if isinstance(values, Tensor):
        if values.dtype is dtypes.string or values._value.dtype == object:
            return values._value, values.dtype
        return np.asarray(values._value), values.dtype
    if isinstance(values, np.ndarray) and values.dtype.kind not in "OUS":
        array = values if dtype is None else _checked_cast(values, dtype)
        return array, dtype or dtypes.from_numpy(array.dtype)
    if dtype is not None and (dtype.is_integer or dtype.is_bool):
        for v in np.asarray(values, dtype=object).reshape(-1):
            if isinstance(v, float):
                raise TypeError(f"Expected {dtype.name}, but got {v} of type 'float'.")
    t = convert_to_tensor(values, dtype=dtype)
    return t._value, t.dtype


def _checked_cast(array: np.ndarray, dtype: dtypes.DType) -> np.ndarray:
    if dtypes.from_numpy(array.dtype) is not dtype:
        raise TypeError(f"`dtype` {dtype} is not compatible with {array} of dtype {array.dtype}.")
    return array


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """``values`` as a ``TensorProto``: numeric tensors of more than one element as raw
    ``tensor_content``, scalars, booleans, strings and values shorter than ``shape`` as
    the typed ``*_val`` fields, as TF writes them.

    Args:
        values: a tensor, NumPy array, or Python value.
        dtype: the tensor's dtype (default: inferred, Python floats as float32).
        shape: the tensor's shape; ``values`` may have fewer elements (the last one is
            repeated when the proto is read back).
        verify_shape: ``values`` must have exactly ``shape``.
        allow_broadcast: a single value may fill ``shape``; more must match its size.

    Returns:
        A ``TensorProto``.

    Raises:
        TypeError: ``values`` not of ``dtype``, or not of ``shape`` when checked.
        ValueError: more values than ``shape`` holds.

    >>> import tensorflux as tf
    >>> print(tf.make_tensor_proto(1.5))
    dtype: DT_FLOAT
    tensor_shape {
    }
    float_val: 1.5
    <BLANKLINE>
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    array, out_dtype = _as_array(values, dtype)
    if shape is None:
        shape, same_size, size = list(array.shape), True, array.size
    else:
        shape = [int(d) for d in shape]
        size = int(np.prod(shape, dtype=np.int64))
        same_size = size == array.size
        if allow_broadcast:
            if array.shape not in ((1,), ()) and array.size != size:
                raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, but got {array.shape}.")
        else:
            if verify_shape and array.shape != tuple(shape):
                raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, but got {array.shape}.")
            if array.size > size:
                raise ValueError(
                    f"Too many elements provided. Takes at most {size:d}, but got {array.size:d}."
                )
    proto = TensorProto(out_dtype.as_datatype_enum, TensorShapeProto(shape))
    if same_size and out_dtype.name in _CONTENT_TYPES and size > 1:
        flat = np.ascontiguousarray(array, out_dtype.as_numpy_dtype).reshape(-1)
        proto.tensor_content = flat.astype(flat.dtype.newbyteorder("<"), copy=False).tobytes()
        return proto
    field = _VAL_FIELDS.get(out_dtype.name)
    if field is None:
        raise TypeError(f"Element type not supported in TensorProto: {out_dtype.name}.")
    flat = array.reshape(-1)
    name = field[1]
    if name == "string_val":
        values_out = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in flat]
    elif name == "half_val":
        values_out = flat.astype(out_dtype.as_numpy_dtype).view(np.uint16).tolist()
    elif name in ("scomplex_val", "dcomplex_val"):
        values_out = [p for v in flat.tolist() for p in (v.real, v.imag)]
    else:
        values_out = flat.tolist()
    getattr(proto, name).extend(values_out)
    return proto


def make_ndarray(tensor) -> np.ndarray:
    """The NumPy array a ``TensorProto`` holds (a single typed value fills its shape).

    Raises:
        TypeError: a value that is not a TensorProto.

    >>> import tensorflux as tf
    >>> tf.make_ndarray(tf.make_tensor_proto([[1, 2], [3, 4]]))
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    if isinstance(tensor, (bytes, bytearray)):
        tensor = _parse(bytes(tensor))
    if not isinstance(tensor, TensorProto):
        raise TypeError(f"make_ndarray expects a TensorProto; got {type(tensor).__name__}.")
    shape = [d.size for d in tensor.tensor_shape.dim]
    size = int(np.prod(shape, dtype=np.int64))
    d = tensor._dtype()
    np_dtype = d.as_numpy_dtype
    if tensor.tensor_content:
        raw = np.frombuffer(tensor.tensor_content, np.dtype(np_dtype).newbyteorder("<"))
        return raw.astype(np_dtype).reshape(shape)
    if d is dtypes.string:
        out = np.empty(len(tensor.string_val), dtype=object)
        out[:] = list(tensor.string_val)
    else:
        name = _VAL_FIELDS[d.name][1]
        values = getattr(tensor, name)
        if name == "half_val":
            out = np.asarray(values, np.uint16).view(np_dtype)
        elif name in ("scomplex_val", "dcomplex_val"):
            pairs = np.asarray(values, np.float64).reshape(-1, 2)
            out = (pairs[:, 0] + 1j * pairs[:, 1]).astype(np_dtype)
        else:
            out = np.asarray(values, np_dtype)
    if out.size == 1 and size != 1:
        return np.full(shape, out.reshape(-1)[0], np_dtype if d is not dtypes.string else object)
    if out.size == 0:
        return np.zeros(shape, np_dtype)
    return out.reshape(shape)


def _parse(data: bytes) -> TensorProto:
    """A TensorProto from its wire bytes (the fields ``make_tensor_proto`` writes)."""
    from tensorflux.framework.proto_wire import Message

    m = Message(data)
    shape_msg = m.message(2)
    dims = [dim.int64(1) for dim in shape_msg.messages(2)]
    proto = TensorProto(m.varint(1), TensorShapeProto(dims, bool(shape_msg.varint(3))))
    proto.tensor_content = m.bytes(4)
    for field, name in _FIELD_ORDER:
        if name == "string_val":
            proto.string_val = list(m.all(field))
        elif name in ("float_val", "scomplex_val"):
            proto.__dict__[name] = [float(v) for v in _floats(m, field, "<f4")]
        elif name in ("double_val", "dcomplex_val"):
            proto.__dict__[name] = [float(v) for v in _floats(m, field, "<f8")]
        elif m.has(field):
            proto.__dict__[name] = m.packed_varints(field)
    return proto


def _floats(m, field: int, fmt: str) -> np.ndarray:
    if not m.has(field):
        return np.zeros(0)
    return np.concatenate([np.frombuffer(b, fmt) for b in m.all(field) if isinstance(b, bytes)])


def get_static_value(tensor, partial=False):
    """The value of ``tensor`` known without running a graph, as a NumPy array; None
    when only the running graph knows it. Non-tensors are returned as they are.

    Args:
        tensor: a tensor (eager or traced) or any value.
        partial: for a traced shape tensor of which some sizes are unknown, an object
            array with None for them (instead of None).

    Returns:
        A NumPy array, the value itself for non-tensors, or None.

    >>> import tensorflux as tf
    >>> tf.get_static_value(tf.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    from tensorflux.framework.tensor import SymbolicTensor, Tensor

    if type(tensor) is SymbolicTensor:
        known = tensor._graph.shape_values.get(tensor._slot)
        if known is None:
            return None
        if isinstance(known, int):
            return np.asarray(known, tensor.dtype.as_numpy_dtype)
        if any(d is None for d in known):
            return np.array(known, dtype=object) if partial else None
        return np.asarray(known, tensor.dtype.as_numpy_dtype)
    if isinstance(tensor, Tensor):
        return np.asarray(tensor._value) if tensor.dtype is not dtypes.string else tensor._value
    if hasattr(tensor, "value") and hasattr(tensor, "assign"):
        return None  # a variable: its value can change
    return tensor
