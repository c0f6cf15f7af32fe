"""Elementwise arithmetic, matmul, casts and segment sums (``tf.math``, top level).

Each op: NumPy kernel, inference rule, gradient written with tensorflux ops,
then its registration under TF's op name; the public function follows.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import (
    comparison_infer,
    elementwise_binary_infer,
    same_as_input,
    to_tensor,
    unbroadcast,
)

__all__ = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "truediv",
    "negative",
    "square",
    "pow",
    "log",
    "greater",
    "matmul",
    "cast",
    "unsorted_segment_sum",
]

_FLOAT_LIKE = FLOATING | COMPLEX


def _shape(t: Tensor) -> tuple:
    return t._value.shape


# -- AddV2 ------------------------------------------------------------------


def _add_grad(call, dy):
    """d(x+y) = (dy, dy), each summed back to its input's shape."""
    x, y = call.inputs
    return unbroadcast(dy, _shape(x)), unbroadcast(dy, _shape(y))


_ADD = register("AddV2", kernel=np.add, grad=_add_grad, infer=elementwise_binary_infer,
                same_dtype=True)


def add(x, y, name=None) -> Tensor:
    """Elementwise ``x + y`` with broadcasting (``tf.math.add``).

    >>> import tensorflux as tf
    >>> tf.add([1, 2], 10).numpy()
    array([11, 12], dtype=int32)
    """
    return execute(_ADD, (x, y))


# -- Sub --------------------------------------------------------------------


def _sub_grad(call, dy):
    """d(x-y) = (dy, -dy)."""
    x, y = call.inputs
    return unbroadcast(dy, _shape(x)), unbroadcast(negative(dy), _shape(y))


_SUB = register("Sub", kernel=np.subtract, grad=_sub_grad, infer=elementwise_binary_infer,
                same_dtype=True)


def subtract(x, y, name=None) -> Tensor:
    """Elementwise ``x - y`` with broadcasting (``tf.math.subtract``)."""
    return execute(_SUB, (x, y))


# -- Mul --------------------------------------------------------------------


def _mul_grad(call, dy):
    """d(x*y) = (dy*y, dy*x)."""
    x, y = call.inputs
    return (unbroadcast(execute(_MUL, (dy, y)), _shape(x)),
            unbroadcast(execute(_MUL, (dy, x)), _shape(y)))


_MUL = register("Mul", kernel=np.multiply, grad=_mul_grad, infer=elementwise_binary_infer,
                same_dtype=True)


def multiply(x, y, name=None) -> Tensor:
    """Elementwise (Hadamard) product ``x * y`` (``tf.math.multiply``)."""
    return execute(_MUL, (x, y))


# -- RealDiv ----------------------------------------------------------------


def _realdiv_grad(call, dy):
    """d(x/y) = (dy/y, -dy*x/y^2)."""
    x, y = call.inputs
    gx = execute(_REALDIV, (dy, y))
    gy = negative(execute(_MUL, (gx, execute(_REALDIV, (x, y)))))
    return unbroadcast(gx, _shape(x)), unbroadcast(gy, _shape(y))


_REALDIV = register("RealDiv", kernel=np.true_divide, grad=_realdiv_grad,
                    infer=elementwise_binary_infer, same_dtype=True, allowed=_FLOAT_LIKE)


def _truediv_dtype(dtype: dtypes.DType) -> dtypes.DType:
    # TF's truediv: small ints -> float32, 32/64-bit ints -> float64.
    if dtype in (dtypes.int8, dtypes.int16, dtypes.uint8, dtypes.uint16):
        return dtypes.float32
    if dtype in (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64):
        return dtypes.float64
    return dtype


def truediv(x, y, name=None) -> Tensor:
    """``x / y``; integer inputs are first cast to float as TF does (int32 -> float64)."""
    x, y = _pair(x, y, _REALDIV)
    target = _truediv_dtype(x._dtype)
    if target is not x._dtype:
        x, y = cast(x, target), cast(y, target)
    return execute(_REALDIV, (x, y))


def divide(x, y, name=None) -> Tensor:
    """Elementwise ``x / y`` (``tf.math.divide``); see ``truediv`` for integer inputs."""
    return truediv(x, y)


def _pair(x, y, op):
    """Converts both operands as a binary op would, raising on a dtype mismatch."""
    from tensorflux.engine.registry import _convert_inputs, _dtype_mismatch

    x, y = _convert_inputs(op, (x, y))
    if x._dtype is not y._dtype:
        raise _dtype_mismatch(op, 1, x._dtype, y._dtype)
    return x, y


# -- Neg, Square ------------------------------------------------------------


def _neg_grad(call, dy):
    """d(-x) = -dy."""
    return (negative(dy),)


_NEG = register("Neg", kernel=np.negative, grad=_neg_grad, infer=same_as_input)


def negative(x, name=None) -> Tensor:
    """Elementwise ``-x`` (``tf.math.negative``)."""
    return execute(_NEG, (x,))


def _square_grad(call, dy):
    """d(x^2) = dy * 2x."""
    (x,) = call.inputs
    two = Tensor(np.asarray(2, dtype=x._value.dtype), x._dtype)
    return (execute(_MUL, (dy, execute(_MUL, (two, x)))),)


