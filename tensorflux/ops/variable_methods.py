"""``tf.Variable``'s sparse reads and updates (``sparse_read``, ``gather_nd``, the
``scatter_*`` family, ``batch_scatter_update``), ``count_up_to`` and ``set_shape``, and
the TF 1 members that TF 2 refuses in eager mode.

They are written with ops, so they work eagerly and inside ``tf.function`` alike, and
installed on ``Variable`` by ``ops.operators`` (the framework may not import ops).
Each update computes the new value and assigns it, returning the variable, as TF's
update methods return it.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import context
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.ops import array_ops, gather_ops, math_ops, scatter_ops
from tensorflux.ops.creation_ops import range as _range

__all__ = ["install"]

_EAGER_ONLY = "This operation is not supported when eager execution is enabled."


def _slices(variable: Variable, sparse_delta, op) -> tuple:
    """The indices and values of ``sparse_delta``; ``op`` names the kernel whose row
    bounds check the indices (None: they index something else than rows)."""
    if not isinstance(sparse_delta, IndexedSlices):
        raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
    values = convert_to_tensor(sparse_delta.values, dtype=variable.dtype)
    indices = convert_to_tensor(sparse_delta.indices)
    if op is not None and type(indices) is Tensor and variable.shape.rank:
        # Eager indices are checked as TF's Resource* kernels check them (a traced
        # update fails in the scatter kernel instead).
        rows = variable.shape[0]
        for i, index in enumerate(np.asarray(indices._value).reshape(-1).tolist()):
            if not 0 <= index < rows:
                raise InvalidArgumentError(
                    None, op, f"indices[{i}] = {index} is not in [0, {rows})"
                )
    return indices, values


def _rows(variable: Variable):
    return array_ops.shape(variable.value(), out_type="int64")[0]


def scatter_update(self, sparse_delta, use_locking=False, name=None):
    """Overwrites the rows ``sparse_delta.indices`` with ``sparse_delta.values``."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterUpdate")
    rows = array_ops.expand_dims(indices, -1)
    return self.assign(scatter_ops.tensor_scatter_nd_update(self.value(), rows, values))


def scatter_add(self, sparse_delta, use_locking=False, name=None):
    """Adds ``sparse_delta.values`` to the rows ``sparse_delta.indices`` (repeated rows
    add up)."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterAdd")
    rows = array_ops.expand_dims(indices, -1)
    return self.assign(scatter_ops.tensor_scatter_nd_add(self.value(), rows, values))


def scatter_sub(self, sparse_delta, use_locking=False, name=None):
    """Subtracts ``sparse_delta.values`` from the rows ``sparse_delta.indices``."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterSub")
    rows = array_ops.expand_dims(indices, -1)
    return self.assign(scatter_ops.tensor_scatter_nd_sub(self.value(), rows, values))


def scatter_max(self, sparse_delta, use_locking=False, name=None):
    """Sets each named row to the element-wise maximum of itself and its updates."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterMax")
    from tensorflux.ops import segment_reduce_ops  # seldom used: loads on first use

    largest = segment_reduce_ops.unsorted_segment_max(values, indices, _rows(self))
    return self.assign(math_ops.maximum(self.value(), largest))


def scatter_min(self, sparse_delta, use_locking=False, name=None):
    """Sets each named row to the element-wise minimum of itself and its updates."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterMin")
    from tensorflux.ops import segment_reduce_ops  # seldom used: loads on first use

    smallest = segment_reduce_ops.unsorted_segment_min(values, indices, _rows(self))
    return self.assign(math_ops.minimum(self.value(), smallest))


