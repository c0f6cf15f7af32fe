"""Linear operators with a structure that makes products and solves cheap: diagonal,
(scaled) identity, zeros and lower-triangular (``tf.linalg.LinearOperatorDiag`` and the
rest; Householder, permutation, Toeplitz and tridiagonal ones are in
``linear_operator_special.py``)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.linalg.linear_operator import LinearOperator
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import eye, zeros
from tensorflux.ops.linalg_ops import diag
from tensorflux.ops.linalg_solve_ops import triangular_solve
from tensorflux.ops.math_ops import abs as _abs
from tensorflux.ops.math_ops import cast, divide, multiply
from tensorflux.ops.matrix_diag_ops import band_part
from tensorflux.ops.reduction_ops import reduce_prod, reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, expand_dims
from tensorflux.ops.unary_math_ops import conj, log

__all__ = [
    "LinearOperatorDiag",
    "LinearOperatorIdentity",
    "LinearOperatorScaledIdentity",
    "LinearOperatorZeros",
    "LinearOperatorLowerTriangular",
]


def _float_tensor(x, what: str) -> Tensor:
    t = to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(
            f"Argument `{what}` must have dtype in [tf.float16, tf.float32, tf.float64, "
            f"tf.complex64, tf.complex128]. Received: <dtype: '{t.dtype.name}'>"
        )
    return t


def _maybe_conj(x: Tensor, adjoint: bool) -> Tensor:
    return conj(x) if adjoint and x.dtype.is_complex else x


def _log_abs(x: Tensor) -> Tensor:
    out = log(_abs(x))
    return cast(out, x.dtype) if x.dtype.is_complex else out


class LinearOperatorDiag(LinearOperator):
    """A diagonal operator from its ``[..., N]`` diagonal (``tf.linalg.LinearOperatorDiag``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorDiag([2.0, 4.0]).solvevec([2.0, 2.0]).numpy()
    array([1. , 0.5], dtype=float32)
    """

    def __init__(
        self,
        diag,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name="LinearOperatorDiag",
    ):
        d = _float_tensor(diag, "diag")
        if d._value.ndim < 1:
            raise ValueError(f"Argument `diag` must have at least 1 dimension. Received: {d}.")
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        if not d.dtype.is_complex and is_self_adjoint is None:
            is_self_adjoint = True
        self._diag = d
        super().__init__(
            d.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"diag": d},
        )

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        s = list(self._diag._value.shape)
        return s + [s[-1]]

    def _to_dense(self):
        return diag(self._diag)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        from tensorflux.ops.matrix_diag_ops import adjoint as adj

        x = adj(x) if adjoint_arg else x
        return multiply(expand_dims(_maybe_conj(self._diag, adjoint), -1), x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        from tensorflux.ops.matrix_diag_ops import adjoint as adj

        rhs = adj(rhs) if adjoint_arg else rhs
        return divide(rhs, expand_dims(_maybe_conj(self._diag, adjoint), -1))

    def _determinant(self):
        return reduce_prod(self._diag, axis=-1)

    def _log_abs_determinant(self):
        return reduce_sum(_log_abs(self._diag), axis=-1)

    def _diag_part(self):
        return self._diag


def _batched_dims(num_rows, num_columns, batch_shape) -> list:
    return list(batch_shape or []) + [int(num_rows), int(num_columns)]


class LinearOperatorIdentity(LinearOperator):
    """The ``N x N`` identity, optionally batched (``tf.linalg.LinearOperatorIdentity``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorIdentity(2).matvec([3.0, 4.0]).numpy()
    array([3., 4.], dtype=float32)

    Raises:
        ValueError: a negative ``num_rows`` or hints other than the identity's.
    """

    def __init__(
        self,
        num_rows,
        batch_shape=None,
        dtype=None,
        is_non_singular=True,
        is_self_adjoint=True,
        is_positive_definite=True,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorIdentity",
    ):
        if int(num_rows) < 0:
            raise ValueError(f"Argument num_rows must be non-negative.  Found: {num_rows}")
        for hint, what in (
            (is_non_singular, "non-singular"),
            (is_self_adjoint, "self-adjoint"),
            (is_positive_definite, "positive definite"),
            (is_square, "square"),
        ):
            if not hint:
                raise ValueError(f"An identity operator is always {what}.")
        self._num_rows = int(num_rows)
        self._batch = list(batch_shape or [])
        super().__init__(
            dtype or dtypes.float32,
            True,
            True,
            True,
            True,
            name,
            {"num_rows": num_rows, "batch_shape": batch_shape, "dtype": dtype},
        )

    def _shape(self):
        return _batched_dims(self._num_rows, self._num_rows, self._batch)

    def _to_dense(self):
        return eye(self._num_rows, batch_shape=self._batch or None, dtype=self.dtype)

    def _scale(self) -> Tensor | None:
        return None

    def _apply(self, x: Tensor, adjoint: bool, adjoint_arg: bool, inverse: bool) -> Tensor:
        from tensorflux.ops.matrix_diag_ops import adjoint as adj

        x = adj(x) if adjoint_arg else x
        scale = self._scale()
        if scale is not None:
            s = _maybe_conj(scale, adjoint)
            s = expand_dims(expand_dims(s, -1), -1)
            x = divide(x, s) if inverse else multiply(s, x)
        shape = tuple(self._batch) + tuple(x._value.shape[-2:])
        batch = np.broadcast_shapes(shape, tuple(x._value.shape))
        return x if tuple(x._value.shape) == batch else broadcast_to(x, batch)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._apply(x, adjoint, adjoint_arg, inverse=False)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._apply(rhs, adjoint, adjoint_arg, inverse=True)

    def _determinant(self):
        return to_tensor(np.ones(self._batch, dtype=self.dtype._np))

    def _log_abs_determinant(self):
        return to_tensor(np.zeros(self._batch, dtype=self.dtype._np))

    def _diag_part(self):
        return to_tensor(np.ones(self._batch + [self._num_rows], dtype=self.dtype._np))


class LinearOperatorScaledIdentity(LinearOperatorIdentity):
    """``multiplier * I`` with a per-batch scalar ``multiplier``
    (``tf.linalg.LinearOperatorScaledIdentity``).

    >>> import tensorflux as tf
    >>> float(tf.linalg.LinearOperatorScaledIdentity(2, 3.0).determinant())
    9.0
    """

    def __init__(
        self,
        num_rows,
        multiplier,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorScaledIdentity",
    ):
        m = _float_tensor(multiplier, "multiplier")
        if not m.dtype.is_complex and is_self_adjoint is None:
            is_self_adjoint = True
        self._multiplier = m
        self._num_rows = int(num_rows)
        self._batch = list(m._value.shape)
        LinearOperator.__init__(
            self,
            m.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"num_rows": num_rows, "multiplier": m},
        )

    @property
    def multiplier(self):
        return self._multiplier

    def _scale(self):
        return self._multiplier

    def _to_dense(self):
        s = expand_dims(expand_dims(self._multiplier, -1), -1)
        return multiply(s, eye(self._num_rows, dtype=self.dtype))

    def _determinant(self):
        from tensorflux.ops.math_ops import pow as _pow

        return _pow(self._multiplier, to_tensor(self._num_rows, self.dtype))

    def _log_abs_determinant(self):
        return multiply(
            to_tensor(self._num_rows, _log_abs(self._multiplier).dtype), _log_abs(self._multiplier)
        )

    def _diag_part(self):
        ones = to_tensor(np.ones(self._num_rows, dtype=self.dtype._np))
        return multiply(expand_dims(self._multiplier, -1), ones)


class LinearOperatorZeros(LinearOperator):
    """The all-zeros ``[M, N]`` operator (``tf.linalg.LinearOperatorZeros``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorZeros(2).matvec([1.0, 2.0]).numpy()
    array([0., 0.], dtype=float32)

    Raises:
        ValueError: ``is_square`` with different row and column counts, or a hint of
            non-singularity.
    """

    def __init__(
        self,
        num_rows,
        num_columns=None,
        batch_shape=None,
        dtype=None,
        is_non_singular=False,
        is_self_adjoint=True,
        is_positive_definite=False,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorZeros",
    ):
        cols = num_rows if num_columns is None else num_columns
        if is_square and int(num_rows) != int(cols):
            raise ValueError(
                f"LinearOperatorZeros initialized as is_square=True, but got num_rows("
                f"{num_rows}) != num_columns({cols})"
            )
        if is_non_singular:
            raise ValueError("A Zeros operator is always singular.")
        if is_positive_definite:
            raise ValueError("A Zeros operator is never positive-definite.")
        self._dims = _batched_dims(num_rows, cols, batch_shape)
        super().__init__(
            dtype or dtypes.float32,
            False,
            bool(is_self_adjoint and is_square),
            False,
            is_square,
            name,
            {"num_rows": num_rows, "num_columns": num_columns, "batch_shape": batch_shape},
        )

    def _shape(self):
        return list(self._dims)

    def _to_dense(self):
        return zeros(self._dims, dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        rows, cols = self._dims[-2:]
        out_rows = cols if adjoint else rows
        x_cols = x._value.shape[-2] if adjoint_arg else x._value.shape[-1]
        batch = np.broadcast_shapes(tuple(self._dims[:-2]), tuple(x._value.shape[:-2]))
        return zeros(list(batch) + [out_rows, x_cols], dtype=self.dtype)

    def _determinant(self):
        return zeros(self._dims[:-2], dtype=self.dtype)

    def _log_abs_determinant(self):
        return to_tensor(np.full(self._dims[:-2], -np.inf, dtype=self.dtype._np))

    def _diag_part(self):
        return zeros(self._dims[:-2] + [min(self._dims[-2:])], dtype=self.dtype)


class LinearOperatorLowerTriangular(LinearOperator):
    """A lower-triangular operator; only the lower triangle of ``tril`` is read
    (``tf.linalg.LinearOperatorLowerTriangular``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorLowerTriangular([[2.0, 9.0], [1.0, 1.0]])
    >>> op.to_dense().numpy()
    array([[2., 0.],
           [1., 1.]], dtype=float32)
    """

    def __init__(
        self,
        tril,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowerTriangular",
    ):
        t = _float_tensor(tril, "tril")
        if t._value.ndim < 2:
            raise ValueError(f"Argument `tril` must have at least 2 dimensions. Received: {t}.")
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        self._tril = band_part(t, -1, 0)
        super().__init__(
            t.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"tril": t},
        )

    def _shape(self):
        return list(self._tril._value.shape)

    def _to_dense(self):
        return self._tril

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        from tensorflux.ops.matrix_diag_ops import adjoint as adj

        rhs = adj(rhs) if adjoint_arg else rhs
        return triangular_solve(self._tril, rhs, lower=True, adjoint=adjoint)

    def _determinant(self):
        return reduce_prod(self.diag_part(), axis=-1)

    def _log_abs_determinant(self):
        return reduce_sum(_log_abs(self.diag_part()), axis=-1)