_SQUARE = register("Square", kernel=np.square, grad=_square_grad, infer=same_as_input)


def square(x, name=None) -> Tensor:
    """Elementwise ``x * x`` (``tf.math.square``)."""
    return execute(_SQUARE, (x,))


# -- Pow --------------------------------------------------------------------


def _pow_kernel(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


def _pow_grad(call, dy):
    """d(x^y) = (dy * y * x^(y-1), dy * x^y * log(x)), the latter 0 where x <= 0."""
    x, y = call.inputs
    (z,) = call.outputs
    one = Tensor(np.asarray(1, dtype=y._value.dtype), y._dtype)
    gx = execute(_MUL, (dy, execute(_MUL, (y, execute(_POW, (x, execute(_SUB, (y, one))))))))
    # log(x) is undefined for x <= 0, where TF's gradient is 0: mask before and after.
    from tensorflux.ops.array_ops import where

    if y._dtype.is_integer:
        return unbroadcast(gx, _shape(x)), None
    zero = Tensor(np.zeros((), dtype=x._value.dtype), x._dtype)
    positive = execute(_GREATER, (x, zero))
    safe_x = where(positive, x, ones_like_tensor(x))
    log_x = where(positive, log(safe_x), zeros_like_tensor(x))
    gy = execute(_MUL, (dy, execute(_MUL, (z, log_x))))
    return unbroadcast(gx, _shape(x)), unbroadcast(gy, _shape(y))


_POW = register("Pow", kernel=_pow_kernel, grad=_pow_grad, infer=elementwise_binary_infer,
                same_dtype=True)


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """Elementwise ``x ** y`` (``tf.math.pow``).

    Raises:
        InvalidArgumentError: integers to negative integer powers.
    """
    return execute(_POW, (x, y))


def ones_like_tensor(x: Tensor) -> Tensor:
    return Tensor(np.ones_like(x._value), x._dtype)


def zeros_like_tensor(x: Tensor) -> Tensor:
    return Tensor(np.zeros_like(x._value), x._dtype)


# -- Log --------------------------------------------------------------------


def _log_grad(call, dy):
    """d log(x) = dy / x."""
    (x,) = call.inputs
    return (execute(_REALDIV, (dy, x)),)


_LOG = register("Log", kernel=np.log, grad=_log_grad, infer=same_as_input, allowed=_FLOAT_LIKE)


def log(x, name=None) -> Tensor:
    """Elementwise natural logarithm (``tf.math.log``)."""
    return execute(_LOG, (x,))


# -- Greater ----------------------------------------------------------------

_GREATER = register("Greater", kernel=np.greater, grad=None, infer=comparison_infer,
                    same_dtype=True)


def greater(x, y, name=None) -> Tensor:
    """Elementwise ``x > y`` as a bool tensor (``tf.math.greater``)."""
    return execute(_GREATER, (x, y))


# -- MatMul -----------------------------------------------------------------


def _matmul_kernel(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def _matmul_infer(a: Spec, b: Spec, transpose_a=False, transpose_b=False) -> Spec:
    if a.shape.rank is None or b.shape.rank is None:
        return Spec(a.dtype, TensorShape(None))
    da, db = a.shape.as_list(), b.shape.as_list()
    if len(da) < 2 or len(db) < 2:
        raise InvalidArgumentError(None, "MatMul", f"MatMul: In[0] and In[1] must be at least "
                                   f"rank 2, got shapes {tuple(da)} and {tuple(db)}.")
    m, k1 = (da[-1], da[-2]) if transpose_a else (da[-2], da[-1])
    k2, n = (db[-1], db[-2]) if transpose_b else (db[-2], db[-1])
    if k1 is not None and k2 is not None and k1 != k2:
        raise InvalidArgumentError(None, "MatMul", f"Matrix size-incompatible: In[0]: "
                                   f"{tuple(da)}, In[1]: {tuple(db)} [Op:MatMul]")
    from tensorflux.ops.common import broadcast_shape

    batch = broadcast_shape(TensorShape(da[:-2]), TensorShape(db[:-2]), "MatMul")
    return Spec(a.dtype, batch.concatenate([m, n]))


def _matmul_grad(call, dy):
    """dA = dy @ B^T, dB = A^T @ dy (with the transposes the op was called with)."""
    a, b = call.inputs
    ta, tb = call.attrs.get("transpose_a", False), call.attrs.get("transpose_b", False)
    if not ta and not tb:
        ga = execute(_MATMUL, (dy, b), {"transpose_b": True})
        gb = execute(_MATMUL, (a, dy), {"transpose_a": True})
    elif not ta and tb:
        ga = execute(_MATMUL, (dy, b))
        gb = execute(_MATMUL, (dy, a), {"transpose_a": True})
    elif ta and not tb:
        ga = execute(_MATMUL, (b, dy), {"transpose_b": True})
        gb = execute(_MATMUL, (a, dy))
    else:
        ga = execute(_MATMUL, (b, dy), {"transpose_a": True, "transpose_b": True})
        gb = execute(_MATMUL, (dy, a), {"transpose_a": True, "transpose_b": True})
    return unbroadcast(ga, _shape(a)), unbroadcast(gb, _shape(b))


_MATMUL = register("MatMul", kernel=_matmul_kernel, grad=_matmul_grad, infer=_matmul_infer,
                   same_dtype=True)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None) -> Tensor:
    """Matrix product of the last two axes, batched over the leading ones (``tf.linalg.matmul``).

    MatMul is a primitive because BLAS does it far faster than any composition.

    >>> import tensorflux as tf
    >>> tf.matmul([[1, 2], [3, 4]], [[1, 1], [1, 1]]).numpy()
    array([[3, 3],
           [7, 7]], dtype=int32)

    Raises:
        InvalidArgumentError: inputs of rank < 2 or with mismatched inner dimensions.
    """
    a, b = _pair(a, b, _MATMUL)
    if adjoint_a:
        a, transpose_a = _conj(a), not transpose_a
    if adjoint_b:
        b, transpose_b = _conj(b), not transpose_b
    if a._value.ndim < 2 or b._value.ndim < 2:
        raise InvalidArgumentError(
            None, "MatMul",
            f"In[0] and In[1] must be at least rank 2 for MatMul, got shapes {a.shape} and "
            f"{b.shape} [Op:MatMul]. Use tf.expand_dims or tf.reshape to make matrices, or "
            f"tf.tensordot / tf.linalg.matvec for vectors.")
    _matmul_infer(Spec(a._dtype, a.shape), Spec(b._dtype, b.shape), transpose_a, transpose_b)
    attrs = {}
    if transpose_a:
        attrs["transpose_a"] = True
    if transpose_b:
        attrs["transpose_b"] = True
    return execute(_MATMUL, (a, b), attrs)


def _conj(x):
    if x._dtype.is_complex:
        from tensorflux.ops.math_extra import conj

        return conj(x)
    return x


# -- Cast -------------------------------------------------------------------


def _cast_kernel(x, dtype):
    if dtype is dtypes.string:
        raise ValueError("Cast to string is not supported; use tf.strings.as_string.")
    target = dtype.as_numpy_dtype
    if x.dtype.kind == "c" and dtype._kind != "c":
        x = x.real
    return np.asarray(x).astype(target)


def _cast_infer(x: Spec, dtype) -> Spec:
    return Spec(dtype, x.shape)


def _cast_grad(call, dy):
    """Casts the gradient back, only between floating/complex types (else None)."""
    (x,) = call.inputs
    src, dst = x._dtype, call.attrs["dtype"]
    if (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex):
        return (cast(dy, src),)
    return (None,)


_CAST = register("Cast", kernel=_cast_kernel, grad=_cast_grad, infer=_cast_infer)


def cast(x, dtype, name=None) -> Tensor:
    """Casts ``x`` to ``dtype`` (``tf.cast``): floats truncate toward zero, bools become 0/1.

    >>> import tensorflux as tf
    >>> tf.cast(tf.constant([True, False]), tf.int32).numpy()
    array([1, 0], dtype=int32)
    """
    dtype = dtypes.as_dtype(dtype)
    x = to_tensor(x)
    if x._dtype is dtype:
        return x
    return execute(_CAST, (x,), {"dtype": dtype})


# -- UnsortedSegmentSum -----------------------------------------------------


def _segment_sum_kernel(data, segment_ids, num_segments):
    num_segments = int(num_segments)
    ids = np.asarray(segment_ids)
    out = np.zeros((num_segments,) + data.shape[ids.ndim:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


def _segment_sum_infer(data: Spec, ids: Spec, num_segments) -> Spec:
    if data.shape.rank is None or ids.shape.rank is None:
        return Spec(data.dtype, TensorShape(None))
    return Spec(data.dtype, TensorShape([num_segments] + data.shape.as_list()[ids.shape.rank:]))


def _segment_sum_grad(call, dy):
    """Each input row receives the gradient of its segment: gather(dy, segment_ids)."""
    _, ids = call.inputs
    from tensorflux.ops.array_ops import gather

    return gather(dy, ids), None


_SEGMENT_SUM = register("UnsortedSegmentSum", kernel=_segment_sum_kernel,
                        grad=_segment_sum_grad, infer=_segment_sum_infer)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None) -> Tensor:
    """Sums the rows of ``data`` into ``num_segments`` buckets named by ``segment_ids``."""
    data, ids = to_tensor(data), to_tensor(segment_ids)
    if not ids._dtype.is_integer:
        raise InvalidArgumentError(None, "UnsortedSegmentSum",
                                   f"segment_ids must be an integer tensor, got {ids._dtype.name}.")
    n = int(to_tensor(num_segments).numpy())
    if ids._value.size and (ids._value.min() < 0 or ids._value.max() >= n):
        raise InvalidArgumentError(None, "UnsortedSegmentSum",
                                   f"segment_ids must be in [0, {n}), got values from "
                                   f"{ids._value.min()} to {ids._value.max()}.")
    return execute(_SEGMENT_SUM, (data, ids), {"num_segments": n})
