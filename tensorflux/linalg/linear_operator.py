"""``tf.linalg.LinearOperator``: a matrix (or batch of them) known by what it does.

The base class answers every question from ``to_dense()`` (products, solves,
determinants, diagonals); subclasses override the methods their structure makes cheaper
(a diagonal operator solves by division). Everything is built from tensorflux ops, so
gradients flow to the tensors an operator was made from. The operators that wrap
others (Adjoint, Inversion, Composition) are in ``linear_operator_derived.py``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.linalg_decomposition_ops import cholesky, eigvalsh, svd
from tensorflux.ops.linalg_lu_ops import slogdet
from tensorflux.ops.linalg_ops import det, diag_part
from tensorflux.ops.linalg_ops import solve as _solve
from tensorflux.ops.linalg_solve_ops import cholesky_solve
from tensorflux.ops.math_ops import add, divide, matmul, multiply
from tensorflux.ops.matrix_diag_ops import adjoint as _adjoint
from tensorflux.ops.reduction_ops import reduce_max, reduce_min, reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, expand_dims, squeeze
from tensorflux.ops.unary_math_ops import exp, log

__all__ = ["LinearOperator", "LinearOperatorFullMatrix"]


def _broadcast_batch(a: Tensor, b: Tensor):
    """a and b with their batch dimensions (all but the last two) broadcast together."""
    sa, sb = tuple(a._value.shape), tuple(b._value.shape)
    batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    if sa[:-2] != batch:
        a = broadcast_to(a, batch + sa[-2:])
    if sb[:-2] != batch:
        b = broadcast_to(b, batch + sb[-2:])
    return a, b


class LinearOperator:
    """Base class of the linear operators (``tf.linalg.LinearOperator``).

    Subclasses define ``_shape()`` (a list: batch dims, rows, columns) and
    ``_to_dense()``, and may override ``_matmul``, ``_solve``, ``_determinant``,
    ``_log_abs_determinant`` and ``_diag_part`` when their structure allows better.

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorFullMatrix([[2.0, 0.0], [0.0, 4.0]])
    >>> op.solvevec([2.0, 2.0]).numpy()
    array([1. , 0.5], dtype=float32)

    Raises:
        ValueError: contradictory hints (positive definite but singular, non-singular but
            not square).
    """

    def __init__(
        self,
        dtype,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
        parameters=None,
    ):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters or {})

    # -- description --------------------------------------------------------

    def __repr__(self):
        kind = type(self).__name__
        return f'<tf.linalg.{kind} "{self.name}" shape={list(self.shape)} dtype={self.dtype.name}>'

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def parameters(self) -> dict:
        return dict(self._parameters)

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        if self._is_square_hint is not None:
            return self._is_square_hint
        rows, cols = self.shape[-2], self.shape[-1]
        return None if None in (rows, cols) else rows == cols

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._shape())

    @property
    def batch_shape(self) -> TensorShape:
        return self.shape[:-2]

    @property
    def tensor_rank(self) -> int:
        return self.shape.rank

    @property
    def range_dimension(self):
        return self.shape[-2]

    @property
    def domain_dimension(self):
        return self.shape[-1]

    def shape_tensor(self, name="shape_tensor") -> Tensor:
        return to_tensor(np.asarray(self._shape(), dtype=np.int32))

    def batch_shape_tensor(self, name="batch_shape_tensor") -> Tensor:
        return to_tensor(np.asarray(self._shape()[:-2], dtype=np.int32))

    def tensor_rank_tensor(self, name="tensor_rank_tensor") -> Tensor:
        return to_tensor(np.int32(len(self._shape())))

    def range_dimension_tensor(self, name="range_dimension_tensor") -> Tensor:
        return to_tensor(np.int32(self._shape()[-2]))

    def domain_dimension_tensor(self, name="domain_dimension_tensor") -> Tensor:
        return to_tensor(np.int32(self._shape()[-1]))

    # -- the operator's action ----------------------------------------------

    def to_dense(self, name="to_dense") -> Tensor:
        """The operator as a dense ``[..., M, N]`` tensor."""
        return self._to_dense()

    def _matmul(self, x: Tensor, adjoint=False, adjoint_arg=False) -> Tensor:
        dense, x = _broadcast_batch(self.to_dense(), x)
        return matmul(dense, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """``op @ x`` (``adjoint(op) @ x``, ``op @ adjoint(x)``); another operator gives a
        LinearOperatorComposition."""
        if isinstance(x, LinearOperator):
            from tensorflux.linalg.linear_operator_derived import LinearOperatorComposition

            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            return LinearOperatorComposition([left, right])
        x = to_tensor(x, self.dtype)
        self._check_arg(x, self.range_dimension if adjoint else self.domain_dimension, adjoint_arg)
        return self._matmul(x, adjoint, adjoint_arg)

    @staticmethod
    def _check_arg(x: Tensor, want, adjoint_arg: bool) -> None:
        """TF's static check that ``x`` has the rows the product needs."""
        dims = x.shape.as_list() if x.shape.rank is not None else None
        if not dims or len(dims) < 2 or want is None:
            return
        got = dims[-1] if adjoint_arg else dims[-2]
        if got is not None and got != want:
            raise ValueError(f"Dimensions {want} and {got} are not compatible")

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec") -> Tensor:
        """``op @ x`` for vectors ``x`` in the last axis."""
        return squeeze(self.matmul(expand_dims(to_tensor(x, self.dtype), -1), adjoint), -1)

    def _check_solvable(self) -> None:
        if self.is_non_singular is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to be singular."
            )
        if self.is_square is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to not be square."
            )

    def _solve(self, rhs: Tensor, adjoint=False, adjoint_arg=False) -> Tensor:
        if adjoint_arg:
            rhs = _adjoint(rhs)
        dense, rhs = _broadcast_batch(self.to_dense(), rhs)
        if self._can_use_cholesky():
            return cholesky_solve(cholesky(dense), rhs)
        return _solve(dense, rhs, adjoint=adjoint)

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """``x`` with ``op @ x = rhs``; an operator ``rhs`` gives ``inverse() @ rhs``.

        Raises:
            NotImplementedError: an operator hinted singular or not square.
        """
        self._check_solvable()
        if isinstance(rhs, LinearOperator):
            from tensorflux.linalg.linear_operator_derived import LinearOperatorComposition

            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            return LinearOperatorComposition([left.inverse(), right])
        rhs = to_tensor(rhs, self.dtype)
        self._check_arg(
            rhs, self.domain_dimension if adjoint else self.range_dimension, adjoint_arg
        )
        return self._solve(rhs, adjoint, adjoint_arg)

    def solvevec(self, rhs, adjoint=False, name="solve") -> Tensor:
        """``x`` with ``op @ x = rhs`` for vectors in the last axis."""
        return squeeze(self.solve(expand_dims(to_tensor(rhs, self.dtype), -1), adjoint), -1)

    def _can_use_cholesky(self) -> bool:
        return bool(self.is_self_adjoint and self.is_positive_definite)

    def _determinant(self) -> Tensor:
        # A positive definite operator's determinant through its Cholesky factor, as TF:
        # that compiles under jit_compile=True, where TF's XLA refuses MatrixDeterminant.
        if self._can_use_cholesky():
            return exp(self.log_abs_determinant())
        return det(self.to_dense())

    def _log_abs_determinant(self) -> Tensor:
        if self._can_use_cholesky():
            factor_diag = diag_part(cholesky(self.to_dense()))
            logs = reduce_sum(log(factor_diag), axis=-1)
            return multiply(to_tensor(2, logs.dtype), logs)
        return slogdet(self.to_dense())[1]

    def _check_square(self, what: str) -> None:
        if self.is_square is False:
            raise NotImplementedError(
                f"{what} not implemented for an operator that is expected to not be square."
            )

    def determinant(self, name="det") -> Tensor:
        """The determinant of each matrix, of the batch shape.

        Raises:
            NotImplementedError: a non-square operator.
        """
        self._check_square("Determinant")
        return self._determinant()

    def log_abs_determinant(self, name="log_abs_det") -> Tensor:
        """log |det| of each matrix, of the batch shape."""
        self._check_square("Log abs determinant")
        return self._log_abs_determinant()

    def _diag_part(self) -> Tensor:
        return diag_part(self.to_dense())

    def diag_part(self, name="diag_part") -> Tensor:
        """The main diagonal, ``[..., min(M, N)]``."""
        return self._diag_part()

    def _trace(self) -> Tensor:
        return reduce_sum(self.diag_part(), axis=-1)

    def trace(self, name="trace") -> Tensor:
        """The sum of the main diagonal."""
        return self._trace()

    def add_to_tensor(self, x, name="add_to_tensor") -> Tensor:
        """``to_dense() + x``."""
        return add(self.to_dense(), to_tensor(x, self.dtype))

    def eigvals(self, name="eigvals") -> Tensor:
        """Eigenvalues of a self-adjoint operator, ascending.

        Raises:
            NotImplementedError: an operator not hinted self-adjoint.
        """
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        return eigvalsh(self.to_dense())

    def cond(self, name="cond") -> Tensor:
        """The condition number: largest over smallest singular value (absolute eigenvalue
        for a self-adjoint operator, as TF)."""
        if self.is_self_adjoint:
            from tensorflux.ops.math_ops import abs as _abs

            s = _abs(self.eigvals())
        else:
            s = svd(self.to_dense(), compute_uv=False)
        return divide(reduce_max(s, axis=-1), reduce_min(s, axis=-1))

    def inverse(self, name="inverse") -> "LinearOperator":
        """The inverse, as a LinearOperatorInversion.

        Raises:
            ValueError: a non-square or singular operator.
        """
        if self.is_square is False:
            raise ValueError(
                "Cannot take the Inverse: This operator represents a non square matrix."
            )
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        from tensorflux.linalg.linear_operator_derived import LinearOperatorInversion

        return LinearOperatorInversion(self)

    def adjoint(self, name="adjoint") -> "LinearOperator":
        """The conjugate transpose, as a LinearOperatorAdjoint (self if self-adjoint)."""
        if self.is_self_adjoint:
            return self
        from tensorflux.linalg.linear_operator_derived import LinearOperatorAdjoint

        return LinearOperatorAdjoint(self)

    H = property(lambda self: self.adjoint())

    def cholesky(self, name="cholesky") -> "LinearOperator":
        """The lower Cholesky factor, as a LinearOperatorLowerTriangular.

        Raises:
            ValueError: an operator not hinted self-adjoint and positive definite.
        """
        if not (self.is_self_adjoint and self.is_positive_definite):
            raise ValueError(
                "Cholesky decomposition only makes sense on a self-adjoint positive "
                "definite operator: pass is_self_adjoint=True, is_positive_definite=True."
            )
        from tensorflux.linalg.linear_operator_structured import LinearOperatorLowerTriangular

        return LinearOperatorLowerTriangular(
            cholesky(self.to_dense()), is_non_singular=True, is_square=True
        )

    def assert_non_singular(self, name="assert_non_singular"):
        """Raises InvalidArgumentError when a matrix has a zero singular value."""
        from tensorflux.framework.errors import InvalidArgumentError

        s = svd(self.to_dense(), compute_uv=False).numpy()
        if np.any(np.min(s, axis=-1) <= 0):
            raise InvalidArgumentError(None, "assert_non_singular", "Singular operator.")

    def _dense_dtype(self):
        return self.dtype


