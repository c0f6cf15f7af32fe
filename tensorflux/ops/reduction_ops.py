"""Reductions over axes, arg-extrema and cumulative scans (``tf.reduce_*``, ``tf.math``).

Reduction attrs: ``axis`` is a sorted tuple of non-negative axes (None for all
axes) and ``keepdims`` a bool. Kernels keep the input dtype as TF does: an int8
sum wraps around in int8, an integer mean truncates toward zero.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import logic_ops, math_ops, unary_math_ops
from tensorflux.ops.common import (
    conjugated_grad,
    dim_list,
    fit_like,
    known_shape,
    reduced_shape,
    runtime_shape,
    to_tensor,
)
from tensorflux.ops.creation_ops import int_list_arg
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.shape_ops import broadcast_to, reshape, stop_gradient, transpose

__all__ = [
    "reduce_sum",
    "reduce_mean",
    "reduce_max",
    "reduce_min",
    "reduce_prod",
    "reduce_any",
    "reduce_all",
    "reduce_logsumexp",
    "argmax",
    "argmin",
    "cumsum",
]

_BOOL = frozenset({dtypes.bool})
# In the order TF's attr errors list them.
_INDEX_TYPES = (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)


def _keep_shape(x_shape: tuple, axis) -> tuple:
    """The shape of a keepdims reduction of ``x_shape`` over ``axis`` (None = all)."""
    if axis is None:
        return (1,) * len(x_shape)
    return tuple(1 if i in axis else d for i, d in enumerate(x_shape))


def _count(x_shape: tuple, axis) -> int:
    """How many elements each output of a reduction over ``axis`` combines."""
    n = 1
    for a in range(len(x_shape)) if axis is None else axis:
        n *= x_shape[a]
    return n


def _reduce_infer(x: Spec, axis=None, keepdims=False) -> Spec:
    return Spec(x.dtype, reduced_shape(x.shape, axis, keepdims))


def _axis_list(axis, op_name: str = "Sum") -> list:
    # As TF: a float axis fails its int32 conversion, a string one the op's Tidx check.
    return int_list_arg(
        axis, op_name, "axis", attr="Tidx", floats=TypeError, strings=InvalidArgumentError
    )


def _reduction_axes(axis, rank: int, op_name: str):
    """TF's reduction ``axis`` argument (None, int, list, tensor) as the ``axis`` attr.

    Raises:
        InvalidArgumentError: an axis outside ``[-rank, rank)`` or a repeated axis.
    """
    if axis is None:
        return None
    out = []
    for a in _axis_list(axis, op_name):
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Invalid reduction dimension ({a} for input with {rank} "
                f"dimension(s) [Op:{op_name}]. Use an axis in [{-rank}, {rank}).",
            )
        if a % rank in out:
            raise InvalidArgumentError(
                None,
                op_name,
                f"Invalid reduction arguments: Axes contains duplicate "
                f"dimension: {a % rank} [Op:{op_name}]",
            )
        out.append(a % rank)
    return tuple(sorted(out))


def _reduce(op, input_tensor, axis, keepdims) -> Tensor:
    x = to_tensor(input_tensor)
    axes = _reduction_axes(axis, x._value.ndim, op.name)
    return execute(op, (x,), {"axis": axes, "keepdims": bool(keepdims)})


# -- shapes known only when a traced graph runs ------------------------------
#
# A tensor traced with a partly unknown shape (``None`` dims) must not have its example's
# sizes read: the helpers below build shapes from the static dimensions and, for the
# unknown ones, from ``tf.shape`` computed when the graph runs. Composite ops of the
# nn, loss and linalg modules use them too.


def _reshape_dims(t: Tensor, dims) -> Tensor:
    """``t`` reshaped to ``dims`` (ints, or int32 scalars known when the graph runs)."""
    if type(dims) is tuple:
        return reshape(t, dims)
    unknown = [i for i, d in enumerate(dims) if isinstance(d, Tensor)]
    if len(unknown) == 1 and all(d != 0 for d in dims if not isinstance(d, Tensor)):
        # One unknown dimension is implied by the size: a plain Reshape suffices.
        dims = list(dims)
        dims[unknown[0]] = -1
        unknown = []
    return reshape(t, tuple(dims) if not unknown else dims)


def _dim_product(x: Tensor, axes):
    """The product of ``x``'s dimensions at ``axes``: an int when known on every call,
    else an int32 scalar computed when the graph runs."""
    dims = x.shape.as_list()
    known, unknown = 1, []
    for a in axes:
        if dims[a] is None:
            unknown.append(a)
        else:
            known *= dims[a]
    if not unknown:
        return known
    n = reduce_prod(gather(runtime_shape(x), unknown))
    return n if known == 1 else math_ops.multiply(n, known)


def _all_axes(x: Tensor, axis) -> tuple:
    return tuple(range(x._value.ndim)) if axis is None else axis


def _keep_dims(t: Tensor, x: Tensor, axis) -> Tensor:
    """``t``, the result of reducing ``x`` over ``axis``, with the reduced axes kept as 1s."""
    shape = known_shape(x)
    if shape is not None:
        return reshape(t, _keep_shape(shape, axis))
    if t.shape.rank == x.shape.rank:
        return t
    return _reshape_dims(t, dim_list(x, ones=_all_axes(x, axis)))


def _dims_without(x: Tensor, axes: tuple):
    """``x``'s dimensions without ``axes``: a tuple of ints when known on every call, else
    a list holding int32 scalars computed when the graph runs for the unknown ones."""
    shape = known_shape(x)
    if shape is not None:
        return tuple(d for i, d in enumerate(shape) if i not in axes)
    return [d for i, d in enumerate(dim_list(x, ones=axes)) if i not in axes]


def _drop_axes(t: Tensor, x: Tensor, axes: tuple) -> Tensor:
    """``t``, a keepdims reduction of ``x`` over ``axes``, without those axes."""
    return _reshape_dims(t, _dims_without(x, axes))


def _broadcast_back(dy: Tensor, x: Tensor, axis) -> Tensor:
    """``dy`` of a reduction, broadcast back to the shape of its input ``x``."""
    shape = known_shape(x)
    if shape is not None:
        return broadcast_to(reshape(dy, _keep_shape(shape, axis)), shape)
    return fit_like(_keep_dims(dy, x, axis), x)


# -- Sum --------------------------------------------------------------------


def _sum_kernel(x, axis=None, keepdims=False):
    # np.add.reduce skips np.sum's Python-level dispatch: a few µs per call saved.
    return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _sum_grad(call, dy):
    """d sum(x) = dy broadcast back over the reduced axes."""
    return (_broadcast_back(dy, call.inputs[0], call.attrs.get("axis")),)


_SUM = register("Sum", kernel=_sum_kernel, grad=_sum_grad, infer=_reduce_infer, allowed=NUMERIC)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Sums over ``axis`` (all axes when None), keeping the input dtype (``tf.reduce_sum``).

    >>> import tensorflux as tf
    >>> tf.reduce_sum([[1, 2], [3, 4]], axis=0).numpy()
    array([4, 6], dtype=int32)

    Raises:
        InvalidArgumentError: an axis out of range or repeated, or a bool/string input.
    """
    return _reduce(_SUM, input_tensor, axis, keepdims)


