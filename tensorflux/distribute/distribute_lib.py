"""The strategy interface: ``Strategy``, ``StrategyExtended``, ``ReplicaContext``, the
default strategy, and which strategy and context are current.

A strategy runs ``num_replicas_in_sync`` replicas of a computation: ``local replicas``
in this process (run one after the other, see ``replica_threads``) times the processes
of a multi-worker launch (joined by a ``Collective``). Variables are not copied per
replica: every local replica reads and updates the same variable, and the processes
keep theirs equal by all-reducing the updates (the gradients) before applying them.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

from tensorflux.distribute import (
    mirrored_updates,  # noqa: F401 - installs its Variable hook
    replica_threads,
)
from tensorflux.distribute.collective import LocalCollective
from tensorflux.distribute.cross_device_ops import reduce_replica_values
from tensorflux.distribute.reduce_op import ReduceOp, as_reduce_op
from tensorflux.distribute.values import DistributedValues, PerReplica, regroup, select_replica
from tensorflux.framework import nest
from tensorflux.framework.tensor import convert_to_tensor, op_hooks
from tensorflux.framework.variable_creator import variable_creator_scope
from tensorflux.framework.variable_enums import VariableSynchronization

__all__ = [
    "ReplicaContext",
    "RunOptions",
    "Strategy",
    "StrategyExtended",
    "experimental_set_strategy",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
]


def _named_reduce_op(reduce_op) -> ReduceOp:
    """``reduce_op`` as a ReduceOp; TF's reductions take its name in any case ("sum")."""
    if isinstance(reduce_op, str):
        reduce_op = reduce_op.upper()
    return as_reduce_op(reduce_op)


class _State(threading.local):
    """``scopes``: the strategies whose ``scope()`` is open, innermost last;
    ``replicas``: the replica contexts entered (None: a ``merge_call`` back in
    cross-replica context), innermost last."""

    def __init__(self):
        self.scopes: list = []
        self.replicas: list = []


_state = _State()
_set_strategy = {"scope": None}


def scope_stack() -> list:
    """The strategies whose scope is open in this thread (replica threads copy it)."""
    return _state.scopes


class RunOptions:
    """Options of ``Strategy.run`` (``tf.distribute.RunOptions``); they concern TPUs and
    change nothing here."""

    def __init__(
        self,
        experimental_enable_dynamic_batch_size=True,
        experimental_bucketizing_dynamic_shape=False,
        experimental_xla_options=None,
    ):
        self.experimental_enable_dynamic_batch_size = experimental_enable_dynamic_batch_size
        self.experimental_bucketizing_dynamic_shape = experimental_bucketizing_dynamic_shape
        self.experimental_xla_options = experimental_xla_options


class StrategyExtended:
    """The less common parts of a strategy (``strategy.extended``): its devices, where
    variables were created, and which worker writes checkpoints and summaries.

    Args:
        devices: the local replicas' device names.
        collective: the processes' ``Collective``.
    """

    def __init__(self, devices, collective=None):
        self._strategy = None
        self._local_devices = tuple(devices)
        self._collective = collective or LocalCollective()

    @property
    def _num_local_replicas(self) -> int:
        return len(self._local_devices)

    @property
    def _num_replicas_in_sync(self) -> int:
        return self._num_local_replicas * self._collective.size

    @property
    def _replica_offset(self) -> int:
        return self._collective.rank * self._num_local_replicas

    @property
    def worker_devices(self) -> tuple:
        """The devices of this worker's replicas."""
        return self._local_devices

    @property
    def parameter_devices(self) -> tuple:
        """The devices holding the variables (those of the replicas)."""
        return self._local_devices

    @property
    def experimental_require_static_shapes(self) -> bool:
        return False

    @property
    def should_checkpoint(self) -> bool:
        """Whether this worker writes checkpoints (the chief, worker 0, only)."""
        return self._collective.rank == 0

    @property
    def should_save_summary(self) -> bool:
        """Whether this worker writes summaries (the chief only)."""
        return self._collective.rank == 0

    @property
    def should_init(self) -> bool:
        return True

    def _on_variable_created(self, variable) -> None:
        """Called for each variable created in the scope (a multi-worker strategy makes
        the workers' initial values equal)."""

    def variable_created_in_scope(self, v) -> bool:
        """Whether ``v`` was created inside this strategy's ``scope()``."""
        return getattr(v, "_distribute_strategy", None) is self._strategy

    def reduce_to(self, reduce_op, value, destinations=None, options=None):
        """``value`` reduced over the replicas (as ``Strategy.reduce`` with no axis)."""
        return self._strategy.reduce(reduce_op, value, axis=None)

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None) -> list:
        """``reduce_to`` of each ``(value, destinations)`` pair."""
        return [self.reduce_to(reduce_op, v, d) for v, d in value_destination_pairs]

    def update(self, var, fn, args=(), kwargs=None, group=True):
        """Runs ``fn(var, *args, **kwargs)`` once (variables are shared by the local
        replicas)."""
        return fn(var, *select_replica(0, args), **select_replica(0, kwargs or {}))

    def value_container(self, value):
        """The container of ``value``: the value itself (nothing is mirrored)."""
        return value

    def colocate_vars_with(self, colocate_with_variable):
        """A scope placing new variables with ``colocate_with_variable``: one host here."""
        return contextlib.nullcontext()


