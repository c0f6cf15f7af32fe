"""XLA kernels of TF's uniform, normal, truncated normal and categorical random draws,
our executor's numbers: the legacy stateful ops (``RandomUniform``, ``RandomUniformInt``,
``RandomStandardNormal``, ``TruncatedNormal``, ``Multinomial``: the lowering passes
each stream's counter in and out), and ``tf.random.Generator``'s and the stateless ones
(key and counter are inputs, or the seed for ``StatelessMultinomial``).

Philox4x32-10 runs on uint64 lanes (JAX with 64-bit types): each round's two
multiplies give their high and low words by shifts. The counters of a draw are the
stream's counter plus 0, 1, 2, ... with the carry into its high half, and the words
become values as in ``tensorflux.ops.philox``. A float32 normal's Box-Muller transform
rounds as glibc's ``logf``/``sinf``/``cosf`` do: computed in float64, rounded, and
corrected where the table of every mantissa says glibc rounds the other way (the 8 MB
table is an argument of the compiled function). A float64 normal takes XLA's double
``log``, ``sin`` and ``cos``, whose values are NumPy's (the kernel table checks them).
Truncated normals, whose groups take as many Philox calls as their rejections need,
loop until every group is full.

Categorical samples are class indices found in a running sum of ``exp`` values. XLA's
double ``exp`` is within an ulp of NumPy's, not always equal, and XLA flushes subnormal
doubles to zero: a sample can differ from the executor's only where its uniform double
falls between the two sums, a chance of about 2**-52 a sample.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import random_kernel, xla_kernel
from tensorflux.ops import philox, random_ops, stateless_random_ops

_MASK32 = 0xFFFFFFFF
_MASK64 = philox._MASK64
_ROUNDS = 10


def _halves(lanes):
    """The low and high uint32 words of uint64 ``lanes``."""
    return lanes.astype(jnp.uint32), (lanes >> np.uint64(32)).astype(jnp.uint32)


def _offset(counter, offsets):
    """The 128-bit counters ``counter + offsets`` (uint64 ``offsets``) as low and high
    uint64 arrays, the carry taken into the high half."""
    low, high = counter[0], counter[1]
    lo = low + offsets
    return lo, high + (lo < low).astype(jnp.uint64)


def _blocks(key, counter, calls: int):
    """The ``[calls, 4]`` uint32 words of Philox calls ``counter + i`` under ``key`` (an
    int, or a traced uint64 scalar)."""
    return _philox(key, *_offset(counter, jnp.arange(calls, dtype=jnp.uint64)))


def _philox(key, lo, hi):
    """The ``[n, 4]`` uint32 words of the Philox calls at the 128-bit counters whose
    halves are the uint64 arrays ``lo`` and ``hi``."""
    c0, c1 = _halves(lo)
    c2, c3 = _halves(hi)
    k0, k1 = _halves(jnp.asarray(key, jnp.uint64))
    for _ in range(_ROUNDS):
        lo0, hi0 = _halves(c0.astype(jnp.uint64) * philox._M0)
        lo1, hi1 = _halves(c2.astype(jnp.uint64) * philox._M1)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
        k0, k1 = k0 + np.uint32(philox._W0), k1 + np.uint32(philox._W1)
    return jnp.stack([c0, c1, c2, c3], axis=1)


def advanced(counter, outputs: int):
    """The 128-bit ``[low, high]`` uint64 counter moved on past a stateful draw of
    ``outputs`` numbers (TF reserves 256 Philox calls an output)."""
    calls = outputs * random_ops._CALLS_PER_OUTPUT
    low = counter[0] + np.uint64(calls & _MASK64)
    carry = (low < counter[0]).astype(jnp.uint64)
    return jnp.stack([low, counter[1] + np.uint64((calls >> 64) & _MASK64) + carry])


def _words(key, counter, count: int):
    """The first ``count`` words of the stream at ``counter``."""
    return _blocks(key, counter, -(-count // 4)).reshape(-1)[:count]


def _from_mantissa(bits, float_type, one):
    """The float with exponent bits ``bits`` (a number in [1, 2)) minus 1."""
    return lax.bitcast_convert_type(bits, float_type) - one


def _double(high, low):
    """The float64 in [0, 1) with mantissa bits from ``high``'s low 20 bits and all of
    ``low`` (``philox.uint64_to_double``)."""
    bits = (high & np.uint32(0xFFFFF)).astype(jnp.uint64) << np.uint64(32)
    bits = bits | low.astype(jnp.uint64) | np.uint64(0x3FF0000000000000)
    return _from_mantissa(bits, jnp.float64, np.float64(1.0))


def _uniform_values(key: int, counter, size: int, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        w = _words(key, counter, 2 * size).reshape(-1, 2)
        return _double(w[:, 0], w[:, 1])
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


def _bounds(minval, maxval) -> tuple[int, int]:
    """Static integer bounds ``[lo, hi)`` of a uniform integer draw."""
    if not (isinstance(minval, np.ndarray) and isinstance(maxval, np.ndarray)):
        raise NotImplementedError("bounds known only when the graph runs")
    lo, hi = int(minval), int(maxval)
    if lo >= hi:
        raise NotImplementedError("an empty range (the executor raises TF's error)")
    return lo, hi


def _uniform_int_values(key, counter, size: int, lo: int, hi: int, dtype):
    """TF's ``lo + bits % (hi - lo)``, in unsigned arithmetic (``philox.uniform_int``)."""
    if np.dtype(dtype) == np.int64:
        span = np.uint64((hi - lo) & _MASK64)
        return lax.bitcast_convert_type(
            np.uint64(lo & _MASK64) + _full_values(key, counter, size, np.uint64) % span,
            jnp.int64,
        )
    span = np.uint32((hi - lo) & _MASK32)
    bits = _words(key, counter, size)
    return lax.bitcast_convert_type(np.uint32(lo & _MASK32) + bits % span, jnp.int32)


