"""Band and diagonal structure of matrices: ``band_part``, ``set_diag``, ``adjoint``,
``tensor_diag`` / ``tensor_diag_part`` and the 3-vector ``cross`` product.

MatrixBandPart, MatrixSetDiagV3, Diag, DiagPart and Cross are primitives as in TF: each is
one NumPy indexing pass, where a composition would build masks of the matrix's size.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import REAL, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import FailedPreconditionError, InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor
from tensorflux.ops.creation_ops import zeros_like

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


# -- MatrixDiagPartV3, MatrixDiagV3, MatrixSetDiagV3 --------------------------
#
# A band of diagonals d = k_hi, ..., k_lo is stored as rows (k_hi first) of length
# max_diag_len; entry i of diagonal d is the matrix entry (i + max(0, -d), i + max(0, d)).
# Diagonals shorter than max_diag_len are padded on the left or right: ``align`` names the
# side the superdiagonals (d >= 0) and subdiagonals (d < 0) are aligned to.

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _diag_len(m: int, n: int, d: int) -> int:
    return min(m + min(0, d), n - max(0, d))


def _k_pair(k, op: str):
    k = np.asarray(k).reshape(-1)
    if k.size not in (1, 2):
        raise ValueError(
            f"diag_index must be a scalar or a vector of 1 or 2 values, got {k.tolist()}"
        )
    lo, hi = int(k[0]), int(k[-1])
    if lo > hi:
        raise ValueError(f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}")
    return lo, hi, k.size == 2 and lo != hi


def _layout(m: int, n: int, lo: int, hi: int, align: str):
    """Per diagonal d = hi..lo: (row index, offset in its padded row, rows, cols)."""
    if align not in _ALIGNS:
        raise ValueError(f"align must be one of {list(_ALIGNS)}, got {align!r}")
    longest = max(_diag_len(m, n, d) for d in range(lo, hi + 1))
    out = []
    for j, d in enumerate(range(hi, lo - 1, -1)):
        size = max(_diag_len(m, n, d), 0)
        side = align.split("_")[0 if d >= 0 else 1]
        offset = longest - size if side == "RIGHT" else 0
        i = np.arange(size)
        out.append((j, offset, i + max(0, -d), i + max(0, d)))
    return longest, out


def _diag_part_kernel(x, k, padding_value, align="RIGHT_LEFT"):
    if x.ndim < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {list(x.shape)}")
    m, n = x.shape[-2:]
    lo, hi, band = _k_pair(k, "MatrixDiagPartV3")
    for d in (lo, hi):
        if not (-m < d < n) and not (m == 0 or n == 0):
            raise ValueError(
                f"lower_diag_index is out of bound: {d}. It must be between {-m} and {n}"
            )
    longest, layout = _layout(m, n, lo, hi, align)
    out = np.full(x.shape[:-2] + (hi - lo + 1, longest), padding_value, dtype=x.dtype)
    for j, offset, rows, cols in layout:
        out[..., j, offset : offset + len(rows)] = x[..., rows, cols]
    return out if band else out[..., 0, :]


def _diag_part_infer(x: Spec, k: Spec, padding_value: Spec, align="RIGHT_LEFT") -> Spec:
    if x.shape.rank is None or k.value is None:
        return Spec(x.dtype, TensorShape(None))
    dims = x.shape.as_list()
    m, n = dims[-2], dims[-1]
    lo, hi, band = _k_pair(k.value, "MatrixDiagPartV3")
    longest = None
    if m is not None and n is not None:
        longest = max(_diag_len(m, n, d) for d in range(lo, hi + 1))
    tail = [hi - lo + 1, longest] if band else [longest]
    return Spec(x.dtype, TensorShape(dims[:-2] + tail))


def _diag_part_grad(call, dy):
    """The gradient goes back onto the diagonals read: matrix_diag(dy) of the input's size."""
    x, k, _ = call.inputs
    m, n = x.shape.as_list()[-2:]
    if m is None or n is None:
        # The output size is read from the example: this trace serves only these shapes.
        m, n = x._value.shape[-2:]
    zero = to_tensor(np.zeros((), x._value.dtype))
    sizes = (to_tensor(np.int32(m)), to_tensor(np.int32(n)))
    return execute(_DIAG, (dy, k) + sizes + (zero,), call.attrs), None, None


