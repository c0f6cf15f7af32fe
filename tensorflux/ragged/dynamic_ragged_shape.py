"""``tf.experimental.DynamicRaggedShape``: the shape of a ragged (or dense) tensor.

``tf.shape(ragged)`` returns one. A shape is its row partitions (one per ragged
dimension, outermost first: ``RowPartition``) over an ``inner_shape``, the dense shape of
the flat values; a dense shape has no partitions and ``inner_shape`` is the whole shape.
``tf.zeros``, ``tf.ones``, ``tf.fill``, ``tf.reshape`` and ``tf.broadcast_to`` accept one
and build a RaggedTensor of that shape (``ragged_shape_ops``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.logic_ops import equal, logical_not
from tensorflux.ops.math_ops import cast
from tensorflux.ops.reduction_ops import reduce_all, reduce_prod
from tensorflux.ops.shape_ops import shape as _dense_shape
from tensorflux.ragged.ragged_tensor import RaggedTensor
from tensorflux.ragged.row_partition import RowPartition, check_index_dtype

__all__ = ["DynamicRaggedShape"]


def _known(t):
    return t._value if type(t) is Tensor else None


class DynamicRaggedShape:
    """The shape of a RaggedTensor: row partitions over the shape of its flat values.

    Args:
        row_partitions: the ``RowPartition`` of each ragged dimension, outermost first
            (empty for a dense shape).
        inner_shape: the shape of the flat values (1-D), or the whole shape when there
            are no partitions.
        dtype: int32 or int64; by default that of the partitions (or of ``inner_shape``,
            else int64).
        validate: unused for shapes whose sizes are known; kept for TF's signature.
        static_inner_shape: a TensorShape merged into the inner shape's known sizes.

    Raises:
        TypeError: ``row_partitions`` not a list of RowPartition.
        ValueError: partitions that do not align with each other or with
            ``inner_shape``, or an ``inner_shape`` that is not a vector.

    >>> import tensorflux as tf
    >>> shape = tf.shape(tf.ragged.constant([[1, 2], [3]]))
    >>> shape
    <DynamicRaggedShape lengths=[2, (2, 1)] num_row_partitions=1>
    >>> tf.zeros(shape)
    <tf.RaggedTensor [[0.0, 0.0], [0.0]]>
    """

    def __init__(
        self, row_partitions, inner_shape, dtype=None, validate=False, static_inner_shape=None
    ):
        if not isinstance(row_partitions, Iterable):
            raise TypeError(
                f"row_partitions should be a list of row partitions. Instead, got {row_partitions}"
            )
        row_partitions = tuple(row_partitions)
        for rp in row_partitions:
            if not isinstance(rp, RowPartition):
                raise TypeError(f"row_partitions contains {rp} which is not a RowPartition")
        if dtype is not None:
            dtype = check_index_dtype(dtype)
        elif row_partitions:
            dtype = row_partitions[0].dtype
        elif isinstance(inner_shape, (Tensor, np.ndarray)) and inner_shape.dtype in (
            dtypes.int32,
            np.int32,
        ):
            dtype = dtypes.int32
        else:
            dtype = dtypes.int64
        self._row_partitions = tuple(rp.with_dtype(dtype) for rp in row_partitions)
        self._inner_shape = _inner_shape_tensor(inner_shape, dtype)
        for axis in range(1, len(self._row_partitions)):
            nvals = self._row_partitions[axis - 1].static_nvals
            nrows = self._row_partitions[axis].static_nrows
            if nvals is not None and nrows is not None and nvals != nrows:
                raise ValueError(
                    "RowPartitions in DynamicRaggedShape do not align "
                    f"between {axis - 1} and {axis}"
                )
        known = _known(self._inner_shape)
        if known is not None:
            static = TensorShape([int(d) for d in known])
        else:
            static = TensorShape([None] * self._inner_shape.shape[0])
        if static_inner_shape is not None:
            static = static.merge_with(TensorShape(static_inner_shape))
        self._static_inner_shape = static
        if self._row_partitions:
            nvals = self._row_partitions[-1].static_nvals
            first = static[0]
            if nvals is not None and first is not None and nvals != first:
                raise ValueError("Last row partition does not match inner_shape.")

    # -- factories ----------------------------------------------------------

    @classmethod
    def from_lengths(cls, lengths, num_row_partitions=None, dtype=dtypes.int64):
        """The shape with the given lengths: an int for a uniform dimension, a tuple of
        row lengths for a ragged one.

        Args:
            lengths: a list such as ``[2, (2, 1), 3]`` (the shape of
                ``[[[0, 0, 0], [0, 0, 0]], [[0, 0, 0]]]``).
            num_row_partitions: how many partitions (uniform dimensions after the first
                may be partitions too); by default the fewest that hold the ragged ones.
            dtype: int32 or int64.

        Returns:
            A DynamicRaggedShape.

        Raises:
            ValueError: ``lengths`` not a list of ints and tuples of ints, a tuple whose
                length is not the number of rows it partitions, or a bad
                ``num_row_partitions``.

        >>> import tensorflux as tf
        >>> tf.experimental.DynamicRaggedShape.from_lengths([2, (2, 1), 3])
        <DynamicRaggedShape lengths=[2, (2, 1), 3] num_row_partitions=1>
        """
        if not isinstance(lengths, list):
            raise ValueError("lengths should be a list")
        for x in lengths:
            if not _is_length(x):
                raise ValueError(
                    f"element of lengths should be int or tuple of ints: instead {x!r}"
                )
        if num_row_partitions is None:
            ragged = [i for i, x in enumerate(lengths) if isinstance(x, tuple)]
            num_row_partitions = ragged[-1] if ragged else 0
        if not isinstance(num_row_partitions, int):
            raise ValueError("num_row_partitions should be an int or None")
        if not lengths:
            if num_row_partitions > 0:
                raise ValueError("num_row_partitions==0 for a scalar shape")
            return cls([], [], dtype=dtype)
        if not num_row_partitions < len(lengths):
            raise ValueError(
                "num_row_partitions should be less than `len(lengths)` if shape is not scalar."
            )
        if num_row_partitions == 0:
            return cls([], lengths, dtype=dtype)
        partitions, nvals = _partitions_from_lengths(lengths[: num_row_partitions + 1], dtype)
        return cls(partitions, [nvals] + lengths[num_row_partitions + 1 :], dtype=dtype)

    @classmethod
    def from_row_partitions(cls, row_partitions, dtype=None):
        """The shape with these partitions over a vector of flat values.

        Raises:
            ValueError: no partitions.
        """
        if not row_partitions:
            raise ValueError("row_partitions cannot be empty")
        return cls(row_partitions, stack([row_partitions[-1].nvals()]), dtype=dtype)

    @classmethod
    def from_tensor(cls, t, dtype=None):
        """The shape of ``t``, a RaggedTensor or anything convertible to a Tensor.

        ``dtype`` defaults to the row splits' dtype of a ragged tensor and to int32 for
        a dense one.
        """
        if isinstance(t, RaggedTensor):
            dtype = t.row_splits.dtype if dtype is None else check_index_dtype(dtype)
            partitions = []
            rt = t
            while isinstance(rt, RaggedTensor):
                partitions.append(_partition_of(rt))
                rt = rt.values
            flat = t.flat_values
            inner = _dense_shape(flat, out_type=dtype)
            return cls(partitions, inner, dtype=dtype, static_inner_shape=flat.shape)
        t = convert_to_tensor(t)
        dtype = dtypes.int32 if dtype is None else check_index_dtype(dtype)
        return cls([], _dense_shape(t, out_type=dtype), dtype=dtype, static_inner_shape=t.shape)

    # -- properties ---------------------------------------------------------

    @property
    def row_partitions(self) -> tuple:
        """The ``RowPartition`` of each partitioned dimension, outermost first."""
        return self._row_partitions

    @property
    def num_row_partitions(self) -> int:
        """How many partitions there are (0 for a dense shape)."""
        return len(self._row_partitions)

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the sizes (int32 or int64)."""
        return self._inner_shape.dtype

    @property
    def inner_shape(self) -> Tensor:
        """The shape of the flat values (the whole shape when there are no partitions),
        a 1-D tensor of ``dtype``."""
        return self._inner_shape

    @property
    def inner_rank(self) -> int:
        """The rank of the flat values."""
        return self._static_inner_shape.rank

    @property
    def rank(self) -> int:
        """The number of dimensions."""
        return self.num_row_partitions + self.inner_rank

    def static_lengths(self, ragged_lengths=True) -> list:
        """The sizes known before running: an int for a uniform dimension, a tuple of row
        lengths for a ragged one (None when unknown, or with ``ragged_lengths=False``).

        >>> import tensorflux as tf
        >>> tf.shape(tf.ragged.constant([[1, 2], [3]])).static_lengths()
        [2, (2, 1)]
        """
        inner = self._static_inner_shape.as_list()
        if not self._row_partitions:
            return inner
        out = [self._row_partitions[0].static_nrows]
        for rp in self._row_partitions:
            if rp.is_uniform():
                out.append(rp.static_uniform_row_length)
                continue
            lengths = _known(rp.row_lengths()) if ragged_lengths else None
            out.append(None if lengths is None else tuple(lengths.tolist()))
        return out + inner[1:]

    def is_uniform(self, axis) -> bool:
        """Whether dimension ``axis`` has one size (it is not ragged).

        Raises:
            TypeError: an ``axis`` that is not an int.
            IndexError: a negative ``axis`` or one past the rank.
        """
        if not isinstance(axis, int):
            raise TypeError("axis must be an integer")
        if axis < 0:
            raise IndexError("Negative axis values are not supported")
        if axis >= self.rank:
            raise IndexError(f"Expected axis={axis} < rank={self.rank}")
        if axis == 0 or axis > self.num_row_partitions:
            return True
        return self._row_partitions[axis - 1].is_uniform()

    def with_dtype(self, dtype) -> DynamicRaggedShape:
        """This shape with its sizes in ``dtype`` (int32 or int64).

        Raises:
            ValueError: another dtype (``Illegal dtype: ...``).
        """
        dtype = check_index_dtype(dtype)
        if dtype is self.dtype:
            return self
        return DynamicRaggedShape(
            self._row_partitions,
            cast(self._inner_shape, dtype),
            dtype=dtype,
            static_inner_shape=self._static_inner_shape,
        )

    # -- indexing -----------------------------------------------------------

    def __getitem__(self, index):
        """The size of a uniform dimension (a scalar tensor), or a slice of the shape.

        Raises:
            ValueError: a ragged dimension, or a slice not starting at 0 that holds one.
            IndexError: an index out of range, or a slice with a step.
            TypeError: anything but an int or a slice.
        """
        if isinstance(index, slice):
            if index.step is not None and index.step != 1:
                raise IndexError("Cannot stride through a shape")
            start = self._slice_start(0 if index.start is None else index.start)
            stop = self.rank if index.stop is None else index.stop
            stop = min(self.rank, max(0, stop + self.rank if stop < 0 else stop))
            return self._slice(start, stop)
        if isinstance(index, int):
            return self._dimension(self.rank + index if index < 0 else index)
        raise TypeError("Argument is not an int or a slice")

    def _slice_start(self, start: int) -> int:
        if start < 0:
            start = max(0, start + self.rank)
        if self.num_row_partitions > 0 and start <= self.num_row_partitions + 1:
            return start
        return min(start, self.rank)

    def _dimension(self, index: int) -> Tensor:
        rank, nrp = self.rank, self.num_row_partitions
        if (nrp == 0 or index > nrp + 1) and index >= rank:
            raise IndexError(f"Index is too big: {index}>={rank}")
        if index < 0:
            raise IndexError(f"Index must be non-negative: {index}")
        if not self.is_uniform(index):
            raise ValueError(f"Index {index} is not uniform")
        if index == 0 and nrp > 0:
            n = self._row_partitions[0].static_nrows
            if n is not None:
                return convert_to_tensor(n, dtype=self.dtype)
            return self._row_partitions[0].nrows()
        if nrp == 0 or index > nrp:
            i = index - nrp
            size = self._static_inner_shape[i]
            if size is not None:
                return convert_to_tensor(size, dtype=self.dtype)
            return self._inner_shape[i]
        return self._row_partitions[index - 1].uniform_row_length()

    def _slice(self, start: int, stop: int) -> DynamicRaggedShape:
        """``self[start:stop]``: a prefix keeps the partitions, any other slice is dense."""
        nrp = self.num_row_partitions
        if stop <= start:
            return DynamicRaggedShape([], [])
        if start == 0:
            if stop > nrp:
                if stop >= self.rank:
                    return self
                keep = stop - nrp
                return DynamicRaggedShape(
                    self._row_partitions,
                    self._inner_shape[:keep],
                    static_inner_shape=self._static_inner_shape[:keep],
                )
            if stop == 1:
                # A list (not a tensor) of sizes: TF gives this shape its default int64.
                return DynamicRaggedShape([], [self._row_partitions[0].nrows()])
            kept = self._row_partitions[: stop - 1]
            return DynamicRaggedShape(kept, stack([kept[-1].nvals()]))
        partial = self._slice(0, stop) if stop < self.rank else self
        if not all(rp.is_uniform() for rp in partial.row_partitions):
            raise ValueError("All relevant dimensions must be uniform")
        return DynamicRaggedShape([], partial._dense_sizes()[start:])

    def _dense_sizes(self) -> Tensor:
        """The full shape as a vector (every partition being uniform)."""
        if not self._row_partitions:
            return self._inner_shape
        sizes = [self._row_partitions[0].nrows()]
        sizes += [rp.uniform_row_length() for rp in self._row_partitions]
        return concat([stack(sizes), self._inner_shape[1:]], 0)

    def _num_elements(self) -> Tensor:
        return reduce_prod(self._inner_shape)

    def _to_tensor_shape(self) -> TensorShape:
        """The static TensorShape: None for ragged and unknown dimensions."""
        return TensorShape(self.static_lengths(ragged_lengths=False))

    def _add_row_partitions(self, flat_values):
        """``flat_values`` (shaped as ``inner_shape``) cut by the partitions: a
        RaggedTensor, or ``flat_values`` itself for a dense shape."""
        result = flat_values
        for rp in reversed(self._row_partitions):
            result = RaggedTensor(
                result, rp.row_splits(), internal=True, uniform_row_length=rp.uniform_row_length()
            )
        return result

    def _spec_key(self) -> tuple:
        """What TF's type spec of the shape holds: the dtype and every static size."""
        partitions = tuple(
            (rp.static_nrows, rp.static_nvals, rp.static_uniform_row_length)
            for rp in self._row_partitions
        )
        return (self.dtype, partitions, tuple(self._static_inner_shape.as_list()))

    def _components(self) -> list:
        return [rp.row_splits() for rp in self._row_partitions] + [self._inner_shape]

    def __eq__(self, other):
        """False for shapes whose dtypes or static sizes differ, else a scalar bool
        tensor: whether every size matches (as TF's extension types compare)."""
        if type(other) is not DynamicRaggedShape or self._spec_key() != other._spec_key():
            return False
        conditions = []
        for a, b in zip(self._components(), other._components()):
            if a.shape.is_fully_defined() and b.shape.is_fully_defined() and a.shape != b.shape:
                conditions.append(convert_to_tensor(False))
                continue
            conditions.append(reduce_all(equal(_dense_shape(a), _dense_shape(b))))
            conditions.append(reduce_all(equal(a, b)))
        return reduce_all(stack(conditions))

    def __ne__(self, other):
        same = self.__eq__(other)
        return not same if isinstance(same, bool) else logical_not(same)

    __hash__ = None

    def __repr__(self):
        lengths = ", ".join(str(x) for x in self.static_lengths())
        nrp = self.num_row_partitions
        return f"<DynamicRaggedShape lengths=[{lengths}] num_row_partitions={nrp}>"


