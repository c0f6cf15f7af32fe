"""Structured and least-squares solves: triangular, banded triangular, tridiagonal,
least squares, and the solves built on Cholesky and LU factors.

MatrixTriangularSolve, BandedTriangularSolve, TridiagonalSolve, TridiagonalMatMul and
MatrixSolveLs are primitives as in TF: each is one substitution or factorisation pass in
NumPy. ``cholesky_solve``, ``lu_solve``, ``lu_reconstruct`` and ``lu_matrix_inverse``
compose them, as TF's Python does.
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
from tensorflux.ops.linalg_ops import einsum
from tensorflux.ops.math_ops import add, matmul, multiply, negative, subtract
from tensorflux.ops.matrix_diag_ops import adjoint, band_part
from tensorflux.ops.unary_math_ops import conj

__all__ = [
    "triangular_solve",
    "banded_triangular_solve",
    "tridiagonal_solve",
    "tridiagonal_matmul",
    "lstsq",
    "cholesky_solve",
    "lu_solve",
    "lu_reconstruct",
    "lu_matrix_inverse",
]

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


# -- TridiagonalSolve, TridiagonalMatMul ------------------------------------


def _tridiag_dense(diags: np.ndarray) -> np.ndarray:
    """[..., 3, M] compact diagonals (super with its last entry unused, main, sub with its
    first unused) -> [..., M, M]."""
    n = diags.shape[-1]
    out = np.zeros(diags.shape[:-2] + (n, n), dtype=diags.dtype)
    i = np.arange(n)
    out[..., i, i] = diags[..., 1, :]
    out[..., i[:-1], i[1:]] = diags[..., 0, :-1]
    out[..., i[1:], i[:-1]] = diags[..., 2, 1:]
    return out


def _tridiag_solve_kernel(diagonals, rhs, partial_pivoting=True, perturb_singular=False):
    op = "TridiagonalSolve"
    if diagonals.ndim < 2 or diagonals.shape[-2] != 3:
        raise InvalidArgumentError(
            None,
            op,
            f"Expected diagonals to be provided as a tensor of shape [..., 3, M], got "
            f"{list(diagonals.shape)} [Op:{op}]",
        )
    if rhs.ndim != diagonals.ndim or rhs.shape[-2] != diagonals.shape[-1]:
        raise InvalidArgumentError(
            None,
            op,
            f"Expected rhs of shape [..., M, K] with M = {diagonals.shape[-1]}, got "
            f"{list(rhs.shape)} [Op:{op}]",
        )
    try:
        return np.linalg.solve(_tridiag_dense(diagonals), rhs)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, op, f"The matrix is not invertible. [Op:{op}]") from None


def _transpose_compact(diags: Tensor) -> Tensor:
    """Compact diagonals of the transposed tridiagonal matrix."""
    from tensorflux.ops.joining_ops import pad, stack

    sup, main, sub = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    rank = len(diags._value.shape) - 1
    tail = [[0, 0]] * (rank - 1)
    new_sup = pad(sub[..., 1:], tail + [[0, 1]])
    new_sub = pad(sup[..., :-1], tail + [[1, 0]])
    return stack([new_sup, main, new_sub], axis=-2)


def _three_diagonals_of_product(x: Tensor, y: Tensor) -> Tensor:
    """The compact diagonals of x @ y^T (only those entries are computed)."""
    from tensorflux.ops.joining_ops import pad, stack
    from tensorflux.ops.reduction_ops import reduce_sum

    rank = len(x._value.shape) - 1
    tail = [[0, 0]] * (rank - 1)
    main = reduce_sum(multiply(x, y), axis=-1)
    sup = pad(reduce_sum(multiply(x[..., :-1, :], y[..., 1:, :]), axis=-1), tail + [[0, 1]])
    sub = pad(reduce_sum(multiply(x[..., 1:, :], y[..., :-1, :]), axis=-1), tail + [[1, 0]])
    return stack([sup, main, sub], axis=-2)


def _tridiag_solve_grad(call, dy):
    """d rhs = solve(A^T, dy); d diagonals = -diagonals of (d rhs @ X^T)."""
    diags, _ = call.inputs
    (x,) = call.outputs
    grad_rhs = execute(_TRIDIAG_SOLVE, (_transpose_compact(diags), dy), call.attrs)
    return negative(_three_diagonals_of_product(grad_rhs, x)), grad_rhs


_TRIDIAG_SOLVE = register(
    "TridiagonalSolve",
    kernel=_tridiag_solve_kernel,
    grad=_tridiag_solve_grad,
    infer=lambda d, rhs, **attrs: Spec(rhs.dtype, rhs.shape),
    same_dtype=True,
    allowed=_REAL_AND_COMPLEX,
)


def tridiagonal_solve(
    diagonals,
    rhs,
    diagonals_format="compact",
    transpose_rhs=False,
    conjugate_rhs=False,
    name=None,
    partial_pivoting=True,
    perturb_singular=False,
) -> Tensor:
    """Solves ``A @ x = rhs`` for tridiagonal ``A`` (``tf.linalg.tridiagonal_solve``).

    >>> import tensorflux as tf
    >>> diags = [[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]]  # super, main, sub
    >>> tf.linalg.tridiagonal_solve(diags, [[3.0], [3.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)

    Args:
        diagonals: ``"compact"``: ``[..., 3, M]`` (superdiagonal with its last entry
            unused, main diagonal, subdiagonal with its first entry unused);
            ``"sequence"``: a tuple of the three ``[..., M]`` diagonals;
            ``"matrix"``: the ``[..., M, M]`` matrix itself.
        rhs: ``[..., M, K]``, or ``[..., K, M]`` with ``transpose_rhs``.

    Raises:
        ValueError: an unknown ``diagonals_format`` or mismatched shapes.
        InvalidArgumentError: a singular matrix.
    """
    from tensorflux.ops.joining_ops import stack
    from tensorflux.ops.linalg_ops import diag_part

    if diagonals_format == "compact":
        diags = to_tensor(diagonals)
    elif diagonals_format == "sequence":
        if len(diagonals) != 3:
            raise ValueError(
                f"Expected diagonals to be a sequence of length 3, got {len(diagonals)}"
            )
        sup, main, sub = (to_tensor(d) for d in diagonals)
        diags = stack([sup, main, sub], axis=-2)
    elif diagonals_format == "matrix":
        m = to_tensor(diagonals)
        from tensorflux.ops.joining_ops import pad

        rank = len(m._value.shape) - 1
        tail = [[0, 0]] * (rank - 1)
        sup = pad(diag_part(m[..., :-1, 1:]), tail + [[0, 1]])
        sub = pad(diag_part(m[..., 1:, :-1]), tail + [[1, 0]])
        diags = stack([sup, diag_part(m), sub], axis=-2)
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    r = to_tensor(rhs, diags.dtype)
    if transpose_rhs:
        from tensorflux.ops.linalg_ops import matrix_transpose

        r = matrix_transpose(r)
    if conjugate_rhs:
        r = conj(r)
    attrs = {"partial_pivoting": partial_pivoting, "perturb_singular": perturb_singular}
    return execute(_TRIDIAG_SOLVE, (diags, r), attrs)


def _tridiag_matmul_kernel(superdiag, maindiag, subdiag, rhs):
    diags = np.concatenate([superdiag, maindiag, subdiag], axis=-2)
    return np.matmul(_tridiag_dense(diags), rhs)


def _tridiag_matmul_grad(call, dy):
    """d diag_k = sum over columns of dy * conj(rhs shifted by k); d rhs = A^H @ dy."""
    from tensorflux.ops.shape_ops import expand_dims

    sup, main, sub, rhs = call.inputs
    diags = _transpose_compact(conj(_concat_rows(sup, main, sub)))
    grad_rhs = execute(
        _TRIDIAG_MATMUL, (diags[..., 0:1, :], diags[..., 1:2, :], diags[..., 2:3, :], dy)
    )
    three = _three_diagonals_of_product(dy, conj(rhs))
    return (
        expand_dims(three[..., 0, :], -2),
        expand_dims(three[..., 1, :], -2),
        expand_dims(three[..., 2, :], -2),
        grad_rhs,
    )


def _concat_rows(*rows: Tensor) -> Tensor:
    from tensorflux.ops.joining_ops import concat

    return concat(list(rows), axis=-2)


_TRIDIAG_MATMUL = register(
    "TridiagonalMatMul",
    kernel=_tridiag_matmul_kernel,
    grad=_tridiag_matmul_grad,
    infer=lambda sup, main, sub, rhs: Spec(rhs.dtype, rhs.shape),
    same_dtype=True,
    allowed=_REAL_AND_COMPLEX,
)


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None) -> Tensor:
    """Product ``A @ rhs`` of a tridiagonal ``A`` (``tf.linalg.tridiagonal_matmul``); the
    formats are those of ``tridiagonal_solve``.

    >>> import tensorflux as tf
    >>> diags = [[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]]
    >>> tf.linalg.tridiagonal_matmul(diags, [[1.0], [1.0]]).numpy()
    array([[3.],
           [3.]], dtype=float32)

    Raises:
        ValueError: an unknown ``diagonals_format``.
    """
    from tensorflux.ops.linalg_ops import diag_part
    from tensorflux.ops.shape_ops import expand_dims

    if diagonals_format == "compact":
        d = to_tensor(diagonals)
        sup, main, sub = d[..., 0:1, :], d[..., 1:2, :], d[..., 2:3, :]
    elif diagonals_format == "sequence":
        sup, main, sub = (expand_dims(to_tensor(x), -2) for x in diagonals)
    elif diagonals_format == "matrix":
        from tensorflux.ops.joining_ops import pad

        m = to_tensor(diagonals)
        tail = [[0, 0]] * (len(m._value.shape) - 2)
        sup = expand_dims(pad(diag_part(m[..., :-1, 1:]), tail + [[0, 1]]), -2)
        main = expand_dims(diag_part(m), -2)
        sub = expand_dims(pad(diag_part(m[..., 1:, :-1]), tail + [[1, 0]]), -2)
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    return execute(_TRIDIAG_MATMUL, (sup, main, sub, to_tensor(rhs, sup.dtype)))


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
    try:
        if m >= n:
            return np.linalg.solve(ah @ matrix + l2 * np.eye(n), ah @ rhs).astype(rhs.dtype)
        return (ah @ np.linalg.solve(matrix @ ah + l2 * np.eye(m), rhs)).astype(rhs.dtype)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(
            None,
            op,
            "Cholesky decomposition was not successful. The input might not be valid. "
            f"[Op:{op}] The matrix is rank deficient: pass l2_regularizer > 0 or fast=False.",
        ) from None


def _lstsq_infer(matrix: Spec, rhs: Spec, l2, fast=True) -> Spec:
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return Spec(rhs.dtype, TensorShape(None))
    dims = matrix.shape.as_list()
    return Spec(rhs.dtype, TensorShape(dims[:-2] + [dims[-1], rhs.shape.as_list()[-1]]))


def _lstsq_grad(call, dy):
    """Normal equations: deep A: dA = -A (X Z^H + Z X^H) + B Z^H, dB = A Z with
    Z = (A^H A + l2 I)^-1 dy; wide A: the dual formula through (A A^H + l2 I)^-1."""
    a, b, l2 = call.inputs
    if not call.attrs.get("fast", True):
        raise ValueError("Gradient not defined for fast=False")
    m, n = a._value.shape[-2:]
    if m >= n:
        chol = _gram_cholesky(a, l2, True)
        (x,) = call.outputs
        z = cholesky_solve(chol, dy)
        xz = matmul(x, z, adjoint_b=True)
        grad_a = add(negative(matmul(a, add(xz, adjoint(xz)))), matmul(b, z, adjoint_b=True))
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

    Raises:
        InvalidArgumentError: mismatched shapes or dtypes, or a rank-deficient matrix
            with ``fast=True`` and no regularisation.
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


def _unpack_lu(lower_upper: Tensor):
    n = lower_upper._value.shape[-1]
    ident = eye(n, dtype=lower_upper.dtype)
    low = add(band_part(lower_upper, -1, 0), subtract(ident, multiply(lower_upper, ident)))
    return low, band_part(lower_upper, 0, -1)


def _permutation_matrix(perm: Tensor, dtype) -> Tensor:
    """P with P[i, perm[i]] = 1, so that P @ x = x[perm]."""
    from tensorflux.ops.creation_ops import one_hot

    return one_hot(perm, perm._value.shape[-1], dtype=dtype)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None) -> Tensor:
    """The matrix ``X`` that ``tf.linalg.lu`` factored: ``X[perm] = L @ U``
    (``tf.linalg.lu_reconstruct``).

    >>> import tensorflux as tf
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.linalg.lu_reconstruct(lu, p).numpy()
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    lu_t = to_tensor(lower_upper)
    low, up = _unpack_lu(lu_t)
    return matmul(_permutation_matrix(to_tensor(perm), lu_t.dtype), matmul(low, up), adjoint_a=True)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None) -> Tensor:
    """Solves ``X @ x = rhs`` from the LU factors of ``X`` (``tf.linalg.lu_solve``).

    >>> import tensorflux as tf
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.linalg.lu_solve(lu, p, [[5.0], [11.0]]).numpy().round(4)
    array([[1.],
           [2.]], dtype=float32)
    """
    lu_t = to_tensor(lower_upper)
    low, up = _unpack_lu(lu_t)
    permuted = matmul(_permutation_matrix(to_tensor(perm), lu_t.dtype), to_tensor(rhs, lu_t.dtype))
    y = triangular_solve(low, permuted, lower=True)
    return triangular_solve(up, y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None) -> Tensor:
    """The inverse of ``X`` from its LU factors (``tf.linalg.lu_matrix_inverse``).

    >>> import tensorflux as tf
    >>> lu, p = tf.linalg.lu([[2.0, 0.0], [0.0, 4.0]])
    >>> tf.linalg.lu_matrix_inverse(lu, p).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    lu_t = to_tensor(lower_upper)
    n = lu_t._value.shape[-1]
    batch = list(lu_t._value.shape[:-2])
    return lu_solve(lu_t, perm, eye(n, batch_shape=batch or None, dtype=lu_t.dtype))
