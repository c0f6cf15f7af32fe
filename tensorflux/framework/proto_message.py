"""Protocol-buffer message classes declared by a field table, with protobuf's Python API
(``tf.train.Example`` and the other messages users build by hand), no protobuf needed.

A message class names its full protobuf name and lists its :class:`Field`\\ s::

    class Int64List(Message):
        full_name = "tensorflow.Int64List"
        fields = (Field("value", 1, "int64", repeated=True),)

and gets keyword construction (nested messages as messages or dicts), one attribute
per field, ``SerializeToString``/``FromString``/``ParseFromString``, ``CopyFrom``,
``MergeFrom``, ``HasField``, ``WhichOneof``, ``ListFields``, ``ClearField``, equality,
``ByteSize`` and protobuf's text format as ``str()``. The semantics are proto3's: a
scalar at its default value is not written; a message field is present once something
is written into it; fields of a oneof replace each other. Map entries are written in
insertion order (string keys; ``deterministic=True`` sorts them) or, for integer keys,
from the highest key down, as TF's protobuf runtime writes them. Fields read with an
unknown number are kept and written back.
"""

from __future__ import annotations

import functools

from tensorflux.framework.proto_containers import (
    MessageMap,
    RepeatedMessages,
    RepeatedScalars,
    ScalarMap,
)
from tensorflux.framework.proto_fields import Field, decode_packed, encode_packed
from tensorflux.framework.proto_wire import (
    FIXED32,
    FIXED64,
    LENGTH_DELIMITED,
    VARINT,
    ProtoDecodeError,
    encode_varint,
    iter_fields,
)

__all__ = [
    "DecodeError",
    "Field",
    "Message",
    "encode_scalar",
    "length_delimited",
    "message_class",
]

_REGISTRY: dict = {}


class DecodeError(ProtoDecodeError):
    """Bytes that do not parse as the message type (protobuf's ``DecodeError``)."""


def message_class(full_name: str):
    """The declared message class with protobuf name ``full_name`` ("tensorflow.Example").

    Raises:
        KeyError: no such message is declared.
    """
    return _REGISTRY[full_name]


def _key(number: int, wire_type: int) -> bytes:
    return encode_varint(number << 3 | wire_type)


def length_delimited(number: int, payload: bytes) -> bytes:
    """A length-delimited field: key, length, payload."""
    return _key(number, LENGTH_DELIMITED) + encode_varint(len(payload)) + payload


