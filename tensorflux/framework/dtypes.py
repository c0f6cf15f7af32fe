"""DType objects and the rules that map Python and NumPy values onto them.

TensorFlow's dtypes are richer than NumPy's (``string``, ``bfloat16``) and its
conversion rules differ (a Python float is float32, a Python int is int32), so
tensorflux keeps its own DType objects and looks them up from NumPy dtypes
through a dictionary: that lookup is on the eager hot path.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DType",
    "as_dtype",
    "bfloat16",
    "bool",
    "complex64",
    "complex128",
    "double",
    "float16",
    "float32",
    "float64",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "qint8",
    "qint16",
    "qint32",
    "quint8",
    "quint16",
    "resource",
    "string",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "variant",
    "QUANTIZED_DTYPES",
]

_builtin_bool = bool


class DType:
    """A tensor element type, as ``tf.dtypes.DType``.

    >>> import tensorflux as tf
    >>> tf.float32.is_floating, tf.float32.size
    (True, 4)
    """

    __slots__ = ("_name", "_np", "_kind", "_enum")

    def __init__(self, name: str, np_dtype, kind: str, enum: int):
        self._name = name
        self._np = np_dtype
        self._kind = kind  # one of: f (float), i (signed int), u, b (bool), c, s (string)
        self._enum = enum

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type that holds values of this dtype."""
        if self._kind in "rv":
            # As TF: resource and variant have no NumPy type (its lookup fails by enum).
            raise KeyError(self._enum)
        if self._np is None and not _enable_bfloat16():
            raise TypeError(
                f"dtype {self._name} needs the optional package 'ml_dtypes' "
                "(pip install ml_dtypes) to be held in NumPy arrays."
            )
        if self._kind == "q":
            return self._np
        return object if self._kind == "s" else self._np.type

    @property
    def as_datatype_enum(self) -> int:
        return self._enum

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def is_floating(self) -> _builtin_bool:
        return self._kind == "f"

    @property
    def is_integer(self) -> _builtin_bool:
        return self._kind in "iu"

    @property
    def is_unsigned(self) -> _builtin_bool:
        return self._kind == "u"

    @property
    def is_complex(self) -> _builtin_bool:
        return self._kind == "c"

    @property
    def is_bool(self) -> _builtin_bool:
        return self._kind == "b"

    @property
    def is_numeric(self) -> _builtin_bool:
        return self._kind in "fiucq"

    @property
    def is_quantized(self) -> _builtin_bool:
        """Whether this is one of the quantized types (``tf.qint8`` ...)."""
        return self._kind == "q"

    @property
    def size(self) -> int:
        """Bytes per element (0 for string, as in TF)."""
        if self._kind in "srv":
            return 0
        return 2 if self._np is None else self._np.itemsize  # None: bfloat16 without ml_dtypes

    @property
    def min(self):
        """The smallest representable value.

        Raises:
            TypeError: for bool, string and complex dtypes, which have no order.
        """
        if self._kind == "f":
            return _finfo(self).min
        if self._kind in "iu":
            return np.iinfo(self._np).min
        if self._kind == "q":
            raise TypeError(f"Cannot find minimum value of {self} with quantized type {self}.")
        if self._kind in "rv":
            raise TypeError(f"Cannot find minimum value of {self}.")
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        """The largest representable value.

        Raises:
            TypeError: for bool, string and complex dtypes, which have no order.
        """
        if self._kind == "f":
            return _finfo(self).max
        if self._kind in "iu":
            return np.iinfo(self._np).max
        if self._kind == "q":
            raise TypeError(f"Cannot find maximum value of {self} with quantized type {self}.")
        if self._kind in "rv":
            raise TypeError(f"Cannot find maximum value of {self}.")
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    def is_compatible_with(self, other) -> _builtin_bool:
        return self is as_dtype(other)

    def __eq__(self, other):
        if other is None:
            return False
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


def _finfo(d: DType):
    if d is bfloat16:
        np_type = d.as_numpy_dtype  # raises a clear error without ml_dtypes
        import ml_dtypes

        return ml_dtypes.finfo(np_type)
    return np.finfo(d._np)


def _bfloat16_numpy():
    # bfloat16 is not a NumPy dtype; ml_dtypes provides one when installed.
    try:
        import ml_dtypes
    except ImportError:
        return None
    return np.dtype(ml_dtypes.bfloat16)


