"""The parts of ``fit`` that change under a ``tf.distribute`` strategy.

Nothing here imports ``tensorflux.distribute`` unless a program already did: a model
can only train under a strategy that was created.
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = [
    "aggregation_context",
    "check_update_in_scope",
    "check_variables_in_scope",
    "distributed_predict_step",
    "distributed_step",
    "gathered_across_workers",
    "loss_scale",
    "sharded",
    "strategy_in_scope",
    "strategy_of",
    "sum_metric_states",
    "synced_metric_results",
]


def _lib():
    return sys.modules.get("tensorflux.distribute.distribute_lib")


def strategy_in_scope():
    """The strategy whose scope is open (not the default one), or None."""
    lib = _lib()
    if lib is None or not lib.has_strategy():
        return None
    return lib.get_strategy()


def strategy_of(model):
    """The strategy ``model`` was compiled under, else the one in scope, else the one
    its variables were created under (TF records it when the model is made), or None."""
    strategy = model.__dict__.get("_distribution_strategy") or strategy_in_scope()
    # An unbuilt model has no variables (a Sequential refuses to list them).
    if strategy is None and _lib() is not None and getattr(model, "built", False):
        for variable in model.variables:
            strategy = getattr(variable, "_distribute_strategy", None)
            if strategy is not None:
                break
    return strategy


def check_variables_in_scope(model, strategy) -> None:
    """Raises ValueError, as tf_keras's ``compile``, when ``model`` has variables created
    outside ``strategy``'s scope."""
    for variable in model.variables:
        if not strategy.extended.variable_created_in_scope(variable):
            raise ValueError(
                f"Variable ({variable}) was not created in the distribution strategy scope "
                f"of ({strategy}). It is most likely because some layers, model, or "
                "optimizer was being created outside the distribution strategy scope. Try "
                "to make sure your code looks similar to the following.\n"
                "with strategy.scope():\n"
                "  model=_create_model()\n"
                "  model.compile(...)"
            )


def aggregation_context():
    """The ReplicaContext in which an optimizer must all-reduce its gradients before
    applying them (inside ``Strategy.run`` with several replicas in sync), or None."""
    lib = _lib()
    if lib is None:
        return None
    context = lib.get_replica_context()
    if context is None or isinstance(context, lib._DefaultReplicaContext):
        return None
    return context if context.num_replicas_in_sync > 1 else None


def check_update_in_scope(variables) -> None:
    """Inside ``Strategy.run``, raises ValueError (TF's message) for a variable to update
    that was not created in the strategy's scope: its replicas would not be kept equal."""
    lib = _lib()
    if lib is None:
        return
    context = lib.get_replica_context()
    if context is None or isinstance(context, lib._DefaultReplicaContext):
        return
    extended = context.strategy.extended
    for variable in variables:
        if not extended.variable_created_in_scope(variable):
            raise ValueError(
                "`colocate_vars_with` must only be passed a variable created in this "
                f"tf.distribute.Strategy.scope(), not: {variable!r}"
            )


def loss_scale() -> float:
    """What a mean loss is multiplied by so that the replicas' gradients add up to the
    global batch's gradient: ``1 / num_replicas_in_sync`` inside a replica, else 1."""
    context = aggregation_context()
    return 1.0 if context is None else 1.0 / context.num_replicas_in_sync


def distributed_step(strategy, step, metrics):
    """``step`` run by ``strategy`` on each local replica's shard of a batch: a function
    of the tuple of shards, returning the first replica's logs with the metrics' results
    read once every local replica has updated them (``metrics()`` lists the metrics,
    which the local replicas share)."""
    from tensorflux.distribute.values import PerReplica

    def run_step(shards):
        data = shards[0] if len(shards) == 1 else PerReplica(shards)
        outputs = strategy.run(step, args=(data,))
        logs = strategy.experimental_local_results(outputs)[0]
        if len(shards) > 1 and isinstance(logs, dict):
            logs = dict(logs)
            for metric in metrics():
                if metric.name in logs:
                    logs[metric.name] = metric.result()
        return logs

    run_step.__name__ = getattr(step, "__name__", "step")
    return run_step


def distributed_predict_step(strategy, step):
    """``step`` (``predict_step``) run by ``strategy`` on each local replica's shard of a
    batch: a function of the tuple of shards returning the local replicas' outputs
    joined in replica order, which is the shards' order in the batch."""
    from tensorflux.distribute.values import PerReplica
    from tensorflux.framework import nest
    from tensorflux.ops.joining_ops import concat

    def run_step(shards):
        data = shards[0] if len(shards) == 1 else PerReplica(shards)
        local = strategy.experimental_local_results(strategy.run(step, args=(data,)))
        if len(local) == 1:
            return local[0]
        return nest.map_structure(lambda *parts: concat(list(parts), 0), *local)

    run_step.__name__ = getattr(step, "__name__", "step")
    return run_step


def gathered_across_workers(strategy, function):
    """``function`` (of a global batch, returning this worker's rows of its outputs)
    returning every worker's rows, in worker order: the whole batch's outputs, as
    tf_keras gathers the replicas' predictions. Unchanged with one worker."""
    from tensorflux.framework import nest
    from tensorflux.framework.tensor import convert_to_tensor

    collective = strategy.extended._collective
    if collective.size == 1:
        return function

    def call(batch):
        def gather(rows):
            parts = collective.allgather(np.asarray(rows.numpy()))
            return convert_to_tensor(np.concatenate(parts, axis=0))

        return nest.map_structure(gather, function(batch))

    return call


def sharded(strategy, function):
    """``function`` (of the tuple of local shards) called with a global batch: the batch
    is split between the replicas of every worker as TF rebatches."""
    from tensorflux.distribute.input_lib import split_batch

    extended = strategy.extended

    def call(batch):
        shards = split_batch(
            batch,
            strategy.num_replicas_in_sync,
            extended._replica_offset,
            extended._num_local_replicas,
        )
        return function(tuple(shards))

    return call


def _summed_states(metrics, collective):
    """The metrics' variables, their values here, and their values summed over the
    workers."""
    from tensorflux.distribute.cross_device_ops import all_reduce_across_processes

    variables = [v for m in metrics for v in m.variables]
    local = [np.asarray(v.numpy()) for v in variables]
    return variables, local, all_reduce_across_processes(list(local), collective)


def synced_metric_results(metrics, logs: dict, strategy) -> dict:
    """``logs`` with each metric's result computed from its state summed over the
    workers (totals and counts add up), when there are several workers; the metrics
    keep their own states."""
    collective = strategy.extended._collective
    if collective.size == 1:
        return logs
    variables, local, summed = _summed_states(metrics, collective)
    logs = dict(logs)
    try:
        for variable, value in zip(variables, summed):
            variable.assign(value)
        for metric in metrics:
            if metric.name in logs:
                logs[metric.name] = metric.result()
    finally:
        for variable, value in zip(variables, local):
            variable.assign(value)
    return logs


def sum_metric_states(metrics, strategy) -> None:
    """Leaves each metric holding its state summed over the workers, when there are
    several: after an epoch or an evaluation, ``metric.result()`` then gives the whole
    run's result on every worker, as TF's metric variables (summed across replicas when
    read outside them) do."""
    collective = strategy.extended._collective
    if collective.size == 1:
        return
    variables, _, summed = _summed_states(metrics, collective)
    for variable, value in zip(variables, summed):
        variable.assign(value)
