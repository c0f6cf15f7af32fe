"""``tf.linalg.experimental.conjugate_gradient``: iterative solve of a Hermitian positive
definite system, built on ``tf.while_loop`` so it runs eagerly and inside ``tf.function``."""

from __future__ import annotations

from typing import NamedTuple

from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import zeros_like
from tensorflux.ops.linalg_ops import norm
from tensorflux.ops.logic_ops import greater, less, logical_and
from tensorflux.ops.math_ops import add, divide, multiply, subtract
from tensorflux.ops.reduction_ops import reduce_any, reduce_sum
from tensorflux.ops.shape_ops import expand_dims
from tensorflux.ops.unary_math_ops import conj

__all__ = ["conjugate_gradient"]


class CGState(NamedTuple):
    """The solver's state: iterations done, solution, residual, search direction and
    ``r^H z`` of the preconditioned residual ``z``."""

    i: object
    x: object
    r: object
    p: object
    gamma: object


def _dot(a, b):
    return reduce_sum(multiply(conj(a), b), axis=-1)


def conjugate_gradient(
    operator, rhs, preconditioner=None, x=None, tol=1e-5, max_iter=20, name="conjugate_gradient"
) -> CGState:
    """Solves ``operator @ x = rhs`` by (preconditioned) conjugate gradients
    (``tf.linalg.experimental.conjugate_gradient``). Iterates while any residual norm is
    above ``tol`` and fewer than ``max_iter`` steps were taken.

    >>> import tensorflux as tf
    >>> op = tf.linalg.LinearOperatorFullMatrix(
    ...     [[4.0, 1.0], [1.0, 3.0]], is_self_adjoint=True, is_positive_definite=True)
    >>> tf.linalg.experimental.conjugate_gradient(op, [1.0, 2.0]).x.numpy().round(4)
    array([0.0909, 0.6364], dtype=float32)

    Args:
        operator: a self-adjoint positive definite ``LinearOperator``.
        rhs: ``[..., N]`` right-hand sides.
        preconditioner: a ``LinearOperator`` approximating the inverse of ``operator``.
        x: the starting point (zeros by default).

    Returns:
        A ``CGState(i, x, r, p, gamma)``.

    Raises:
        ValueError: an operator not hinted self-adjoint and positive definite.
    """
    from tensorflux.engine.control_flow import while_loop

    if not (operator.is_self_adjoint and operator.is_positive_definite):
        raise ValueError("Expected a self-adjoint, positive definite operator.")
    b = to_tensor(rhs, operator.dtype)
    x0 = zeros_like(b) if x is None else to_tensor(x, b.dtype)
    tol_t = to_tensor(tol, b.dtype.real_dtype)

    def precondition(r):
        return r if preconditioner is None else preconditioner.matvec(r)

    r0 = subtract(b, operator.matvec(x0))
    z0 = precondition(r0)
    state = CGState(to_tensor(0, "int32"), x0, r0, z0, _dot(r0, z0))

    def keep_going(i, x, r, p, gamma):
        return logical_and(
            less(i, to_tensor(max_iter, "int32")), reduce_any(greater(norm(r, axis=-1), tol_t))
        )

    def step(i, x, r, p, gamma):
        z = operator.matvec(p)
        alpha = divide(gamma, _dot(p, z))
        x = add(x, multiply(expand_dims(alpha, -1), p))
        r = subtract(r, multiply(expand_dims(alpha, -1), z))
        z = precondition(r)
        new_gamma = _dot(r, z)
        p = add(z, multiply(expand_dims(divide(new_gamma, gamma), -1), p))
        return CGState(add(i, to_tensor(1, "int32")), x, r, p, new_gamma)

    return CGState(*while_loop(keep_going, step, list(state)))
