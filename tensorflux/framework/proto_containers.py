"""The containers behind repeated and map fields of a message, with protobuf's Python
API: a repeated scalar field is list-like, a repeated message field adds messages with
``add()``, a map field is dict-like (reading a missing key creates its entry).

Every change tells the owning message (``owner._modified()``), so that a message held
in a field of another becomes present there once something is written into it.
"""

from __future__ import annotations

import struct

__all__ = ["MessageMap", "RepeatedMessages", "RepeatedScalars", "ScalarMap"]


class _Repeated:
    def __init__(self, owner, field):
        self._owner = owner
        self._field = field
        self._values: list = []

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(list(self._values))

    def __getitem__(self, index):
        return self._values[index]

    def __delitem__(self, index):
        del self._values[index]
        self._owner._modified()

    def __eq__(self, other):
        if isinstance(other, _Repeated):
            return self._values == other._values
        if isinstance(other, (list, tuple)):
            return self._values == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(self._values)

    def pop(self, index=-1):
        value = self._values.pop(index)
        self._owner._modified()
        return value

    def remove(self, value):
        self._values.remove(value)
        self._owner._modified()

    def reverse(self):
        self._values.reverse()
        self._owner._modified()

    def sort(self, *, key=None, reverse=False):
        self._values.sort(key=key, reverse=reverse)
        self._owner._modified()

    def index(self, value):
        return self._values.index(value)

    def count(self, value):
        return self._values.count(value)


class RepeatedScalars(_Repeated):
    """A repeated scalar field: a list whose items are checked as the field's type."""

    def _check(self, value):
        return self._field.scalar.check(value, self._field)

    def append(self, value):
        self._values.append(self._check(value))
        self._owner._modified()

    def extend(self, values):
        if values is None:
            raise TypeError("'NoneType' object is not iterable")
        checked = _check_all(self._field, values)
        self._values.extend(checked)
        self._owner._modified()

    def insert(self, index, value):
        self._values.insert(index, self._check(value))
        self._owner._modified()

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            self._values[index] = _check_all(self._field, value)
        else:
            self._values[index] = self._check(value)
        self._owner._modified()

    def MergeFrom(self, other):  # noqa: N802 -- protobuf's method name
        if isinstance(other, RepeatedScalars) and other._field.scalar is self._field.scalar:
            self._values.extend(other._values)  # already checked
            self._owner._modified()
        else:
            self.extend(other)


def _check_all(field, values) -> list:
    """The checked items of ``values``; a 1-D NumPy array of a matching kind in one step."""
    dtype = getattr(values, "dtype", None)
    if getattr(values, "ndim", None) == 1 and hasattr(dtype, "kind"):
        if field.scalar.name == "int64" and dtype.kind == "i":
            return values.tolist()
        if field.scalar.name == "float" and dtype.kind == "f":
            return values.astype("float32").tolist()
    kind = field.scalar
    if not isinstance(values, list):
        values = list(values)
    if kind.name == "float":
        # One struct round trip rounds a whole list to float32; anything it refuses
        # (a str, an overflow) is checked item by item for protobuf's error or inf.
        code = "<%df" % len(values)
        try:
            return list(struct.unpack(code, struct.pack(code, *values)))
        except (struct.error, OverflowError, TypeError):
            pass
    elif kind.name in ("int64", "int32") and all(type(value) is int for value in values):
        if not values or (kind.low <= min(values) and max(values) <= kind.high):
            return values
    return [kind.check(value, field) for value in values]


class RepeatedMessages(_Repeated):
    """A repeated message field: ``add(**fields)`` appends a new message; ``append`` and
    ``extend`` append copies."""

    def _new(self):
        child = self._field.message_class()
        child._listener = self._owner._modified
        return child

    def add(self, **kwargs):
        child = self._new()
        child._init_fields(kwargs)
        self._values.append(child)
        self._owner._modified()
        return child

    def append(self, message):
        self._values.append(self._copy(message))
        self._owner._modified()

    def insert(self, index, message):
        self._values.insert(index, self._copy(message))
        self._owner._modified()

    def extend(self, messages):
        self._values.extend(self._copy(message) for message in messages)
        self._owner._modified()

    def _copy(self, message):
        child = self._new()
        child.CopyFrom(message)
        return child

    def __setitem__(self, index, value):
        raise TypeError(
            f"Repeated message field {self._field.full_name} does not support item "
            "assignment: use add(), append() or CopyFrom() on the item."
        )

    def MergeFrom(self, other):  # noqa: N802 -- protobuf's method name
        self.extend(other)


class _Map:
    def __init__(self, owner, field):
        self._owner = owner
        self._field = field
        self._values: dict = {}

    def _key(self, key):
        return self._field.map_key.check(key, self._field)

    def _ordered_keys(self) -> list:
        # protobuf iterates an integer-keyed map in key order (for the dense keys TF's
        # cluster specs hold); a string-keyed one here keeps the insertion order.
        if self._field.map_key.name == "string":
            return list(self._values)
        return sorted(self._values)

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._ordered_keys())

    def __contains__(self, key):
        return self._key(key) in self._values

    def __delitem__(self, key):
        del self._values[self._key(key)]
        self._owner._modified()

    def keys(self):
        return self._ordered_keys()

    def values(self):
        return [self._values[key] for key in self._ordered_keys()]

    def items(self):
        return [(key, self._values[key]) for key in self._ordered_keys()]

    def get(self, key, default=None):
        return self._values.get(self._key(key), default)

    def clear(self):
        self._values.clear()
        self._owner._modified()

    def __eq__(self, other):
        if isinstance(other, _Map):
            return self._values == other._values
        if isinstance(other, dict):
            return self._values == other
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(dict(self.items()))


class ScalarMap(_Map):
    """A map field with scalar values (``JobDef.tasks``: int32 -> string)."""

    def __getitem__(self, key):
        key = self._key(key)
        if key not in self._values:
            self._values[key] = self._field.scalar.default
            self._owner._modified()
        return self._values[key]

    def __setitem__(self, key, value):
        self._values[self._key(key)] = self._field.scalar.check(value, self._field)
        self._owner._modified()

    def update(self, other=(), **kwargs):
        for key, value in dict(other, **kwargs).items():
            self[key] = value

    def MergeFrom(self, other):  # noqa: N802 -- protobuf's method name
        self.update(other.items() if isinstance(other, _Map) else other)


class MessageMap(_Map):
    """A map field with message values (``Features.feature``: string -> Feature); values
    are changed in place, not assigned."""

    def __getitem__(self, key):
        key = self._key(key)
        child = self._values.get(key)
        if child is None:
            child = self._field.message_class()
            child._listener = self._owner._modified
            self._values[key] = child
            self._owner._modified()
        return child

    def get_or_create(self, key):
        return self[key]

    def __setitem__(self, key, value):
        raise ValueError("Message objects may not be assigned")

    def MergeFrom(self, other):  # noqa: N802 -- protobuf's method name
        for key, value in other.items():
            self._values.pop(self._key(key), None)
            self[key].CopyFrom(value)
