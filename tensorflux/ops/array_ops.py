"""Shape and layout ops (``tf.*``): the namespace TF keeps them in, assembled from the
modules that define them by topic: ``shape_ops`` (reshape, expand_dims, squeeze,
transpose, broadcast_to, shape, size, rank, identity, stop_gradient), ``joining_ops``
(concat, stack, tile, pad, reverse) and ``gather_ops`` (gather, where). Creation ops
(zeros, eye, range, one_hot, ...) live in ``creation_ops`` and are re-exported here,
where TF keeps them; slicing and scatter/gather-nd ops live in ``slicing_ops``.
"""

from __future__ import annotations

from tensorflux.ops import creation_ops, gather_ops, joining_ops, shape_ops
from tensorflux.ops.creation_ops import *  # noqa: F401,F403 - TF's home for creation ops
from tensorflux.ops.gather_ops import *  # noqa: F401,F403
from tensorflux.ops.joining_ops import *  # noqa: F401,F403
from tensorflux.ops.shape_ops import *  # noqa: F401,F403

__all__ = shape_ops.__all__ + joining_ops.__all__ + gather_ops.__all__ + creation_ops.__all__
