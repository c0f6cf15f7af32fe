"""Reductions over axes: sums, means, extrema, norms of a tensor (``tf.math.reduce_*``)."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import NUMERIC, Spec, execute, register
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import normalize_axis, reduced_shape, to_tensor

__all__ = ["reduce_sum"]


def _keep_shape(x_shape: tuple, axis) -> tuple:
    """The shape of a keepdims reduction of ``x_shape`` over ``axis`` (None = all)."""
    if axis is None:
        return (1,) * len(x_shape)
    return tuple(1 if i in axis else d for i, d in enumerate(x_shape))


def _reduce_infer(x: Spec, axis=None, keepdims=False) -> Spec:
    return Spec(x.dtype, reduced_shape(x.shape, axis, keepdims))


# -- Sum --------------------------------------------------------------------


def _sum_kernel(x, axis=None, keepdims=False):
    return np.asarray(np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype))


def _sum_grad(call, dy):
    """d sum(x) = dy broadcast back over the reduced axes."""
    (x,) = call.inputs
    from tensorflux.ops.array_ops import broadcast_to, reshape

    shape = x._value.shape
    dy = reshape(dy, _keep_shape(shape, call.attrs.get("axis")))
    return (broadcast_to(dy, shape),)


_SUM = register("Sum", kernel=_sum_kernel, grad=_sum_grad, infer=_reduce_infer,
                allowed=NUMERIC)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None) -> Tensor:
    """Sums over ``axis`` (all axes when None), keeping the input dtype (``tf.reduce_sum``).

    >>> import tensorflux as tf
    >>> tf.reduce_sum([[1, 2], [3, 4]], axis=0).numpy()
    array([4, 6], dtype=int32)
    """
    x = to_tensor(input_tensor)
    axes = normalize_axis(axis, x._value.ndim, "Sum") if axis is not None else None
    return execute(_SUM, (x,), {"axis": axes, "keepdims": bool(keepdims)})
