"""Slicing, splitting and indexed reads/writes (``tf.*``): the namespace assembled from
the modules that define them by topic: ``strided_slice_ops`` (``t[...]``,
strided_slice, slice), ``split_ops`` (split, unstack), ``selection_ops`` (boolean_mask,
repeat, unique) and ``scatter_ops`` (gather_nd, scatter_nd, tensor_scatter_nd_*).
"""

from __future__ import annotations

from tensorflux.ops import scatter_ops, selection_ops, split_ops, strided_slice_ops
from tensorflux.ops.scatter_ops import *  # noqa: F401,F403
from tensorflux.ops.selection_ops import *  # noqa: F401,F403
from tensorflux.ops.split_ops import *  # noqa: F401,F403
from tensorflux.ops.strided_slice_ops import *  # noqa: F401,F403
from tensorflux.ops.strided_slice_ops import getitem  # noqa: F401 - Tensor.__getitem__

__all__ = (
    strided_slice_ops.__all__ + split_ops.__all__ + selection_ops.__all__ + scatter_ops.__all__
)
