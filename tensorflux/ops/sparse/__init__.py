"""``tf.sparse``: SparseTensor and the ops on it (public names in ``tensorflux.sparse``)."""

from tensorflux.ops.sparse.conversion_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.cross_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.manip_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.segment_count_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.sparse_binary_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.sparse_math_ops import *  # noqa: F401,F403
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, SparseTensorSpec  # noqa: F401
