"""Matrix decompositions: Cholesky, QR, SVD, symmetric and general eigenproblems
(``tf.linalg.cholesky``, ``qr``, ``svd``, ``eigh``, ``eig`` and the functions built on
them; LU and determinants are in ``linalg_lu_ops.py``).

Each is a primitive: LAPACK (through ``np.linalg``) factors a matrix in one call, which
no composition of tensorflux ops could match. The gradients follow the formulas of TF's
``linalg_grad.py`` and are written with tensorflux ops, so they differentiate again.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import eye, zeros_like
from tensorflux.ops.linalg_ops import diag, diag_part
from tensorflux.ops.math_ops import add, cast, matmul, multiply, subtract
from tensorflux.ops.matrix_diag_ops import adjoint, band_part, set_diag
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.unary_math_ops import conj, real

__all__ = ["cholesky", "qr", "svd", "eigh", "eigvalsh", "eig", "eigvals"]

# The named results of tf.linalg.qr, as TF names them.
Qr = namedtuple("Qr", ["q", "r"])

_REAL_AND_COMPLEX = frozenset({dtypes.float32, dtypes.float64}) | COMPLEX


def check_square(x: np.ndarray, op: str) -> None:
    """TF's errors for a batch of matrices that is not one: rank < 2, or not square."""
    if x.ndim < 2:
        raise InvalidArgumentError(
            None, op, f"Input tensor 0 must have rank >= 2, got {x.ndim} [Op:{op}]"
        )
    if x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(
            None,
            op,
            f"Input matrix must be square. [Op:{op}] Got shape {list(x.shape)}; pass "
            f"[..., M, M] matrices.",
        )


def _check_rank(x: np.ndarray, op: str) -> None:
    if x.ndim < 2:
        raise InvalidArgumentError(
            None, op, f"Input tensor 0 must have rank >= 2, got {x.ndim} [Op:{op}]"
        )


def _same_shape(x: Spec) -> Spec:
    return Spec(x.dtype, x.shape)


def _dims(x: Spec):
    """The static dims of a matrix batch, or None for an unknown rank."""
    return None if x.shape.rank is None else x.shape.as_list()


def _lower_solve(low: Tensor, rhs: Tensor, adjoint_l=False) -> Tensor:
    from tensorflux.ops.linalg_solve_ops import triangular_solve

    return triangular_solve(low, rhs, lower=True, adjoint=adjoint_l)


def _cast_like(x: Tensor, like: Tensor) -> Tensor:
    return x if x.dtype == like.dtype else cast(x, like.dtype)


# -- Cholesky ---------------------------------------------------------------


def _cholesky_kernel(x):
    check_square(x, "Cholesky")
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError:
        pass
    # As TF's CPU kernel: a matrix that is not positive definite gives NaN in its lower
    # triangle (no error), the others their factors.
    n = x.shape[-1]
    flat = x.reshape((-1, n, n))
    out = np.zeros_like(flat)
    failed = np.tril(np.full((n, n), np.nan, dtype=x.dtype))
    for i, m in enumerate(flat):
        try:
            out[i] = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            out[i] = failed
    return out.reshape(x.shape)


def _cholesky_grad(call, dl):
    """dA = sym(L^-H Phi(L^H dL) L^-1), Phi taking the lower triangle with halved diagonal."""
    (chol,) = call.outputs
    middle = matmul(chol, dl, adjoint_a=True)
    middle = band_part(middle, -1, 0)
    middle = set_diag(middle, multiply(diag_part(middle), _cast_like(to_tensor(0.5), chol)))
    l_inv = _lower_solve(chol, eye(chol._value.shape[-1], dtype=chol.dtype))
    grad = matmul(matmul(l_inv, middle, adjoint_a=True), l_inv)
    return (multiply(add(grad, adjoint(grad)), _cast_like(to_tensor(0.5), chol)),)


_CHOLESKY = register(
    "Cholesky",
    kernel=_cholesky_kernel,
    grad=_cholesky_grad,
    infer=_same_shape,
    allowed=_REAL_AND_COMPLEX,
)