class Message:
    """The base of declared messages; see the module docstring."""

    full_name = ""
    fields: tuple = ()
    __hash__ = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._by_name = {field.name: field for field in cls.fields}
        cls._by_number = {field.number: field for field in cls.fields}
        cls._numbered = sorted(cls.fields, key=lambda field: field.number)
        cls._oneofs = {}
        for position, field in enumerate(cls.fields):
            field.full_name = f"{cls.full_name}.{field.name}"
            field._position = position
            if field.oneof is not None:
                cls._oneofs.setdefault(field.oneof, []).append(field.name)
            setattr(cls, field.name, _accessor(field))
        _REGISTRY[cls.full_name] = cls

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_present", set())
        object.__setattr__(self, "_oneof_case", {})
        object.__setattr__(self, "_unknown", [])
        object.__setattr__(self, "_listener", None)
        self._init_fields(kwargs)

    def _field(self, name: str) -> Field:
        field = self._by_name.get(name)
        if field is None:
            raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
        return field

    def _init_fields(self, kwargs) -> None:
        for name, value in kwargs.items():
            field = self._field(name)
            if value is None:
                continue
            if field.is_map:
                _init_map(getattr(self, name), field, value)
            elif field.repeated:
                container = getattr(self, name)
                if field.scalar is not None:
                    container.extend(_iterable(value))
                else:
                    for item in _iterable(value):
                        _fill(container.add(), item, field)
            elif field.scalar is None:
                _fill(getattr(self, name), value, field)
            else:
                setattr(self, name, value)

    def __setattr__(self, name, value):
        if name not in self._by_name and not name.startswith("_"):
            raise AttributeError(f'Protocol message {type(self).__name__} has no "{name}" field.')
        object.__setattr__(self, name, value)

    def __getattr__(self, name):
        raise AttributeError(name)

    # Presence: a message field becomes present when something is written into it.
    def _modified(self) -> None:
        if self._listener is not None:
            self._listener()

    def _child_modified(self, field: Field) -> None:
        if field.name in self._present:
            return
        self._present.add(field.name)
        if field.oneof is not None:
            self._switch_oneof(field)
        self._modified()

    def _switch_oneof(self, field: Field) -> None:
        previous = self._oneof_case.get(field.oneof)
        if previous is not None and previous != field.name:
            self._drop(previous)
        self._oneof_case[field.oneof] = field.name

    def _drop(self, name: str) -> None:
        value = self._values.pop(name, None)
        if isinstance(value, Message):
            value._listener = None
        self._present.discard(name)
        field = self._by_name[name]
        if field.oneof is not None and self._oneof_case.get(field.oneof) == name:
            del self._oneof_case[field.oneof]

    def _child(self, field: Field):
        child = self._values.get(field.name)
        if child is None:
            child = field.message_class()
            child._listener = functools.partial(self._child_modified, field)
            self._values[field.name] = child
        return child

    # protobuf's Python API.
    def HasField(self, name: str) -> bool:  # noqa: N802 -- protobuf's method names
        """Whether the message field (or oneof member) ``name`` is set.

        Raises:
            ValueError: no such field, or a field without presence (repeated, or a proto3
                scalar outside a oneof).
        """
        if name in self._oneofs:
            return name in self._oneof_case
        field = self._field(name)
        if not field.has_presence:
            raise ValueError(f"Field {field.full_name} does not have presence.")
        if field.scalar is not None:
            return self._oneof_case.get(field.oneof) == name
        return name in self._present

    def WhichOneof(self, oneof_group: str):  # noqa: N802
        """The name of the set field of the oneof, or None."""
        if oneof_group not in self._oneofs:
            raise ValueError(
                f'Protocol message {type(self).__name__} has no "{oneof_group}" field.'
            )
        return self._oneof_case.get(oneof_group)

    def ClearField(self, name: str) -> None:  # noqa: N802
        """Resets field (or oneof) ``name`` to its default."""
        if name in self._oneofs:
            case = self._oneof_case.get(name)
            if case is not None:
                self._drop(case)
            return
        self._field(name)
        self._drop(name)
        self._modified()

    def Clear(self) -> None:  # noqa: N802
        """Resets every field."""
        for name in list(self._values):
            self._drop(name)
        self._present.clear()
        self._oneof_case.clear()
        self._unknown.clear()
        self._modified()

    def SetInParent(self) -> None:  # noqa: N802
        """Marks this (possibly empty) message present in the message holding it."""
        self._modified()

    def IsInitialized(self) -> bool:  # noqa: N802
        """Always True: proto3 messages have no required fields."""
        return True

    def DiscardUnknownFields(self) -> None:  # noqa: N802
        """Drops the fields read with numbers this message does not declare."""
        self._unknown.clear()
        for field, value in self._set_fields():
            if field.scalar is None:
                items = value.values() if field.is_map else value if field.repeated else [value]
                for item in items:
                    item.DiscardUnknownFields()

    def _set_fields(self):
        """``(field, value)`` for the fields that are set, in field-number order."""
        out = []
        for field in self._numbered:
            name = field.name
            if field.repeated:
                value = self._values.get(name)
                if value:
                    out.append((field, value))
            elif field.scalar is None:
                if name in self._present:
                    out.append((field, self._values[name]))
            elif field.oneof is not None:
                if self._oneof_case.get(field.oneof) == name:
                    out.append((field, self._values[name]))
            elif self._values.get(name, field.scalar.default) != field.scalar.default:
                out.append((field, self._values[name]))
        return out

    def ListFields(self) -> list:  # noqa: N802
        """``(field, value)`` pairs of the set fields in field-number order; each field
        has ``name``, ``number`` and ``full_name``."""
        return self._set_fields()

    def CopyFrom(self, other) -> None:  # noqa: N802
        """Makes this message a copy of ``other`` (of the same class)."""
        self._check_same(other, "CopyFrom")
        if other is self:
            return
        self.Clear()
        self.MergeFrom(other)

    def MergeFrom(self, other) -> None:  # noqa: N802
        """protobuf's merge: set scalars and oneof members overwrite, message fields merge,
        repeated fields append, map entries replace those with the same key."""
        self._check_same(other, "MergeFrom")
        for field, value in other._set_fields():
            if field.repeated:
                getattr(self, field.name).MergeFrom(value)
            elif field.scalar is None:
                self._child(field).MergeFrom(value)
            else:
                setattr(self, field.name, value)
        self._unknown.extend(other._unknown)
        self._modified()

    def _check_same(self, other, method: str) -> None:
        if type(other) is not type(self):
            raise TypeError(
                f"Parameter to {method}() must be instance of same class: expected "
                f"{type(self)} got {type(other)}."
            )

    def SerializeToString(self, deterministic: bool = False) -> bytes:  # noqa: N802
        """The message's wire bytes, fields in number order (see the module docstring for
        the order of map entries)."""
        return self._serialize(deterministic, packed=True)

    def _serialize(self, deterministic: bool, packed: bool) -> bytes:
        """The wire bytes; ``packed=False`` writes repeated numbers one key each, as
        protobuf's JSON-to-binary conversion does."""
        parts = []
        for field, value in self._set_fields():
            parts.append(_encode_field(field, value, deterministic, packed))
        for number, wire_type, raw in self._unknown:
            parts.append(_encode_unknown(number, wire_type, raw))
        return b"".join(parts)

    SerializePartialToString = SerializeToString

    def ByteSize(self) -> int:  # noqa: N802
        """The length of the serialized message."""
        return len(self.SerializeToString())

    def MergeFromString(self, serialized) -> int:  # noqa: N802
        """Merges the message encoded in ``serialized`` into this one; returns its length.

        Raises:
            DecodeError: the bytes are not a well-formed message of this type.
        """
        data = bytes(serialized)
        try:
            self._merge_wire(data)
        except ProtoDecodeError:
            raise DecodeError(f"Error parsing message with type '{self.full_name}'") from None
        self._modified()
        return len(data)

    def ParseFromString(self, serialized) -> int:  # noqa: N802
        """Replaces the message with the one encoded in ``serialized``; returns its length."""
        self.Clear()
        return self.MergeFromString(serialized)

    @classmethod
    def FromString(cls, serialized):  # noqa: N802
        """A new message parsed from ``serialized``."""
        message = cls()
        message.MergeFromString(serialized)
        return message

    def _merge_wire(self, data: bytes) -> None:
        for number, wire_type, raw in iter_fields(data):
            field = self._by_number.get(number)
            if field is None or not field.accepts(wire_type):
                self._unknown.append((number, wire_type, raw))
            elif field.is_map:
                key, value = _decode_entry(field, raw)
                container = getattr(self, field.name)
                if field.scalar is None:
                    container._values.pop(key, None)
                    container[key]._merge_wire(value)
                else:
                    container._values[key] = value
            elif field.repeated:
                container = getattr(self, field.name)
                if field.scalar is None:
                    container.add()._merge_wire(raw)
                elif wire_type == LENGTH_DELIMITED and field.scalar.packable:
                    container._values.extend(decode_packed(field.scalar, raw))
                else:
                    container._values.append(field.scalar.decode(raw))
            elif field.scalar is None:
                self._child(field)._merge_wire(raw)
                self._child_modified(field)
            else:
                self._values[field.name] = field.scalar.decode(raw)
                if field.oneof is not None:
                    self._switch_oneof(field)

    def __eq__(self, other):
        if not isinstance(other, Message):
            return NotImplemented
        if type(other) is not type(self):
            return False
        mine, theirs = self._set_fields(), other._set_fields()
        return (
            len(mine) == len(theirs)
            and all(a[0] is b[0] and a[1] == b[1] for a, b in zip(mine, theirs))
            and self._unknown == other._unknown
        )

    def __str__(self):
        from tensorflux.framework.proto_text import message_text

        return message_text(self)

    __repr__ = __str__

    def __reduce__(self):
        return type(self).FromString, (self.SerializeToString(),)

    def __deepcopy__(self, memo=None):
        copy = type(self)()
        copy.MergeFrom(self)
        return copy

    __copy__ = __deepcopy__


