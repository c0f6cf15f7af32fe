"""The tf.linalg cases recorded from TensorFlow (``record_linalg_fixtures.py``) and replayed
on tensorflux (``test_linalg_fixtures.py``): each is an expression in ``tf`` and inputs
``x0, x1, ...``, so one table serves both libraries.

Singular vectors, eigenvectors and Q of QR are unique only up to a sign (a phase for
complex input) per column, and LAPACK (NumPy) and Eigen (TF) choose differently: those
cases compare invariants (``tf.abs`` of the entries, reconstructions) instead.
"""

import numpy as np

_RNG = np.random.default_rng(7)


def _normal(*shape):
    return _RNG.normal(size=shape)


def _spd(n, batch=()):
    a = _normal(*batch, n, n)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _hermitian(n):
    a = _normal(n, n) + 1j * _normal(n, n)
    return a @ a.conj().T + n * np.eye(n)


SQ = _normal(2, 3, 3) + 2 * np.eye(3)
DEEP = _normal(4, 3)
WIDE = _normal(3, 4)
SPD = _spd(3, (2,))
HERM = _hermitian(3)
CSQ = _normal(3, 3) + 1j * _normal(3, 3) + 2 * np.eye(3)
RHS = _normal(2, 3, 2)
TRIDIAG = _normal(2, 3, 4) + np.array([[0.0], [4.0], [0.0]])
RHS4 = _normal(2, 4, 2)
BANDS = _normal(2, 4) + np.array([[3.0], [0.0]])
VEC3 = _normal(2, 3)