class Strategy:
    """Distributes a computation over replicas (``tf.distribute.Strategy``).

    Created through a subclass (``MirroredStrategy``, ``MultiWorkerMirroredStrategy``,
    ``OneDeviceStrategy``); ``get_strategy()`` returns the default one.
    """

    def __init__(self, extended: StrategyExtended):
        self._extended = extended
        extended._strategy = self

    @property
    def extended(self) -> StrategyExtended:
        return self._extended

    @property
    def num_replicas_in_sync(self) -> int:
        """The replicas that take part in each step, over every worker."""
        return self._extended._num_replicas_in_sync

    @property
    def cluster_resolver(self):
        """The cluster resolver of a multi-worker strategy; None otherwise."""
        return None

    def scope(self):
        """A context in which this strategy is current and creates the variables.

        Raises:
            RuntimeError: another strategy's scope is open.
        """
        return _Scope(self)

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` on each replica; a ``PerReplica`` argument gives each
        replica its own value. Returns the result, with ``PerReplica`` leaves where the
        local replicas are several.

        >>> import tensorflux as tf
        >>> tf.distribute.OneDeviceStrategy("/cpu:0").run(lambda x: x + 1, args=(1,))
        2
        """
        kwargs = kwargs or {}
        extended = self._extended
        if extended._num_local_replicas > 1:
            replicated = self._replicated_function(fn)
            if replicated is not None:
                return replicated(*args, **kwargs)

        def replica_fn(local_id: int):
            context = ReplicaContext(self, extended._replica_offset + local_id)
            context._local_id = local_id
            with context:
                return fn(*select_replica(local_id, args), **select_replica(local_id, kwargs))

        with self.scope():
            results = replica_threads.run_replicas(extended._num_local_replicas, replica_fn)
        return regroup(results)

    def _replicated_function(self, fn):
        """For a ``tf.function`` ``fn`` run on several local replicas: a function that
        runs ``fn``'s Python function on every replica inside one tf.function (as TF
        does), cached per ``fn``; else None. Tracing ``fn`` itself in each replica thread
        would wait forever: the first replica holds its trace while it waits for the
        others at an all-reduce."""
        from tensorflux.engine.function import Function
        from tensorflux.engine.function import function as tf_function

        if not isinstance(fn, Function):
            return None
        cache = self.__dict__.setdefault("_replicated_functions", weakref.WeakKeyDictionary())
        traced = cache.get(fn)
        if traced is None:
            python_function = fn.python_function

            # A tf.function takes and returns tensors in plain structures: one
            # (args, kwargs) and one result per replica, regrouped on either side.
            def run_on_replicas(replica_inputs):
                args, kwargs = regroup(list(replica_inputs))
                results = self.run(python_function, args=args, kwargs=kwargs)
                return tuple(self.experimental_local_results(results))

            traced = cache[fn] = tf_function(run_on_replicas)
        count = self._extended._num_local_replicas

        def replicated(*args, **kwargs):
            inputs = tuple(select_replica(i, (args, kwargs)) for i in range(count))
            return regroup(list(traced(inputs)))

        return replicated

    def experimental_local_results(self, value) -> tuple:
        """The local replicas' values of ``value`` (a tuple; one item for a plain value)."""
        if isinstance(value, DistributedValues):
            return value.values
        if isinstance(value, (list, tuple, dict)) and any(
            isinstance(v, DistributedValues) for v in nest.flatten(value)
        ):
            n = self._extended._num_local_replicas
            return tuple(select_replica(i, value) for i in range(n))
        return (value,)

    def reduce(self, reduce_op, value, axis):
        """``value``'s replicas reduced into one tensor (SUM or MEAN); with ``axis``, each
        replica's value is reduced along it first (a MEAN over every element).

        Raises:
            ValueError: ``reduce_op`` is not a ReduceOp or its name.
        """
        from tensorflux.ops.math_ops import cast, truediv
        from tensorflux.ops.reduction_ops import reduce_sum
        from tensorflux.ops.shape_ops import shape

        reduce_op = _named_reduce_op(reduce_op)
        locals_ = [convert_to_tensor(v) for v in self.experimental_local_results(value)]
        collective = self._extended._collective
        if not isinstance(value, DistributedValues) and self._extended._num_local_replicas > 1:
            # A plain value stands for the same value on every local replica: its mean is
            # itself, and TF refuses to guess its sum. (With one local replica it is that
            # replica's value.)
            if reduce_op is ReduceOp.SUM:
                raise ValueError(
                    f"A non-DistributedValues value {locals_[0]!s} cannot be reduced with "
                    f"the given reduce op {reduce_op}."
                )
            if axis is None:
                return locals_[0]
            locals_ = locals_ * self._extended._num_local_replicas
        if axis is None:
            (total,) = reduce_replica_values(
                reduce_op, [[v] for v in locals_], self.num_replicas_in_sync, collective
            )
            return total
        sums = [[reduce_sum(v, axis=axis)] for v in locals_]
        (total,) = reduce_replica_values(ReduceOp.SUM, sums, 1, collective)
        if reduce_op is ReduceOp.SUM:
            return total
        counts = [[cast(shape(v)[axis], total.dtype)] for v in locals_]
        (count,) = reduce_replica_values(ReduceOp.SUM, counts, 1, collective)
        return truediv(total, count)

    def gather(self, value, axis):
        """``value``'s replicas (of every worker) concatenated along ``axis``."""
        from tensorflux.ops.joining_ops import concat

        locals_ = [convert_to_tensor(v) for v in self.experimental_local_results(value)]
        collective = self._extended._collective
        if collective.size > 1:
            import numpy as np

            mine = np.concatenate([np.asarray(v._value) for v in locals_], axis=axis)
            parts = collective.allgather(np.moveaxis(mine, axis, 0))
            return convert_to_tensor(np.moveaxis(np.concatenate(parts, axis=0), 0, axis))
        return locals_[0] if len(locals_) == 1 else concat(locals_, axis=axis)

    def experimental_distribute_dataset(self, dataset, options=None):
        """``dataset`` whose global batches are split between the replicas; iterating
        gives ``PerReplica`` batches (a plain batch with one local replica)."""
        from tensorflux.distribute.input_lib import DistributedDataset

        return DistributedDataset(self, dataset, options)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """The dataset ``dataset_fn(input_context)`` returns, one per worker, whose batches
        (already per-replica sized) go to the local replicas in turn."""
        from tensorflux.distribute.input_lib import dataset_from_function

        return dataset_from_function(self, dataset_fn, options)

    def experimental_distribute_values_from_function(self, value_fn):
        """``PerReplica`` of ``value_fn(ValueContext)`` for each local replica."""
        from tensorflux.distribute.input_lib import ValueContext

        extended = self._extended
        values = [
            value_fn(ValueContext(extended._replica_offset + i, self.num_replicas_in_sync))
            for i in range(extended._num_local_replicas)
        ]
        return regroup(values)


class _Scope:
    """``with strategy.scope():`` -- makes the strategy current and tags the variables
    created inside as created in it."""

    def __init__(self, strategy: Strategy):
        self._strategy = strategy
        self._creator = None

    def __enter__(self):
        current = get_strategy()
        if current is not self._strategy and current is not _default():
            raise RuntimeError(
                f"Mixing different tf.distribute.Strategy objects: {current} is not "
                f"{self._strategy}"
            )
        strategy = self._strategy

        def creator(next_creator, **kwargs):
            variable = next_creator(**kwargs)
            variable._distribute_strategy = strategy
            if variable._synchronization is VariableSynchronization.AUTO:
                # What TF's mirrored variables resolve AUTO to.
                variable._synchronization = VariableSynchronization.ON_WRITE
            strategy.extended._on_variable_created(variable)
            return variable

        self._creator = variable_creator_scope(creator)
        self._creator.__enter__()
        _state.scopes.append(strategy)
        return strategy

    def __exit__(self, *exc):
        _state.scopes.pop()
        self._creator.__exit__(*exc)
        return False


class ReplicaContext:
    """The context of one replica inside ``Strategy.run`` (``tf.distribute.ReplicaContext``):
    its id, and the operations that combine the replicas' values."""

    def __init__(self, strategy: Strategy, replica_id_in_sync_group):
        self._strategy = strategy
        self._replica_id = replica_id_in_sync_group
        self._local_id = 0

    def __enter__(self):
        _state.replicas.append(self)
        return self

    def __exit__(self, *exc):
        _state.replicas.pop()
        return False

    @property
    def strategy(self) -> Strategy:
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        """This replica's index among all replicas (an int32 tensor)."""
        from tensorflux.framework import dtypes
        from tensorflux.framework.tensor import constant

        return constant(self._replica_id, dtype=dtypes.int32)

    @property
    def devices(self) -> tuple:
        return (self._strategy.extended.worker_devices[self._local_id],)

    def _synchronise(self, value, combine):
        position = replica_threads.current_turns()
        if position is None:
            return combine([value])
        turns, replica = position
        return turns.synchronise(replica, value, combine)

    def all_reduce(self, reduce_op, value, options=None):
        """``value`` (a nested structure of tensors) reduced over every replica; every
        replica gets the result. All replicas must call it, in the same order."""
        reduce_op = _named_reduce_op(reduce_op)
        flat = nest.flatten(value)
        extended = self._strategy.extended

        def combine(deposits):
            return reduce_replica_values(
                reduce_op, deposits, self.num_replicas_in_sync, extended._collective
            )

        return nest.pack_sequence_as(value, self._synchronise(flat, combine))

    def all_gather(self, value, axis, options=None):
        """``value``'s tensors of every replica concatenated along ``axis``."""
        strategy = self._strategy

        def combine(deposits):
            columns = list(zip(*deposits))
            return [strategy.gather(PerReplica(c) if len(c) > 1 else c[0], axis) for c in columns]

        return nest.pack_sequence_as(value, self._synchronise(nest.flatten(value), combine))

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """``merge_fn(strategy, *args, **kwargs)`` run once, in cross-replica context, with
        each argument as the ``PerReplica`` of the replicas' values; every replica gets
        its result."""
        kwargs = kwargs or {}
        strategy = self._strategy

        def combine(deposits):
            merged_args, merged_kwargs = regroup(deposits)
            _state.replicas.append(None)
            try:
                return merge_fn(strategy, *merged_args, **merged_kwargs)
            finally:
                _state.replicas.pop()

        return self._synchronise((tuple(args), kwargs), combine)


class _DefaultReplicaContext(ReplicaContext):
    """The replica context outside any strategy: one replica, id 0."""

    @property
    def replica_id_in_sync_group(self) -> int:
        return 0


class _DefaultDistributionExtended(StrategyExtended):
    def variable_created_in_scope(self, v) -> bool:
        return True


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect outside any scope: one replica, on the current device."""

    def __init__(self):
        super().__init__(_DefaultDistributionExtended(["/device:CPU:0"]))

    def scope(self):
        return contextlib.nullcontext(self)

    def run(self, fn, args=(), kwargs=None, options=None):
        return fn(*args, **(kwargs or {}))


_defaults = {}


def _default() -> Strategy:
    if "strategy" not in _defaults:
        _defaults["strategy"] = _DefaultDistributionStrategy()
        _defaults["replica"] = _DefaultReplicaContext(_defaults["strategy"], 0)
    return _defaults["strategy"]


def get_strategy() -> Strategy:
    """The current strategy: the one whose scope (or ``run``) is open, else the default.

    >>> import tensorflux as tf
    >>> tf.distribute.get_strategy().num_replicas_in_sync
    1
    """
    if _state.replicas and _state.replicas[-1] is not None:
        return _state.replicas[-1].strategy
    if _state.scopes:
        return _state.scopes[-1]
    return _default()


def has_strategy() -> bool:
    """Whether a strategy other than the default one is current."""
    return get_strategy() is not _default()


def in_cross_replica_context() -> bool:
    """Whether code runs in a strategy's scope but not in a replica (``run``)."""
    if _state.replicas:
        return _state.replicas[-1] is None
    return bool(_state.scopes)


def _replica_id(strategy):
    """This replica's id inside ``strategy``'s ``run``, or None elsewhere (a
    ``tf.random.Generator`` created under ``strategy`` hashes it into its key)."""
    if not _state.replicas or _state.replicas[-1] is None:
        return None
    context = _state.replicas[-1]
    return context._replica_id if context.strategy is strategy else None


op_hooks["replica_id"] = _replica_id


def get_replica_context():
    """The current ``ReplicaContext``: the replica's inside ``run``, None in
    cross-replica context, the default one outside any strategy."""
    if _state.replicas:
        return _state.replicas[-1]
    if _state.scopes:
        return None
    _default()
    return _defaults["replica"]


def experimental_set_strategy(strategy) -> None:
    """Makes ``strategy`` current for the rest of the program (None: the default again),
    as entering its scope for good.

    Raises:
        RuntimeError: another strategy's scope is open.
    """
    old = _set_strategy["scope"]
    if old is not None:
        old.__exit__(None, None, None)
        _set_strategy["scope"] = None
    if strategy is not None:
        scope = strategy.scope()
        scope.__enter__()
        _set_strategy["scope"] = scope
