"""``tf.linalg``: matrix products, norms, inverses, determinants, diagonals, einsum."""

from tensorflux.ops.clip_ops import global_norm  # noqa: F401
from tensorflux.ops.creation_ops import eye  # noqa: F401
from tensorflux.ops.linalg_decomposition_ops import (  # noqa: F401
    cholesky,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    qr,
    svd,
)
from tensorflux.ops.linalg_lu_ops import (  # noqa: F401
    logdet,
    lu,
    lu_matrix_inverse,
    lu_reconstruct,
    lu_solve,
    slogdet,
)
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
from tensorflux.ops.linalg_solve_ops import (  # noqa: F401
    banded_triangular_solve,
    cholesky_solve,
    lstsq,
    triangular_solve,
)
from tensorflux.ops.math_ops import matmul  # noqa: F401
from tensorflux.ops.matrix_diag_ops import (  # noqa: F401
    adjoint,
    band_part,
    cross,
    set_diag,
    tensor_diag,
    tensor_diag_part,
)
from tensorflux.ops.matrix_functions_ops import (  # noqa: F401
    eigh_tridiagonal,
    expm,
    logm,
    matrix_rank,
    normalize,
    pinv,
    sqrtm,
)
from tensorflux.ops.nn_ops import l2_normalize  # noqa: F401
from tensorflux.ops.tridiagonal_ops import tridiagonal_matmul, tridiagonal_solve  # noqa: F401

# The LinearOperator classes load on first use: ``import tensorflux`` stays fast.
_LAZY = {
    "LinearOperator": "tensorflux.linalg.linear_operator",
    "LinearOperatorAdjoint": "tensorflux.linalg.linear_operator_derived",
    "LinearOperatorBlockDiag": "tensorflux.linalg.linear_operator_block",
    "LinearOperatorBlockLowerTriangular": "tensorflux.linalg.linear_operator_block",
    "LinearOperatorCirculant": "tensorflux.linalg.linear_operator_circulant",
    "LinearOperatorCirculant2D": "tensorflux.linalg.linear_operator_circulant",
    "LinearOperatorCirculant3D": "tensorflux.linalg.linear_operator_circulant",
    "LinearOperatorComposition": "tensorflux.linalg.linear_operator_derived",
    "LinearOperatorDiag": "tensorflux.linalg.linear_operator_structured",
    "LinearOperatorFullMatrix": "tensorflux.linalg.linear_operator",
    "LinearOperatorHouseholder": "tensorflux.linalg.linear_operator_special",
    "LinearOperatorIdentity": "tensorflux.linalg.linear_operator_structured",
    "LinearOperatorInversion": "tensorflux.linalg.linear_operator_derived",
    "LinearOperatorKronecker": "tensorflux.linalg.linear_operator_block",
    "LinearOperatorLowRankUpdate": "tensorflux.linalg.linear_operator_block",
    "LinearOperatorLowerTriangular": "tensorflux.linalg.linear_operator_structured",
    "LinearOperatorPermutation": "tensorflux.linalg.linear_operator_special",
    "LinearOperatorScaledIdentity": "tensorflux.linalg.linear_operator_structured",
    "LinearOperatorToeplitz": "tensorflux.linalg.linear_operator_special",
    "LinearOperatorTridiag": "tensorflux.linalg.linear_operator_special",
    "LinearOperatorZeros": "tensorflux.linalg.linear_operator_structured",
}


def __getattr__(name):
    import importlib

    if name == "experimental":
        return importlib.import_module("tensorflux.linalg.experimental")
    module = _LAZY.get(name)
    if module is not None:
        return getattr(importlib.import_module(module), name)
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.linalg", __name__, name)
