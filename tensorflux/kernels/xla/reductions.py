"""XLA kernels of the reductions, scans and arg-extremes.

``axis`` is an attr here as in the NumPy kernels: a tuple of axes, or None for all.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import xla_kernel


def _count(shape, axis) -> int:
    axes = range(len(shape)) if axis is None else axis
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


@xla_kernel("Sum")
def _sum(x, axis=None, keepdims=False):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@xla_kernel("Mean")
def _mean(x, axis=None, keepdims=False):
    n = _count(x.shape, axis)
    if jnp.issubdtype(x.dtype, jnp.integer):
        # TF truncates an integer mean toward 0, summing without overflow.
        wide = jnp.int64 if jnp.issubdtype(x.dtype, jnp.signedinteger) else jnp.uint64
        total = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=wide)
        return (jnp.abs(total) // max(n, 1) * jnp.sign(total)).astype(x.dtype)
    # Half precision accumulates in float32, as TF does.
    acc = jnp.float32 if x.dtype.itemsize < 4 and not jnp.iscomplexobj(x) else x.dtype
    total = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=acc)
    return (total / n).astype(x.dtype)


@xla_kernel("MeanGrad")
def _mean_grad(dy, x, axis, keepdims):
    shape = x.shape
    axes = range(len(shape)) if axis is None else axis
    kept = jnp.reshape(dy, [1 if i in axes else d for i, d in enumerate(shape)])
    scale = np.asarray(1 / max(_count(shape, axis), 1), dtype=dy.dtype)
    return jnp.broadcast_to(kept * scale, shape)


@xla_kernel("Max")
def _max(x, axis=None, keepdims=False):
    lowest = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    return jnp.max(x, axis=axis, keepdims=keepdims, initial=lowest)


@xla_kernel("Min")
def _min(x, axis=None, keepdims=False):
    highest = jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).max
    return jnp.min(x, axis=axis, keepdims=keepdims, initial=highest)


@xla_kernel("Prod")
def _prod(x, axis=None, keepdims=False):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@xla_kernel("All")
def _all(x, axis=None, keepdims=False):
    return jnp.all(x, axis=axis, keepdims=keepdims)


@xla_kernel("Any")
def _any(x, axis=None, keepdims=False):
    return jnp.any(x, axis=axis, keepdims=keepdims)


@xla_kernel("ArgMax")
def _argmax(x, axis, output_type):
    if jnp.issubdtype(x.dtype, jnp.floating):
        # TF skips NaN when looking for the maximum.
        x = jnp.where(jnp.isnan(x), -jnp.inf, x)
    return jnp.argmax(x, axis=axis).astype(output_type.as_numpy_dtype)


@xla_kernel("ArgMin")
def _argmin(x, axis, output_type):
    if jnp.issubdtype(x.dtype, jnp.floating):
        x = jnp.where(jnp.isnan(x), jnp.inf, x)
    return jnp.argmin(x, axis=axis).astype(output_type.as_numpy_dtype)


def _scan(accumulate, identity, x, axis, exclusive, reverse):
    axis = int(axis)
    if reverse:
        x = jnp.flip(x, axis)
    out = accumulate(x, axis=axis, dtype=x.dtype)
    if exclusive:
        # Shifted by one along the axis, the identity first.
        first = jnp.full_like(jnp.take(out, jnp.arange(1), axis=axis), identity)
        rest = jnp.take(out, jnp.arange(x.shape[axis] - 1), axis=axis)
        out = jnp.concatenate([first, rest], axis=axis)
    return jnp.flip(out, axis) if reverse else out


@xla_kernel("Cumsum")
def _cumsum(x, axis, exclusive=False, reverse=False):
    return _scan(jnp.cumsum, 0, x, axis, exclusive, reverse)


@xla_kernel("Cumprod")
def _cumprod(x, axis, exclusive=False, reverse=False):
    return _scan(jnp.cumprod, 1, x, axis, exclusive, reverse)


@xla_kernel("L2Loss")
def _l2_loss(x):
    return jnp.sum(jnp.square(x), dtype=x.dtype) / jnp.asarray(2, x.dtype)


@xla_kernel("CumulativeLogsumexp", static=(1,))
def _cumulative_logsumexp(x, axis, exclusive=False, reverse=False):
    axis = int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"scan axis {axis} of a rank-{x.ndim} input")
    axis %= x.ndim
    # In float64 and rounded once, as the NumPy kernel.
    out = lax.cumlogsumexp(x.astype(jnp.float64), axis=axis, reverse=reverse)
    n = x.shape[axis]
    if exclusive and n:
        # Shifted by one along the axis, log(0) where the scan starts.
        kept = (
            lax.slice_in_dim(out, 1, n, axis=axis)
            if reverse
            else lax.slice_in_dim(out, 0, n - 1, axis=axis)
        )
        pad = [(0, 0)] * x.ndim
        pad[axis] = (0, 1) if reverse else (1, 0)
        out = jnp.pad(kept, pad, constant_values=-jnp.inf)
    return out.astype(x.dtype)
