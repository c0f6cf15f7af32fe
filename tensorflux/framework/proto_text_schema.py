"""Protocol-buffer text format, printed from wire bytes with a schema, as protobuf's
Python ``text_format.MessageToString(message, float_format="")`` prints it: fields in
field-number order, two spaces per nesting level, map entries sorted by key, bytes
C-escaped (octal for unprintable bytes), doubles as Python's ``repr`` and floats as the
shortest decimal that reads back as the same float32.

A schema maps a message name to ``{field number: (name, kind)}``; ``kind`` is a scalar
type (``"string"``, ``"bytes"``, ``"int32"``, ``"int64"``, ``"uint64"``, ``"bool"``,
``"float"``, ``"double"``), ``"enum:<Name>"`` (names from the schema's ``"enums"``
entry), ``"<Message>"`` for an embedded message or ``"map:<Message>"`` for a map whose
entries are that message (key 1, value 2). Fields the schema lacks are not printed.
"""

from __future__ import annotations

import struct

from tensorflux.framework.proto_wire import Message

__all__ = ["to_text"]

_ESCAPES = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}
_SCALARS = {"string", "bytes", "int32", "int64", "uint32", "uint64", "bool", "float", "double"}


def _escape(data: bytes) -> str:
    out = []
    for b in data:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


def _float(value: float) -> str:
    return "{0:}".format(value)


def _float32(value: float) -> str:
    """A ``float`` field's value with the fewest digits (6 to 9) that read back as the
    same float32, as protobuf's Python printer rounds them."""
    if value != value or value in (float("inf"), float("-inf")):
        return _float(value)
    for digits in range(6, 10):
        rounded = float(f"{value:.{digits}g}")
        if struct.unpack("<f", struct.pack("<f", rounded))[0] == value:
            return _float(rounded)
    return _float(value)


def _scalar_values(m: Message, number: int, kind: str, schema: dict) -> list:
    if kind in ("string", "bytes"):
        return [_escape(bytes(v)) for v in m.all(number)]
    if kind == "float":
        return [_float32(v) for v in m.packed_floats(number)]
    if kind == "double":
        out = []
        for raw in m.all(number):
            out.extend(struct.unpack(f"<{len(raw) // 8}d", raw))
        return [_float(v) for v in out]
    ints = m.packed_varints(number)
    if kind == "bool":
        return ["true" if v else "false" for v in ints]
    if kind in ("int32", "int64"):
        return [str(v - (1 << 64) if v >= 1 << 63 else v) for v in ints]
    if kind.startswith("enum:"):
        names = schema["enums"][kind[5:]]
        return [names.get(v, str(v)) for v in ints]
    return [str(v) for v in ints]


def _lines(data, schema: dict, message: str, depth: int) -> list:
    m = Message(data)
    pad = "  " * depth
    lines = []
    for number, (name, kind) in sorted(schema[message].items()):
        if not m.has(number):
            continue
        if kind.startswith("map:"):
            entries = sorted(m.all(number), key=lambda e: Message(e).bytes(1))
            for entry in entries:
                lines.append(f"{pad}{name} {{")
                lines.extend(_lines(entry, schema, kind[4:], depth + 1))
                lines.append(f"{pad}}}")
        elif kind in _SCALARS or kind.startswith("enum:"):
            lines.extend(f"{pad}{name}: {v}" for v in _scalar_values(m, number, kind, schema))
        else:
            for value in m.all(number):
                lines.append(f"{pad}{name} {{")
                lines.extend(_lines(value, schema, kind, depth + 1))
                lines.append(f"{pad}}}")
    return lines


def to_text(data, schema: dict, message: str) -> str:
    """The text format of the ``message`` encoded in ``data``.

    >>> schema = {"Point": {1: ("x", "int32"), 2: ("tag", "string")}}
    >>> print(to_text(b"\\x08\\x07\\x12\\x02a\\n", schema, "Point"), end="")
    x: 7
    tag: "a\\n"
    """
    lines = _lines(data, schema, message, 0)
    return "".join(line + "\n" for line in lines)
