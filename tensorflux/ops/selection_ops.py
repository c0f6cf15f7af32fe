"""Composed selections: ``tf.boolean_mask``, ``tf.repeat``; and ``tf.unique`` (Unique)
(``slicing_ops`` re-exports them).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.common import (
    dim_list,
    static_dims,
    to_tensor,
)
from tensorflux.ops.creation_ops import (
    int_scalar_arg,
)
from tensorflux.ops.gather_ops import dense_grad_gather, gather, where
from tensorflux.ops.joining_ops import tile
from tensorflux.ops.shape_ops import _dims_agree, expand_dims, reshape

__all__ = ["boolean_mask", "repeat", "unique"]

# -- composed selections: boolean_mask, repeat; Unique ----------------------


def boolean_mask(tensor, mask, axis=None, name="boolean_mask") -> Tensor:
    """The entries of ``tensor`` where ``mask`` (covering dims ``axis..axis+mask.rank``) is
    true; those dims are flattened into one. A gather, so gradients flow.

    >>> import tensorflux as tf
    >>> tf.boolean_mask([[1, 2], [3, 4]], [True, False]).numpy()
    array([[1, 2]], dtype=int32)

    Raises:
        ValueError: a scalar mask, or one whose shape does not match those dims.
    """
    x, m = to_tensor(tensor), to_tensor(mask)
    k = m._value.ndim
    if k == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else int_scalar_arg(axis, "boolean_mask", "axis")
    if not -max(x._value.ndim, 1) <= axis <= x._value.ndim - k:
        raise ValueError(
            f"boolean_mask: axis {axis} leaves no room for a mask of rank {k} in "
            f"a tensor of shape {x.shape}. Use an axis in [0, "
            f"{x._value.ndim - k}]."
        )
    axis %= max(x._value.ndim, 1)
    dims = static_dims(x)
    if not _dims_agree(dims[axis : axis + k], static_dims(m)):
        raise ValueError(
            f"Shapes {tuple(dims[axis : axis + k])} and {tuple(m.shape.as_list())} "
            f"are incompatible: boolean_mask of a tensor of shape {tuple(dims)} "
            f"needs a mask shaped like its dims {axis}..{axis + k - 1}."
        )
    if None in dims[:axis] or None in dims[axis + k :]:
        dims = dim_list(x)
    flat = reshape(x, [*dims[:axis], -1, *dims[axis + k :]])
    picks = reshape(where(reshape(m, [-1])), [-1])
    return gather(flat, picks, axis=axis)


def repeat(input, repeats, axis=None, name=None) -> Tensor:  # noqa: A002
    """Repeats each element along ``axis`` (``None``: of the flattened input) ``repeats``
    times; ``repeats`` is a scalar or has one entry per element.

    >>> import tensorflux as tf
    >>> tf.repeat([[1, 2], [3, 4]], [1, 3], axis=0).shape
    TensorShape([4, 2])

    Raises:
        ValueError: a ``repeats`` vector whose length is not the size of ``axis``.
    """
    x = to_tensor(input)
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    axis = int_scalar_arg(axis, "Repeat", "axis")
    rank = max(x._value.ndim, 1)
    if not -rank <= axis < rank:
        raise ValueError(
            f"axis={axis} out of bounds: expected {-rank}<=axis<{rank} (tf.repeat "
            f"on a tensor of shape {x.shape})."
        )
    axis %= rank
    n = static_dims(x)[axis]
    reps = np.asarray(convert_to_tensor(repeats).numpy())
    if reps.dtype.kind not in "iu":
        raise TypeError(
            f"Argument `tensor` (name: repeats) must be of type integer. Received "
            f"`tensor` = {repeats!r} of dtype {reps.dtype}. tf.repeat counts "
            f"must be integers."
        )
    if reps.ndim == 1 and reps.size != 1 and n is not None and reps.size != n:
        raise ValueError(
            f"Dimensions {n} and {reps.size} are not compatible: tf.repeat needs "
            f"a scalar or one repeat count per element of axis {axis} (input "
            f"shape {x.shape})."
        )
    if reps.size == 1:
        # Scalar repeats: tile a new axis, so that the gradient stays dense as in TF.
        multiples = [1] * (x._value.ndim + 1)
        multiples[axis + 1] = int(reps.reshape(()))
        out_shape = dim_list(x)
        out_shape[axis] = out_shape[axis] * multiples[axis + 1]
        return reshape(tile(expand_dims(x, axis + 1), multiples), out_shape)
    # One count per element: the vector's length is the dimension's size.
    return dense_grad_gather(x, np.repeat(np.arange(reps.size, dtype=np.int32), reps), axis)


Unique = namedtuple("Unique", ["y", "idx"])


def unique_first_occurrence(x: np.ndarray):
    """The distinct values of a 1-D array in order of first appearance, each entry's
    position among them, and their counts. As TF, every NaN is distinct (NaN != NaN)."""
    values, first, inverse, counts = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    order = np.argsort(first)  # TF keeps the order of first occurrence, not sorted order
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    return values[order], position[inverse.reshape(-1)], counts[order]


def check_out_idx(out_idx, op_name: str) -> dtypes.DType:
    """``out_idx`` as a DType, refused (as TF) unless int32 or int64."""
    out_idx = dtypes.as_dtype(out_idx)
    if out_idx not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'out_idx' of {dtypes.tf_type_name(out_idx)} is not in the list of "
            f"allowed values: int32, int64 [Op:{op_name}]",
        )
    return out_idx


def _unique_kernel(x, out_idx):
    values, idx, _ = unique_first_occurrence(x)
    return values, idx.astype(out_idx.as_numpy_dtype)


_UNIQUE = register(
    "Unique",
    kernel=_unique_kernel,
    grad=None,
    num_outputs=2,
    dynamic_shape=True,
    infer=lambda x, out_idx: (Spec(x.dtype, TensorShape([None])), Spec(out_idx, x.shape)),
)


def unique(x, out_idx=dtypes.int32, name=None) -> Unique:
    """The distinct values of a 1-D ``x`` in order of appearance, and each entry's position
    among them: ``Unique(y, idx)`` with ``x == tf.gather(y, idx)``.

    Raises:
        InvalidArgumentError: ``x`` that is not 1-D.
    """
    x = to_tensor(x)
    if x._value.ndim != 1:
        raise InvalidArgumentError(
            None,
            "Unique",
            f"unique expects a 1D vector. [Op:Unique] "
            f"Got shape {x.shape}; flatten it with tf.reshape(x, [-1]).",
        )
    out_idx = check_out_idx(out_idx, "Unique")
    return Unique(*execute(_UNIQUE, (x,), {"out_idx": out_idx}))
