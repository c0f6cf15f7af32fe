"""``tf.RaggedTensorSpec``: the type of a ragged tensor (shape, dtype, ragged rank)."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.composite_tensor import CompositeSpec
from tensorflux.framework.shape import TensorShape
from tensorflux.ragged.ragged_tensor import RaggedTensor, uniform_static_key

__all__ = ["RaggedTensorSpec"]


class RaggedTensorSpec(CompositeSpec):
    """Describes a RaggedTensor: its (partial) shape, dtype, ragged rank and splits dtype.

    >>> import tensorflux as tf
    >>> tf.RaggedTensorSpec.from_value(tf.ragged.constant([[1, 2], [3]]))
    RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)

    Raises:
        ValueError: a ragged_rank the shape's rank does not allow.
    """

    def __init__(
        self,
        shape=None,
        dtype=dtypes.float32,
        ragged_rank=None,
        row_splits_dtype=dtypes.int64,
        flat_values_spec=None,
    ):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"ragged_rank must be an int, got {ragged_rank!r}")
        if rank is not None and not 0 <= ragged_rank < max(rank, 1):
            raise ValueError(f"ragged_rank must be non-negative and less than {rank}")
        self._ragged_rank = ragged_rank
        self._flat_values_spec = flat_values_spec

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def ragged_rank(self) -> int:
        return self._ragged_rank

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits_dtype

    @property
    def flat_values_spec(self):
        return self._flat_values_spec

    @property
    def value_type(self):
        return RaggedTensor

    def _example_value(self, fill: int) -> RaggedTensor:
        """A ragged tensor of this spec: unknown sizes are ``fill`` (zeros as values)."""
        import numpy as np

        from tensorflux.framework.tensor import Tensor

        dims = [fill if d is None else d for d in self._shape.as_list()]
        nested, rows = [], dims[0]
        for d in dims[1 : self._ragged_rank + 1]:
            lengths = np.full(rows, d, self._row_splits_dtype.as_numpy_dtype)
            nested.append(Tensor(lengths, self._row_splits_dtype))
            rows *= d
        inner = tuple(dims[self._ragged_rank + 1 :])
        np_dtype = object if self._dtype is dtypes.string else self._dtype.as_numpy_dtype
        flat = np.full((rows,) + inner, b"" if np_dtype is object else 0, dtype=np_dtype)
        return RaggedTensor.from_nested_row_lengths(Tensor(flat, self._dtype), nested)

    def _static_key(self):
        return uniform_static_key(self._shape, self._ragged_rank)

    def _example(self) -> RaggedTensor:
        """A value to trace with (its unknown sizes made up)."""
        return self._example_value(1)

    def _relaxed_shapes(self) -> tuple:
        """The shapes a value's components are traced at under this spec: unknown where
        the spec leaves a size open."""
        return tuple(spec.shape.as_list() for spec in self._component_specs())

    def _component_specs(self) -> list:
        """The specs of a matching value's components: flat values, then each row_splits."""
        from tensorflux.framework.tensor_spec import TensorSpec

        dims = self._shape.as_list() if self._shape.rank is not None else None
        if dims is None:
            raise ValueError("A RaggedTensorSpec of unknown rank cannot describe tensors.")
        inner = dims[self._ragged_rank + 1 :]
        outer = [None if dims[0] is None else dims[0] + 1]
        splits = [outer] + [[None]] * (self._ragged_rank - 1)
        return [TensorSpec([None] + inner, self._dtype)] + [
            TensorSpec(s, self._row_splits_dtype) for s in splits
        ]

    def is_compatible_with(self, other) -> bool:
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        return (
            self._dtype is other._dtype
            and self._ragged_rank == other._ragged_rank
            and self._row_splits_dtype is other._row_splits_dtype
            and self._shape.is_compatible_with(other._shape)
        )

    def _key(self):
        dims = None if self._shape.rank is None else tuple(self._shape)
        return (dims, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def _fields(self) -> tuple:
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def __eq__(self, other):
        return isinstance(other, RaggedTensorSpec) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return (
            f"RaggedTensorSpec({self._shape!r}, {self._dtype!r}, {self._ragged_rank}, "
            f"{self._row_splits_dtype!r})"
        )
