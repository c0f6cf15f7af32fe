"""Triangular, banded triangular and least-squares solves, and ``cholesky_solve``
(tridiagonal systems are in ``tridiagonal_ops.py``, LU solves in ``linalg_lu_ops.py``).

MatrixTriangularSolve, BandedTriangularSolve and MatrixSolveLs are primitives as in TF:
each is one substitution or factorisation pass in NumPy. ``cholesky_solve`` composes two
triangular solves, as TF's Python does.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor, unbroadcast
from tensorflux.ops.creation_ops import eye
from tensorflux.ops.linalg_decomposition_ops import _cast_like, cholesky
from tensorflux.ops.linalg_ops import einsum, matrix_transpose
from tensorflux.ops.math_ops import add, matmul, multiply, negative, subtract
from tensorflux.ops.matrix_diag_ops import band_part

__all__ = ["triangular_solve", "banded_triangular_solve", "lstsq", "cholesky_solve"]

_REAL_AND_COMPLEX = frozenset({dtypes.float32, dtypes.float64}) | COMPLEX


def _broadcast_batch(matrix: np.ndarray, rhs: np.ndarray, op: str):
    try:
        batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    except ValueError:
        raise InvalidArgumentError(
            None,
            op,
            f"Incompatible batch dimensions: matrix {list(matrix.shape)} vs rhs "
            f"{list(rhs.shape)} [Op:{op}]",
        ) from None
    return (
        np.broadcast_to(matrix, batch + matrix.shape[-2:]),
        np.broadcast_to(rhs, batch + rhs.shape[-2:]),
    )


def _substitute(t: np.ndarray, rhs: np.ndarray, lower: bool) -> np.ndarray:
    """Solves t @ x = rhs for triangular t by substitution; a zero pivot gives inf/nan as in
    TF (no error)."""
    n = t.shape[-1]
    x = np.zeros(np.broadcast_shapes(t.shape[:-2], rhs.shape[:-2]) + rhs.shape[-2:], rhs.dtype)
    order = range(n) if lower else range(n - 1, -1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            acc = rhs[..., i, :] - np.einsum("...k,...kj->...j", t[..., i, done], x[..., done, :])
            x[..., i, :] = acc / t[..., i, i : i + 1]
    return x


def solve_or_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.linalg.solve, with NaN for the batch members whose matrix is singular: TF's
    Cholesky-based and tridiagonal solvers return NaN there instead of failing."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        pass
    a, b = np.broadcast_to(a, b.shape[:-2] + a.shape[-2:]), b
    out = np.empty(b.shape, np.result_type(a, b))
    for idx in np.ndindex(b.shape[:-2]):
        try:
            out[idx] = np.linalg.solve(a[idx], b[idx])
        except np.linalg.LinAlgError:
            out[idx] = np.nan
    return out


def _solve_batch_infer(matrix: Spec, rhs: Spec, **attrs) -> Spec:
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return Spec(rhs.dtype, TensorShape(None))
    from tensorflux.ops.common import broadcast_shape

    batch = broadcast_shape(matrix.shape[:-2], rhs.shape[:-2])
    return Spec(rhs.dtype, batch.concatenate(rhs.shape[-2:]))


# -- MatrixTriangularSolve --------------------------------------------------


def _tri_kernel(matrix, rhs, lower=True, adjoint=False):
    op = "MatrixTriangularSolve"
    if matrix.ndim < 2 or rhs.ndim < 2:
        raise InvalidArgumentError(
            None,
            op,
            f"Inputs must have rank >= 2: matrix {list(matrix.shape)}, rhs {list(rhs.shape)}",
        )
    if matrix.shape[-1] != matrix.shape[-2]:
        raise InvalidArgumentError(
            None,
            op,
            f"In[0] matrices in the last dimensions must be square "
            f"({matrix.shape[-1]} =/= {matrix.shape[-2]}) [Op:{op}]",
        )
    if rhs.shape[-2] != matrix.shape[-1]:
        raise InvalidArgumentError(
            None,
            op,
            f"In[0] mismatch In[1] shape: {matrix.shape[-1]} vs. {rhs.shape[-2]}: "
            f"{list(matrix.shape)} {list(rhs.shape)} [Op:{op}]",
        )
    matrix, rhs = _broadcast_batch(matrix, rhs, op)
    t = np.tril(matrix) if lower else np.triu(matrix)
    if adjoint:
        t, lower = np.conj(np.swapaxes(t, -1, -2)), not lower
    return _substitute(t, rhs, lower)


def _tri_grad(call, dy):
    """d rhs = solve(A^H, dy); dA = -d rhs X^H (or -X d rhs^H with adjoint), on A's triangle."""
    a, b = call.inputs
    (x,) = call.outputs
    lower, adj = call.attrs.get("lower", True), call.attrs.get("adjoint", False)
    grad_b = execute(_TRI, (a, dy), {"lower": lower, "adjoint": not adj})
    if adj:
        grad_a = negative(matmul(x, grad_b, adjoint_b=True))
    else:
        grad_a = negative(matmul(grad_b, x, adjoint_b=True))
    grad_a = band_part(grad_a, -1, 0) if lower else band_part(grad_a, 0, -1)
    return unbroadcast(grad_a, a), unbroadcast(grad_b, b)


