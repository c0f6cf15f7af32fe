"""Tensors made from shapes and scalars: zeros, ones, fill, eye, range, one_hot, linspace ...

None of these is differentiable. ``array_ops`` re-exports them, as TF groups them
there; they live apart to keep that file readable. ``range`` in this module is
tf.range; Python's is ``builtins.range``.
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError, kernel_failure
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor, Tensor, convert_to_tensor
from tensorflux.ops.common import known_shape, shape_hint, to_tensor

__all__ = [
    "zeros",
    "ones",
    "zeros_like",
    "ones_like",
    "fill",
    "eye",
    "range",
    "one_hot",
    "linspace",
    "meshgrid",
    "sequence_mask",
]


def int_values(
    value,
    op_name: str,
    what: str,
    *,
    attr: str = "T",
    floats: type = TypeError,
    strings: type = TypeError,
) -> np.ndarray:
    """An integer argument (int, nested list, NumPy array, integer Tensor) as an int64 array.

    Checked as TF checks it: nothing is truncated or parsed. ``floats`` and ``strings``
    are the exception classes TF raises for those at this argument (``TypeError`` where
    TF converts it to int32 first, ``InvalidArgumentError`` where the op's ``attr`` type
    check refuses it).

    Raises:
        ValueError: None, or a list mixing strings and numbers.
    """
    kinds = set()

    def walk(v):
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            v = convert_to_tensor(v).numpy()
        if isinstance(v, (np.ndarray, np.generic)):
            kind = v.dtype.kind
            kinds.add("int" if kind in "iub" else "float" if kind in "fc" else "str")
            return v.tolist() if kind in "iub" else 0
        if v is None:
            kinds.add("none")
        elif isinstance(v, (int, np.integer)):
            kinds.add("int")
            return int(v)
        elif isinstance(v, (float, np.floating)):
            kinds.add("float")
        elif isinstance(v, (str, bytes)):
            kinds.add("str")
        else:
            kinds.add("other")
        return 0

    if isinstance(value, TensorShape):
        value = value.as_list()
    flat = walk(value)

    def shown() -> str:
        # Only on failure: the repr of a tensor argument costs milliseconds.
        return f"{op_name}: the {what} must be integers, got {value!r}"

    if "none" in kinds or ("str" in kinds and len(kinds) > 1):
        raise ValueError(
            f"Can't convert Python sequence with mixed types (or None) to Tensor. {shown()}."
        )
    bad = (
        "str"
        if "str" in kinds
        else "float"
        if "float" in kinds
        else ("other" if "other" in kinds else None)
    )
    if bad is not None:
        cls = strings if bad == "str" else floats if bad == "float" else TypeError
        if cls is TypeError:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32. {shown()}.")
        name = "string" if bad == "str" else "float"
        raise cls(
            None,
            op_name,
            f"Value for attr '{attr}' of {name} is not in the list of "
            f"allowed values: int32, int64 [Op:{op_name}]. {shown()}.",
        )
    try:
        return np.asarray(flat, dtype=np.int64)
    except ValueError:
        raise ValueError(
            f"Can't convert non-rectangular Python sequence to Tensor. {shown()}, of equal lengths."
        ) from None


def shape_arg(shape, op_name: str = "Fill", what: str = "shape", **kinds) -> tuple:
    """A shape argument (list, tuple, TensorShape, int, Tensor) as a tuple of ints.

    Raises:
        TypeError, InvalidArgumentError, ValueError: as ``int_values``; also
            InvalidArgumentError for a shape of rank 2 or more.
    """
    if type(shape) is tuple and all(type(d) is int for d in shape):
        return shape
    if isinstance(shape, TensorShape) and not shape.is_fully_defined():
        raise ValueError(f"{op_name}: the {what} must be fully defined, got {shape}.")
    dims = int_values(shape, op_name, what, **kinds)
    if dims.ndim > 1:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: the {what} must be a vector (1-D), got shape "
            f"{list(dims.shape)} [Op:{op_name}]. Pass a flat list of sizes.",
        )
    return tuple(int(d) for d in dims.reshape(-1))


def int_list_arg(value, op_name: str = "op", what: str = "argument", **kinds) -> list:
    """An int vector argument (list, tuple, NumPy array, Tensor) as a list of ints.

    Floats and strings raise InvalidArgumentError (TF's attr check) unless ``kinds``
    says otherwise (see ``int_values``).
    """
    kinds.setdefault("floats", InvalidArgumentError)
    kinds.setdefault("strings", InvalidArgumentError)
    return [int(v) for v in int_values(value, op_name, what, **kinds).reshape(-1)]


def int_scalar_arg(value, op_name: str, what: str) -> int:
    """An integer scalar argument (int, NumPy or Tensor) as an int.

    Raises:
        TypeError: a float (TF converts it to int32 first).
        InvalidArgumentError: a string, or a value that is not a scalar.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op_name}: {what} must be an integer, got {value!r}.")
    v = int_values(value, op_name, what, floats=TypeError, strings=InvalidArgumentError)
    if v.ndim != 0:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: {what} must be an integer scalar, got {value!r} [Op:{op_name}].",
        )
    return int(v)


