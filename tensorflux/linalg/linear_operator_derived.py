"""Linear operators built on another operator: its adjoint, its inverse, and products of
operators (``tf.linalg.LinearOperatorAdjoint``, ``LinearOperatorInversion``,
``LinearOperatorComposition``)."""

from __future__ import annotations

import numpy as np

from tensorflux.linalg.linear_operator import LinearOperator, _check_same_dtype
from tensorflux.ops.common import to_tensor
from tensorflux.ops.math_ops import add, divide
from tensorflux.ops.matrix_diag_ops import adjoint as _adjoint

__all__ = ["LinearOperatorAdjoint", "LinearOperatorInversion", "LinearOperatorComposition"]


class LinearOperatorAdjoint(LinearOperator):
    """The conjugate transpose of another operator (``tf.linalg.LinearOperatorAdjoint``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.linalg.LinearOperatorAdjoint(op).to_dense().numpy()
    array([[1., 3.],
           [2., 4.]], dtype=float32)
    """

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        self._operator = operator
        super().__init__(
            operator.dtype,
            operator.is_non_singular if is_non_singular is None else is_non_singular,
            operator.is_self_adjoint if is_self_adjoint is None else is_self_adjoint,
            operator.is_positive_definite if is_positive_definite is None else is_positive_definite,
            operator.is_square if is_square is None else is_square,
            name or operator.name + "_adjoint",
            {"operator": operator},
        )

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        s = self._operator._shape()
        return s[:-2] + [s[-1], s[-2]]

    def _to_dense(self):
        return _adjoint(self._operator.to_dense())

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        from tensorflux.ops.unary_math_ops import conj

        return conj(self._operator.determinant())

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()


class LinearOperatorInversion(LinearOperator):
    """The inverse of a square, non-singular operator: products are its solves
    (``tf.linalg.LinearOperatorInversion``).

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorFullMatrix([[2.0, 0.0], [0.0, 4.0]])
    >>> tf.linalg.LinearOperatorInversion(op).matvec([1.0, 1.0]).numpy()
    array([0.5 , 0.25], dtype=float32)

    Raises:
        ValueError: an operator hinted singular or not square.
    """

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError(
                "operator and supplied hints must have is_non_singular equal to True/None."
            )
        if operator.is_square is False or is_square is False:
            raise ValueError("operator and supplied hints must have is_square equal to True/None.")
        self._operator = operator
        super().__init__(
            operator.dtype,
            True if operator.is_non_singular else is_non_singular,
            operator.is_self_adjoint if is_self_adjoint is None else is_self_adjoint,
            operator.is_positive_definite if is_positive_definite is None else is_positive_definite,
            True,
            name or operator.name + "_inv",
            {"operator": operator},
        )

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        return self._operator._shape()

    def _to_dense(self):
        from tensorflux.ops.creation_ops import eye

        s = self._shape()
        return self._operator.solve(eye(s[-1], batch_shape=s[:-2] or None, dtype=self.dtype))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return divide(to_tensor(1.0, self.dtype), self._operator.determinant())

    def _log_abs_determinant(self):
        from tensorflux.ops.math_ops import negative

        return negative(self._operator.log_abs_determinant())


class LinearOperatorComposition(LinearOperator):
    """The product ``A1 @ A2 @ ... @ Ak`` of operators, applied one by one
    (``tf.linalg.LinearOperatorComposition``).

    >>> import tensorflux as tf
    >>> a = tf.linalg.LinearOperatorDiag([2.0, 3.0])
    >>> tf.linalg.LinearOperatorComposition([a, a]).to_dense().numpy()
    array([[4., 0.],
           [0., 9.]], dtype=float32)

    Raises:
        ValueError: an empty list, or operators whose dimensions do not chain.
        TypeError: operators of different dtypes.
    """

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_same_dtype(operators)
        for left, right in zip(operators, operators[1:]):
            if left.domain_dimension != right.range_dimension:
                raise ValueError(
                    f"Operators are incompatible: {left.name} has domain dimension "
                    f"{left.domain_dimension} but {right.name} has range dimension "
                    f"{right.range_dimension}."
                )
        if all(o.is_non_singular for o in operators):
            if is_non_singular is False:
                raise ValueError(
                    "The composition of non-singular operators is always non-singular."
                )
            is_non_singular = True
        self._operators = operators
        super().__init__(
            operators[0].dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            is_square,
            name or "_o_".join(o.name for o in operators),
            {"operators": operators},
        )

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        batch = np.broadcast_shapes(*[tuple(o._shape()[:-2]) for o in self._operators])
        return list(batch) + [self._operators[0]._shape()[-2], self._operators[-1]._shape()[-1]]

    def _to_dense(self):
        out = self._operators[-1].to_dense()
        for op in reversed(self._operators[:-1]):
            out = op.matmul(out)
        return out

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        ops = list(reversed(self._operators)) if adjoint else self._operators
        out = ops[-1].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in reversed(ops[:-1]):
            out = op.matmul(out, adjoint=adjoint)
        return out

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if not all(o.is_square for o in self._operators):
            return super()._solve(rhs, adjoint, adjoint_arg)
        ops = self._operators if not adjoint else list(reversed(self._operators))
        out = ops[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in ops[1:]:
            out = op.solve(out, adjoint=adjoint)
        return out

    def _determinant(self):
        from tensorflux.ops.math_ops import multiply

        if not all(o.is_square for o in self._operators):
            return super()._determinant()
        out = self._operators[0].determinant()
        for op in self._operators[1:]:
            out = multiply(out, op.determinant())
        return out

    def _log_abs_determinant(self):
        if not all(o.is_square for o in self._operators):
            return super()._log_abs_determinant()
        out = self._operators[0].log_abs_determinant()
        for op in self._operators[1:]:
            out = add(out, op.log_abs_determinant())
        return out
