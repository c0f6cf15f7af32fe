"""TensorFlow's gamma and Poisson samplers (Marsaglia and Tsang's transformation-rejection
for gamma; Knuth's product of uniforms and Hormann's transformed rejection for
Poisson), vectorised.

TF draws each output from its own stretch of the Philox stream: output ``i`` (taken
parameter-major: all samples of the first alpha, then of the second...) starts 256 calls
after output ``i - 1``, and pulls normals and uniforms from it one call at a time,
each call's results used last first. The output is laid out sample-major (the alphas
are the trailing dimensions). Rejection makes the number of calls per output vary, so
the outputs still undecided advance together, one proposal per round.

Both gamma ops (``RandomGamma`` and the stateless one) compute in float64 whatever the dtype, draw
alpha == 1 as an exponential (``-log1p(-u)`` of one uniform) and, as TF's CPU kernels
run with subnormals flushed to zero, give 0 where the sample would be subnormal.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import philox
from tensorflux.ops.unary_math_ops import _lgamma_kernel

_CALLS_PER_OUTPUT = 256
_U64 = np.uint64


def _advance(lo: np.ndarray, hi: np.ndarray, calls: np.ndarray) -> tuple:
    """The 128-bit counters ``(lo, hi) + calls``."""
    new_lo = lo + calls.astype(_U64)
    return new_lo, hi + (new_lo < lo).astype(_U64)


class _Blocks:
    """Per-output buffers of one float64 distribution's results (two per Philox call),
    refilled one call at a time and read from the last element down."""

    def __init__(self, n: int, fill):
        self.values = np.zeros((n, 2), np.float64)
        self.left = np.zeros(n, np.int64)
        self.fill = fill

    def take(self, idx: np.ndarray, state) -> tuple:
        empty = idx[self.left[idx] == 0]
        if empty.size:
            lo, hi = _advance(state.lo[empty], state.hi[empty], state.calls[empty])
            w = philox.philox_blocks(state.key, (lo, hi))
            self.values[empty] = self.fill(w)
            self.left[empty] = 2
            state.calls[empty] += 1
        self.left[idx] -= 1
        pos = self.left[idx]
        return self.values[idx, pos]


def _normal_fill(w):
    d0, d1 = philox.box_muller_double(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
    return np.stack([d0, d1], axis=1)


def _uniform_fill(w):
    u = np.stack(
        [philox.uint64_to_double(w[:, 0], w[:, 1]), philox.uint64_to_double(w[:, 2], w[:, 3])],
        axis=1,
    )
    return u


class _State:
    def __init__(self, key: int, counter: int, n: int):
        self.key = key
        self.lo, self.hi = philox.counters(counter, n, _CALLS_PER_OUTPUT)
        self.calls = np.zeros(n, np.int64)


def _flush(x: np.ndarray, tiny) -> np.ndarray:
    """Subnormals to zero, as TF's CPU kernels run (flush-to-zero, denormals-are-zero)."""
    x[np.abs(x) < tiny] = 0
    return x


