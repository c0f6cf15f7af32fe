"""XLA kernels of the linear-algebra, FFT, special-function, scatter and segment ops.

Decompositions follow the NumPy kernels' conventions (LAPACK's signs and orders as
TF returns them); rows where XLA's decomposition picks another sign show up in the
kernel table's test, not silently.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy import linalg as jsl
from jax.scipy import special

from tensorflux.kernels.xla import xla_kernel

_SPECIAL = {
    "Igamma": special.gammainc,
    "Igammac": special.gammaincc,
    "Zeta": special.zeta,
}
for _name, _fn in _SPECIAL.items():
    xla_kernel(_name)(_fn)


@xla_kernel("Betainc")
def _betainc(a, b, x):
    return special.betainc(a, b, x)


@xla_kernel("Polygamma")
def _polygamma(n, x):
    # TF takes a floating order: NaN where it is not a whole number.
    n, x = jnp.broadcast_arrays(n, x)
    whole = n == jnp.floor(n)
    value = special.polygamma(jnp.where(whole, n, 0).astype(jnp.int32), x)
    return jnp.where(whole, value, jnp.nan).astype(x.dtype)


@xla_kernel("PolygammaOfOrder")
def _polygamma_of_order(x, n):
    return special.polygamma(n, x)


@xla_kernel("Complex")
def _complex(real, imag, Tout):  # noqa: N803 - TF's attr name
    real, imag = jnp.broadcast_arrays(real, imag)
    return jax.lax.complex(real, imag).astype(Tout.as_numpy_dtype)


@xla_kernel("Angle")
def _angle(x, Tout):  # noqa: N803 - TF's attr name
    return jnp.angle(x).astype(Tout.as_numpy_dtype)


# -- linear algebra -----------------------------------------------------------


def _adjoint(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


@xla_kernel("MatrixInverse")
def _inverse(x, adjoint=False):
    return jnp.linalg.inv(_adjoint(x) if adjoint else x)


@xla_kernel("Cholesky")
def _cholesky(x):
    return jnp.linalg.cholesky(x)


@xla_kernel("MatrixSolve")
def _solve(matrix, rhs, adjoint=False):
    return jnp.linalg.solve(_adjoint(matrix) if adjoint else matrix, rhs)


@xla_kernel("MatrixTriangularSolve")
def _triangular_solve(matrix, rhs, lower=True, adjoint=False):
    # Batch axes broadcast, as in the NumPy kernel (Cholesky's gradient solves a batch of
    # factors against one identity); solve_triangular would read them as vector solves.
    batch = jnp.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    matrix = jnp.broadcast_to(matrix, batch + matrix.shape[-2:])
    rhs = jnp.broadcast_to(rhs, batch + rhs.shape[-2:])
    return jsl.solve_triangular(matrix, rhs, lower=lower, trans="C" if adjoint else 0)


@xla_kernel("MatrixBandPart", static=(1, 2))
def _band_part(x, num_lower, num_upper):
    rows, cols = x.shape[-2:]
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    lower, upper = int(num_lower), int(num_upper)
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    return jnp.where(keep, x, jnp.zeros((), x.dtype))


@xla_kernel("Diag")
def _diag(x):
    flat = x.reshape(-1)
    return jnp.diag(flat).reshape(x.shape + x.shape)


@xla_kernel("DiagPart")
def _diag_part(x):
    half = x.ndim // 2
    n = int(np.prod(x.shape[:half]))
    return jnp.diagonal(x.reshape(n, n)).reshape(x.shape[:half])


@xla_kernel("Cross")
def _cross(a, b):
    return jnp.cross(a, b)


# -- FFT ----------------------------------------------------------------------


def _fft(fn, rank):
    def kernel(x):
        return fn(x, axes=tuple(range(-rank, 0))).astype(x.dtype)

    return kernel


for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    xla_kernel(f"FFT{_suffix}")(_fft(jnp.fft.fftn, _rank))
    xla_kernel(f"IFFT{_suffix}")(_fft(jnp.fft.ifftn, _rank))


def _rfft(rank):
    def kernel(x, fft_length, Tcomplex):  # noqa: N803 - TF's attr name
        lengths = [int(n) for n in fft_length]
        return jnp.fft.rfftn(x, s=lengths, axes=tuple(range(-rank, 0))).astype(
            Tcomplex.as_numpy_dtype
        )

    return kernel


def _irfft(rank):
    def kernel(x, fft_length, Treal):  # noqa: N803 - TF's attr name
        lengths = [int(n) for n in fft_length]
        # TF crops or zero-pads the inner axes' spectra to the lengths first.
        return jnp.fft.irfftn(x, s=lengths, axes=tuple(range(-rank, 0))).astype(
            Treal.as_numpy_dtype
        )

    return kernel


for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    xla_kernel(f"RFFT{_suffix}", static=(1,))(_rfft(_rank))
    xla_kernel(f"IRFFT{_suffix}", static=(1,))(_irfft(_rank))


# -- gathers and scatters -----------------------------------------------------


@xla_kernel("TakeAlongLastAxis")
def _take_along_last(params, indices):
    return jnp.take_along_axis(params, indices, -1)


@xla_kernel("PutAlongLastAxis")
def _put_along_last(updates, indices, like):
    out = jnp.zeros(like.shape, updates.dtype)
    leading = np.indices(indices.shape, sparse=True)[:-1]
    return out.at[(*leading, indices)].add(updates)


def _nd_key(indices):
    return tuple(indices[..., i] for i in range(indices.shape[-1]))


@xla_kernel("ScatterNd", static=(2,))
def _scatter_nd(indices, updates, shape):
    out = jnp.zeros(tuple(shape.tolist()), updates.dtype)
    return out.at[_nd_key(indices)].add(updates)


@xla_kernel("TensorScatterUpdate")
def _tensor_scatter_update(x, indices, updates):
    return x.at[_nd_key(indices)].set(updates)


@xla_kernel("TensorScatterAdd")
def _tensor_scatter_add(x, indices, updates):
    return x.at[_nd_key(indices)].add(updates)


@xla_kernel("TensorScatterSub")
def _tensor_scatter_sub(x, indices, updates):
    return x.at[_nd_key(indices)].add(-updates)


@xla_kernel("TensorScatterMax")
def _tensor_scatter_max(x, indices, updates):
    return x.at[_nd_key(indices)].max(updates)


@xla_kernel("TensorScatterMin")
def _tensor_scatter_min(x, indices, updates):
    return x.at[_nd_key(indices)].min(updates)


def _unsorted_segment(reduce, empty):
    def kernel(data, segment_ids, num_segments):
        n = int(num_segments)
        flat_ids = segment_ids.reshape(-1)
        rows = data.reshape((flat_ids.shape[0],) + data.shape[segment_ids.ndim :])
        # Negative ids are dropped, as TF does: sent past the last segment.
        ids = jnp.where(flat_ids < 0, n, flat_ids)
        start = jnp.full((n + 1,) + rows.shape[1:], empty(data.dtype), data.dtype)
        return reduce(start.at[ids], rows)[:n]

    return kernel


def _lowest(dtype):
    # An empty segment holds the dtype's lowest finite value, as in TF.
    return np.finfo(dtype).min if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).max


xla_kernel("UnsortedSegmentSum")(_unsorted_segment(lambda at, v: at.add(v), lambda d: 0))
xla_kernel("UnsortedSegmentProd")(_unsorted_segment(lambda at, v: at.multiply(v), lambda d: 1))
xla_kernel("UnsortedSegmentMax")(_unsorted_segment(lambda at, v: at.max(v), _lowest))
xla_kernel("UnsortedSegmentMin")(_unsorted_segment(lambda at, v: at.min(v), _highest))


@xla_kernel("InvertPermutation")
def _invert_permutation(x):
    return jnp.zeros_like(x).at[x].set(jnp.arange(x.shape[0], dtype=x.dtype))


@xla_kernel("Roll", static=(1, 2))
def _roll(x, shift, axis):
    return jnp.roll(x, np.asarray(shift).tolist(), np.asarray(axis).tolist())


def _bound(side):
    def kernel(sorted_inputs, values, out_type):
        search = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))
        return search(sorted_inputs, values).astype(out_type.as_numpy_dtype)

    return kernel


xla_kernel("LowerBound")(_bound("left"))
xla_kernel("UpperBound")(_bound("right"))


@xla_kernel("BroadcastArgs", static=(0, 1))
def _broadcast_args(s0, s1):
    return np.array(np.broadcast_shapes(tuple(s0.tolist()), tuple(s1.tolist())), s0.dtype)


# -- tridiagonal systems and decompositions -------------------------------------


def _tridiagonal_dense(diagonals):
    """[..., 3, M] compact diagonals (superdiagonal, main, subdiagonal) -> [..., M, M]."""
    sup, main, sub = diagonals[..., 0, :], diagonals[..., 1, :], diagonals[..., 2, :]
    n = diagonals.shape[-1]
    # The unused ends of the off-diagonals (sup[-1], sub[0]) land outside the matrix.
    above = jnp.eye(n, k=1, dtype=bool)
    below = jnp.eye(n, k=-1, dtype=bool)
    zero = jnp.zeros((), diagonals.dtype)
    out = jnp.where(jnp.eye(n, dtype=bool), main[..., None, :], zero)
    out = jnp.where(above, jnp.roll(sup, 1, axis=-1)[..., None, :], out)
    return jnp.where(below, jnp.roll(sub, -1, axis=-1)[..., None, :], out)


@xla_kernel("TridiagonalMatMul")
def _tridiagonal_matmul(superdiag, maindiag, subdiag, rhs):
    diagonals = jnp.concatenate([superdiag, maindiag, subdiag], axis=-2)
    return jnp.matmul(_tridiagonal_dense(diagonals), rhs)


@xla_kernel("TridiagonalSolve")
def _tridiagonal_solve(diagonals, rhs, partial_pivoting=True, perturb_singular=False):
    if diagonals.ndim < 2 or diagonals.shape[-2] != 3:
        raise ValueError(f"diagonals of shape {diagonals.shape}, not [..., 3, M]")
    if rhs.ndim != diagonals.ndim or rhs.shape[-2] != diagonals.shape[-1]:
        raise ValueError(f"rhs of shape {rhs.shape} for diagonals {diagonals.shape}")
    # As the NumPy kernel: LU with partial pivoting of the dense matrix, and NaN for the
    # systems whose matrix is singular (an exactly zero pivot, LAPACK's test).
    matrix = _tridiagonal_dense(diagonals)
    lu, _, _ = jax.lax.linalg.lu(matrix)
    singular = jnp.any(jnp.diagonal(lu, axis1=-2, axis2=-1) == 0, axis=-1)
    solution = jnp.linalg.solve(matrix, rhs)
    return jnp.where(singular[..., None, None], jnp.nan, solution).astype(rhs.dtype)


def _check_matrices(x):
    if x.ndim < 2:
        raise ValueError(f"input of rank {x.ndim}, not a batch of matrices")


@xla_kernel("Qr")
def _qr(x, full_matrices=False):
    _check_matrices(x)
    work = x.astype(jnp.float32) if x.dtype == jnp.float16 else x
    q, r = jnp.linalg.qr(work, mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype), r.astype(x.dtype)


# NumPy's LAPACK and jaxlib's (SciPy's OpenBLAS build) agree on the signs of singular
# vectors and eigenvectors in double precision; in single precision they negate some
# vectors of about one random matrix in five (not of the table's rows), as TF's XLA and
# CPU kernels differ in sign too.


@xla_kernel("Svd")
def _svd(x, compute_uv=True, full_matrices=False):
    _check_matrices(x)
    if not compute_uv:
        empty = jnp.zeros((0,), x.dtype)
        return jnp.linalg.svd(x, compute_uv=False).astype(x.dtype), empty, empty
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    return s.astype(x.dtype), u, _adjoint(vh)


@xla_kernel("SelfAdjointEigV2")
def _self_adjoint_eig(x, compute_v=True):
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"input of shape {x.shape}, not a batch of square matrices")
    # The lower triangle alone, as LAPACK reads it for the NumPy kernel.
    v, e = jax.lax.linalg.eigh(x, lower=True, symmetrize_input=False)
    if not compute_v:
        return e.astype(x.dtype), jnp.zeros((0,), x.dtype)
    return e.astype(x.dtype), v
