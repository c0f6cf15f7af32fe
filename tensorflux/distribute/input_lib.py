"""Input for strategies: ``InputContext``, ``InputOptions`` and the distributed
datasets, whose global batches are split between the replicas of every worker."""

from __future__ import annotations

import enum

from tensorflux.distribute.values import DistributedValuesSpec, PerReplica, regroup
from tensorflux.framework import nest
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = [
    "DistributedDataset",
    "DistributedIterator",
    "InputContext",
    "InputOptions",
    "InputReplicationMode",
    "ValueContext",
    "dataset_from_function",
    "split_batch",
]


class InputReplicationMode(enum.Enum):
    """Whether a worker's dataset feeds all its replicas (``PER_WORKER``) or each replica
    has its own (``PER_REPLICA``)."""

    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputOptions:
    """Options of the distributed datasets (``tf.distribute.InputOptions``); the device
    placement ones change nothing on a single host."""

    def __init__(
        self,
        experimental_fetch_to_device=None,
        experimental_replication_mode=InputReplicationMode.PER_WORKER,
        experimental_place_dataset_on_device=False,
        experimental_per_replica_buffer_size=1,
    ):
        self.experimental_fetch_to_device = (
            True if experimental_fetch_to_device is None else experimental_fetch_to_device
        )
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size

    def __repr__(self):
        return (
            f"InputOptions(experimental_fetch_to_device={self.experimental_fetch_to_device}, "
            f"experimental_replication_mode={self.experimental_replication_mode!r}, "
            "experimental_place_dataset_on_device="
            f"{self.experimental_place_dataset_on_device}, "
            "experimental_per_replica_buffer_size="
            f"{self.experimental_per_replica_buffer_size})"
        )


class InputContext:
    """What a ``dataset_fn`` of ``distribute_datasets_from_function`` is told: the
    number of input pipelines (workers), this one's id and the replicas in sync.

    >>> InputContext(2, 1, 4).get_per_replica_batch_size(8)
    2
    """

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self._num_input_pipelines = num_input_pipelines
        self._input_pipeline_id = input_pipeline_id
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_input_pipelines(self) -> int:
        return self._num_input_pipelines

    @property
    def input_pipeline_id(self) -> int:
        return self._input_pipeline_id

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """``global_batch_size`` divided by the replicas in sync.

        Raises:
            ValueError: it does not divide evenly.
        """
        if global_batch_size % self._num_replicas_in_sync != 0:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by "
                f"`num_replicas_in_sync` {self._num_replicas_in_sync} "
            )
        return global_batch_size // self._num_replicas_in_sync

    def __str__(self):
        return (
            f"tf.distribute.InputContext(input pipeline id {self._input_pipeline_id}, "
            f"total: {self._num_input_pipelines})"
        )


class ValueContext:
    """What ``experimental_distribute_values_from_function``'s function is told
    (``tf.distribute.experimental.ValueContext``)."""

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self._replica_id_in_sync_group = replica_id_in_sync_group
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> int:
        return self._replica_id_in_sync_group

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas_in_sync


def split_batch(batch, num_replicas: int, first: int, count: int) -> list:
    """Replicas ``first .. first + count - 1``'s shards of a global ``batch`` (a nested
    structure of tensors), as TF rebatches: consecutive runs of examples, the first
    ``size % num_replicas`` replicas taking one more (a batch of 3 on 2 replicas: 2 and
    1; of 1: 1 and an empty shard)."""
    from tensorflux.framework.tensor import convert_to_tensor

    leaves = [convert_to_tensor(x) for x in nest.flatten(batch)]
    size = int(leaves[0].shape[0]) if leaves and leaves[0].shape.rank else 0
    base, extra = divmod(size, num_replicas)
    shards = []
    for replica in range(first, first + count):
        start = replica * base + min(replica, extra)
        stop = start + base + (1 if replica < extra else 0)
        shards.append(nest.pack_sequence_as(batch, [x[start:stop] for x in leaves]))
    return shards


class DistributedIterator:
    """Iterates a ``DistributedDataset``: each item is one step's input of this worker's
    replicas (``PerReplica``, or the plain batch with one local replica)."""

    def __init__(self, strategy, batches, element_spec):
        self._strategy = strategy
        self._batches = batches
        self._element_spec = element_spec

    @property
    def element_spec(self):
        """The spec of each item (``PerReplicaSpec`` leaves with several replicas)."""
        return self._element_spec

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._batches)

    def get_next(self):
        """The next item.

        Raises:
            OutOfRangeError: the dataset is exhausted.
        """
        from tensorflux.framework.errors import OutOfRangeError

        try:
            return next(self._batches)
        except StopIteration:
            raise OutOfRangeError(None, None, "End of sequence") from None

    def get_next_as_optional(self):
        """The next item as a ``tf.experimental.Optional``, empty at the end."""
        from tensorflux.ops.optional_ops import Optional

        try:
            return Optional.from_value(next(self._batches))
        except StopIteration:
            return Optional.empty(self._element_spec)


class DistributedDataset:
    """A dataset distributed by a strategy (``tf.distribute.DistributedDataset``): its
    global batches split between every worker's replicas. Iterate it (a Python ``for``,
    also inside ``tf.function``) to get each step's ``PerReplica`` input."""

    def __init__(self, strategy, dataset, options=None, per_replica_batches=False):
        self._strategy = strategy
        self._dataset = dataset
        self._options = options
        self._per_replica_batches = per_replica_batches

    def _batches(self):
        extended = self._strategy.extended
        local = extended._num_local_replicas
        if self._per_replica_batches:
            group = []
            for batch in self._dataset:
                group.append(batch)
                if len(group) == local:
                    yield regroup(group)
                    group = []
            return
        for batch in self._dataset:
            yield regroup(
                split_batch(
                    batch, self._strategy.num_replicas_in_sync, extended._replica_offset, local
                )
            )

    def __iter__(self):
        return DistributedIterator(self._strategy, self._batches(), self.element_spec)

    @property
    def element_spec(self):
        """The spec of each step's input: with several local replicas, each leaf a
        ``PerReplicaSpec`` of the replicas' shards (a known batch size split evenly, or
        unknown)."""
        local = self._strategy.extended._num_local_replicas
        spec = self._dataset.element_spec
        if local == 1:
            return spec
        replicas = self._strategy.num_replicas_in_sync

        def per_replica(leaf):
            if not self._per_replica_batches and leaf.shape.rank:
                batch = leaf.shape[0]
                shard = batch // replicas if batch is not None and batch % replicas == 0 else None
                leaf = TensorSpec([shard] + leaf.shape.as_list()[1:], leaf.dtype)
            return DistributedValuesSpec(PerReplica, *[leaf] * local)

        return nest.map_structure(per_replica, spec)

    @property
    def cardinality(self):
        """The number of steps (global batches), a NumPy int64 as TF's; negative when
        unknown or infinite (``tf.data.UNKNOWN_CARDINALITY``, ``INFINITE_CARDINALITY``)."""
        return self._dataset.cardinality().numpy()


def dataset_from_function(strategy, dataset_fn, options=None) -> DistributedDataset:
    """``distribute_datasets_from_function``: this worker's ``dataset_fn(InputContext)``,
    its batches given to the local replicas in turn."""
    collective = strategy.extended._collective
    context = InputContext(collective.size, collective.rank, strategy.num_replicas_in_sync)
    return DistributedDataset(strategy, dataset_fn(context), options, per_replica_batches=True)