def _full_values(key, counter, size: int, dtype):
    """Integers of ``dtype`` from all their bits: one word each, or two (low first)."""
    dtype = np.dtype(dtype)
    if dtype.itemsize == 8:
        w = _words(key, counter, 2 * size).reshape(-1, 2).astype(jnp.uint64)
        bits = w[:, 0] | (w[:, 1] << np.uint64(32))
    else:
        bits = _words(key, counter, size)
    return bits if bits.dtype == dtype else lax.bitcast_convert_type(bits, dtype)


@random_kernel("RandomUniformInt")
def _uniform_int(args, attrs, key, counter, size, table):
    shape, minval, maxval = args
    lo, hi = _bounds(minval, maxval)
    values = _uniform_int_values(key, counter, size, lo, hi, attrs["dtype"].as_numpy_dtype)
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


def _box_muller_double(blocks):
    """TF's ``BoxMullerDouble``: two float64 normals from each call's four words
    (``philox.box_muller_double``)."""
    u1 = jnp.maximum(_double(blocks[:, 0], blocks[:, 1]), 1.0e-7)
    angle = (2 * np.pi) * _double(blocks[:, 2], blocks[:, 3])
    radius = jnp.sqrt(-2.0 * jnp.log(u1))
    return jnp.stack([jnp.sin(angle) * radius, jnp.cos(angle) * radius], axis=1)


def _candidates(blocks, double: bool, flags):
    """The normals of Philox calls ``blocks``: ``[calls, 2]`` float64 or ``[calls, 4]``
    float32 (the two words of each pair give two), in stream order."""
    if double:
        return _box_muller_double(blocks)
    pairs = blocks.reshape(-1, 2)
    f0, f1 = _box_muller_float(pairs[:, 0], pairs[:, 1], flags)
    return jnp.stack([f0, f1], axis=1).reshape(-1, 4)