def cholesky(input, name=None) -> Tensor:  # noqa: A002
    """Lower Cholesky factor ``L`` of each Hermitian positive definite matrix,
    ``input = L @ L^H`` (``tf.linalg.cholesky``). Only the lower triangle is read.

    >>> import tensorflux as tf
    >>> tf.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]]).numpy()
    array([[2., 0.],
           [1., 2.]], dtype=float32)

    A matrix that is not positive definite gives NaN in its lower triangle, as in TF.

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_CHOLESKY, (to_tensor(input),))


# -- Qr ---------------------------------------------------------------------


def _qr_kernel(x, full_matrices=False):
    _check_rank(x, "Qr")
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    q, r = np.linalg.qr(work, mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


def _qr_infer(x: Spec, full_matrices=False):
    dims = _dims(x)
    if dims is None:
        return Spec(x.dtype, TensorShape(None)), Spec(x.dtype, TensorShape(None))
    *batch, m, n = dims
    k = m if full_matrices else (None if None in (m, n) else min(m, n))
    return Spec(x.dtype, TensorShape(batch + [m, k])), Spec(x.dtype, TensorShape(batch + [k, n]))


def _tri_solve_right(x: Tensor, r: Tensor) -> Tensor:
    """x @ inv(r)^H for an upper-triangular r, as adjoint(solve(r, x^H))."""
    from tensorflux.ops.linalg_solve_ops import triangular_solve

    return adjoint(triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_square_or_deep(q, r, dq, dr) -> Tensor:
    """dA = Q (dR + tril-part / R) + (dQ - Q Q^H dQ) R^-H for m >= n (TF's QrGrad)."""
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    low = band_part(add(subtract(qdq, adjoint(qdq)), subtract(rdr, adjoint(rdr))), -1, 0)
    grad_a = matmul(q, add(dr, _tri_solve_right(low, r)))
    grad_b = _tri_solve_right(subtract(dq, matmul(q, qdq)), r)
    grad = add(grad_a, grad_b)
    if q.dtype.is_complex:
        # The imaginary part of diag(R dR^H - (Q^H dQ)^H), which the real formula drops.
        m = subtract(rdr, adjoint(qdq))
        diagonal = set_diag(zeros_like(m), diag_part(m))
        correction = subtract(diagonal, cast(real(diagonal), q.dtype))
        grad = add(grad, _tri_solve_right(matmul(q, adjoint(correction)), r))
    return grad


def _qr_grad(call, dq, dr):
    """Square or deep A: see _qr_grad_square_or_deep; wide A = [X, Y]: dX from the square
    part with dQ + Y dR_Y^H, dY = Q dR_Y."""
    from tensorflux.ops.joining_ops import concat

    (a,) = call.inputs
    q, r = call.outputs
    m, n = a._value.shape[-2:]
    if call.attrs.get("full_matrices") and m > n:
        raise NotImplementedError(
            "QrGrad not implemented when nrows > ncols and full_matrices is true."
        )
    if dq is None:
        dq = zeros_like(q)
    if dr is None:
        dr = zeros_like(r)
    if m >= n:
        return (_qr_grad_square_or_deep(q, r, dq, dr),)
    y = a[..., :, m:]
    u = r[..., :, :m]
    dv = dr[..., :, m:]
    dq = add(dq, matmul(y, dv, adjoint_b=True))
    dx = _qr_grad_square_or_deep(q, u, dq, dr[..., :, :m])
    return (concat([dx, matmul(q, dv)], axis=-1),)


_QR = register(
    "Qr",
    kernel=_qr_kernel,
    grad=_qr_grad,
    infer=_qr_infer,
    num_outputs=2,
    allowed=_REAL_AND_COMPLEX | {dtypes.float16},
)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """QR decomposition ``input = Q @ R`` of each matrix in the last two axes
    (``tf.linalg.qr``); ``Q`` has orthonormal columns, ``R`` is upper triangular.

    Column signs follow LAPACK's Householder convention (R's diagonal may be negative).

    >>> import tensorflux as tf
    >>> q, r = tf.linalg.qr([[3.0, 1.0], [4.0, 2.0]])
    >>> float(abs(r[0, 0]))
    5.0

    Args:
        full_matrices: ``Q`` is ``[M, M]`` and ``R`` ``[M, N]``; else ``[M, P]`` and
            ``[P, N]`` with ``P = min(M, N)``.

    Returns:
        ``Qr(q, r)``, a named tuple.

    Raises:
        InvalidArgumentError: an input of rank < 2 or an integer input.
    """
    attrs = {"full_matrices": True} if full_matrices else {}
    return Qr(*execute(_QR, (to_tensor(input),), attrs))


# -- Svd --------------------------------------------------------------------


def _svd_kernel(x, compute_uv=True, full_matrices=False):
    _check_rank(x, "Svd")
    if not compute_uv:
        s = np.linalg.svd(x, compute_uv=False)
        empty = np.zeros((0,), dtype=x.dtype)
        return s.astype(x.dtype, copy=False), empty, empty.copy()
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    v = np.conj(np.swapaxes(vh, -1, -2))
    return s.astype(x.dtype, copy=False), u, v


def _svd_infer(x: Spec, compute_uv=True, full_matrices=False):
    dims = _dims(x)
    if dims is None:
        unknown = Spec(x.dtype, TensorShape(None))
        return unknown, unknown, unknown
    *batch, m, n = dims
    p = None if None in (m, n) else min(m, n)
    s = Spec(x.dtype, TensorShape(batch + [p]))
    if not compute_uv:
        empty = Spec(x.dtype, TensorShape([0]))
        return s, empty, empty
    ku, kv = (m, n) if full_matrices else (p, p)
    return (
        s,
        Spec(x.dtype, TensorShape(batch + [m, ku])),
        Spec(x.dtype, TensorShape(batch + [n, kv])),
    )


def _svd_grad(call, ds, du, dv):
    """TF's SvdGrad: dA = U (dS + (F o (U^H dU) + h.c.) S + S (F o (V^H dV) + h.c.)) V^H
    plus the terms for the columns outside the square part, F_ij = 1 / (s_j^2 - s_i^2).
    With full_matrices, as in TF, only matrices one row or column off square have it."""
    (a,) = call.inputs
    s, u, v = call.outputs
    attrs = call.attrs
    ds = _cast_like(ds if ds is not None else zeros_like(s), a)
    if not attrs.get("compute_uv", True):
        _, u, v = execute(_SVD, (a,), {"compute_uv": True, "full_matrices": False})
        return (matmul(matmul(u, diag(ds)), v, adjoint_b=True),)
    m, n = a._value.shape[-2:]
    full = attrs.get("full_matrices", False)
    du = du if du is not None else zeros_like(u)
    dv = dv if dv is not None else zeros_like(v)
    if m > n:
        # Work with A^H, whose SVD swaps U and V: the wide case below.
        u, v, du, dv, m, n, flip = v, u, dv, du, n, m, True
    else:
        flip = False
    if full and n - m > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
            f"Received: m={m} and n={n} from op input={a._value} with "
            f"shape={TensorShape(a._value.shape)}."
        )
    s_c = _cast_like(s, a)
    s_mat = diag(s_c)
    s2 = multiply(s, s)
    gap = subtract(expand_dims(s2, -2), expand_dims(s2, -1))
    f = _cast_like(_reciprocal_off_diagonal(gap), a)
    v1 = v[..., :, :m]
    dv1 = dv[..., :, :m]
    f_u = multiply(f, matmul(u, du, adjoint_a=True))
    f_v = multiply(f, matmul(v1, dv1, adjoint_a=True))
    core = add(
        add(diag(ds), matmul(add(f_u, adjoint(f_u)), s_mat)),
        matmul(s_mat, add(f_v, adjoint(f_v))),
    )
    grad = matmul(matmul(u, core), v1, adjoint_b=True)
    s_inv = diag(_cast_like(_reciprocal_no_nan(s), a))
    if m != n:
        dv1_h = adjoint(dv1)
        rest = subtract(dv1_h, matmul(matmul(dv1_h, v1), v1, adjoint_b=True))
        if full:
            # The one extra column of V (n = m + 1) that full_matrices adds.
            v2, dv2 = v[..., :, m:n], dv[..., :, m:n]
            rest = subtract(rest, matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True))
        grad = add(grad, matmul(matmul(u, s_inv), rest))
    if a.dtype.is_complex:
        vdv = matmul(v1, dv1, adjoint_a=True)
        l_diag = diag(diag_part(vdv))
        term = matmul(s_inv, subtract(adjoint(l_diag), l_diag))
        half = _cast_like(to_tensor(0.5), a)
        grad = add(grad, multiply(half, matmul(matmul(u, term), v1, adjoint_b=True)))
    return (adjoint(grad) if flip else grad,)