_TRI = register(
    "MatrixTriangularSolve",
    kernel=_tri_kernel,
    grad=_tri_grad,
    infer=_solve_batch_infer,
    same_dtype=True,
    allowed=_REAL_AND_COMPLEX,
)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None) -> Tensor:
    """Solves ``matrix @ x = rhs`` for triangular ``matrix`` (``tf.linalg.triangular_solve``);
    only the lower (or upper) triangle is read. Batch dimensions broadcast.

    >>> import tensorflux as tf
    >>> tf.linalg.triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [3.0]]).numpy()
    array([[1.],
           [2.]], dtype=float32)

    Args:
        lower: read the lower triangle (else the upper one).
        adjoint: solve with the conjugate transpose of that triangle.

    Raises:
        InvalidArgumentError: non-square ``matrix``, mismatched shapes or dtypes.
    """
    attrs = {"lower": bool(lower), "adjoint": bool(adjoint)}
    m = to_tensor(matrix)
    return execute(_TRI, (m, to_tensor(rhs, m.dtype)), attrs)


# -- BandedTriangularSolve --------------------------------------------------


def _band_selector(k: int, n: int, lower: bool) -> np.ndarray:
    """E[r, i, j] = 1 where band row r, entry i holds matrix entry (i, j): lower bands are
    subdiagonals r (entry i at column i - r), upper bands superdiagonal k-1-r (column
    i + k-1-r), as TF's banded format stores them."""
    e = np.zeros((k, n, n))
    for r in range(k):
        off = -r if lower else k - 1 - r
        for i in range(n):
            if 0 <= i + off < n:
                e[r, i, i + off] = 1.0
    return e


def _banded_dense(bands: np.ndarray, n: int, lower: bool) -> np.ndarray:
    e = _band_selector(bands.shape[-2], n, lower).astype(bands.dtype)
    return np.einsum("...ri,rij->...ij", bands[..., :, :n], e)


def _banded_kernel(bands, rhs, lower=True, adjoint=False):
    op = "BandedTriangularSolve"
    if bands.ndim < 2 or rhs.ndim < 2:
        raise InvalidArgumentError(
            None,
            op,
            f"Inputs must have rank >= 2: bands {list(bands.shape)}, rhs {list(rhs.shape)}",
        )
    n = rhs.shape[-2]
    if bands.shape[-1] != n:
        raise InvalidArgumentError(
            None,
            op,
            f"In[0] mismatch In[1] shape: {bands.shape[-1]} vs. {n}: {list(bands.shape)} "
            f"{list(rhs.shape)} [Op:{op}]",
        )
    if bands.shape[-2] > n:
        raise InvalidArgumentError(
            None, op, f"Number of bands ({bands.shape[-2]}) must be at most {n} [Op:{op}]"
        )
    return _tri_kernel(_banded_dense(bands, n, lower), rhs, lower=lower, adjoint=adjoint)


