"""protobuf's text format, as ``str(message)`` prints it: one ``name: value`` line per
scalar, ``name {`` ... ``}`` blocks for messages, map entries as ``key``/``value``
blocks, two spaces of indent per level, and fields read with unknown numbers last as
``number: value``; and its parser (also ``<...>`` blocks, ``[...]`` lists, ``#``
comments, adjacent strings joined), as ``tf.io.decode_proto(message_format="text")``
reads messages."""

from __future__ import annotations

import re
import string

from tensorflux.framework.proto_fields import SCALAR_KINDS
from tensorflux.framework.proto_wire import FIXED32, FIXED64, VARINT

__all__ = ["TextParseError", "message_text", "parse_text"]


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


class TextParseError(ValueError):
    """Text that is not the message in protobuf's text format."""


_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<word>[\w.+-]+)|(?P<punct>[{}<>\[\]:,;])"""
)
_SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11}


def _tokens(text: str) -> list:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise TextParseError(f"unexpected character {text[pos]!r} at offset {pos}")
        pos = match.end()
        kind = match.lastgroup
        if kind is not None:
            out.append((kind, match.group(kind)))
    return out


def _unescape(quoted: str) -> bytes:
    body = quoted[1:-1].encode("utf-8")
    out, i = bytearray(), 0
    while i < len(body):
        byte = body[i]
        i += 1
        if byte != 0x5C:  # backslash
            out.append(byte)
            continue
        char = chr(body[i])
        i += 1
        if char in "01234567":
            digits = char
            while len(digits) < 3 and i < len(body) and chr(body[i]) in "01234567":
                digits += chr(body[i])
                i += 1
            out.append(int(digits, 8) & 0xFF)
        elif char == "x":
            digits = ""
            while len(digits) < 2 and i < len(body) and chr(body[i]) in string.hexdigits:
                digits += chr(body[i])
                i += 1
            out.append(int(digits, 16))
        else:
            out.append(_SIMPLE_ESCAPES.get(char, ord(char)))
    return bytes(out)


def parse_text(cls, text: str):
    """A ``cls`` message from protobuf's text format (what ``str(message)`` prints).

    Raises:
        TextParseError: text that is not a ``cls`` message.
    """
    tokens = _tokens(text)
    message = cls()
    end = _parse_fields(message, tokens, 0, closing=None)
    if end != len(tokens):
        raise TextParseError(f"unexpected {tokens[end][1]!r}")
    return message


def _parse_fields(message, tokens: list, pos: int, closing) -> int:
    while pos < len(tokens) and tokens[pos][1] != closing:
        kind, name = tokens[pos]
        field = message._by_name.get(name) if kind == "word" else None
        if field is None:
            raise TextParseError(f'message {message.full_name} has no field named "{name}"')
        pos += 1
        if pos < len(tokens) and tokens[pos][1] == ":":
            pos += 1
        if pos < len(tokens) and tokens[pos][1] == "[":
            pos += 1
            while pos < len(tokens) and tokens[pos][1] != "]":
                pos = _parse_value(message, field, tokens, pos)
                if pos < len(tokens) and tokens[pos][1] == ",":
                    pos += 1
            if pos >= len(tokens):
                raise TextParseError("expected ']' before the end")
            pos += 1
        else:
            pos = _parse_value(message, field, tokens, pos)
        if pos < len(tokens) and tokens[pos][1] in (",", ";"):
            pos += 1
    if closing is not None and pos >= len(tokens):
        raise TextParseError(f"expected {closing!r} before the end")
    return pos


def _parse_value(message, field, tokens: list, pos: int) -> int:
    if pos >= len(tokens):
        raise TextParseError(f"expected a value for {field.name}")
    opening = tokens[pos][1]
    if field.is_map or field.scalar is None:
        if opening not in ("{", "<"):
            raise TextParseError(f"expected '{{' for {field.name}, got {opening!r}")
        closing = "}" if opening == "{" else ">"
        if field.is_map:
            return _parse_map_entry(getattr(message, field.name), field, tokens, pos + 1, closing)
        child = (
            getattr(message, field.name).add() if field.repeated else getattr(message, field.name)
        )
        pos = _parse_fields(child, tokens, pos + 1, closing) + 1
        child.SetInParent()
        return pos
    value, pos = _scalar(field.scalar, field, tokens, pos)
    if field.repeated:
        getattr(message, field.name).append(value)
    else:
        setattr(message, field.name, value)
    return pos


def _scalar(kind, field, tokens: list, pos: int):
    token_kind, token = tokens[pos]
    if kind.name in ("string", "bytes"):
        data = b""
        while pos < len(tokens) and tokens[pos][0] == "string":
            data += _unescape(tokens[pos][1])
            pos += 1
        if token_kind != "string":
            raise TextParseError(f"expected a string for {field.name}, got {token!r}")
        return (data.decode("utf-8") if kind.name == "string" else data), pos
    if token_kind != "word":
        raise TextParseError(f"expected a value for {field.name}, got {token!r}")
    try:
        if kind.name == "bool":
            value = {"true": True, "t": True, "1": True, "false": False, "f": False, "0": False}[
                token
            ]
        elif kind.name in ("float", "double"):
            word = token.lower().replace("infinity", "inf")
            if word.endswith("f") and not word.endswith("inf"):
                word = word[:-1]  # a C-style suffix: "1.5f"
            value = float(word)
        else:
            value = int(token, 0)
        return kind.check(value, field), pos + 1
    except (KeyError, ValueError, TypeError):
        raise TextParseError(f"invalid {kind.name} value for {field.name}: {token!r}") from None


def _parse_map_entry(container, field, tokens: list, pos: int, closing: str) -> int:
    """One ``{key: ... value: ...}`` entry of a map field, stored into ``container``."""
    key = field.map_key.default
    value = field.message_class() if field.scalar is None else field.scalar.default
    while pos < len(tokens) and tokens[pos][1] != closing:
        name = tokens[pos][1]
        if name not in ("key", "value"):
            raise TextParseError(f"a map entry of {field.name} has no field named {name!r}")
        pos += 1
        if pos < len(tokens) and tokens[pos][1] == ":":
            pos += 1
        if name == "key":
            key, pos = _scalar(field.map_key, field, tokens, pos)
        elif field.scalar is None:
            if pos >= len(tokens) or tokens[pos][1] not in ("{", "<"):
                raise TextParseError(f"expected '{{' for the value of {field.name}")
            inner = "}" if tokens[pos][1] == "{" else ">"
            pos = _parse_fields(value, tokens, pos + 1, inner) + 1
        else:
            value, pos = _scalar(field.scalar, field, tokens, pos)
    if pos >= len(tokens):
        raise TextParseError(f"expected {closing!r} before the end")
    if field.scalar is None:
        container._values.pop(container._key(key), None)
        container[key].CopyFrom(value)
    else:
        container[key] = value
    return pos + 1
