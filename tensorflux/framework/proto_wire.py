"""The protocol-buffer wire format, by hand: the few messages TensorFlow's files hold
(checkpoint bundle entries and object graphs, SavedModel metadata, TensorBoard events)
are encoded and decoded here, so no ``protobuf`` package is needed.

Encoding builds a message as bytes from ``(field number, value)`` calls on a
:class:`MessageWriter`; decoding turns bytes into a :class:`Message`, a map from field
number to the list of raw values seen (repeated fields keep their order, a scalar field
is its last value, as protobuf's merge rule says).
"""

from __future__ import annotations

import struct

__all__ = [
    "Message",
    "MessageWriter",
    "ProtoDecodeError",
    "decode_varint",
    "encode_varint",
    "iter_fields",
]

VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5


class ProtoDecodeError(ValueError):
    """The bytes are not a well-formed protocol-buffer message (truncated or corrupted)."""


def encode_varint(value: int) -> bytes:
    """``value`` as a base-128 varint; negative ints take ten bytes (two's complement
    over 64 bits), as protobuf writes ``int32``/``int64`` fields."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data, pos: int) -> tuple[int, int]:
    """The unsigned varint starting at ``data[pos]`` and the position after it.

    Raises:
        ProtoDecodeError: the varint runs past the end or over ten bytes.
    """
    result = shift = 0
    end = len(data)
    while True:
        if pos >= end or shift > 63:
            raise ProtoDecodeError("truncated or malformed varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def iter_fields(data):
    """``(field number, wire type, raw value)`` for each field of the encoded message, in
    order: varints as ints, fixed-width and length-delimited fields as ``bytes``.

    Raises:
        ProtoDecodeError: truncated data, an unknown wire type or a field number 0.
    """
    data = bytes(data)
    pos, end = 0, len(data)
    while pos < end:
        key, pos = decode_varint(data, pos)
        field, wire_type = key >> 3, key & 7
        if field == 0:
            raise ProtoDecodeError("field number 0")
        if wire_type == VARINT:
            value, pos = decode_varint(data, pos)
        elif wire_type in (FIXED64, FIXED32):
            width = 8 if wire_type == FIXED64 else 4
            if pos + width > end:
                raise ProtoDecodeError("truncated fixed-width field")
            value, pos = data[pos : pos + width], pos + width
        elif wire_type == LENGTH_DELIMITED:
            length, pos = decode_varint(data, pos)
            if pos + length > end:
                raise ProtoDecodeError("truncated length-delimited field")
            value, pos = data[pos : pos + length], pos + length
        else:
            raise ProtoDecodeError(f"unsupported wire type {wire_type}")
        yield field, wire_type, value


class MessageWriter:
    """Builds one message; each method appends a field and returns the writer.

    >>> MessageWriter().varint(1, 150).bytes()
    b'\\x08\\x96\\x01'
    """

    def __init__(self):
        self._parts: list[bytes] = []

    def _key(self, field: int, wire_type: int) -> None:
        self._parts.append(encode_varint(field << 3 | wire_type))

    def varint(self, field: int, value: int) -> MessageWriter:
        """An ``int32``/``int64``/``uint*``/``bool``/enum field."""
        self._key(field, VARINT)
        self._parts.append(encode_varint(int(value)))
        return self

    def sint(self, field: int, value: int) -> MessageWriter:
        """A zigzag-encoded ``sint32``/``sint64`` field."""
        value = int(value)
        return self.varint(field, (value << 1) ^ (value >> 63))

    def fixed32(self, field: int, value: int) -> MessageWriter:
        """A ``fixed32`` field (unsigned, little-endian)."""
        self._key(field, FIXED32)
        self._parts.append(struct.pack("<I", value & 0xFFFFFFFF))
        return self

    def fixed64(self, field: int, value: int) -> MessageWriter:
        """A ``fixed64`` field (unsigned, little-endian)."""
        self._key(field, FIXED64)
        self._parts.append(struct.pack("<Q", value & 0xFFFFFFFFFFFFFFFF))
        return self

    def float32(self, field: int, value: float) -> MessageWriter:
        """A ``float`` field."""
        self._key(field, FIXED32)
        self._parts.append(struct.pack("<f", value))
        return self

    def float64(self, field: int, value: float) -> MessageWriter:
        """A ``double`` field."""
        self._key(field, FIXED64)
        self._parts.append(struct.pack("<d", value))
        return self

    def raw(self, field: int, value) -> MessageWriter:
        """A ``bytes``/``string`` field (str is UTF-8 encoded), or an embedded message
        given as bytes or as a :class:`MessageWriter`."""
        if isinstance(value, MessageWriter):
            value = value.bytes()
        elif isinstance(value, str):
            value = value.encode("utf-8")
        self._key(field, LENGTH_DELIMITED)
        self._parts.append(encode_varint(len(value)))
        self._parts.append(bytes(value))
        return self

    def packed_varints(self, field: int, values) -> MessageWriter:
        """A packed repeated varint field (proto3's default for repeated scalars)."""
        return self.raw(field, b"".join(encode_varint(int(v)) for v in values))

    def bytes(self) -> bytes:
        """The encoded message."""
        return b"".join(self._parts)


class Message:
    """A decoded message: field number -> raw values in file order.

    Varint fields hold ints, fixed fields hold their raw little-endian ``bytes`` (read
    them with :meth:`fixed32`/:meth:`float32`...), length-delimited fields hold
    ``bytes`` (read an embedded message with :meth:`message`).

    Raises:
        ProtoDecodeError: truncated data, an unknown wire type or a field number 0.
    """

    def __init__(self, data):
        self.fields: dict[int, list] = {}
        for field, _, value in iter_fields(data):
            self.fields.setdefault(field, []).append(value)

    def has(self, field: int) -> bool:
        """Whether ``field`` occurs."""
        return field in self.fields

    def all(self, field: int) -> list:
        """Every raw value of a repeated ``field`` (empty when absent)."""
        return self.fields.get(field, [])

    def varint(self, field: int, default: int = 0) -> int:
        """An unsigned varint field (the last one, as protobuf merges)."""
        values = self.fields.get(field)
        return values[-1] if values else default

    def int64(self, field: int, default: int = 0) -> int:
        """A signed ``int32``/``int64`` field (two's complement varint)."""
        value = self.varint(field, default)
        return value - (1 << 64) if value >= 1 << 63 else value

    def sint(self, field: int, default: int = 0) -> int:
        """A zigzag ``sint32``/``sint64`` field."""
        if not self.has(field):
            return default
        value = self.varint(field)
        return (value >> 1) ^ -(value & 1)

    def fixed32(self, field: int, default: int = 0) -> int:
        """A ``fixed32`` field."""
        values = self.fields.get(field)
        return struct.unpack("<I", values[-1])[0] if values else default

    def fixed64(self, field: int, default: int = 0) -> int:
        """A ``fixed64`` field."""
        values = self.fields.get(field)
        return struct.unpack("<Q", values[-1])[0] if values else default

    def float32(self, field: int, default: float = 0.0) -> float:
        """A ``float`` field."""
        values = self.fields.get(field)
        return struct.unpack("<f", values[-1])[0] if values else default

    def float64(self, field: int, default: float = 0.0) -> float:
        """A ``double`` field."""
        values = self.fields.get(field)
        return struct.unpack("<d", values[-1])[0] if values else default

    def bytes(self, field: int, default: bytes = b"") -> bytes:
        """A ``bytes`` field."""
        values = self.fields.get(field)
        return values[-1] if values else default

    def string(self, field: int, default: str = "") -> str:
        """A ``string`` field, UTF-8 decoded."""
        values = self.fields.get(field)
        return values[-1].decode("utf-8") if values else default

    def message(self, field: int) -> Message:
        """An embedded message field (empty when absent)."""
        return Message(self.bytes(field))

    def messages(self, field: int) -> list[Message]:
        """Every embedded message of a repeated field."""
        return [Message(value) for value in self.all(field)]

    def packed_varints(self, field: int) -> list[int]:
        """A repeated varint field, whether written packed or one value per key."""
        out = []
        for value in self.all(field):
            if isinstance(value, int):
                out.append(value)
                continue
            pos = 0
            while pos < len(value):
                item, pos = decode_varint(value, pos)
                out.append(item)
        return out

    def packed_floats(self, field: int) -> list[float]:
        """A repeated ``float`` field, whether written packed or one value per key."""
        out = []
        for value in self.all(field):
            if isinstance(value, int) or len(value) % 4:
                raise ProtoDecodeError(f"field {field} does not hold 4-byte floats")
            out.extend(struct.unpack(f"<{len(value) // 4}f", value))
        return out
