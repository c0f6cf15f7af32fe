"""``tf.nn.embedding_lookup``: rows of an embedding table, optionally norm-clipped.

A composition of ``gather`` and ``clip_by_norm``; kept apart from ``nn_ops`` because
``clip_ops`` builds on ``nn_ops`` (``l2_loss``), so imports run one way.
"""

from __future__ import annotations

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.clip_ops import clip_by_norm
from tensorflux.ops.common import to_tensor
from tensorflux.ops.gather_ops import gather
from tensorflux.ops.joining_ops import concat

__all__: list = []


def embedding_lookup(params, ids, max_norm=None, name=None) -> Tensor:
    """The rows of ``params`` named by ``ids`` (``tf.nn.embedding_lookup``).

    ``params`` may be a list of tensors sharded by rows ("div" strategy: shard 0
    holds the first rows), as TF 2 accepts. With ``max_norm``, each looked-up
    embedding is rescaled so its L2 norm is at most ``max_norm``.
    """
    if isinstance(params, (list, tuple)):
        params = params[0] if len(params) == 1 else concat(list(params), axis=0)
    ids = to_tensor(ids)
    rows = gather(params, ids)
    if max_norm is not None:
        axes = list(range(ids._value.ndim, rows.shape.rank))
        rows = clip_by_norm(rows, max_norm, axes=axes or None)
    return rows