# name, expression, inputs as (array, dtype), whether TF's gradient is recorded too
CASES = [
    ("cholesky_f64", "tf.linalg.cholesky(x0)", [(SPD, "float64")], True),
    ("cholesky_f32", "tf.linalg.cholesky(x0)", [(SPD, "float32")], False),
    # TF leaves the upper triangle of a failed factor uninitialised: only the lower one is compared.
    (
        "cholesky_not_positive_definite",
        "tf.linalg.band_part(tf.linalg.cholesky(x0), -1, 0)",
        [(np.stack([4 * np.eye(2), -np.eye(2), np.array([[1.0, 2.0], [2.0, 1.0]])]), "float32")],
        False,
    ),
    ("logdet_not_positive_definite", "tf.linalg.logdet(x0)", [(-np.eye(2), "float64")], False),
    (
        "lstsq_rank_deficient",
        "[tf.linalg.lstsq(x0, x1), tf.linalg.lstsq(tf.linalg.adjoint(x0), x1[:2])]",
        [(np.ones((3, 2)), "float32"), (np.ones((3, 1)), "float32")],
        False,
    ),
    (
        "tridiagonal_singular",
        "tf.linalg.tridiagonal_solve(x0, x1)",
        [
            (np.stack([np.zeros((3, 3)), np.eye(3)[[0, 2, 1]] + 2]), "float64"),
            (np.ones((2, 3, 1)), "float64"),
        ],
        False,
    ),
    ("cholesky_c128", "tf.linalg.cholesky(x0)", [(HERM, "complex128")], True),
    ("qr_deep", "[tf.abs(t) for t in tf.linalg.qr(x0)]", [(DEEP, "float64")], True),
    ("qr_wide", "[tf.abs(t) for t in tf.linalg.qr(x0)]", [(WIDE, "float64")], True),
    (
        "qr_full",
        "[tf.abs(t) for t in tf.linalg.qr(x0, full_matrices=True)]",
        [(WIDE, "float32")],
        False,
    ),
    ("qr_batch_recon", "tf.matmul(*tf.linalg.qr(x0))", [(SQ, "float64")], True),
    ("qr_c128", "[tf.abs(t) for t in tf.linalg.qr(x0)]", [(CSQ, "complex128")], True),
    ("svd_values", "tf.linalg.svd(x0, compute_uv=False)", [(DEEP, "float64")], True),
    ("svd_values_f32", "tf.linalg.svd(x0, compute_uv=False)", [(SQ, "float32")], False),
    ("svd_deep", "[tf.abs(t) for t in tf.linalg.svd(x0)]", [(DEEP, "float64")], True),
    ("svd_wide", "[tf.abs(t) for t in tf.linalg.svd(x0)]", [(WIDE, "float64")], True),
    (
        "svd_full_sq",
        "[tf.abs(t) for t in tf.linalg.svd(x0, full_matrices=True)]",
        [(SQ, "float64")],
        True,
    ),
    (
        "svd_full_one_wider",
        "[tf.abs(t) for t in tf.linalg.svd(x0, full_matrices=True)]",
        [(WIDE, "float64")],
        True,
    ),
    (
        "svd_full_one_deeper",
        "[tf.abs(t) for t in tf.linalg.svd(x0, full_matrices=True)]",
        [(DEEP, "float64")],
        True,
    ),
    (
        "svd_full_shapes",
        "[tf.shape(t) for t in tf.linalg.svd(x0, full_matrices=True)]",
        [(WIDE, "float32")],
        False,
    ),
    ("svd_c128", "[tf.abs(t) for t in tf.linalg.svd(x0)]", [(CSQ, "complex128")], True),
    ("eigh", "[tf.abs(t) for t in tf.linalg.eigh(x0)]", [(SPD, "float64")], True),
    ("eigh_raw_values", "tf.linalg.eigh(x0)[0]", [(SQ, "float64")], True),
    ("eigh_c128", "[tf.abs(t) for t in tf.linalg.eigh(x0)]", [(HERM, "complex128")], True),
    ("eigvalsh", "tf.linalg.eigvalsh(x0)", [(SPD, "float32")], False),
    ("eig_values", "tf.abs(tf.linalg.eig(x0)[0])", [(SQ[0], "float64")], True),
    ("eigvals_dtype", "tf.linalg.eigvals(x0)", [(np.diag([1.0, 2.0]), "float32")], False),
    ("slogdet", "list(tf.linalg.slogdet(x0))", [(SQ, "float64")], True),
    ("slogdet_singular", "list(tf.linalg.slogdet(x0))", [(np.zeros((2, 2)), "float32")], False),
    ("logdet", "tf.linalg.logdet(x0)", [(SPD, "float64")], True),
    ("det", "tf.linalg.det(x0)", [(SQ, "float64")], True),
    ("inv_adjoint", "tf.linalg.inv(x0, adjoint=True)", [(CSQ, "complex128")], True),
    ("inv_c128", "tf.linalg.inv(x0)", [(CSQ, "complex128")], True),
    ("det_c128", "tf.linalg.det(x0)", [(CSQ, "complex128")], True),
    ("slogdet_c128", "tf.linalg.slogdet(x0)[1]", [(CSQ, "complex128")], True),
    ("expm_c128", "tf.linalg.expm(x0)", [(0.5 * CSQ, "complex128")], True),
    ("sqrtm_c128", "tf.linalg.sqrtm(x0)", [(HERM, "complex128")], True),
    ("eig_c128_values", "tf.sort(tf.abs(tf.linalg.eigvals(x0)))", [(CSQ, "complex128")], True),
    (
        "triangular_c128",
        "tf.linalg.triangular_solve(x0, x1)",
        [(CSQ, "complex128"), (CSQ[:, :1], "complex128")],
        True,
    ),
    ("lu", "list(tf.linalg.lu(x0))", [(SQ, "float64")], False),
    ("lu_int64", "list(tf.linalg.lu(x0, output_idx_type=tf.int64))", [(SQ[0], "float32")], False),
    ("lu_reconstruct", "tf.linalg.lu_reconstruct(*tf.linalg.lu(x0))", [(SQ, "float64")], False),
    (
        "lu_solve",
        "tf.linalg.lu_solve(*tf.linalg.lu(x0), x1)",
        [(SQ, "float64"), (RHS, "float64")],
        False,
    ),
    (
        "lu_matrix_inverse",
        "tf.linalg.lu_matrix_inverse(*tf.linalg.lu(x0))",
        [(SQ, "float64")],
        False,
    ),
    ("tri_lower", "tf.linalg.triangular_solve(x0, x1)", [(SQ, "float64"), (RHS, "float64")], True),
    (
        "tri_upper_adj",
        "tf.linalg.triangular_solve(x0, x1, lower=False, adjoint=True)",
        [(SQ, "float64"), (RHS, "float64")],
        True,
    ),
    (
        "tri_broadcast",
        "tf.linalg.triangular_solve(x0, x1)",
        [(SQ[0], "float64"), (RHS, "float64")],
        True,
    ),
    (
        "tri_c128",
        "tf.linalg.triangular_solve(x0, x1, adjoint=True)",
        [(CSQ, "complex128"), (CSQ[:, :2], "complex128")],
        True,
    ),
    (
        "banded_lower",
        "tf.linalg.banded_triangular_solve(x0, x1)",
        [(BANDS[:, :3], "float64"), (RHS[0], "float64")],
        True,
    ),
    (
        "banded_upper_adj",
        "tf.linalg.banded_triangular_solve(x0, x1, lower=False, adjoint=True)",
        [(BANDS[::-1, :3].copy(), "float64"), (RHS[0], "float64")],
        True,
    ),
    (
        "cholesky_solve",
        "tf.linalg.cholesky_solve(tf.linalg.cholesky(x0), x1)",
        [(SPD, "float64"), (RHS, "float64")],
        True,
    ),
    (
        "tridiagonal_solve",
        "tf.linalg.tridiagonal_solve(x0, x1)",
        [(TRIDIAG, "float64"), (RHS4, "float64")],
        True,
    ),
    (
        "tridiagonal_solve_seq",
        "tf.linalg.tridiagonal_solve([x0[..., 0, :], x0[..., 1, :], x0[..., 2, :]], x1, diagonals_format='sequence')",
        [(TRIDIAG, "float32"), (RHS4, "float32")],
        False,
    ),
    (
        "tridiagonal_solve_t",
        "tf.linalg.tridiagonal_solve(x0, x1, transpose_rhs=True)",
        [(TRIDIAG, "float32"), (np.swapaxes(RHS4, -1, -2).copy(), "float32")],
        False,
    ),
    (
        "tridiagonal_matmul",
        "tf.linalg.tridiagonal_matmul(x0, x1)",
        [(TRIDIAG, "float64"), (RHS4, "float64")],
        True,
    ),
    (
        "tridiagonal_matmul_matrix",
        "tf.linalg.tridiagonal_matmul(x0, x1, diagonals_format='matrix')",
        [(_spd(4), "float32"), (RHS4[0], "float32")],
        False,
    ),
    ("lstsq_deep", "tf.linalg.lstsq(x0, x1)", [(DEEP, "float64"), (RHS4[0], "float64")], True),
    (
        "lstsq_wide_l2",
        "tf.linalg.lstsq(x0, x1, l2_regularizer=0.5)",
        [(WIDE, "float64"), (RHS[0], "float64")],
        True,
    ),
    (
        "lstsq_slow",
        "tf.linalg.lstsq(x0, x1, fast=False)",
        [(DEEP, "float64"), (RHS4[0], "float64")],
        False,
    ),
    ("expm", "tf.linalg.expm(x0)", [(SQ, "float64")], True),
    ("expm_big", "tf.linalg.expm(x0)", [(3 * SQ[0], "float32")], False),
    ("logm", "tf.linalg.logm(x0)", [(HERM, "complex128")], False),
    ("sqrtm", "tf.linalg.sqrtm(x0)", [(SPD, "float64")], True),
    ("pinv", "tf.linalg.pinv(x0)", [(DEEP, "float64")], True),
    (
        "pinv_rank1",
        "tf.linalg.pinv(x0)",
        [(np.outer([1.0, 2.0], [1.0, 1.0, 0.5]), "float32")],
        False,
    ),
    (
        "matrix_rank",
        "tf.linalg.matrix_rank(x0)",
        [(np.stack([np.outer([1.0, 2.0, 3.0], [1.0, 1.0, 0.5]), SQ[0]]), "float32")],
        False,
    ),
    ("band_part", "tf.linalg.band_part(x0, 1, 0)", [(_normal(2, 3, 4), "float64")], True),
    ("band_part_upper", "tf.linalg.band_part(x0, -1, 1)", [(_normal(4, 3), "float32")], False),
    (
        "set_diag",
        "tf.linalg.set_diag(x0, x1)",
        [(_normal(2, 3, 4), "float64"), (_normal(2, 3), "float64")],
        True,
    ),
    ("adjoint", "tf.linalg.adjoint(x0)", [(CSQ, "complex128")], False),
    ("diag_part_band", "tf.linalg.diag_part(x0, k=(-1, 1))", [(_normal(2, 3, 4), "float64")], True),
    (
        "diag_part_band_lr",
        "tf.linalg.diag_part(x0, k=(-2, 1), padding_value=9, align='LEFT_RIGHT')",
        [(_normal(4, 3), "float64")],
        True,
    ),
    (
        "diag_part_band_ll",
        "tf.linalg.diag_part(x0, k=(0, 2), align='LEFT_LEFT')",
        [(_normal(3, 4), "float32")],
        False,
    ),
    ("diag_part_k", "tf.linalg.diag_part(x0, k=-2)", [(_normal(2, 4, 3), "float64")], True),
    ("diag_band", "tf.linalg.diag(x0, k=(0, 1))", [(_normal(2, 2, 3), "float64")], True),
    (
        "diag_band_rr",
        "tf.linalg.diag(x0, k=(-1, 1), align='RIGHT_RIGHT', padding_value=-1.0)",
        [(_normal(3, 3), "float32")],
        False,
    ),
    ("diag_k_cols", "tf.linalg.diag(x0, k=-1, num_cols=4)", [(_normal(2, 3), "float64")], True),
    (
        "diag_rows",
        "tf.linalg.diag(x0, num_rows=3, padding_value=7)",
        [(np.array([1, 2]), "int32")],
        False,
    ),
    (
        "set_diag_band",
        "tf.linalg.set_diag(x0, x1, k=(-1, 0))",
        [(_normal(3, 3), "float64"), (_normal(2, 3), "float64")],
        True,
    ),
    (
        "set_diag_band_ll",
        "tf.linalg.set_diag(x0, x1, k=(0, 1), align='LEFT_LEFT')",
        [(_normal(2, 3, 4), "float64"), (_normal(2, 2, 3), "float64")],
        True,
    ),
    (
        "set_diag_k",
        "tf.linalg.set_diag(x0, x1, k=2)",
        [(_normal(3, 4), "float32"), (_normal(2), "float32")],
        False,
    ),
    ("tensor_diag", "tf.linalg.tensor_diag(x0)", [(_normal(2, 2), "float64")], True),
    (
        "tensor_diag_part",
        "tf.linalg.tensor_diag_part(x0)",
        [(_normal(2, 3, 2, 3), "float64")],
        True,
    ),
    ("cross", "tf.linalg.cross(x0, x1)", [(VEC3, "float64"), (_normal(2, 3), "float64")], True),
    (
        "cross_int",
        "tf.linalg.cross(x0, x1)",
        [(np.array([1, 2, 3]), "int32"), (np.array([4, 5, 6]), "int32")],
        False,
    ),
    ("normalize", "list(tf.linalg.normalize(x0, axis=-1))", [(VEC3, "float64")], True),
    (
        "normalize_fro",
        "list(tf.linalg.normalize(x0, ord='fro', axis=[-2, -1]))",
        [(SQ, "float32")],
        False,
    ),
    ("norm_spectral", "tf.norm(x0, ord=2, axis=[-2, -1])", [(SQ, "float64")], True),
    (
        "eigh_tridiagonal",
        "tf.linalg.eigh_tridiagonal(x0, x1)",
        [(np.array([2.0, 1.0, 3.0]), "float64"), (np.array([0.5, -1.0]), "float64")],
        False,
    ),
    (
        "eigh_tridiagonal_i",
        "tf.linalg.eigh_tridiagonal(x0, x1, select='i', select_range=[1, 2])",
        [(np.array([2.0, 1.0, 3.0]), "float32"), (np.array([0.5, -1.0]), "float32")],
        False,
    ),
    (
        "eigh_tridiagonal_vectors",
        "[tf.abs(t) for t in tf.linalg.eigh_tridiagonal(x0, x1, eigvals_only=False)]",
        [(np.array([2.0, 1.0, 3.0]), "float64"), (np.array([0.5, -1.0]), "float64")],
        False,
    ),
    (
        "eigh_tridiagonal_v",
        "tf.linalg.eigh_tridiagonal(x0, x1, select='v', select_range=[0.0, 2.5])",
        [(np.array([2.0, 1.0, 3.0]), "float64"), (np.array([0.5, -1.0]), "float64")],
        False,
    ),
    (
        "eigh_tridiagonal_c128",
        "tf.linalg.eigh_tridiagonal(x0, x1)",
        [(np.array([2.0, 1.0, 3.0]), "complex128"), (np.array([0.5 + 1j, -1.0j]), "complex128")],
        False,
    ),
    (
        "operator_spd_methods",
        "(lambda op: [op.cholesky().to_dense(), op.add_to_tensor(x0), op.cond(), op.eigvals(), op.solvevec(x1[..., 0]), (op @ op).to_dense(), op.matvec(x1[..., 0], adjoint=True)])(tf.linalg.LinearOperatorFullMatrix(x0, is_self_adjoint=True, is_positive_definite=True))",
        [(SPD, "float64"), (RHS, "float64")],
        True,
    ),
    (
        "operator_solve_operator",
        "tf.linalg.LinearOperatorDiag(x0[..., 0]).solve(tf.linalg.LinearOperatorFullMatrix(x0)).to_dense()",
        [(SQ, "float64")],
        True,
    ),
    (
        "operator_shape_tensors",
        "(lambda op: [op.shape_tensor(), op.batch_shape_tensor(), op.domain_dimension_tensor(), op.range_dimension_tensor(), op.tensor_rank_tensor(), op.batch_shape.as_list(), op.tensor_rank])(tf.linalg.LinearOperatorFullMatrix(x0))",
        [(WIDE[None], "float32")],
        False,
    ),
    (
        "cg",
        "list(tf.linalg.experimental.conjugate_gradient(tf.linalg.LinearOperatorFullMatrix(x0, is_self_adjoint=True, is_positive_definite=True), x1))",
        [(SPD[0], "float64"), (VEC3[0], "float64")],
        False,
    ),
    (
        "cg_one_step",
        "list(tf.linalg.experimental.conjugate_gradient(tf.linalg.LinearOperatorFullMatrix(x0, is_self_adjoint=True, is_positive_definite=True), x1, max_iter=1))",
        [(SPD[0], "float32"), (VEC3[0], "float32")],
        False,
    ),
]

