"""Updates of a mirrored variable made inside ``Strategy.run``, combined as TF combines
them.

TF keeps one copy of a variable created in a strategy's scope per replica (a
``MirroredVariable``) and, when the replicas update it, combines their updates by the
variable's ``aggregation``: ``SUM`` and ``MEAN`` apply the sum or the mean of the
replicas' values to every copy, ``ONLY_FIRST_REPLICA`` applies the first replica's,
and ``NONE`` lets each replica update its own copy. Here the local replicas share one
variable, so the replicas' updates meet in a ``merge_call`` and one combined update is
applied: for ``NONE`` the first replica's, which is what TF's copies hold when the
replicas agree and what TF reads outside the replicas when they do not.

Variables read on demand (``ON_READ``: metrics, batch-norm statistics) keep their
per-replica updates: the shared variable sums them, as TF's read would.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import op_hooks
from tensorflux.framework.variable_enums import VariableAggregationV2, VariableSynchronization

__all__ = ["replica_update"]


class _Deposit:
    """One replica's update value, kept whole through ``merge_call``'s regrouping."""

    def __init__(self, value):
        self.value = value


def replica_update(variable, method: str, value) -> bool:
    """Applies ``variable.<method>(value)`` (``assign``, ``assign_add``, ``assign_sub``)
    made by every replica of a ``Strategy.run`` as one combined update; returns False,
    doing nothing, outside such a run or for a variable whose updates are not combined
    (created outside the strategy's scope, or ``ON_READ``).

    Raises:
        ValueError: a ``SUM`` variable updated with the same Python value on every
            replica (TF's message: the value is not distributed, and its sum is not
            guessed).
    """
    from tensorflux.distribute import distribute_lib as lib

    # Inside ``Strategy.run`` (not back in cross-replica context in a merge_call).
    replicas = lib._state.replicas
    context = replicas[-1] if replicas else None
    if (
        context is None
        or context.num_replicas_in_sync == 1
        or variable.synchronization is VariableSynchronization.ON_READ
        or not context.strategy.extended.variable_created_in_scope(variable)
    ):
        return False

    def merge(strategy, deposits):
        if isinstance(deposits, lib.DistributedValues):
            values = [d.value for d in deposits.values]
        else:
            values = [deposits.value]
        update = _combined(strategy, variable, values)
        getattr(variable, method)(update, read_value=False)

    context.merge_call(merge, args=(_Deposit(value),))
    return True


def _combined(strategy, variable, values: list):
    """The one update standing for the local replicas' ``values``."""
    from tensorflux.distribute.cross_device_ops import (
        all_reduce_across_processes,
        reduce_replica_values,
    )
    from tensorflux.distribute.reduce_op import ReduceOp
    from tensorflux.framework.tensor import convert_to_tensor, is_tensor
    from tensorflux.ops.creation_ops import zeros_like

    aggregation = variable.aggregation
    collective = strategy.extended._collective
    if aggregation in (VariableAggregationV2.NONE, VariableAggregationV2.ONLY_FIRST_REPLICA):
        first = values[0]
        if aggregation is VariableAggregationV2.ONLY_FIRST_REPLICA and collective.size > 1:
            # Worker 0 holds the first replica: the others add nothing to its value.
            first = convert_to_tensor(first, variable.dtype)
            own = first if collective.rank == 0 else zeros_like(first)
            first = all_reduce_across_processes([own], collective)[0]
        return first
    if not is_tensor(values[0]) and all(v is values[0] for v in values):
        # The same Python value on every replica: TF's mean of it is itself, and it
        # sums only zeros.
        if aggregation is VariableAggregationV2.MEAN or np.all(np.asarray(values[0]) == 0):
            return values[0]
        raise ValueError(
            f"A non-DistributedValues value {values[0]} cannot be reduced with the given "
            f"reduce op ReduceOp.SUM."
        )
    op = ReduceOp.SUM if aggregation is VariableAggregationV2.SUM else ReduceOp.MEAN
    columns = [[convert_to_tensor(v, variable.dtype)] for v in values]
    return reduce_replica_values(op, columns, strategy.num_replicas_in_sync, collective)[0]


op_hooks["replica_update"] = replica_update