float16 = DType("float16", np.dtype(np.float16), "f", 19)
float32 = DType("float32", np.dtype(np.float32), "f", 1)
float64 = DType("float64", np.dtype(np.float64), "f", 2)
bfloat16 = DType("bfloat16", None, "f", 14)
int8 = DType("int8", np.dtype(np.int8), "i", 6)
int16 = DType("int16", np.dtype(np.int16), "i", 5)
int32 = DType("int32", np.dtype(np.int32), "i", 3)
int64 = DType("int64", np.dtype(np.int64), "i", 9)
uint8 = DType("uint8", np.dtype(np.uint8), "u", 4)
uint16 = DType("uint16", np.dtype(np.uint16), "u", 17)
uint32 = DType("uint32", np.dtype(np.uint32), "u", 22)
uint64 = DType("uint64", np.dtype(np.uint64), "u", 23)
bool = DType("bool", np.dtype(np.bool_), "b", 10)  # noqa: A001 - TF's public name
string = DType("string", np.dtype(object), "s", 7)
complex64 = DType("complex64", np.dtype(np.complex64), "c", 8)
complex128 = DType("complex128", np.dtype(np.complex128), "c", 18)
# Quantized types hold integers in NumPy records named after the type, as in TF; no op
# computes on them here, so they exist as DType objects (names, enums, sizes) only.
qint8 = DType("qint8", np.dtype([("qint8", np.int8)]), "q", 11)
quint8 = DType("quint8", np.dtype([("quint8", np.uint8)]), "q", 12)
qint32 = DType("qint32", np.dtype([("qint32", np.int32)]), "q", 13)
qint16 = DType("qint16", np.dtype([("qint16", np.int16)]), "q", 15)
quint16 = DType("quint16", np.dtype([("quint16", np.uint16)]), "q", 16)
# Handles to resources (variables) and opaque variant values, as TF names them.
resource = DType("resource", None, "r", 20)
variant = DType("variant", None, "v", 21)
half = float16
double = float64
QUANTIZED_DTYPES = frozenset({qint8, quint8, qint16, quint16, qint32})

_ALL = (
    float16,
    float32,
    float64,
    bfloat16,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    bool,
    string,
    complex64,
    complex128,
    qint8,
    quint8,
    qint32,
    qint16,
    quint16,
    resource,
    variant,
)
_BY_NAME = {d.name: d for d in _ALL}
_BY_ENUM = {d._enum: d for d in _ALL}
_BY_NAME.update(half=float16, double=float64, float=float32, int=int32, str=string)
# NumPy dtype -> DType; consulted for every eager op output.
_BY_NUMPY = {d._np: d for d in _ALL if d._np is not None}
_BY_NUMPY[np.dtype("U")] = string
_BY_NUMPY[np.dtype("S")] = string
_BY_PYTYPE = {
    float: float32,
    int: int32,
    _builtin_bool: bool,
    str: string,
    bytes: string,
    complex: complex128,
}


def _enable_bfloat16() -> _builtin_bool:
    """Attach ml_dtypes' bfloat16 to ``tf.bfloat16`` if that package is installed."""
    if bfloat16._np is None:
        np_bf16 = _bfloat16_numpy()
        if np_bf16 is None:
            return False
        bfloat16._np = np_bf16
        _BY_NUMPY[np_bf16] = bfloat16
    return True


def from_numpy(np_dtype) -> DType:
    """The DType of a NumPy dtype (fast path for eager outputs)."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        pass
    if np_dtype.kind in "US":
        return string
    if np_dtype.name == "bfloat16" and _enable_bfloat16():
        return bfloat16
    raise TypeError(f"NumPy dtype {np_dtype} has no tensorflux equivalent.")


# TF's kernel messages name these three by their C++ types.
_KERNEL_TYPE_NAMES = {float32: "float", float64: "double", float16: "half"}


def tf_type_name(dtype: DType) -> str:
    """The name TF's kernel and conversion messages give ``dtype`` (``float``, ``double``,
    ``half``; the others by their usual names)."""
    return _KERNEL_TYPE_NAMES.get(dtype, dtype.name)


def as_dtype(type_value) -> DType:
    """Converts a DType, NumPy dtype, Python type or name into a DType.

    >>> import tensorflux as tf
    >>> tf.as_dtype("float32"), tf.as_dtype(float)
    (tf.float32, tf.float32)

    Raises:
        TypeError: if the value names no dtype.
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            if d is bfloat16:
                _enable_bfloat16()
            return d
    if type(type_value) is int and type_value in _BY_ENUM:
        # TF's DataType enum values (``tf.float32.as_datatype_enum``).
        return _BY_ENUM[type_value]
    if isinstance(type_value, type) and type_value in _BY_PYTYPE:
        return _BY_PYTYPE[type_value]
    if type_value is not None:
        try:
            return from_numpy(np.dtype(type_value))
        except TypeError:
            pass
    raise TypeError(
        f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
    )