# -- Mean -------------------------------------------------------------------


def _mean_kernel(x, axis=None, keepdims=False):
    n = _count(x.shape, axis)
    if x.dtype.kind in "iu":
        # TF accumulates integers without overflow and truncates the quotient toward 0.
        s = np.sum(
            x, axis=axis, keepdims=keepdims, dtype=np.int64 if x.dtype.kind == "i" else np.uint64
        )
        if n == 0:
            return np.zeros(np.shape(s), dtype=x.dtype)
        return np.asarray(np.abs(s) // n * np.sign(s)).astype(x.dtype)
    # Half precision accumulates in float32, as TF does.
    acc = np.float32 if x.dtype.kind != "c" and x.dtype.itemsize < 4 else x.dtype
    total = np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=acc)
    if n == 0:
        with np.errstate(all="ignore"):
            return np.asarray(total / n).astype(x.dtype, copy=False)
    return np.asarray(total / n, dtype=x.dtype)


def _mean_grad(call, dy):
    """d mean(x) = dy / n broadcast back, n = number of reduced elements."""
    x = call.inputs[0]
    axis = call.attrs.get("axis")
    shape = known_shape(x)
    if shape is not None:
        n = _count(shape, axis)
    elif dy._dtype.is_floating or dy._dtype.is_complex:
        # One node that reads the sizes when the graph runs.
        return (
            execute(
                _MEAN_GRAD, (dy, x), {"axis": axis, "keepdims": call.attrs.get("keepdims", False)}
            ),
        )
    else:
        # An integer gradient rounds 1/n to the dtype: read the sizes (the trace then
        # serves only these shapes).
        n = _count(x._value.shape, axis)
    if isinstance(n, Tensor):
        # n is known only when the graph runs.
        count = math_ops.cast(math_ops.maximum(n, 1), dy._dtype)
        scale = math_ops.reciprocal(count)
    else:
        scale = math_ops._const(1 / max(n, 1), dy)
    return (math_ops.multiply(_broadcast_back(dy, x, axis), scale),)


