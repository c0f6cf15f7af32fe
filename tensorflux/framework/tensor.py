"""``Tensor``: an immutable eager value, and conversion of Python/NumPy values into one.

A Tensor holds a NumPy array (or a NumPy scalar for rank 0, which is what NumPy
ufuncs return and saves a wrap on the hot path) and its DType. Operators
(``+``, ``@``, ``[]`` ...) are attached by ``tensorflux.ops.operators`` so that this
module does not depend on the op library.
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux.framework import dtypes, tensor_conversion
from tensorflux.framework.composite_tensor import CompositeTensor
from tensorflux.framework.shape import TensorShape

__all__ = ["Tensor", "SymbolicTensor", "convert_to_tensor", "constant", "is_tensor"]

_from_numpy = dtypes.from_numpy
_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


# The ops that iteration and conversion need ("unstack", "stack", "cast",
# "unsorted_segment_sum"), and those the engine's AutoGraph and tape call by function
# ("logical_and", "logical_or", "logical_not", "range", "TensorArray"), installed by
# ``tensorflux.ops.operators``: the framework and engine sit below the op library and
# must not import it.


class _Hooks(dict):
    """``op_hooks``: a hook whose module loads on first use is installed as a function
    in ``loaders`` that imports it and returns it; the first lookup calls it."""

    def __init__(self):
        super().__init__()
        self.loaders: dict = {}

    def __missing__(self, key):
        loader = self.loaders.pop(key, None)
        if loader is None:
            raise KeyError(key)
        self[key] = value = loader()
        return value


op_hooks = _Hooks()


class Tensor:
    """An immutable multi-dimensional array with a dtype, as ``tf.Tensor``.

    >>> import tensorflux as tf
    >>> tf.constant([[1, 2], [3, 4]]) + 1
    <tf.Tensor: shape=(2, 2), dtype=int32, numpy=
    array([[2, 3],
           [4, 5]], dtype=int32)>
    """

    # _keras_mask: the mask a Keras masking layer attached to this output (unset if none).
    # _keras_logits: the logits of a softmax or sigmoid output (unset if none), which
    # Keras' cross-entropy losses use instead of the clipped probabilities.
    # _sliced_from: (variable, key) of a variable's slice, which can assign into it.
    __slots__ = ("_value", "_dtype", "_keras_mask", "_keras_logits", "_sliced_from", "__weakref__")
    # Makes NumPy defer ``ndarray + Tensor`` to Tensor.__radd__, so the result is a Tensor.
    __array_priority__ = 100

    def __init__(self, value, dtype: dtypes.DType):
        self._value = value
        self._dtype = dtype

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape._from_tuple(self._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        """Checks that ``shape`` is compatible with this (fully known) shape."""
        if not self.shape.is_compatible_with(shape):
            raise ValueError(
                f"Tensor's shape {self.shape} is not compatible with supplied shape "
                f"{TensorShape(shape)}."
            )

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return _DEVICE

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for rank 0)."""
        v = self._value
        return v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v

    def __array__(self, dtype=None, copy=None):
        v = np.asarray(self._value)
        if dtype is not None and v.dtype != dtype:
            return v.astype(dtype)
        return v.copy() if copy else v

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        """The tensor's data as a DLPack capsule (``np.from_dlpack(tensor)``, PyTorch's
        and JAX's ``from_dlpack`` read it).

        Raises:
            RuntimeError: a ``stream`` (the data is on the CPU), as TF.
        """
        from tensorflux.framework.dlpack import capsule_of

        if stream is not None:
            raise RuntimeError("tf.Tensor does not support DLPack export with a non-None stream")
        # Only the arguments given: NumPy before 2.1 takes none of the newer ones.
        given = {"max_version": max_version, "dl_device": dl_device, "copy": copy}
        return capsule_of(self._value, **{k: v for k, v in given.items() if v is not None})

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0

    def ref(self):
        """A hashable reference to this tensor (``Tensor`` itself is not hashable)."""
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return iter(op_hooks["unstack"](self))

    def __bool__(self):
        v = self._value
        if v.size != 1:
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. "
                "Use a.any() or a.all()"
            )
        return bool(v)

    def __float__(self):
        return float(_zero_dimensional(self._value))

    def __int__(self):
        return int(_zero_dimensional(self._value))

    def __index__(self):
        if not self._dtype.is_integer or self._value.ndim != 0:
            raise TypeError(
                f"Only integer scalar tensors can be used as an index, got dtype "
                f"{self._dtype.name} and shape {self.shape}."
            )
        return int(self._value)

    def __complex__(self):
        return complex(self._value)

    def __format__(self, spec):
        if self._value.ndim == 0:
            return format(self.numpy(), spec)
        return format(str(self.numpy()), spec)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return constant, (self.numpy(), self._dtype)

    def __repr__(self):
        return (
            f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
            f"numpy={_numpy_text(self, is_repr=True)}>"
        )

    def __str__(self):
        return f"tf.Tensor({_numpy_text(self)}, shape={self.shape}, dtype={self._dtype.name})"


