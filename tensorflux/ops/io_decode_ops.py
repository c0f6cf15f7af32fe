"""Byte-level decoding ops of ``tf.io``: EncodeBase64/DecodeBase64 (web-safe alphabet),
DecodeCompressed (ZLIB, GZIP or none), DecodeRaw/DecodePaddedRaw (bytes reinterpreted
as numbers) and SerializeTensor/ParseTensor (a tensor as TensorProto bytes).

None of these ops is differentiable (TF registers no gradient for them either). Their
kernels loop over string elements in Python. While ``tf.function`` or ``Dataset.map``
traces, the kernels see example strings (``b""``), not data: a value that would fail
then gives an empty result instead, and the traced graph raises on the real bytes.
"""

from __future__ import annotations

import base64
import re
import zlib

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import DataLossError, InvalidArgumentError, UnimplementedError
from tensorflux.framework.proto_wire import Message, ProtoDecodeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.tensor_proto import decode_tensor, dtype_from_enum, encode_tensor
from tensorflux.ops.common import to_tensor

__all__ = [
    "encode_base64",
    "decode_base64",
    "decode_compressed",
    "decode_raw",
    "serialize_tensor",
    "parse_tensor",
    "string_input",
]

_STRING = frozenset({dtypes.string})
_WEB_SAFE = re.compile(rb"[A-Za-z0-9_\-]*={0,2}")
# TF's names of the DecodeRaw out_type dtypes, in its op definition's order.
_RAW_TYPES = (
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.uint16,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.int64,
    dtypes.complex64,
    dtypes.complex128,
    dtypes.bool,
    dtypes.bfloat16,
)
_TF_NAMES = {dtypes.float16: "half", dtypes.float32: "float", dtypes.float64: "double"}


def _tracing() -> bool:
    return context.state.graph is not None


def _tf_name(dtype: dtypes.DType) -> str:
    return _TF_NAMES.get(dtype, dtype.name)


def string_input(x, op_name: str, index: int = 0) -> Tensor:
    """``x`` as a string tensor; a tensor of another dtype raises TF's eager error."""
    t = x if isinstance(x, Tensor) else to_tensor(x, dtypes.string)
    if t.dtype is not dtypes.string:
        raise InvalidArgumentError(
            None,
            op_name,
            f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a "
            f"string tensor but is a {_tf_name(t.dtype)} tensor",
        )
    return t


def _map_strings(fn, x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(x.flat):
        flat[i] = fn(v)
    return out


def _same_shape_string_infer(x: Spec, **attrs) -> Spec:
    return Spec(dtypes.string, x.shape)


# -- EncodeBase64 / DecodeBase64 --------------------------------------------------------


def _encode_base64_kernel(input, pad):
    def one(v):
        data = base64.urlsafe_b64encode(bytes(v))
        return data if pad else data.rstrip(b"=")

    return _map_strings(one, np.asarray(input, dtype=object))


_ENCODE_BASE64 = register(
    "EncodeBase64",
    kernel=_encode_base64_kernel,
    grad=None,
    infer=_same_shape_string_infer,
    allowed=_STRING,
)


def _decode_one_base64(v: bytes) -> bytes:
    v = bytes(v)
    if len(v.rstrip(b"=")) % 4 == 1:
        raise InvalidArgumentError(
            None, "DecodeBase64", "Base64 string length cannot be 1 modulo 4."
        )
    if _WEB_SAFE.fullmatch(v) is None:
        raise InvalidArgumentError(None, "DecodeBase64", "Invalid character found in base64.")
    body = v.rstrip(b"=")
    return base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))


def _decode_base64_kernel(input):
    def one(v):
        try:
            return _decode_one_base64(v)
        except InvalidArgumentError:
            if _tracing():
                return b""
            raise

    return _map_strings(one, np.asarray(input, dtype=object))


_DECODE_BASE64 = register(
    "DecodeBase64",
    kernel=_decode_base64_kernel,
    grad=None,
    infer=_same_shape_string_infer,
    allowed=_STRING,
)


