"""Inference-table rows for the sparse ops (``tf.sparse``).

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. A SparseTensor enters an op as its
three components: int64 indices ``[N, rank]``, values ``[N]`` and int64 dense shape.
"""

from __future__ import annotations

import numpy as np

import tensorflux.sparse  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample

_IND = np.array([[0, 1], [1, 0], [2, 1], [2, 3]], np.int64)
_VAL = np.array([0.5, -1.5, 2.0, 3.0], np.float32)
_SHAPE = np.array([3, 4], np.int64)
_B_IND = np.array([[0, 1], [1, 1]], np.int64)
_B_VAL = np.array([1.0, 2.0], np.float32)
_ST = (_IND, _VAL, _SHAPE)
_ST_B = (_B_IND, _B_VAL, _SHAPE)
_AXES = np.array([1], np.int32)


def _rows():
    add_sample("SparseToDense", _IND, _SHAPE, _VAL, np.float32(0), validate_indices=True)
    add_sample("SparseReorder", _IND[::-1].copy(), _VAL, _SHAPE)
    dense = np.ones((4, 2), np.float32)
    add_sample("SparseTensorDenseMatMul", *_ST, dense, adjoint_a=False, adjoint_b=False)
    add_sample("SparseTensorDenseMatMul", *_ST, np.ones((2, 3), np.float32), adjoint_a=True,
               adjoint_b=True)  # fmt: skip
    for name in ("SparseReduceSum", "SparseReduceMax"):
        add_sample(name, *_ST, _AXES, keep_dims=False)
        add_sample(name, *_ST, np.array([0, 1], np.int32), keep_dims=True)
        add_sample(f"{name}Sparse", *_ST, _AXES, keep_dims=True)
    add_sample("SparseAdd", *_ST, *_ST_B, np.float32(0.1))
    add_sample(
        "SparseAddGrad", np.ones(5, np.float32), _IND, _B_IND, np.concatenate([_IND, [[1, 1]]])
    )
    add_sample("SparseTensorDenseAdd", *_ST, np.ones((3, 4), np.float32))
    add_sample("SparseSparseMaximum", *_ST, *_ST_B)
    add_sample("SparseSparseMinimum", *_ST, *_ST_B)
    add_sample("SparseSoftmax", *_ST)
    for name in ("SparseDenseCwiseMul", "SparseDenseCwiseDiv"):
        add_sample(name, *_ST, np.array([1.0, 2.0, 3.0, 4.0], np.float32))
    add_sample("SparseConcat", _IND, _B_IND, _VAL, _B_VAL, _SHAPE, _SHAPE, concat_dim=1, N=2)
    add_sample("SparseReshape", _IND, _SHAPE, np.array([2, -1], np.int64))
    add_sample("SparseSlice", *_ST, np.array([1, 0], np.int64), np.array([2, 2], np.int64))
    add_sample("SparseFillEmptyRows", _IND, _VAL, np.array([5, 4], np.int64), np.float32(9))
    data = np.arange(6, dtype=np.float32).reshape(3, 2)
    ids, seg = np.array([0, 2, 1], np.int32), np.array([0, 0, 2], np.int32)
    for title in ("Sum", "Mean", "SqrtN"):
        add_sample(f"SparseSegment{title}", data, ids, seg)
        add_sample(f"SparseSegment{title}WithNumSegments", data, ids, seg, np.int32(4))
    counts = {"binary_output": False, "minlength": -1, "maxlength": -1}
    add_sample("DenseCountSparseOutput", np.array([1, 2, 2, 5], np.int32),
               np.zeros(0, np.int32), **counts)  # fmt: skip
    add_sample("DenseCountSparseOutput", np.array([[1, 2], [2, 5]], np.int32),
               np.ones((2, 2), np.float32), **counts)  # fmt: skip
    add_sample("SparseCountSparseOutput", _IND, np.array([1, 3, 3, 0], np.int64), _SHAPE,
               np.zeros(0, np.int64), **counts)  # fmt: skip
    words = np.array([[b"a", b"b"]], dtype=object)
    add_sample("SparseCrossV2", words, np.array([[b"c"]], dtype=object),
               np.array(b"_X_", dtype=object), num_sparse=0)  # fmt: skip
    add_sample("SparseCross", words, np.array([[1, 2]], np.int64), num_sparse=0,
               num_buckets=10, hash_key=7)  # fmt: skip


_rows()