def _accessor(field: Field) -> property:
    name = field.name
    if field.repeated:
        container_class = (
            (ScalarMap if field.scalar is not None else MessageMap)
            if field.is_map
            else (RepeatedScalars if field.scalar is not None else RepeatedMessages)
        )

        def get_container(self):
            container = self._values.get(name)
            if container is None:
                container = self._values[name] = container_class(self, field)
            return container

        def refuse_container(self, value):
            raise AttributeError(
                f'Assignment not allowed to map, or repeated field "{name}" in protocol '
                "message object."
            )

        return property(get_container, refuse_container)
    if field.scalar is None:

        def get_message(self):
            return self._child(field)

        def refuse_message(self, value):
            raise AttributeError(
                f'Assignment not allowed to message field "{name}" in protocol message object.'
            )

        return property(get_message, refuse_message)
    default = field.scalar.default

    def get_scalar(self):
        if field.oneof is not None and self._oneof_case.get(field.oneof) != name:
            return default
        return self._values.get(name, default)

    def set_scalar(self, value):
        self._values[name] = field.scalar.check(value, field)
        if field.oneof is not None:
            self._switch_oneof(field)
        self._modified()

    return property(get_scalar, set_scalar)


def _iterable(value):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"must assign iterable, got {type(value).__name__}")
    return value


