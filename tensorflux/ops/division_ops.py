"""Floor and truncating division and remainders (``tf.math.floordiv``, ``floormod``,
``truncatediv``, ``truncatemod``), with TF's integer-division-by-zero error."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import REAL, execute, register
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import elementwise_binary_infer, unbroadcast
from tensorflux.ops.logic_ops import _binary
from tensorflux.ops.math_ops import _MUL, negative

__all__ = ["truncatediv", "truncatemod"]


# -- FloorDiv, FloorMod, TruncateDiv, TruncateMod ---------------------------


def _check_int_divisor(y, op_name: str):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Integer division by zero [Op:{op_name}]. Make sure the divisor has no zeros, "
            f"e.g. with tf.where(y == 0, 1, y).",
        )


def _floordiv_kernel(x, y):
    _check_int_divisor(y, "FloorDiv")
    with np.errstate(all="ignore"):
        if x.dtype.kind == "f":
            # TF's floor(x / y), not NumPy's fmod-based floor_divide: 1 // 0.1 is 10,
            # and -0.5 // inf is -0.
            return np.floor(np.true_divide(x, y))
        return np.floor_divide(x, y)


_FLOORDIV = register(
    "FloorDiv",
    kernel=_floordiv_kernel,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def floordiv(x, y, name=None) -> Tensor:
    """Elementwise ``floor(x / y)``, rounding toward -inf as Python does (``tf.math.floordiv``).

    >>> import tensorflux as tf
    >>> tf.math.floordiv(-7, 2).numpy()
    np.int32(-4)

    Raises:
        InvalidArgumentError: an integer division by zero.
    """
    return _binary(_FLOORDIV, x, y)


def _floormod_kernel(x, y):
    _check_int_divisor(y, "FloorMod")
    with np.errstate(all="ignore"):
        return np.mod(x, y)


def _floormod_grad(call, dy):
    """d(x mod y) = (dy, -dy * floor(x / y))."""
    x, y = call.inputs
    gy = execute(_MUL, (negative(dy), execute(_FLOORDIV, (x, y))))
    return unbroadcast(dy, x, y), unbroadcast(gy, y, x)


_FLOORMOD = register(
    "FloorMod",
    kernel=_floormod_kernel,
    grad=_floormod_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def floormod(x, y, name=None) -> Tensor:
    """Remainder of ``floordiv``, with the sign of ``y`` as in Python (``tf.math.floormod``).

    >>> import tensorflux as tf
    >>> tf.math.floormod(-7, 3).numpy()
    np.int32(2)

    Raises:
        InvalidArgumentError: an integer division by zero.
    """
    return _binary(_FLOORMOD, x, y)


mod = floormod


def _truncatediv_kernel(x, y):
    _check_int_divisor(y, "TruncateDiv")
    if x.dtype.kind in "iu":
        q = np.floor_divide(x, y)
        # Floor and truncation differ where the division is inexact and the signs differ.
        return q + ((q < 0) & (q * y != x)).astype(x.dtype)
    with np.errstate(all="ignore"):
        return np.trunc(np.true_divide(x, y))


_TRUNCATEDIV = register(
    "TruncateDiv",
    kernel=_truncatediv_kernel,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def truncatediv(x, y, name=None) -> Tensor:
    """Elementwise ``x / y`` rounded toward zero, as in C (``tf.truncatediv``).

    Raises:
        InvalidArgumentError: an integer division by zero.
    """
    return _binary(_TRUNCATEDIV, x, y)


def _truncatemod_kernel(x, y):
    _check_int_divisor(y, "TruncateMod")
    with np.errstate(all="ignore"):
        return np.fmod(x, y)


_TRUNCATEMOD = register(
    "TruncateMod",
    kernel=_truncatemod_kernel,
    grad=None,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def truncatemod(x, y, name=None) -> Tensor:
    """Remainder of ``truncatediv``, with the sign of ``x`` as in C (``tf.truncatemod``).

    Raises:
        InvalidArgumentError: an integer division by zero.
    """
    return _binary(_TRUNCATEMOD, x, y)
