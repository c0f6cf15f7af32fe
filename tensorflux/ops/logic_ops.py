"""Comparisons, logical and bitwise ops, and NaN/Inf tests (top level, ``tf.math``).

None of these is differentiable: their outputs are bools or integers. This
module also holds ``_binary``, the call path of broadcasting binary ops that
reproduces TF's TypeError for Python operands, because every op family imports
from here (it depends only on the engine).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, INTEGER, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, _python_to_dtype, is_tensor
from tensorflux.ops.common import (
    comparison_infer,
    elementwise_binary_infer,
    same_as_input,
    to_tensor,
)

__all__ = [
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_not",
]

_BOOL = frozenset({dtypes.bool})


def raise_if_unconvertible(x, y) -> None:
    """Raises TF's TypeError when a Python operand cannot take the tensor operand's dtype.

    TF converts a Python scalar or list operand to the other operand's dtype and
    fails with TypeError (``tf.constant([1]) * 1.5``); only ``+`` reports a dtype
    mismatch instead.
    """
    for value, other in ((y, x), (x, y)):
        if (
            is_tensor(other)
            and not is_tensor(value)
            and not isinstance(value, (np.ndarray, np.generic))
        ):
            _python_to_dtype(value, other.dtype)


def _binary(op, x, y, attrs=None):
    """Runs a broadcasting binary op, with TF's TypeError for unconvertible Python operands.

    The check runs only on the error path (a ``try`` costs nothing in Python 3.11+).
    """
    try:
        return execute(op, (x, y), attrs) if attrs else execute(op, (x, y))
    except InvalidArgumentError:
        raise_if_unconvertible(x, y)
        raise


# -- Equal, NotEqual --------------------------------------------------------


def _equality_kernel(ufunc):
    def kernel(x, y, incompatible_shape_error=True):
        try:
            return ufunc(x, y)
        except ValueError:
            if incompatible_shape_error:
                raise  # the registry reports it in TF's words

            # TF's `==` on shapes that cannot broadcast: one scalar, "not equal".
            return np.asarray(ufunc is np.not_equal)

    kernel.__name__ = f"_{ufunc.__name__}_kernel"
    return kernel


def _equality_infer(x: Spec, y: Spec, incompatible_shape_error=True) -> Spec:
    try:
        return comparison_infer(x, y)
    except InvalidArgumentError:
        if incompatible_shape_error:
            raise
        return Spec(dtypes.bool, TensorShape([]))


_EQUAL = register(
    "Equal", kernel=_equality_kernel(np.equal), grad=None, infer=_equality_infer, same_dtype=True
)
_NOT_EQUAL = register(
    "NotEqual",
    kernel=_equality_kernel(np.not_equal),
    grad=None,
    infer=_equality_infer,
    same_dtype=True,
)


def equal(x, y, name=None) -> Tensor:
    """Elementwise ``x == y`` with broadcasting, as a bool tensor (``tf.math.equal``).

    >>> import tensorflux as tf
    >>> tf.equal([1, 2, 3], 2).numpy()
    array([False,  True, False])

    Raises:
        TypeError: a Python operand that does not fit the tensor's dtype.
        InvalidArgumentError: tensors of different dtypes or shapes that do not broadcast.
    """
    return _binary(_EQUAL, x, y)


def not_equal(x, y, name=None) -> Tensor:
    """Elementwise ``x != y`` with broadcasting, as a bool tensor (``tf.math.not_equal``)."""
    return _binary(_NOT_EQUAL, x, y)


# -- Less, LessEqual, Greater, GreaterEqual ---------------------------------

_LESS = register(
    "Less", kernel=np.less, grad=None, infer=comparison_infer, same_dtype=True, allowed=REAL
)
_LESS_EQUAL = register(
    "LessEqual",
    kernel=np.less_equal,
    grad=None,
    infer=comparison_infer,
    same_dtype=True,
    allowed=REAL,
)
_GREATER = register(
    "Greater", kernel=np.greater, grad=None, infer=comparison_infer, same_dtype=True, allowed=REAL
)
_GREATER_EQUAL = register(
    "GreaterEqual",
    kernel=np.greater_equal,
    grad=None,
    infer=comparison_infer,
    same_dtype=True,
    allowed=REAL,
)


def less(x, y, name=None) -> Tensor:
    """Elementwise ``x < y`` with broadcasting (``tf.math.less``).

    Raises:
        TypeError: a Python operand that does not fit the tensor's dtype.
        InvalidArgumentError: different dtypes, shapes that do not broadcast, or
            non-real inputs (strings, bools, complex).
    """
    return _binary(_LESS, x, y)


def less_equal(x, y, name=None) -> Tensor:
    """Elementwise ``x <= y`` with broadcasting (``tf.math.less_equal``)."""
    return _binary(_LESS_EQUAL, x, y)


def greater(x, y, name=None) -> Tensor:
    """Elementwise ``x > y`` with broadcasting (``tf.math.greater``).

    >>> import tensorflux as tf
    >>> tf.math.greater([1, 2, 3], [2]).numpy()
    array([False, False,  True])
    """
    return _binary(_GREATER, x, y)


def greater_equal(x, y, name=None) -> Tensor:
    """Elementwise ``x >= y`` with broadcasting (``tf.math.greater_equal``)."""
    return _binary(_GREATER_EQUAL, x, y)


# -- LogicalAnd, LogicalOr, LogicalNot --------------------------------------


def _bool_operand(x):
    """TF converts Python operands of logical ops to bool strictly: ``[1]`` is refused."""
    if is_tensor(x):
        return x
    arr = np.asarray(x)
    if arr.size == 0 and arr.dtype.kind == "f":
        arr = arr.astype(np.bool_)  # [] holds no value: any dtype takes it, as in TF
    if arr.dtype != np.bool_:
        raise TypeError(
            f"Cannot convert {x!r} to EagerTensor of dtype bool. Compare first "
            f"(e.g. x > 0) or use tf.cast(x, tf.bool)."
        )
    return Tensor(arr, dtypes.bool)


_LOGICAL_AND = register(
    "LogicalAnd",
    kernel=np.logical_and,
    grad=None,
    infer=comparison_infer,
    same_dtype=True,
    allowed=_BOOL,
)
_LOGICAL_OR = register(
    "LogicalOr",
    kernel=np.logical_or,
    grad=None,
    infer=comparison_infer,
    same_dtype=True,
    allowed=_BOOL,
)


def _bool_infer(x: Spec) -> Spec:
    return Spec(dtypes.bool, x.shape)


_LOGICAL_NOT = register(
    "LogicalNot", kernel=np.logical_not, grad=None, infer=_bool_infer, allowed=_BOOL
)


def logical_and(x, y, name=None) -> Tensor:
    """Elementwise AND of bool tensors, with broadcasting (``tf.math.logical_and``).

    Raises:
        TypeError: Python operands that are not bools.
        InvalidArgumentError: tensors that are not bool.
    """
    return execute(_LOGICAL_AND, (_bool_operand(x), _bool_operand(y)))


def logical_or(x, y, name=None) -> Tensor:
    """Elementwise OR of bool tensors, with broadcasting (``tf.math.logical_or``)."""
    return execute(_LOGICAL_OR, (_bool_operand(x), _bool_operand(y)))


def logical_not(x, name=None) -> Tensor:
    """Elementwise NOT of a bool tensor (``tf.math.logical_not``)."""
    return execute(_LOGICAL_NOT, (_bool_operand(x),))


def logical_xor(x, y, name="LogicalXor") -> Tensor:
    """Elementwise exclusive OR of bool tensors (``tf.math.logical_xor``)."""
    x, y = _bool_operand(x), _bool_operand(y)
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


# -- IsNan, IsInf, IsFinite -------------------------------------------------

_IS_NAN = register("IsNan", kernel=np.isnan, grad=None, infer=_bool_infer, allowed=FLOATING)
_IS_INF = register("IsInf", kernel=np.isinf, grad=None, infer=_bool_infer, allowed=FLOATING)
_IS_FINITE = register(
    "IsFinite", kernel=np.isfinite, grad=None, infer=_bool_infer, allowed=FLOATING
)


def is_nan(x, name=None) -> Tensor:
    """Elementwise test for NaN (``tf.math.is_nan``).

    Raises:
        InvalidArgumentError: a non-floating input.
    """
    return execute(_IS_NAN, (to_tensor(x),))


def is_inf(x, name=None) -> Tensor:
    """Elementwise test for +/-inf (``tf.math.is_inf``)."""
    return execute(_IS_INF, (to_tensor(x),))


def is_finite(x, name=None) -> Tensor:
    """Elementwise test for values that are neither inf nor NaN (``tf.math.is_finite``)."""
    return execute(_IS_FINITE, (to_tensor(x),))


# -- BitwiseAnd, BitwiseOr, BitwiseXor, Invert, LeftShift, RightShift (``tf.bitwise``)

_BITWISE_AND = register(
    "BitwiseAnd",
    kernel=np.bitwise_and,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=INTEGER,
)
_BITWISE_OR = register(
    "BitwiseOr",
    kernel=np.bitwise_or,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=INTEGER,
)
_BITWISE_XOR = register(
    "BitwiseXor",
    kernel=np.bitwise_xor,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=INTEGER,
)
_INVERT = register("Invert", kernel=np.invert, grad=None, infer=same_as_input, allowed=INTEGER)


def _shift_kernel(ufunc):
    # TF clamps the shift to [0, bits - 1]; NumPy (and C) leave larger shifts undefined.
    def kernel(x, y):
        return ufunc(x, np.clip(y, 0, x.dtype.itemsize * 8 - 1))

    kernel.__name__ = f"_{ufunc.__name__}_kernel"
    return kernel


_LEFT_SHIFT = register(
    "LeftShift",
    kernel=_shift_kernel(np.left_shift),
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=INTEGER,
)
_RIGHT_SHIFT = register(
    "RightShift",
    kernel=_shift_kernel(np.right_shift),
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=INTEGER,
)


def bitwise_and(x, y, name=None) -> Tensor:
    """Elementwise bitwise AND of integer tensors (``tf.bitwise.bitwise_and``)."""
    return _binary(_BITWISE_AND, x, y)


def bitwise_or(x, y, name=None) -> Tensor:
    """Elementwise bitwise OR of integer tensors (``tf.bitwise.bitwise_or``)."""
    return _binary(_BITWISE_OR, x, y)


def bitwise_xor(x, y, name=None) -> Tensor:
    """Elementwise bitwise XOR of integer tensors (``tf.bitwise.bitwise_xor``)."""
    return _binary(_BITWISE_XOR, x, y)


def invert(x, name=None) -> Tensor:
    """Elementwise bitwise NOT of an integer tensor (``tf.bitwise.invert``).

    Raises:
        InvalidArgumentError: a non-integer input.
    """
    return execute(_INVERT, (to_tensor(x),))


def left_shift(x, y, name=None) -> Tensor:
    """Elementwise ``x << y`` for integer tensors (``tf.bitwise.left_shift``).

    Bits shifted out are lost (the result wraps); shifts are clamped to
    ``[0, bits - 1]`` as TF's kernel does.

    >>> import tensorflux as tf
    >>> tf.bitwise.left_shift([1, 2], 3).numpy()
    array([ 8, 16], dtype=int32)

    Raises:
        InvalidArgumentError: non-integer tensors or tensors of different dtypes.
    """
    return _binary(_LEFT_SHIFT, x, y)


def right_shift(x, y, name=None) -> Tensor:
    """Elementwise ``x >> y`` for integer tensors, arithmetic (sign-filling) for signed
    ones (``tf.bitwise.right_shift``); shifts are clamped to ``[0, bits - 1]`` as in TF.

    Raises:
        InvalidArgumentError: non-integer tensors or tensors of different dtypes.
    """
    return _binary(_RIGHT_SHIFT, x, y)
