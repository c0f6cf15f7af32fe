"""``tf.RaggedTensor``: a tensor whose rows have different lengths.

A ragged tensor is ``values`` (a Tensor, or another RaggedTensor for nested raggedness)
cut into rows by ``row_splits``: row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``.
Everything here composes tensorflux ops on those two tensors, so ragged tensors work
eagerly, inside ``tf.function`` and under a ``GradientTape`` (gradients reach
``flat_values`` through ``GatherV2`` and ``ScatterNd``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.composite_tensor import CompositeTensor
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.array_ops import pad
from tensorflux.ops.creation_ops import fill, zeros
from tensorflux.ops.creation_ops import range as _range
from tensorflux.ops.division_ops import floordiv
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import concat, stack
from tensorflux.ops.logic_ops import equal
from tensorflux.ops.math_ops import cast, maximum, subtract
from tensorflux.ops.reduction_ops import cumsum, reduce_all, reduce_max, reduce_prod
from tensorflux.ops.scatter_ops import scatter_nd, tensor_scatter_nd_update
from tensorflux.ops.selection_ops import boolean_mask
from tensorflux.ops.shape_ops import reshape, shape
from tensorflux.ops.slicing_ops import slice as _slice
from tensorflux.ragged.ragged_range_op import (
    ragged_range_parts,
    row_splits_to_segment_ids,
    segment_ids_to_splits,
)

__all__ = ["RaggedTensor"]

_SPLIT_DTYPES = (dtypes.int32, dtypes.int64)


def _eager(*tensors) -> bool:
    return all(type(t) is Tensor for t in tensors)


def _splits_tensor(value, dtype, what: str) -> Tensor:
    t = convert_to_tensor(value, dtype_hint=dtype or dtypes.int64)
    if t.dtype not in _SPLIT_DTYPES:
        raise ValueError(f"{what} must have dtype int32 or int64, got {t.dtype.name}.")
    if dtype is not None and t.dtype is not dtype:
        t = cast(t, dtype)
    if t.shape.rank != 1:
        raise ValueError(f"{what} must be a vector (rank 1), got shape {t.shape}.")
    return t


def _values_tensor(values):
    if isinstance(values, RaggedTensor):
        return values
    t = convert_to_tensor(values)
    if t.shape.rank == 0:
        raise ValueError(f"values must have rank at least 1, got a scalar: {t!r}.")
    return t


def _static_int(t):
    """The value of a scalar tensor known before running (eager or a constant), or None."""
    return int(t._value) if type(t) is Tensor else None


def _nrows_of(values):
    if isinstance(values, RaggedTensor):
        return values.nrows()
    return shape(values, out_type=dtypes.int64)[0]


def _invalid(fn: str, why: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        None, fn, f"Arguments to {fn} do not form a valid RaggedTensor:{why}"
    )


class RaggedTensor(CompositeTensor):
    """Rows of different lengths over one flat tensor of values.

    >>> import tensorflux as tf
    >>> rt = tf.RaggedTensor.from_row_lengths([1, 2, 3], row_lengths=[2, 1])
    >>> rt
    <tf.RaggedTensor [[1, 2], [3]]>
    >>> rt.row_splits.numpy().tolist()
    [0, 2, 3]
    """

    def __init__(self, values, row_splits, internal=False, uniform_row_length=None):
        if not internal:
            raise ValueError(
                "RaggedTensor constructor is private; please use one of the factory "
                "methods instead (e.g., RaggedTensor.from_row_lengths())"
            )
        self._values = values
        self._row_splits = row_splits
        # A scalar Tensor when every row is known to have this length (TF's uniform row
        # partition): the dimension then has a static size and prints as a dense one.
        self._uniform_row_length = uniform_row_length

    # -- factories ----------------------------------------------------------

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True) -> RaggedTensor:
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``.

        Raises:
            InvalidArgumentError: splits that do not start at 0, decrease, or do not end
                at ``len(values)`` (when ``validate``).
        """
        values = _values_tensor(values)
        splits = _splits_tensor(row_splits, None, "row_splits")
        if isinstance(values, RaggedTensor) and values.row_splits.dtype is not splits.dtype:
            raise ValueError(
                "dtype mismatch: RaggedTensor values have row_splits dtype "
                f"{values.row_splits.dtype.name} but row_splits are {splits.dtype.name}; "
                "use RaggedTensor.with_row_splits_dtype."
            )
        if validate and _eager(splits):
            s = splits._value
            if s.size == 0 or s[0] != 0:
                raise _invalid("from_row_splits", "First value of ragged splits must be 0.")
            if np.any(np.diff(s) < 0):
                raise _invalid(
                    "from_row_splits", "Ragged splits must be sorted in ascending order."
                )
            nvals = _nrows_of(values)
            if _eager(nvals) and int(s[-1]) != int(nvals._value):
                raise _invalid(
                    "from_row_splits",
                    f"Last value of ragged splits must equal the number of values "
                    f"({int(nvals._value)}), got {int(s[-1])}.",
                )
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True) -> RaggedTensor:
        """Rows of the given lengths, taken in order from ``values``."""
        lengths = _splits_tensor(row_lengths, None, "row_lengths")
        if validate and _eager(lengths) and np.any(lengths._value < 0):
            raise _invalid("from_row_lengths", "Ragged row lengths must be non-negative.")
        zero = zeros([1], lengths.dtype)
        return cls.from_row_splits(
            values, concat([zero, cumsum(lengths)], 0), name=name, validate=validate
        )

    @classmethod
    def from_value_rowids(
        cls, values, value_rowids, nrows=None, name=None, validate=True
    ) -> RaggedTensor:
        """Rows from the (sorted) row index of each value; ``nrows`` adds empty rows."""
        rowids = _splits_tensor(value_rowids, None, "value_rowids")
        if validate and _eager(rowids) and np.any(np.diff(rowids._value) < 0):
            raise _invalid("from_value_rowids", "value_rowids must be sorted in ascending order.")
        if nrows is not None:
            nrows = cast(convert_to_tensor(nrows, dtype_hint=rowids.dtype), rowids.dtype)
        splits = segment_ids_to_splits(rowids, nrows)
        return cls.from_row_splits(values, splits, name=name, validate=validate)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True) -> RaggedTensor:
        """Rows starting at ``row_starts`` (each row ends where the next one starts)."""
        values = _values_tensor(values)
        starts = _splits_tensor(row_starts, None, "row_starts")
        nvals = cast(_nrows_of(values), starts.dtype)
        return cls.from_row_splits(
            values, concat([starts, reshape(nvals, [1])], 0), name=name, validate=validate
        )

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True) -> RaggedTensor:
        """Rows ending at ``row_limits`` (each row starts where the previous one ends)."""
        limits = _splits_tensor(row_limits, None, "row_limits")
        zero = zeros([1], limits.dtype)
        return cls.from_row_splits(values, concat([zero, limits], 0), name=name, validate=validate)

    @classmethod
    def from_uniform_row_length(
        cls, values, uniform_row_length, nrows=None, validate=True, name=None
    ) -> RaggedTensor:
        """Rows of ``uniform_row_length`` values each: a ragged tensor whose dimension 1 is
        uniform (it has a static size when the length is a constant).

        Args:
            values: the values (a Tensor, or a RaggedTensor) cut into rows.
            uniform_row_length: a scalar int32 or int64, at least 0.
            nrows: the number of rows; needed only when ``uniform_row_length`` is 0
                (by default ``len(values) // uniform_row_length``, or 0).
            validate: check that ``uniform_row_length * nrows == len(values)``.

        Returns:
            A RaggedTensor with ``uniform_row_length`` set.

        Raises:
            ValueError: a length that is not a scalar int32/int64, is negative, or does
                not tile ``values`` into ``nrows`` rows.

        >>> import tensorflux as tf
        >>> rt = tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2)
        >>> rt.shape
        TensorShape([3, 2])
        >>> rt.row_lengths().numpy().tolist()
        [2, 2, 2]
        """
        values = _values_tensor(values)
        length = convert_to_tensor(uniform_row_length, dtype_hint=dtypes.int64)
        if length.dtype not in _SPLIT_DTYPES:
            raise ValueError("UniformRowLength must have dtype int32 or int64")
        if length.shape.rank != 0:
            raise ValueError(f"Shape {length.shape} must have rank 0")
        dtype = length.dtype
        if isinstance(values, RaggedTensor) and values.row_splits.dtype is not dtype:
            raise ValueError(
                "dtype mismatch: RaggedTensor values have row_splits dtype "
                f"{values.row_splits.dtype.name} but uniform_row_length is {dtype.name}; "
                "use RaggedTensor.with_row_splits_dtype."
            )
        nvals = cast(_nrows_of(values), dtype)
        if nrows is not None:
            nrows = convert_to_tensor(nrows, dtype_hint=dtype)
            if nrows.dtype is not dtype:
                raise ValueError(
                    f"nrows: Tensor conversion requested dtype {dtype.name} for Tensor "
                    f"with dtype {nrows.dtype.name}: {nrows!r}"
                )
        static_length = _static_int(length)
        if static_length is not None and static_length < 0:
            raise ValueError("uniform_row_length must be >= 0.")
        if nrows is None:
            # nvals // length, and 0 rows for a length of 0 (max keeps the divisor > 0).
            nonzero = cast(length > 0, dtype)
            nrows = nonzero * floordiv(nvals, maximum(length, 1))
        static = [_static_int(t) for t in (length, nrows, nvals)]
        if validate and None not in static and static[0] * static[1] != static[2]:
            raise ValueError(
                f"uniform_row_length={static[0]} times nrows={static[1]} must equal "
                f"nvals={static[2]}"
            )
        limit = nrows if static[1] is None else static[1]
        splits = _range(0, limit + 1, dtype=dtype) * length
        return cls(values, splits, internal=True, uniform_row_length=length)

    @classmethod
    def from_nested_row_splits(
        cls, flat_values, nested_row_splits, name=None, validate=True
    ) -> RaggedTensor:
        """Nested raggedness: ``nested_row_splits[0]`` cuts the outermost rows."""
        if isinstance(nested_row_splits, (Tensor, np.ndarray)):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(
        cls, flat_values, nested_row_lengths, name=None, validate=True
    ) -> RaggedTensor:
        """Nested raggedness from row lengths, outermost first."""
        if isinstance(nested_row_lengths, (Tensor, np.ndarray)):
            raise TypeError("nested_row_lengths must be a list of Tensors")
        result = flat_values
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_tensor(
        cls,
        tensor,
        lengths=None,
        padding=None,
        ragged_rank=1,
        name=None,
        row_splits_dtype=dtypes.int64,
    ) -> RaggedTensor:
        """A ragged tensor from the rows of a dense one.

        Args:
            tensor: a dense tensor of rank ``ragged_rank + 1`` or more.
            lengths: the length kept of each row (1-D), or None.
            padding: a value: trailing entries equal to it are dropped from each row.
            ragged_rank: how many of the outer dimensions become ragged.
            row_splits_dtype: int32 or int64.

        Raises:
            ValueError: both ``lengths`` and ``padding``, or a ``ragged_rank`` the rank
                does not allow.
        """
        if lengths is not None and padding is not None:
            raise ValueError("Specify argument `lengths` or `padding`, but not both.")
        tensor = convert_to_tensor(tensor)
        row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if not isinstance(ragged_rank, int) or ragged_rank <= 0:
            raise ValueError(f"ragged_rank must be greater than 0; got {ragged_rank}")
        if tensor.shape.rank is not None and tensor.shape.rank <= ragged_rank:
            raise ValueError(
                f"ragged_rank must be less than rank(tensor); got ragged_rank={ragged_rank} "
                f"for a tensor of shape {tensor.shape}."
            )
        dims = shape(tensor, out_type=row_splits_dtype)
        static = tensor.shape.as_list()

        def dim(i, j=None):
            # The size of dimensions i..j-1 together: a constant when statically known.
            if None not in static[i:j]:
                return convert_to_tensor(int(np.prod(static[i:j])), dtype=row_splits_dtype)
            return reduce_prod(dims[i:j])

        if ragged_rank > 1:
            # Lengths and padding apply to the innermost ragged dimension; the outer
            # ones are uniform, as the dense tensor has them.
            result = cls.from_tensor(
                _merge_inner(tensor, 0, ragged_rank - 1),
                lengths,
                padding,
                row_splits_dtype=row_splits_dtype,
            )
            for axis in range(ragged_rank - 1, 0, -1):
                result = cls.from_uniform_row_length(
                    result, dim(axis, axis + 1), nrows=dim(0, axis), validate=False
                )
            return result
        nrows, ncols = dims[0], dims[1]
        if lengths is None and padding is None:
            return cls.from_uniform_row_length(
                _merge_inner(tensor, 0, 1), dim(1, 2), nrows=dim(0, 1), validate=False
            )
        if padding is not None:
            padding = convert_to_tensor(padding, dtype=tensor.dtype)
            if not padding.shape.is_compatible_with(tensor.shape[2:]):
                raise ValueError(
                    f"padding must have the shape of one entry of a row, tensor.shape[2:] = "
                    f"{tensor.shape[2:]}, got {padding.shape}."
                )
            is_pad = equal(tensor, padding)
            # An entry of a row is padding when all of its inner values are.
            for _ in range(tensor.shape.rank - 2):
                is_pad = reduce_all(is_pad, axis=-1)
            keep = cast(1 - cast(is_pad, row_splits_dtype), row_splits_dtype)
            position = _range(1, ncols + 1, dtype=row_splits_dtype)
            lengths = reduce_max(keep * position, axis=1)
        lengths = _splits_tensor(lengths, row_splits_dtype, "lengths")
        starts = _range(0, nrows, dtype=row_splits_dtype) * ncols
        splits, index = ragged_range_parts(starts, starts + lengths, 1, row_splits_dtype)
        values = gather(_merge_inner(tensor, 0, 1), index)
        return cls(values, splits, internal=True)

    # -- structure ------------------------------------------------------------

    @property
    def values(self):
        """The concatenated rows (a Tensor, or a RaggedTensor when nested)."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """Where each row starts in ``values``, and where the last one ends (int64 vector)."""
        return self._row_splits

    @property
    def uniform_row_length(self):
        """The length every row has (a scalar of the row_splits dtype), or None when the
        rows are ragged."""
        return self._uniform_row_length

    @property
    def flat_values(self) -> Tensor:
        """The innermost values tensor, under every ragged dimension."""
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def nested_row_splits(self) -> tuple:
        """The row_splits of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        """How many ragged dimensions there are."""
        return len(self.nested_row_splits)

    @property
    def dtype(self) -> dtypes.DType:
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits.dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape: None for every ragged dimension (and unknown row counts)."""
        n = self._row_splits.shape[0]
        inner = self._values.shape
        width = None if self._uniform_row_length is None else _static_int(self._uniform_row_length)
        return TensorShape([None if n is None else n - 1, width] + list(inner)[1:])

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def name(self):
        return None

    def nrows(self, out_type=None, name=None) -> Tensor:
        """The number of rows, as a scalar."""
        n = shape(self._row_splits, out_type=self._row_splits.dtype)[0] - 1
        return n if out_type is None else cast(n, out_type)

    def row_starts(self, name=None) -> Tensor:
        return self._row_splits[:-1]

    def row_limits(self, name=None) -> Tensor:
        return self._row_splits[1:]

    def row_lengths(self, axis=1, name=None):
        """The length of each row (``axis=1``), or of each row of a deeper ragged dimension."""
        if axis == 0:
            raise ValueError("axis=0 is not ragged: use nrows().")
        if axis == 1 or axis == -self.shape.rank + 1:
            return subtract(self._row_splits[1:], self._row_splits[:-1])
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1 if axis > 0 else axis))
        raise ValueError(f"axis={axis} is not a ragged dimension of {self!r}.")

    def nested_row_lengths(self, name=None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_lengths())
            rt = rt._values
        return tuple(out)

    def value_rowids(self, name=None) -> Tensor:
        """The row index of each value."""
        return row_splits_to_segment_ids(self._row_splits)

    def nested_value_rowids(self, name=None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def bounding_shape(self, axis=None, name=None, out_type=None) -> Tensor:
        """The shape of the smallest dense tensor that holds every row."""
        out_type = dtypes.as_dtype(out_type or self._row_splits.dtype)
        lengths = self.row_lengths()
        width = reduce_max(concat([zeros([1], lengths.dtype), lengths], 0))
        head = stack([self.nrows(), width])
        if isinstance(self._values, RaggedTensor):
            rest = self._values.bounding_shape(out_type=head.dtype)[1:]
        else:
            rest = shape(self._values, out_type=head.dtype)[1:]
        result = cast(concat([head, rest], 0), out_type)
        return result if axis is None else result[axis]

    def with_values(self, new_values) -> RaggedTensor:
        """The same row partition over ``new_values`` (same number of rows)."""
        new_values = _values_tensor(new_values)
        return RaggedTensor(
            new_values, self._row_splits, internal=True, uniform_row_length=self._uniform_row_length
        )

    def with_flat_values(self, new_values) -> RaggedTensor:
        """The same nested row partitions over new flat values."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype) -> RaggedTensor:
        dtype = dtypes.as_dtype(dtype)
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        length = self._uniform_row_length
        length = None if length is None else cast(length, dtype)
        return RaggedTensor(
            values, cast(self._row_splits, dtype), internal=True, uniform_row_length=length
        )

    def merge_dims(self, outer_axis, inner_axis) -> object:
        """Merges dimensions ``outer_axis..inner_axis`` into one (a Tensor when none is left
        ragged)."""
        rank = self.shape.rank
        outer = outer_axis + rank if outer_axis < 0 else outer_axis
        inner = inner_axis + rank if inner_axis < 0 else inner_axis
        if not 0 <= outer <= inner < rank:
            raise ValueError(
                f"Expected outer_axis ({outer_axis}) to be less than or equal to inner_axis "
                f"({inner_axis}), both within a rank of {rank}."
            )
        if outer == inner:
            return self
        if outer == 0:
            return _merge_inner(self._values, 0, inner - 1)
        values = self._values
        if outer == 1 and isinstance(values, RaggedTensor):
            # Each row now spans the values of all its sub-rows.
            splits = gather(values._row_splits, self._row_splits)
            return RaggedTensor(values._values, splits, internal=True).merge_dims(1, inner - 1)
        if outer == 1:
            width = int(np.prod(values.shape[1:inner]))
            splits = self._row_splits * width
            return RaggedTensor(_merge_inner(values, 0, inner - 1), splits, internal=True)
        return self.with_values(_merge_inner(self._values, outer - 1, inner - 1))

    # -- conversion -----------------------------------------------------------

    def to_tensor(self, default_value=None, name=None, shape=None) -> Tensor:
        """The dense tensor with every row padded by ``default_value`` (0 by default) to
        the longest row, or cut or padded to ``shape``."""
        nrows = self.nrows()
        lengths = self.row_lengths()
        shape = None if shape is None else list(TensorShape(shape))
        inner_shape = None if shape is None else [None] + shape[2:]
        if isinstance(self._values, RaggedTensor):
            inner = self._values.to_tensor(default_value, shape=inner_shape)
        else:
            inner = self._values
            if shape is not None and any(d is not None for d in shape[2:]):
                inner = _fit_dense(inner, [None] + shape[2:])
        width = reduce_max(concat([zeros([1], lengths.dtype), lengths], 0))
        if shape is not None and shape[0] is not None:
            nrows = convert_to_tensor(shape[0], dtype=lengths.dtype)
        if shape is not None and shape[1] is not None:
            width = convert_to_tensor(shape[1], dtype=lengths.dtype)
        rowids = self.value_rowids()
        cols = _range(0, shape_len(inner), dtype=lengths.dtype) - gather(self._row_splits, rowids)
        indices = stack([rowids, cols], axis=1)
        if shape is not None:
            keep = (rowids < nrows) & (cols < width)
            indices = boolean_mask(indices, keep)
            inner = boolean_mask(inner, keep)
        out_shape = concat([stack([nrows, width]), cast(_shape_tail(inner), lengths.dtype)], 0)
        if default_value is None and inner.dtype is not dtypes.string:
            return scatter_nd(indices, inner, out_shape)
        if default_value is None:
            default_value = b""
        default = convert_to_tensor(default_value, dtype=inner.dtype)
        return tensor_scatter_nd_update(fill(out_shape, default), indices, inner)

    def to_list(self) -> list:
        """The rows as nested Python lists (eager only)."""
        splits = self._row_splits
        if not _eager(splits):
            raise ValueError("RaggedTensor.to_list() is only supported in eager mode.")
        if isinstance(self._values, RaggedTensor):
            inner = self._values.to_list()
        else:
            inner = self._values._value.tolist()
        s = splits._value.tolist()
        return [inner[s[i] : s[i + 1]] for i in range(len(s) - 1)]

    def numpy(self) -> np.ndarray:
        """The rows as a NumPy object array of arrays (eager only)."""
        if not _eager(self._row_splits):
            raise ValueError("RaggedTensor.numpy() is only supported in eager mode.")
        s = self._row_splits._value
        values = self._values.numpy()
        if len(s) < 2:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        rows = [values[s[i] : s[i + 1]] for i in range(len(s) - 1)]
        # Rows of one length stack into one array (of their dtype, or of objects when
        # they hold ragged rows themselves); rows of several lengths stay separate.
        if np.all(np.diff(s) == s[1] - s[0]):
            return np.array(rows)
        out = np.empty(len(rows), dtype=object)
        out[:] = rows
        return out

    def _components(self) -> tuple:
        """The tensors a ragged tensor is made of: flat values, then each row_splits."""
        return (self.flat_values, *self.nested_row_splits)

    def _static_key(self):
        return uniform_static_key(self.shape, self.ragged_rank)

    def _relaxed_shapes(self) -> tuple:
        """The number of rows kept, any number of values: as TF traces a ragged tensor
        by its spec (``[nrows, None, ...]``), a trace serves every ragged tensor with
        this many rows, ragged rank, inner shape and dtypes."""
        inner = self.flat_values.shape.as_list()[1:]
        outer = self.row_splits.shape.as_list()
        return ([None] + inner, outer) + ([None],) * (self.ragged_rank - 1)

    @property
    def _type_spec(self):
        from tensorflux.ragged.ragged_tensor_spec import RaggedTensorSpec

        return RaggedTensorSpec.from_value(self)

    @classmethod
    def _from_components(cls, components, static_key=None) -> RaggedTensor:
        rt = cls.from_nested_row_splits(components[0], list(components[1:]), validate=False)
        if isinstance(static_key, tuple):
            rt = _with_uniform_widths(rt, static_key[1])
        return rt

    def __repr__(self):
        if _eager(self.flat_values, *self.nested_row_splits):
            # Printed as TF prints it: NumPy's layout of numpy() (one row a line where
            # rows stack into an array) with comma separators and no array prefixes.
            with np.printoptions(formatter={"all": _format_element}):
                return f"<tf.RaggedTensor {_format_element(self.numpy())}>"
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"

    __str__ = __repr__

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __len__(self):
        n = self.shape[0]
        if n is None:
            raise TypeError("len is not well defined for RaggedTensors with an unknown nrows.")
        return n

    def __iter__(self):
        if not _eager(self._row_splits):
            raise TypeError("Iterating over a symbolic RaggedTensor is not allowed.")
        return (self[i] for i in range(len(self)))

    def __hash__(self):
        raise TypeError("RaggedTensor is unhashable. Instead, use tensor.ref() as the key.")

    def __getitem__(self, key):
        from tensorflux.ragged.ragged_getitem import ragged_getitem

        return ragged_getitem(self, key)


