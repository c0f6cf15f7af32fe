"""``tf.math.bincount``: counting (or weighting) the occurrences of each integer, as
TF's DenseBincount op."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__: list = []


def _dense_bincount_kernel(arr, size, weights, binary_output=False):
    size = int(size)
    if size < 0:
        raise InvalidArgumentError(
            None, "DenseBincount", f"size ({size}) must be non-negative [Op:DenseBincount]"
        )
    if arr.size and arr.min() < 0:
        raise InvalidArgumentError(
            None, "DenseBincount", "Input arr must be non-negative! [Op:DenseBincount]"
        )
    rows = arr.reshape(1, -1) if arr.ndim == 1 else arr
    w = None if weights.size == 0 else np.broadcast_to(weights, arr.shape).reshape(rows.shape)
    out = np.zeros((rows.shape[0], size), weights.dtype)
    for r, row in enumerate(rows):
        keep = row < size
        if binary_output:
            out[r, row[keep]] = 1
        else:
            np.add.at(out[r], row[keep], 1 if w is None else w[r][keep])
    return out[0] if arr.ndim == 1 else out


def _dense_bincount_infer(arr: Spec, size: Spec, weights: Spec, binary_output=False) -> Spec:
    n = size.value if isinstance(size.value, int) else None
    if arr.shape.rank is None:
        return Spec(weights.dtype, TensorShape(None))
    lead = [] if arr.shape.rank == 1 else [arr.shape[0]]
    return Spec(weights.dtype, TensorShape(lead + [n]))


# Counts are piecewise constant in the weights' positions; TF registers no gradient.
_DENSE_BINCOUNT = register(
    "DenseBincount",
    kernel=_dense_bincount_kernel,
    grad=None,
    infer=_dense_bincount_infer,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
    shape_inputs=(1,),
)


def bincount(
    arr,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype=dtypes.int32,
    name=None,
    axis=None,
    binary_output=False,
) -> Tensor:
    """How often each value 0, 1, ... occurs in ``arr`` (or the sum of its ``weights``).

    Args:
        arr: non-negative integers (other dtypes are cast to int32, as in TF).
        weights: optional, ``arr``'s shape; the output then has their dtype.
        minlength, maxlength: bounds on the number of bins (values >= maxlength are
            dropped).
        dtype: the output dtype without weights.
        axis: None (flatten) or 0 count over all of ``arr``; -1 counts each row of a 2-D
            ``arr`` separately.
        binary_output: 1 for every value present instead of counts.

    Returns:
        ``[max(arr) + 1]`` bins (bounded by minlength/maxlength), or ``[rows, bins]``.

    Raises:
        ValueError: both ``weights`` and ``binary_output``, or an axis other than
            None, 0 and -1.
        InvalidArgumentError: negative values in ``arr``.

    >>> import tensorflux as tf
    >>> tf.math.bincount([1, 1, 3, 0]).numpy()
    array([1, 2, 0, 1], dtype=int32)
    """
    from tensorflux.ops import math_ops
    from tensorflux.ops.reduction_ops import reduce_max
    from tensorflux.ops.shape_ops import reshape

    if weights is not None and binary_output:
        raise ValueError(
            "Arguments `binary_output` and `weights` are mutually exclusive. Please specify "
            "only one."
        )
    if axis not in (None, 0, -1):
        raise ValueError(
            f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported."
        )
    arr = to_tensor(arr)
    if not arr.dtype.is_integer:
        arr = math_ops.cast(arr, dtypes.int32)
    if axis is None or axis == 0:
        arr = reshape(arr, [-1])
    zero = to_tensor(np.zeros((), arr.dtype.as_numpy_dtype))
    size = math_ops.maximum(math_ops.add(reduce_max(arr), 1), zero)
    if minlength is not None:
        size = math_ops.maximum(size, math_ops.cast(to_tensor(minlength), arr.dtype))
    if maxlength is not None:
        size = math_ops.minimum(size, math_ops.cast(to_tensor(maxlength), arr.dtype))
    if weights is None:
        weights = to_tensor(np.zeros((0,), dtypes.as_dtype(dtype).as_numpy_dtype))
    else:
        weights = to_tensor(weights)
        if axis is None or axis == 0:
            weights = reshape(weights, [-1])
    return execute(
        _DENSE_BINCOUNT,
        (arr, math_ops.cast(size, dtypes.int32), weights),
        {"binary_output": bool(binary_output)},
    )
