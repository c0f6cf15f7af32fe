"""``tf.TypeSpec``, the base class of every value description (``tf.TensorSpec``,
``tf.SparseTensorSpec``, ``tf.RaggedTensorSpec`` ...), and the specs of the values
that are not tensors: ``tf.NoneTensorSpec``, ``tf.IndexedSlicesSpec`` and
``tf.TensorArraySpec``.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape

__all__ = ["TypeSpec", "NoneTensorSpec", "IndexedSlicesSpec", "TensorArraySpec", "VariableSpec"]

_ABSTRACT = "_component_specs, _from_components, _serialize, _to_components, value_type"


class TypeSpec:
    """The description of a kind of value: what ``tf.function`` keys traces on and
    ``tf.data`` reports as ``element_spec``. Abstract: use a subclass.

    Subclasses give ``value_type`` and ``_fields`` (the arguments that rebuild them);
    equality, hashing and compatibility follow from the fields.

    >>> import tensorflux as tf
    >>> isinstance(tf.TensorSpec([2]), tf.TypeSpec)
    True

    Raises:
        TypeError: instantiating ``TypeSpec`` itself.
    """

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        if cls is TypeSpec:
            raise TypeError(
                f"Can't instantiate abstract class TypeSpec with abstract methods {_ABSTRACT}"
            )
        return super().__new__(cls)

    @property
    def value_type(self):
        """The Python type of the values this spec describes."""
        raise NotImplementedError(f"{type(self).__name__} does not define value_type.")

    def _fields(self) -> tuple:
        raise NotImplementedError(f"{type(self).__name__} does not define _fields.")

    def is_compatible_with(self, spec_or_value) -> bool:
        """Whether ``spec_or_value`` (a spec, or a value of this kind) matches this spec:
        same kind, equal dtypes and settings, compatible shapes."""
        other = spec_or_value
        if not isinstance(other, TypeSpec):
            # The op library installs tf.type_spec_from_value (it knows TensorArray).
            from tensorflux.framework.tensor import op_hooks

            try:
                other = op_hooks["type_spec_from_value"](other)
            except TypeError:
                return False
        if type(other) is not type(self):
            return False
        for mine, theirs in zip(self._fields(), other._fields()):
            if isinstance(mine, TensorShape):
                if not mine.is_compatible_with(theirs):
                    return False
            elif mine != theirs:
                return False
        return True

    def is_subtype_of(self, other) -> bool:
        """Whether every value this spec describes is described by ``other`` too."""
        if type(other) is not type(self):
            return False
        for mine, theirs in zip(self._fields(), other._fields()):
            if isinstance(mine, TensorShape):
                if theirs.rank is not None and (
                    mine.rank != theirs.rank
                    or any(
                        t is not None and m != t for m, t in zip(mine.as_list(), theirs.as_list())
                    )
                ):
                    return False
            elif mine != theirs:
                return False
        return True

    def most_specific_common_supertype(self, others):
        """The most specific spec describing this spec's values and all of ``others``';
        None when there is none."""
        fields = list(self._fields())
        for other in others:
            if type(other) is not type(self):
                return None
            for i, (mine, theirs) in enumerate(zip(fields, other._fields())):
                if isinstance(mine, TensorShape):
                    fields[i] = mine.most_specific_compatible_shape(theirs)
                elif mine != theirs:
                    return None
        return type(self)(*fields)

    def most_specific_compatible_type(self, other):
        """As ``most_specific_common_supertype([other])``, raising when there is none.

        Raises:
            ValueError: ``other`` is not of a compatible kind.
        """
        result = self.most_specific_common_supertype([other])
        if result is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return result

    def __eq__(self, other):
        return type(other) is type(self) and self._fields() == other._fields()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(self._fields()))

    def __repr__(self):
        return f"{type(self).__name__}{self._fields()!r}"


class NoneTensorSpec(TypeSpec):
    """The spec of ``None`` where a structure of values holds one.

    >>> import tensorflux as tf
    >>> tf.type_spec_from_value(None)
    NoneTensorSpec()
    """

    __slots__ = ()

    @property
    def value_type(self):
        return type(None)

    def _fields(self) -> tuple:
        return ()

    def is_compatible_with(self, spec_or_value) -> bool:
        return spec_or_value is None or isinstance(spec_or_value, NoneTensorSpec)

    def __repr__(self):
        return "NoneTensorSpec()"


class IndexedSlicesSpec(TypeSpec):
    """The spec of a ``tf.IndexedSlices``: the dense shape, the values' dtype, the
    indices' and dense shape's dtypes, and the shape of its dense-shape vector.

    >>> import tensorflux as tf
    >>> tf.IndexedSlicesSpec([None, 3], tf.float32)
    IndexedSlicesSpec(TensorShape([None, 3]), tf.float32, tf.int64, None, TensorShape([None]))
    """

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(
        self,
        shape=None,
        dtype=dtypes.float32,
        indices_dtype=dtypes.int64,
        dense_shape_dtype=None,
        indices_shape=None,
    ):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (
            None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        )
        self._indices_shape = TensorShape(indices_shape).with_rank(1)

    @property
    def value_type(self):
        from tensorflux.framework.indexed_slices import IndexedSlices

        return IndexedSlices

    def _fields(self) -> tuple:
        return (
            self._shape,
            self._dtype,
            self._indices_dtype,
            self._dense_shape_dtype,
            self._indices_shape,
        )


class TensorArraySpec(TypeSpec):
    """The spec of a ``tf.TensorArray``: its elements' shape and dtype, whether it
    grows, and whether it checks that its elements share one shape.

    >>> import tensorflux as tf
    >>> tf.TensorArraySpec([2], tf.float32)
    TensorArraySpec(TensorShape([2]), tf.float32, False, True)
    """

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape")

    def __init__(
        self, element_shape=None, dtype=dtypes.float32, dynamic_size=False, infer_shape=True
    ):
        self._element_shape = TensorShape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    @property
    def value_type(self):
        # The op library installs TensorArray's class here (the framework sits below it).
        from tensorflux.framework.tensor import op_hooks

        return op_hooks["TensorArray"]

    def _fields(self) -> tuple:
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)


class VariableSpec(TypeSpec):
    """The spec of a ``tf.Variable`` (what ``tf.type_spec_from_value`` gives for one)."""

    __slots__ = ("_shape", "_dtype", "_trainable", "_alias_id")

    def __init__(self, shape, dtype=dtypes.float32, trainable=True, alias_id=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._trainable = trainable
        self._alias_id = alias_id

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def value_type(self):
        from tensorflux.framework.variables import Variable

        return Variable

    def _fields(self) -> tuple:
        return (self._shape, self._dtype, self._trainable, self._alias_id)

    def __repr__(self):
        return (
            f"VariableSpec(shape={self._shape}, dtype={self._dtype!r}, "
            f"trainable={self._trainable}, alias_id={self._alias_id})"
        )