_OPS = {
    "full": "tf.linalg.LinearOperatorFullMatrix(x0)",
    "diag": "tf.linalg.LinearOperatorDiag(x0[..., 0])",
    "identity": "tf.linalg.LinearOperatorIdentity(3, batch_shape=[2], dtype=tf.float64)",
    "scaled": "tf.linalg.LinearOperatorScaledIdentity(3, x0[..., 0, 0])",
    "lower": "tf.linalg.LinearOperatorLowerTriangular(x0)",
    "composition": "tf.linalg.LinearOperatorComposition([tf.linalg.LinearOperatorFullMatrix(x0), tf.linalg.LinearOperatorDiag(x0[..., 1])])",
    "kronecker": "tf.linalg.LinearOperatorKronecker([tf.linalg.LinearOperatorDiag(x0[..., 0, :1]), tf.linalg.LinearOperatorFullMatrix(x0)])",
    "blockdiag": "tf.linalg.LinearOperatorBlockDiag([tf.linalg.LinearOperatorFullMatrix(x0[..., :2, :2]), tf.linalg.LinearOperatorDiag(x0[..., 2, :1])])",
    "inversion": "tf.linalg.LinearOperatorInversion(tf.linalg.LinearOperatorFullMatrix(x0))",
    "adjoint": "tf.linalg.LinearOperatorAdjoint(tf.linalg.LinearOperatorFullMatrix(x0))",
    "householder": "tf.linalg.LinearOperatorHouseholder(x0[..., 0])",
    "permutation": "tf.linalg.LinearOperatorPermutation([[2, 0, 1], [1, 0, 2]], dtype=tf.float64)",
    "toeplitz": "tf.linalg.LinearOperatorToeplitz(x0[..., 0], x0[..., 1, :])",
    "tridiag": "tf.linalg.LinearOperatorTridiag(x0)",
    "lowrank": "tf.linalg.LinearOperatorLowRankUpdate(tf.linalg.LinearOperatorDiag(x0[..., 0] ** 2 + 1.0), x0[..., :1])",
    # A real operator needs a Hermitian spectrum (here s[1] = s[2]).
    "circulant": "tf.linalg.LinearOperatorCirculant(tf.concat([x0[..., :1, 0], x0[..., 1:2, 0], x0[..., 1:2, 0]], -1) + 3.0, input_output_dtype=tf.float64)",
    # Any real 2 x 2 spectrum is Hermitian.
    "circulant2d": "tf.linalg.LinearOperatorCirculant2D(x0[..., :2, :2] + 3.0, input_output_dtype=tf.float64)",
    "blocklower": "tf.linalg.LinearOperatorBlockLowerTriangular([[tf.linalg.LinearOperatorFullMatrix(x0[..., :2, :2])], [tf.linalg.LinearOperatorFullMatrix(x0[..., 2:, :2]), tf.linalg.LinearOperatorDiag(x0[..., 2, 2:])]])",
}
_METHODS = [
    "op.to_dense()",
    "op.matmul(x1)",
    "op.matmul(x1, adjoint=True)",
    "op.matvec(x1[..., 0])",
    "op.solve(x1)",
    "op.solve(x1, adjoint=True)",
    "op.determinant()",
    "op.log_abs_determinant()",
    "op.diag_part()",
    "op.trace()",
    "op.inverse().to_dense()",
    "op.adjoint().to_dense()",
    "[op.shape.as_list(), op.is_square, op.is_self_adjoint, op.is_non_singular, op.is_positive_definite]",
]
for _name, _build in _OPS.items():
    for _k, _method in enumerate(_METHODS):
        CASES.append(
            (
                f"operator_{_name}_{_k}",
                f"(lambda op: {_method})({_build})",
                [(SQ, "float64"), (RHS, "float64")],
                _k < 10,
            )
        )

