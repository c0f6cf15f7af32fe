"""protobuf's JSON mapping, read into declared messages (as ``tf.io.decode_json_example``
reads Examples): a field is named by its name or its lowerCamelCase JSON name, a map is
an object, 64-bit integers may be strings ("12", "0x10"), floats may be "NaN",
"Infinity" or numeric strings, bytes are base64 (standard or URL-safe, padding
optional), and ``null`` leaves a field unset.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct

from tensorflux.framework.proto_message import Message

__all__ = ["JsonParseError", "message_from_json"]

_TYPE_URL = "type.googleapis.com/"


class _Object(list):
    """A JSON object as its (key, value) pairs in order (duplicate keys kept)."""


class JsonParseError(ValueError):
    """JSON that is not the message; the text says where and why, as protobuf's does."""


def json_name(name: str) -> str:
    """The field's JSON name: ``int64_list`` -> ``int64List``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def message_from_json(cls, text: str) -> Message:
    """A ``cls`` message from its JSON text.

    Raises:
        JsonParseError: malformed JSON, an unknown field, or a value of the wrong kind.
    """
    where = f"invalid JSON in {_TYPE_URL}{cls.full_name}"
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("{"):
        found = text[start : start + 1]
        raise JsonParseError(
            f"{where}, near 1:{start + 1} (offset {start}): unexpected character: '{found}'; "
            "expected '{'"
        )
    try:
        obj = json.loads(text, object_pairs_hook=_Object)
    except json.JSONDecodeError as e:
        found = text[e.pos : e.pos + 1]
        raise JsonParseError(
            f"{where}, near {e.lineno}:{e.colno} (offset {e.pos}): unexpected character: "
            f"'{found}' ({e.msg})"
        ) from None
    message = cls()
    _fill(message, obj, "", where)
    return message


def _fill(message: Message, pairs: list, path: str, where: str) -> None:
    by_json = {json_name(field.name): field for field in message.fields}
    for key, value in pairs:
        field = message._by_name.get(key) or by_json.get(key)
        if field is None:
            raise JsonParseError(f"{where}{_at(path)}: no such field: '{key}'")
        if value is None:
            continue
        here = f"{path}.{key}" if path else key
        if field.oneof is not None and message.WhichOneof(field.oneof) is not None:
            raise JsonParseError(
                f"{where} @ {here}: message {field.message_class.full_name}: '{key}' has "
                "already been set (either directly or as part of a oneof)"
            )
        if field.is_map:
            _fill_map(message, field, value, here, where)
        elif field.repeated:
            if not isinstance(value, list) or isinstance(value, _Object):
                value = [value]  # protobuf takes a lone value for a repeated field
            container = getattr(message, field.name)
            for i, item in enumerate(value):
                item_path = f"{here}[{i}]"
                if field.scalar is None:
                    _fill(container.add(), _object(item, item_path, field, where), item_path, where)
                else:
                    container._values.append(_scalar(field.scalar, item, item_path, where))
            message._modified()
        elif field.scalar is None:
            child = getattr(message, field.name)
            _fill(child, _object(value, here, field, where), here, where)
            child.SetInParent()
        else:
            setattr(message, field.name, _scalar(field.scalar, value, here, where))


def _at(path: str) -> str:
    return f" @ {path}" if path else ""


def _object(value, path, field, where) -> list:
    if isinstance(value, _Object):
        return value
    raise JsonParseError(
        f"{where} @ {path}: message {field.message_class.full_name}: expected an object, "
        f"got {json.dumps(value)}"
    )


def _fill_map(message, field, value, path, where) -> None:
    entries = _object(value, path, field, where)
    container = getattr(message, field.name)
    seen = set()
    for i, (key, item) in enumerate(entries):
        if key in seen:
            entry = "".join(part.capitalize() for part in field.name.split("_")) + "Entry"
            raise JsonParseError(
                f"{where} @ {path}[{i}]: message {field.full_name.rsplit('.', 1)[0]}.{entry}: "
                f"got unexpectedly-repeated repeated map key: '{key}'"
            )
        seen.add(key)
        key_value = _scalar(field.map_key, key, f"{path}[{i}]", where)
        if field.scalar is None:
            entry = container[key_value]
            _fill(entry, _object(item, f"{path}[{i}]", field, where), f"{path}[{i}]", where)
        else:
            container[key_value] = _scalar(field.scalar, item, f"{path}[{i}]", where)


def _scalar(kind, value, path: str, where: str):
    def fail(reason):
        return JsonParseError(f"{where} @ {path}: {kind.name}: {reason}")

    if kind.name in ("int32", "int64", "uint32", "uint64"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise fail("expected number or string")
        if isinstance(value, str):
            text = value.strip()
            try:
                value = int(text)
            except ValueError:
                try:
                    value = int(text, 16) if text.lower().startswith("0x") else float(text)
                except ValueError:
                    raise fail(f"invalid integer: '{value}'") from None
        if isinstance(value, float):
            if not value.is_integer():
                raise fail("expected integer, but JSON number had fractional part")
            value = int(value)
        if not kind.low <= value <= kind.high:
            raise fail("JSON number out of range for int")
        return value
    if kind.name in ("float", "double"):
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
        if isinstance(value, str) and value in special:
            return special[value]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise fail("expected number or string")
        try:
            number = float(value)
        except ValueError:
            raise fail(f"invalid number: '{value}'") from None
        if kind.name == "float":
            try:
                return struct.unpack("<f", struct.pack("<f", number))[0]
            except OverflowError:
                raise fail("float out of range") from None
        return number
    if kind.name == "bool":
        if not isinstance(value, bool):
            raise fail("expected true or false")
        return value
    if not isinstance(value, str):
        raise fail("expected string")
    if kind.name == "string":
        return value
    try:
        data = value.replace("-", "+").replace("_", "/")
        return base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise fail("corrupt base64") from None
