"""``tf.ragged_fill_empty_rows`` and ``tf.ragged_fill_empty_rows_grad``: TF's
RaggedFillEmptyRows ops, which give each empty row of a ragged tensor (given by its
sorted ``value_rowids``) one ``default_value``, and route gradients back."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = ["ragged_fill_empty_rows", "ragged_fill_empty_rows_grad"]

RaggedFillEmptyRows = namedtuple(
    "RaggedFillEmptyRows",
    ["output_value_rowids", "output_values", "empty_row_indicator", "reverse_index_map"],
)
RaggedFillEmptyRowsGrad = namedtuple("RaggedFillEmptyRowsGrad", ["d_values", "d_default_value"])


def _error(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{message} [Op:{op}]")


def _fill_kernel(value_rowids, values, nrows, default_value):
    op = "RaggedFillEmptyRows"
    n = int(nrows)
    if value_rowids.ndim != 1:
        raise _error(op, f"value_rowids must be a vector, saw: {list(value_rowids.shape)}")
    if values.ndim != 1 or values.shape[0] != value_rowids.shape[0]:
        raise _error(
            op,
            f"The length of `values` ({values.shape[0] if values.ndim else 0}) must match the "
            f"first dimension of `value_rowids` ({value_rowids.shape[0]}).",
        )
    if np.ndim(default_value) != 0:
        raise _error(op, f"default_value must be a scalar, saw: {list(np.shape(default_value))}")
    if value_rowids.size and (value_rowids.min() < 0 or value_rowids.max() >= n):
        bad = int(np.flatnonzero((value_rowids < 0) | (value_rowids >= n))[0])
        raise _error(
            op, f"value_rowids[{bad}] = {int(value_rowids[bad])} is out of bounds: [0, {n})"
        )
    counts = np.bincount(value_rowids, minlength=n)[:n] if n else np.zeros(0, np.int64)
    empty = counts == 0
    # Each row keeps its values, an empty row gets one default: output row r starts at
    # the number of entries of the rows before it.
    sizes = np.where(empty, 1, counts)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    out_rowids = np.repeat(np.arange(n, dtype=np.int64), sizes)
    out_values = np.empty(int(sizes.sum()), values.dtype)
    out_values[starts[empty]] = default_value
    within = np.arange(value_rowids.size) - np.concatenate([[0], np.cumsum(counts)[:-1]])[
        value_rowids
    ] if value_rowids.size else np.zeros(0, np.int64)  # fmt: skip
    reverse = (starts[value_rowids] + within).astype(np.int64)
    out_values[reverse] = values
    return out_rowids, out_values, empty, reverse


def _fill_infer(value_rowids: Spec, values: Spec, nrows: Spec, default_value: Spec) -> tuple:
    n = nrows.value if isinstance(nrows.value, int) else None
    return (
        Spec(dtypes.int64, TensorShape([None])),
        Spec(values.dtype, TensorShape([None])),
        Spec(dtypes.bool, TensorShape([n])),
        Spec(dtypes.int64, value_rowids.shape),
    )


# TF registers no gradient for RaggedFillEmptyRows (its Grad op is there to build one).
_FILL = register(
    "RaggedFillEmptyRows",
    kernel=_fill_kernel,
    grad=None,
    infer=_fill_infer,
    num_outputs=4,
    dynamic_shape=True,
)


def ragged_fill_empty_rows(value_rowids, values, nrows, default_value, name=None):
    """Fills each empty row of a ragged tensor (rows given by sorted ``value_rowids``)
    with one ``default_value``.

    Args:
        value_rowids: int64 ``[N]``, sorted, in ``[0, nrows)``.
        values: ``[N]``.
        nrows: int64 scalar.
        default_value: scalar of ``values``' dtype.

    Returns:
        ``RaggedFillEmptyRows(output_value_rowids, output_values, empty_row_indicator,
        reverse_index_map)``; ``reverse_index_map[i]`` is where ``values[i]`` went.

    Raises:
        InvalidArgumentError: row ids out of range or mismatched lengths.

    >>> import tensorflux as tf
    >>> out = tf.ragged_fill_empty_rows(tf.constant([1, 1], tf.int64), tf.constant([5, 6]),
    ...                                 tf.constant(3, tf.int64), tf.constant(0))
    >>> out.output_values.numpy()
    array([0, 5, 6, 0], dtype=int32)
    """
    v = to_tensor(values)
    d = to_tensor(default_value)
    return RaggedFillEmptyRows(*execute(_FILL, (to_tensor(value_rowids), v, to_tensor(nrows), d)))


def _fill_grad_kernel(reverse_index_map, grad_values):
    op = "RaggedFillEmptyRowsGrad"
    if reverse_index_map.ndim != 1:
        raise _error(
            op, f"reverse_index_map must be a vector, saw: {list(reverse_index_map.shape)}"
        )
    if grad_values.ndim != 1:
        raise _error(op, f"grad_values must be a vector, saw: {list(grad_values.shape)}")
    if reverse_index_map.size and (
        reverse_index_map.min() < 0 or reverse_index_map.max() >= grad_values.shape[0]
    ):
        raise _error(op, f"Elements in reverse index must be in [0, {grad_values.shape[0]})")
    d_values = grad_values[reverse_index_map]
    unused = np.ones(grad_values.shape[0], bool)
    unused[reverse_index_map] = False
    return d_values, np.asarray(grad_values[unused].sum(), grad_values.dtype)


def _fill_grad_infer(reverse_index_map: Spec, grad_values: Spec) -> tuple:
    return (
        Spec(grad_values.dtype, reverse_index_map.shape),
        Spec(grad_values.dtype, TensorShape([])),
    )


# A gradient op: TF registers no gradient of it.
_FILL_GRAD = register(
    "RaggedFillEmptyRowsGrad",
    kernel=_fill_grad_kernel,
    grad=None,
    infer=_fill_grad_infer,
    num_outputs=2,
)


def ragged_fill_empty_rows_grad(reverse_index_map, grad_values, name=None):
    """The gradients of ``ragged_fill_empty_rows``' ``values`` and ``default_value`` given
    those of its ``output_values``: ``grad_values`` at ``reverse_index_map``, and the sum
    of the others.

    Returns:
        ``RaggedFillEmptyRowsGrad(d_values, d_default_value)``.

    >>> import tensorflux as tf
    >>> g = tf.ragged_fill_empty_rows_grad(tf.constant([1, 2], tf.int64),
    ...                                    tf.constant([1.0, 2.0, 3.0, 4.0]))
    >>> g.d_values.numpy(), float(g.d_default_value)
    (array([2., 3.], dtype=float32), 5.0)
    """
    return RaggedFillEmptyRowsGrad(
        *execute(_FILL_GRAD, (to_tensor(reverse_index_map), to_tensor(grad_values)))
    )
