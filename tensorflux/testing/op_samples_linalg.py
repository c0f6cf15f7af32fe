"""Inference-contract rows for the linear algebra ops (decompositions, structured solves,
matrix functions, band and diagonal ops)."""

import numpy as np

from tensorflux.ops import (  # noqa: F401 - registers the ops
    linalg_decomposition_ops,
    linalg_lu_ops,
    linalg_solve_ops,
    matrix_diag_ops,
    matrix_functions_ops,
    tridiagonal_ops,
)
from tensorflux.testing.op_samples import add_sample, f32, f64

_SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
_C = (_SPD + 0.3j * np.array([[0, 1, 0], [-1, 0, 1], [0, -1, 0]])).astype(np.complex128)

add_sample("MatrixBandPart", f32(2, 3, 4), np.int64(1), np.int64(-1))
add_sample("MatrixDiagPartV3", f64(2, 3, 4), np.int32(0), np.float64(0))
add_sample(
    "MatrixDiagPartV3", f32(3, 4), np.array([-1, 1], np.int32), np.float32(9), align="LEFT_RIGHT"
)
add_sample("MatrixDiagV3", f64(2, 3), np.int32(0), np.int32(3), np.int32(4), np.float64(0))
add_sample("MatrixDiagV3", f32(3), np.int32(1), np.int32(-1), np.int32(-1), np.float32(0))
add_sample(
    "MatrixDiagV3", f32(2, 2), np.array([0, 1], np.int32), np.int32(-1), np.int32(-1), np.float32(0)
)
add_sample("MatrixSetDiagV3", f32(3, 4), f32(2, 3), np.array([-1, 0], np.int32), align="LEFT_LEFT")
add_sample("MatrixSetDiagV3", f32(2, 3, 4), f32(2, 3), np.int32(0), align="RIGHT_LEFT")
add_sample("Diag", f32(2, 3))
add_sample("DiagPart", f32(2, 3, 2, 3))
add_sample("Cross", f32(2, 3), f32(2, 3))
add_sample("Cholesky", np.stack([_SPD, _SPD * 2]))
add_sample("Cholesky", _C.astype(np.complex64))
add_sample("Qr", f64(2, 4, 3))
add_sample("Qr", f32(3, 5), full_matrices=True)
add_sample("Svd", f64(2, 4, 3), compute_uv=True, full_matrices=False)
add_sample("Svd", f32(3, 5), compute_uv=True, full_matrices=True)
add_sample("Svd", _C, compute_uv=False, full_matrices=False)
add_sample("SelfAdjointEigV2", _SPD.astype(np.float32))
add_sample("SelfAdjointEigV2", _C, compute_v=False)
add_sample("Eig", f32(2, 3, 3))
add_sample("Eig", _C, compute_v=False)
add_sample("LogMatrixDeterminant", f64(2, 3, 3))
add_sample("Lu", _SPD)
add_sample("Lu", _SPD.astype(np.float32), output_idx_type="int64")
add_sample(
    "MatrixTriangularSolve", f64(2, 3, 3) + 3 * np.eye(3), f64(3, 2), lower=True, adjoint=False
)
add_sample("BandedTriangularSolve", f64(2, 3) + 3, f64(3, 2), lower=False, adjoint=True)
add_sample("TridiagonalSolve", f64(3, 4) + np.array([[0], [4], [0]]), f64(4, 2))
add_sample("TridiagonalMatMul", f32(2, 1, 4), f32(2, 1, 4), f32(2, 1, 4), f32(2, 4, 3))
add_sample("MatrixSolveLs", f64(2, 4, 3), f64(2, 4, 2), np.float64(0.1), fast=True)
add_sample("MatrixSolveLs", f64(3, 4), f64(3, 1), np.float64(0.0), fast=False)
add_sample("MatrixExponential", f32(2, 3, 3))
add_sample("MatrixLogarithm", _C.astype(np.complex64))
add_sample("MatrixSquareRoot", _SPD)
