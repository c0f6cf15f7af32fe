"""``tf.sparse.SparseTensor`` and ``tf.SparseTensorSpec``.

A SparseTensor is three tensors: ``indices`` (int64, ``[N, rank]``), ``values``
(``[N]``) and ``dense_shape`` (int64, ``[rank]``). Its static ``shape`` is what is
known of ``dense_shape``'s value: everything in eager mode, and inside a traced
function what the trace was specialised on.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.shape import Dimension, TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor

__all__ = ["SparseTensor", "SparseTensorSpec", "as_sparse"]


def _static_shape(dense_shape: Tensor, rank) -> TensorShape:
    """What is known of the value of ``dense_shape`` before it is computed."""
    if type(dense_shape) is Tensor:
        return TensorShape([int(d) for d in dense_shape._value])
    known = dense_shape._graph.shape_values.get(dense_shape._slot)
    if isinstance(known, list):
        return TensorShape([None if d is None or d < 0 else int(d) for d in known])
    return TensorShape(None if rank is None else [None] * rank)


class SparseTensor(CompositeTensor):
    """A tensor stored as the coordinates and values of its non-default entries.

    Args:
        indices: int64 ``[N, rank]``, the coordinates of the ``N`` stored entries.
        values: ``[N]``, their values (any dtype).
        dense_shape: int64 ``[rank]``, the shape of the dense tensor represented.

    Raises:
        ValueError: components whose ranks or sizes do not fit together.
        TypeError: indices or dense_shape that cannot be int64.

    >>> import tensorflux as tf
    >>> st = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[5.0, 7.0],
    ...                             dense_shape=[3, 2])
    >>> st.shape
    TensorShape([3, 2])
    >>> tf.sparse.to_dense(st).numpy().tolist()
    [[0.0, 5.0], [0.0, 0.0], [7.0, 0.0]]
    """

    __slots__ = ("_indices", "_values", "_dense_shape", "_shape")

    def __init__(self, indices, values, dense_shape):
        self._indices = _int64(indices)
        self._values = convert_to_tensor(values)
        self._dense_shape = _int64(dense_shape)
        indices_shape = self._indices.shape.with_rank(2)
        values_shape = self._values.shape.with_rank(1)
        shape_shape = self._dense_shape.shape.with_rank(1)
        _merge(indices_shape[0], values_shape[0])
        _merge(indices_shape[1], shape_shape[0])
        self._shape = _static_shape(self._dense_shape, shape_shape[0])

    @classmethod
    def _make(cls, indices, values, dense_shape, shape: TensorShape) -> SparseTensor:
        """A SparseTensor from components already checked, with a known static shape."""
        st = cls.__new__(cls)
        st._indices, st._values, st._dense_shape = indices, values, dense_shape
        st._shape = shape
        return st

    @classmethod
    def from_value(cls, sparse_tensor_value) -> SparseTensor:
        """``sparse_tensor_value`` itself when it is a SparseTensor, else one built from
        its ``indices``, ``values`` and ``dense_shape``."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(
            sparse_tensor_value.indices,
            sparse_tensor_value.values,
            sparse_tensor_value.dense_shape,
        )

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Narrows the static shape to ``shape`` (ValueError if incompatible)."""
        self._shape = self._shape.merge_with(TensorShape(shape))

    def with_values(self, new_values) -> SparseTensor:
        """The same indices and dense shape with ``new_values`` (``[N]``, any dtype)."""
        new_values = convert_to_tensor(new_values)
        new_values.shape.with_rank(1)
        _merge(self._values.shape[0], new_values.shape[0])
        return SparseTensor._make(self._indices, new_values, self._dense_shape, self._shape)

    # -- arithmetic TF defines on SparseTensor: elementwise with a dense operand ------

    def __mul__(self, other):
        return _cwise("SparseDenseCwiseMul", self, other)

    def __truediv__(self, other):
        return _cwise("SparseDenseCwiseDiv", self, other)

    __div__ = __truediv__

    # -- CompositeTensor ------------------------------------------------------------

    def _components(self) -> tuple:
        return (self._indices, self._values, self._dense_shape)

    def _static_key(self):
        return tuple(self._shape.as_list()) if self._shape.rank is not None else None

    def _relaxed_shapes(self) -> tuple:
        rank = self._indices.shape[1]
        return (TensorShape([None, rank]), TensorShape([None]), self._dense_shape.shape)

    @classmethod
    def _from_components(cls, components, static_key):
        shape = TensorShape(None if static_key is None else list(static_key))
        return cls._make(*components, shape)

    @property
    def _type_spec(self) -> SparseTensorSpec:
        return SparseTensorSpec(self._shape, self.dtype)

    def __repr__(self):
        return (
            f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
            f"dense_shape={self._dense_shape!s})"
        )


def _cwise(op_name: str, sp: SparseTensor, other):
    # Imported here: the op module imports this one.
    from tensorflux.ops.sparse.sparse_binary_ops import sparse_dense_cwise

    return sparse_dense_cwise(op_name, sp, other)


def _merge(a, b) -> None:
    a, b = _dim(a), _dim(b)
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


def _dim(d):
    return d.value if isinstance(d, Dimension) else d


def _int64(x) -> Tensor:
    if isinstance(x, Tensor) and x._dtype is dtypes.int64:
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "iu":
        return convert_to_tensor(x.astype(np.int64))
    return convert_to_tensor(x, dtype=dtypes.int64)


def as_sparse(x, op_name: str = "sparse op") -> SparseTensor:
    """``x`` as a SparseTensor (anything with indices/values/dense_shape), else TypeError."""
    if isinstance(x, SparseTensor):
        return x
    if all(hasattr(x, a) for a in ("indices", "values", "dense_shape")):
        return SparseTensor.from_value(x)
    raise TypeError(f"{op_name}: Input must be a SparseTensor, got {type(x).__name__}: {x!r}.")


class SparseTensorSpec(CompositeSpec):
    """The shape and dtype a SparseTensor must have (``tf.SparseTensorSpec``).

    >>> import tensorflux as tf
    >>> tf.SparseTensorSpec([None, 4], tf.float32)
    SparseTensorSpec(TensorShape([None, 4]), tf.float32)
    """

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    @classmethod
    def from_value(cls, value) -> SparseTensorSpec:
        return cls(value.shape, value.dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def value_type(self):
        return SparseTensor

    def _static_key(self):
        return tuple(self._shape.as_list()) if self._shape.rank is not None else None

    def _example(self) -> SparseTensor:
        if self._shape.rank is None:
            raise ValueError(
                f"A SparseTensorSpec of unknown rank cannot be traced ({self!r}): give the "
                "input_signature's SparseTensorSpec a shape."
            )
        dims = [1 if d is None else d for d in self._shape.as_list()]
        values = np.zeros(0, self._dtype.as_numpy_dtype)
        example = SparseTensor(np.zeros((0, len(dims)), np.int64), values, dims)
        return SparseTensor._from_components(example._components(), self._static_key())

    def is_compatible_with(self, other) -> bool:
        """True for a spec or SparseTensor of the same dtype and a compatible shape."""
        return (
            isinstance(other, (SparseTensorSpec, SparseTensor))
            and self._dtype == other.dtype
            and self._shape.is_compatible_with(other.shape)
        )

    def _fields(self) -> tuple:
        return (self._shape, self._dtype)

    def __eq__(self, other):
        return (
            isinstance(other, SparseTensorSpec)
            and self._shape == other._shape
            and self._dtype == other._dtype
        )

    def __hash__(self):
        return hash((SparseTensorSpec, self._shape, self._dtype))

    def __repr__(self):
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"
