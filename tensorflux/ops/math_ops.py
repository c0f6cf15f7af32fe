"""Elementwise arithmetic, matmul and casts (``tf.math``, top level).

Unary transcendental, rounding and complex-part ops are in ``unary_math_ops``
and re-exported here.

Each op: NumPy kernel, inference rule, gradient written with tensorflux ops,
then its registration under TF's op name; the public function follows.
Kernels that can divide by zero or leave a function's domain run under
``np.errstate`` so that, as in TF, inf/nan results are silent.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import (
    COMPLEX,
    FLOATING,
    NUMERIC,
    REAL,
    Spec,
    _convert_inputs,
    execute,
    register,
)
from tensorflux.engine.registry import get as get_op
from tensorflux.framework import dtypes
from tensorflux.framework.composite_tensor import dispatch_to_values
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor, is_tensor
from tensorflux.kernels.threads import openmp_in_use, small_blas
from tensorflux.ops.common import (
    broadcast_shape,
    conjugated_grad,
    elementwise_binary_infer,
    fit_like,
    known_shape,
    same_as_input,
    static_dims,
    to_tensor,
    unbroadcast,
)
from tensorflux.ops.logic_ops import (  # noqa: F401 - greater: re-exported for old imports
    _GREATER,
    _GREATER_EQUAL,
    _LESS_EQUAL,
    _NOT_EQUAL,
    _binary,
    greater,
)

# The unary functions TF also exposes at the top (sqrt, exp, ...) are unary_math_ops'.
__all__ = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "truediv",
    "realdiv",
    "negative",
    "abs",
    "sign",
    "square",
    "atan2",
    "maximum",
    "minimum",
    "pow",
    "add_n",
    "scalar_mul",
    "matmul",
    "cast",
]

_FLOAT_LIKE = FLOATING | COMPLEX
# TF's Neg and Abs have no unsigned kernels.
_SIGNED = FLOATING | COMPLEX | frozenset({dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64})


def _const(value, like: Tensor) -> Tensor:
    """A scalar constant of ``like``'s dtype, for use inside gradients."""
    return Tensor(np.asarray(value, dtype=like._value.dtype), like._dtype)


def _zeros_like(x: Tensor) -> Tensor:
    """Zeros of ``x``'s shape and dtype, also for a shape known only when the graph runs."""
    if known_shape(x) is not None:
        return Tensor(np.zeros_like(x._value), x._dtype)
    return fit_like(_const(0, x), x)


def _quiet(ufunc):
    """A kernel running ``ufunc`` without NumPy's divide/invalid/overflow warnings."""

    def kernel(*arrays):
        with np.errstate(all="ignore"):
            return ufunc(*arrays)

    kernel.__name__ = f"_{ufunc.__name__}_kernel"
    return kernel


# -- AddV2 ------------------------------------------------------------------


def _add_grad(call, dy):
    """d(x+y) = (dy, dy), each summed back to its input's shape."""
    x, y = call.inputs
    return unbroadcast(dy, x, y), unbroadcast(dy, y, x)


_ADD = register(
    "AddV2",
    kernel=np.add,
    grad=_add_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=NUMERIC | {dtypes.string},
)


def add(x, y, name=None) -> Tensor:
    """Elementwise ``x + y`` with broadcasting; strings concatenate (``tf.math.add``).

    >>> import tensorflux as tf
    >>> tf.add([1, 2], 10).numpy()
    array([11, 12], dtype=int32)
    >>> tf.add(tf.constant("a"), "b").numpy()
    b'ab'

    Raises:
        InvalidArgumentError: operands of different dtypes (cast one of them first).
    """
    # As TF's tf.math.add: x is converted on its own, y preferably to x's dtype.
    x = to_tensor(x)
    if not isinstance(y, Tensor) and not hasattr(y, "_as_tensor"):
        y = convert_to_tensor(y, dtype_hint=x._dtype)
    return execute(_ADD, (x, y))


# -- Sub --------------------------------------------------------------------


def _sub_grad(call, dy):
    """d(x-y) = (dy, -dy)."""
    x, y = call.inputs
    return unbroadcast(dy, x, y), unbroadcast(negative(dy), y, x)


_SUB = register(
    "Sub",
    kernel=np.subtract,
    grad=_sub_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=NUMERIC,
)


def subtract(x, y, name=None) -> Tensor:
    """Elementwise ``x - y`` with broadcasting (``tf.math.subtract``).

    Raises:
        TypeError: a Python operand that does not fit the tensor's dtype.
        InvalidArgumentError: tensors of different dtypes.
    """
    return _binary(_SUB, x, y)