def scatter_mul(self, sparse_delta, use_locking=False, name=None):
    """Multiplies each named row by its updates (all of them, for a repeated row)."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterMul")
    from tensorflux.ops import segment_reduce_ops  # seldom used: loads on first use

    factors = segment_reduce_ops.unsorted_segment_prod(values, indices, _rows(self))
    return self.assign(self.value() * factors)


def scatter_div(self, sparse_delta, use_locking=False, name=None):
    """Divides each named row by its updates (all of them, for a repeated row)."""
    indices, values = _slices(self, sparse_delta, "ResourceScatterDiv")
    from tensorflux.ops import segment_reduce_ops  # seldom used: loads on first use

    divisors = segment_reduce_ops.unsorted_segment_prod(values, indices, _rows(self))
    return self.assign(self.value() / divisors)


def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
    """Per leading (batch) position, overwrites the entries of its row named by
    ``sparse_delta.indices`` (shape ``[batch..., n]``) with ``sparse_delta.values``."""
    indices, values = _slices(self, sparse_delta, None)
    rank = indices.shape.rank
    if rank is None or rank < 1:
        raise ValueError(
            f"batch_scatter_update needs indices of known rank >= 1, got {indices.shape}"
        )
    shape = array_ops.shape(indices, out_type=indices.dtype)
    coordinates = [
        array_ops.broadcast_to(
            array_ops.reshape(
                _range(shape[axis], dtype=indices.dtype),
                [-1 if a == axis else 1 for a in range(rank)],
            ),
            shape,
        )
        for axis in range(rank - 1)
    ]
    full = array_ops.stack([*coordinates, indices], axis=-1)
    return self.assign(scatter_ops.tensor_scatter_nd_update(self.value(), full, values))


def scatter_nd_update(self, indices, updates, name=None):
    """``tf.tensor_scatter_nd_update`` of the variable, assigned back."""
    updates = convert_to_tensor(updates, dtype=self.dtype)
    return self.assign(scatter_ops.tensor_scatter_nd_update(self.value(), indices, updates))


def scatter_nd_add(self, indices, updates, name=None):
    """``tf.tensor_scatter_nd_add`` of the variable, assigned back."""
    updates = convert_to_tensor(updates, dtype=self.dtype)
    return self.assign(scatter_ops.tensor_scatter_nd_add(self.value(), indices, updates))


def scatter_nd_sub(self, indices, updates, name=None):
    """``tf.tensor_scatter_nd_sub`` of the variable, assigned back."""
    updates = convert_to_tensor(updates, dtype=self.dtype)
    return self.assign(scatter_ops.tensor_scatter_nd_sub(self.value(), indices, updates))


def sparse_read(self, indices, name=None):
    """The rows ``indices`` of the variable (``tf.gather`` on axis 0)."""
    return gather_ops.gather(self.value(), indices)


def gather_nd(self, indices, name=None):
    """``tf.gather_nd`` of the variable's value."""
    return scatter_ops.gather_nd(self.value(), indices)


def count_up_to(self, limit):
    """Adds 1 to an integer variable and returns its value before the increment.

    Raises:
        OutOfRangeError: the variable already holds ``limit`` or more.
    """
    if context.state.graph is not None:
        raise NotImplementedError(
            "count_up_to is deprecated in TF 2 and not supported inside tf.function here; "
            "use tf.data.Dataset.range or assign_add."
        )
    before = self.value()
    if int(before.numpy()) >= limit:
        raise OutOfRangeError(
            None, "ResourceCountUpTo", f"Reached limit of {limit} [Op:ResourceCountUpTo]"
        )
    self.assign_add(1)
    return before


def set_shape(self, shape):
    """Narrows the variable's static shape to ``shape``.

    Raises:
        ValueError: ``shape`` is incompatible with the current one.
    """
    self._shape = self._shape.merge_with(TensorShape(shape))


def load(self, value, session=None):
    """Assigns ``value`` (TF 1's form of ``assign``)."""
    self.assign(value)


def _eager_refused(self, *args, **kwargs):
    raise RuntimeError(_EAGER_ONLY)


def initialized_value(self):
    """Refused, as in TF 2: variables are initialised when created."""
    raise NotImplementedError(
        "initialized_value is not supported in TF 2: variables are initialized when "
        "created; use Variable.read_value."
    )


def _graph_member(name: str):
    def member(self):
        raise AttributeError(f"Tensor.{name} is undefined when eager execution is enabled.")

    return property(member)


def install() -> None:
    """Adds the methods above to ``Variable``."""
    for function in (
        scatter_update,
        scatter_add,
        scatter_sub,
        scatter_max,
        scatter_min,
        scatter_mul,
        scatter_div,
        batch_scatter_update,
        scatter_nd_update,
        scatter_nd_add,
        scatter_nd_sub,
        sparse_read,
        gather_nd,
        count_up_to,
        set_shape,
        load,
        initialized_value,
    ):
        setattr(Variable, function.__name__, function)
    Variable.eval = _eager_refused
    Variable.to_proto = _eager_refused
    Variable.initializer = property(lambda self: None)
    Variable.op = _graph_member("op")
    Variable.graph = _graph_member("graph")
