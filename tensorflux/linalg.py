"""``tf.linalg``: matrix products, norms, inverses, determinants, diagonals, einsum."""

from tensorflux.ops.clip_ops import global_norm  # noqa: F401
from tensorflux.ops.creation_ops import eye  # noqa: F401
from tensorflux.ops.linalg_ops import (  # noqa: F401
    det,
    diag,
    diag_part,
    einsum,
    inv,
    matrix_transpose,
    matvec,
    norm,
    solve,
    tensordot,
    trace,
)
from tensorflux.ops.math_ops import matmul  # noqa: F401
from tensorflux.ops.nn_ops import l2_normalize  # noqa: F401


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.linalg", __name__, name)
