"""Matrix functions and spectral helpers: ``expm``, ``logm``, ``sqrtm``, ``pinv``,
``matrix_rank``, ``normalize`` and ``eigh_tridiagonal``.

MatrixExponential, MatrixLogarithm and MatrixSquareRoot are primitives (one NumPy
scaling-and-squaring or eigendecomposition pass each); ``pinv``, ``matrix_rank``,
``normalize`` and ``eigh_tridiagonal`` compose the SVD, norms and ``eigh``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.linalg_decomposition_ops import _cast_like, check_square, eigh, svd
from tensorflux.ops.linalg_ops import einsum, norm, solve
from tensorflux.ops.math_ops import add, cast, divide, matmul
from tensorflux.ops.matrix_diag_ops import adjoint

__all__ = ["expm", "logm", "sqrtm", "pinv", "matrix_rank", "normalize", "eigh_tridiagonal"]

_REAL_AND_COMPLEX = frozenset({dtypes.float32, dtypes.float64}) | COMPLEX

# Pade(13) coefficients of exp and the 1-norm bound under which it is accurate to double
# precision (Higham 2005, "The scaling and squaring method for the matrix exponential").
_PADE13 = (
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
)
_THETA13 = 5.371920351148152


def _expm_one(a: np.ndarray) -> np.ndarray:
    n = a.shape[-1]
    norm1 = np.max(np.sum(np.abs(a), axis=0)) if n else 0.0
    squarings = max(0, int(np.ceil(np.log2(norm1 / _THETA13)))) if norm1 > _THETA13 else 0
    a = a / (2.0**squarings)
    ident = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    b = _PADE13
    u = a @ (
        a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2)
        + b[7] * a6
        + b[5] * a4
        + b[3] * a2
        + b[1] * ident
    )
    v = (
        a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2)
        + b[6] * a6
        + b[4] * a4
        + b[2] * a2
        + b[0] * ident
    )
    r = np.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        r = r @ r
    return r


def _expm_kernel(x):
    check_square(x, "MatrixExponential")
    if x.size == 0:
        return x.copy()
    work = x.astype(np.float64 if x.dtype.kind == "f" else np.complex128)
    flat = work.reshape((-1,) + x.shape[-2:])
    out = np.stack([_expm_one(m) for m in flat]) if flat.shape[0] else flat
    return out.reshape(x.shape).astype(x.dtype)


def _expm_grad(call, dy):
    """dA = the upper-right block of expm([[A^H, dy], [0, A^H]]) (the adjoint Frechet
    derivative)."""
    from tensorflux.ops.creation_ops import zeros_like
    from tensorflux.ops.joining_ops import concat

    (a,) = call.inputs
    ah = adjoint(a)
    block = concat([concat([ah, dy], -1), concat([zeros_like(a), ah], -1)], -2)
    n = a._value.shape[-1]
    return (execute(_EXPM, (block,))[..., :n, n:],)


_EXPM = register(
    "MatrixExponential",
    kernel=_expm_kernel,
    grad=_expm_grad,
    infer=lambda x: Spec(x.dtype, x.shape),
    allowed=_REAL_AND_COMPLEX,
)


def expm(input, name=None) -> Tensor:  # noqa: A002
    """Matrix exponential of each square matrix in the last two axes (``tf.linalg.expm``),
    by Pade(13) scaling and squaring.

    >>> import tensorflux as tf
    >>> tf.linalg.expm([[0.0, 1.0], [0.0, 0.0]]).numpy()
    array([[1., 1.],
           [0., 1.]], dtype=float32)

    Raises:
        InvalidArgumentError: non-square matrices.
        ValueError: an integer input.
    """
    x = to_tensor(input)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise ValueError(
            f"tf.linalg.expm does not support matrices of type <dtype: '{x.dtype.name}'>"
        )
    return execute(_EXPM, (x,))


def _eig_function(x: np.ndarray, fn) -> np.ndarray:
    """f(X) = V f(D) V^-1 for a diagonalisable X."""
    e, v = np.linalg.eig(x)
    return (v * fn(e)[..., None, :]) @ np.linalg.inv(v)


def _logm_kernel(x):
    check_square(x, "MatrixLogarithm")
    return _eig_function(x.astype(np.complex128), np.log).astype(x.dtype)


# TF registers no gradient for MatrixLogarithm.
_LOGM = register(
    "MatrixLogarithm",
    kernel=_logm_kernel,
    grad=None,
    infer=lambda x: Spec(x.dtype, x.shape),
    allowed=COMPLEX,
)


def logm(input, name=None) -> Tensor:  # noqa: A002
    """Principal matrix logarithm of each complex square matrix (``tf.linalg.logm``),
    through its eigendecomposition (the matrices must be diagonalisable). As in TF, real
    input is refused: cast to complex first.

    >>> import tensorflux as tf
    >>> tf.linalg.logm(tf.cast([[1.0, 0.0], [0.0, 1.0]], tf.complex64)).numpy()
    array([[0.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j]], dtype=complex64)

    Raises:
        InvalidArgumentError: real or integer input, or non-square matrices.
    """
    return execute(_LOGM, (to_tensor(input),))


def _sqrtm_kernel(x):
    check_square(x, "MatrixSquareRoot")
    if x.shape[-1] == 0:
        return x.copy()
    root = _eig_function(x.astype(np.complex128), np.sqrt)
    return (root if x.dtype.kind == "c" else root.real).astype(x.dtype)


def _sqrtm_grad(call, dy):
    """dA solves S^T dA + dA S^T = dy for the output S (TF's Sylvester equation: plain
    transposes, also for complex input), solved as its Kronecker-sum linear system."""
    from tensorflux.ops.creation_ops import eye
    from tensorflux.ops.linalg_ops import matrix_transpose
    from tensorflux.ops.shape_ops import reshape

    (s,) = call.outputs
    n = s._value.shape[-1]
    batch = list(s._value.shape[:-2])
    ident = eye(n, dtype=s.dtype)
    # Row-major vec: vec(A X) = (A kron I) vec(X), vec(X B) = (I kron B^T) vec(X).
    kron = add(
        einsum("...ij,kl->...ikjl", matrix_transpose(s), ident),
        einsum("ij,...kl->...ikjl", ident, s),
    )
    system = reshape(kron, batch + [n * n, n * n])
    rhs = reshape(dy, batch + [n * n, 1])
    return (reshape(solve(system, rhs), batch + [n, n]),)


_SQRTM = register(
    "MatrixSquareRoot",
    kernel=_sqrtm_kernel,
    grad=_sqrtm_grad,
    infer=lambda x: Spec(x.dtype, x.shape),
    allowed=_REAL_AND_COMPLEX,
)


def sqrtm(input, name=None) -> Tensor:  # noqa: A002
    """Principal square root of each square matrix (``tf.linalg.sqrtm``), through its
    eigendecomposition (the matrices must be diagonalisable, with no eigenvalues on the
    negative real axis for real input).

    >>> import tensorflux as tf
    >>> tf.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]]).numpy()
    array([[2., 0.],
           [0., 3.]], dtype=float32)

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_SQRTM, (to_tensor(input),))