def _normal_values(key, counter, size: int, dtype, flags):
    """``size`` standard normals of ``dtype`` (``philox.normal``)."""
    dtype = np.dtype(dtype)
    double = dtype == np.float64
    calls = -(-size // (2 if double else 4))
    values = _candidates(_blocks(key, counter, calls), double, flags).reshape(-1)[:size]
    return values if values.dtype == dtype else values.astype(dtype)


def _truncated_values(key, counter, size: int, dtype, flags):
    """``size`` standard normals inside (-2, 2), as ``philox.truncated_normal`` draws
    them: output group ``g`` (four float32 outputs, two float64 ones) takes the first
    candidates inside from the calls at ``counter + g * 256``, ``+ 1``, ... Each pass of
    the loop makes one more call for every group, until every group is full."""
    dtype = np.dtype(dtype)
    double = dtype == np.float64
    group = 2 if double else 4
    groups = -(-size // group)
    step = np.uint64(group * philox._RESERVED_WORDS_PER_OUTPUT // 4)
    firsts = jnp.arange(groups, dtype=jnp.uint64) * step

    def pending(state):
        return jnp.any(state[1] < group)

    def call(state):
        out, filled, calls = state
        cand = _candidates(_philox(key, *_offset(counter, firsts + calls)), double, flags)
        keep = (jnp.abs(cand) < 2) & (filled < group)[:, None]
        rank = jnp.cumsum(keep, axis=1, dtype=jnp.int32) + filled[:, None] - 1
        keep &= rank < group
        columns = []
        for j in range(group):
            chosen = keep & (rank == j)
            first = jnp.argmax(chosen, axis=1)[:, None]
            value = jnp.take_along_axis(cand, first, axis=1)[:, 0]
            columns.append(jnp.where(chosen.any(axis=1), value, out[:, j]))
        filled = filled + keep.sum(axis=1, dtype=jnp.int32)
        return jnp.stack(columns, axis=1), filled, calls + np.uint64(1)

    start = (
        jnp.zeros((groups, group), jnp.float64 if double else jnp.float32),
        jnp.zeros(groups, jnp.int32),
        jnp.zeros((), jnp.uint64),
    )
    values = lax.while_loop(pending, call, start)[0].reshape(-1)[:size]
    return values if values.dtype == dtype else values.astype(dtype)


@random_kernel("RandomStandardNormal", table=philox._libm_flags)
def _normal(args, attrs, key, counter, size, table):
    values = _normal_values(key, counter, size, attrs["dtype"].as_numpy_dtype, table)
    return values.reshape(tuple(int(d) for d in args[0]))


@random_kernel("TruncatedNormal", table=philox._libm_flags)
def _truncated(args, attrs, key, counter, size, table):
    values = _truncated_values(key, counter, size, attrs["dtype"].as_numpy_dtype, table)
    return values.reshape(tuple(int(d) for d in args[0]))


def _categorical(logits, num_samples: int, key, counter, output_dtype):
    """``num_samples`` class indices a row of ``logits`` from the stream at ``counter``,
    as ``random_ops.categorical_samples`` draws them: per row the running sum of
    ``exp(logit - max)`` over the finite logits, and per sample the first class whose
    sum exceeds a uniform double (two words, rows one after another) times the total."""
    if logits.ndim != 2 or num_samples < 0:
        raise ValueError(
            "logits not a matrix, or a negative num_samples (the executor raises TF's error)"
        )
    batch, classes = logits.shape
    out_type = output_dtype.as_numpy_dtype
    if classes == 0 or batch * num_samples == 0:
        # No class to find (the executor's search gives 0), or nothing drawn.
        return jnp.zeros((batch, num_samples), out_type)
    w = _words(key, counter, 2 * batch * num_samples).reshape(-1, 2)
    u = _double(w[:, 0], w[:, 1]).reshape(batch, num_samples)
    z = jnp.asarray(logits).astype(jnp.float64)
    finite = jnp.isfinite(z)
    top = jnp.max(jnp.where(finite, z, -np.inf), axis=1, keepdims=True)
    weights = jnp.where(finite, jnp.exp(z - jnp.where(jnp.isfinite(top), top, 0.0)), 0.0)

    def add(total, column):
        total = total + column
        return total, total

    # Class after class, as np.cumsum adds: XLA's cumsum adds in another order, which
    # rounds differently.
    cdf = lax.scan(add, jnp.zeros(batch, jnp.float64), weights.T)[1].T
    search = jax.vmap(functools.partial(jnp.searchsorted, side="right"))
    return search(cdf, u * cdf[:, -1:]).astype(out_type)


def _multinomial_outputs(args, attrs) -> int:
    """TF reserves 256 calls for each of two words a sample, a row's samples rounded up
    to a multiple of four (``random_ops._multinomial_kernel``)."""
    return int(args[0].shape[0]) * (-(-attrs["num_samples"] // 4) * 4) * 2


@random_kernel("Multinomial", outputs=_multinomial_outputs)
def _multinomial(args, attrs, key, counter, size, table):
    return _categorical(args[0], attrs["num_samples"], key, counter, attrs["output_dtype"])


# -- ops whose key and counter are inputs: tf.random.Generator's and the stateless ones


def _dims(shape) -> tuple:
    dims = tuple(int(d) for d in np.asarray(shape).reshape(-1))
    if any(d < 0 for d in dims):
        raise ValueError("a negative dimension (the executor raises TF's error)")
    return dims


@xla_kernel("StatelessRandomGetKeyCounter")
def _get_key_counter(seed):
    if tuple(seed.shape) != (2,):
        raise ValueError("a seed not of shape [2] (the executor raises TF's error)")
    # The seed words as TF reads them: int32 ones sign-extended to 64 bits.
    words = lax.bitcast_convert_type(jnp.asarray(seed).astype(jnp.int64), jnp.uint64)
    w = _blocks(stateless_random_ops._SCRAMBLE_KEY, words, 1)[0].astype(jnp.uint64)
    key = (w[0] | (w[1] << np.uint64(32))).reshape(1)
    counter = jnp.stack([jnp.zeros((), jnp.uint64), w[2] | (w[3] << np.uint64(32))])
    return key, counter


@xla_kernel("StatelessRandomUniformV2", static=(0,))
def _stateless_uniform(shape, key, counter, alg, dtype):
    dims = _dims(shape)
    values = _uniform_values(key[0], counter, int(np.prod(dims)), dtype.as_numpy_dtype)
    return values.reshape(dims)


@xla_kernel("StatelessRandomNormalV2", static=(0,), table=philox._libm_flags)
def _stateless_normal(shape, key, counter, alg, dtype, table):
    dims = _dims(shape)
    size = int(np.prod(dims))
    return _normal_values(key[0], counter, size, dtype.as_numpy_dtype, table).reshape(dims)


@xla_kernel("StatelessTruncatedNormalV2", static=(0,), table=philox._libm_flags)
def _stateless_truncated(shape, key, counter, alg, dtype, table):
    dims = _dims(shape)
    size = int(np.prod(dims))
    return _truncated_values(key[0], counter, size, dtype.as_numpy_dtype, table).reshape(dims)


@xla_kernel("StatelessRandomUniformIntV2", static=(0, 4, 5))
def _stateless_uniform_int(shape, key, counter, alg, minval, maxval, dtype):
    dims = _dims(shape)
    lo, hi = _bounds(minval, maxval)
    values = _uniform_int_values(key[0], counter, int(np.prod(dims)), lo, hi, dtype.as_numpy_dtype)
    return values.reshape(dims)


@xla_kernel("StatelessRandomUniformFullIntV2", static=(0,))
def _stateless_full_int(shape, key, counter, alg, dtype):
    dims = _dims(shape)
    return _full_values(key[0], counter, int(np.prod(dims)), dtype.as_numpy_dtype).reshape(dims)


@xla_kernel("StatelessMultinomial", static=(1,))
def _stateless_categorical(logits, num_samples, seed, output_dtype):
    key, counter = _get_key_counter(seed)
    return _categorical(logits, int(num_samples), key[0], counter, output_dtype)


def _generator_draw(state, shape, draw):
    """A ``tf.random.Generator`` op: ``draw(key, counter, size)`` from the int64 state
    ``[counter_low, counter_high, key]``, and the state moved on by 256 calls an
    output."""
    dims = _dims(shape)
    size = int(np.prod(dims))
    words = lax.bitcast_convert_type(jnp.asarray(state), jnp.uint64)
    counter = words[:2]
    values = draw(words[2], counter, size).reshape(dims)
    moved = jnp.concatenate([advanced(counter, size), words[2:]])
    return values, lax.bitcast_convert_type(moved, jnp.int64)


@xla_kernel("StatefulUniform", static=(1,))
def _stateful_uniform(state, shape, dtype):
    return _generator_draw(
        state, shape, lambda k, c, n: _uniform_values(k, c, n, dtype.as_numpy_dtype)
    )


@xla_kernel("StatefulUniformFullInt", static=(1,))
def _stateful_full_int(state, shape, dtype):
    return _generator_draw(
        state, shape, lambda k, c, n: _full_values(k, c, n, dtype.as_numpy_dtype)
    )


@xla_kernel("StatefulUniformInt", static=(1, 2, 3))
def _stateful_uniform_int(state, shape, minval, maxval, dtype):
    lo, hi = _bounds(minval, maxval)
    return _generator_draw(
        state,
        shape,
        lambda k, c, n: _uniform_int_values(k, c, n, lo, hi, dtype.as_numpy_dtype),
    )


@xla_kernel("StatefulStandardNormalV2", static=(1,), table=philox._libm_flags)
def _stateful_normal(state, shape, dtype, table):
    return _generator_draw(
        state, shape, lambda k, c, n: _normal_values(k, c, n, dtype.as_numpy_dtype, table)
    )


@xla_kernel("StatefulTruncatedNormal", static=(1,), table=philox._libm_flags)
def _stateful_truncated(state, shape, dtype, table):
    return _generator_draw(
        state, shape, lambda k, c, n: _truncated_values(k, c, n, dtype.as_numpy_dtype, table)
    )