def _allocate(make, dims, dtype: dtypes.DType, op_name: str):
    """``make(dims, dtype)`` (np.zeros, np.ones ...), with NumPy's refusal of a huge array
    reported as TF reports it."""
    try:
        return make(dims, dtype=dtype.as_numpy_dtype)
    except (MemoryError, ValueError) as e:
        raise kernel_failure(
            e, op_name, f"{op_name} of shape {list(dims)} and dtype {dtype.name}"
        ) from None


def _numeric_dtype(dtype, op_name: str, example) -> dtypes.DType:
    """``dtype`` for an op that makes numbers: a string dtype is refused as TF refuses
    converting the first number to it."""
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        raise TypeError(
            f"Cannot convert {example!r} to EagerTensor of dtype string: "
            f"{op_name} makes numbers. Use tf.strings.as_string to format them."
        )
    return dtype


def _fill_dims(shape, **kinds) -> tuple:
    """A shape to fill: ``shape_arg`` that also rejects negative sizes, as TF's Fill does."""
    dims = shape_arg(shape, **kinds)
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(
                None,
                "Fill",
                f"Dimension {d} must be >= 0 [Op:Fill] (requested shape {list(dims)}).",
            )
    return dims


def _fill_kernel(dims, value):
    if np.any(dims < 0):
        raise ValueError(
            f"Dimension {int(dims[dims < 0][0])} must be >= 0 (requested shape {dims.tolist()})"
        )
    return np.full(tuple(dims.tolist()), value, dtype=np.asarray(value).dtype)


def _fill_infer(dims: Spec, value: Spec) -> Spec:
    if dims.value is not None:
        return Spec(value.dtype, TensorShape(list(dims.value)))
    n = dims.shape[0] if dims.shape.rank == 1 else None
    return Spec(value.dtype, TensorShape(None if n is None else [None] * n))


def _fill_grad(call, dy):
    """d value = sum(dy); the shape gets no gradient."""
    from tensorflux.ops.reduction_ops import reduce_sum

    return None, reduce_sum(dy)


# tf.fill always runs it (its value gets a gradient); zeros/ones only inside a trace
# when the shape is known only when the graph runs.
_FILL = register("Fill", kernel=_fill_kernel, grad=_fill_grad, infer=_fill_infer, shape_inputs=(0,))


def is_traced_shape(shape) -> bool:
    """Whether a shape argument holds values known only when a traced graph runs: a
    traced tensor, or a list holding traced scalars (``[tf.shape(x)[0], 3]``)."""
    if type(shape) is SymbolicTensor:
        return True
    if type(shape) is list or type(shape) is tuple:
        for d in shape:
            if type(d) is SymbolicTensor:
                return True
    return False


