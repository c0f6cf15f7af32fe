"""LU factorisation and determinants: ``tf.linalg.lu``, ``lu_solve``, ``lu_reconstruct``,
``lu_matrix_inverse``, ``slogdet`` and ``logdet``.

Lu and LogMatrixDeterminant are primitives (one partial-pivoting pass, one LAPACK call);
the LU solves compose triangular solves, as TF's Python does.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import eye
from tensorflux.ops.linalg_decomposition_ops import (
    _REAL_AND_COMPLEX,
    _cast_like,
    _dims,
    check_square,
    cholesky,
)
from tensorflux.ops.linalg_ops import _INV
from tensorflux.ops.linalg_solve_ops import triangular_solve
from tensorflux.ops.math_ops import add, cast, matmul, multiply, subtract
from tensorflux.ops.matrix_diag_ops import band_part, diag_part
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.unary_math_ops import real

# The named results of tf.linalg.slogdet and tf.linalg.lu, as TF names them.
LogMatrixDeterminant = namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])
Lu = namedtuple("Lu", ["lu", "p"])

__all__ = ["slogdet", "logdet", "lu", "lu_solve", "lu_reconstruct", "lu_matrix_inverse"]


# -- LogMatrixDeterminant ---------------------------------------------------


def _slogdet_kernel(x):
    check_square(x, "LogMatrixDeterminant")
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    sign, logabs = np.linalg.slogdet(work)
    return sign.astype(x.dtype), logabs.astype(x.dtype)


def _slogdet_infer(x: Spec):
    dims = _dims(x)
    shape = TensorShape(None if dims is None else dims[:-2])
    return Spec(x.dtype, shape), Spec(x.dtype, shape)


def _slogdet_grad(call, dsign, dlog):
    """d log|det A| = dlog * inv(A)^H; the sign has no gradient."""
    (a,) = call.inputs
    scale = expand_dims(expand_dims(dlog, -1), -1)
    return (multiply(scale, execute(_INV, (a,), {"adjoint": True})),)


_SLOGDET = register(
    "LogMatrixDeterminant",
    kernel=_slogdet_kernel,
    grad=_slogdet_grad,
    infer=_slogdet_infer,
    num_outputs=2,
    allowed=_REAL_AND_COMPLEX | {dtypes.float16},
)


def slogdet(input, name=None):  # noqa: A002
    """Sign and log of the absolute determinant of each square matrix
    (``tf.linalg.slogdet``); stable where ``det`` over- or underflows.

    >>> import tensorflux as tf
    >>> sign, logabs = tf.linalg.slogdet([[-2.0, 0.0], [0.0, 3.0]])
    >>> float(sign), round(float(logabs), 4)
    (-1.0, 1.7918)

    Returns:
        ``LogMatrixDeterminant(sign, log_abs_determinant)``, both of the input's dtype;
        a singular matrix gives sign 0 and -inf.

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return LogMatrixDeterminant(*execute(_SLOGDET, (to_tensor(input),)))


def logdet(matrix, name=None) -> Tensor:
    """Log-determinant of each Hermitian positive definite matrix, ``2 * sum(log(diag(L)))``
    of its Cholesky factor (``tf.linalg.logdet``).

    >>> import tensorflux as tf
    >>> round(float(tf.linalg.logdet([[4.0, 0.0], [0.0, 1.0]])), 4)
    1.3863

    Raises:
        InvalidArgumentError: a matrix that is not positive definite.
    """
    from tensorflux.ops.reduction_ops import reduce_sum
    from tensorflux.ops.unary_math_ops import log

    chol = cholesky(matrix)
    if chol.dtype.is_complex:
        # As TF: the log-determinant of a Hermitian matrix is real, in the real dtype.
        log_diag = log(real(diag_part(chol)))
        return multiply(_cast_like(to_tensor(2.0), log_diag), reduce_sum(log_diag, axis=-1))
    two = _cast_like(to_tensor(2.0), chol)
    return multiply(two, reduce_sum(_log_diag(chol, log), axis=-1))


def _log_diag(chol: Tensor, log) -> Tensor:
    d = diag_part(chol)
    if chol.dtype.is_complex:
        return cast(log(real(d)), chol.dtype)
    return log(d)


# -- Lu ---------------------------------------------------------------------


def _lu_kernel(x, output_idx_type="int32"):
    check_square(x, "Lu")
    n = x.shape[-1]
    if x.size == 0:
        return x.copy(), np.zeros(x.shape[:-1], output_idx_type)
    work = x.reshape((-1, n, n)).copy()
    perm = np.tile(np.arange(n), (work.shape[0], 1))
    rows = np.arange(work.shape[0])
    for k in range(n):
        pivot = k + np.argmax(np.abs(work[:, k:, k]), axis=1)
        if np.any(work[rows, pivot, k] == 0):
            raise InvalidArgumentError(None, "Lu", "Input is not invertible. [Op:Lu]")
        swap = work[rows, pivot].copy()
        work[rows, pivot] = work[:, k]
        work[:, k] = swap
        p = perm[rows, pivot].copy()
        perm[rows, pivot] = perm[:, k]
        perm[:, k] = p
        work[:, k + 1 :, k] /= work[:, k : k + 1, k]
        work[:, k + 1 :, k + 1 :] -= work[:, k + 1 :, k : k + 1] * work[:, k : k + 1, k + 1 :]
    return work.reshape(x.shape), perm.reshape(x.shape[:-1]).astype(output_idx_type)


def _lu_infer(x: Spec, output_idx_type="int32"):
    dims = _dims(x)
    return Spec(x.dtype, x.shape), Spec(
        dtypes.as_dtype(output_idx_type), TensorShape(None if dims is None else dims[:-1])
    )


# TF registers no gradient for Lu.
_LU = register(
    "Lu", kernel=_lu_kernel, grad=None, infer=_lu_infer, num_outputs=2, allowed=_REAL_AND_COMPLEX
)


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002
    """LU decomposition with partial pivoting of each square matrix (``tf.linalg.lu``):
    ``input[p] = L @ U`` with unit lower ``L`` and upper ``U`` packed into one matrix.

    >>> import tensorflux as tf
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> p.numpy()
    array([1, 0], dtype=int32)

    Returns:
        ``Lu(lu, p)``, a named tuple.

    Raises:
        InvalidArgumentError: non-square or singular matrices ("Input is not
            invertible."), or an integer input.
    """
    idx = dtypes.as_dtype(output_idx_type).name
    return Lu(*execute(_LU, (to_tensor(input),), {"output_idx_type": idx}))


# -- LU solves (compositions) ----------------------------------------------


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
