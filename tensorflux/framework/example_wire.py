"""TF's ``Example`` and ``SequenceExample`` messages (``core/example/example.proto``,
``feature.proto``) on the wire codec of ``proto_wire``: decoding for the parsing ops,
and encoding from the protobuf JSON form for ``tf.io.decode_json_example``.

Field numbers: ``Example.features`` 1; ``Features.feature`` 1 (a map entry: key 1,
value 2); ``Feature`` has ``bytes_list`` 1, ``float_list`` 2, ``int64_list`` 3, each a
message whose ``value`` is field 1; ``SequenceExample`` has ``context`` 1 (Features) and
``feature_lists`` 2; ``FeatureLists.feature_list`` 1 (map entry: key 1, value 2, a
``FeatureList`` whose repeated ``feature`` is field 1).
"""

from __future__ import annotations

import base64

from tensorflux.framework.proto_wire import Message, MessageWriter, ProtoDecodeError

__all__ = [
    "BYTES",
    "FLOAT",
    "INT64",
    "decode_example",
    "decode_sequence_example",
    "encode_example_json",
]

# A feature's kind: the name TF's messages give it, and the field of its list.
BYTES, FLOAT, INT64 = "bytes", "float", "int64"
_KIND_FIELDS = {1: BYTES, 2: FLOAT, 3: INT64}


def _feature(data) -> tuple:
    """A ``Feature`` as ``(kind, values)``; ``(None, [])`` when no list is set."""
    m = Message(data)
    kind, field = None, None
    for number in (1, 2, 3):
        if m.has(number):
            kind, field = _KIND_FIELDS[number], number
    if kind is None:
        return None, []
    values = m.message(field)
    if kind == BYTES:
        return kind, [bytes(v) for v in values.all(1)]
    if kind == FLOAT:
        return kind, values.packed_floats(1)
    ints = values.packed_varints(1)
    return kind, [v - (1 << 64) if v >= 1 << 63 else v for v in ints]


def _map_entries(m: Message, field: int):
    for entry in m.messages(field):
        yield entry.string(1), entry.bytes(2)


def _features(data) -> dict:
    """A ``Features`` message as ``{key: (kind, values)}`` (a repeated key: the last)."""
    return {key: _feature(value) for key, value in _map_entries(Message(data), 1)}


def decode_example(data) -> dict:
    """An ``Example``'s features as ``{key: (kind, values)}``.

    >>> decode_example(b"\\n\\x0b\\n\\t\\n\\x01a\\x12\\x04\\x1a\\x02\\x08\\x05")
    {'a': ('int64', [5])}

    Raises:
        ProtoDecodeError: bytes that are not an Example.
    """
    return _features(Message(data).bytes(1))


def decode_sequence_example(data) -> tuple:
    """A ``SequenceExample`` as ``(context, feature_lists)``: the context features as in
    :func:`decode_example`, and ``{key: [(kind, values) per step]}``.

    Raises:
        ProtoDecodeError: bytes that are not a SequenceExample.
    """
    m = Message(data)
    context = _features(m.bytes(1))
    lists = {}
    for key, value in _map_entries(m.message(2), 1):
        lists[key] = [_feature(step) for step in Message(value).all(1)]
    return context, lists


# -- JSON -----------------------------------------------------------------------------


def _json_list(kind: str, body) -> MessageWriter:
    if not isinstance(body, dict):
        raise ProtoDecodeError(f"{kind}List must be an object")
    values = body.get("value", [])
    if not isinstance(values, list):
        raise ProtoDecodeError(f"{kind}List.value must be a list")
    w = MessageWriter()
    if kind == "bytes":
        for v in values:
            if not isinstance(v, str):
                raise ProtoDecodeError("bytesList values must be base64 strings")
            w.raw(1, base64.b64decode(v + "=" * (-len(v) % 4), altchars=b"-_"))
    # TF's JSON parser writes one key per number (unpacked), as here.
    elif kind == "float":
        for v in values:
            w.float32(1, float(v))
    else:
        for v in values:
            w.varint(1, int(v))
    return w


_JSON_KINDS = {"bytesList": (1, "bytes"), "floatList": (2, "float"), "int64List": (3, "int64")}
_JSON_NAMES = {
    "bytes_list": "bytesList",
    "float_list": "floatList",
    "int64_list": "int64List",
}


def _json_object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise ProtoDecodeError(f"{what}: expected an object")
    return value


def encode_example_json(obj) -> bytes:
    """The binary ``Example`` of its protobuf JSON form (``{"features": {"feature":
    {key: {"floatList": {"value": [...]}}}}}``; int64 values may be strings, bytes
    values are base64).

    >>> encode_example_json({"features": {"feature": {"a": {"int64List": {"value": [5]}}}}})
    b'\\n\\x0b\\n\\t\\n\\x01a\\x12\\x04\\x1a\\x02\\x08\\x05'

    Raises:
        ProtoDecodeError: a value that does not fit the Example message.
    """
    example = _json_object(obj, "Example")
    features = MessageWriter()
    for name, value in example.items():
        if name != "features":
            raise ProtoDecodeError(f"Example has no field {name!r}")
        body = _json_object(value, "features")
        for fname, fvalue in body.items():
            if fname != "feature":
                raise ProtoDecodeError(f"Features has no field {fname!r}")
            for key, feature in _json_object(fvalue, "feature").items():
                features.raw(1, MessageWriter().raw(1, key).raw(2, _json_feature(feature)))
    w = MessageWriter()
    if "features" in example:
        w.raw(1, features)
    return w.bytes()


def _json_feature(feature) -> MessageWriter:
    w = MessageWriter()
    for name, body in _json_object(feature, "Feature").items():
        name = _JSON_NAMES.get(name, name)
        if name not in _JSON_KINDS:
            raise ProtoDecodeError(f"Feature has no field {name!r}")
        field, kind = _JSON_KINDS[name]
        w.raw(field, _json_list(kind, body))
    return w