def uniform_static_key(shape: TensorShape, ragged_rank: int):
    """The static key of a ragged value or spec: its ragged rank, with the static sizes
    of its ragged dimensions when any is uniform (so a trace keeps them)."""
    widths = () if shape.rank is None else tuple(shape.as_list()[1 : ragged_rank + 1])
    if all(w is None for w in widths):
        return ragged_rank
    return (ragged_rank, widths)


def _with_uniform_widths(rt: RaggedTensor, widths: tuple) -> RaggedTensor:
    """``rt`` with the uniform row length of each ragged dimension whose width is known."""
    values = rt._values
    if isinstance(values, RaggedTensor):
        values = _with_uniform_widths(values, widths[1:])
    length = rt._uniform_row_length
    if widths[0] is not None:
        length = convert_to_tensor(widths[0], dtype=rt._row_splits.dtype)
    return RaggedTensor(values, rt._row_splits, internal=True, uniform_row_length=length)


def _format_element(x) -> str:
    if not isinstance(x, np.ndarray):
        return str(x)
    if x.size == 0:
        # array2string prints every empty array as "[]"; [[], []] keeps its rows.
        return repr(x.tolist())
    return np.array2string(x, separator=", ")


def shape_len(x) -> Tensor:
    """The number of rows of a dense tensor, as an int64 scalar."""
    return shape(x, out_type=dtypes.int64)[0]


