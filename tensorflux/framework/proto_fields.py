"""The field table of a protocol-buffer message class: one :class:`Field` per declared
field, and the scalar kinds (how a Python value is checked, written, read and printed).

Values are checked as protobuf's Python API checks them, with its error types: an
``int64`` field takes integers (not bools, not floats), a ``float`` field keeps the
value rounded to float32, a ``bytes`` field takes only bytes, a ``string`` field takes
str (or UTF-8 bytes).
"""

from __future__ import annotations

import math
import operator
import struct

from tensorflux.framework.proto_wire import (
    FIXED32,
    FIXED64,
    LENGTH_DELIMITED,
    VARINT,
    ProtoDecodeError,
    decode_varint,
    encode_varint,
)

__all__ = ["Field", "SCALAR_KINDS"]


class _Kind:
    """How values of one scalar type are checked, encoded, decoded and printed."""

    def __init__(self, name, wire_type, default, packable=True):
        self.name = name
        self.wire_type = wire_type
        self.default = default
        self.packable = packable

    def check(self, value, field):
        return value

    def encode(self, value) -> bytes:
        """The payload after the key (for length-delimited kinds, without the length)."""
        raise NotImplementedError

    def decode(self, raw):
        return raw

    def text(self, value) -> str:
        return str(value)


class _Integer(_Kind):
    def __init__(self, name, bits, signed):
        super().__init__(name, VARINT, 0)
        self.bits = bits
        self.signed = signed
        self.low = -(1 << bits - 1) if signed else 0
        self.high = (1 << bits - 1) - 1 if signed else (1 << bits) - 1

    def check(self, value, field):
        if isinstance(value, bool):
            raise TypeError(f"Field {field.full_name}: Expected an int, got a boolean.")
        value = operator.index(value)
        if not self.low <= value <= self.high:
            raise ValueError(f"Value out of range: {value}")
        return value

    def encode(self, value) -> bytes:
        return encode_varint(value)

    def decode(self, raw):
        # protobuf reads an over-wide varint by truncating it to the field's width.
        raw &= (1 << self.bits) - 1
        if self.signed and raw >> self.bits - 1:
            raw -= 1 << self.bits
        return raw


class _Bool(_Kind):
    def __init__(self):
        super().__init__("bool", VARINT, False)

    def check(self, value, field):
        if not isinstance(value, bool):
            value = operator.index(value) != 0
        return value

    def encode(self, value) -> bytes:
        return b"\x01" if value else b"\x00"

    def decode(self, raw):
        return raw != 0

    def text(self, value) -> str:
        return "true" if value else "false"


def _real(value) -> float:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
        raise TypeError(f"must be real number, not {type(value).__name__}")
    return float(value)


class _Float(_Kind):
    def __init__(self):
        super().__init__("float", FIXED32, 0.0)

    def check(self, value, field):
        value = _real(value)
        try:
            return struct.unpack("<f", struct.pack("<f", value))[0]
        except OverflowError:
            return math.copysign(math.inf, value)

    def encode(self, value) -> bytes:
        return struct.pack("<f", value)

    def decode(self, raw):
        return struct.unpack("<f", raw)[0]

    def text(self, value) -> str:
        return _shortest(value, 6, lambda text: self.check(float(text), None))


class _Double(_Kind):
    def __init__(self):
        super().__init__("double", FIXED64, 0.0)

    def check(self, value, field):
        return _real(value)

    def encode(self, value) -> bytes:
        return struct.pack("<d", value)

    def decode(self, raw):
        return struct.unpack("<d", raw)[0]

    def text(self, value) -> str:
        return _shortest(value, 15, float)