def _banded_grad(call, dy):
    """As MatrixTriangularSolve's, with dA read back into the band layout."""
    bands, b = call.inputs
    (x,) = call.outputs
    lower, adj = call.attrs.get("lower", True), call.attrs.get("adjoint", False)
    grad_b = execute(_BANDED, (bands, dy), {"lower": lower, "adjoint": not adj})
    if adj:
        grad_a = negative(matmul(x, grad_b, adjoint_b=True))
    else:
        grad_a = negative(matmul(grad_b, x, adjoint_b=True))
    k, n = bands._value.shape[-2:]
    select = to_tensor(_band_selector(k, n, lower).astype(bands._value.dtype))
    grad_bands = einsum("...ij,rij->...ri", grad_a, select)
    return unbroadcast(grad_bands, bands), unbroadcast(grad_b, b)


_BANDED = register(
    "BandedTriangularSolve",
    kernel=_banded_kernel,
    grad=_banded_grad,
    infer=_solve_batch_infer,
    same_dtype=True,
    allowed=_REAL_AND_COMPLEX,
)


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None) -> Tensor:
    """Solves ``A @ x = rhs`` for a banded triangular ``A`` given by its ``K`` bands
    (``tf.linalg.banded_triangular_solve``).

    For ``lower=True`` row ``r`` of ``bands`` is subdiagonal ``r`` (``A[i, i - r] =
    bands[r, i]``); for ``lower=False`` row ``r`` is superdiagonal ``K - 1 - r``
    (``A[i, i + K - 1 - r] = bands[r, i]``).

    >>> import tensorflux as tf
    >>> tf.linalg.banded_triangular_solve([[2.0, 2.0], [0.0, 1.0]], [[2.0], [3.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)

    Raises:
        InvalidArgumentError: mismatched shapes or dtypes.
    """
    attrs = {"lower": bool(lower), "adjoint": bool(adjoint)}
    bd = to_tensor(bands)
    return execute(_BANDED, (bd, to_tensor(rhs, bd.dtype)), attrs)


# -- MatrixSolveLs ----------------------------------------------------------


def _gram_cholesky(a: Tensor, l2: Tensor, first_kind: bool) -> Tensor:
    """Cholesky factor of A^H A + l2 I (first kind) or A A^H + l2 I."""
    gram = matmul(a, a, adjoint_a=first_kind, adjoint_b=not first_kind)
    n = gram._value.shape[-1]
    return cholesky(add(gram, multiply(_cast_like(l2, a), eye(n, dtype=a.dtype))))


def _lstsq_kernel(matrix, rhs, l2_regularizer, fast=True):
    op = "MatrixSolveLs"
    if matrix.ndim < 2 or rhs.ndim != matrix.ndim or rhs.shape[-2] != matrix.shape[-2]:
        raise InvalidArgumentError(
            None,
            op,
            f"Incompatible shapes: matrix {list(matrix.shape)} and rhs {list(rhs.shape)}; "
            f"rhs needs the matrix's rows and rank [Op:{op}]",
        )
    if not fast:
        x = [
            np.linalg.lstsq(a, b, rcond=None)[0]
            for a, b in zip(
                matrix.reshape((-1,) + matrix.shape[-2:]), rhs.reshape((-1,) + rhs.shape[-2:])
            )
        ]
        return np.asarray(x, dtype=rhs.dtype).reshape(
            matrix.shape[:-2] + (matrix.shape[-1], rhs.shape[-1])
        )
    l2 = float(l2_regularizer)
    ah = np.conj(np.swapaxes(matrix, -1, -2))
    m, n = matrix.shape[-2:]
    if m >= n:
        return solve_or_nan(ah @ matrix + l2 * np.eye(n), ah @ rhs).astype(rhs.dtype)
    return (ah @ solve_or_nan(matrix @ ah + l2 * np.eye(m), rhs)).astype(rhs.dtype)


