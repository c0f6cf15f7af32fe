"""Special linear operators: Householder reflections, permutations, Toeplitz and
tridiagonal matrices (``tf.linalg.LinearOperatorHouseholder`` and the rest)."""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.linalg.linear_operator import LinearOperator, _broadcast_batch
from tensorflux.linalg.linear_operator_structured import _float_tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import eye, one_hot
from tensorflux.ops.math_ops import divide, matmul, multiply, subtract
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, expand_dims
from tensorflux.ops.tridiagonal_ops import tridiagonal_matmul, tridiagonal_solve
from tensorflux.ops.unary_math_ops import conj

__all__ = [
    "LinearOperatorHouseholder",
    "LinearOperatorPermutation",
    "LinearOperatorToeplitz",
    "LinearOperatorTridiag",
]


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
