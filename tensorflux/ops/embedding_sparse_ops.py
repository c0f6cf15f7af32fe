"""``tf.nn.embedding_lookup_sparse`` and ``tf.nn.safe_embedding_lookup_sparse``: one
combined embedding per row of a sparse batch of ids.

Composed as TF composes them: without weights or ``max_norm``, a sparse segment
reduction straight over the table; otherwise the distinct ids are looked up (and
norm-clipped) once, weighted, and reduced with ``segment_sum`` and ``div_no_nan``. The
safe variant first drops negative ids (and, unless summing, non-positive weights), fills
empty rows with ``default_id`` (or zeros) and keeps the ids' leading dimensions.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]

_COMBINERS = ("mean", "sqrtn", "sum")


def _as_sparse(value, what: str):
    from tensorflux.ops.sparse.sparse_tensor import SparseTensor

    if isinstance(value, SparseTensor):
        return value
    to_sparse = getattr(value, "to_sparse", None)  # a RaggedTensor
    if to_sparse is None:
        raise TypeError(f"{what} must be SparseTensor, got {type(value)}")
    return to_sparse()


def _table(params):
    from tensorflux.ops.joining_ops import concat

    if isinstance(params, (list, tuple)):
        return params[0] if len(params) == 1 else concat(list(params), axis=0)
    return params


def _combine(params, segment_ids, ids, weights, combiner, max_norm) -> Tensor:
    """TF's ``embedding_lookup_sparse_impl``."""
    from tensorflux.ops import math_ops
    from tensorflux.ops.embedding_ops import embedding_lookup
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.segment_ops import segment_sum
    from tensorflux.ops.selection_ops import unique
    from tensorflux.ops.shape_ops import reshape
    from tensorflux.ops.sparse import segment_count_ops as sparse_segment
    from tensorflux.ops.unary_math_ops import sqrt

    table = to_tensor(_table(params))
    if weights is None and max_norm is None:
        idx, embeddings = ids, table
    else:
        distinct, idx = unique(ids)
        embeddings = embedding_lookup(table, distinct, max_norm=max_norm)
    if weights is None:
        reduce = {"sum": sparse_segment.segment_sum, "mean": sparse_segment.segment_mean,
                  "sqrtn": sparse_segment.segment_sqrt_n}[combiner]  # fmt: skip
        return reduce(embeddings, idx, segment_ids)
    segment_ids = math_ops.cast(segment_ids, dtypes.int32)
    embeddings = gather(embeddings, idx)
    original = embeddings.dtype
    if original in (dtypes.float16, dtypes.bfloat16):
        embeddings = math_ops.cast(embeddings, dtypes.float32)
    weights = to_tensor(weights)
    if weights.dtype != embeddings.dtype:
        weights = math_ops.cast(weights, embeddings.dtype)
    rank = embeddings.shape.rank
    weights = reshape(weights, [-1] + [1] * (rank - 1))
    summed = segment_sum(embeddings * weights, segment_ids)
    if combiner == "mean":
        summed = math_ops.divide_no_nan(summed, segment_sum(weights, segment_ids))
    elif combiner == "sqrtn":
        norm = sqrt(segment_sum(weights * weights, segment_ids))
        summed = math_ops.divide_no_nan(summed, norm)
    if summed.dtype != original:
        summed = math_ops.cast(summed, original)
    return summed


def _check_combiner(combiner):
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")


