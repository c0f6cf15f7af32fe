"""``tf.experimental.Optional`` and ``tf.OptionalSpec``: a value that may be absent, with
a tensor saying whether it is there (what ``Iterator.get_next_as_optional`` returns).

An Optional travels through ``tf.function`` as its components: the boolean
``has_value`` and the value's tensors (zeros of the value's spec when it is empty).
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes, nest
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["Optional", "OptionalSpec"]


def _spec_of(value):
    if isinstance(value, CompositeTensor):
        return value._type_spec
    t = convert_to_tensor(value)
    return TensorSpec(t.shape, t.dtype)


def _flat_tensors(value) -> list:
    out = []
    for leaf in nest.flatten(value):
        if isinstance(leaf, CompositeTensor):
            out.extend(leaf._components())
        else:
            out.append(convert_to_tensor(leaf))
    return out


def _zeros_like_spec(spec) -> list:
    """Placeholder tensors of an empty Optional's value."""
    out = []
    for leaf in nest.flatten(spec):
        if isinstance(leaf, CompositeSpec):
            out.extend(leaf._example()._components())
        else:
            dims = [0 if d is None else d for d in leaf.shape.as_list()] if leaf.shape.rank else []
            dtype = leaf.dtype.as_numpy_dtype
            out.append(
                Tensor(
                    np.zeros(dims, dtype=object if leaf.dtype == dtypes.string else dtype),
                    leaf.dtype,
                )
            )
    return out


def _rebuild(spec, components: list):
    leaves, position = [], 0
    for leaf in nest.flatten(spec):
        if isinstance(leaf, CompositeSpec):
            count = len(leaf._example()._components())
            leaves.append(
                leaf.value_type._from_components(
                    components[position : position + count], leaf._static_key()
                )
            )
            position += count
        else:
            leaves.append(components[position])
            position += 1
    return nest.pack_sequence_as(spec, leaves)


class Optional(CompositeTensor):
    """A value that is either present or absent (``tf.experimental.Optional``).

    >>> import tensorflux as tf
    >>> present = tf.experimental.Optional.from_value(42)
    >>> bool(present.has_value()), int(present.get_value())
    (True, 42)
    >>> absent = tf.experimental.Optional.empty(tf.TensorSpec([], tf.int32))
    >>> bool(absent.has_value())
    False
    """

    __slots__ = ("_has_value", "_components_list", "_element_spec")

    def __init__(self, has_value, components, element_spec):
        self._has_value = convert_to_tensor(has_value, dtypes.bool)
        self._components_list = list(components)
        self._element_spec = element_spec

    @staticmethod
    def from_value(value) -> Optional:
        """An Optional holding ``value`` (a tensor or a structure of them)."""
        spec = nest.map_structure(_spec_of, value)
        return Optional(True, _flat_tensors(value), spec)

    @staticmethod
    def empty(element_spec) -> Optional:
        """An Optional without a value, for values of ``element_spec``."""
        return Optional(False, _zeros_like_spec(element_spec), element_spec)

    def has_value(self, name=None) -> Tensor:
        """A scalar bool tensor: whether a value is present."""
        return self._has_value

    def get_value(self, name=None):
        """The value.

        Raises:
            InvalidArgumentError: the Optional is empty.
        """
        if isinstance(self._has_value, Tensor) and not hasattr(self._has_value, "graph"):
            if not bool(np.asarray(self._has_value._value)):
                raise InvalidArgumentError(
                    None,
                    "OptionalGetValue",
                    "The given optional does not have a value. [Op:OptionalGetValue]",
                )
        return _rebuild(self._element_spec, self._components_list)

    @property
    def element_spec(self):
        """The spec of the value this Optional holds (or would hold)."""
        return self._element_spec

    def _components(self) -> tuple:
        return (self._has_value, *self._components_list)

    def _static_key(self):
        return self._element_spec

    def _relaxed_shapes(self) -> tuple:
        return tuple(t.shape for t in self._components())

    @classmethod
    def _from_components(cls, components, static_key) -> Optional:
        return cls(components[0], components[1:], static_key)

    @property
    def _type_spec(self) -> OptionalSpec:
        return OptionalSpec(self._element_spec)

    def __repr__(self):
        return f"<tensorflux.experimental.Optional element_spec={self._element_spec!r}>"


class OptionalSpec(CompositeSpec):
    """The spec of an Optional: the spec of the value it may hold (``tf.OptionalSpec``).

    >>> import tensorflux as tf
    >>> tf.OptionalSpec(tf.TensorSpec([], tf.int32))
    OptionalSpec(TensorSpec(shape=(), dtype=tf.int32, name=None),)
    """

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @staticmethod
    def from_value(value) -> OptionalSpec:
        """The spec of the Optional ``value``."""
        return OptionalSpec(value.element_spec)

    @property
    def value_type(self):
        return Optional

    def _fields(self) -> tuple:
        return (self._element_spec,)

    def _static_key(self):
        return self._element_spec

    def _example(self) -> Optional:
        return Optional.empty(self._element_spec)

    def is_compatible_with(self, other) -> bool:
        """Whether ``other`` (an Optional or its spec) holds values of a compatible spec."""
        spec = (
            other.element_spec
            if isinstance(other, Optional)
            else getattr(other, "_element_spec", None)
        )
        if spec is None:
            return False
        try:
            pairs = zip(nest.flatten(self._element_spec), nest.flatten(spec))
            nest.assert_same_structure(self._element_spec, spec)
        except (ValueError, TypeError):
            return False
        return all(a.is_compatible_with(b) for a, b in pairs)

    def __repr__(self):
        # TF prints a spec as its class and the tuple of its fields.
        return f"OptionalSpec({self._element_spec!r},)"