def _lstsq_infer(matrix: Spec, rhs: Spec, l2, fast=True) -> Spec:
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return Spec(rhs.dtype, TensorShape(None))
    dims = matrix.shape.as_list()
    return Spec(rhs.dtype, TensorShape(dims[:-2] + [dims[-1], rhs.shape.as_list()[-1]]))


def _lstsq_grad(call, dy):
    """Normal equations: deep A: dA = -A (X Z^H + (X Z^H)^T) + B Z^H, dB = A Z with
    Z = (A^H A + l2 I)^-1 dy; wide A: the dual formula through (A A^H + l2 I)^-1.
    For complex A, TF adds the transpose of X Z^H, not its adjoint (so this is not the
    derivative there); kept as TF computes it."""
    a, b, l2 = call.inputs
    if not call.attrs.get("fast", True):
        raise ValueError("Gradient not defined for fast=False")
    m, n = a._value.shape[-2:]
    if m >= n:
        chol = _gram_cholesky(a, l2, True)
        (x,) = call.outputs
        z = cholesky_solve(chol, dy)
        xz = matmul(x, z, adjoint_b=True)
        grad_a = add(
            negative(matmul(a, add(xz, matrix_transpose(xz)))), matmul(b, z, adjoint_b=True)
        )
        return grad_a, matmul(a, z), None
    chol = _gram_cholesky(a, l2, False)
    grad_b = cholesky_solve(chol, matmul(a, dy))
    tmp = cholesky_solve(chol, b)
    a1 = negative(matmul(grad_b, matmul(tmp, a, adjoint_a=True)))
    a2 = matmul(tmp, subtract(dy, matmul(a, grad_b, adjoint_a=True)), adjoint_b=True)
    return add(a1, a2), grad_b, None


_LSTSQ = register(
    "MatrixSolveLs",
    kernel=_lstsq_kernel,
    grad=_lstsq_grad,
    infer=_lstsq_infer,
    allowed=_REAL_AND_COMPLEX,
)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None) -> Tensor:
    """Least-squares solution of ``matrix @ x = rhs`` (``tf.linalg.lstsq``).

    ``fast=True`` solves the (regularised) normal equations through a Cholesky factor:
    ``(A^H A + l2 I) x = A^H rhs`` for ``M >= N``, the minimum-norm
    ``x = A^H (A A^H + l2 I)^-1 rhs`` for ``M < N``. ``fast=False`` uses an SVD-based
    solver, robust to rank deficiency (``l2_regularizer`` is then ignored, as in TF's CPU
    kernel) and without a gradient.

    >>> import tensorflux as tf
    >>> tf.linalg.lstsq([[1.0], [1.0]], [[1.0], [3.0]]).numpy()
    array([[2.]], dtype=float32)

    A rank-deficient matrix with ``fast=True`` and no regularisation gives NaN, as in TF.

    Raises:
        InvalidArgumentError: mismatched shapes or dtypes.
    """
    m = to_tensor(matrix)
    r = to_tensor(rhs, m.dtype)
    if r.dtype != m.dtype:
        raise InvalidArgumentError(
            None, "MatrixSolveLs", f"matrix and rhs dtypes differ: {m.dtype.name} vs {r.dtype.name}"
        )
    l2 = to_tensor(l2_regularizer, "float64")
    return execute(_LSTSQ, (m, r, l2), {"fast": bool(fast)})


# -- compositions -----------------------------------------------------------


def cholesky_solve(chol, rhs, name=None) -> Tensor:
    """Solves ``A @ x = rhs`` given the Cholesky factor ``chol`` of ``A``
    (``tf.linalg.cholesky_solve``): two triangular solves.

    >>> import tensorflux as tf
    >>> chol = tf.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]])
    >>> tf.linalg.cholesky_solve(chol, [[6.0], [7.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)