def traced_shape_arg(shape) -> tuple:
    """A traced shape argument as ``(int32 shape tensor, dims known at trace time)``."""
    hint = shape_hint(shape)
    if type(shape) is not SymbolicTensor:
        # TF packs int64 dims too (its shape ops take int64): they fit in int32.
        from tensorflux.ops.math_ops import cast

        shape = convert_to_tensor(
            [
                cast(d, dtypes.int32) if getattr(d, "dtype", None) is dtypes.int64 else d
                for d in shape
            ],
            dtypes.int32,
        )
        if type(shape) is SymbolicTensor:
            # Ops taking it as an input see what tracing knows of it (``Spec.value``).
            shape._graph.shape_values[shape._slot] = list(hint)
    return shape, hint


def _traced_fill(shape, value):
    """The Fill node when the shape exists only when a traced graph runs, else None."""
    if not is_traced_shape(shape):
        return None
    return execute(_FILL, (traced_shape_arg(shape)[0], value))


def _zeros_array(shape, dtype: dtypes.DType) -> np.ndarray:
    """Zeros of ``dtype``; a string tensor's zero is the empty string, as in TF."""
    if dtype is dtypes.string:
        return np.full(shape, b"", dtype=object)
    return np.zeros(shape, dtype=dtype.as_numpy_dtype)


def zeros(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of zeros (``tf.zeros``); float32 unless ``dtype`` says otherwise.

    >>> import tensorflux as tf
    >>> tf.zeros([2, 1]).shape
    TensorShape([2, 1])
    """
    dtype = dtypes.as_dtype(dtype)
    traced = _traced_fill(shape, Tensor(_zeros_array((), dtype), dtype))
    if traced is not None:
        return traced
    if dtype is dtypes.string:
        return Tensor(_zeros_array(_fill_dims(shape), dtype), dtype)
    return Tensor(_allocate(np.zeros, _fill_dims(shape), dtype, "Fill"), dtype)


def ones(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of ones (``tf.ones``); float32 unless ``dtype`` says otherwise."""
    dtype = _numeric_dtype(dtype, "ones", 1)
    traced = _traced_fill(shape, Tensor(np.ones((), dtype.as_numpy_dtype), dtype))
    if traced is not None:
        return traced
    return Tensor(_allocate(np.ones, _fill_dims(shape), dtype, "Fill"), dtype)


def _like_infer(x: Spec, dtype) -> Spec:
    return Spec(dtype, x.shape)


# zeros_like/ones_like of a traced tensor whose shape is known only when the graph runs
# (elsewhere they are constants): they depend on its shape only, so have no gradient.
_ZEROS_LIKE = register(
    "ZerosLike",
    grad=None,
    infer=_like_infer,
    kernel=lambda x, dtype: _zeros_array(x.shape, dtype),
)
_ONES_LIKE = register(
    "OnesLike",
    grad=None,
    infer=_like_infer,
    kernel=lambda x, dtype: np.ones(x.shape, dtype=dtype.as_numpy_dtype),
)


def zeros_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Zeros with the shape (and, unless given, dtype) of ``input``."""
    x = to_tensor(input)
    dtype = x._dtype if dtype is None else dtypes.as_dtype(dtype)
    shape = known_shape(x)
    if shape is None:
        return execute(_ZEROS_LIKE, (x,), {"dtype": dtype})
    return Tensor(_zeros_array(shape, dtype), dtype)


def ones_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    """Ones with the shape (and, unless given, dtype) of ``input``."""
    x = to_tensor(input)
    if dtype is None and x._dtype is dtypes.string:
        raise InvalidArgumentError(
            None,
            "OnesLike",
            "Value for attr 'T' of string is not in "
            "the list of allowed values: numeric types and bool "
            "[Op:OnesLike]. A string tensor has no 'one'.",
        )
    dtype = x._dtype if dtype is None else _numeric_dtype(dtype, "ones_like", 1)
    shape = known_shape(x)
    if shape is None:
        return execute(_ONES_LIKE, (x,), {"dtype": dtype})
    return Tensor(np.ones(shape, dtype=dtype.as_numpy_dtype), dtype)


def fill(dims, value, name=None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value``, whose dtype it takes (``tf.fill``).

    Raises:
        InvalidArgumentError: a non-scalar ``value``.
    """
    v = to_tensor(value)
    if v._value.ndim != 0:
        raise InvalidArgumentError(
            None,
            "Fill",
            f"Fill: value must be a scalar, got shape {v.shape} [Op:Fill]. Pass a single number.",
        )
    if is_traced_shape(dims):
        return execute(_FILL, (traced_shape_arg(dims)[0], v))
    dims = Tensor(
        np.asarray(_fill_dims(dims, floats=InvalidArgumentError), dtype=np.int32), dtypes.int32
    )
    # Through the Fill op, so that the gradient reaches ``value`` (the sum of dy).
    return execute(_FILL, (dims, v))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None) -> Tensor:
    """An identity matrix, or a batch of them of shape ``batch_shape + [rows, cols]``.

    >>> import tensorflux as tf
    >>> tf.eye(2, 3).numpy()
    array([[1., 0., 0.],
           [0., 1., 0.]], dtype=float32)
    """
    dtype = _numeric_dtype(dtype, "eye", 1)
    for v in (num_rows, num_columns):
        if v is not None and (
            isinstance(v, (bool, float, str)) or not isinstance(v, (int, np.integer, Tensor))
        ):
            raise TypeError(
                f"Arguments `num_rows` and `num_columns` must be positive integer "
                f"values. Received: num_rows={num_rows}, num_columns="
                f"{num_rows if num_columns is None else num_columns}"
            )
    rows = int_scalar_arg(num_rows, "Eye", "num_rows")
    cols = rows if num_columns is None else int_scalar_arg(num_columns, "Eye", "num_columns")
    batch = () if batch_shape is None else _fill_dims(batch_shape)
    _fill_dims((rows, cols))
    out = np.eye(rows, cols, dtype=dtype.as_numpy_dtype)
    if batch:
        out = np.broadcast_to(out, batch + (rows, cols)).copy()
    return Tensor(out, dtype)


