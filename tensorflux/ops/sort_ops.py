"""Sorting along an axis: ``tf.sort`` and ``tf.argsort`` (top level).

Both compose TopKV2 with ``k`` = the axis length, as TF does. TopKV2 is a stable
descending sort, so ties keep their original order in both directions
(``argsort([1, 2, 1], direction="DESCENDING")`` is ``[1, 0, 2]``), and ``sort``
needs no gradient code: TopKV2's gradient scatters ``dy`` back through the
permutation. Ascending order sorts an order-reversing key instead: ``-x`` for
floats, ``~x`` for integers (which, unlike ``-x``, cannot overflow).
"""

from __future__ import annotations

from tensorflux.engine.registry import INTEGER, execute
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.logic_ops import invert
from tensorflux.ops.math_ops import negative
from tensorflux.ops.nn_ops import _TOP_K
from tensorflux.ops.shape_ops import transpose

__all__ = ["sort", "argsort"]

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _top_k_along(values, axis, direction, op_name: str):
    """Runs TopKV2 over ``axis`` of ``values`` (moved last) on the direction's key.

    Returns:
        ``(key_values, indices, perm)``: the sorted key and its int32 source indices
        (both with ``axis`` still last), and the axis swap to undo (None when ``axis``
        already was last).
    """
    if direction not in _DIRECTIONS:
        raise ValueError(
            f"Argument `direction` should be one of ASCENDING, DESCENDING. "
            f"Received: direction={direction}"
        )
    x = to_tensor(values)
    rank = x._value.ndim
    axis = int(axis.numpy()) if isinstance(axis, Tensor) else int(axis)
    if rank == 0:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: cannot sort a scalar; its rank "
            f"must be at least 1. Reshape it, e.g. tf.reshape(x, [1]).",
        )
    if not -rank <= axis < rank:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: axis {axis} is out of range for a tensor of shape "
            f"{x.shape}; pass an axis in [{-rank}, {rank}).",
        )
    axis %= rank
    perm = None
    key = x
    if axis != rank - 1:
        perm = list(range(rank))
        perm[axis], perm[-1] = rank - 1, axis
        key = transpose(x, perm)
    if direction == "ASCENDING":
        key = invert(key) if key._dtype in INTEGER else negative(key)
    # k None keeps the whole axis, whose length a trace may know only when the graph runs.
    key_values, indices = execute(_TOP_K, (key,), {"k": None})
    return key_values, indices, perm


def sort(values, axis=-1, direction="ASCENDING", name=None) -> Tensor:
    """Sorts ``values`` along ``axis`` (``tf.sort``); differentiable for floating inputs.

    NaNs go last in ascending order. Ties keep their original order.

    >>> import tensorflux as tf
    >>> tf.sort([3, 1, 2]).numpy()
    array([1, 2, 3], dtype=int32)
    >>> tf.sort([[3.0, 1.0], [2.0, 5.0]], axis=0, direction="DESCENDING").numpy()
    array([[3., 5.],
           [2., 1.]], dtype=float32)

    Args:
        values: a real (floating or integer) tensor of rank >= 1.
        axis: the axis to sort along.
        direction: ``"ASCENDING"`` or ``"DESCENDING"``.

    Returns:
        A tensor of the dtype and shape of ``values``.

    Raises:
        ValueError: an unknown ``direction``.
        InvalidArgumentError: a scalar, an axis out of range, or a bool, string or
            complex input.
    """
    out, _, perm = _top_k_along(values, axis, direction, "Sort")
    if direction == "ASCENDING":
        out = invert(out) if out._dtype in INTEGER else negative(out)
    return out if perm is None else transpose(out, perm)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None) -> Tensor:
    """The int32 indices that sort ``values`` along ``axis`` (``tf.argsort``).

    The sort is always stable (equal values keep their order), so ``stable`` changes
    nothing, as in TF's CPU implementation. Not differentiable: the output is integer.

    >>> import tensorflux as tf
    >>> tf.argsort([3.0, 1.0, 2.0]).numpy()
    array([1, 2, 0], dtype=int32)

    Args:
        values: a real (floating or integer) tensor of rank >= 1.
        axis: the axis to sort along.
        direction: ``"ASCENDING"`` or ``"DESCENDING"``.
        stable: accepted for TF compatibility; the sort is stable either way.

    Raises:
        ValueError: an unknown ``direction``.
        InvalidArgumentError: a scalar, an axis out of range, or a bool, string or
            complex input.
    """
    _, indices, perm = _top_k_along(values, axis, direction, "Argsort")
    return indices if perm is None else transpose(indices, perm)
