"""Clipping by value and by norm (``tf.clip_by_value``, ``tf.clip_by_norm``, ...).

All of these compose public ops (Minimum, Maximum, Sqrt, L2Loss, ...), so their
gradients come for free: ``clip_by_value`` passes the gradient where the input
lies inside the bounds, exactly as TF's minimum/maximum composition does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import known_shape, normalize_axis, to_tensor
from tensorflux.ops.gather_ops import where
from tensorflux.ops.joining_ops import stack
from tensorflux.ops.logic_ops import greater, is_finite
from tensorflux.ops.math_ops import cast, maximum, minimum, multiply, truediv
from tensorflux.ops.nn_ops import l2_loss
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import reshape
from tensorflux.ops.unary_math_ops import sqrt

__all__ = ["clip_by_value", "clip_by_norm", "clip_by_global_norm"]


def _like(value, x: Tensor) -> Tensor:
    """``value`` as a tensor of ``x``'s dtype (TypeError for e.g. 1.5 into int32, as TF)."""
    return value if isinstance(value, Tensor) else to_tensor(value, x._dtype)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamps ``t`` to ``[clip_value_min, clip_value_max]`` (``tf.clip_by_value``).

    Computed as ``maximum(minimum(t, max), min)`` like TF (so ``min > max`` gives
    ``min`` everywhere). The gradient flows to ``t`` where it is inside the bounds,
    and to the bounds where they were hit. IndexedSlices have their values clipped.

    >>> import tensorflux as tf
    >>> tf.clip_by_value([-2.0, 0.5, 3.0], -1.0, 1.0).numpy()
    array([-1. ,  0.5,  1. ], dtype=float32)

    Raises:
        ValueError: bounds that would broadcast ``t`` to a bigger shape.
        TypeError: bounds that cannot be held in ``t``'s dtype.
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(
            clip_by_value(t.values, clip_value_min, clip_value_max), t.indices, t.dense_shape
        )
    x = to_tensor(t)
    lo, hi = _like(clip_value_min, x), _like(clip_value_max, x)
    out = maximum(minimum(x, hi), lo)
    shape, out_shape = known_shape(x), known_shape(out)
    if shape is not None and out_shape is not None:
        incompatible = out_shape != shape
    else:
        # Traced with unknown sizes: only what is known can be checked, as in TF.
        shape, out_shape = tuple(x.shape.as_list()), tuple(out.shape.as_list())
        incompatible = not x.shape.is_compatible_with(out.shape)
    if incompatible:
        raise ValueError(
            f"Shapes {shape} and {out_shape} are "
            f"incompatible: clip bounds must broadcast to the shape of `t`."
        )
    return out


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales ``t`` so its L2 norm over ``axes`` is at most ``clip_norm``
    (``tf.clip_by_norm``): ``t * clip_norm / max(norm(t), clip_norm)``.

    A zero ``t`` stays zero, with a zero (not NaN) gradient.

    Raises:
        InvalidArgumentError: an integer ``t`` (its norm needs a square root).
    """
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    x = to_tensor(t)
    axis = normalize_axis(axes, x._value.ndim, "Sum") if axes is not None else None
    l2sum = reduce_sum(multiply(x, x), axis=axis, keepdims=True)
    positive = greater(l2sum, Tensor(np.zeros((), x._value.dtype), x._dtype))
    # sqrt's gradient is infinite at 0: take it of a safe value and select afterwards.
    safe = where(positive, l2sum, Tensor(np.ones((), x._value.dtype), x._dtype))
    l2norm = where(positive, sqrt(safe), l2sum)
    # As TF: a negative clip_norm clips to zero rather than flipping the sign.
    c = maximum(_like(clip_norm, x), Tensor(np.zeros((), x._value.dtype), x._dtype))
    return truediv(multiply(x, c), maximum(l2norm, c))


def global_norm(t_list, name=None) -> Tensor:
    """``sqrt(sum of squared L2 norms)`` of the tensors in ``t_list`` (``tf.linalg.global_norm``).

    None entries are ignored; IndexedSlices count their values.

    Raises:
        TypeError: ``t_list`` that is not a sequence.
        InvalidArgumentError: tensors of different dtypes.
    """
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    halves = []
    for t in t_list:
        if t is None:
            continue
        halves.append(l2_loss(t.values if isinstance(t, IndexedSlices) else t))
    if not halves:
        return Tensor(np.float32(0), dtypes.float32)
    total = reduce_sum(stack(halves))
    return sqrt(multiply(total, Tensor(np.asarray(2, total._value.dtype), total._dtype)))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor by ``clip_norm / max(global_norm, clip_norm)``
    (``tf.clip_by_global_norm``), the usual gradient-clipping step.

    Args:
        t_list: tensors (or IndexedSlices, or None) to clip together.
        clip_norm: the largest global norm allowed.
        use_norm: a precomputed global norm, or None to compute it.

    Returns:
        ``(list_clipped, global_norm)``; None entries stay None. If the global norm
        is inf or NaN every clipped value is NaN, as in TF.

    Raises:
        TypeError: ``t_list`` that is not a sequence.
    """
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    norm = global_norm(t_list) if use_norm is None else to_tensor(use_norm)
    c = _like(clip_norm, norm)
    one = Tensor(np.asarray(1, norm._value.dtype), norm._dtype)
    scale = multiply(c, minimum(truediv(one, norm), truediv(one, c)))
    # As TF: an inf/NaN global norm makes every clipped value NaN.
    scale = where(
        is_finite(norm), scale, Tensor(np.asarray(np.nan, norm._value.dtype), norm._dtype)
    )
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
        elif isinstance(t, IndexedSlices):
            s = cast(scale, t.values.dtype)
            clipped.append(IndexedSlices(multiply(t.values, s), t.indices, t.dense_shape))
        else:
            x = to_tensor(t)
            clipped.append(multiply(x, cast(scale, x._dtype)))
    return clipped, reshape(norm, ())
