"""XLA kernels of TF's legacy stateful random ops (``RandomUniform``,
``RandomUniformInt``): the numbers our executor draws, bit for bit, with the stream's
counter as an explicit input.

Philox4x32-10 runs on uint64 lanes (JAX with 64-bit types): each round's two
multiplies give their high and low words by shifts. The counters of a draw are the
stream's counter plus 0, 1, 2, ... with the carry into its high half, and the words
become values as in ``tensorflux.ops.philox``. Normal and truncated normal draws stay
on the executor: their float32 transforms must round as glibc's ``logf``/``sinf``/
``cosf`` do, which the NumPy kernels correct from a table of every mantissa.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import random_kernel

# Philox4x32's round multipliers and key increments (the generator's constants).
_M0, _M1 = 0xD2511F53, 0xCD9E8D57
_W0, _W1 = 0x9E3779B9, 0xBB67AE85
_MASK32 = 0xFFFFFFFF
_ROUNDS = 10


def _halves(lanes):
    """The low and high uint32 words of uint64 ``lanes``."""
    return lanes.astype(jnp.uint32), (lanes >> np.uint64(32)).astype(jnp.uint32)


def _blocks(key: int, counter, calls: int):
    """The ``[calls, 4]`` uint32 words of Philox calls ``counter + i``."""
    low, high = counter[0], counter[1]
    lo = low + jnp.arange(calls, dtype=jnp.uint64)
    hi = high + (lo < low).astype(jnp.uint64)
    c0, c1 = _halves(lo)
    c2, c3 = _halves(hi)
    k0, k1 = key & _MASK32, (key >> 32) & _MASK32
    for _ in range(_ROUNDS):
        lo0, hi0 = _halves(c0.astype(jnp.uint64) * np.uint64(_M0))
        lo1, hi1 = _halves(c2.astype(jnp.uint64) * np.uint64(_M1))
        c0, c1, c2, c3 = hi1 ^ c1 ^ np.uint32(k0), lo1, hi0 ^ c3 ^ np.uint32(k1), lo0
        k0, k1 = (k0 + _W0) & _MASK32, (k1 + _W1) & _MASK32
    return jnp.stack([c0, c1, c2, c3], axis=1)


def _words(key: int, counter, count: int):
    """The first ``count`` words of the stream at ``counter``."""
    return _blocks(key, counter, -(-count // 4)).reshape(-1)[:count]


def _from_mantissa(bits, float_type, one):
    """The float with exponent bits ``bits`` (a number in [1, 2)) minus 1."""
    return lax.bitcast_convert_type(bits, float_type) - one


def _uniform_values(key: int, counter, size: int, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        w = _words(key, counter, 2 * size).reshape(-1, 2)
        bits = (w[:, 0] & np.uint32(0xFFFFF)).astype(jnp.uint64) << np.uint64(32)
        bits = bits | w[:, 1].astype(jnp.uint64) | np.uint64(0x3FF0000000000000)
        return _from_mantissa(bits, jnp.float64, np.float64(1.0))
    w = _words(key, counter, size)
    if dtype == np.float32:
        bits = (w & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)
        return _from_mantissa(bits, jnp.float32, np.float32(1.0))
    if dtype == np.float16:
        bits = ((w & np.uint32(0x3FF)) | np.uint32(0x3C00)).astype(jnp.uint16)
        return _from_mantissa(bits, jnp.float16, np.float16(1.0))
    # bfloat16: 7 random mantissa bits, exact as a float32 in [0, 1).
    bits = ((w & np.uint32(0x7F)) << np.uint32(16)) | np.uint32(0x3F800000)
    return _from_mantissa(bits, jnp.float32, np.float32(1.0)).astype(dtype)


@random_kernel("RandomUniform")
def _uniform(args, attrs, key, counter, size):
    values = _uniform_values(key, counter, size, attrs["dtype"].as_numpy_dtype)
    return values.reshape(tuple(int(d) for d in args[0]))


@random_kernel("RandomUniformInt")
def _uniform_int(args, attrs, key, counter, size):
    shape, minval, maxval = args
    if not (isinstance(minval, np.ndarray) and isinstance(maxval, np.ndarray)):
        raise NotImplementedError("bounds known only when the graph runs")
    lo, hi = int(minval), int(maxval)
    if lo >= hi:
        raise NotImplementedError("an empty range (the executor raises TF's error)")
    if np.dtype(attrs["dtype"].as_numpy_dtype) == np.int64:
        w = _words(key, counter, 2 * size).reshape(-1, 2).astype(jnp.uint64)
        bits = w[:, 0] | (w[:, 1] << np.uint64(32))
        span = np.uint64((hi - lo) & ((1 << 64) - 1))
        values = lax.bitcast_convert_type(np.uint64(lo & ((1 << 64) - 1)) + bits % span, jnp.int64)
    else:
        bits = _words(key, counter, size)
        span = np.uint32((hi - lo) & _MASK32)
        values = lax.bitcast_convert_type(np.uint32(lo & _MASK32) + bits % span, jnp.int32)
    return values.reshape(tuple(int(d) for d in shape))
