"""Tridiagonal systems: ``tf.linalg.tridiagonal_solve`` and ``tridiagonal_matmul``.

TridiagonalSolve and TridiagonalMatMul are primitives as in TF: each is one NumPy pass
over the three diagonals, in TF's compact ``[..., 3, M]`` layout.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import COMPLEX, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.math_ops import multiply, negative
from tensorflux.ops.unary_math_ops import conj

__all__ = ["tridiagonal_solve", "tridiagonal_matmul"]

_REAL_AND_COMPLEX = frozenset({dtypes.float32, dtypes.float64}) | COMPLEX


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
    from tensorflux.ops.linalg_solve_ops import solve_or_nan

    return solve_or_nan(_tridiag_dense(diagonals), rhs)


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

    A singular matrix gives NaN, as in TF.

    Raises:
        ValueError: an unknown ``diagonals_format``.
        InvalidArgumentError: mismatched shapes.
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
