"""Axis handling shared by the normalization layers."""

from __future__ import annotations

from numbers import Integral

from tensorflux.ops import array_ops

__all__ = ["normalize_axes", "broadcast_param"]


def normalize_axes(axis, rank) -> list:
    """``axis`` (an int or a list of ints, possibly negative) as sorted non-negative axes.

    Raises:
        TypeError: an axis that is not an int.
        ValueError: an axis outside ``[-rank, rank)``, with Keras' message.
    """
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    for a in axes:
        if not isinstance(a, Integral):
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument "
                f"'axis', but received: {axis}"
            )
    if rank is None or any(not -rank <= a < rank for a in axes):
        raise ValueError(
            "Invalid value for `axis` argument. Expected 0 <= axis < "
            f"inputs.rank (with inputs.rank={rank}). Received: axis={tuple(axes)}"
        )
    return sorted({int(a) % rank for a in axes})


def broadcast_param(param, axes, rank):
    """A weight whose dimensions are the sizes of ``axes``, reshaped to broadcast
    against inputs of ``rank`` (a no-op when ``axes`` is just the last axis)."""
    if param is None or axes == [rank - 1] or param.shape.rank == rank:
        return param
    shape = [1] * rank
    for a, size in zip(axes, param.shape.as_list()):
        shape[a] = size
    return array_ops.reshape(param, shape)