# -- Range ------------------------------------------------------------------


def _range_kernel(start, limit, delta):
    if delta == 0:
        raise InvalidArgumentError(None, "Range", f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise InvalidArgumentError(
            None, "Range", f"Requires start <= limit when delta > 0: {start}/{limit}"
        )
    if delta < 0 and start < limit:
        raise InvalidArgumentError(
            None, "Range", f"Requires start >= limit when delta < 0: {start}/{limit}"
        )
    return np.arange(start, limit, delta, dtype=start.dtype)


def _range_infer(start: Spec, limit: Spec, delta: Spec) -> Spec:
    return Spec(start.dtype, TensorShape([None]))


_RANGE = register(
    "Range",
    dynamic_shape=True,
    kernel=_range_kernel,
    grad=None,
    infer=_range_infer,
    same_dtype=True,
)

# TF picks the widest of the argument dtypes in this order.
_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def range(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:  # noqa: A001
    """The sequence ``start, start + delta, ...`` up to but excluding ``limit`` (``tf.range``).

    With one argument it is the limit and the sequence starts at 0. The dtype is the
    widest of the arguments' (int32 < int64 < float32 < float64) unless ``dtype`` is given.

    >>> import tensorflux as tf
    >>> tf.range(1.0, 3.0).numpy()
    array([1., 2.], dtype=float32)

    Raises:
        InvalidArgumentError: ``delta`` of 0, or one pointing away from ``limit``.
    """
    if limit is None:
        start, limit = 0, start
    for a in (start, limit, delta):
        if isinstance(a, (str, bytes)):
            raise TypeError(
                f"tf.range: start, limit and delta must be numbers, got {a!r}. "
                f"Convert strings with int(...) or tf.strings.to_number."
            )
    if dtype is not None:
        dtype = _numeric_dtype(dtype, "range", 0)
    args = [to_tensor(a) for a in (start, limit, delta)]
    if dtype is None:
        dtype = max(
            (a._dtype for a in args),
            key=lambda d: _RANGE_ORDER.index(d) if d in _RANGE_ORDER else -1,
        )
    dtype = _range_dtype(dtypes.as_dtype(dtype), start)
    np_dtype = dtype.as_numpy_dtype
    args = [
        a
        if a._dtype is dtype
        else _cast_traced(a, dtype)
        if type(a) is SymbolicTensor
        else Tensor(np.asarray(a._value).astype(np_dtype), dtype)
        for a in args
    ]
    return execute(_RANGE, args)


# Range's Tidx attr, in TF's order, and the dtypes its CPU kernel exists for.
_RANGE_TIDX = ("bfloat16", "half", "float", "double", "int8", "int16", "int32", "int64",
               "uint16", "uint32", "uint64")  # fmt: skip
_RANGE_KERNELS = frozenset(
    {dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64}
)


def _range_dtype(dtype: dtypes.DType, start) -> dtypes.DType:
    """``dtype`` if TF's Range makes it, else TF's error for it."""
    if dtype in _RANGE_KERNELS:
        return dtype
    if dtype is dtypes.bool:
        raise TypeError(f"Cannot convert {start!r} to EagerTensor of dtype bool")
    if dtypes.tf_type_name(dtype) in _RANGE_TIDX:
        raise NotFoundError(
            None,
            "Range",
            f"Could not find device for node: {{{{node Range}}}} = Range[Tidx=DT_"
            f"{dtype.name.upper()}]\nTF's Range has no CPU kernel for {dtype.name}: use "
            f"tf.cast(tf.range(...), tf.{dtype.name}) [Op:Range]",
        )
    raise InvalidArgumentError(
        None,
        "Range",
        f"Value for attr 'Tidx' of {dtypes.tf_type_name(dtype)} is not in the list of "
        f"allowed values: {', '.join(_RANGE_TIDX)} [Op:Range]",
    )


def _cast_traced(t: SymbolicTensor, dtype) -> Tensor:
    """A traced bound cast in the graph (its example value holds for one call only)."""
    from tensorflux.ops.math_ops import cast

    return cast(t, dtype)


# -- OneHot -----------------------------------------------------------------


def _one_hot_kernel(indices, depth, on_value, off_value, axis):
    hot = np.expand_dims(indices, -1) == np.arange(int(depth))
    out = np.where(hot, on_value, off_value).astype(on_value.dtype, copy=False)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def _one_hot_infer(indices: Spec, depth: Spec, on: Spec, off: Spec, axis) -> Spec:
    if indices.shape.rank is None:
        return Spec(on.dtype, TensorShape(None))
    dims = indices.shape.as_list()
    # The depth is known when it is a constant (or a size tracing knows).
    dims.insert(
        len(dims) if axis == -1 else axis, depth.value if isinstance(depth.value, int) else None
    )
    return Spec(on.dtype, TensorShape(dims))


_ONE_HOT_INDICES = frozenset({dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64})
# TF's inputs: indices, depth (a scalar tensor, so that a depth computed when a traced
# graph runs works too), on_value, off_value. No gradient, as in TF.
_ONE_HOT = register(
    "OneHot",
    kernel=_one_hot_kernel,
    grad=None,
    infer=_one_hot_infer,
    allowed=_ONE_HOT_INDICES,
    shape_inputs=(1,),
)


def one_hot(
    indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None
) -> Tensor:
    """One-hot encoding: ``on_value`` where the new ``axis`` equals the index (``tf.one_hot``).

    Indices outside ``[0, depth)`` give a row of ``off_value``. The dtype is ``dtype``,
    else that of ``on_value``/``off_value``, else float32.

    >>> import tensorflux as tf
    >>> tf.one_hot([0, 2], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)

    Raises:
        TypeError: ``on_value`` and ``off_value`` of different dtypes.
        InvalidArgumentError: non-integer indices, or an axis out of range.
    """
    idx = to_tensor(indices)
    if idx._dtype not in _ONE_HOT_INDICES:
        raise InvalidArgumentError(
            None,
            "OneHot",
            f"Value for attr 'TI' of {dtypes.tf_type_name(idx._dtype)} is not in the list of "
            f"allowed values: uint8, int8, int32, int64 [Op:OneHot]. Cast the indices, e.g. "
            f"tf.cast(indices, tf.int32).",
        )
    on = None if on_value is None else to_tensor(on_value, dtype)
    off = None if off_value is None else to_tensor(off_value, dtype)
    if dtype is None:
        if on is not None and off is not None and on._dtype is not off._dtype:
            raise TypeError(
                f"dtype {on._dtype} of on_value does not match dtype {off._dtype} of off_value"
            )
        dtype = on._dtype if on is not None else off._dtype if off is not None else dtypes.float32
    dtype = dtypes.as_dtype(dtype)
    if on is None or off is None:
        dtype = _numeric_dtype(dtype, "one_hot", 1)
    np_dtype = dtype.as_numpy_dtype
    on = Tensor(np.asarray(1, np_dtype), dtype) if on is None else on
    off = Tensor(np.asarray(0, np_dtype), dtype) if off is None else off
    axis = -1 if axis is None else int(axis)
    rank = idx._value.ndim
    if not -1 <= axis <= rank:
        raise InvalidArgumentError(
            None,
            "OneHot",
            f"Expected axis to be -1 or between [0, {rank + 1}).  But received: {axis} [Op:OneHot]",
        )
    if type(depth) is not SymbolicTensor:
        if isinstance(depth, (float, str, bytes)):
            raise TypeError(
                f"Cannot convert {depth!r} to EagerTensor of dtype int32: the depth "
                f"of tf.one_hot must be an integer."
            )
        if isinstance(depth, Tensor):
            # As TF, a depth tensor must already be int32.
            depth = convert_to_tensor(depth, dtypes.int32)
        n = int_scalar_arg(depth, "OneHot", "depth")
        if n < 0:
            raise InvalidArgumentError(
                None,
                "OneHot",
                f"depth must be non-negative, got: {n} [Op:OneHot]. Pass the number of classes.",
            )
        depth = Tensor(np.asarray(n, np.int32), dtypes.int32)
    return execute(_ONE_HOT, (idx, depth, on, off), {"axis": axis})


# -- composed of array ops: linspace, meshgrid, sequence_mask ---------------
# array_ops imports this module, so these import it when called.


def linspace(start, stop, num, name=None, axis=0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (``tf.linspace``).

    ``start`` and ``stop`` may be tensors; the new axis goes at ``axis``. Integer inputs
    give float64. Differentiable w.r.t. ``start`` and ``stop``.

    >>> import tensorflux as tf
    >>> tf.linspace(0.0, 1.0, 3).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ops.math_ops import add, cast, multiply, subtract, truediv
    from tensorflux.ops.shape_ops import broadcast_to, expand_dims, reshape

    s, e = to_tensor(start), to_tensor(stop)
    if s._dtype.is_integer:
        s = cast(s, dtypes.float64)
    e = cast(e, s._dtype)
    n = int_scalar_arg(num, "LinSpace", "num")
    if n < 0:
        raise InvalidArgumentError(
            None,
            "LinSpace",
            f"Requires num >= 0: got num={n} "
            f"[Op:LinSpace]. Ask for a non-negative number of values.",
        )
    common = np.broadcast_shapes(s._value.shape, e._value.shape)
    s, e = broadcast_to(s, common), broadcast_to(e, common)
    # expand_dims checks the axis (TF's error for one out of range) before it is wrapped.
    s, e = expand_dims(s, axis), expand_dims(e, axis)
    axis %= len(common) + 1
    if n <= 1:
        return s if n == 1 else gather(s, np.zeros(0, dtype=np.int32), axis=axis)
    step_shape = [1] * (len(common) + 1)
    step_shape[axis] = n - 2
    steps = reshape(range(1, n - 1, dtype=s._dtype), step_shape)
    # Interior points are start + i * delta; the end points are exact, as in TF.
    delta = truediv(subtract(e, s), n - 1)
    return concat([s, add(s, multiply(delta, steps)), e], axis)


def meshgrid(*args, **kwargs) -> list:
    """Coordinate grids from 1-D coordinate vectors (``tf.meshgrid``).

    Args:
        *args: N coordinate tensors (flattened to 1-D).
        indexing: "xy" (default; Cartesian: first two output dims swapped) or "ij".

    Returns:
        A list of N tensors, each of shape ``[len(args[1]), len(args[0]), ...]`` for "xy".

    Raises:
        TypeError: an unknown keyword argument.
        ValueError: an ``indexing`` other than "xy" or "ij".
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    from tensorflux.ops.shape_ops import broadcast_to, reshape, shape

    flat = [reshape(a, [-1]) for a in args]
    for i, f in enumerate(flat[1:], 1):
        if f._dtype is not flat[0]._dtype:
            raise InvalidArgumentError(
                None,
                "Mul",
                f"cannot compute Mul as input #1(zero-based) was expected to be a "
                f"{flat[0]._dtype.name} tensor but is a {f._dtype.name} tensor [Op:Mul]. "
                f"tf.meshgrid: argument {i} has another dtype than argument 0; cast them to "
                f"one dtype.",
            )
    # A length known only when a traced graph runs is read from the graph.
    lengths = [f.shape[0] if f.shape[0] is not None else shape(f)[0] for f in flat]
    order = list(builtins.range(len(flat)))
    if indexing == "xy" and len(flat) > 1:
        order[0], order[1] = 1, 0
    grid = tuple(lengths[i] for i in order)
    out = []
    for i, f in enumerate(flat):
        dims = [1] * len(flat)
        dims[order.index(i)] = -1
        out.append(broadcast_to(reshape(f, dims), grid))
    return out


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None) -> Tensor:
    """``mask[..., j] = j < lengths[...]`` with ``maxlen`` columns (default: max length).

    >>> import tensorflux as tf
    >>> tf.sequence_mask([1, 3], 4).numpy()
    array([[ True, False, False, False],
           [ True,  True,  True, False]])
    """
    from tensorflux.ops.math_ops import cast, greater, maximum
    from tensorflux.ops.reduction_ops import reduce_max
    from tensorflux.ops.shape_ops import expand_dims

    lengths = to_tensor(lengths)
    if maxlen is None and type(lengths) is SymbolicTensor:
        # Traced lengths differ from call to call: the graph finds the longest.
        maxlen = maximum(reduce_max(lengths), 0)
    elif maxlen is None:
        maxlen = int(lengths._value.max()) if lengths._value.size else 0
    if type(maxlen) is not SymbolicTensor:
        maxlen = int_scalar_arg(maxlen, "SequenceMask", "maxlen")
        if maxlen < 0:
            raise InvalidArgumentError(
                None,
                "SequenceMask",
                f"Requires maxlen >= 0: got maxlen={maxlen} [Op:SequenceMask].",
            )
    mask = greater(expand_dims(lengths, -1), range(maxlen, dtype=lengths._dtype))
    return mask if dtypes.as_dtype(dtype) is dtypes.bool else cast(mask, dtype)
