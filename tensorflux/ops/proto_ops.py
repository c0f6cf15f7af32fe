"""``tf.io.decode_proto`` / ``tf.io.encode_proto``: fields of serialized protocol-buffer
messages as tensors, and back (ops DecodeProtoV2 and EncodeProto); and
``tf.io.decode_json_example`` (DecodeJSONExample): JSON Examples to their binary form.

The message types are those declared with ``framework.proto_message`` (``tf.train``'s
Example family and cluster messages), looked up by full name ("tensorflow.Example") as
TF's ``descriptor_source="local://"`` looks up the linked-in types. A message or map
field travels as its serialized bytes. Neither op is differentiable (TF registers no
gradient): the values are decoded or encoded, not computed.
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux.engine.registry import Spec, execute, register

# Importing the declarations registers their message types by full name.
from tensorflux.framework import cluster_proto, context, dtypes, example_proto  # noqa: F401
from tensorflux.framework.errors import DataLossError, InvalidArgumentError
from tensorflux.framework.proto_fields import decode_packed, encode_packed
from tensorflux.framework.proto_json import JsonParseError, message_from_json
from tensorflux.framework.proto_message import encode_scalar, length_delimited, message_class
from tensorflux.framework.proto_text import TextParseError, parse_text
from tensorflux.framework.proto_wire import LENGTH_DELIMITED, ProtoDecodeError, iter_fields
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = ["decode_json_example", "decode_proto", "encode_proto"]

# The tensor dtypes a field of each kind converts to and from (TF's compatibility table).
_COMPATIBLE = {
    "double": ("float64",),
    "float": ("float32", "float64"),
    "int64": ("int64",),
    "uint64": ("uint64",),
    "int32": ("int32", "int64"),
    "uint32": ("uint32", "uint64"),
    "bool": ("bool",),
    "string": ("string",),
    "bytes": ("string",),
    "message": ("string",),
}
_TF_ENUM_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}

DecodeProtoV2 = collections.namedtuple("DecodeProtoV2", ["sizes", "values"])


def _kind(field) -> str:
    return "message" if field.scalar is None or field.is_map else field.scalar.name


def _fields(op_name: str, message_type: str, field_names, descriptor_source: str) -> list:
    if descriptor_source != "local://":
        raise InvalidArgumentError(
            None,
            op_name,
            f"descriptor_source {descriptor_source!r} is not supported: the message types "
            "known here are those of tf.train, found with 'local://'.",
        )
    try:
        cls = message_class(message_type)
    except KeyError:
        raise InvalidArgumentError(
            None, op_name, f"No descriptor found for message type {message_type}"
        ) from None
    fields = []
    for name in field_names:
        field = cls._by_name.get(name)
        if field is None:
            raise InvalidArgumentError(
                None, op_name, f"Unknown field: {name} in message type {message_type}"
            )
        fields.append(field)
    return fields


def _field_values(data: bytes, fields: list) -> list:
    """The values of each of ``fields`` in one serialized message (a singular field keeps
    its last value; message, map, string and bytes fields give bytes)."""
    by_number = {field.number: i for i, field in enumerate(fields)}
    out = [[] for _ in fields]
    for number, wire_type, raw in iter_fields(data):
        i = by_number.get(number)
        if i is None or not fields[i].accepts(wire_type):
            continue
        field = fields[i]
        if _kind(field) in ("message", "string", "bytes"):
            values = [raw]
        elif wire_type == LENGTH_DELIMITED:
            values = decode_packed(field.scalar, raw)
        else:
            values = [field.scalar.decode(raw)]
        out[i] = out[i] + values if field.repeated else values[-1:]
    return out


def _text_to_binary(message_type: str, record: bytes) -> bytes:
    try:
        return parse_text(message_class(message_type), record.decode("utf-8")).SerializeToString()
    except (TextParseError, UnicodeDecodeError, TypeError, ValueError):
        raise DataLossError(None, "DecodeProtoV2", "Unable to parse text protobuf") from None


def _decode_proto_kernel(
    data,
    *,
    message_type,
    field_names,
    output_types,
    descriptor_source="local://",
    message_format="binary",
    sanitize=False,
):
    if len(field_names) != len(output_types):
        raise InvalidArgumentError(
            None,
            "DecodeProtoV2",
            "field_names and output_types attributes must have the same length",
        )
    fields = _fields("DecodeProtoV2", message_type, field_names, descriptor_source)
    for field, dtype in zip(fields, output_types):
        if dtype.name not in _COMPATIBLE[_kind(field)]:
            enum = _TF_ENUM_NAMES.get(dtype.name, dtype.name.upper())
            raise InvalidArgumentError(
                None,
                "DecodeProtoV2",
                f"Unexpected output type for {field.full_name}: {_kind(field)} to DT_{enum}",
            )
    if message_format not in ("binary", "text"):
        raise InvalidArgumentError(
            None,
            "DecodeProtoV2",
            f"message_format must be 'binary' or 'text', got {message_format!r}.",
        )
    records = np.asarray(data, dtype=object)
    flat = [bytes(record) for record in records.reshape(-1)]
    if message_format == "text":
        flat = [_text_to_binary(message_type, record) for record in flat]
    try:
        parsed = [_field_values(record, fields) for record in flat]
    except ProtoDecodeError:
        raise DataLossError(
            None, "DecodeProtoV2", "CountFields: Failed to consume entire buffer"
        ) from None
    sizes = np.array([[len(v) for v in message] for message in parsed], np.int32)
    sizes = sizes.reshape(records.shape + (len(fields),))
    outputs = [sizes]
    for i, dtype in enumerate(output_types):
        # A singular field always has one column (its default where it is unset).
        width = int(sizes[..., i].max()) if sizes.size else 0
        width = width if fields[i].repeated else 1
        if dtype is dtypes.string:
            column = np.full((len(parsed), width), b"", dtype=object)
        else:
            column = np.zeros((len(parsed), width), dtype=dtype.as_numpy_dtype)
        for row, message in enumerate(parsed):
            values = message[i]
            if dtype is dtypes.string:
                values = [v.encode("utf-8") if isinstance(v, str) else v for v in values]
            column[row, : len(values)] = values
        outputs.append(column.reshape(records.shape + (width,)))
    return tuple(outputs)


def _declared_class(message_type):
    try:
        return message_class(message_type)
    except KeyError:
        return None


def _decode_proto_infer(data: Spec, *, message_type, field_names, output_types, **attrs):
    batch = data.shape.as_list() if data.shape.rank is not None else None
    if batch is None:
        return (Spec(dtypes.int32, TensorShape(None)),) + tuple(
            Spec(dtype, TensorShape(None)) for dtype in output_types
        )
    cls = _declared_class(message_type)
    widths = [
        None if cls is None or name not in cls._by_name or cls._by_name[name].repeated else 1
        for name in field_names
    ]
    return (Spec(dtypes.int32, TensorShape(batch + [len(field_names)])),) + tuple(
        Spec(dtype, TensorShape(batch + [width])) for dtype, width in zip(output_types, widths)
    )


_DECODE_PROTO = register(
    "DecodeProtoV2",
    kernel=_decode_proto_kernel,
    grad=None,
    infer=_decode_proto_infer,
    num_outputs=-1,
    allowed=frozenset({dtypes.string}),
    dynamic_shape=True,
)


def _dtype_name(array: np.ndarray) -> str:
    return "string" if array.dtype == object else dtypes.from_numpy(array.dtype).name


def _encode_proto_kernel(sizes, *values, field_names, message_type, descriptor_source="local://"):
    fields = _fields("EncodeProto", message_type, field_names, descriptor_source)
    if len(values) != len(fields):
        raise InvalidArgumentError(
            None,
            "EncodeProto",
            f"The number of values ({len(values)}) must equal the number of field_names "
            f"({len(fields)}).",
        )
    sizes = np.asarray(sizes)
    batch = sizes.shape[:-1]
    flat_values = []
    for field, value in zip(fields, values):
        value = np.asarray(value)
        if _dtype_name(value) not in _COMPATIBLE[_kind(field)]:
            raise InvalidArgumentError(
                None,
                "EncodeProto",
                f"Incompatible type for field {field.name}.  Saw dtype: {_dtype_name(value)} "
                f"but field type is: {_kind(field)}",
            )
        if value.ndim < 2:
            raise InvalidArgumentError(
                None,
                "EncodeProto",
                f"Invalid shape for field {field.name}.  Saw shape {list(value.shape)} but it "
                "should be at least a matrix.",
            )
        if value.shape[:-1] != batch:
            raise InvalidArgumentError(
                None,
                "EncodeProto",
                f"Incompatible shapes for field {field.name}: values {list(value.shape)} and "
                f"sizes {list(sizes.shape)} must agree in all but the last dimension.",
            )
        flat_values.append(value.reshape(int(np.prod(batch)), value.shape[-1]))
    flat_sizes = sizes.reshape(int(np.prod(batch)), len(fields))
    order = sorted(range(len(fields)), key=lambda i: fields[i].number)
    out = np.empty(flat_sizes.shape[0], dtype=object)
    for m in range(flat_sizes.shape[0]):
        parts = []
        for i in order:
            count = int(flat_sizes[m, i])
            column = flat_values[i]
            if count > column.shape[1]:
                raise InvalidArgumentError(
                    None,
                    "EncodeProto",
                    "Size to write must not be larger than value tensor; but saw: "
                    f"{count} > {column.shape[1]} at message {m} field {i}",
                )
            parts.append(_encode_values(fields[i], column[m, :count].tolist()))
        out[m] = b"".join(parts)
    return out.reshape(batch)


def _encode_values(field, items: list) -> bytes:
    if not items:
        return b""
    kind = _kind(field)
    if kind in ("message", "string", "bytes"):
        return b"".join(length_delimited(field.number, bytes(item)) for item in items)
    items = [field.scalar.check(item, field) for item in items]
    if field.repeated and field.scalar.packable:
        return length_delimited(field.number, encode_packed(field.scalar, items))
    return b"".join(encode_scalar(field.number, field.scalar, item) for item in items)


def _encode_proto_infer(sizes: Spec, *values: Spec, field_names, message_type, **attrs):
    if sizes.shape.rank is None:
        return Spec(dtypes.string, TensorShape(None))
    return Spec(dtypes.string, TensorShape(sizes.shape.as_list()[:-1]))


_ENCODE_PROTO = register(
    "EncodeProto",
    kernel=_encode_proto_kernel,
    grad=None,
    infer=_encode_proto_infer,
    allowed=frozenset({dtypes.int32}),
)


def decode_proto(
    bytes,  # noqa: A002 -- TF's argument name
    message_type,
    field_names,
    output_types,
    descriptor_source="local://",
    message_format="binary",
    sanitize=False,
    name=None,
):
    """The fields ``field_names`` of serialized ``message_type`` messages as tensors.

    Args:
        bytes: a string tensor of serialized messages, any shape ``S``.
        message_type: the message's full name ("tensorflow.Example").
        field_names: the fields to read.
        output_types: one dtype per field (a message or map field reads as tf.string).
        descriptor_source: "local://" (the message types tensorflux declares).
        message_format: "binary", or "text" for messages in protobuf's text format.
        sanitize, name: unused (TF's arguments).

    Returns:
        ``(sizes, values)``: int32 ``sizes`` of shape ``S + [len(field_names)]`` (how many
        values each message holds of each field), and per field a tensor of shape
        ``S + [max size]`` padded with the field's default.

    Raises:
        tf.errors.InvalidArgumentError: an unknown message type or field, or a dtype the
            field does not convert to.
        tf.errors.DataLossError: bytes that are not a well-formed message.

    >>> import tensorflux as tf
    >>> data = tf.train.Int64List(value=[4, 5]).SerializeToString()
    >>> sizes, (values,) = tf.io.decode_proto([data], "tensorflow.Int64List", ["value"],
    ...                                       [tf.int64])
    >>> sizes.numpy().tolist(), values.numpy().tolist()
    ([[2]], [[4, 5]])
    """
    attrs = {
        "message_type": message_type,
        "field_names": list(field_names),
        "output_types": [dtypes.as_dtype(d) for d in output_types],
        "descriptor_source": descriptor_source,
        "message_format": message_format,
        "sanitize": bool(sanitize),
    }
    outputs = execute(_DECODE_PROTO, [to_tensor(bytes, dtypes.string)], attrs)
    return DecodeProtoV2(outputs[0], list(outputs[1:]))


def encode_proto(sizes, values, field_names, message_type, descriptor_source="local://", name=None):
    """Serialized ``message_type`` messages built from tensors of field values.

    Args:
        sizes: int32 tensor of shape ``S + [len(field_names)]``: how many values of each
            field to write into each message.
        values: per field, a tensor of shape ``S + [n]`` (n at least the largest size);
            a message field takes serialized messages as tf.string.
        field_names: the fields, in the order of ``values``.
        message_type: the message's full name ("tensorflow.Int64List").
        descriptor_source: "local://".
        name: unused.

    Returns:
        A string tensor of shape ``S``.

    Raises:
        tf.errors.InvalidArgumentError: an unknown message type or field, a dtype the
            field does not take, or a size larger than its values.

    >>> import tensorflux as tf
    >>> out = tf.io.encode_proto(tf.constant([[2]]), [tf.constant([[4, 5]], tf.int64)],
    ...                          ["value"], "tensorflow.Int64List")
    >>> tf.train.Int64List.FromString(out.numpy()[0])
    value: 4
    value: 5
    <BLANKLINE>
    """
    inputs = [to_tensor(sizes, dtypes.int32)] + [to_tensor(v) for v in values]
    attrs = {
        "field_names": list(field_names),
        "message_type": message_type,
        "descriptor_source": descriptor_source,
    }
    return execute(_ENCODE_PROTO, inputs, attrs)


def _decode_json_example_kernel(json_examples):
    texts = np.asarray(json_examples, dtype=object)
    out = np.empty(texts.shape, dtype=object)
    for index, text in np.ndenumerate(texts):
        text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        if not text and context.state.graph is not None:
            # Dataset.map traces with an example value of b"": not a record to parse.
            out[index] = b""
            continue
        try:
            example = message_from_json(example_proto.Example, text)
        except JsonParseError as e:
            raise InvalidArgumentError(
                None, "DecodeJSONExample", f"Error while parsing JSON: {e}"
            ) from None
        # protobuf's JSON-to-binary conversion writes repeated numbers unpacked.
        out[index] = example._serialize(deterministic=False, packed=False)
    return out


def _same_shape_string_infer(json_examples: Spec) -> Spec:
    return Spec(dtypes.string, json_examples.shape)


_DECODE_JSON_EXAMPLE = register(
    "DecodeJSONExample",
    kernel=_decode_json_example_kernel,
    grad=None,
    infer=_same_shape_string_infer,
    allowed=frozenset({dtypes.string}),
)


def decode_json_example(json_examples, name=None):
    """``tf.train.Example`` records written in protobuf's JSON mapping, as binary records
    (``tf.io.decode_json_example``).

    Args:
        json_examples: a string tensor of JSON objects, any shape.
        name: unused.

    Returns:
        A string tensor of the same shape: the serialized Examples.

    Raises:
        tf.errors.InvalidArgumentError: text that is not JSON or not an Example.

    >>> import tensorflux as tf
    >>> text = '{"features": {"feature": {"x": {"int64List": {"value": ["3"]}}}}}'
    >>> tf.io.decode_json_example(text).numpy()
    b'\\n\\x0b\\n\\t\\n\\x01x\\x12\\x04\\x1a\\x02\\x08\\x03'
    """
    return execute(_DECODE_JSON_EXAMPLE, [to_tensor(json_examples, dtypes.string)])
