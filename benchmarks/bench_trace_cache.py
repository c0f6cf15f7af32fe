"""Cost of ``tf.function`` calls as its trace cache grows: 5,000 distinct input shapes.

One small function is called on vectors of lengths 1, 2, ..., 5,000, so each call
traces a new graph. The mean time of a tracing call among the first 100 and the last
100 are printed with their ratio, and so are cached calls on the first shape when 1
and when 5,000 graphs exist. A cache that scans every earlier trace makes the late
calls slower than the early ones; a hashed cache keeps the ratios near 1.

Run from the repository root::

    PYTHONPATH=. python3 benchmarks/bench_trace_cache.py [--shapes 5000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _mean_us(calls) -> float:
    start = time.perf_counter()
    for call in calls:
        call()
    return (time.perf_counter() - start) / len(calls) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", type=int, default=5000)
    parser.add_argument("--window", type=int, default=100)
    args = parser.parse_args()
    import tensorflux as tf

    @tf.function
    def step(x):
        return tf.reduce_sum(x * 2.0 + 1.0)

    inputs = [tf.constant(np.ones(n, np.float32)) for n in range(1, args.shapes + 1)]
    first = inputs[0]
    step(first)
    cached_one = _mean_us([lambda: step(first)] * 2000)
    w = args.window
    early = _mean_us([lambda x=x: step(x) for x in inputs[1 : w + 1]])
    for x in inputs[w + 1 : -w]:
        step(x)
    late = _mean_us([lambda x=x: step(x) for x in inputs[-w:]])
    cached_many = _mean_us([lambda: step(first)] * 2000)
    assert step.experimental_get_tracing_count() == args.shapes
    print(f"tracing call, first {w} shapes: {early:9.1f} us")
    print(f"tracing call, last {w} shapes:  {late:9.1f} us   ({late / early:.2f}x the first)")
    print(f"cached call, 1 graph:          {cached_one:9.1f} us")
    print(
        f"cached call, {args.shapes} graphs:    {cached_many:9.1f} us   "
        f"({cached_many / cached_one:.2f}x)"
    )


if __name__ == "__main__":
    main()
