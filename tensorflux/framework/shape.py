"""``TensorShape``: a possibly partially known shape.

Dimensions are Python ints or ``None`` (unknown); the rank itself may be
unknown (``TensorShape(None)``). Graph tracing and Keras symbolic tensors use
the compatibility and merging rules here.
"""

from __future__ import annotations

__all__ = ["TensorShape", "Dimension", "dimension_value"]


def dimension_value(dim):
    """The int (or None) held by a dimension, which may already be an int."""
    if isinstance(dim, Dimension):
        return dim.value
    return dim


class Dimension:
    """One dimension of a shape, ``None`` when unknown (``tf.compat.v1.Dimension``)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = None if value is None else int(value)

    def __eq__(self, other):
        other = dimension_value(other)
        if self.value is None or other is None:
            return None
        return self.value == other

    def __int__(self):
        return self.value

    def __index__(self):
        return self.value

    def __repr__(self):
        return f"Dimension({self.value})"


def _as_dim(d):
    d = dimension_value(d)
    if d is None:
        return None
    if hasattr(d, "numpy"):
        d = d.numpy()
    try:
        value = int(d)
    except (TypeError, ValueError):
        raise TypeError(f"Dimension value must be an integer or None, got {d!r}.") from None
    if value != d:
        raise TypeError(f"Dimension value must be an integer or None, got {d!r}.")
    if value < 0:
        raise ValueError(f"Dimension {value} must be >= 0.")
    return value


class TensorShape:
    """The static shape of a tensor: a tuple of ints and ``None`` s, or unknown rank.

    >>> import tensorflux as tf
    >>> s = tf.TensorShape([None, 3])
    >>> s.rank, s.as_list(), s.is_compatible_with([5, 3])
    (2, [None, 3], True)
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (int, Dimension)) or (
            hasattr(dims, "__index__") and not hasattr(dims, "__len__")
        ):
            self._dims = (_as_dim(dims),)
        else:
            self._dims = tuple(_as_dim(d) for d in dims)

    @classmethod
    def _from_tuple(cls, dims: tuple) -> TensorShape:
        # Fast constructor for shapes already known to be tuples of ints.
        s = object.__new__(cls)
        s._dims = dims
        return s

    @property
    def rank(self):
        """The number of dimensions, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def as_list(self) -> list:
        """The dimensions as a list (None for unknown ones).

        Raises:
            ValueError: if the rank is unknown.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def num_elements(self):
        """The number of elements, or None when any dimension is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other) -> bool:
        """True when some fully known shape could match both."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other) -> TensorShape:
        """The most specific shape compatible with both.

        Raises:
            ValueError: if the shapes are not compatible.
        """
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other) -> TensorShape:
        """The most specific shape that both shapes are compatible with."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape._from_tuple(self._dims + other._dims)

    def with_rank(self, rank: int) -> TensorShape:
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        self.with_rank(rank)

    def assert_same_rank(self, other) -> None:
        other = as_shape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else None
        if isinstance(key, slice):
            return TensorShape._from_tuple(self._dims[key])
        return self._dims[key]

    def __bool__(self):
        return self._dims is not None

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({list(self._dims)})"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return TensorShape, (self.dims,)


def as_shape(shape) -> TensorShape:
    """Converts a list, tuple or TensorShape into a TensorShape."""
    if isinstance(shape, TensorShape):
        return shape
    return TensorShape(shape)