# -- Mul --------------------------------------------------------------------


def _mul_grad(call, dy):
    """d(x*y) = (dy*conj(y), dy*conj(x)); conj is TF's convention for complex inputs."""
    x, y = call.inputs
    if x._dtype.is_complex:
        from tensorflux.ops.unary_math_ops import conj

        x, y = conj(x), conj(y)
    return (unbroadcast(execute(_MUL, (dy, y)), x, y), unbroadcast(execute(_MUL, (dy, x)), y, x))


_MUL = register(
    "Mul",
    kernel=np.multiply,
    grad=_mul_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=NUMERIC,
)


def multiply(x, y, name=None) -> Tensor:
    """Elementwise (Hadamard) product ``x * y`` with broadcasting (``tf.math.multiply``).

    >>> import tensorflux as tf
    >>> tf.multiply([[1, 2], [3, 4]], [10, 20]).numpy()
    array([[10, 40],
           [30, 80]], dtype=int32)

    Raises:
        TypeError: a Python operand that does not fit the tensor's dtype.
        InvalidArgumentError: tensors of different dtypes.
    """
    return _binary(_MUL, x, y)


def scalar_mul(scalar, x, name=None) -> Tensor:
    """Multiplies ``x`` by a scalar (``tf.math.scalar_mul``).

    Raises:
        ValueError: a ``scalar`` that is not 0-d.
    """
    s = scalar if is_tensor(scalar) else np.asarray(scalar)
    if len(s.shape) != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {tuple(s.shape)}.")
    return _binary(_MUL, scalar, x)


# -- RealDiv ----------------------------------------------------------------


def _realdiv_grad(call, dy):
    """d(x/y) = (dy/conj(y), -dy*conj(x/y^2)); conj only matters for complex inputs."""
    x, y = call.inputs
    if x._dtype.is_complex:
        from tensorflux.ops.unary_math_ops import conj

        x, y = conj(x), conj(y)
    gx = execute(_REALDIV, (dy, y))
    gy = negative(execute(_MUL, (gx, execute(_REALDIV, (x, y)))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_REALDIV = register(
    "RealDiv",
    kernel=_quiet(np.true_divide),
    grad=_realdiv_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE,
)


def realdiv(x, y, name=None) -> Tensor:
    """Elementwise ``x / y`` for floating tensors (``tf.realdiv``)."""
    return _binary(_REALDIV, x, y)


def _truediv_dtype(dtype: dtypes.DType) -> dtypes.DType:
    # TF's truediv: small ints -> float32, 32/64-bit ints -> float64.
    if dtype in (dtypes.int8, dtypes.int16, dtypes.uint8, dtypes.uint16):
        return dtypes.float32
    if dtype in (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64):
        return dtypes.float64
    return dtype


def _float_pair(x, y, op):
    """Converts the operands of a true division, casting integers to float as TF does."""
    x, y = _convert_inputs(op, (x, y))
    if x._dtype is not y._dtype:
        raise TypeError(
            f"`x` and `y` must have the same dtype, got tf.{x._dtype.name} != "
            f"tf.{y._dtype.name}. Cast one of them, e.g. tf.cast(y, x.dtype)."
        )
    target = _truediv_dtype(x._dtype)
    if target is not x._dtype:
        x, y = cast(x, target), cast(y, target)
    return x, y


def truediv(x, y, name=None) -> Tensor:
    """``x / y``; integers are cast to float first (int32 -> float64, int8 -> float32).

    >>> import tensorflux as tf
    >>> tf.truediv([1, 2], 2).dtype
    tf.float64

    Raises:
        TypeError: operands of different dtypes.
    """
    if (
        type(x) is Tensor
        and type(y) is Tensor
        and x._dtype is y._dtype
        and (x._dtype in _FLOAT_LIKE)
    ):
        return execute(_REALDIV, (x, y))
    x, y = _float_pair(x, y, _REALDIV)
    return execute(_REALDIV, (x, y))


def divide(x, y, name=None) -> Tensor:
    """Elementwise ``x / y`` (``tf.math.divide``); see ``truediv`` for integer inputs."""
    return truediv(x, y)


def _pair(x, y, op):
    """Converts both operands as a binary op would, raising on a dtype mismatch."""
    from tensorflux.engine.registry import _dtype_mismatch

    x, y = _convert_inputs(op, (x, y))
    if x._dtype is not y._dtype:
        raise _dtype_mismatch(op, 1, x._dtype, y._dtype)
    return x, y


# -- DivNoNan ---------------------------------------------------------------


def _div_no_nan_kernel(x, y):
    nonzero = y != 0
    if nonzero.all():
        return np.true_divide(x, y)
    # Dividing only where y != 0 avoids both the warning and an errstate context.
    out = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(y)), dtype=np.result_type(x, y))
    return np.true_divide(x, y, out=out, where=nonzero)


