"""Smaller ``tf.math`` functions: the Xlog1py, NextAfter, InvertPermutation and
CumulativeLogsumexp ops, and compositions of existing ops (``reciprocal_no_nan``,
``polyval``, ``lbeta``, ``confusion_matrix``, monotonicity tests, ``zero_fraction``,
``accumulate_n``, ``approx_max_k`` / ``approx_min_k``)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import math_ops
from tensorflux.ops.common import elementwise_binary_infer, to_tensor, unbroadcast
from tensorflux.ops.logic_ops import _binary

__all__: list = []


# -- Xlog1py ------------------------------------------------------------------


def _xlog1py_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x * np.log1p(y))


def _xlog1py_grad(call, dy):
    """d(x log1p y) = (dy * xlog1py(x != 0, y), dy * xdivy(x, 1 + y))."""
    x, y = call.inputs
    nonzero = math_ops._nonzero_mask(x)
    gx = math_ops.multiply(dy, execute(_XLOG1PY, (nonzero, y)))
    gy = math_ops.multiply(dy, math_ops.xdivy(x, math_ops.add(y, math_ops._const(1, y))))
    return unbroadcast(gx, x, y), unbroadcast(gy, y, x)


_XLOG1PY = register(
    "Xlog1py",
    kernel=_xlog1py_kernel,
    grad=_xlog1py_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=math_ops._FLOAT_LIKE,
)


def xlog1py(x, y, name=None) -> Tensor:
    """``x * log1p(y)``, and 0 where ``x`` is 0 even if ``y`` is -1.

    >>> import tensorflux as tf
    >>> tf.math.xlog1py([0.0, 2.0], [-1.0, 0.0]).numpy()
    array([0., 0.], dtype=float32)

    Raises:
        InvalidArgumentError: integer inputs, or ``x`` and ``y`` of different dtypes.
    """
    return _binary(_XLOG1PY, x, y)


# -- NextAfter ------------------------------------------------------------------


def _next_after_kernel(x1, x2):
    return np.nextafter(x1, x2)


def _next_after_grad(call, dy):
    """TF's convention, not the (piecewise constant) derivative: dy passes to x1 as if
    nextafter were the identity, and x2 gets zeros."""
    x1, x2 = call.inputs
    return unbroadcast(dy, x1, x2), unbroadcast(math_ops.multiply(dy, 0.0), x2, x1)


_NEXT_AFTER = register(
    "NextAfter",
    kernel=_next_after_kernel,
    grad=_next_after_grad,
    infer=elementwise_binary_infer,
    same_dtype=True,
    allowed=frozenset({dtypes.float32, dtypes.float64}),
)


def nextafter(x1, x2, name=None) -> Tensor:
    """The next representable float after ``x1`` in the direction of ``x2``.

    >>> import tensorflux as tf
    >>> float(tf.math.nextafter(1.0, 2.0)) > 1.0
    True

    Raises:
        InvalidArgumentError: inputs that are not float32/float64, or of different dtypes.
    """
    return _binary(_NEXT_AFTER, x1, x2)


# -- InvertPermutation -------------------------------------------------------------


def _invert_permutation_kernel(x):
    if x.ndim != 1:
        raise InvalidArgumentError(
            None,
            "InvertPermutation",
            f"invert_permutation expects a 1D vector, got shape {list(x.shape)}.",
        )
    n = x.size
    if np.any((x < 0) | (x >= n)) or np.unique(x).size != n:
        raise InvalidArgumentError(
            None,
            "InvertPermutation",
            f"{x.tolist()} is not a permutation of 0..{n - 1} [Op:InvertPermutation].",
        )
    out = np.empty_like(x)
    out[x] = np.arange(n, dtype=x.dtype)
    return out


def _invert_permutation_infer(x: Spec) -> Spec:
    return Spec(x.dtype, x.shape)


_INVERT_PERMUTATION = register(
    "InvertPermutation",
    kernel=_invert_permutation_kernel,
    grad=None,
    infer=_invert_permutation_infer,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
)


def invert_permutation(x, name=None) -> Tensor:
    """The inverse permutation: ``y[x[i]] = i``.

    >>> import tensorflux as tf
    >>> tf.math.invert_permutation([3, 4, 0, 2, 1]).numpy()
    array([2, 4, 3, 0, 1], dtype=int32)

    Raises:
        InvalidArgumentError: ``x`` not a 1-D int32/int64 permutation of 0..n-1.
    """
    return execute(_INVERT_PERMUTATION, (to_tensor(x),))


# -- compositions ------------------------------------------------------------------


def reciprocal_no_nan(x, name=None) -> Tensor:
    """``1 / x``, but 0 where ``x`` is 0.

    >>> import tensorflux as tf
    >>> tf.math.reciprocal_no_nan([2.0, 0.0]).numpy()
    array([0.5, 0. ], dtype=float32)

    Raises:
        InvalidArgumentError: a non-floating, non-complex ``x``.
    """
    x = to_tensor(x)
    if x._dtype not in math_ops._FLOAT_LIKE:
        raise InvalidArgumentError(
            None,
            "DivNoNan",
            f"Value for attr 'T' of {x._dtype.name} is not in the list of allowed values: "
            "half, float, bfloat16, double, complex64, complex128 [Op:DivNoNan]",
        )
    return math_ops.divide_no_nan(math_ops._const(1, x), x)


def polyval(coeffs, x, name=None) -> Tensor:
    """The polynomial ``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` (Horner's rule).

    Args:
        coeffs: a list of tensors (highest power first).
        x: the point(s) to evaluate at.

    Returns:
        A tensor of ``x``'s broadcast shape; zeros for an empty ``coeffs``.

    Raises:
        ValueError: ``coeffs`` not a list or tuple.

    >>> import tensorflux as tf
    >>> float(tf.math.polyval([2.0, 0.0, 1.0], 3.0))
    19.0
    """
    from tensorflux.ops.creation_ops import zeros_like

    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"Argument coeffs must be list type found {type(coeffs)}.")
    x = to_tensor(x)
    if not coeffs:
        return zeros_like(x)
    p = to_tensor(coeffs[0], dtype=x.dtype)
    for c in coeffs[1:]:
        p = math_ops.add(to_tensor(c, dtype=x.dtype), math_ops.multiply(p, x))
    return p


def lbeta(x, name=None) -> Tensor:
    """``log(|Beta(x)|)`` over the last axis: ``sum(lgamma(x)) - lgamma(sum(x))``.

    >>> import tensorflux as tf
    >>> round(float(tf.math.lbeta([1.0, 1.0])), 6)
    0.0
    """
    from tensorflux.ops.reduction_ops import reduce_sum
    from tensorflux.ops.unary_math_ops import lgamma

    x = to_tensor(x)
    return math_ops.subtract(reduce_sum(lgamma(x), -1), lgamma(reduce_sum(x, -1)))


def _cumulative_logsumexp_kernel(x, axis, exclusive=False, reverse=False):
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise InvalidArgumentError(
            None,
            "CumulativeLogsumexp",
            f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), but got {axis} "
            f"[Op:CumulativeLogsumexp]",
        )
    v = np.moveaxis(x.astype(np.float64), axis, -1)
    if reverse:
        v = v[..., ::-1]
    out = np.logaddexp.accumulate(v, axis=-1) if v.shape[-1] else v.copy()
    if exclusive and v.shape[-1]:
        out = np.concatenate([np.full(v.shape[:-1] + (1,), -np.inf), out[..., :-1]], axis=-1)
    if reverse:
        out = out[..., ::-1]
    return np.moveaxis(out, -1, axis).astype(x.dtype)


def _cumulative_logsumexp_infer(x: Spec, axis: Spec, **attrs) -> Spec:
    return Spec(x.dtype, x.shape)


def _cumulative_logsumexp_grad(call, dy):
    """dx_j = sum over the outputs i that include x_j of dy_i exp(x_j - out_i), with the
    positive and negative parts of dy accumulated in log space (no overflow)."""
    from tensorflux.ops.creation_ops import fill, zeros_like
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import greater, less
    from tensorflux.ops.shape_ops import shape
    from tensorflux.ops.unary_math_ops import exp, log

    x, axis = call.inputs
    (out,) = call.outputs
    exclusive, reverse = call.attrs["exclusive"], call.attrs["reverse"]
    zero = zeros_like(dy)
    floor = fill(
        shape(dy), np.asarray(np.finfo(dy.dtype.as_numpy_dtype).min, dy.dtype.as_numpy_dtype)
    )
    log_pos = where(greater(dy, zero), log(where(greater(dy, zero), dy, floor)), floor)
    neg = math_ops.negative(dy)
    log_neg = where(less(dy, zero), log(where(less(dy, zero), neg, floor)), floor)

    def part(log_part):
        acc = execute(
            _CUMULATIVE_LOGSUMEXP,
            (math_ops.subtract(log_part, out), axis),
            {"exclusive": exclusive, "reverse": not reverse},
        )
        return exp(math_ops.add(acc, x))

    return math_ops.subtract(part(log_pos), part(log_neg)), None


_CUMULATIVE_LOGSUMEXP = register(
    "CumulativeLogsumexp",
    kernel=_cumulative_logsumexp_kernel,
    grad=_cumulative_logsumexp_grad,
    infer=_cumulative_logsumexp_infer,
    allowed=FLOATING,
)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """``log(cumsum(exp(x)))`` along ``axis``, accumulated pairwise in log space so
    that neither overflow nor underflow occurs.

    Args:
        x: a floating tensor.
        axis: the axis to accumulate along.
        exclusive: leave each element out of its own sum (the first is then -inf).
        reverse: accumulate from the end.

    Raises:
        InvalidArgumentError: a non-floating ``x``, or an axis out of range.

    >>> import tensorflux as tf
    >>> tf.math.cumulative_logsumexp([0.0, 0.0]).numpy()
    array([0.       , 0.6931472], dtype=float32)
    """
    x = to_tensor(x)
    if x._dtype not in FLOATING:
        raise InvalidArgumentError(
            None,
            "CumulativeLogsumexp",
            f"Value for attr 'T' of {x._dtype.name} is not in the list of allowed values: "
            "half, float, double [Op:CumulativeLogsumexp]",
        )
    axis = to_tensor(axis)
    attrs = {"exclusive": bool(exclusive), "reverse": bool(reverse)}
    return execute(_CUMULATIVE_LOGSUMEXP, (x, axis), attrs)


def _monotone(x, strict: bool, what: str) -> Tensor:
    from tensorflux.ops.logic_ops import greater, greater_equal
    from tensorflux.ops.reduction_ops import reduce_all
    from tensorflux.ops.shape_ops import reshape

    x = to_tensor(x)
    if not (x._dtype.is_integer or x._dtype.is_floating):
        raise TypeError(f"Expected x to be numeric, got {x._dtype.name}: {what} compares numbers.")
    flat = reshape(x, [-1])
    later, earlier = flat[1:], flat[:-1]
    return reduce_all((greater if strict else greater_equal)(later, earlier))


def is_non_decreasing(x, name=None) -> Tensor:
    """Whether ``x``, flattened, never decreases (True for fewer than two elements).

    Raises:
        TypeError: a non-numeric ``x``.

    >>> import tensorflux as tf
    >>> bool(tf.math.is_non_decreasing([1, 1, 2]))
    True
    """
    return _monotone(x, False, "is_non_decreasing")


def is_strictly_increasing(x, name=None) -> Tensor:
    """Whether ``x``, flattened, always increases (True for fewer than two elements).

    Raises:
        TypeError: a non-numeric ``x``.

    >>> import tensorflux as tf
    >>> bool(tf.math.is_strictly_increasing([1, 1, 2]))
    False
    """
    return _monotone(x, True, "is_strictly_increasing")


def zero_fraction(value, name=None) -> Tensor:
    """The fraction of zeros in ``value``, as float32 (nan when it is empty).

    >>> import tensorflux as tf
    >>> float(tf.math.zero_fraction([0, 1, 0, 3]))
    0.5
    """
    from tensorflux.ops.logic_ops import equal
    from tensorflux.ops.reduction_ops import reduce_mean

    value = to_tensor(value)
    zero = to_tensor(np.zeros((), value._dtype.as_numpy_dtype))
    return reduce_mean(math_ops.cast(equal(value, zero), dtypes.float32))


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None) -> Tensor:
    """The elementwise sum of ``inputs`` (same shape and dtype), like ``tf.math.add_n``.

    Raises:
        ValueError: an empty or non-list ``inputs``, or tensors whose shapes or dtypes
            differ, or that disagree with ``shape`` / ``tensor_dtype``.

    >>> import tensorflux as tf
    >>> tf.math.accumulate_n([[1, 2], [3, 4]]).numpy()
    array([4, 6], dtype=int32)
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(
            "inputs must be a list of at least one Tensor with the same dtype and shape."
        )
    tensors = [to_tensor(t) for t in inputs]
    first = tensors[0]
    if any(t._dtype != first._dtype for t in tensors):
        raise ValueError(
            "inputs must be a list of at least one Tensor with the same dtype and shape."
        )
    if any(not t.shape.is_compatible_with(first.shape) for t in tensors):
        raise ValueError(
            "inputs must be a list of at least one Tensor with the same dtype and shape."
        )
    if shape is not None and not TensorShape(shape).is_compatible_with(first.shape):
        raise ValueError(
            f"Shape {TensorShape(shape)} is incompatible with the inputs' {first.shape}."
        )
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != first._dtype:
        raise ValueError(
            f"tensor_dtype is {dtypes.as_dtype(tensor_dtype).name}, inputs are {first._dtype.name}."
        )
    return math_ops.add_n(tensors)


def _approx_k(operand, k, reduction_dimension, largest: bool):
    from tensorflux.ops.nn_ops import top_k

    x = to_tensor(operand)
    if x._dtype not in (dtypes.float16, dtypes.bfloat16, dtypes.float32):
        raise InvalidArgumentError(
            None,
            "ApproxTopK",
            f"Value for attr 'T' of {x._dtype.name} is not in the list of allowed values: "
            "half, bfloat16, float [Op:ApproxTopK]",
        )
    if reduction_dimension != -1:
        # TF registers CPU kernels for reduction_dimension=-1 only.
        raise NotFoundError(
            None,
            "ApproxTopK",
            f"Could not find device for node: ApproxTopK with reduction_dimension="
            f"{reduction_dimension}: on CPU only -1 (the last axis) is supported; transpose "
            "the axis to the end.",
        )
    if largest:
        return top_k(x, k)
    values, indices = top_k(math_ops.negative(x), k)
    return math_ops.negative(values), indices


def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` largest values along ``reduction_dimension`` and their int32 indices.
    On CPU the search is exact (as TF's), so ``recall_target`` has no effect.

    Returns:
        ``(values, indices)``, sorted from the largest.

    Raises:
        InvalidArgumentError: an operand that is not float16/bfloat16/float32.
        NotFoundError: a ``reduction_dimension`` other than -1 (TF has no CPU kernel).

    >>> import tensorflux as tf
    >>> tf.math.approx_max_k([[1.0, 5.0, 3.0]], 2)[1].numpy()
    array([[1, 2]], dtype=int32)
    """
    return _approx_k(operand, k, reduction_dimension, True)


def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` smallest values along ``reduction_dimension`` and their int32 indices
    (exact on CPU, as TF's), sorted from the smallest.

    Raises:
        InvalidArgumentError: an operand that is not float16/bfloat16/float32.
        NotFoundError: a ``reduction_dimension`` other than -1 (TF has no CPU kernel).

    >>> import tensorflux as tf
    >>> tf.math.approx_min_k([[1.0, 5.0, 3.0]], 2)[0].numpy()
    array([[1., 3.]], dtype=float32)
    """
    return _approx_k(operand, k, reduction_dimension, False)


def confusion_matrix(
    labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32, name=None
) -> Tensor:
    """The ``[num_classes, num_classes]`` matrix counting (or weighting) each
    (label, prediction) pair: rows are labels, columns predictions.

    Raises:
        InvalidArgumentError: negative labels or predictions, values >= num_classes, or
            labels and predictions of different lengths.

    >>> import tensorflux as tf
    >>> tf.math.confusion_matrix([0, 1, 1], [0, 1, 0]).numpy()
    array([[1, 0],
           [1, 1]], dtype=int32)
    """
    from tensorflux.ops.creation_ops import ones_like
    from tensorflux.ops.segment_ops import unsorted_segment_sum
    from tensorflux.ops.shape_ops import reshape

    dtype = dtypes.as_dtype(dtype)
    labels = math_ops.cast(to_tensor(labels), dtypes.int64)
    predictions = math_ops.cast(to_tensor(predictions), dtypes.int64)
    if labels.shape.rank == 2 and labels.shape[1] == 1:
        labels = reshape(labels, [-1])
    if predictions.shape.rank == 2 and predictions.shape[1] == 1:
        predictions = reshape(predictions, [-1])
    if not labels.shape.is_compatible_with(predictions.shape):
        raise InvalidArgumentError(
            None,
            "confusion_matrix",
            f"Dimensions of labels and predictions differ: {labels.shape} vs "
            f"{predictions.shape}. Pass one prediction per label.",
        )
    if type(labels) is not Tensor or type(predictions) is not Tensor:
        # Traced: the values exist only when the graph runs, so the class count must be
        # given (the segment sum needs it) and out-of-range pairs are not checked.
        if num_classes is None:
            raise ValueError(
                "confusion_matrix inside a tf.function needs num_classes: the labels' "
                "values are known only when the function runs."
            )
        n = int(to_tensor(num_classes).numpy())
    else:
        n = _checked_class_count(labels.numpy(), predictions.numpy(), num_classes)
    pairs = math_ops.add(math_ops.multiply(labels, n), predictions)
    w = (
        ones_like(pairs, dtype=dtype)
        if weights is None
        else math_ops.cast(to_tensor(weights), dtype)
    )
    return reshape(unsorted_segment_sum(w, pairs, n * n), [n, n])


def _checked_class_count(labels, predictions, num_classes) -> int:
    """The class count (given, or the largest value + 1), after TF's range checks."""
    for what, v in (("labels", labels), ("predictions", predictions)):
        if v.size and v.min() < 0:
            raise InvalidArgumentError(
                None, "assert_non_negative", f"`{what}` contains negative values."
            )
    if num_classes is None:
        largest = [int(v.max()) for v in (labels, predictions) if v.size]
        return max(largest, default=-1) + 1
    n = int(to_tensor(num_classes).numpy())
    for what, v in (("labels", labels), ("predictions", predictions)):
        if v.size and v.max() >= n:
            raise InvalidArgumentError(
                None, "assert_less", f"`{what}` out of bound: every value must be < {n}."
            )
    return n