def _float_like(a) -> Tensor:
    x = to_tensor(a)
    # As TF's pinv and matrix_rank: real floats only (complex input is refused too).
    if not x.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {x.dtype.name}).")
    return x


def pinv(a, rcond=None, validate_args=False, name=None) -> Tensor:
    """Moore-Penrose pseudo-inverse of each matrix in the last two axes (``tf.linalg.pinv``):
    ``V diag(1/s) U^H`` over the singular values above ``rcond * max(s)``.

    >>> import tensorflux as tf
    >>> tf.linalg.pinv([[1.0, 0.0], [0.0, 0.0]]).numpy()
    array([[1., 0.],
           [0., 0.]], dtype=float32)

    Args:
        rcond: relative cutoff; default ``10 * max(M, N) * eps`` of the dtype.

    Raises:
        TypeError: an integer input.
    """
    from tensorflux.ops.gather_ops import where
    from tensorflux.ops.logic_ops import greater
    from tensorflux.ops.math_ops import multiply
    from tensorflux.ops.reduction_ops import reduce_max
    from tensorflux.ops.shape_ops import expand_dims

    x = _float_like(a)
    m, n = x._value.shape[-2:]
    real = x.dtype.real_dtype
    if rcond is None:
        rcond = 10.0 * max(m, n) * float(np.finfo(real._np).eps)
    s, u, v = svd(x)
    cutoff = multiply(_cast_like(to_tensor(rcond), s), reduce_max(s, axis=-1, keepdims=True))
    keep = greater(s, cutoff)
    one = _cast_like(to_tensor(1.0), s)
    safe = where(keep, s, add(multiply(s, 0.0), one))
    inv_s = where(keep, divide(one, safe), multiply(s, 0.0))
    scaled = multiply(v, expand_dims(_cast_like(inv_s, x), -2))
    return matmul(scaled, u, adjoint_b=True)