def _fill(child: Message, value, field: Field) -> None:
    """Sets ``child`` (a message held in ``field``) from a message or a dict of fields."""
    if isinstance(value, dict):
        child._init_fields(value)
        child.SetInParent()
    elif isinstance(value, Message) and type(value) is type(child):
        child.CopyFrom(value)
    else:
        raise TypeError(
            "Parameter to initialize message field must be dict or instance of same class: "
            f"expected {type(child)} got {type(value)}."
        )


def _init_map(container, field: Field, value) -> None:
    if not hasattr(value, "items"):
        raise TypeError(
            f"Map field {field.full_name} must be initialized from a dict, "
            f"got {type(value).__name__}."
        )
    for key, item in value.items():
        if field.scalar is not None:
            container[key] = item
        elif isinstance(item, dict):
            container[key]._init_fields(item)
        elif isinstance(item, Message) and type(item) is field.message_class:
            container[key].CopyFrom(item)
        else:
            raise TypeError(
                "Parameter to CopyFrom() must be instance of same class: expected "
                f"{field.message_class} got {type(item)}."
            )


def encode_scalar(number: int, kind, value) -> bytes:
    """One scalar field (key and value) of the given kind."""
    payload = kind.encode(value)
    if kind.wire_type == LENGTH_DELIMITED:
        return length_delimited(number, payload)
    return _key(number, kind.wire_type) + payload


def _encode_field(field: Field, value, deterministic: bool, packed: bool) -> bytes:
    number = field.number
    if field.is_map:
        items = value._values.items()
        if field.map_key.name != "string":
            items = sorted(items, reverse=True)
        elif deterministic:
            items = sorted(items)
        return b"".join(
            length_delimited(number, _encode_entry(field, key, item, deterministic, packed))
            for key, item in items
        )
    if field.scalar is None:
        if field.repeated:
            return b"".join(
                length_delimited(number, item._serialize(deterministic, packed))
                for item in value._values
            )
        return length_delimited(number, value._serialize(deterministic, packed))
    if field.repeated:
        if field.scalar.packable and packed:
            return length_delimited(number, encode_packed(field.scalar, value._values))
        return b"".join(encode_scalar(number, field.scalar, item) for item in value._values)
    return encode_scalar(number, field.scalar, value)


def _encode_entry(field: Field, key, value, deterministic: bool, packed: bool) -> bytes:
    # A map entry always holds its key and value, even at their defaults.
    entry = encode_scalar(1, field.map_key, key)
    if field.scalar is None:
        return entry + length_delimited(2, value._serialize(deterministic, packed))
    return entry + encode_scalar(2, field.scalar, value)


def _decode_entry(field: Field, raw: bytes):
    key, value = field.map_key.default, None
    for number, wire_type, item in iter_fields(raw):
        if number == 1 and wire_type == field.map_key.wire_type:
            key = field.map_key.decode(item)
        elif number == 2 and field.scalar is None and wire_type == LENGTH_DELIMITED:
            value = item if value is None else value + item
        elif number == 2 and field.scalar is not None and wire_type == field.scalar.wire_type:
            value = field.scalar.decode(item)
    if value is None:
        value = b"" if field.scalar is None else field.scalar.default
    return key, value


def _encode_unknown(number: int, wire_type: int, raw) -> bytes:
    if wire_type == VARINT:
        return _key(number, VARINT) + encode_varint(raw)
    if wire_type in (FIXED32, FIXED64):
        return _key(number, wire_type) + raw
    return length_delimited(number, raw)