def _div_no_nan_grad(call, dy):
    """d(x/y) with 0 where y == 0: (div_no_nan(dy, y), dy * div_no_nan(div_no_nan(-x, y), y));
    x and y conjugated for complex inputs, TF's convention."""
    x, y = call.inputs
    if x._dtype.is_complex:
        x, y = _conj(x), _conj(y)
    gx = execute(_DIV_NO_NAN, (dy, y))
    gy = execute(_MUL, (dy, execute(_DIV_NO_NAN, (execute(_DIV_NO_NAN, (negative(x), y)), y))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_DIV_NO_NAN = register(
    "DivNoNan",
    kernel=_div_no_nan_kernel,
    grad=_div_no_nan_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE,
)


def divide_no_nan(x, y, name=None) -> Tensor:
    """``x / y``, but 0 wherever ``y`` is 0 (``tf.math.divide_no_nan``); ints cast as truediv."""
    x, y = _float_pair(x, y, _DIV_NO_NAN)
    return execute(_DIV_NO_NAN, (x, y))


def _mul_no_nan_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, np.zeros((), x.dtype), np.multiply(x, y))


def _mul_no_nan_grad(call, dy):
    """d(x*y) with 0 where y == 0: (mul_no_nan(dy, y), mul_no_nan(x, dy))."""
    x, y = call.inputs
    return (
        unbroadcast(execute(_MUL_NO_NAN, (dy, y)), x, y),
        unbroadcast(execute(_MUL_NO_NAN, (x, dy)), y, x),
    )


_MUL_NO_NAN = register(
    "MulNoNan",
    kernel=_mul_no_nan_kernel,
    grad=_mul_no_nan_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE,
)


def multiply_no_nan(x, y, name=None) -> Tensor:
    """``x * y``, but 0 wherever ``y`` is 0 even if ``x`` is inf or NaN."""
    return _binary(_MUL_NO_NAN, x, y)


# -- Pow --------------------------------------------------------------------


def _pow_kernel(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) < 0):
        raise InvalidArgumentError(
            None, "Pow", "Integers to negative integer powers are not allowed [Op:Pow]"
        )
    with np.errstate(all="ignore"):
        return np.power(x, y)


