"""``tf.linalg``: matrix products, norms, inverses, determinants, diagonals, einsum."""

from tensorflux.linalg import experimental  # noqa: F401
from tensorflux.linalg.linear_operator import (  # noqa: F401
    LinearOperator,
    LinearOperatorFullMatrix,
)
from tensorflux.linalg.linear_operator_block import (  # noqa: F401
    LinearOperatorBlockDiag,
    LinearOperatorBlockLowerTriangular,
    LinearOperatorKronecker,
    LinearOperatorLowRankUpdate,
)
from tensorflux.linalg.linear_operator_circulant import (  # noqa: F401
    LinearOperatorCirculant,
    LinearOperatorCirculant2D,
    LinearOperatorCirculant3D,
)
from tensorflux.linalg.linear_operator_derived import (  # noqa: F401
    LinearOperatorAdjoint,
    LinearOperatorComposition,
    LinearOperatorInversion,
)
from tensorflux.linalg.linear_operator_special import (  # noqa: F401
    LinearOperatorHouseholder,
    LinearOperatorPermutation,
    LinearOperatorToeplitz,
    LinearOperatorTridiag,
)
from tensorflux.linalg.linear_operator_structured import (  # noqa: F401
    LinearOperatorDiag,
    LinearOperatorIdentity,
    LinearOperatorLowerTriangular,
    LinearOperatorScaledIdentity,
    LinearOperatorZeros,
)
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


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.linalg", __name__, name)
