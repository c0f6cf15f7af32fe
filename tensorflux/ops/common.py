"""Pieces every op family shares: inference rules and undoing broadcasting.

Inference rules here work on partial shapes (``None`` dimensions, unknown rank)
because graphs and Keras symbolic tensors are inferred before any value exists.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.registry import Spec, execute
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = [
    "Spec",
    "broadcast_shape",
    "same_as_input",
    "elementwise_binary_infer",
    "comparison_infer",
    "reduced_shape",
    "unbroadcast",
    "to_tensor",
    "normalize_axis",
    "static_shape",
]


def to_tensor(x, dtype=None) -> Tensor:
    """Converts ``x`` for an op, densifying IndexedSlices and reading variables."""
    return convert_to_tensor(x, dtype=dtype)


def static_shape(x) -> tuple:
    """The concrete shape of an eager tensor as a tuple of ints."""
    return x._value.shape


def broadcast_shape(a: TensorShape, b: TensorShape, op_name: str = "op") -> TensorShape:
    """NumPy/TF broadcasting of two partial shapes.

    Raises:
        InvalidArgumentError: known dimensions that cannot broadcast.
    """
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise InvalidArgumentError(
                None, op_name,
                f"{op_name}: incompatible shapes {tuple(a.as_list())} and "
                f"{tuple(b.as_list())}: dimension {x} cannot broadcast with {y}.")
    return TensorShape(out)


def same_as_input(x: Spec, **attrs) -> Spec:
    """Inference for ops whose output is shaped and typed like input 0."""
    return Spec(x.dtype, x.shape)


def elementwise_binary_infer(x: Spec, y: Spec, **attrs) -> Spec:
    """Inference for broadcasting binary ops whose output has the inputs' dtype."""
    return Spec(x.dtype, broadcast_shape(x.shape, y.shape))


def comparison_infer(x: Spec, y: Spec, **attrs) -> Spec:
    """Inference for broadcasting comparisons: bool output."""
    return Spec(dtypes.bool, broadcast_shape(x.shape, y.shape))


def normalize_axis(axis, rank: int, op_name: str) -> tuple:
    """A reduction's axis argument (None, int, list, tensor) -> sorted tuple of axes in [0, rank).

    Checked as TF's reductions check it, so the composite ops that reduce (moments,
    l2_normalize, clip_by_norm) fail like the reduction they run.

    Raises:
        InvalidArgumentError: an axis outside ``[-rank, rank)`` (any axis of a scalar) or an
            axis named twice (``[1, -1]`` on a matrix).
    """
    if axis is None:
        return tuple(range(rank))
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (int, np.integer)):
        axis = [axis]
    out = []
    for a in axis:
        a = int(a)
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None, op_name,
                f"Invalid reduction dimension ({a} for input with {rank} dimension(s) "
                f"[Op:{op_name}]. Use an axis in [{-rank}, {rank}).")
        if a % rank in out:
            raise InvalidArgumentError(
                None, op_name,
                f"Invalid reduction arguments: Axes contains duplicate dimension: {a % rank} "
                f"[Op:{op_name}]. Name each axis once.")
        out.append(a % rank)
    return tuple(sorted(out))


def reduced_shape(shape: TensorShape, axis, keepdims: bool) -> TensorShape:
    """The partial shape left after reducing ``axis`` (a tuple, or None for all)."""
    if shape.rank is None:
        return TensorShape(None)
    dims = shape.as_list()
    axes = range(len(dims)) if axis is None else [a % max(len(dims), 1) for a in axis]
    if keepdims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def unbroadcast(grad: Tensor, shape: tuple) -> Tensor:
    """Sums ``grad`` over the axes along which an input of ``shape`` was broadcast."""
    gshape = grad._value.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, d in enumerate(shape) if d == 1 and gshape[i + lead] != 1)
    if axes:
        grad = execute(registry.get("Sum"), (grad,), {"axis": axes, "keepdims": False})
    if grad._value.shape != shape:
        grad = execute(registry.get("Reshape"), (grad,), {"shape": shape})
    return grad