class LinearOperatorFullMatrix(LinearOperator):
    """An operator given by its dense ``[..., M, N]`` matrix
    (``tf.linalg.LinearOperatorFullMatrix``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    >>> float(op.determinant())
    -2.0

    Raises:
        ValueError: a matrix of rank < 2.
        TypeError: an integer matrix.
    """

    def __init__(
        self,
        matrix,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorFullMatrix",
    ):
        m = to_tensor(matrix)
        if not (m.dtype.is_floating or m.dtype.is_complex):
            raise TypeError(
                f"Argument `matrix` must have dtype in [tf.float16, tf.float32, tf.float64, "
                f"tf.complex64, tf.complex128]. Received: <dtype: '{m.dtype.name}'>"
            )
        if m._value.ndim < 2:
            raise ValueError(f"Argument `matrix` must have at least 2 dimensions. Received: {m}.")
        self._matrix = m
        super().__init__(
            m.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            is_square,
            name,
            {"matrix": m},
        )

    def _shape(self):
        return list(self._matrix._value.shape)

    def _to_dense(self):
        return self._matrix


def _check_same_dtype(operators) -> None:
    first = operators[0].dtype
    for op in operators[1:]:
        if op.dtype != first:
            names = [(o.name, o.dtype.name) for o in operators]
            raise TypeError(f"Expected all operators to have the same dtype.  Found {names}")