# name, expression, inputs: the exception TF raises (class name and message) is recorded.
ERRORS = [
    ("det_not_square", "tf.linalg.det(x0)", [(np.ones((2, 3)), "float32")]),
    ("det_rank1", "tf.linalg.det(x0)", [(np.ones(3), "float32")]),
    ("det_int", "tf.linalg.det(x0)", [(np.ones((2, 2)), "int32")]),
    ("inv_singular", "tf.linalg.inv(x0)", [(np.ones((2, 2)), "float32")]),
    ("inv_not_square", "tf.linalg.inv(x0)", [(np.ones((2, 3)), "float32")]),
    ("cholesky_not_square", "tf.linalg.cholesky(x0)", [(np.ones((2, 3)), "float32")]),
    ("svd_rank1", "tf.linalg.svd(x0)", [(np.ones(3), "float32")]),
    ("svd_int", "tf.linalg.svd(x0)", [(np.ones((2, 2)), "int32")]),
    (
        "svd_full_gradient_two_off_square",
        "tf.test.compute_gradient(lambda a: tf.linalg.svd(a, full_matrices=True)[1], [x0])",
        [(np.arange(10.0).reshape(5, 2), "float64")],
    ),
    ("qr_rank1", "tf.linalg.qr(x0)", [(np.ones(3), "float32")]),
    ("eigh_not_square", "tf.linalg.eigh(x0)", [(np.ones((2, 3)), "float32")]),
    ("slogdet_not_square", "tf.linalg.slogdet(x0)", [(np.ones((2, 3)), "float32")]),
    (
        "tri_not_square",
        "tf.linalg.triangular_solve(x0, x1)",
        [(np.ones((2, 3)), "float32"), (np.ones((2, 1)), "float32")],
    ),
    (
        "solve_singular",
        "tf.linalg.solve(x0, x1)",
        [(np.ones((2, 2)), "float32"), (np.ones((2, 1)), "float32")],
    ),
    ("logm_real", "tf.linalg.logm(x0)", [(np.eye(2), "float32")]),
    ("lu_singular", "tf.linalg.lu(x0)", [(np.zeros((2, 2)), "float32")]),
    ("cross_not_3", "tf.linalg.cross(x0, x0)", [(np.ones(2), "float32")]),
    ("diag_part_k_order", "tf.linalg.diag_part(x0, k=(1, 0))", [(np.ones((2, 3)), "float32")]),
    ("diag_part_k_range", "tf.linalg.diag_part(x0, k=5)", [(np.ones((3, 4)), "float32")]),
    ("int_expm", "tf.linalg.expm(x0)", [(np.eye(2), "int32")]),
    ("int_sqrtm", "tf.linalg.sqrtm(x0)", [(np.eye(2), "int32")]),
    ("int_pinv", "tf.linalg.pinv(x0)", [(np.eye(2), "int32")]),
    ("int_matrix_rank", "tf.linalg.matrix_rank(x0)", [(np.eye(2), "int32")]),
    ("int_triangular_solve", "tf.linalg.triangular_solve(x0, x0)", [(np.eye(2), "int32")]),
    ("int_lstsq", "tf.linalg.lstsq(x0, x0)", [(np.eye(2), "int32")]),
    ("int_cholesky", "tf.linalg.cholesky(x0)", [(np.eye(2), "int32")]),
    ("int_qr", "tf.linalg.qr(x0)", [(np.eye(2), "int32")]),
    ("int_eigh", "tf.linalg.eigh(x0)", [(np.eye(2), "int32")]),
    ("int_lu", "tf.linalg.lu(x0)", [(np.eye(2), "int32")]),
    ("int_slogdet", "tf.linalg.slogdet(x0)", [(np.eye(2), "int32")]),
    ("int_logdet", "tf.linalg.logdet(x0)", [(np.eye(2), "int32")]),
    (
        "int_tridiagonal_solve",
        "tf.linalg.tridiagonal_solve(tf.stack([x0[0], x0[0], x0[0]]), x0)",
        [(np.eye(2), "int32")],
    ),
    (
        "int_banded_triangular_solve",
        "tf.linalg.banded_triangular_solve(x0, x0)",
        [(np.eye(2), "int32")],
    ),
    ("int_cholesky_solve", "tf.linalg.cholesky_solve(x0, x0)", [(np.eye(2), "int32")]),
    ("int_lu_solve", "tf.linalg.lu_solve(x0, x0[0], x0)", [(np.eye(2), "int32")]),
    ("int_normalize", "tf.linalg.normalize(x0)", [(np.eye(2), "int32")]),
    ("norm_nuclear", "tf.norm(x0, ord='nuclear', axis=[0, 1])", [(np.eye(2), "float32")]),
    ("zeros_not_square", "tf.linalg.LinearOperatorZeros(2, 3)", []),
    ("full_matrix_rank1", "tf.linalg.LinearOperatorFullMatrix(x0)", [(np.ones(2), "float32")]),
    ("full_matrix_int", "tf.linalg.LinearOperatorFullMatrix(x0)", [(np.ones((2, 2)), "int32")]),
    (
        "inverse_not_square",
        "tf.linalg.LinearOperatorFullMatrix(x0).inverse()",
        [(np.ones((2, 3)), "float32")],
    ),
    (
        "composition_dtypes",
        "tf.linalg.LinearOperatorComposition([tf.linalg.LinearOperatorDiag(x0), tf.linalg.LinearOperatorDiag(x1)])",
        [(np.ones(2), "float32"), (np.ones(2), "float64")],
    ),
]


def weights(shape, k: int, complex_output=False) -> np.ndarray:
    """The fixed weights of output ``k`` in the recorded scalar loss ``real(sum(w * out))``;
    complex outputs get complex weights, so that gradients see complex upstream values."""
    size = int(np.prod(shape))
    w = (0.5 + (np.arange(size) * 0.37 + k * 0.11) % 1.0).reshape(shape)
    return w * (1.0 - 0.6j) if complex_output else w