def _numpy_text(t: Tensor, is_repr: bool = False) -> str:
    """The value as TF prints it: scalars as Python values in repr, arrays as NumPy does,
    on a new line when NumPy's text spans several lines."""
    v = t.numpy()
    if t._value.ndim == 0:
        if isinstance(v, bytes):
            return repr(v)
        return repr(v.item()) if is_repr else str(v)
    text = repr(v) if is_repr else str(v)
    return "\n" + text if "\n" in text else text


class Reference:
    """A hashable handle on a tensor or variable, compared by identity (``Tensor.ref()``)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self):
        return f"<Reference at {id(self):#x} of {self._obj!r}>"


def is_tensor(x) -> bool:
    """True for tensors, variables, IndexedSlices and SparseTensors (``tf.is_tensor``)."""
    return isinstance(x, (Tensor, CompositeTensor)) or hasattr(x, "_as_tensor")


# ---------------------------------------------------------------------------
# Conversion of Python and NumPy values.


def _default_dtype(arr: np.ndarray, value) -> dtypes.DType:
    """The dtype TF gives a Python value whose NumPy conversion is ``arr``."""
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype.itemsize == 8 and not _holds_numpy_or_tensor(value, np.floating):
        return dtypes.float32
    if kind == "f" and arr.dtype.itemsize == 8 and type(_first_leaf(value)) is float:
        # TF takes a list's float type from its first element: [1.5, np.float64(2)] is
        # float32, [np.float64(2), 1.5] float64.
        return dtypes.float32
    if kind in "iu" and not _holds_tensor(value):
        # Integers in a Python list, NumPy's of any width included, are int32 unless
        # one of them does not fit (TF converts them as Python ints).
        if arr.size == 0 or (arr.min() >= -(2**31) and arr.max() < 2**31):
            return dtypes.int32
        if kind == "i" or arr.max() < 2**63:
            return dtypes.int64
    if kind in "US":
        if _mixes_strings(value):
            raise ValueError(
                f"Can't convert Python sequence with mixed types to Tensor: "
                f"{_short(value)}. Use one type for all elements (strings, or "
                f"numbers)."
            )
        return dtypes.string
    if kind == "O" or (kind == "u" and not _holds_numpy_or_tensor(value, np.integer)):
        # NumPy falls back to uint64/object for Python ints beyond int64; TF refuses them.
        raise ValueError(
            f"Can't convert {_short(value)} to a Tensor: it holds an integer "
            "outside the int64 range or values of mixed types."
        )
    return _from_numpy(arr.dtype)


def _mixes_strings(value) -> bool:
    """Whether a nested Python list holds both strings and other values."""
    kinds = set()

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        else:
            kinds.add(isinstance(v, (str, bytes, np.str_, np.bytes_)))

    walk(value)
    return len(kinds) > 1


def _holds_numpy_or_tensor(value, np_kind) -> bool:
    """True when a nested list carries NumPy/tensor values, whose dtype TF keeps."""
    if isinstance(value, (list, tuple)):
        return any(_holds_numpy_or_tensor(v, np_kind) for v in value)
    return isinstance(value, (np.ndarray, Tensor)) or isinstance(value, np_kind)


def _holds_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_holds_tensor(v) for v in value)
    return isinstance(value, Tensor)


def _first_leaf(value):
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return value


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def _zero_dimensional(value: np.ndarray) -> np.ndarray:
    # NumPy 2's error on every NumPy: NumPy 1 converted size-1 arrays and said "length-1".
    if value.ndim:
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    return value


def _to_string_array(arr: np.ndarray) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, item in enumerate(arr.reshape(-1)):
        if isinstance(item, str):
            flat[i] = item.encode("utf-8")
        elif isinstance(item, (bytes, np.bytes_)):
            flat[i] = bytes(item)
        else:
            if any(isinstance(x, (str, bytes, np.str_, np.bytes_)) for x in arr.reshape(-1)):
                raise ValueError(
                    f"Can't convert Python sequence with mixed types to Tensor: "
                    f"{_short(arr.tolist())} holds strings and {item!r}. Use one "
                    f"type for all elements."
                )
            # bytes(3) would be three zero bytes: refuse, as TF does.
            raise TypeError(
                f"Cannot convert {_short(arr.tolist())} to EagerTensor of dtype string: "
                f"{item!r} is not a string. Convert numbers to str first, "
                f"or pass a numeric dtype."
            )
    return out


def _python_to_dtype(value, dtype: dtypes.DType) -> np.ndarray:
    """Converts a Python (non-NumPy) value to ``dtype`` as TF does: no lossy casts."""
    if dtype is dtypes.string:
        arr = np.asarray(value, dtype=object)
        return _to_string_array(arr)
    arr = np.asarray(value)
    if arr.dtype.kind in "USO":
        raise TypeError(
            f"Cannot convert {_short(value)} to EagerTensor of dtype {dtypes.tf_type_name(dtype)}"
        )
    target = dtype.as_numpy_dtype
    kind = arr.dtype.kind
    if arr.size == 0 and kind == "f":
        return arr.astype(target)  # [] holds no float: any dtype takes it
    if (
        (kind == "c" and not dtype.is_complex)
        or (kind in "fiu" and dtype.is_bool)
        or (kind == "f" and dtype.is_integer)
    ):
        raise TypeError(
            f"Cannot convert {_short(value)} to EagerTensor of dtype {dtypes.tf_type_name(dtype)}"
        )
    if kind == "u" and dtype is not dtypes.uint64:
        raise ValueError(
            f"Can't convert {_short(value)} to a Tensor of dtype {dtype.name}: "
            "integer outside the int64 range."
        )
    # As in TF, ints wrap around into narrower integer dtypes and floats overflow to inf.
    if kind == "f":
        with np.errstate(over="ignore"):
            return arr.astype(target, copy=False)
    return arr.astype(target, copy=False)


def _is_tensor_element(v) -> bool:
    return isinstance(v, Tensor) or hasattr(v, "_as_tensor")


def _holds_tensor(value) -> bool:
    if not isinstance(value, (list, tuple)):
        return False
    for v in value:
        if _is_tensor_element(v) or (isinstance(v, (list, tuple)) and _holds_tensor(v)):
            return True
    return False


def _first_tensor(value):
    for v in value:
        if _is_tensor_element(v):
            return v
        if isinstance(v, (list, tuple)) and _holds_tensor(v):
            return _first_tensor(v)
    return None


def _auto_pack(value, dtype) -> Tensor:
    """A (nested) list mixing tensors (eager or traced) and Python numbers, stacked into
    one tensor as TF does (``tf.reshape(x, [tf.shape(x)[0], -1])``): the first tensor's
    dtype is the dtype of all, and gradients flow back to the tensors."""
    stack = op_hooks["stack"]
    if dtype is None:
        dtype = convert_to_tensor(_first_tensor(value))._dtype
    return stack(
        [
            _auto_pack(v, dtype)
            if isinstance(v, (list, tuple)) and _holds_tensor(v)
            else convert_to_tensor(v, dtype)
            for v in value
        ]
    )


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """Converts a Python value, NumPy array, Tensor or Variable to a Tensor.

    Python floats become float32 and ints int32 (int64 if they do not fit); NumPy
    arrays keep their dtype unless ``dtype`` asks for another.

    >>> import tensorflux as tf
    >>> tf.convert_to_tensor([1.0, 2.0]).dtype
    tf.float32

    Raises:
        ValueError: a Tensor of another dtype than ``dtype``.
        TypeError: a Python value that cannot be held in ``dtype`` (e.g. 1.5 as int32).
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if type(value) is Tensor:
        if dtype is not None and value._dtype is not dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                f"dtype {value._dtype.name}: {value!r}"
            )
        return value
    as_tensor = getattr(value, "_as_tensor", None)
    if as_tensor is not None:
        t = as_tensor()
        if dtype is not None and t._dtype is not dtype and hasattr(value, "_conversion_error"):
            raise value._conversion_error(dtype)
        return convert_to_tensor(t, dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._dtype is not dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                f"dtype {value._dtype.name}: {value!r}"
            )
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind in "US" or (value.dtype.kind == "O" and dtype in (None, dtypes.string)):
            arr = _to_string_array(np.asarray(value))
            result = Tensor(arr, dtypes.string)
            if dtype is not None and dtype is not dtypes.string:
                raise TypeError(f"Cannot convert string array to dtype {dtype.name}")
            return result
        if dtype is None and dtype_hint is not None:
            # As TF: a NumPy value takes the preferred dtype, cast as NumPy casts it.
            hint = dtypes.as_dtype(dtype_hint)
            if hint is not dtypes.string and value.dtype.kind != "O":
                with np.errstate(all="ignore"):
                    return Tensor(np.asarray(value).astype(hint.as_numpy_dtype), hint)
        if dtype is None:
            return Tensor(value, _from_numpy(value.dtype))
        return Tensor(value.astype(dtype.as_numpy_dtype, copy=False), dtype)
    if tensor_conversion.registered and type(value) not in (list, tuple):
        converted = tensor_conversion.convert_registered(value, dtype, name)
        if converted is not None:
            return converted
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        return _auto_pack(value, dtype)
    if dtype is None and dtype_hint is not None:
        try:
            return Tensor(
                _python_to_dtype(value, dtypes.as_dtype(dtype_hint)), dtypes.as_dtype(dtype_hint)
            )
        except (TypeError, ValueError):
            pass
    if dtype is not None:
        if isinstance(value, (list, tuple)) and _holds_numpy_or_tensor(value, np.generic):
            return convert_to_tensor(np.asarray(value), dtype)
        return Tensor(_python_to_dtype(value, dtype), dtype)
    if isinstance(value, float):
        return Tensor(np.float32(value), dtypes.float32)
    if isinstance(value, bool):
        return Tensor(np.bool_(value), dtypes.bool)
    if isinstance(value, int) and -(2**31) <= value < 2**31:
        return Tensor(np.int32(value), dtypes.int32)
    if isinstance(value, (str, bytes)):
        return Tensor(
            np.array(value.encode() if isinstance(value, str) else value, dtype=object),
            dtypes.string,
        )
    if value is None:
        raise ValueError(
            "Attempt to convert a value (None) with an unsupported type "
            "(<class 'NoneType'>) to a Tensor."
        )
    if not isinstance(value, (list, tuple, numbers.Number, np.ndarray)) and not hasattr(
        value, "__array__"
    ):
        raise ValueError(
            f"Attempt to convert a value ({_short(value)}) with an unsupported "
            f"type ({type(value)}) to a Tensor."
        )
    try:
        arr = np.asarray(value)
    except ValueError as e:
        raise ValueError(
            f"Can't convert non-rectangular Python sequence to Tensor: "
            f"{_short(value)} ({e}). Every row must have the same length."
        ) from None
    dt = _default_dtype(arr, value)
    if dt is dtypes.string:
        if arr.dtype.kind == "S" and isinstance(value, (list, tuple)):
            # NumPy's fixed-width bytes drop trailing NUL bytes; binary strings keep them.
            arr = np.asarray(value, dtype=object)
        return Tensor(_to_string_array(arr), dt)
    return Tensor(arr.astype(dt.as_numpy_dtype, copy=False), dt)


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """Creates a constant tensor from a value (``tf.constant``).

    Args:
        value: a Python scalar or nested list, a NumPy array, or a Tensor.
        dtype: the element type; NumPy arrays are cast to it, Python values must fit it.
        shape: if given, a scalar ``value`` is filled into this shape and a value with
            the same number of elements is reshaped to it.

    >>> import tensorflux as tf
    >>> tf.constant(0.0, shape=[2])
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 0.], dtype=float32)>

    Raises:
        TypeError: a value that does not fit ``dtype`` or ``shape``.
    """
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        t = convert_to_tensor(value)
        if dtype is not None and t._dtype is not dtypes.as_dtype(dtype):
            t = op_hooks["cast"](t, dtype)
    elif isinstance(value, np.ndarray) and dtype is not None:
        t = convert_to_tensor(value, dtype)
    else:
        t = convert_to_tensor(value, dtype)
    if shape is None:
        return t
    shape = tuple(TensorShape(shape).as_list())
    arr = np.asarray(t._value)
    if arr.shape == shape:
        return t
    if arr.size == 1:
        return Tensor(np.full(shape, arr.reshape(()), dtype=arr.dtype), t._dtype)
    if arr.size == int(np.prod(shape)):
        return Tensor(arr.reshape(shape), t._dtype)
    raise TypeError(
        f"Eager execution of tf.constant with unsupported shape. Tried to convert "
        f"a value with {arr.size} elements (shape {arr.shape}) to shape {shape}."
    )