_MEAN = register("Mean", kernel=_mean_kernel, grad=_mean_grad, infer=_reduce_infer, allowed=NUMERIC)


def _mean_grad_kernel(dy, x, axis, keepdims):
    shape = x.shape
    axes = range(len(shape)) if axis is None else axis
    count = 1
    for a in axes:
        count *= shape[a]
    kept = np.reshape(dy, [1 if i in axes else d for i, d in enumerate(shape)])
    # Times 1/n in dy's dtype, as the gradient for known shapes computes it.
    return np.broadcast_to(np.multiply(kept, dy.dtype.type(1 / max(count, 1))), shape)


def _mean_grad_grad(call, ddx):
    """Spreading dy evenly is linear in dy: its adjoint is the mean over the same axes."""
    return (reduce_mean(ddx, axis=call.attrs["axis"], keepdims=call.attrs["keepdims"]), None)


# The gradient of a floating Mean over an input whose sizes are known only when the
# graph runs: dy spread evenly over x's shape (the reduced element count is read then).
_MEAN_GRAD = register(
    "MeanGrad",
    kernel=_mean_grad_kernel,
    grad=_mean_grad_grad,
    infer=lambda dy, x, axis, keepdims: Spec(dy.dtype, x.shape),
)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Mean over ``axis``; an integer tensor's mean stays an integer (``tf.reduce_mean``).

    >>> import tensorflux as tf
    >>> tf.reduce_mean([1, 2]).numpy()
    np.int32(1)
    >>> tf.reduce_mean([1.0, 2.0]).numpy()
    np.float32(1.5)
    """
    return _reduce(_MEAN, input_tensor, axis, keepdims)


# -- Max, Min ---------------------------------------------------------------


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


def _max_kernel(x, axis=None, keepdims=False):
    # `initial` gives TF's result for empty reductions (-inf, or the dtype's minimum).
    return np.asarray(np.max(x, axis=axis, keepdims=keepdims, initial=_lowest(x.dtype)))


def _min_kernel(x, axis=None, keepdims=False):
    return np.asarray(np.min(x, axis=axis, keepdims=keepdims, initial=_highest(x.dtype)))


def _extreme_grad(call, dy):
    """dy shared equally among the elements equal to the extreme (ties split, as TF)."""
    x, y = call.inputs[0], call.outputs[0]
    axis = call.attrs.get("axis")
    hits = math_ops.cast(logic_ops.equal(x, _keep_dims(y, x, axis)), x._dtype)
    count = reduce_sum(hits, axis=axis, keepdims=True)
    share = execute(math_ops._REALDIV, (hits, count))
    return (math_ops.multiply(share, _keep_dims(dy, x, axis)),)


_MAX = register("Max", kernel=_max_kernel, grad=_extreme_grad, infer=_reduce_infer, allowed=REAL)
_MIN = register("Min", kernel=_min_kernel, grad=_extreme_grad, infer=_reduce_infer, allowed=REAL)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Maximum over ``axis``; -inf (or the dtype's minimum) for empty input (``tf.reduce_max``).

    Raises:
        InvalidArgumentError: an axis out of range, or a bool/complex/string input.
    """
    return _reduce(_MAX, input_tensor, axis, keepdims)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Minimum over ``axis``; +inf (or the dtype's maximum) for empty input (``tf.reduce_min``)."""
    return _reduce(_MIN, input_tensor, axis, keepdims)


# -- Prod -------------------------------------------------------------------


def _prod_kernel(x, axis=None, keepdims=False):
    return np.asarray(np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype))


