"""Values that live on several replicas: ``DistributedValues`` and ``PerReplica``."""

from __future__ import annotations

from tensorflux.framework import nest

__all__ = ["DistributedValues", "PerReplica", "Mirrored", "regroup", "select_replica"]


class DistributedValues:
    """One value per local replica (``tf.distribute.DistributedValues``); what
    ``Strategy.run`` returns and a distributed dataset yields with several replicas.
    ``strategy.experimental_local_results`` lists the values.

    Args:
        values: the replicas' values, in replica order.
    """

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self) -> tuple:
        """The per-replica values (as TF's ``_values``)."""
        return self._values

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