def _shape_tail(x) -> Tensor:
    return shape(x, out_type=dtypes.int64)[1:]


def _fit_dense(x: Tensor, target: list) -> Tensor:
    """``x`` cut (or zero-padded) to the known sizes of ``target`` (None keeps a size)."""
    have = x.shape
    begin = [0] * len(target)
    size = [-1 if t is None else min(t, h) for t, h in zip(target, have)]
    x = _slice(x, begin, size)
    pads = [[0, 0 if t is None else max(t - h, 0)] for t, h in zip(target, have)]
    return pad(x, pads)


def _merge_inner(values, outer: int, inner: int):
    """``values`` with its dimensions ``outer..inner`` merged (see ``merge_dims``)."""
    if isinstance(values, RaggedTensor):
        return values.merge_dims(outer, inner)
    if outer == inner:
        return values
    static = list(values.shape)
    if None not in static[:outer] + static[inner + 1 :]:
        return reshape(values, static[:outer] + [-1] + static[inner + 1 :])
    dims = shape(values)
    return reshape(values, concat([dims[:outer], [-1], dims[inner + 1 :]], 0))


# The public functions' ragged dispatch (installed before this module loads) and the
# class's operators take RaggedTensor from here.
from tensorflux.ops import ragged_dispatch as _ragged_dispatch  # noqa: E402

_ragged_dispatch.ragged_tensor_loaded(RaggedTensor)