def _prod_grad(call, dy):
    """d prod(x)/dx_i = dy * (product of the other reduced elements); exact with zeros."""
    x = call.inputs[0]
    attr = call.attrs.get("axis")
    axes = _all_axes(x, attr)
    if not axes:
        return (dy,)
    dy_keep = _keep_dims(dy, x, attr)
    dims = dim_list(x)
    size = _dim_product(x, axes)
    if axes == tuple(range(axes[0], axes[-1] + 1)):
        # A contiguous run of axes merges into one axis in place.
        first = axes[0]
        flat = _reshape_dims(x, dims[:first] + [size] + dims[axes[-1] + 1 :])
        return (math_ops.multiply(_reshape_dims(_others_product(flat, first), dims), dy_keep),)
    perm = [a for a in range(len(dims)) if a not in axes] + list(axes)
    moved = transpose(x, perm)
    moved_dims = [dims[a] for a in perm]
    kept = moved_dims[: len(dims) - len(axes)]
    others = _others_product(_reshape_dims(moved, kept + [size]), len(kept))
    others = transpose(_reshape_dims(others, moved_dims), list(np.argsort(perm)))
    return (math_ops.multiply(others, dy_keep),)


def _others_product(x: Tensor, axis: int) -> Tensor:
    """For each element, the product of the other elements along ``axis``."""
    before = cumprod(x, axis=axis, exclusive=True)
    after = cumprod(x, axis=axis, exclusive=True, reverse=True)
    return math_ops.multiply(before, after)


_PROD = register(
    "Prod",
    kernel=_prod_kernel,
    grad=conjugated_grad(_prod_grad),
    infer=_reduce_infer,
    allowed=NUMERIC,
)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Product over ``axis``, keeping the input dtype (``tf.reduce_prod``)."""
    return _reduce(_PROD, input_tensor, axis, keepdims)


# -- Any, All ---------------------------------------------------------------


def _any_kernel(x, axis=None, keepdims=False):
    return np.asarray(np.any(x, axis=axis, keepdims=keepdims))


def _all_kernel(x, axis=None, keepdims=False):
    return np.asarray(np.all(x, axis=axis, keepdims=keepdims))


_ANY = register("Any", kernel=_any_kernel, grad=None, infer=_reduce_infer, allowed=_BOOL)
_ALL = register("All", kernel=_all_kernel, grad=None, infer=_reduce_infer, allowed=_BOOL)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Logical OR over ``axis`` of a bool tensor (``tf.reduce_any``).

    Raises:
        TypeError: a Python value that is not bool.
        InvalidArgumentError: a tensor that is not bool.
    """
    return _reduce(_ANY, logic_ops._bool_operand(input_tensor), axis, keepdims)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Logical AND over ``axis`` of a bool tensor (``tf.reduce_all``)."""
    return _reduce(_ALL, logic_ops._bool_operand(input_tensor), axis, keepdims)


# -- composed reductions ----------------------------------------------------


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably by shifting by the maximum.

    >>> import tensorflux as tf
    >>> round(float(tf.reduce_logsumexp([0.0, 0.0])), 4)
    0.6931

    Raises:
        InvalidArgumentError: a non-floating input.
    """
    x = to_tensor(input_tensor)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    # An infinite maximum would turn x - max into NaN; shifting is only for stability.
    shift = stop_gradient(where(logic_ops.is_finite(raw_max), raw_max, math_ops._const(0, raw_max)))
    summed = reduce_sum(unary_math_ops.exp(math_ops.subtract(x, shift)), axis=axis, keepdims=True)
    out = math_ops.add(unary_math_ops.log(summed), shift)
    if keepdims:
        return out
    return _drop_axes(out, x, _all_axes(x, _reduction_axes(axis, x._value.ndim, "Max")))


def _check_real_or_complex(x: Tensor) -> None:
    # As TF, only integers are refused here: a bool input reaches Mean, which refuses it.
    if x._dtype.is_integer:
        raise TypeError(
            f"Input must be either real or complex. Received integer type "
            f"<dtype: '{x._dtype.name}'>. Cast it first, e.g. tf.cast(x, tf.float32)."
        )


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Population variance over ``axis``; complex input gives a real variance.

    Raises:
        TypeError: an integer input.
    """
    x = to_tensor(input_tensor)
    _check_real_or_complex(x)
    diff = math_ops.subtract(x, reduce_mean(x, axis=axis, keepdims=True))
    if x._dtype.is_complex:
        squared = unary_math_ops.real(math_ops.multiply(diff, unary_math_ops.conj(diff)))
    else:
        squared = math_ops.square(diff)
    return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Population standard deviation over ``axis`` (``tf.math.reduce_std``).

    Raises:
        TypeError: an integer input.
    """
    return unary_math_ops.sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """``sqrt(sum(|x|^2))`` over ``axis`` (``tf.math.reduce_euclidean_norm``); a complex
    input gives its (real) norm in the complex dtype, as TF."""
    x = to_tensor(input_tensor)
    if x._dtype.is_complex:
        squares = math_ops.multiply(x, unary_math_ops.conj(x))
    else:
        squares = math_ops.square(x)
    total = reduce_sum(squares, axis=axis, keepdims=keepdims)
    if x._dtype.is_integer:
        return math_ops.cast(unary_math_ops.sqrt(math_ops.cast(total, dtypes.float64)), x._dtype)
    return unary_math_ops.sqrt(total)


