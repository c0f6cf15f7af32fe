"""Band and diagonal structure of matrices: ``band_part``, ``set_diag``, ``adjoint``,
``tensor_diag`` / ``tensor_diag_part`` and the 3-vector ``cross`` product.

MatrixBandPart, MatrixSetDiagV3, Diag, DiagPart and Cross are primitives as in TF: each is
one NumPy indexing pass, where a composition would build masks of the matrix's size.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework.errors import FailedPreconditionError, InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import zeros_like
from tensorflux.ops.linalg_ops import _DIAG_PART, _main_diagonal_only

__all__ = ["band_part", "set_diag", "adjoint", "tensor_diag", "tensor_diag_part", "cross"]


def _needs_matrix(x: np.ndarray, op: str, what: str = "input") -> None:
    if x.ndim < 2:
        raise InvalidArgumentError(
            None, op, f"{what} must be at least 2-dim, received shape: {list(x.shape)} [Op:{op}]"
        )


# -- MatrixBandPart ---------------------------------------------------------


def _band_mask(m: int, n: int, num_lower: int, num_upper: int) -> np.ndarray:
    i = np.arange(m)[:, None]
    j = np.arange(n)[None, :]
    keep = np.ones((m, n), dtype=bool)
    if num_lower >= 0:
        keep &= i - j <= num_lower
    if num_upper >= 0:
        keep &= j - i <= num_upper
    return keep


def _band_part_kernel(x, num_lower, num_upper):
    _needs_matrix(x, "MatrixBandPart")
    m, n = x.shape[-2:]
    lo, up = int(num_lower), int(num_upper)
    if lo > m:
        raise ValueError(
            f"num_lower must be negative or less or equal to number of rows ({m}) got: {lo}"
        )
    if up > n:
        raise ValueError(
            f"num_upper must be negative or less or equal to number of columns ({n}) got: {up}"
        )
    return np.where(_band_mask(m, n, lo, up), x, np.zeros((), dtype=x.dtype))


def _band_part_grad(call, dy):
    """The band of the gradient: band_part(dy, num_lower, num_upper); none for the widths."""
    _, lo, up = call.inputs
    return execute(_BAND_PART, (dy, lo, up)), None, None


_BAND_PART = register(
    "MatrixBandPart",
    kernel=_band_part_kernel,
    grad=_band_part_grad,
    infer=lambda x, lo, up: Spec(x.dtype, x.shape),
)


def band_part(input, num_lower, num_upper, name=None) -> Tensor:  # noqa: A002
    """Keeps a band of each matrix in the last two axes and zeroes the rest
    (``tf.linalg.band_part``).

    Entry ``(i, j)`` is kept when ``i - j <= num_lower`` and ``j - i <= num_upper``; a
    negative width keeps the whole triangle.

    >>> import tensorflux as tf
    >>> tf.linalg.band_part([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 0, -1).numpy()
    array([[1, 2, 3],
           [0, 5, 6],
           [0, 0, 9]], dtype=int32)

    Raises:
        InvalidArgumentError: an input of rank < 2, or a width beyond the matrix.
    """
    x = to_tensor(input)
    lo = to_tensor(num_lower, "int64") if not isinstance(num_lower, Tensor) else num_lower
    up = to_tensor(num_upper, "int64") if not isinstance(num_upper, Tensor) else num_upper
    return execute(_BAND_PART, (x, lo, up))


# -- MatrixSetDiagV3 --------------------------------------------------------


def _set_diag_kernel(x, diagonal, k, align="RIGHT_LEFT"):
    _needs_matrix(x, "MatrixSetDiagV3")
    size = min(x.shape[-2:])
    if diagonal.shape[-1:] != (size,) or diagonal.shape[:-1] != x.shape[:-2]:
        raise ValueError(
            f"diagonal must have shape {list(x.shape[:-2]) + [size]} for input of shape "
            f"{list(x.shape)}, got {list(diagonal.shape)}."
        )
    out = x.copy()
    out[..., np.arange(size), np.arange(size)] = diagonal
    return out


def _set_diag_grad(call, dy):
    """Off-diagonal entries go to the input, diagonal ones to ``diagonal``: set_diag(dy, 0) and
    diag_part(dy)."""
    _, d, k = call.inputs
    return execute(_SET_DIAG, (dy, zeros_like(d), k)), execute(_DIAG_PART, (dy,)), None


_SET_DIAG = register(
    "MatrixSetDiagV3",
    kernel=_set_diag_kernel,
    grad=_set_diag_grad,
    infer=lambda x, d, k, align="RIGHT_LEFT": Spec(x.dtype, x.shape),
    same_dtype=False,
)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT") -> Tensor:  # noqa: A002
    """Replaces the main diagonal of each matrix in the last two axes (``tf.linalg.set_diag``).

    >>> import tensorflux as tf
    >>> tf.linalg.set_diag([[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0]).numpy()
    array([[0., 2.],
           [3., 0.]], dtype=float32)

    Raises:
        InvalidArgumentError: an input of rank < 2 or a diagonal of the wrong shape.
        UnimplementedError: ``k != 0``.
    """
    _main_diagonal_only("set_diag", k)
    x = to_tensor(input)
    d = to_tensor(diagonal, x.dtype)
    return execute(_SET_DIAG, (x, d, to_tensor(0, "int32")), {"align": align})


def adjoint(matrix, name=None) -> Tensor:
    """Conjugate transpose of the last two axes (``tf.linalg.adjoint``).

    >>> import tensorflux as tf
    >>> tf.linalg.adjoint([[1 + 2j, 3j]]).numpy()
    array([[1.-2.j],
           [0.-3.j]])

    Raises:
        ValueError: an input of rank < 2.
    """
    from tensorflux.ops.linalg_ops import matrix_transpose

    return matrix_transpose(matrix, conjugate=True)


# -- Diag, DiagPart (tensor_diag, tensor_diag_part) -------------------------


def _tensor_diag_kernel(d):
    flat = d.reshape(-1)
    out = np.zeros((flat.size, flat.size), dtype=d.dtype)
    out[np.arange(flat.size), np.arange(flat.size)] = flat
    return out.reshape(d.shape + d.shape)


def _tensor_diag_infer(d: Spec) -> Spec:
    if d.shape.rank is None:
        return Spec(d.dtype, TensorShape(None))
    return Spec(d.dtype, d.shape.concatenate(d.shape))


def _tensor_diag_grad(call, dy):
    """The gradient of the diagonal entries: tensor_diag_part(dy)."""
    return (execute(_TENSOR_DIAG_PART, (dy,)),)


def _tensor_diag_part_kernel(x):
    if x.ndim % 2:
        raise ValueError(
            f"The rank of the tensor should be even and positive, got shape {list(x.shape)}"
        )
    half = x.shape[: x.ndim // 2]
    if x.shape[x.ndim // 2 :] != half:
        raise ValueError(
            f"Invalid shape {list(x.shape)}: the second half of the dimensions must equal the "
            f"first half."
        )
    size = int(np.prod(half))
    return x.reshape(size, size)[np.arange(size), np.arange(size)].reshape(half)


def _tensor_diag_part_infer(x: Spec) -> Spec:
    if x.shape.rank is None:
        return Spec(x.dtype, TensorShape(None))
    dims = x.shape.as_list()
    half = len(dims) // 2
    return Spec(
        x.dtype, TensorShape([a if a is not None else b for a, b in zip(dims[:half], dims[half:])])
    )


def _tensor_diag_part_grad(call, dy):
    """The gradient goes back onto the diagonal: tensor_diag(dy)."""
    return (execute(_TENSOR_DIAG, (dy,)),)


_TENSOR_DIAG = register(
    "Diag", kernel=_tensor_diag_kernel, grad=_tensor_diag_grad, infer=_tensor_diag_infer
)
_TENSOR_DIAG_PART = register(
    "DiagPart",
    kernel=_tensor_diag_part_kernel,
    grad=_tensor_diag_part_grad,
    infer=_tensor_diag_part_infer,
)


def tensor_diag(diagonal, name=None) -> Tensor:
    """A tensor of rank ``2k`` with ``diagonal`` (rank ``k``) on its diagonal
    (``tf.linalg.tensor_diag``): ``out[i1..ik, i1..ik] = diagonal[i1..ik]``.

    >>> import tensorflux as tf
    >>> tf.linalg.tensor_diag([1, 2]).numpy()
    array([[1, 0],
           [0, 2]], dtype=int32)

    Raises:
        InvalidArgumentError: a scalar ``diagonal``.
    """
    d = to_tensor(diagonal)
    if d._value.ndim < 1:
        raise InvalidArgumentError(None, "Diag", "Input must be at least rank 1, got 0 [Op:Diag]")
    return execute(_TENSOR_DIAG, (d,))


def tensor_diag_part(input, name=None) -> Tensor:  # noqa: A002
    """The diagonal of a rank-``2k`` tensor (``tf.linalg.tensor_diag_part``):
    ``out[i1..ik] = input[i1..ik, i1..ik]``.

    >>> import tensorflux as tf
    >>> tf.linalg.tensor_diag_part([[1, 2], [3, 4]]).numpy()
    array([1, 4], dtype=int32)

    Raises:
        InvalidArgumentError: an odd rank, or halves of the shape that differ.
    """
    return execute(_TENSOR_DIAG_PART, (to_tensor(input),))


# -- Cross ------------------------------------------------------------------


def _cross_kernel(a, b):
    if a.shape != b.shape:
        raise ValueError(f"Both inputs must be of same shape: {list(a.shape)} vs. {list(b.shape)}")
    if a.ndim < 1 or a.shape[-1] != 3:
        raise FailedPreconditionError(
            None, "Cross", "Cross-products are only defined for 3-element vectors. [Op:Cross]"
        )
    return np.cross(a, b).astype(a.dtype, copy=False)


def _cross_grad(call, dy):
    """d a = cross(b, dy), d b = cross(dy, a)."""
    a, b = call.inputs
    return execute(_CROSS, (b, dy)), execute(_CROSS, (dy, a))


_CROSS = register(
    "Cross",
    kernel=_cross_kernel,
    grad=_cross_grad,
    infer=lambda a, b: Spec(a.dtype, a.shape.merge_with(b.shape)),
    same_dtype=True,
)


def cross(a, b, name=None) -> Tensor:
    """Cross product of 3-element vectors in the last axis (``tf.linalg.cross``).

    >>> import tensorflux as tf
    >>> tf.linalg.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy()
    array([0., 0., 1.], dtype=float32)

    Raises:
        InvalidArgumentError: inputs of different shapes.
        FailedPreconditionError: a last axis other than 3.
    """
    a = to_tensor(a)
    return execute(_CROSS, (a, to_tensor(b, a.dtype)))
