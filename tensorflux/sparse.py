"""``tf.sparse``: SparseTensor and the ops on it."""

from tensorflux.ops.sparse.conversion_ops import (  # noqa: F401
    eye,
    from_dense,
    map_values,
    reorder,
    reset_shape,
    retain,
    to_dense,
    to_indicator,
)
from tensorflux.ops.sparse.cross_ops import cross, cross_hashed  # noqa: F401
from tensorflux.ops.sparse.manip_ops import (  # noqa: F401
    concat,
    expand_dims,
    fill_empty_rows,
    reshape,
    slice,
    split,
    transpose,
)
from tensorflux.ops.sparse.segment_count_ops import (  # noqa: F401
    bincount,
    mask,
    sampled_addmm,
    segment_mean,
    segment_sqrt_n,
    segment_sum,
)
from tensorflux.ops.sparse.sparse_binary_ops import add, maximum, minimum, softmax  # noqa: F401
from tensorflux.ops.sparse.sparse_math_ops import (  # noqa: F401
    reduce_max,
    reduce_sum,
    sparse_dense_matmul,
)
from tensorflux.ops.sparse.sparse_tensor import SparseTensor  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.sparse", __name__, name)