def count_nonzero(
    input,
    axis=None,
    keepdims=None,
    dtype=dtypes.int64,  # noqa: A002
    name=None,
) -> Tensor:
    """Counts the non-zero (non-empty for strings, True for bools) elements over ``axis``.

    >>> import tensorflux as tf
    >>> tf.math.count_nonzero([0, 1, 2]).numpy()
    np.int64(2)
    """
    x = to_tensor(input)
    if x._dtype is dtypes.string:
        zero = Tensor(np.array(b"", dtype=object), dtypes.string)
    else:
        zero = Tensor(np.zeros((), dtype=x._value.dtype), x._dtype)
    nonzero = math_ops.cast(logic_ops.not_equal(x, zero), dtypes.int64)
    return math_ops.cast(reduce_sum(nonzero, axis=axis, keepdims=bool(keepdims)), dtype)


# -- ArgMax, ArgMin ---------------------------------------------------------


def _check_arg_axis(x, axis, op_name):
    if x.shape[axis] == 0:
        shape = ",".join(str(d) for d in x.shape)
        raise InvalidArgumentError(
            None,
            op_name,
            f"Reduction axis {axis} is empty in shape [{shape}] [Op:{op_name}]",
        )


def _argmax_kernel(x, axis, output_type):
    _check_arg_axis(x, axis, "ArgMax")
    # TF skips NaN when looking for the maximum.
    if x.dtype.kind == "f" and np.isnan(x).any():
        x = np.where(np.isnan(x), -np.inf, x)
    return np.asarray(np.argmax(x, axis=axis)).astype(output_type.as_numpy_dtype)


def _argmin_kernel(x, axis, output_type):
    _check_arg_axis(x, axis, "ArgMin")
    if x.dtype.kind == "f" and np.isnan(x).any():
        x = np.where(np.isnan(x), np.inf, x)
    return np.asarray(np.argmin(x, axis=axis)).astype(output_type.as_numpy_dtype)


def _arg_infer(x: Spec, axis=0, output_type=dtypes.int64) -> Spec:
    return Spec(output_type, reduced_shape(x.shape, (axis,), False))


_ARGMAX = register(
    "ArgMax", kernel=_argmax_kernel, grad=None, infer=_arg_infer, allowed=REAL | _BOOL
)
_ARGMIN = register(
    "ArgMin", kernel=_argmin_kernel, grad=None, infer=_arg_infer, allowed=REAL | _BOOL
)


def _single_axis(axis, rank: int, op_name: str, what: str = "dimension") -> int:
    scan = what == "scan axis"
    if isinstance(axis, (float, list, tuple)) and not (scan and isinstance(axis, list)):
        raise TypeError(
            f"axis must be int or Tensor with integer datatype ({op_name} got {axis!r})."
        )
    values = _axis_list(axis, op_name)
    # A traced axis has an example value of the same shape.
    given = axis._value if isinstance(axis, Tensor) else axis
    if np.ndim(given) != 0:
        # As TF's kernels: an axis tensor (a list, for the scan ops) must be a scalar.
        shape = list(np.shape(given))
        raise InvalidArgumentError(
            None,
            op_name,
            f"ScanOp: axis must be a scalar, not {shape} [Op:{op_name}]"
            if scan
            else f"dim must be a scalar, but received tensor of shape: {shape} [Op:{op_name}]",
        )
    (a,) = values
    if not -rank <= a < rank:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{'ScanOp: ' if what == 'scan axis' else ''}Expected {what} in the range "
            f"[{-rank}, {rank}), but got {a} [Op:{op_name}]",
        )
    return a % rank


