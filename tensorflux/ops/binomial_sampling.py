"""TensorFlow's binomial sampler, vectorised: inversion for small means, Hormann's
BTRS transformed rejection for large ones.

Output ``i`` (taken parameter-major: every sample of the first (count, prob) pair,
then of the second...) reads its own stretch of the Philox stream: 256 calls after the
start of output ``i - 1`` when its mean is at least 10 (BTRS), 42 calls otherwise
(inversion). Each call gives two float64 uniforms, used last first. A probability
above one half samples the failures with ``1 - prob`` and subtracts them from the
count. Everything is computed in float64 in the order TF's kernel computes it, so the
accept/reject decisions, and the samples, are TF's.
"""

from __future__ import annotations

import numpy as np

from tensorflux.ops import philox
from tensorflux.ops.rejection_sampling import _advance, _uniform_fill

_BTRS_CALLS_PER_OUTPUT = 256
_INVERSION_CALLS_PER_OUTPUT = 42
_STIRLING_TAIL = np.array(
    [
        0.0810614667953272,
        0.0413406959554092,
        0.0276779256849983,
        0.02079067210376509,
        0.0166446911898211,
        0.0138761288230707,
        0.0118967099458917,
        0.0104112652619720,
        0.00925546218271273,
        0.00833056343336287,
    ]
)


def _stirling_tail(k: np.ndarray) -> np.ndarray:
    """The error of Stirling's approximation of ``log k!``: a table up to 9, a series
    beyond."""
    kp1sq = (k + 1) * (k + 1)
    series = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    small = k <= 9
    table = _STIRLING_TAIL[np.clip(np.trunc(k), 0, 9).astype(np.int64)]
    return np.where(small, table, series)


def _uniform_pairs(key: int, lo: np.ndarray, hi: np.ndarray, calls) -> np.ndarray:
    """``[n, 2]`` float64 uniforms of call ``calls`` of each output's stream."""
    return _uniform_fill(philox.philox_blocks(key, _advance(lo, hi, np.asarray(calls))))


def _inversion(key, lo, hi, count, prob) -> np.ndarray:
    """Counts geometric waiting times until their sum passes ``count``."""
    out = np.zeros(count.size)
    geom_sum = np.zeros(count.size)
    denom = np.log1p(-prob)
    live = np.arange(count.size)
    pairs = np.empty((count.size, 2))
    draw = 0
    while live.size:
        if draw % 2 == 0:
            pairs[live] = _uniform_pairs(key, lo[live], hi[live], np.full(live.size, draw // 2))
        u = pairs[live, 1 - draw % 2]
        geom_sum[live] += np.ceil(np.log(u) / denom[live])
        done = geom_sum[live] > count[live]
        live = live[~done]
        out[live] += 1
        draw += 1
    return out


def _btrs(key, lo, hi, count, prob) -> np.ndarray:
    """Hormann's BTRS: a proposal from a pair of uniforms, accepted inside a tight box
    or by the Stirling bound (with TF's logarithm of the ratio)."""
    stddev = np.sqrt(count * prob * (1 - prob))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = np.floor((count + 1) * prob)
    out = np.zeros(count.size)
    live = np.arange(count.size)
    call = 0
    while live.size:
        pair = _uniform_pairs(key, lo[live], hi[live], np.full(live.size, call))
        u, v = pair[:, 1] - 0.5, pair[:, 0]
        us = 0.5 - np.abs(u)
        k = np.floor((2 * a[live] / us + b[live]) * u + c[live])
        quick = (us >= 0.07) & (v <= v_r[live])
        n, mm, rr = count[live], m[live], r[live]
        tested = ~quick & ~((k < 0) | (k > n))
        v = np.log(v * alpha[live] / (a[live] / (us * us) + b[live]))
        bound = (
            (mm + 0.5) * np.log((mm + 1) / (rr * (n - mm + 1)))
            + (n + 1) * np.log((n - mm + 1) / (n - k + 1))
            + (k + 0.5) * np.log(rr * (n - k + 1) / (k + 1))
            + _stirling_tail(mm)
            + _stirling_tail(n - mm)
            - _stirling_tail(k)
            - _stirling_tail(n - k)
        )
        accept = quick | (tested & (v <= bound))
        out[live[accept]] = k[accept]
        live = live[~accept]
        call += 1
    return out


@np.errstate(divide="ignore", invalid="ignore", over="ignore")
def binomial(key: int, counter: int, counts: np.ndarray, probs: np.ndarray, samples: int):
    """``samples`` draws for each (count, prob) pair, TF's numbers, as float64.

    Args:
        key, counter: the Philox key and 128-bit counter the op starts from.
        counts, probs: the flat, broadcast parameters in the op's dtype ``T`` (TF
            compares ``count * prob`` with 10 in that dtype).
        samples: draws per pair.

    Returns:
        A ``[samples, counts.size]`` float64 array (NaN where ``prob`` is NaN).
    """
    n = samples * counts.size
    count_t = np.repeat(counts, samples)
    prob_t = np.repeat(probs, samples)
    count = count_t.astype(np.float64)
    out = np.zeros(n)
    zero = (count <= 0) | (prob_t <= 0)
    full = ~zero & (prob_t >= 1)
    low = ~zero & ~full & (prob_t <= 0.5)
    high = ~zero & ~full & (prob_t > 0.5)
    out[full] = count[full]
    out[~zero & ~full & ~low & ~high] = np.nan
    sampled = low | high
    # Above one half, TF samples failures with q = 1 - p, computed in T.
    p_t = np.where(high, prob_t.dtype.type(1) - prob_t, prob_t)
    large = sampled & (count_t * p_t >= prob_t.dtype.type(10))
    small = sampled & ~large
    p = p_t.astype(np.float64)
    for chosen, calls, method in (
        (large, _BTRS_CALLS_PER_OUTPUT, _btrs),
        (small, _INVERSION_CALLS_PER_OUTPUT, _inversion),
    ):
        idx = np.flatnonzero(chosen)
        if idx.size:
            lo, hi = philox.counters(counter, n, calls)
            out[idx] = method(key, lo[idx], hi[idx], count[idx], p[idx])
    out[high] = count[high] - out[high]
    return out.reshape(counts.size, samples).T