def _shortest(value: float, digits: int, reparse) -> str:
    """protobuf's text for a float: ``%g`` with the type's guaranteed digits, or three more
    when that does not read back as the same value."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = "%.*g" % (digits, value)
    if reparse(text) != value:
        text = "%.*g" % (digits + 3, value)
    return text


def _escape(text) -> str:
    """C-style escapes as protobuf's text format writes them: a bytes field escapes every
    byte outside printable ASCII (octal), a string field keeps its non-ASCII text."""
    out = []
    for item in text:
        char = chr(item) if isinstance(item, int) else item
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif " " <= char < "\x7f" or (char > "\x7f" and isinstance(text, str)):
            out.append(char)
        else:
            out.append("\\%03o" % ord(char))
    return '"' + "".join(out) + '"'


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "'": "\\'", "\\": "\\\\"}


class _String(_Kind):
    def __init__(self):
        super().__init__("string", LENGTH_DELIMITED, "", packable=False)

    def check(self, value, field):
        if isinstance(value, bytes):
            return value.decode("utf-8")
        if not isinstance(value, str):
            raise TypeError(
                f"Field {field.full_name}: expected str (or UTF-8 bytes), "
                f"got {type(value).__name__}."
            )
        return str(value)

    def encode(self, value) -> bytes:
        return value.encode("utf-8")

    def decode(self, raw):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtoDecodeError("string field holds invalid UTF-8") from None

    def text(self, value) -> str:
        return _escape(value)


class _Bytes(_Kind):
    def __init__(self):
        super().__init__("bytes", LENGTH_DELIMITED, b"", packable=False)

    def check(self, value, field):
        if not isinstance(value, bytes):
            raise TypeError(f"expected bytes, {type(value).__name__} found")
        return bytes(value)

    def encode(self, value) -> bytes:
        return value

    def text(self, value) -> str:
        return _escape(value)


SCALAR_KINDS = {
    kind.name: kind
    for kind in (
        _Integer("int32", 32, True),
        _Integer("int64", 64, True),
        _Integer("uint32", 32, False),
        _Integer("uint64", 64, False),
        _Bool(),
        _Float(),
        _Double(),
        _String(),
        _Bytes(),
    )
}


def decode_packed(kind: _Kind, payload: bytes) -> list:
    """The values of a packed repeated field's payload."""
    if kind.wire_type in (FIXED32, FIXED64):
        width = 4 if kind.wire_type == FIXED32 else 8
        if len(payload) % width:
            raise ProtoDecodeError("truncated packed field")
        code = "<%d%s" % (len(payload) // width, "f" if kind.name == "float" else "d")
        return list(struct.unpack(code, payload))
    values, pos = [], 0
    while pos < len(payload):
        raw, pos = decode_varint(payload, pos)
        values.append(kind.decode(raw))
    return values


def encode_packed(kind: _Kind, values) -> bytes:
    if kind.name == "float":
        return struct.pack("<%df" % len(values), *values)
    if kind.name == "double":
        return struct.pack("<%dd" % len(values), *values)
    return b"".join(kind.encode(value) for value in values)


class Field:
    """One declared field of a message (the part of protobuf's FieldDescriptor that the
    Python API exposes: ``name``, ``number``, ``full_name``).

    Args:
        name, number: the field's name and number.
        kind: a scalar kind name ("int64", "string", ...) or, for a message field, the
            message's full name ("tensorflow.Features").
        repeated: a repeated field (scalars of a numeric kind are written packed).
        oneof: the name of the oneof the field belongs to.
        map_key: for a map field, the key's scalar kind; ``kind`` is then the value's.
    """

    def __init__(self, name, number, kind, *, repeated=False, oneof=None, map_key=None):
        self.name = name
        self.number = number
        self.kind_name = kind
        self.repeated = repeated or map_key is not None
        self.oneof = oneof
        self.map_key = SCALAR_KINDS[map_key] if map_key is not None else None
        self.scalar = SCALAR_KINDS.get(kind)
        self.full_name = ""  # set when the message class is declared
        self._message_class = None

    @property
    def is_map(self) -> bool:
        return self.map_key is not None

    @property
    def message_class(self):
        """The class of a message field's values (None for scalar fields); looked up on
        first use, so that declarations may refer to classes declared after them."""
        if self._message_class is None and self.scalar is None:
            from tensorflux.framework.proto_message import message_class

            self._message_class = message_class(self.kind_name)
        return self._message_class

    @property
    def has_presence(self) -> bool:
        return not self.repeated and (self.scalar is None or self.oneof is not None)

    def accepts(self, wire_type: int) -> bool:
        """Whether a value read with ``wire_type`` belongs to this field (protobuf keeps
        a field read with another wire type as unknown)."""
        if self.is_map or self.scalar is None:
            return wire_type == LENGTH_DELIMITED
        if self.repeated and self.scalar.packable and wire_type == LENGTH_DELIMITED:
            return True
        return wire_type == self.scalar.wire_type

    def __repr__(self):
        return f"<Field {self.full_name} = {self.number}>"
