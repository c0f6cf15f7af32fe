"""Inference-table rows for the top-level array ops (``tf.roll``, ``tf.bitcast``,
``tf.dynamic_partition`` ...) and the functional ops.

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import (  # noqa: F401  (registers the ops)
    approx_top_k_ops,
    array_ops_extra,
    conv_generic_ops,
    edit_distance_ops,
    fingerprint_ops,
    partition_ops,
    ragged_fill_ops,
    random_index_shuffle_ops,
    volume_patches_ops,
)
from tensorflux.testing.op_samples import add_sample, f32, i32

_X = np.arange(12, dtype=np.float32).reshape(3, 4)


def _rows():
    add_sample("Bitcast", f32(2, 3), type=dtypes.uint8)
    add_sample("Bitcast", f32(2, 3), type=dtypes.int32)
    add_sample("Bitcast", np.ones((3, 4), np.int16), type=dtypes.int64)
    add_sample("BroadcastArgs", np.array([1, 3], np.int32), np.array([4, 2, 1], np.int32))
    add_sample("EnsureShape", f32(2, 3), shape=TensorShape([None, 3]))
    add_sample("EnsureShape", f32(2, 3), shape=TensorShape(None))
    add_sample("GuaranteeConst", f32(2, 3))
    add_sample("ReverseSequence", _X, np.array([2, 0, 4], np.int32), seq_dim=1, batch_dim=0)
    add_sample("Roll", _X, np.array([1, -2], np.int32), np.array([0, 1], np.int32))
    add_sample("Timestamp")
    add_sample("UniqueWithCounts", np.array([3, 1, 3, 2], np.int32), out_idx=dtypes.int64)
    add_sample("UnravelIndex", np.array([1, 5], np.int32), np.array([2, 3], np.int32))
    add_sample("UnravelIndex", np.int64(4), np.array([2, 3], np.int64))
    add_sample("DynamicPartition", _X, np.array([0, 2, 0], np.int32), num_partitions=3)
    add_sample("DynamicPartition", _X, i32(3, 4) % 2, num_partitions=2)
    add_sample(
        "DynamicStitch",
        np.array([0, 2], np.int32),
        np.array([[1]], np.int32),
        _X[:2],
        _X[2:].reshape(1, 1, 4),
        N=2,
    )
    idx, upd = np.array([[0, 1], [2, 2]], np.int32), np.array([5.0, -5.0], np.float32)
    add_sample("TensorScatterMax", _X, idx, upd)
    add_sample("TensorScatterMin", _X, idx, upd)
    seq, vals = np.sort(f32(2, 5), axis=1), f32(2, 3)
    add_sample("LowerBound", seq, vals, out_type=dtypes.int32)
    add_sample("UpperBound", seq, vals, out_type=dtypes.int64)
    add_sample(
        "HistogramFixedWidth",
        _X,
        np.array([0.0, 10.0], np.float32),
        np.int32(4),
        dtype=dtypes.int32,
    )

    add_sample("Fingerprint", i32(3, 4), np.array(b"farmhash64", dtype=object))
    add_sample(
        "Fingerprint", np.array([b"ab", b"c"], dtype=object), np.array(b"farmhash64", dtype=object)
    )
    add_sample("RandomIndexShuffle", np.arange(5, dtype=np.int32), np.array([1, 2, 3], np.int32),
               np.int32(4), rounds=4)  # fmt: skip
    add_sample("RandomIndexShuffle", np.int64(3), np.array([1, 2, 3], np.int64), np.int64(9),
               rounds=4)  # fmt: skip
    h_idx = np.array([[0, 0, 0], [1, 0, 1]], np.int64)
    t_idx = np.array([[0, 1, 0], [1, 0, 0]], np.int64)
    h_shape, t_shape = np.array([2, 1, 2], np.int64), np.array([2, 2, 1], np.int64)
    add_sample("EditDistance", h_idx, np.array([1, 2], np.int32), h_shape,
               t_idx, np.array([1, 3], np.int32), t_shape, normalize=True)  # fmt: skip
    add_sample("ApproxTopK", f32(2, 5), k=3, reduction_dimension=-1, recall_target=0.95,
               is_max_k=True, reduction_input_size_override=-1, aggregate_to_topk=True)  # fmt: skip

    conv = dict(strides=[1, 1, 1, 1], padding="SAME", explicit_paddings=[],
                data_format="CHANNELS_LAST", dilations=[], groups=1)  # fmt: skip
    add_sample("Conv", f32(2, 5, 5, 3), f32(3, 3, 3, 4), batch_dims=1, **conv)
    add_sample("Conv", f32(1, 2, 5, 5, 3), f32(2, 2, 3, 2), batch_dims=2, **conv)
    add_sample("ExtractVolumePatches", f32(2, 4, 5, 3, 2), ksizes=[1, 2, 2, 2, 1],
               strides=[1, 1, 2, 2, 1], padding="SAME")  # fmt: skip
    add_sample("RaggedFillEmptyRows", np.array([1, 1, 3], np.int64), f32(3), np.int64(5),
               np.float32(0))  # fmt: skip
    add_sample("RaggedFillEmptyRowsGrad", np.array([1, 2, 4], np.int64), f32(6))


_rows()