def _arg(op, input, axis, output_type) -> Tensor:  # noqa: A002
    x = to_tensor(input)
    output_type = dtypes.as_dtype(output_type)
    # TF's ArgMax takes 16-bit index types too; its ArgMin only int32 and int64.
    allowed = _INDEX_TYPES if op is _ARGMAX else (dtypes.int32, dtypes.int64)
    if output_type not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise InvalidArgumentError(
            None,
            op.name,
            f"Value for attr 'output_type' of {dtypes.tf_type_name(output_type)} is not in the "
            f"list of allowed values: {names} [Op:{op.name}]. Pass "
            f"output_type=tf.int64 or tf.int32.",
        )
    axis = _single_axis(0 if axis is None else axis, x._value.ndim, op.name)
    return execute(op, (x,), {"axis": axis, "output_type": output_type})


def argmax(input, axis=None, output_type=dtypes.int64, name=None) -> Tensor:  # noqa: A002
    """Index of the largest value along ``axis`` (0 when None), as int64 (``tf.math.argmax``).

    >>> import tensorflux as tf
    >>> tf.argmax([[1, 3], [4, 2]], axis=1).numpy()
    array([1, 0])

    Raises:
        InvalidArgumentError: an axis out of range.
    """
    return _arg(_ARGMAX, input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None) -> Tensor:  # noqa: A002
    """Index of the smallest value along ``axis`` (0 when None), as int64 (``tf.math.argmin``)."""
    return _arg(_ARGMIN, input, axis, output_type)


# -- Cumsum, Cumprod --------------------------------------------------------


def _scan(accumulate, identity, x, axis, exclusive, reverse):
    if reverse:
        x = np.flip(x, axis)
    out = accumulate(x, axis=axis, dtype=x.dtype)
    if exclusive:
        shifted = np.empty_like(out)
        head = [slice(None)] * out.ndim
        tail, src = list(head), list(head)
        head[axis], tail[axis], src[axis] = slice(0, 1), slice(1, None), slice(None, -1)
        shifted[tuple(head)] = identity
        shifted[tuple(tail)] = out[tuple(src)]
        out = shifted
    return np.flip(out, axis) if reverse else out


def _cumsum_kernel(x, axis, exclusive=False, reverse=False):
    return _scan(np.cumsum, 0, x, axis, exclusive, reverse)


def _cumprod_kernel(x, axis, exclusive=False, reverse=False):
    return _scan(np.cumprod, 1, x, axis, exclusive, reverse)


def _scan_infer(x: Spec, axis, exclusive=False, reverse=False) -> Spec:
    return Spec(x.dtype, x.shape)


def _cumsum_grad(call, dy):
    """d cumsum(x) = cumsum(dy) in the opposite direction."""
    a = call.attrs
    return (cumsum(dy, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"]),)


def _cumprod_grad(call, dy):
    """d cumprod(x) = div_no_nan(cumsum(y * dy, reversed), x): 0 where x is 0, as TF."""
    x, y = call.inputs[0], call.outputs[0]
    a = call.attrs
    out = cumsum(
        math_ops.multiply(y, dy), a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"]
    )
    return (execute(math_ops._DIV_NO_NAN, (out, x)),)


_CUMSUM = register(
    "Cumsum", kernel=_cumsum_kernel, grad=_cumsum_grad, infer=_scan_infer, allowed=NUMERIC
)
_CUMPROD = register(
    "Cumprod", kernel=_cumprod_kernel, grad=_cumprod_grad, infer=_scan_infer, allowed=NUMERIC
)


def _cumulative(op, x, axis, exclusive, reverse) -> Tensor:
    x = to_tensor(x)
    axis = _single_axis(axis, x._value.ndim, op.name, "scan axis")
    return execute(op, (x,), {"axis": axis, "exclusive": bool(exclusive), "reverse": bool(reverse)})


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Cumulative sum along ``axis`` (``tf.math.cumsum``).

    >>> import tensorflux as tf
    >>> tf.cumsum([1, 2, 3], exclusive=True, reverse=True).numpy()
    array([5, 3, 0], dtype=int32)

    Raises:
        InvalidArgumentError: an axis out of range.
    """
    return _cumulative(_CUMSUM, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """Cumulative product along ``axis`` (``tf.math.cumprod``).

    Its gradient divides by ``x`` (TF's formula), so it is 0 wherever ``x`` is 0.
    """
    return _cumulative(_CUMPROD, x, axis, exclusive, reverse)
