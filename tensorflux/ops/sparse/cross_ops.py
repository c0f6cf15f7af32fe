"""Feature crosses: ``tf.sparse.cross`` (SparseCrossV2) and ``cross_hashed``
(SparseCross with ``hashed_output``), row by row over sparse and dense inputs."""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.sparse.sparse_tensor import SparseTensor
from tensorflux.ops.string_hashing import fingerprint64, fingerprint_cat64

__all__ = ["cross", "cross_hashed"]

_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_INT64_MAX = (1 << 63) - 1


def _row_features(arrays, num_sparse: int, op_name: str) -> tuple:
    """Per input, a list (one per batch row) of that row's features; and the batch."""
    indices, values = arrays[:num_sparse], arrays[num_sparse : 2 * num_sparse]
    shapes, dense = arrays[2 * num_sparse : 3 * num_sparse], arrays[3 * num_sparse :]
    batches = [int(s[0]) for s in shapes] + [d.shape[0] for d in dense]
    if any(b != batches[0] for b in batches):
        raise InvalidArgumentError(
            None,
            op_name,
            f"Expected batch size {batches[0]} got {next(b for b in batches if b != batches[0])}",
        )
    batch = batches[0]
    columns = []
    for ind, val in zip(indices, values):
        rows = [[] for _ in range(batch)]
        for r, v in zip(ind[:, 0], val):
            rows[int(r)].append(v)
        columns.append(rows)
    for d in dense:
        columns.append([list(d[r]) for r in range(batch)])
    return columns, batch


def _crossed(columns, batch: int, combine, dtype):
    """The sparse result: for each row the product of its features (last input fastest)."""
    out_indices, out_values, width = [], [], 0
    for r in range(batch):
        row = [combine(feats) for feats in itertools.product(*(c[r] for c in columns))]
        width = max(width, len(row))
        out_indices.extend([r, j] for j in range(len(row)))
        out_values.extend(row)
    indices = np.asarray(out_indices, np.int64).reshape(-1, 2)
    return indices, np.asarray(out_values, dtype=dtype), np.asarray([batch, width], np.int64)


def _text(v) -> bytes:
    return v if isinstance(v, bytes) else str(int(v)).encode()


def _cross_v2_kernel(*arrays, num_sparse):
    columns, batch = _row_features(arrays[:-1], num_sparse, "SparseCrossV2")
    sep = _text(arrays[-1].item())
    return _crossed(columns, batch, lambda feats: sep.join(_text(f) for f in feats), object)


def _cross_hashed_kernel(*arrays, num_sparse, num_buckets, hash_key):
    columns, batch = _row_features(arrays, num_sparse, "SparseCross")

    def combine(feats):
        h = hash_key
        for f in feats:
            f = f if isinstance(f, bytes) else int(f) & 0xFFFFFFFFFFFFFFFF
            h = fingerprint_cat64(h, fingerprint64(f) if isinstance(f, bytes) else f)
        return h % (num_buckets if num_buckets > 0 else _INT64_MAX)

    return _crossed(columns, batch, combine, np.int64)


def _cross_infer(*specs, **attrs):
    dtype = dtypes.int64 if "num_buckets" in attrs else dtypes.string
    return (
        Spec(dtypes.int64, TensorShape([None, 2])),
        Spec(dtype, TensorShape([None])),
        Spec(dtypes.int64, TensorShape([2])),
    )


_CROSS_V2 = register(
    "SparseCrossV2",
    kernel=_cross_v2_kernel,
    grad=None,
    infer=_cross_infer,
    num_outputs=3,
    dynamic_shape=True,
)
_CROSS_HASHED = register(
    "SparseCross",
    kernel=_cross_hashed_kernel,
    grad=None,
    infer=_cross_infer,
    num_outputs=3,
    dynamic_shape=True,
)


def _split_inputs(inputs, op_name: str):
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"{op_name}: Inputs must be a list, got {type(inputs).__name__}.")
    sparse = [x for x in inputs if isinstance(x, SparseTensor)]
    dense = [convert_to_tensor(x) for x in inputs if not isinstance(x, SparseTensor)]
    for x in sparse + dense:
        dtype = x.dtype
        if dtype not in (dtypes.string, dtypes.int64, dtypes.int32):
            raise TypeError(
                f"{op_name}: inputs must be string, int32 or int64 tensors, got {dtype!r}."
            )
    for d in dense:
        if d.shape.rank != 2:
            raise ValueError(f"{op_name}: dense inputs must be rank 2, got shape {d.shape}.")
    # As TF: the sparse inputs are crossed first, then the dense ones.
    flat = (
        [s.indices for s in sparse]
        + [s.values for s in sparse]
        + [s.dense_shape for s in sparse]
        + dense
    )
    return flat, len(sparse)


def cross(inputs, name=None, separator=None) -> SparseTensor:
    """The string cross of sparse and dense features, row by row: each combination of
    one feature per input, joined by ``separator`` ("_X_" by default).

    >>> import tensorflux as tf
    >>> out = tf.sparse.cross([tf.constant([["a", "b"]]), tf.constant([["c"]])])
    >>> out.values.numpy().tolist()
    [b'a_X_c', b'b_X_c']
    """
    flat, num_sparse = _split_inputs(inputs, "tf.sparse.cross")
    sep = convert_to_tensor("_X_" if separator is None else separator)
    out = execute(_CROSS_V2, (*flat, sep), {"num_sparse": num_sparse})
    return SparseTensor(*out)


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> SparseTensor:
    """Like ``cross``, each combination hashed as TF hashes it (FarmHash Fingerprint64 of
    strings, FingerprintCat64 across features), modulo ``num_buckets`` when positive.

    >>> import tensorflux as tf
    >>> out = tf.sparse.cross_hashed([tf.constant([["a"]]), tf.constant([["c"]])], 100)
    >>> out.dense_shape.numpy().tolist()
    [1, 1]
    """
    flat, num_sparse = _split_inputs(inputs, "tf.sparse.cross_hashed")
    attrs = {
        "num_sparse": num_sparse,
        "num_buckets": int(num_buckets),
        "hash_key": _DEFAULT_HASH_KEY if hash_key is None else int(hash_key),
    }
    return SparseTensor(*execute(_CROSS_HASHED, flat, attrs))