def _reciprocal_off_diagonal(gap: Tensor) -> Tensor:
    """1 / gap off the diagonal, 0 on it (where gap is 0 by construction)."""
    from tensorflux.ops.math_ops import divide_no_nan

    return divide_no_nan(_cast_like(to_tensor(1.0), gap), gap)


def _reciprocal_no_nan(x: Tensor) -> Tensor:
    from tensorflux.ops.math_ops import divide_no_nan

    return divide_no_nan(_cast_like(to_tensor(1.0), x), x)


_SVD = register(
    "Svd",
    kernel=_svd_kernel,
    grad=_svd_grad,
    infer=_svd_infer,
    num_outputs=3,
    allowed=_REAL_AND_COMPLEX,
)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular value decomposition ``tensor = u @ diag(s) @ adjoint(v)`` of each matrix in
    the last two axes (``tf.linalg.svd``); singular values in descending order.

    Singular vectors are unique only up to a sign (a phase for complex input) per pair.

    >>> import tensorflux as tf
    >>> tf.linalg.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False).numpy()
    array([4., 3.], dtype=float32)

    Args:
        full_matrices: ``u`` is ``[M, M]`` and ``v`` ``[N, N]`` instead of ``[M, P]``,
            ``[N, P]`` with ``P = min(M, N)``.
        compute_uv: return ``(s, u, v)``; else ``s`` alone.

    Returns:
        ``s`` (real, ``[..., P]``), or ``(s, u, v)``.

    Raises:
        InvalidArgumentError: an input of rank < 2 or an integer input.
    """
    attrs = {"compute_uv": bool(compute_uv), "full_matrices": bool(full_matrices)}
    s, u, v = execute(_SVD, (to_tensor(tensor),), attrs)
    # The op's singular values have the input's dtype; TF's function returns them real.
    s = real(s)
    return (s, u, v) if compute_uv else s


# -- SelfAdjointEigV2 -------------------------------------------------------


def _eigh_kernel(x, compute_v=True):
    check_square(x, "SelfAdjointEigV2")
    if not compute_v:
        e = np.linalg.eigvalsh(x)
        return e.astype(x.dtype, copy=False), np.zeros((0,), dtype=x.dtype)
    e, v = np.linalg.eigh(x)
    return e.astype(x.dtype, copy=False), v


def _eigh_infer(x: Spec, compute_v=True):
    dims = _dims(x)
    if dims is None:
        return Spec(x.dtype, TensorShape(None)), Spec(x.dtype, TensorShape(None))
    e = Spec(x.dtype, TensorShape(dims[:-1]))
    return e, Spec(x.dtype, TensorShape(dims if compute_v else [0]))


def _eigh_grad(call, de, dv):
    """dA = V (diag(de) + F o (V^H dV)) V^H with F_ij = 1 / (e_j - e_i), folded onto the
    lower triangle (the only part the kernel reads)."""
    (a,) = call.inputs
    e, v = call.outputs
    if not call.attrs.get("compute_v", True):
        e, v = execute(_EIGH, (a,), {"compute_v": True})
        dv = None
    de = de if de is not None else zeros_like(e)
    mid = diag(de)
    if dv is not None:
        f = _reciprocal_off_diagonal(subtract(expand_dims(e, -2), expand_dims(e, -1)))
        mid = add(mid, multiply(f, matmul(v, dv, adjoint_a=True)))
    grad = matmul(matmul(v, mid), v, adjoint_b=True)
    grad = band_part(add(grad, adjoint(grad)), -1, 0)
    return (set_diag(grad, multiply(diag_part(grad), _cast_like(to_tensor(0.5), grad))),)


_EIGH = register(
    "SelfAdjointEigV2",
    kernel=_eigh_kernel,
    grad=_eigh_grad,
    infer=_eigh_infer,
    num_outputs=2,
    allowed=_REAL_AND_COMPLEX,
)


def eigh(tensor, name=None):
    """Eigenvalues (ascending) and eigenvectors of each self-adjoint matrix in the last two
    axes (``tf.linalg.eigh``). Only the lower triangle is read.

    Eigenvectors are unique only up to a sign (a phase for complex input).

    >>> import tensorflux as tf
    >>> e, v = tf.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> e.numpy()
    array([1., 3.], dtype=float32)

    Returns:
        ``(e, v)``: ``[..., N]`` eigenvalues (for complex input, complex with zero
        imaginary part, as in TF) and ``[..., N, N]`` eigenvectors as columns.

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_EIGH, (to_tensor(tensor),))