def encode_base64(input, pad=False, name=None) -> Tensor:
    """Each string in web-safe base64 (``-`` and ``_`` for ``+`` and ``/``).

    Args:
        input: a string tensor.
        pad: whether to end each result with ``=`` padding.

    Returns:
        A string tensor of ``input``'s shape.

    >>> from tensorflux.ops.io_decode_ops import encode_base64
    >>> encode_base64(b"hello?>").numpy()
    b'aGVsbG8_Pg'
    """
    return execute(_ENCODE_BASE64, (string_input(input, "EncodeBase64"),), {"pad": bool(pad)})


def decode_base64(input, name=None) -> Tensor:
    """Each web-safe base64 string decoded; ``=`` padding is optional.

    >>> from tensorflux.ops.io_decode_ops import decode_base64
    >>> decode_base64(b"aGVsbG8_Pg").numpy()
    b'hello?>'

    Raises:
        InvalidArgumentError: a length of 1 modulo 4, or a character outside the
            web-safe alphabet (``+`` and ``/`` included).
    """
    return execute(_DECODE_BASE64, (string_input(input, "DecodeBase64"),), {})


# -- DecodeCompressed -------------------------------------------------------------------

_WBITS = {"ZLIB": 15, "GZIP": 31}


def _inflate(data: bytes, wbits: int) -> bytes:
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data) + decoder.flush()
    except zlib.error as e:
        match = re.match(r"Error (-?\d+) while \w+ data: (.*)", str(e))
        code, why = match.groups() if match else ("-3", str(e))
        raise DataLossError(
            None, "DecodeCompressed", f"inflate() failed with error {code}: {why}"
        ) from None
    if not decoder.eof:
        raise DataLossError(
            None, "DecodeCompressed", "inflate() failed with error -5: unexpected end of data"
        )
    return out


def _decode_compressed_kernel(bytes, compression_type):
    if compression_type == "ZSTD":
        raise UnimplementedError(
            None,
            "DecodeCompressed",
            "ZSTD compression is not available in tensorflux; use ZLIB, GZIP or NONE",
        )
    if compression_type not in ("", "NONE", "ZLIB", "GZIP"):
        raise InvalidArgumentError(
            None, "DecodeCompressed", "Only ZLIB, ZSTD, GZIP or NONE are supported compressions"
        )
    wbits = _WBITS.get(compression_type)

    def one(v):
        if wbits is None:
            return v
        try:
            return _inflate(v, wbits)
        except DataLossError:
            if _tracing():
                return b""
            raise

    return _map_strings(one, np.asarray(bytes, dtype=object))


_DECODE_COMPRESSED = register(
    "DecodeCompressed",
    kernel=_decode_compressed_kernel,
    grad=None,
    infer=_same_shape_string_infer,
    allowed=_STRING,
)


def decode_compressed(bytes, compression_type="", name=None) -> Tensor:
    """Each string decompressed: ``"ZLIB"``, ``"GZIP"``, or ``""`` (unchanged).

    >>> import zlib
    >>> from tensorflux.ops.io_decode_ops import decode_compressed
    >>> decode_compressed(zlib.compress(b"abc"), "ZLIB").numpy()
    b'abc'

    Raises:
        InvalidArgumentError: an unknown compression_type.
        DataLossError: data that does not inflate (zlib's reason in the message).
    """
    return execute(
        _DECODE_COMPRESSED,
        (string_input(bytes, "DecodeCompressed"),),
        {"compression_type": str(compression_type)},
    )


# -- DecodeRaw / DecodePaddedRaw --------------------------------------------------------


def _raw_dtype(op_name: str, out_type) -> dtypes.DType:
    dtype = dtypes.as_dtype(out_type)
    if dtype not in _RAW_TYPES:
        allowed = ", ".join(_tf_name(d) for d in _RAW_TYPES)
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'out_type' of {_tf_name(dtype)} is not in the list of allowed "
            f"values: {allowed}",
        )
    return dtype