_DIAG_PART = register(
    "MatrixDiagPartV3",
    kernel=_diag_part_kernel,
    grad=_diag_part_grad,
    infer=_diag_part_infer,
    shape_inputs=(1,),
)


def _diag_sizes(d_shape, lo, hi, band, num_rows, num_cols):
    longest = d_shape[-1]
    min_rows = longest - min(hi, 0)
    min_cols = longest + max(lo, 0)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    return int(num_rows), int(num_cols)


def _diag_kernel(d, k, num_rows, num_cols, padding_value, align="RIGHT_LEFT"):
    lo, hi, band = _k_pair(k, "MatrixDiagV3")
    if d.ndim < (2 if band else 1):
        raise ValueError(
            f"diagonal must be at least {2 if band else 1}-dim, received shape: {list(d.shape)}"
        )
    if band and d.shape[-2] != hi - lo + 1:
        raise ValueError(
            f"The number of diagonals provided in the input does not match the lower_diag_index "
            f"and upper_diag_index range. Expected {hi - lo + 1}, got {d.shape[-2]}"
        )
    m, n = _diag_sizes(d.shape, lo, hi, band, int(num_rows), int(num_cols))
    longest, layout = _layout(m, n, lo, hi, align)
    if longest != d.shape[-1]:
        raise ValueError(
            f"The number of rows or columns is not consistent with the specified d_lower, "
            f"d_upper, and diagonal: num_rows={m}, num_cols={n}, diagonal length "
            f"{d.shape[-1]}"
        )
    batch = d.shape[:-2] if band else d.shape[:-1]
    out = np.full(batch + (m, n), padding_value, dtype=d.dtype)
    rows_of = d if band else d[..., None, :]
    for j, offset, rows, cols in layout:
        out[..., rows, cols] = rows_of[..., j, offset : offset + len(rows)]
    return out


def _diag_infer(d: Spec, k: Spec, num_rows: Spec, num_cols: Spec, padding, align="RIGHT_LEFT"):
    if d.shape.rank is None or None in (k.value, num_rows.value, num_cols.value):
        return Spec(d.dtype, TensorShape(None))
    lo, hi, band = _k_pair(k.value, "MatrixDiagV3")
    dims = d.shape.as_list()
    batch = dims[:-2] if band else dims[:-1]
    if dims[-1] is None:
        return Spec(d.dtype, TensorShape(batch + [None, None]))
    m, n = _diag_sizes(dims, lo, hi, band, int(num_rows.value), int(num_cols.value))
    return Spec(d.dtype, TensorShape(batch + [m, n]))


def _diag_grad(call, dy):
    """The gradient of the diagonal entries: matrix_diag_part(dy) with the same k."""
    _, k, _, _, _ = call.inputs
    zero = to_tensor(np.zeros((), dy._value.dtype))
    return (execute(_DIAG_PART, (dy, k, zero), call.attrs), None, None, None, None)


_DIAG = register(
    "MatrixDiagV3", kernel=_diag_kernel, grad=_diag_grad, infer=_diag_infer, shape_inputs=(1, 2, 3)
)


def _k_tensor(k) -> Tensor:
    return k if isinstance(k, Tensor) else to_tensor(np.asarray(k, dtype=np.int32))


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """Diagonals of each matrix in the last two axes (``tf.linalg.diag_part``).

    >>> import tensorflux as tf
    >>> tf.linalg.diag_part([[1, 2, 3], [4, 5, 6]], k=(0, 1)).numpy()
    array([[2, 6],
           [1, 5]], dtype=int32)

    Args:
        k: the diagonal (0 main, > 0 above, < 0 below), or a pair ``(low, high)`` for the
            band of diagonals ``high`` down to ``low``, stacked in the second-last axis.
        padding_value: fills the places of a band's shorter diagonals.
        align: "RIGHT_LEFT" (default), "LEFT_RIGHT", "LEFT_LEFT" or "RIGHT_RIGHT": the side
            superdiagonals and subdiagonals are aligned to.

    Raises:
        InvalidArgumentError: an input of rank < 2, or ``k`` out of range.
    """
    x = to_tensor(input)
    if x._value.ndim < 2:
        raise InvalidArgumentError(
            None,
            "MatrixDiagPartV3",
            f"input must be at least 2-dim, received shape: {list(x._value.shape)}",
        )
    pad = to_tensor(np.asarray(padding_value, dtype=x._value.dtype))
    return execute(_DIAG_PART, (x, _k_tensor(k), pad), {"align": align})