def embedding_lookup_sparse(params, sp_ids, sp_weights, combiner=None, max_norm=None, name=None,
                            allow_fast_lookup=False):  # fmt: skip
    """For each row of ``sp_ids``, its embeddings combined: weighted sum, weighted mean or
    sum divided by the root of the summed squared weights (``tf.nn.embedding_lookup_sparse``).

    Rows are numbered by the ids' first index; output rows past the last row with an id are
    not made, and rows without ids in between are zeros.

    Args:
        params: the embedding table ``[vocab, ...]`` (or a list of row shards).
        sp_ids: a SparseTensor (or RaggedTensor) of int ids ``[batch, n]``.
        sp_weights: None (all weights 1) or a SparseTensor of weights beside ``sp_ids``.
        combiner: "sum", "mean" (the default) or "sqrtn".
        max_norm: clip each embedding to this L2 norm first.
        allow_fast_lookup: accepted for TF compatibility (the result is the same).

    Returns:
        ``[rows, ...]`` combined embeddings.

    Raises:
        ValueError: an unknown combiner.
        TypeError: ids or weights not sparse.

    >>> import tensorflux as tf
    >>> ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 2, 1], tf.int64), [2, 2])
    >>> table = tf.constant([[1.0], [2.0], [3.0]])
    >>> tf.nn.embedding_lookup_sparse(table, ids, None, "sum").numpy().tolist()
    [[4.0], [2.0]]
    """
    combiner = "mean" if combiner is None else combiner
    _check_combiner(combiner)
    sp_ids = _as_sparse(sp_ids, "sp_ids")
    weights = None
    if sp_weights is not None:
        weights = _as_sparse(sp_weights, "sp_weights").values
    return _combine(params, sp_ids.indices[:, 0], sp_ids.values, weights, combiner, max_norm)


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, max_norm=None, name=None,
                                 allow_fast_lookup=False):  # fmt: skip
    """``embedding_lookup_sparse`` that tolerates bad ids and empty rows
    (``tf.nn.safe_embedding_lookup_sparse``): negative ids are dropped, and unless
    ``combiner`` is "sum" so are ids of non-positive weight; a row left empty gets the
    embedding of ``default_id``, or zeros. Ids of rank above 2 keep their leading
    dimensions: ``[d0, ..., dn-1, n]`` ids give ``[d0, ..., dn-1, ...]``.

    Args:
        embedding_weights: the table (or a list of row shards).
        sparse_ids: a SparseTensor of int ids.
        sparse_weights: None or a SparseTensor of weights beside ``sparse_ids``.
        combiner: "sum", "mean" or "sqrtn".
        default_id: the id whose embedding fills empty rows (None: zeros).
        max_norm: clip each embedding to this L2 norm first.

    Returns:
        The combined embeddings, one per row of the ids.

    Raises:
        ValueError: no table given, or an unknown combiner.

    >>> import tensorflux as tf
    >>> ids = tf.SparseTensor([[0, 0], [2, 0]], tf.constant([1, -1], tf.int64), [3, 1])
    >>> table = tf.constant([[1.0], [2.0]])
    >>> tf.nn.safe_embedding_lookup_sparse(table, ids).numpy().tolist()
    [[2.0], [0.0], [0.0]]
    """
    from tensorflux.ops import math_ops
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.joining_ops import concat
    from tensorflux.ops.reduction_ops import reduce_prod
    from tensorflux.ops.selection_ops import where
    from tensorflux.ops.shape_ops import reshape, shape
    from tensorflux.ops.sparse import conversion_ops, manip_ops
    from tensorflux.ops.sparse.sparse_tensor import SparseTensor

    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    if isinstance(embedding_weights, (list, tuple)) and not embedding_weights:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    _check_combiner(combiner)
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    table = _table(embedding_weights)
    table = to_tensor(table, dtype) if dtype is not None else to_tensor(table)
    sparse_ids = _as_sparse(sparse_ids, "sparse_ids")
    original_shape = sparse_ids.dense_shape
    lead = original_shape[:-1]
    ids = manip_ops.reshape(sparse_ids, [reduce_prod(lead), original_shape[-1]])
    weights = None
    if sparse_weights is not None:
        weights = SparseTensor(ids.indices, sparse_weights.values, ids.dense_shape)
    keep = ids.values >= 0
    ids = conversion_ops.retain(ids, keep)
    if weights is not None:
        weights = conversion_ops.retain(weights, keep)
        if combiner != "sum":
            positive = weights.values > 0
            ids = conversion_ops.retain(ids, positive)
            weights = conversion_ops.retain(weights, positive)
    ids, empty = manip_ops.fill_empty_rows(ids, default_id or 0)
    if weights is not None:
        weights, _ = manip_ops.fill_empty_rows(weights, 1.0)
    result = embedding_lookup_sparse(table, ids, weights, combiner=combiner, max_norm=max_norm)
    if default_id is None:
        mask = reshape(empty, [-1] + [1] * (result.shape.rank - 1))
        result = where(mask, zeros_like(result), result)
    out_shape = concat([math_ops.cast(lead, dtypes.int32), shape(result)[1:]], axis=0)
    result = reshape(result, out_shape)
    return result
