"""protobuf's text format, as ``str(message)`` prints it: one ``name: value`` line per
scalar, ``name {`` ... ``}`` blocks for messages, map entries as ``key``/``value``
blocks, two spaces of indent per level, and fields read with unknown numbers last as
``number: value``."""

from __future__ import annotations

from tensorflux.framework.proto_fields import SCALAR_KINDS
from tensorflux.framework.proto_wire import FIXED32, FIXED64, VARINT

__all__ = ["message_text"]


def message_text(message, indent: int = 0) -> str:
    """The text-format body of ``message`` (empty for an empty message)."""
    lines: list = []
    _append_message(lines, message, indent)
    return "".join(lines)


def _append_message(lines: list, message, indent: int) -> None:
    pad = " " * indent
    for field, value in sorted(message._set_fields(), key=lambda item: _position(item[0])):
        if field.is_map:
            for key, item in value.items():
                lines.append(f"{pad}{field.name} {{\n")
                lines.append(f"{pad}  key: {field.map_key.text(key)}\n")
                _append_value(lines, "value", field.scalar, item, indent + 2)
                lines.append(f"{pad}}}\n")
        elif field.repeated:
            for item in value:
                _append_value(lines, field.name, field.scalar, item, indent)
        else:
            _append_value(lines, field.name, field.scalar, value, indent)
    for number, wire_type, raw in message._unknown:
        lines.append(f"{pad}{number}: {_unknown_text(wire_type, raw)}\n")


def _position(field) -> int:
    return field._position


def _append_value(lines: list, name: str, kind, value, indent: int) -> None:
    pad = " " * indent
    if kind is None:
        lines.append(f"{pad}{name} {{\n")
        _append_message(lines, value, indent + 2)
        lines.append(f"{pad}}}\n")
    else:
        lines.append(f"{pad}{name}: {kind.text(value)}\n")


def _unknown_text(wire_type: int, raw) -> str:
    if wire_type == VARINT:
        return str(raw)
    if wire_type == FIXED32:
        return "0x%08x" % int.from_bytes(raw, "little")
    if wire_type == FIXED64:
        return "0x%016x" % int.from_bytes(raw, "little")
    return SCALAR_KINDS["bytes"].text(raw)