def matrix_rank(a, tol=None, validate_args=False, name=None) -> Tensor:
    """Number of singular values above ``tol`` per matrix (``tf.linalg.matrix_rank``).

    >>> import tensorflux as tf
    >>> int(tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1

    Args:
        tol: absolute threshold; default ``max(s) * max(M, N) * eps`` of the dtype.

    Returns:
        An int32 tensor of the batch shape.

    Raises:
        TypeError: an integer input.
    """
    from tensorflux.ops.logic_ops import greater
    from tensorflux.ops.math_ops import multiply
    from tensorflux.ops.reduction_ops import reduce_max, reduce_sum

    x = _float_like(a)
    m, n = x._value.shape[-2:]
    s = svd(x, compute_uv=False)
    if tol is None:
        eps = float(np.finfo(x.dtype.real_dtype._np).eps)
        tol = multiply(
            reduce_max(s, axis=-1, keepdims=True), _cast_like(to_tensor(max(m, n) * eps), s)
        )
    else:
        tol = _cast_like(to_tensor(tol), s)
    return reduce_sum(cast(greater(s, tol), dtypes.int32), axis=-1)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """``tensor / norm(tensor)`` and the norm (``tf.linalg.normalize``).

    >>> import tensorflux as tf
    >>> unit, n = tf.linalg.normalize([3.0, 4.0])
    >>> unit.numpy(), n.numpy()
    (array([0.6, 0.8], dtype=float32), array([5.], dtype=float32))

    Returns:
        ``(normalized, norm)``, the norm with the reduced axes kept as size 1.
    """
    x = to_tensor(tensor)
    size = norm(x, ord=ord, axis=axis, keepdims=True)
    return divide(x, _cast_like(size, x)), size


def eigh_tridiagonal(
    alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None
):
    """Eigenvalues (and eigenvectors) of the Hermitian tridiagonal matrix with diagonal
    ``alpha`` and superdiagonal ``beta`` (``tf.linalg.eigh_tridiagonal``), ascending.

    >>> import tensorflux as tf
    >>> tf.linalg.eigh_tridiagonal([2.0, 2.0], [1.0]).numpy()
    array([1., 3.], dtype=float32)

    Args:
        select: ``"a"`` all eigenvalues; ``"i"`` those with indices in the inclusive
            ``select_range = [lo, hi]``; ``"v"`` those in the half-open interval
            ``(lo, hi]``.

    Returns:
        The eigenvalues, or ``(eigenvalues, eigenvectors)`` when ``eigvals_only=False``.

    Raises:
        ValueError: an unknown ``select``, or ``beta`` not one shorter than ``alpha``.
    """
    from tensorflux.ops.joining_ops import pad
    from tensorflux.ops.linalg_ops import diag
    from tensorflux.ops.unary_math_ops import conj

    a = to_tensor(alpha)
    b = to_tensor(beta, a.dtype)
    n = a._value.shape[-1]
    if a._value.ndim != 1 or b._value.shape != (n - 1,):
        raise ValueError(
            f"alpha must be a vector and beta one element shorter; got shapes "
            f"{list(a._value.shape)} and {list(b._value.shape)}."
        )
    if select not in ("a", "i", "v"):
        raise ValueError(f"Invalid select: {select!r}; use 'a', 'i' or 'v'.")
    matrix = diag(a)
    if n > 1:
        upper = pad(diag(b), [[0, 1], [1, 0]])
        lower = pad(diag(conj(b)), [[1, 0], [0, 1]])
        matrix = add(add(matrix, upper), lower)
    values, vectors = eigh(matrix)
    if a.dtype.is_complex:
        from tensorflux.ops.unary_math_ops import real

        values = real(values)
    if select == "i":
        lo, hi = (int(v) for v in select_range)
        values, vectors = values[lo : hi + 1], vectors[:, lo : hi + 1]
    elif select == "v":
        lo, hi = (float(v) for v in select_range)
        picked = [i for i, e in enumerate(values.numpy()) if lo < e <= hi]
        from tensorflux.ops.gather_ops import gather

        values = gather(values, picked)
        vectors = gather(vectors, picked, axis=1)
    return values if eigvals_only else (values, vectors)