# Edge alphas (0, inf, NaN, negative) give inf/NaN on the way, as in C.
@np.errstate(divide="ignore", invalid="ignore", over="ignore")
def gamma(key: int, counter: int, alpha: np.ndarray, samples: int, dtype) -> np.ndarray:
    """``samples`` draws for each alpha, TF's numbers, of NumPy float ``dtype``.

    Args:
        key, counter: the Philox key and 128-bit counter the op starts from.
        alpha: the flat alphas.
        samples: draws per alpha.
        dtype: the output dtype (the sampler computes in float64 for every dtype).

    Returns:
        A ``[samples, alpha.size]`` array of ``dtype``.
    """
    n = samples * alpha.size
    out = np.empty((alpha.size, samples), np.float64)
    if n == 0:
        return out.T.astype(dtype)
    state = _State(key, counter, n)
    normal = _Blocks(n, _normal_fill)
    uniform = _Blocks(n, _uniform_fill)
    a = np.repeat(alpha.astype(np.float64), samples)
    less_than_one = a < 1.0
    d = a + np.where(less_than_one, 2.0 / 3, -1.0 / 3)
    c = 1.0 / 3 / np.sqrt(d)
    flat = out.reshape(-1)
    active = np.arange(n)
    exponential = active[a == 1.0]
    if exponential.size:
        flat[exponential] = -np.log1p(-uniform.take(exponential, state))
    active = active[a != 1.0]
    tiny = np.finfo(np.float64).tiny
    while active.size:
        x = normal.take(active, state)
        v = 1.0 + c[active] * x
        positive = ~(v <= 0)  # NaN proposals (alpha < -2/3, NaN) go on, as in C
        retry = active[~positive]
        active, x, v = active[positive], x[positive], v[positive]
        v = v * v * v
        u = uniform.take(active, state)
        xx = x * x
        accept = (u < 1 - 0.0331 * xx * xx) | (
            np.log(u) < 0.5 * x * x + d[active] * (1 - v + np.log(v))
        )
        done = active[accept]
        res = d[done] * v[accept]
        small = less_than_one[done]
        if small.any():
            b = uniform.take(done[small], state)
            res[small] *= _flush(np.power(b, 1 / a[done[small]]), tiny)
        flat[done] = res
        active = np.concatenate([retry, active[~accept]])
    # Half goes through float32 (Eigen's conversion), whose subnormals flush; half's
    # own subnormals do not (the conversion to half is not a float operation).
    dtype = np.dtype(dtype)
    step = np.float32 if dtype == np.float16 else dtype
    result = _flush(_flush(out, tiny).T.astype(step), np.finfo(step).tiny)
    return result.astype(dtype)


_HIGHEST = {
    np.dtype(np.float16): float(np.finfo(np.float16).max),
    np.dtype(np.float32): float(np.finfo(np.float32).max),
    np.dtype(np.float64): float(np.finfo(np.float64).max),
    np.dtype(np.int32): float(2**31 - 1),
    np.dtype(np.int64): float(2**63 - 1),
}


@np.errstate(divide="ignore", invalid="ignore", over="ignore")
def poisson(key: int, counter: int, rate: np.ndarray, samples: int, dtype) -> np.ndarray:
    """``samples`` draws for each rate, TF's numbers, of NumPy ``dtype`` (float or int).

    Rates below 10 count uniforms until their product falls to ``exp(-rate)``; larger
    ones use Hormann's transformed rejection. Both compute in float64.

    Returns:
        A ``[samples, rate.size]`` array of ``dtype``.
    """
    dtype = np.dtype(dtype)
    highest = _HIGHEST[dtype]
    n = samples * rate.size
    out = np.zeros((rate.size, samples), np.float64)
    flat = out.reshape(-1)
    if n:
        state = _State(key, counter, n)
        uniform = _Blocks(n, _uniform_fill)
        lam = np.repeat(rate.astype(np.float64), samples)
        small = np.flatnonzero(lam < 10)
        _knuth(flat, small, lam[small], uniform, state, highest)
        large = np.flatnonzero(~(lam < 10))
        _hormann(flat, large, lam[large], uniform, state, highest)
    return out.T.astype(dtype)


def _knuth(flat, idx, lam, uniform, state, highest) -> None:
    limit = np.exp(-lam)
    prod = np.ones(idx.size)
    count = np.zeros(idx.size)
    live = np.arange(idx.size)
    while live.size:
        prod[live] *= uniform.take(idx[live], state)
        done = (prod[live] <= limit[live]) & (count[live] <= highest)
        flat[idx[live[done]]] = count[live[done]]
        live = live[~done]
        count[live] += 1


def _hormann(flat, idx, lam, uniform, state, highest) -> None:
    log_rate = np.log(lam)
    b = 0.931 + 2.53 * np.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    live = np.arange(idx.size)
    while live.size:
        u = uniform.take(idx[live], state) - 0.5
        v = uniform.take(idx[live], state)
        shifted = 0.5 - np.abs(u)
        k = np.floor((2 * a[live] / shifted + b[live]) * u + lam[live] + 0.43)
        fits = ~(k > highest)
        quick = fits & (shifted >= 0.07) & (v <= v_r[live])
        tested = fits & ~quick & ~((k < 0) | ((shifted < 0.013) & (v > shifted)))
        s = np.log(v * inv_alpha[live] / (a[live] / (shifted * shifted) + b[live]))
        t = -lam[live] + k * log_rate[live] - _lgamma_kernel(k + 1)
        accept = quick | (tested & (s <= t))
        flat[idx[live[accept]]] = k[accept]
        live = live[~accept]