def _is_length(x) -> bool:
    if isinstance(x, tuple):
        return all(isinstance(y, int) for y in x)
    return isinstance(x, int)


def _inner_shape_tensor(inner_shape, dtype) -> Tensor:
    if isinstance(inner_shape, list) and any(isinstance(x, tuple) for x in inner_shape):
        if not all(isinstance(x, tuple) for x in inner_shape):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    t = convert_to_tensor(inner_shape, dtype_hint=dtype)
    if t.dtype is not dtype:
        t = cast(t, dtype)
    if t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1")
    return t


def _partition_of(rt: RaggedTensor) -> RowPartition:
    length = rt.uniform_row_length
    nrows = None if length is None else rt.nrows()
    return RowPartition(rt.row_splits, uniform_row_length=length, nrows=nrows, internal=True)


def _partitions_from_lengths(lengths: list, dtype) -> tuple:
    """The partitions of ``lengths`` (its first entry an int), and the number of values
    under the last one."""
    size = lengths[0]
    partitions = []
    for current in lengths[1:]:
        if isinstance(current, int):
            partitions.append(
                RowPartition.from_uniform_row_length(
                    current, current * size, nrows=size, dtype_hint=dtype
                )
            )
            size *= current
            continue
        if size != len(current):
            raise ValueError("Shape not consistent.")
        partitions.append(RowPartition.from_row_lengths(list(current), dtype_hint=dtype))
        size = sum(current)
    return partitions, size


# tf.zeros, tf.ones, tf.fill, tf.reshape and tf.broadcast_to recognise the class from here.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.ragged_shape_loaded(DynamicRaggedShape)