def _np_type(dtype: dtypes.DType, little_endian: bool) -> np.dtype:
    np_type = np.dtype(dtype.as_numpy_dtype)
    return np_type.newbyteorder("<" if little_endian else ">")


def _decode_raw_kernel(bytes, out_type, little_endian):
    data = np.asarray(bytes, dtype=object)
    np_type = _np_type(out_type, little_endian)
    width = np_type.itemsize
    flat = [b if isinstance(b, (type(b""), bytearray)) else b"" for b in data.reshape(-1)]
    size = len(flat[0]) if flat else 0
    for i, b in enumerate(flat):
        if len(b) != size:
            if _tracing():
                flat[i] = b"\0" * size
                continue
            raise InvalidArgumentError(
                None,
                "DecodeRaw",
                f"DecodeRaw requires input strings to all be the same size, but element {i} "
                f"has size {size} != {len(b)}",
            )
    if size % width:
        if not _tracing():
            raise InvalidArgumentError(
                None,
                "DecodeRaw",
                f"Input to DecodeRaw has length {size} that is not a multiple of {width}, "
                f"the size of {_tf_name(out_type)}",
            )
        size = 0
        flat = [b""] * len(flat)
    out = np.frombuffer(b"".join(flat), dtype=np_type).astype(np_type.newbyteorder("="))
    return out.astype(out_type.as_numpy_dtype).reshape(data.shape + (size // width,))


def _decode_raw_infer(bytes: Spec, out_type, little_endian) -> Spec:
    return Spec(out_type, bytes.shape.concatenate([None]))


_DECODE_RAW = register(
    "DecodeRaw",
    kernel=_decode_raw_kernel,
    grad=None,
    infer=_decode_raw_infer,
    allowed=_STRING,
    dynamic_shape=True,
)


def _decode_padded_raw_kernel(input_bytes, fixed_length, out_type, little_endian):
    np_type = _np_type(out_type, little_endian)
    length = int(fixed_length)
    if length % np_type.itemsize:
        raise InvalidArgumentError(
            None,
            "DecodePaddedRaw",
            f"fixed_length ({length}) must be a multiple of the size of out_type "
            f"({np_type.itemsize})",
        )
    data = np.asarray(input_bytes, dtype=object)
    padded = b"".join(bytes(b)[:length].ljust(length, b"\0") for b in data.reshape(-1))
    out = np.frombuffer(padded, dtype=np_type).astype(np_type.newbyteorder("="))
    return out.astype(out_type.as_numpy_dtype).reshape(data.shape + (length // np_type.itemsize,))


def _decode_padded_raw_infer(input_bytes: Spec, fixed_length: Spec, out_type, little_endian):
    width = np.dtype(out_type.as_numpy_dtype).itemsize
    n = fixed_length.value // width if isinstance(fixed_length.value, int) else None
    return Spec(out_type, input_bytes.shape.concatenate([n]))


_DECODE_PADDED_RAW = register(
    "DecodePaddedRaw",
    kernel=_decode_padded_raw_kernel,
    grad=None,
    infer=_decode_padded_raw_infer,
    allowed=_STRING,
    shape_inputs=(1,),
)


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """Each string's bytes reinterpreted as a vector of ``out_type`` numbers.

    Args:
        input_bytes: a string tensor; without ``fixed_length`` all its strings must have
            one length, a multiple of ``out_type``'s size.
        out_type: the number dtype (not string).
        little_endian: the byte order of the data.
        fixed_length: read each string as this many bytes, cut or zero-padded.

    Returns:
        A tensor of shape ``input_bytes.shape + [n]``.

    >>> from tensorflux.ops.io_decode_ops import decode_raw
    >>> from tensorflux.framework import dtypes
    >>> decode_raw(b"\\x01\\x02\\x03\\x04", dtypes.int16).numpy()
    array([ 513, 1027], dtype=int16)

    Raises:
        InvalidArgumentError: strings of different lengths, a length that is not a
            multiple of the type's size, or an unsupported out_type.
    """
    if fixed_length is None:
        dtype = _raw_dtype("DecodeRaw", out_type)
        return execute(
            _DECODE_RAW,
            (string_input(input_bytes, "DecodeRaw"),),
            {"out_type": dtype, "little_endian": bool(little_endian)},
        )
    dtype = _raw_dtype("DecodePaddedRaw", out_type)
    return execute(
        _DECODE_PADDED_RAW,
        (string_input(input_bytes, "DecodePaddedRaw"), to_tensor(fixed_length, dtypes.int32)),
        {"out_type": dtype, "little_endian": bool(little_endian)},
    )


# -- SerializeTensor / ParseTensor ------------------------------------------------------


def _serialize_tensor_kernel(tensor, T):
    return np.asarray(encode_tensor(np.asarray(tensor), T).bytes(), dtype=object)


def _scalar_string_infer(tensor: Spec, **attrs) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


_SERIALIZE_TENSOR = register(
    "SerializeTensor",
    kernel=_serialize_tensor_kernel,
    grad=None,
    infer=_scalar_string_infer,
)


def _parse_tensor_kernel(serialized, out_type):
    data = np.asarray(serialized, dtype=object)
    if data.ndim != 0:
        raise InvalidArgumentError(
            None,
            "ParseTensor",
            f"Expected `serialized` to be a scalar, got shape: {list(data.shape)}",
        )
    raw = bytes(data.item())
    if _tracing() and not raw:
        return np.zeros((), out_type.as_numpy_dtype)
    try:
        message = Message(raw)
        parsed = message.varint(1)
        array = decode_tensor(message)
    except (ProtoDecodeError, ValueError):
        raise InvalidArgumentError(
            None,
            "ParseTensor",
            "Could not parse `serialized` as TensorProto, base64: "
            + base64.b64encode(raw).decode(),
        ) from None
    if parsed != out_type.as_datatype_enum:
        raise InvalidArgumentError(
            None,
            "ParseTensor",
            f"Type mismatch between parsed tensor ({_tf_name(dtype_from_enum(parsed))}) "
            f"and dtype ({_tf_name(out_type)})",
        )
    return np.asarray(array, dtype=out_type.as_numpy_dtype)


def _parse_tensor_infer(serialized: Spec, out_type) -> Spec:
    return Spec(out_type, TensorShape(None))


_PARSE_TENSOR = register(
    "ParseTensor",
    kernel=_parse_tensor_kernel,
    grad=None,
    infer=_parse_tensor_infer,
    allowed=_STRING,
    dynamic_shape=True,
)


def serialize_tensor(tensor, name=None) -> Tensor:
    """``tensor`` as the bytes of a TensorProto (numbers in ``tensor_content``, strings
    as ``string_val``), byte for byte as TF writes them.

    >>> from tensorflux.ops.io_decode_ops import serialize_tensor
    >>> serialize_tensor(1.5).numpy()
    b'\\x08\\x01\\x12\\x00"\\x04\\x00\\x00\\xc0?'
    """
    t = tensor if isinstance(tensor, Tensor) else to_tensor(tensor)
    return execute(_SERIALIZE_TENSOR, (t,), {"T": t.dtype})


def parse_tensor(serialized, out_type, name=None) -> Tensor:
    """The tensor held by serialized TensorProto bytes.

    Args:
        serialized: a scalar string tensor.
        out_type: the dtype the proto must hold.

    >>> from tensorflux.ops.io_decode_ops import parse_tensor, serialize_tensor
    >>> from tensorflux.framework import dtypes
    >>> parse_tensor(serialize_tensor([1.0, 2.0]), dtypes.float32).numpy()
    array([1., 2.], dtype=float32)

    Raises:
        InvalidArgumentError: non-scalar input, bytes that are no TensorProto, or a
            dtype other than ``out_type``.
    """
    return execute(
        _PARSE_TENSOR,
        (string_input(serialized, "ParseTensor"),),
        {"out_type": dtypes.as_dtype(out_type)},
    )
