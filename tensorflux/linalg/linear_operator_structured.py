"""Linear operators with a structure that makes products and solves cheap: diagonal,
(scaled) identity, zeros, lower-triangular, Householder, permutation, Toeplitz and
tridiagonal (``tf.linalg.LinearOperatorDiag`` and the rest)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.linalg.linear_operator import LinearOperator, _broadcast_batch
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import eye, one_hot, zeros
from tensorflux.ops.linalg_ops import diag
from tensorflux.ops.linalg_solve_ops import triangular_solve, tridiagonal_matmul, tridiagonal_solve
from tensorflux.ops.math_ops import abs as _abs
from tensorflux.ops.math_ops import cast, divide, matmul, multiply, subtract
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
    "LinearOperatorHouseholder",
    "LinearOperatorPermutation",
    "LinearOperatorToeplitz",
    "LinearOperatorTridiag",
]


def _float_tensor(x, what: str) -> Tensor:
    t = to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(
            f"Argument `{what}` must have dtype in [tf.float16, tf.float32, tf.float64, "
            f"tf.complex64, tf.complex128]. Received: {t.dtype!r}"
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


class LinearOperatorHouseholder(LinearOperator):
    """The reflection ``I - 2 v v^H / (v^H v)`` across the hyperplane orthogonal to
    ``reflection_axis`` (``tf.linalg.LinearOperatorHouseholder``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorHouseholder([1.0, 0.0]).matvec([3.0, 4.0]).numpy()
    array([-3.,  4.], dtype=float32)
    """

    def __init__(
        self,
        reflection_axis,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorHouseholder",
    ):
        v = _float_tensor(reflection_axis, "reflection_axis")
        if is_self_adjoint is False or is_non_singular is False or is_square is False:
            raise ValueError(
                "A Householder operator is always self-adjoint, non-singular and square."
            )
        if is_positive_definite:
            raise ValueError("A Householder operator is always non-positive definite.")
        self._axis = v
        super().__init__(
            v.dtype,
            is_non_singular,
            True,
            False,
            True,
            name,
            {"reflection_axis": v},
        )

    @property
    def reflection_axis(self):
        return self._axis

    def _shape(self):
        s = list(self._axis._value.shape)
        return s + [s[-1]]

    def _to_dense(self):
        v = expand_dims(self._axis, -1)
        outer = matmul(v, v, adjoint_b=True)
        norm2 = reduce_sum(multiply(conj(self._axis), self._axis), axis=-1)
        scale = expand_dims(expand_dims(divide(to_tensor(2.0, self.dtype), norm2), -1), -1)
        return subtract(eye(self._shape()[-1], dtype=self.dtype), multiply(scale, outer))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        # A reflection is its own inverse.
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _determinant(self):
        return to_tensor(-np.ones(self._shape()[:-2], dtype=self.dtype._np))

    def _log_abs_determinant(self):
        return to_tensor(np.zeros(self._shape()[:-2], dtype=self.dtype._np))

    def _trace(self):
        # A reflection has eigenvalues 1 (n - 1 times) and -1: its trace is n - 2.
        return to_tensor(np.full(self._shape()[:-2], self._shape()[-1] - 2, self.dtype._np))


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix ``P`` with ``P[i, perm[i]] = 1``, so ``P @ x = x[perm]``
    (``tf.linalg.LinearOperatorPermutation``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorPermutation([2, 0, 1]).matvec([1.0, 2.0, 3.0]).numpy()
    array([3., 1., 2.], dtype=float32)
    """

    def __init__(
        self,
        perm,
        dtype=dtypes.float32,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorPermutation",
    ):
        p = to_tensor(perm)
        if not p.dtype.is_integer:
            raise TypeError(f"Argument perm must be integer dtype. Found: {p.dtype.name}")
        if is_non_singular is False or is_square is False:
            raise ValueError("A Permutation operator is always non-singular and square.")
        self._perm = p
        super().__init__(
            dtype, is_non_singular, is_self_adjoint, is_positive_definite, True, name, {"perm": p}
        )

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        s = list(self._perm._value.shape)
        return s + [s[-1]]

    def _to_dense(self):
        return one_hot(self._perm, self._shape()[-1], dtype=self.dtype)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        # P^-1 = P^T.
        return self._matmul(rhs, not adjoint, adjoint_arg)

    def _determinant(self):
        return to_tensor(_permutation_sign(self._perm.numpy()).astype(self.dtype._np))

    def _log_abs_determinant(self):
        return to_tensor(np.zeros(self._shape()[:-2], dtype=self.dtype._np))


def _permutation_sign(perm: np.ndarray) -> np.ndarray:
    flat = perm.reshape(-1, perm.shape[-1])
    signs = []
    for p in flat:
        seen, sign = np.zeros(len(p), bool), 1.0
        for i in range(len(p)):
            length = 0
            while not seen[i]:
                seen[i], i, length = True, p[i], length + 1
            if length and length % 2 == 0:
                sign = -sign
        signs.append(sign)
    return np.asarray(signs).reshape(perm.shape[:-1])


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix with first column ``col`` and first row ``row``
    (``row[0]`` is ignored) (``tf.linalg.LinearOperatorToeplitz``).

    >>> import tensorflux as tf
    >>> tf.linalg.LinearOperatorToeplitz(col=[1.0, 2.0], row=[1.0, 3.0]).to_dense().numpy()
    array([[1., 3.],
           [2., 1.]], dtype=float32)
    """

    def __init__(
        self,
        col,
        row,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorToeplitz",
    ):
        c = _float_tensor(col, "col")
        r = to_tensor(row, c.dtype)
        self._col, self._row = c, r
        super().__init__(
            c.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"col": c, "row": r},
        )

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        batch = np.broadcast_shapes(self._col._value.shape[:-1], self._row._value.shape[:-1])
        n = self._col._value.shape[-1]
        return list(batch) + [n, n]

    def _to_dense(self):
        from tensorflux.ops.gather_ops import gather
        from tensorflux.ops.joining_ops import concat, reverse

        n = self._col._value.shape[-1]
        col, row = self._col, self._row
        batch = self._shape()[:-2]
        if list(col._value.shape[:-1]) != batch:
            col = broadcast_to(col, batch + [n])
        if list(row._value.shape[:-1]) != batch:
            row = broadcast_to(row, batch + [n])
        # values[k] holds the diagonal i - j = k - (n - 1).
        values = concat([reverse(row[..., 1:], [-1]), col], axis=-1)
        index = np.arange(n)[:, None] - np.arange(n)[None, :] + n - 1
        return gather(values, index, axis=len(batch))


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal operator given by its diagonals in the formats of
    ``tf.linalg.tridiagonal_solve`` (``tf.linalg.LinearOperatorTridiag``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorTridiag([[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]])
    >>> op.to_dense().numpy()
    array([[2., 1.],
           [1., 2.]], dtype=float32)

    Raises:
        ValueError: an unknown ``diagonals_format``.
    """

    def __init__(
        self,
        diagonals,
        diagonals_format="compact",
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorTridiag",
    ):
        if diagonals_format not in ("compact", "sequence", "matrix"):
            raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
        if diagonals_format == "sequence":
            diagonals = [to_tensor(d) for d in diagonals]
            dtype = diagonals[0].dtype
        else:
            diagonals = to_tensor(diagonals)
            dtype = diagonals.dtype
        self._diagonals, self._format = diagonals, diagonals_format
        super().__init__(
            dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            True,
            name,
            {"diagonals": diagonals, "diagonals_format": diagonals_format},
        )

    @property
    def diagonals(self):
        return self._diagonals

    @property
    def diagonals_format(self):
        return self._format

    def _shape(self):
        if self._format == "sequence":
            s = list(self._diagonals[1]._value.shape)
            return s + [s[-1]]
        s = list(self._diagonals._value.shape)
        return s if self._format == "matrix" else s[:-2] + [s[-1], s[-1]]

    def _to_dense(self):
        n = self._shape()[-1]
        batch = self._shape()[:-2]
        return tridiagonal_matmul(
            self._diagonals,
            eye(n, batch_shape=batch or None, dtype=self.dtype),
            diagonals_format=self._format,
        )

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        if adjoint or adjoint_arg:
            return super()._matmul(x, adjoint, adjoint_arg)
        _, x = _broadcast_batch(self.to_dense(), x)
        return tridiagonal_matmul(self._diagonals, x, diagonals_format=self._format)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if adjoint or adjoint_arg:
            return super()._solve(rhs, adjoint, adjoint_arg)
        return tridiagonal_solve(self._diagonals, rhs, diagonals_format=self._format)