_SYMBOLIC_HELP = (
    "it is a symbolic tensor inside a tf.function, whose value exists only when the "
    "function runs. Use tf.print to print values, tf.cond / tf.while_loop (or Python "
    "`if`/`while` on tensors, which tf.function converts) for control flow, or run the "
    "function eagerly with tf.config.run_functions_eagerly(True) to debug."
)


class SymbolicTensor(Tensor):
    """A value inside a ``tf.function`` being traced.

    It carries an *example value* (from the call that triggered the trace), so that
    every op validates shapes and dtypes at trace time exactly as it would eagerly,
    but the user cannot read it: its real value differs on every call.
    """

    # _shape: the static shape when only partly known (None dims from an input_signature
    # or from data), else None: the example's shape is the shape.
    # _dynamic_shape: the value's shape depends on data (tf.where, tf.unique).
    # Ops reading only the shape of either kind stay in the graph instead of folding.
    __slots__ = ("_graph", "_slot", "_op_name", "_dynamic_shape", "_shape")

    def __init__(
        self,
        value,
        dtype,
        graph,
        slot: int,
        op_name: str,
        dynamic_shape: bool = False,
        shape: TensorShape | None = None,
    ):
        self._value = value
        self._dtype = dtype
        self._graph = graph
        self._slot = slot
        self._op_name = op_name
        self._dynamic_shape = dynamic_shape
        self._shape = shape

    @property
    def shape(self) -> TensorShape:
        if self._shape is not None:
            return self._shape
        return TensorShape._from_tuple(self._value.shape)

    @property
    def graph(self):
        return self._graph

    @property
    def name(self) -> str:
        return f"{self._op_name}:0"

    @property
    def numpy(self):
        # An AttributeError, as TF raises: graph tensors have no numpy().
        raise AttributeError(
            f"'SymbolicTensor' object has no attribute 'numpy': tensor "
            f"'{self.name}' {_SYMBOLIC_HELP[3:]}"
        )

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ('{self.name}') to a "
            f"NumPy array: {_SYMBOLIC_HELP}"
        )

    def _not_allowed(self, what: str):
        from tensorflux.framework.errors import OperatorNotAllowedInGraphError

        return OperatorNotAllowedInGraphError(
            f"Using a symbolic `tf.Tensor` ('{self.name}') as a Python {what} is not "
            f"allowed: {_SYMBOLIC_HELP}"
        )

    def __len__(self):
        # As TF: even a known size is not given out, so code does not come to rely on it.
        raise TypeError(
            f"len is not well defined for a symbolic Tensor ({self.name}). Please "
            f"call `x.shape` rather than `len(x)` for shape information, or "
            f"tf.shape(x)[0] for a size known only when the function runs."
        )

    def __bool__(self):
        raise self._not_allowed("`bool`")

    def __float__(self):
        raise self._not_allowed("`float`")

    def __int__(self):
        raise self._not_allowed("`int`")

    def __index__(self):
        raise self._not_allowed("index")

    def __format__(self, spec):
        return format(repr(self), spec)

    def __reduce__(self):
        raise TypeError(f"Cannot pickle symbolic tensor '{self.name}'.")

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self.shape}, dtype={self._dtype.name})'