def diag(
    diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"
) -> Tensor:
    """Matrices with ``diagonal`` on their diagonal(s) (``tf.linalg.diag``).

    >>> import tensorflux as tf
    >>> tf.linalg.diag([1, 2]).numpy()
    array([[1, 0],
           [0, 2]], dtype=int32)

    Args:
        k: the diagonal to fill, or a pair ``(low, high)``: ``diagonal`` then holds the
            band's diagonals (``high`` first) in its second-last axis, laid out as
            ``diag_part`` returns them.
        num_rows, num_cols: the output's size; -1 infers the smallest that fits.
        padding_value: the value off the diagonals.

    Raises:
        InvalidArgumentError: sizes that do not fit the diagonals.
    """
    d = to_tensor(diagonal)
    if d._value.ndim < 1:
        raise InvalidArgumentError(
            None, "MatrixDiagV3", "diagonal must be at least 1-dim, received shape: []"
        )
    inputs = (
        d,
        _k_tensor(k),
        to_tensor(np.int32(num_rows)),
        to_tensor(np.int32(num_cols)),
        to_tensor(np.asarray(padding_value, dtype=d._value.dtype)),
    )
    return execute(_DIAG, inputs, {"align": align})


def _set_diag_kernel(x, diagonal, k, align="RIGHT_LEFT"):
    if x.ndim < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {list(x.shape)}")
    m, n = x.shape[-2:]
    lo, hi, band = _k_pair(k, "MatrixSetDiagV3")
    longest, layout = _layout(m, n, lo, hi, align)
    want = x.shape[:-2] + ((hi - lo + 1, longest) if band else (longest,))
    if diagonal.shape != want:
        raise ValueError(
            f"diagonal must have shape {list(want)} for input of shape {list(x.shape)} and "
            f"k=({lo}, {hi}), got {list(diagonal.shape)}."
        )
    out = x.copy()
    rows_of = diagonal if band else diagonal[..., None, :]
    for j, offset, rows, cols in layout:
        out[..., rows, cols] = rows_of[..., j, offset : offset + len(rows)]
    return out


def _set_diag_grad(call, dy):
    """Entries off the diagonals go to the input, those on them to ``diagonal``:
    set_diag(dy, 0) and diag_part(dy)."""
    _, d, k = call.inputs
    zero = to_tensor(np.zeros((), dy._value.dtype))
    return (
        execute(_SET_DIAG, (dy, zeros_like(d), k), call.attrs),
        execute(_DIAG_PART, (dy, k, zero), call.attrs),
        None,
    )


_SET_DIAG = register(
    "MatrixSetDiagV3",
    kernel=_set_diag_kernel,
    grad=_set_diag_grad,
    infer=lambda x, d, k, align="RIGHT_LEFT": Spec(x.dtype, x.shape),
)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT") -> Tensor:  # noqa: A002
    """Replaces diagonals of each matrix in the last two axes (``tf.linalg.set_diag``);
    ``k`` and ``align`` as in ``diag_part``.

    >>> import tensorflux as tf
    >>> tf.linalg.set_diag([[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0]).numpy()
    array([[0., 2.],
           [3., 0.]], dtype=float32)

    Raises:
        InvalidArgumentError: an input of rank < 2 or a diagonal of the wrong shape.
    """
    x = to_tensor(input)
    d = to_tensor(diagonal, x.dtype)
    return execute(_SET_DIAG, (x, d, _k_tensor(k)), {"align": align})


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
    allowed=REAL - {dtypes.uint64},  # TF's list: no complex numbers, no uint64
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