def eigvalsh(tensor, name=None) -> Tensor:
    """Eigenvalues (ascending) of each self-adjoint matrix (``tf.linalg.eigvalsh``).

    >>> import tensorflux as tf
    >>> tf.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]]).numpy()
    array([1., 3.], dtype=float32)

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_EIGH, (to_tensor(tensor),), {"compute_v": False})[0]


# -- Eig --------------------------------------------------------------------

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}


def _eig_kernel(x, compute_v=True, Tout=None):
    check_square(x, "Eig")
    out = _COMPLEX_OF.get(x.dtype, x.dtype)
    e, v = np.linalg.eig(x)
    if not compute_v:
        return e.astype(out), np.zeros((0,), dtype=out)
    return e.astype(out), v.astype(out)


def _eig_infer(x: Spec, compute_v=True, Tout=None):
    out = (
        x.dtype
        if x.dtype.is_complex
        else (dtypes.complex64 if x.dtype == dtypes.float32 else dtypes.complex128)
    )
    dims = _dims(x)
    if dims is None:
        return Spec(out, TensorShape(None)), Spec(out, TensorShape(None))
    return Spec(out, TensorShape(dims[:-1])), Spec(out, TensorShape(dims if compute_v else [0]))


def _eig_grad(call, de, dv):
    """dA = V^-H (diag(de) + conj(F) o (V^H dV - V^H V Re(diag(V^H dV)))) V^H, F_ij =
    1 / (e_j - e_i); the real part for real A."""
    from tensorflux.ops.linalg_ops import solve

    (a,) = call.inputs
    e, v = call.outputs
    if not call.attrs.get("compute_v", True):
        e, v = execute(_EIG, (a,), {"compute_v": True})
        dv = None
    de = de if de is not None else zeros_like(e)
    vh = adjoint(v)
    mid = diag(de)
    if dv is not None:
        f = conj(_reciprocal_off_diagonal(subtract(expand_dims(e, -2), expand_dims(e, -1))))
        vdv = matmul(vh, dv)
        d_real = diag(cast(real(diag_part(vdv)), vdv.dtype))
        mid = add(mid, multiply(f, subtract(vdv, matmul(matmul(vh, v), d_real))))
    grad = solve(vh, matmul(mid, vh))
    return (grad if a.dtype.is_complex else real(grad),)


_EIG = register(
    "Eig",
    kernel=_eig_kernel,
    grad=_eig_grad,
    infer=_eig_infer,
    num_outputs=2,
    allowed=_REAL_AND_COMPLEX,
)


def eig(tensor, name=None):
    """Eigenvalues and right eigenvectors of each square matrix (``tf.linalg.eig``); both
    complex (complex64 for float32 input, complex128 for float64).

    Eigenvectors have unit norm and are unique only up to a complex phase.

    >>> import tensorflux as tf
    >>> e, v = tf.linalg.eig([[2.0, 0.0], [0.0, 3.0]])
    >>> e.numpy()
    array([2.+0.j, 3.+0.j], dtype=complex64)

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_EIG, (to_tensor(tensor),))


def eigvals(tensor, name=None) -> Tensor:
    """Eigenvalues of each square matrix, complex (``tf.linalg.eigvals``).

    >>> import tensorflux as tf
    >>> tf.linalg.eigvals([[0.0, -1.0], [1.0, 0.0]]).numpy()
    array([0.+1.j, 0.-1.j], dtype=complex64)

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_EIG, (to_tensor(tensor),), {"compute_v": False})[0]
