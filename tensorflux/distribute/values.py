"""Values that live on several replicas: ``DistributedValues`` and ``PerReplica``."""

from __future__ import annotations

from tensorflux.framework import nest
from tensorflux.framework.composite_tensor import CompositeSpec, CompositeTensor
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.creation_ops import zeros

__all__ = [
    "DistributedValues",
    "DistributedValuesSpec",
    "PerReplica",
    "Mirrored",
    "regroup",
    "select_replica",
]


class DistributedValues(CompositeTensor):
    """One value per local replica (``tf.distribute.DistributedValues``); what
    ``Strategy.run`` returns and a distributed dataset yields with several replicas.
    ``strategy.experimental_local_results`` lists the values.

    As in TF it is a composite of its values' tensors: a ``tf.function`` takes it as an
    argument (one trace for every batch of a distributed dataset) and returns it.

    Args:
        values: the replicas' values, in replica order.
    """

    __slots__ = ("_values",)

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self) -> tuple:
        """The per-replica values (as TF's ``_values``)."""
        return self._values

    def _components(self) -> tuple:
        return tuple(convert_to_tensor(v) for v in self._values)

    def _static_key(self):
        return len(self._values)

    def _relaxed_shapes(self) -> tuple:
        return tuple(c.shape for c in self._components())

    @classmethod
    def _from_components(cls, components, static_key):
        return cls(components)

    @property
    def _type_spec(self) -> DistributedValuesSpec:
        return DistributedValuesSpec(
            type(self), *(TensorSpec(c.shape, c.dtype) for c in self._components())
        )

    def __repr__(self):
        parts = ",\n".join(f"  {i}: {value!r}" for i, value in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{parts}\n}}"

    def __str__(self):
        parts = ",\n".join(f"  {i}: {str(value)}" for i, value in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{parts}\n}}"


class PerReplica(DistributedValues):
    """Values that may differ between replicas (a batch's shards, per-replica losses)."""


class Mirrored(DistributedValues):
    """Values that are equal on every replica (the result of an all-reduce)."""


class DistributedValuesSpec(CompositeSpec):
    """The specs of a distributed value's per-replica tensors (TF's ``PerReplicaSpec``):
    what a ``tf.function`` taking one records in its signature."""

    __slots__ = ("_value_type", "_specs")

    def __init__(self, value_type, *value_specs):
        self._value_type = value_type
        self._specs = tuple(value_specs)

    @property
    def value_type(self):
        return self._value_type

    def _static_key(self):
        return len(self._specs)

    def _example(self) -> DistributedValues:
        return self._value_type(
            [zeros([d or 0 for d in s.shape.as_list()], s.dtype) for s in self._specs]
        )

    def _relaxed_shapes(self) -> tuple:
        return tuple(s.shape for s in self._specs)

    def is_compatible_with(self, other) -> bool:
        """True for a spec or value of the same kind whose replicas' tensors match."""
        if isinstance(other, DistributedValues):
            other = other._type_spec
        return (
            isinstance(other, DistributedValuesSpec)
            and other._value_type is self._value_type
            and len(other._specs) == len(self._specs)
            and all(a.is_compatible_with(b) for a, b in zip(self._specs, other._specs))
        )

    def _fields(self) -> tuple:
        return (self._value_type, self._specs)

    def __eq__(self, other):
        return isinstance(other, DistributedValuesSpec) and self._fields() == other._fields()

    def __hash__(self):
        return hash((DistributedValuesSpec, *self._fields()))

    def __repr__(self):
        specs = ", ".join(repr(s) for s in self._specs)
        return f"{self._value_type.__name__}Spec({specs})"


def regroup(per_replica_results: list, wrap=PerReplica):
    """The results of the replicas (one structure each) as one structure whose leaves
    are ``wrap`` values; a single replica's result is returned as it is, and so is a
    non-tensor leaf that is the same object on every replica (a Python number, a shared
    variable)."""
    from tensorflux.framework.tensor import is_tensor

    if len(per_replica_results) == 1:
        return per_replica_results[0]

    def group(*leaves):
        if not is_tensor(leaves[0]) and all(leaf is leaves[0] for leaf in leaves):
            return leaves[0]
        return wrap(leaves)

    return nest.map_structure(group, *per_replica_results)


def select_replica(replica_id: int, structure):
    """``structure`` with each DistributedValues replaced by replica ``replica_id``'s value."""
    return nest.map_structure(
        lambda x: x._values[replica_id] if isinstance(x, DistributedValues) else x,
        structure,
    )
