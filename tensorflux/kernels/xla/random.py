"""XLA kernels of TF's legacy stateful random ops (``RandomUniform``,
``RandomUniformInt``, ``RandomStandardNormal``): the numbers our executor draws, bit
for bit, with the stream's counter as an explicit input.

Philox4x32-10 runs on uint64 lanes (JAX with 64-bit types): each round's two
multiplies give their high and low words by shifts. The counters of a draw are the
stream's counter plus 0, 1, 2, ... with the carry into its high half, and the words
become values as in ``tensorflux.ops.philox``. A float32 normal's Box-Muller transform
rounds as glibc's ``logf``/``sinf``/``cosf`` do: computed in float64, rounded, and
corrected where the table of every mantissa says glibc rounds the other way (the 8 MB
table is an argument of the compiled function). Truncated normals, whose groups take
as many Philox calls as their rejections need, stay on the executor.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import random_kernel
from tensorflux.ops import philox

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
def _uniform(args, attrs, key, counter, size, table):
    values = _uniform_values(key, counter, size, attrs["dtype"].as_numpy_dtype)
    return values.reshape(tuple(int(d) for d in args[0]))


@random_kernel("RandomUniformInt")
def _uniform_int(args, attrs, key, counter, size, table):
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


def _libm_round(exact, flagged):
    """float64 ``exact`` rounded to float32 as glibc does: to nearest, but to the other
    neighbour where ``flagged``."""
    out = exact.astype(jnp.float32)
    toward = jnp.where(exact > out, np.float32(np.inf), np.float32(-np.inf))
    return jnp.where(flagged, jnp.nextafter(out, toward), out)


def _box_muller_float(x0, x1, flags):
    """TF's ``BoxMullerFloat`` of word pairs (see ``philox.box_muller_float``)."""
    m0 = x0 & np.uint32(0x7FFFFF)
    m1 = x1 & np.uint32(0x7FFFFF)
    one = np.float32(1.0)
    u1 = jnp.maximum(_from_mantissa(m0 | np.uint32(0x3F800000), jnp.float32, one), np.float32(1e-7))
    f0 = jnp.take(flags, m0)
    log_u1 = _libm_round(jnp.log(u1.astype(jnp.float64)), (f0 & np.uint8(1)) != 0)
    radius = jnp.sqrt(log_u1 * np.float32(-2.0))
    # 2 * M_PI is a double in C: the angle is rounded to float32 once, from double.
    angle = _from_mantissa(m1 | np.uint32(0x3F800000), jnp.float32, one).astype(jnp.float64)
    angle = (angle * (2.0 * np.pi)).astype(jnp.float32).astype(jnp.float64)
    f1 = jnp.take(flags, m1)
    sin = _libm_round(jnp.sin(angle), (f1 & np.uint8(2)) != 0)
    cos = _libm_round(jnp.cos(angle), (f1 & np.uint8(4)) != 0)
    return sin * radius, cos * radius


def _libm_flags() -> np.ndarray:
    return philox._libm_flags()


@random_kernel("RandomStandardNormal", table=_libm_flags)
def _normal(args, attrs, key, counter, size, table):
    dtype = np.dtype(attrs["dtype"].as_numpy_dtype)
    if dtype == np.float64:
        raise NotImplementedError("float64 normals (glibc's double log, sin and cos)")
    pairs = _blocks(key, counter, -(-size // 4)).reshape(-1, 2)
    f0, f1 = _box_muller_float(pairs[:, 0], pairs[:, 1], table)
    values = jnp.stack([f0, f1], axis=1).reshape(-1)[:size]
    if dtype != np.float32:
        values = values.astype(dtype)
    return values.reshape(tuple(int(d) for d in args[0]))
