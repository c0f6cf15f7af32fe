"""Speed of drawing 10 million float32 random numbers: tensorflux beside TensorFlow.

Times ``tf.random.uniform``, ``tf.random.normal`` and ``tf.random.truncated_normal``
of shape ``[10_000_000]`` (seeded, so both libraries compute the same numbers), best
of several runs, and a Dropout step on a ``(1024, 1024)`` batch. Run from the
repository root::

    PYTHONPATH=. python3 benchmarks/bench_random.py            # tensorflux alone
    PYTHONPATH=. python3 benchmarks/bench_random.py --tf /path/to/tf-venv/bin/python

With ``--tf`` the same cases run in TensorFlow's interpreter (a subprocess) and the
ratios tensorflux / TensorFlow are printed (below 1: tensorflux is faster). Timings
are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time

N = 10_000_000


def _best(fn, repeat: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(tf) -> dict:
    x = tf.ones([1024, 1024])
    cases = {
        "uniform": lambda: tf.random.uniform([N], seed=1).numpy(),
        "normal": lambda: tf.random.normal([N], seed=1).numpy(),
        "truncated_normal": lambda: tf.random.truncated_normal([N], seed=1).numpy(),
        "dropout 1024x1024": lambda: tf.nn.dropout(x, 0.5, seed=1).numpy(),
    }
    return {name: _best(fn) for name, fn in cases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf", metavar="PYTHON", help="an interpreter with TensorFlow")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--use-tf", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.use_tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
    else:
        import tensorflux as tf
    if args.json:
        print(json.dumps(measure(tf)))
        return
    ours = measure(tf)
    theirs = None
    if args.tf:
        out = subprocess.run(
            [args.tf, __file__, "--use-tf", "--json"], check=True, capture_output=True, text=True
        ).stdout
        theirs = json.loads(out.strip().splitlines()[-1])
    print(
        f"{'case':20s} {'tensorflux':>12s}"
        + (f" {'TensorFlow':>12s} {'ratio':>7s}" if theirs else "")
    )
    for name, t in ours.items():
        line = f"{name:20s} {t * 1e3:10.1f}ms"
        if theirs:
            line += f" {theirs[name] * 1e3:10.1f}ms {t / theirs[name]:7.2f}"
        print(line)


if __name__ == "__main__":
    main()
