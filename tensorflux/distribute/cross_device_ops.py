"""How the replicas' values are combined: within this process (the local replicas) and
across the processes of a multi-worker launch (the collective).

``tf.distribute.CrossDeviceOps`` and its kinds (``ReductionToOneDevice``,
``HierarchicalCopyAllReduce``, ``NcclAllReduce``) all add the local replicas' values in
replica order here: every logical device is the host CPU, so there is one way to add.
"""

from __future__ import annotations

import numpy as np

from tensorflux.distribute.reduce_op import ReduceOp, as_reduce_op
from tensorflux.distribute.values import DistributedValues, Mirrored
from tensorflux.framework import context
from tensorflux.framework.tensor import convert_to_tensor

__all__ = [
    "CrossDeviceOps",
    "HierarchicalCopyAllReduce",
    "NcclAllReduce",
    "ReductionToOneDevice",
    "all_reduce_across_processes",
    "reduce_replica_values",
]


def _dense(value):
    from tensorflux.framework.indexed_slices import IndexedSlices

    if isinstance(value, IndexedSlices):
        from tensorflux.ops.math_ops import unsorted_segment_sum

        return unsorted_segment_sum(value.values, value.indices, value.dense_shape[0])
    return convert_to_tensor(value)


def all_reduce_across_processes(tensors: list, collective) -> list:
    """The element-wise sums of ``tensors`` over every process of ``collective``, in one
    exchange per dtype; inside a traced function the exchange is a graph node that runs
    on every call."""
    tensors = [_dense(t) for t in tensors]
    if collective.size == 1 or not tensors:
        return tensors
    if context.state.graph is None:
        return [
            convert_to_tensor(array)
            for array in _sum_arrays([np.asarray(t._value) for t in tensors], collective)
        ]
    from tensorflux.ops.array_ops import reshape
    from tensorflux.ops.script_ops import numpy_function
    from tensorflux.ops.shape_ops import shape

    summed = numpy_function(
        lambda *arrays: _sum_arrays(arrays, collective),
        tensors,
        [t.dtype for t in tensors],
    )
    return [reshape(s, shape(t)) for s, t in zip(summed, tensors)]


def _sum_arrays(arrays, collective) -> list:
    """One all-reduce per dtype over the arrays flattened end to end."""
    arrays = [np.asarray(a) for a in arrays]
    results = [None] * len(arrays)
    by_dtype: dict = {}
    for i, array in enumerate(arrays):
        by_dtype.setdefault(array.dtype, []).append(i)
    for dtype, indices in by_dtype.items():
        flat = np.concatenate([arrays[i].reshape(-1) for i in indices]).astype(dtype)
        total = collective.allreduce(flat)
        start = 0
        for i in indices:
            size = arrays[i].size
            results[i] = total[start : start + size].reshape(arrays[i].shape)
            start += size
    return results


def reduce_replica_values(reduce_op, replica_values: list, num_replicas: int, collective) -> list:
    """``replica_values`` (one list of tensors per local replica) reduced over every
    replica of every process: the sums, or for MEAN the sums divided by ``num_replicas``
    (the replicas in sync). One list of reduced tensors."""
    from tensorflux.ops.math_ops import add_n, cast, truediv

    reduce_op = as_reduce_op(reduce_op)
    columns = list(zip(*replica_values))
    local = [_dense(c[0]) if len(c) == 1 else add_n([_dense(v) for v in c]) for c in columns]
    total = all_reduce_across_processes(local, collective)
    if reduce_op is ReduceOp.MEAN and num_replicas > 1:
        # TF's true division: integer means are floats (int32 and int64 give float64).
        total = [truediv(t, cast(num_replicas, t.dtype)) for t in total]
    return total


class CrossDeviceOps:
    """Reduces and broadcasts values across the local replicas
    (``tf.distribute.CrossDeviceOps``); a strategy's ``cross_device_ops`` argument."""

    def reduce(self, reduce_op, per_replica_value, destinations=None, options=None):
        """``per_replica_value``'s replicas reduced (SUM or MEAN) into one tensor.

        Raises:
            ValueError: ``reduce_op`` is not a ReduceOp or its name.
        """
        from tensorflux.distribute.collective import LocalCollective

        values = (
            per_replica_value.values
            if isinstance(per_replica_value, DistributedValues)
            else (per_replica_value,)
        )
        (result,) = reduce_replica_values(
            reduce_op, [[v] for v in values], len(values), LocalCollective()
        )
        return result

    def batch_reduce(self, reduce_op, value_destination_pairs, options=None) -> list:
        """``reduce`` of each ``(per-replica value, destinations)`` pair."""
        return [self.reduce(reduce_op, value, dest) for value, dest in value_destination_pairs]

    def broadcast(self, tensor, destinations=None):
        """``tensor`` on each destination replica (a ``Mirrored`` value)."""
        count = len(destinations) if isinstance(destinations, (list, tuple)) else 1
        tensor = convert_to_tensor(tensor)
        return tensor if count == 1 else Mirrored([tensor] * count)


class ReductionToOneDevice(CrossDeviceOps):
    """Adds the replicas' values on one device, then copies the sum back
    (``tf.distribute.ReductionToOneDevice``)."""

    def __init__(self, reduce_to_device=None, accumulation_fn=None):
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn


class HierarchicalCopyAllReduce(CrossDeviceOps):
    """All-reduce through a hierarchy of copies (``tf.distribute.HierarchicalCopyAllReduce``);
    ``num_packs`` tensors are packed together."""

    def __init__(self, num_packs=1):
        if num_packs < 0:
            raise ValueError(
                f"NCCL all-reduce requires num_packs >= 0, but {num_packs} is specified"
            )
        self.num_packs = num_packs


class NcclAllReduce(HierarchicalCopyAllReduce):
    """All-reduce with NVIDIA's NCCL on GPUs (``tf.distribute.NcclAllReduce``); on this
    CPU engine the values are added in replica order like the others."""
