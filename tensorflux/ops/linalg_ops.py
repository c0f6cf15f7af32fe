"""Linear algebra: norms, inverse, determinant, diagonals, einsum and tensordot.

``tf.norm``, ``tf.tensordot`` and ``tf.einsum`` are exported at the top level;
the rest is reached through ``tf.linalg`` (see ``tensorflux/linalg/__init__.py``).
MatrixInverse, MatrixDeterminant and Einsum are primitives (LAPACK / BLAS
kernels); ``tensordot``, ``matvec``, ``trace`` and ``norm`` compose them.
"""

from __future__ import annotations

import string

import numpy as np

from tensorflux.engine.registry import COMPLEX, FLOATING, Spec, execute, register
from tensorflux.engine.registry import get as get_op
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import (
    conjugated_grad,
    dim_list,
    fit_like,
    known_shape,
    static_dims,
    to_tensor,
)
from tensorflux.ops.math_ops import abs as _abs
from tensorflux.ops.math_ops import matmul, multiply, negative, pow
from tensorflux.ops.matrix_diag_ops import _DIAG, _DIAG_PART, diag, diag_part  # noqa: F401
from tensorflux.ops.reduction_ops import _drop_axes, _reshape_dims, reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, reshape
from tensorflux.ops.unary_math_ops import sqrt

__all__ = ["norm", "tensordot", "einsum"]

_FLOAT_LIKE = FLOATING | COMPLEX


def _square_matrix_check(x: np.ndarray) -> None:
    if x.ndim < 2:
        raise ValueError(f"Input tensor 0 must have rank >= 2, got {x.ndim}")
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"Input matrix must be square. Got shape {x.shape}: pass matrices "
            f"(the last two dimensions equal), optionally batched."
        )


def _lapack(fn, x, *args):
    # NumPy's LAPACK wrappers have no float16: compute in float32, return float16.
    if x.dtype == np.float16:
        return fn(x.astype(np.float32), *args).astype(np.float16)
    return np.asarray(fn(x, *args))


# -- MatrixInverse ----------------------------------------------------------


def _inv_kernel(x, adjoint=False):
    _square_matrix_check(x)
    if adjoint:
        x = np.conj(np.swapaxes(x, -1, -2))
    try:
        return _lapack(np.linalg.inv, x)
    except np.linalg.LinAlgError:
        raise ValueError("Input is not invertible.") from None


def _inv_grad(call, dy):
    """d inv(A) = -inv(A)^H dy inv(A)^H (with adjoint: -y dy^H y for the output y)."""
    (y,) = call.outputs
    if call.attrs.get("adjoint"):
        return (negative(matmul(matmul(y, dy, adjoint_b=True), y)),)
    return (negative(matmul(matmul(y, dy, adjoint_a=True), y, adjoint_b=True)),)


_INV = register(
    "MatrixInverse",
    kernel=_inv_kernel,
    grad=_inv_grad,
    infer=lambda x, adjoint=False: Spec(x.dtype, x.shape),
    allowed=_FLOAT_LIKE,
)


def inv(input, adjoint=False, name=None) -> Tensor:  # noqa: A002
    """Inverse of each square matrix in the last two axes (``tf.linalg.inv``).

    >>> import tensorflux as tf
    >>> tf.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)

    Raises:
        InvalidArgumentError: non-square or singular matrices, or an integer input.
    """
    attrs = {"adjoint": True} if adjoint else {}
    return execute(_INV, (to_tensor(input),), attrs)


# -- MatrixDeterminant ------------------------------------------------------


def _det_kernel(x):
    _square_matrix_check(x)
    return _lapack(np.linalg.det, x)


def _det_infer(x: Spec) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    return Spec(x.dtype, TensorShape(x.shape.as_list()[:-2]))


def _det_grad(call, dy):
    """d det(A) = dy * det(A) * inv(A)^T."""
    (a,), (det,) = call.inputs, call.outputs
    scale = _reshape_dims(multiply(dy, det), dim_list(det) + [1, 1])
    return (multiply(scale, execute(_INV, (a,), {"adjoint": True})),)


_DET = register(
    "MatrixDeterminant", kernel=_det_kernel, grad=_det_grad, infer=_det_infer, allowed=_FLOAT_LIKE
)


def det(input, name=None) -> Tensor:  # noqa: A002
    """Determinant of each square matrix in the last two axes (``tf.linalg.det``).

    Raises:
        InvalidArgumentError: non-square matrices or an integer input.
    """
    return execute(_DET, (to_tensor(input),))


# -- MatrixSolve ------------------------------------------------------------