def _pow_grad(call, dy):
    """d(x^y) = (dy * y * x^(y-1), dy * x^y * log(x)), the latter 0 where x <= 0 (where
    x == 0 for complex x)."""
    x, y = call.inputs
    (z,) = call.outputs
    gx = execute(
        _MUL, (dy, execute(_MUL, (y, execute(_POW, (x, execute(_SUB, (y, _const(1, y))))))))
    )
    if not (y._dtype.is_floating or y._dtype.is_complex):
        return unbroadcast(gx, x, y), None
    from tensorflux.ops.gather_ops import where

    # log(x) is undefined for x <= 0 (x == 0 if complex), where TF's gradient is 0: mask
    # before and after.
    positive = execute(_NOT_EQUAL if x._dtype.is_complex else _GREATER, (x, _const(0, x)))
    safe_x = where(positive, x, _const(1, x))
    # Log is unary_math_ops', which builds on this module: reached through the registry.
    log_x = where(positive, execute(get_op("Log"), (safe_x,)), _const(0, x))
    gy = execute(_MUL, (dy, execute(_MUL, (z, log_x))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_POW = register(
    "Pow",
    kernel=_pow_kernel,
    grad=conjugated_grad(_pow_grad),
    infer=elementwise_binary_infer,
    same_dtype=True,
    # TF's Pow has no unsigned kernels.
    allowed=NUMERIC - {dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64},
)


def pow(x, y, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """Elementwise ``x ** y`` (``tf.math.pow``).

    >>> import tensorflux as tf
    >>> tf.pow([2, 3], 2).numpy()
    array([4, 9], dtype=int32)

    Raises:
        InvalidArgumentError: integers to negative integer powers.
    """
    return _binary(_POW, x, y)


# -- Maximum, Minimum -------------------------------------------------------


def _select_grads(call, dy, first_wins_op):
    """Routes dy to x where ``first_wins_op(x, y)`` holds and to y elsewhere."""
    from tensorflux.ops.gather_ops import where

    x, y = call.inputs
    pick_x = execute(first_wins_op, (x, y))
    zero = _const(0, dy)
    return (unbroadcast(where(pick_x, dy, zero), x, y), unbroadcast(where(pick_x, zero, dy), y, x))


def _maximum_grad(call, dy):
    """dy goes to x where x >= y (ties to x, as TF), else to y."""
    return _select_grads(call, dy, _GREATER_EQUAL)


_MAXIMUM = register(
    "Maximum",
    kernel=np.maximum,
    grad=_maximum_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def maximum(x, y, name=None) -> Tensor:
    """Elementwise maximum with broadcasting; NaN propagates (``tf.math.maximum``)."""
    return _binary(_MAXIMUM, x, y)


def _minimum_grad(call, dy):
    """dy goes to x where x <= y (ties to x, as TF), else to y."""
    return _select_grads(call, dy, _LESS_EQUAL)


_MINIMUM = register(
    "Minimum",
    kernel=np.minimum,
    grad=_minimum_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=REAL,
)


def minimum(x, y, name=None) -> Tensor:
    """Elementwise minimum with broadcasting; NaN propagates (``tf.math.minimum``)."""
    return _binary(_MINIMUM, x, y)


_SQUARED_DIFFERENCE_TYPES = _FLOAT_LIKE | {dtypes.int32, dtypes.int64}


def squared_difference(x, y, name=None) -> Tensor:
    """Elementwise ``(x - y)^2`` (``tf.math.squared_difference``); for complex values
    ``(x - y) * conj(x - y)``, as TF computes it."""
    x, y = _convert_inputs(_SUB, (x, y))
    if x._dtype not in _SQUARED_DIFFERENCE_TYPES:
        raise InvalidArgumentError(
            None,
            "SquaredDifference",
            f"Value for attr 'T' of {dtypes.tf_type_name(x._dtype)} is not in the list of "
            f"allowed values: bfloat16, half, float, double, int32, int64, complex64, "
            f"complex128 [Op:SquaredDifference]. Cast the inputs first, e.g. tf.cast(x, "
            f"tf.float32).",
        )
    difference = _binary(_SUB, x, y)
    if difference.dtype.is_complex:
        from tensorflux.ops.unary_math_ops import conj

        return execute(_MUL, (difference, conj(difference)))
    return square(difference)


# -- Xlogy, Xdivy -----------------------------------------------------------


def _xlogy_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x * np.log(y))


def _nonzero_mask(x: Tensor) -> Tensor:
    return cast(execute(_NOT_EQUAL, (x, _const(0, x))), x._dtype)


def _xlogy_grad(call, dy):
    """d(x log y) = (dy * xlogy(x != 0, y), dy * xdivy(x, y))."""
    x, y = call.inputs
    gx = execute(_MUL, (dy, execute(_XLOGY, (_nonzero_mask(x), y))))
    gy = execute(_MUL, (dy, execute(_XDIVY, (x, y))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_XLOGY = register(
    "Xlogy",
    kernel=_xlogy_kernel,
    grad=_xlogy_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE,
)


def xlogy(x, y, name=None) -> Tensor:
    """``x * log(y)``, and 0 where ``x`` is 0 even if ``y`` is 0 (``tf.math.xlogy``)."""
    return _binary(_XLOGY, x, y)


def _xdivy_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), np.true_divide(x, y))


def _xdivy_grad(call, dy):
    """d(x / y) with 0 where x == 0: (dy * xdivy(x != 0, y), dy * xdivy(-x, y^2))."""
    x, y = call.inputs
    gx = execute(_MUL, (dy, execute(_XDIVY, (_nonzero_mask(x), y))))
    gy = execute(_MUL, (dy, execute(_XDIVY, (negative(x), square(y)))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_XDIVY = register(
    "Xdivy",
    kernel=_xdivy_kernel,
    grad=_xdivy_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE,
)


def xdivy(x, y, name=None) -> Tensor:
    """``x / y``, and 0 where ``x`` is 0 even if ``y`` is 0 (``tf.math.xdivy``)."""
    return _binary(_XDIVY, x, y)


# -- Atan2 ------------------------------------------------------------------


def _atan2_grad(call, dy):
    """d atan2(y, x) = (dy * x / (x^2 + y^2), -dy * y / (x^2 + y^2))."""
    y, x = call.inputs
    scale = execute(_REALDIV, (dy, execute(_ADD, (square(x), square(y)))))
    return (
        unbroadcast(execute(_MUL, (scale, x)), y, x),
        unbroadcast(negative(execute(_MUL, (scale, y))), x, y),
    )


_ATAN2 = register(
    "Atan2",
    kernel=_quiet(np.arctan2),
    grad=_atan2_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=FLOATING,
)


def atan2(y, x, name=None) -> Tensor:
    """Elementwise angle of the point ``(x, y)``, in ``[-pi, pi]`` (``tf.math.atan2``)."""
    return _binary(_ATAN2, y, x)


# -- AddN -------------------------------------------------------------------


def _add_n_kernel(*xs, check_shapes=False):
    out = xs[0].copy() if isinstance(xs[0], np.ndarray) else xs[0]
    if check_shapes:
        for i, x in enumerate(xs[1:], 1):
            if x.shape != out.shape:
                raise InvalidArgumentError(
                    None,
                    "AddN",
                    f"Inputs to operation AddN must have the same size and "
                    f"shape. Input 0: {list(out.shape)} != input {i}: {list(x.shape)} "
                    f"[Op:AddN]",
                )
    for x in xs[1:]:
        out = out + x
    return np.asarray(out)


def _add_n_infer(*xs: Spec, check_shapes=False) -> Spec:
    shape = xs[0].shape
    for s in xs[1:]:
        shape = shape.merge_with(s.shape)
    return Spec(xs[0].dtype, shape)


def _add_n_grad(call, dy):
    """Every input receives dy."""
    return (dy,) * len(call.inputs)


# check_shapes: set when tracing could not compare the inputs' shapes (sizes known only
# when the graph runs); the kernel compares them on every run.
_ADD_N = register(
    "AddN",
    kernel=_add_n_kernel,
    grad=_add_n_grad,
    infer=_add_n_infer,
    same_dtype=True,
    allowed=NUMERIC,
)


def add_n(inputs, name=None) -> Tensor:
    """Sums a list of same-shaped, same-dtype tensors (``tf.math.add_n``).

    A primitive: one pass over the list instead of a chain of pairwise adds.

    Raises:
        ValueError: an empty list.
        InvalidArgumentError: inputs of different shapes or dtypes.
    """
    if is_tensor(inputs) or isinstance(inputs, np.ndarray):
        inputs = list(to_tensor(inputs))
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not inputs:
        raise ValueError(
            "Inputs must be an iterable of at least one Tensor/IndexedSlices "
            "with the same dtype and shape."
        )
    # As TF, each input is converted on its own: [tf.constant(1.0), 2] is a dtype error.
    tensors = [to_tensor(v) for v in inputs]
    shape0 = known_shape(tensors[0])
    unknown = shape0 is None
    for i in range(1, len(tensors)):
        t = tensors[i]
        shape = known_shape(t)
        if shape is None:
            unknown = True
        if shape != shape0 and (
            (shape is not None and shape0 is not None)
            # Traced with unknown sizes: what is known must agree; the kernel checks
            # the rest.
            or not t.shape.is_compatible_with(tensors[0].shape)
        ):
            raise InvalidArgumentError(
                None,
                "AddN",
                f"Inputs to operation AddN must have the same size and shape. "
                f"Input 0: {tensors[0].shape} != input {i}: {t.shape} "
                f"[Op:AddN]. Broadcast or reshape them first, or use tf.add.",
            )
    if len(tensors) == 1:
        return tensors[0]
    return execute(_ADD_N, tensors, {"check_shapes": True} if unknown else {})


# -- unary: Neg, Abs, Sign, Square, Reciprocal ------------------------------


def _neg_grad(call, dy):
    """d(-x) = -dy."""
    return (negative(dy),)


_NEG = register("Neg", kernel=np.negative, grad=_neg_grad, infer=same_as_input, allowed=_SIGNED)


@dispatch_to_values
def negative(x, name=None) -> Tensor:
    """Elementwise ``-x`` (``tf.math.negative``)."""
    return execute(_NEG, (x,))


def _abs_infer(x: Spec) -> Spec:
    return Spec(x.dtype.real_dtype, x.shape)


def _abs_grad(call, dy):
    """d|x| = dy * sign(x) (for complex x: dy * x / |x|, 0 at 0, differentiable in x)."""
    (x,) = call.inputs
    if x._dtype.is_complex:
        scaled = execute(_MUL, (cast(dy, x._dtype), x))
        return (execute(_DIV_NO_NAN, (scaled, cast(call.outputs[0], x._dtype))),)
    return (execute(_MUL, (dy, sign(x))),)


_ABS = register("Abs", kernel=np.abs, grad=_abs_grad, infer=_abs_infer, allowed=_SIGNED)


@dispatch_to_values
def abs(x, name=None) -> Tensor:  # noqa: A001 - TF's public name
    """Elementwise absolute value; integers stay integers, complex gives its modulus."""
    return execute(_ABS, (x,))


def _sign_grad(call, dy):
    """sign is piecewise constant: a zero gradient, as TF."""
    (x,) = call.inputs
    return (_zeros_like(x),)


def _sign_kernel(x):
    # NumPy 1.x gives the sign of the real part for complex x; TF's Sign is x / |x|.
    if x.dtype.kind == "c":
        mag = np.abs(x)
        return np.where(mag == 0, 0, x / np.where(mag == 0, 1, mag)).astype(x.dtype)
    return np.sign(x)


_SIGN = register("Sign", kernel=_sign_kernel, grad=_sign_grad, infer=same_as_input, allowed=NUMERIC)


@dispatch_to_values
def sign(x, name=None) -> Tensor:
    """Elementwise -1, 0 or 1 (``x / |x|`` for complex); NaN stays NaN (``tf.math.sign``)."""
    return execute(_SIGN, (x,))


def _square_grad(call, dy):
    """d(x^2) = dy * 2x."""
    (x,) = call.inputs
    return (execute(_MUL, (dy, execute(_MUL, (_const(2, x), x)))),)


_SQUARE = register(
    "Square",
    kernel=np.square,
    grad=conjugated_grad(_square_grad),
    infer=same_as_input,
    allowed=NUMERIC,
)


@dispatch_to_values
def square(x, name=None) -> Tensor:
    """Elementwise ``x * x`` (``tf.math.square``)."""
    return execute(_SQUARE, (x,))


def _reciprocal_grad(call, dy):
    """d(1/x) = -dy * y^2, and 0 wherever dy is 0 (TF's ReciprocalGrad kernel)."""
    (y,) = call.outputs
    return (execute(_MUL_NO_NAN, (negative(square(y)), dy)),)


_RECIPROCAL = register(
    "Reciprocal",
    kernel=_quiet(np.reciprocal),
    grad=conjugated_grad(_reciprocal_grad),
    infer=same_as_input,
    allowed=_FLOAT_LIKE,
)


def reciprocal(x, name=None) -> Tensor:
    """Elementwise ``1 / x`` (``tf.math.reciprocal``)."""
    return execute(_RECIPROCAL, (x,))


# -- MatMul -----------------------------------------------------------------


_MATMUL_ONE_THREAD_MACS = 1 << 26
# Beside oneDNN's kernels (a CNN), products under 256M multiply-adds take one BLAS
# thread too: OpenBLAS's second thread spins after each product, on the core the next
# convolution's OpenMP team needs. Measured on 2 cores, the 5x5 CNN with Dense(1024)
# (a 205M multiply-add product): 88-98 ms per training step with two BLAS threads, 74 ms
# with one (its convolutions 1.5x faster, its three products 2x slower).
_MATMUL_ONE_THREAD_MACS_BESIDE_OPENMP = 1 << 28
# OpenBLAS's own bound: GEMMs under 65536 * 4 multiply-adds run single-threaded.
_OPENBLAS_SINGLE_THREAD_MACS = 1 << 18


def _matmul_kernel(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)
    if transpose_b:
        b = b.T if b.ndim == 2 else np.swapaxes(b, -1, -2)
    # One BLAS thread for products under 64M multiply-adds: OpenBLAS's second thread
    # spins after each product and starves the oneDNN (OpenMP) kernels of the next
    # layers on a 2-core machine (bench_conv, small CNN fit: 1,457-1,582 -> 2,049-2,181
    # samples/s); larger products (a Dense(1024) on 3,136 features, batch 64) keep both.
    if a.dtype.name in ("float16", "bfloat16"):
        # BLAS has no 16-bit GEMM (NumPy's float16 loop is slow, ml_dtypes' bfloat16
        # matmul returns float32): accumulate in float32 and round once, as TF's CPU
        # kernels do.
        return _matmul_kernel(a.astype(np.float32), b.astype(np.float32)).astype(a.dtype)
    macs = a.size * b.shape[-1]
    if macs < _OPENBLAS_SINGLE_THREAD_MACS:
        # OpenBLAS runs a product this small on one thread by itself: switching costs
        # more (two library calls) than an eager 4x4 product.
        return np.matmul(a, b)
    limit = _MATMUL_ONE_THREAD_MACS_BESIDE_OPENMP if openmp_in_use() else _MATMUL_ONE_THREAD_MACS
    with small_blas(macs, limit=limit):
        return np.matmul(a, b)


def _matmul_infer(a: Spec, b: Spec, transpose_a=False, transpose_b=False) -> Spec:
    if a.shape.rank is None or b.shape.rank is None:
        return Spec(a.dtype, TensorShape(None))
    da, db = a.shape.as_list(), b.shape.as_list()
    if len(da) < 2 or len(db) < 2:
        raise InvalidArgumentError(
            None,
            "MatMul",
            f"MatMul: In[0] and In[1] must be at least "
            f"rank 2, got shapes {tuple(da)} and {tuple(db)}.",
        )
    m, k1 = (da[-1], da[-2]) if transpose_a else (da[-2], da[-1])
    k2, n = (db[-1], db[-2]) if transpose_b else (db[-2], db[-1])
    if k1 is not None and k2 is not None and k1 != k2:
        raise InvalidArgumentError(
            None,
            "MatMul",
            f"Matrix size-incompatible: In[0]: {tuple(da)}, In[1]: {tuple(db)} [Op:MatMul]",
        )
    batch = broadcast_shape(TensorShape(da[:-2]), TensorShape(db[:-2]), "MatMul")
    return Spec(a.dtype, batch.concatenate([m, n]))


def _matmul_grad(call, dy):
    """dA = dy @ B^H, dB = A^H @ dy (with the transposes the op was called with)."""
    # Complex operands enter conjugated, as in TF: the products below then use adjoints.
    a, b = (_conj(x) for x in call.inputs)
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
    if a._value.ndim <= 2 and b._value.ndim <= 2:
        return ga, gb  # no batch dimensions were broadcast
    return unbroadcast(ga, a), unbroadcast(gb, b)


_MATMUL = register(
    "MatMul",
    kernel=_matmul_kernel,
    grad=_matmul_grad,
    infer=_matmul_infer,
    same_dtype=True,
    allowed=NUMERIC,
)


def _conj(x: Tensor) -> Tensor:
    # Conj is unary_math_ops', which builds on this module: reached through the registry.
    return execute(get_op("Conj"), (x,)) if x._dtype.is_complex else x


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    name=None,
) -> Tensor:
    """Matrix product of the last two axes, batched over the leading ones (``tf.linalg.matmul``).

    MatMul is a primitive because BLAS does it far faster than any composition.

    >>> import tensorflux as tf
    >>> tf.matmul([[1, 2], [3, 4]], [[1, 1], [1, 1]]).numpy()
    array([[3, 3],
           [7, 7]], dtype=int32)

    Raises:
        InvalidArgumentError: inputs of rank < 2 or with mismatched inner dimensions.
    """
    for name, t, adj in (("a", transpose_a, adjoint_a), ("b", transpose_b, adjoint_b)):
        if t and adj:
            raise ValueError(
                f"Only one of `transpose_{name}` and `adjoint_{name}` can be True. Received "
                f"`transpose_{name}`={t}, `adjoint_{name}`={adj}."
            )
    if output_type is not None:
        a, b = _int8_product_operands(to_tensor(a), to_tensor(b), dtypes.as_dtype(output_type))
    a, b = _pair(a, b, _MATMUL)
    _check_matmul_dtype(a, b)
    if adjoint_a:
        a, transpose_a = _conj(a), not transpose_a
    if adjoint_b:
        b, transpose_b = _conj(b), not transpose_b
    _check_matmul_shapes(static_dims(a), static_dims(b), transpose_a, transpose_b)
    _matmul_infer(Spec(a._dtype, a.shape), Spec(b._dtype, b.shape), transpose_a, transpose_b)
    attrs = {}
    if transpose_a:
        attrs["transpose_a"] = True
    if transpose_b:
        attrs["transpose_b"] = True
    return execute(_MATMUL, (a, b), attrs)


# The dtypes TF's MatMul / BatchMatMulV2 take, in its order; the unsigned ones have no
# CPU kernel.
_MATMUL_TYPES = ("bfloat16", "half", "float", "double", "int32", "int64", "uint8", "uint16",
                 "uint32", "uint64", "complex64", "complex128")  # fmt: skip
_BATCH_MATMUL_TYPES = _MATMUL_TYPES[:4] + ("int16",) + _MATMUL_TYPES[4:]


def _check_matmul_shapes(da: list, db: list, transpose_a: bool, transpose_b: bool) -> None:
    """TF's MatMul / BatchMatMulV2 shape errors, in the order its kernels check."""

    def text(dims):
        return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"

    def error(op, message):
        hint = (
            " Use tf.expand_dims or tf.reshape to make matrices, or tf.linalg.matvec / "
            "tf.tensordot for vectors."
            if min(len(da), len(db)) < 2
            else ""
        )
        return InvalidArgumentError(None, op, f"{message} [Op:{op}].{hint}")

    batched = len(da) > 2 or len(db) > 2
    op = "BatchMatMulV2" if batched else "MatMul"
    if not batched:
        if len(da) != len(db):
            raise error(op, f"In[0] and In[1] has different ndims: {text(da)} vs. {text(db)}")
        if len(da) < 2:
            raise error(op, f"In[0] and In[1] ndims must be == 2: {len(da)}")
    for i, dims in enumerate((da, db)):
        if len(dims) < 2:
            raise error(op, f"In[{i}] ndims must be >= 2: {len(dims)}")
    ba, bb = list(da[:-2]), list(db[:-2])
    n = max(len(ba), len(bb))
    for x, y in zip([1] * (n - len(ba)) + ba, [1] * (n - len(bb)) + bb):
        if x is not None and y is not None and x != y and 1 not in (x, y):
            raise error(
                op,
                f"In[0] and In[1] must have compatible batch dimensions: {text(da)} vs. {text(db)}",
            )
    k1 = da[-2] if transpose_a else da[-1]
    k2 = db[-1] if transpose_b else db[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise error(op, f"Matrix size-incompatible: In[0]: {text(da)}, In[1]: {text(db)}")


def _check_matmul_dtype(a: Tensor, b: Tensor) -> None:
    batched = a._value.ndim > 2 or b._value.ndim > 2
    op = "BatchMatMulV2" if batched else "MatMul"
    name = dtypes.tf_type_name(a._dtype)
    if name not in (_BATCH_MATMUL_TYPES if batched else _MATMUL_TYPES):
        raise InvalidArgumentError(
            None,
            op,
            f"Value for attr 'T' of {name} is not in the list of allowed values: "
            f"{', '.join(_BATCH_MATMUL_TYPES if batched else _MATMUL_TYPES)} [Op:{op}]. Cast "
            f"the operands, or pass output_type=tf.int32 for int8 operands.",
        )
    if a._dtype.is_unsigned:
        attrs = (
            "adj_x=false, adj_y=false, grad_x=false, grad_y=false"
            if batched
            else "grad_a=false, grad_b=false, transpose_a=false, transpose_b=false"
        )
        raise NotFoundError(
            None,
            op,
            f"Could not find device for node: {{{{node {op}}}}} = {op}[T=DT_"
            f"{a._dtype.name.upper()}, {attrs}]\nTF has no CPU kernel multiplying "
            f"{a._dtype.name} matrices: cast them first [Op:{op}]",
        )


def _int8_product_operands(a: Tensor, b: Tensor, output_type) -> tuple:
    """The operands of a matmul with ``output_type`` (TF's BatchMatMulV3): int8/uint8
    matrices multiply into int32; otherwise only the operands' own dtype is made."""
    small = (dtypes.int8, dtypes.uint8)
    if a._dtype in small and b._dtype in small and output_type is dtypes.int32:
        return cast(a, dtypes.int32), cast(b, dtypes.int32)
    if a._dtype is output_type and b._dtype is output_type:
        return a, b
    names = tuple(dtypes.tf_type_name(d).upper() for d in (a._dtype, b._dtype, output_type))
    raise NotFoundError(
        None,
        "BatchMatMulV3",
        "Could not find device for node: {{node BatchMatMulV3}} = BatchMatMulV3[Ta=DT_%s, "
        "Tb=DT_%s, Tout=DT_%s, adj_x=false, adj_y=false, grad_x=false, grad_y=false]\nTF's "
        "CPU kernel makes int32 from int8/uint8 operands, or the operands' own dtype "
        "[Op:BatchMatMulV3]" % names,
    )


# -- Cast -------------------------------------------------------------------


_CAST_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _cast_kernel(x, dtype):
    if dtype is dtypes.string or x.dtype.kind in "OSU":
        # TF never parses or formats numbers in a cast: strings stay strings.
        src = (
            "string" if x.dtype.kind in "OSU" else _CAST_TYPE_NAMES.get(x.dtype.name, x.dtype.name)
        )
        if src == "string" and dtype is dtypes.string:
            return x
        dst = "string" if dtype is dtypes.string else _CAST_TYPE_NAMES.get(dtype.name, dtype.name)
        fix = (
            "format numbers with tf.strings.as_string"
            if dst == "string"
            else "parse numbers with tf.strings.to_number"
        )
        raise UnimplementedError(
            None, "Cast", f"Cast {src} to {dst} is not supported [Op:Cast]. To convert, {fix}."
        )
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


@dispatch_to_values
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