def _solve_kernel(matrix, rhs, adjoint=False):
    # TF's MatrixSolve does not broadcast: same rank, same batch dimensions.
    if matrix.ndim != rhs.ndim:
        raise ValueError(
            f"All input tensors must have the same rank: matrix {matrix.shape} vs "
            f"rhs {rhs.shape}. Give rhs a trailing column axis, e.g. "
            f"tf.expand_dims(rhs, -1)."
        )
    _square_matrix_check(matrix)
    if matrix.shape[-1] != rhs.shape[-2]:
        raise ValueError(
            f"Input matrix and rhs are incompatible: matrix {matrix.shape} vs rhs "
            f"{rhs.shape}; rhs needs {matrix.shape[-1]} rows."
        )
    if matrix.shape[:-2] != rhs.shape[:-2]:
        raise ValueError(
            f"All input tensors must have the same outer dimensions: matrix "
            f"{matrix.shape} vs rhs {rhs.shape}. Broadcast them with "
            f"tf.broadcast_to first."
        )
    if adjoint:
        matrix = np.conj(np.swapaxes(matrix, -1, -2))
    try:
        return _lapack(lambda m: np.linalg.solve(m, rhs.astype(m.dtype, copy=False)), matrix)
    except np.linalg.LinAlgError:
        raise ValueError("Input matrix is not invertible.") from None


def _solve_infer(matrix: Spec, rhs: Spec, adjoint=False) -> Spec:
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return Spec(rhs.dtype, rhs.shape)
    batch = matrix.shape[:-2].merge_with(rhs.shape[:-2])
    return Spec(rhs.dtype, batch.concatenate(rhs.shape[-2:]))


def _solve_grad(call, dy):
    """d rhs = solve(A^H, dy); d A = -d rhs @ X^H (with adjoint: -X @ d rhs^H)."""
    a, _ = call.inputs
    (x,) = call.outputs
    adjoint = call.attrs.get("adjoint", False)
    grad_rhs = execute(_SOLVE, (a, dy), {"adjoint": not adjoint})
    if adjoint:
        return negative(matmul(x, grad_rhs, adjoint_b=True)), grad_rhs
    return negative(matmul(grad_rhs, x, adjoint_b=True)), grad_rhs


_SOLVE = register(
    "MatrixSolve",
    kernel=_solve_kernel,
    grad=_solve_grad,
    infer=_solve_infer,
    same_dtype=True,
    allowed=_FLOAT_LIKE - {dtypes.bfloat16},
)


def solve(matrix, rhs, adjoint=False, name=None) -> Tensor:
    """Solves ``matrix @ X = rhs`` for ``X`` (``tf.linalg.solve``), batched over leading axes.

    A primitive: LAPACK's LU solve is faster and more accurate than ``inv(matrix) @ rhs``.
    As in TF there is no broadcasting: ``matrix`` is ``[..., M, M]`` and ``rhs``
    ``[..., M, K]`` with the same leading dimensions.

    >>> import tensorflux as tf
    >>> tf.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [8.0]]).numpy()
    array([[1.],
           [2.]], dtype=float32)

    Args:
        matrix: ``[..., M, M]`` floating or complex tensor.
        rhs: ``[..., M, K]`` tensor of the same dtype.
        adjoint: solve with the conjugate transpose of ``matrix`` instead.

    Raises:
        InvalidArgumentError: a singular matrix ("Input matrix is not invertible."),
            mismatched ranks, shapes or dtypes, or an integer input.
    """
    attrs = {"adjoint": True} if adjoint else {}
    return execute(_SOLVE, (to_tensor(matrix), to_tensor(rhs)), attrs)


def trace(x, name=None) -> Tensor:
    """Sum of the main diagonal of each matrix in the last two axes (``tf.linalg.trace``)."""
    return reduce_sum(diag_part(x), axis=-1)


def matrix_transpose(a, name="matrix_transpose", conjugate=False) -> Tensor:
    """Swaps the last two axes (``tf.linalg.matrix_transpose``); conjugates if asked.

    Raises:
        ValueError: an input of rank < 2.
    """
    from tensorflux.ops.shape_ops import transpose

    x = to_tensor(a)
    rank = x._value.ndim
    if rank < 2:
        raise ValueError(
            f"Argument `a` should be a (batch) matrix with rank >= 2. Received "
            f"`a` with shape: {tuple(x._value.shape)}"
        )
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    return transpose(x, perm=perm, conjugate=conjugate)


def matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
) -> Tensor:
    """Matrix-vector product ``a @ b`` over the last axes, batched (``tf.linalg.matvec``).

    >>> import tensorflux as tf
    >>> tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    a, b = to_tensor(a), to_tensor(b)
    column = _reshape_dims(b, dim_list(b) + [1])
    out = matmul(a, column, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return _reshape_dims(out, dim_list(out)[:-1])


# -- Einsum -----------------------------------------------------------------


def _einsum_kernel(*xs, equation):
    dtype = xs[0].dtype
    if dtype.name in ("float16", "bfloat16"):
        # NumPy's einsum has no bfloat16 and no fast float16: accumulate in float32 and
        # round once, as MatMul does.
        wide = [x.astype(np.float32) for x in xs]
        return np.asarray(np.einsum(equation, *wide, optimize=len(xs) > 1)).astype(dtype)
    return np.asarray(np.einsum(equation, *xs, optimize=len(xs) > 1))


def _einsum_infer(*xs: Spec, equation) -> Spec:
    ins, out = equation.split("->")
    sizes: dict = {}
    for subs, spec in zip(ins.split(","), xs):
        if spec.shape.rank is None:
            return Spec(xs[0].dtype, TensorShape(None))
        for c, d in zip(subs, spec.shape.as_list()):
            if d is not None and sizes.get(c) in (None, 1):
                sizes[c] = d
    return Spec(xs[0].dtype, TensorShape([sizes.get(c) for c in out]))


def _einsum_grad(call, dy):
    """d operand_i = einsum(out, others -> subscripts_i)(dy, others), broadcast back over
    axes only operand i had and summed over axes it broadcast; an operand that repeats a
    subscript (a diagonal, a trace) gets that gradient on its diagonal, zeros elsewhere."""
    ins, out = call.attrs["equation"].split("->")
    subs = ins.split(",")
    grads = []
    for i, (s, x) in enumerate(zip(subs, call.inputs)):
        others = [(t, y) for j, (t, y) in enumerate(zip(subs, call.inputs)) if j != i]
        if len(set(s)) == len(s):
            grads.append(_operand_grad(s, known_shape(x), x, dy, others, out))
            continue
        shape = known_shape(x)
        if shape is None:
            raise UnimplementedError(
                None,
                "Einsum",
                f"The gradient of einsum {call.attrs['equation']!r} with respect to operand "
                f"{i} ({s!r}, a diagonal or trace) needs its shape known when traced; give "
                "the tf.function an input_signature with full shapes.",
            )
        grads.append(_diagonal_grad(s, shape, x, dy, others, out))
    return grads


def _operand_grad(s: str, shape, x, dy, others, out: str) -> Tensor:
    """The gradient of one operand with distinct subscripts ``s`` (shape ``shape``)."""
    seen = set(out).union(*[set(t) for t, _ in others])
    target = "".join(c for c in s if c in seen)
    eq = ",".join([out] + [t for t, _ in others]) + "->" + target
    g = execute(_EINSUM, [dy] + [y for _, y in others], {"equation": eq})
    if shape is None or known_shape(g) is None:
        return fit_like(_insert_unit_axes(g, s, seen), x)
    if len(target) != len(s):
        g = reshape(g, tuple(d if c in seen else 1 for c, d in zip(s, shape)))
    summed = tuple(k for k, (d, gd) in enumerate(zip(shape, g._value.shape)) if d != gd)
    if summed:
        g = reduce_sum(g, axis=summed, keepdims=True)
    if g._value.shape != shape:
        g = broadcast_to(g, shape)
    return g


def _diagonal_grad(s: str, shape: tuple, x, dy, others, out: str) -> Tensor:
    """The gradient for subscripts that repeat letters: the gradient of the operand's
    diagonal (each letter once) spread back with one identity matrix per repetition."""
    from tensorflux.ops.creation_ops import eye

    unique, unique_shape, renamed, eyes = "", [], "", []
    used = set(s) | set(out) | {c for t, _ in others for c in t}
    fresh = (c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)
    for c, d in zip(s, shape):
        if c not in unique:
            unique += c
            unique_shape.append(d)
            renamed += c
            continue
        letter = next(fresh)
        renamed += letter
        eyes.append((c + letter, eye(d, dtype=x.dtype)))
    g = _operand_grad(unique, tuple(unique_shape), x, dy, others, out)
    eq = ",".join([unique] + [t for t, _ in eyes]) + "->" + renamed
    return execute(_EINSUM, [g] + [e for _, e in eyes], {"equation": eq})


def _insert_unit_axes(g: Tensor, subs: str, seen: set) -> Tensor:
    """``g``, whose axes are the letters of ``subs`` in ``seen``, with size-1 axes added for
    the other letters."""
    if len(seen.intersection(subs)) == len(subs):
        return g
    dims = iter(dim_list(g))
    return _reshape_dims(g, [next(dims) if c in seen else 1 for c in subs])


_EINSUM = register(
    "Einsum",
    kernel=_einsum_kernel,
    grad=conjugated_grad(_einsum_grad),
    infer=_einsum_infer,
    same_dtype=True,
)


def _explicit_equation(equation: str, xs: list) -> str:
    """Rewrites ``equation`` without ``...`` and with an explicit output, checking operands."""
    equation = equation.replace(" ", "")
    ins, arrow, out = equation.partition("->")
    subs = ins.split(",")
    if len(subs) != len(xs):
        raise ValueError(f'Got {len(xs)} inputs for equation "{equation}", expecting {len(subs)}')
    letters = [s.replace("...", "") for s in subs]
    for s in letters + [out.replace("...", "")]:
        bad = [c for c in s if c not in string.ascii_letters]
        if bad:
            raise ValueError(
                f"tf.einsum: invalid subscript {bad[0]!r} in {equation!r}; use "
                f"letters, commas, '...' and '->'."
            )
    # Static shapes: None where a traced operand's size is known only when the graph runs
    # (the kernel checks those).
    shapes = [static_dims(x) for x in xs]
    ranks = []
    for s, named, shape in zip(subs, letters, shapes):
        r = len(shape) - len(named)
        if r < 0 or (r > 0 and "..." not in s):
            raise InvalidArgumentError(
                None,
                "Einsum",
                f"Expected input of rank {len(named)} for subscripts {s!r} in "
                f"{equation!r}, got shape {shape} [Op:Einsum]",
            )
        ranks.append(r)
    if not arrow:
        once = sorted(c for c in set("".join(letters)) if "".join(letters).count(c) == 1)
        out = ("..." if any("..." in s for s in subs) else "") + "".join(once)
    free = [c for c in string.ascii_letters if c not in equation]
    width = max(ranks, default=0)
    ell = "".join(free[:width])
    subs = [s.replace("...", ell[width - r :]) for s, r in zip(subs, ranks)]
    out = out.replace("...", ell)
    sizes: dict = {}
    for s, shape in zip(subs, shapes):
        for c, d in zip(s, shape):
            if d is None:
                continue
            known = sizes.setdefault(c, d)
            # Dimensions under '...' broadcast; named dimensions must agree exactly.
            if known != d and not (c in ell and 1 in (known, d)):
                raise InvalidArgumentError(
                    None,
                    "Einsum",
                    f"Expected dimension {known} for subscript {c!r} of "
                    f"{equation!r} but operand of shape {shape} has {d} [Op:Einsum]",
                )
            if known == 1:
                sizes[c] = d
    return ",".join(subs) + "->" + out


def einsum(equation, *inputs, **kwargs) -> Tensor:
    """Einstein summation over the operands (``tf.einsum``), e.g. ``"ij,jk->ik"``.

    Supports ``...`` broadcasting and implicit outputs. Gradients are einsums of the
    output gradient with the other operands; equations that repeat a subscript within
    one operand (diagonals, traces) run forward but have no gradient.

    >>> import tensorflux as tf
    >>> tf.einsum("ij,jk->ik", [[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)

    Raises:
        InvalidArgumentError: ranks or dimensions that do not fit the equation, or
            operands of different dtypes.
        ValueError: a malformed equation.
    """
    xs = [to_tensor(x) for x in inputs]
    return execute(_EINSUM, xs, {"equation": _explicit_equation(equation, xs)})


def tensordot(a, b, axes, name=None) -> Tensor:
    """Sums products of ``a`` and ``b`` over the given axes (``tf.tensordot``).

    Args:
        axes: an int ``n`` (the last ``n`` axes of ``a`` with the first ``n`` of ``b``),
            or a pair ``[axes_a, axes_b]`` of ints or equally long lists.

    Raises:
        ValueError: a malformed ``axes``.
        InvalidArgumentError: contracted dimensions of different sizes.
    """
    a, b = to_tensor(a), to_tensor(b)
    ra, rb = a._value.ndim, b._value.ndim
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if not 0 <= n <= min(ra, rb):
            raise ValueError(
                f"tf.tensordot: 'axes' must be in [0, {min(ra, rb)}] for inputs "
                f"of ranks {ra} and {rb}, got {n}."
            )
        axes_a, axes_b = list(range(ra - n, ra)), list(range(n))
    else:
        if len(axes) != 2:
            raise ValueError(
                f"tf.tensordot: 'axes' must be an int or a pair of axis lists, got {axes!r}."
            )
        axes_a, axes_b = ([int(v)] if np.ndim(v) == 0 else [int(i) for i in v] for v in axes)
        if len(axes_a) != len(axes_b):
            raise ValueError(
                f"tf.tensordot: the two axis lists must have the same length, "
                f"got {axes_a} and {axes_b}."
            )
    sa = list(string.ascii_letters[:ra])
    sb = list(string.ascii_letters[ra : ra + rb])
    for i, j in zip(axes_a, axes_b):
        sb[j % rb] = sa[i % ra]
    shared = {sa[i % ra] for i in axes_a}
    out = [c for c in sa if c not in shared] + [c for c in sb if c not in shared]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(out), a, b)


# -- norm (composition) -----------------------------------------------------


def _norm_axes(axis, rank: int):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    axis = tuple(int(a) for a in axis)
    for a in axis:
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None,
                "Sum",
                f"Invalid reduction dimension ({a} for input with {rank} "
                f"dimension(s) [Op:Sum]. tf.norm: use an axis in [{-rank}, {rank}).",
            )
    if len(axis) == 1:
        return (axis[0] % max(rank, 1),)
    if len(axis) != 2 or axis[0] % rank == axis[1] % rank:
        raise ValueError(
            f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
        )
    return tuple(a % rank for a in axis)


def _reduce_max(x, axis, keepdims=True):
    from tensorflux.ops.reduction_ops import reduce_max

    return reduce_max(x, axis=axis, keepdims=keepdims)


def _spectral_norm(x: Tensor, axes: tuple) -> Tensor:
    """The largest singular value over the two ``axes``, which are kept as size 1."""
    from tensorflux.ops.linalg_decomposition_ops import svd
    from tensorflux.ops.shape_ops import transpose

    rank = x._value.ndim
    perm = [i for i in range(rank) if i not in axes] + list(axes)
    largest = _reduce_max(svd(transpose(x, perm=perm), compute_uv=False), -1, keepdims=False)
    kept = [1 if i in axes else d for i, d in enumerate(dim_list(x))]
    return _reshape_dims(largest, kept)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None) -> Tensor:  # noqa: A002
    """Vector or matrix norm (``tf.norm`` / ``tf.linalg.norm``).

    Args:
        ord: vector norms: "euclidean", or any p > 0 (1, 2, np.inf, 0.5, ...);
            matrix norms (``axis`` a pair): "euclidean"/"fro", 1 (max column sum),
            np.inf (max row sum) and 2 (the largest singular value).
        axis: None (the whole tensor as one vector), an int, or a pair of axes for
            a matrix norm.

    >>> import tensorflux as tf
    >>> float(tf.norm([3.0, 4.0]))
    5.0

    Raises:
        ValueError: an unsupported ``ord`` or a malformed ``axis``.
    """
    x = to_tensor(tensor)
    rank = x._value.ndim
    axes = _norm_axes(axis, rank)
    is_matrix = axes is not None and len(axes) == 2
    if is_matrix:
        if ord not in ("euclidean", "fro", 1, 2, np.inf):
            raise ValueError(
                f"'ord' must be a supported matrix norm in ['euclidean', 'fro', "
                f"1, 2, inf], got {ord}"
            )
    elif not (ord == "euclidean" or (not isinstance(ord, str) and ord > 0)):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    if is_matrix and ord == 2:
        result = _spectral_norm(x, axes)
    elif ord in ("euclidean", "fro") or (ord == 2 and not is_matrix):
        # As TF: sqrt(sum(x * conj(x))), which keeps a complex input's dtype.
        conj_x = execute(get_op("Conj"), (x,)) if x._dtype.is_complex else x
        sq = reduce_sum(multiply(x, conj_x), axis=axes, keepdims=True)
        result = sqrt(sq)
    else:
        mag = _abs(x)
        if is_matrix:
            summed, other = (axes[0], axes[1]) if ord == 1 else (axes[1], axes[0])
            result = _reduce_max(reduce_sum(mag, axis=summed, keepdims=True), other)
        elif ord == np.inf:
            result = _reduce_max(mag, axes)
        elif ord == 1:
            result = reduce_sum(mag, axis=axes, keepdims=True)
        else:
            p = Tensor(np.asarray(ord, dtype=mag._value.dtype), mag._dtype)
            inv_p = Tensor(np.asarray(1.0 / ord, dtype=mag._value.dtype), mag._dtype)
            result = pow(reduce_sum(pow(mag, p), axis=axes, keepdims=True), inv_p)
    if not keepdims:
        result = reshape(result, ()) if axes is None else _drop_axes(result, x, axes)
    return result
