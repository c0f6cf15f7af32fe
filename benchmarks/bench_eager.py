"""Eager-mode speed of tensorflux, side by side with TensorFlow when it is importable.

Measures, best of several timeit-style repeats:
  * ``import`` time in a fresh interpreter (and that ``import tensorflux`` prints nothing),
  * one small eager multiply of two (2, 2) float32 tensors,
  * an eager ``relu(matmul(x, w) + b)`` with x (32, 10) and w (10, 10),
  * one eager GradientTape training step of the 2-2-1 XOR network
    (forward, squared-error loss, gradient, four ``assign`` updates).

Run from the repository root, with TensorFlow available for the comparison::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_eager.py

Without TensorFlow the TF column shows the reference numbers measured with
TF 2.21 on a 2-core machine (marked "ref"). ``--check`` exits 1 if a target
is missed. Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np

# TF 2.21 on a 2-core machine, for runs where TensorFlow is not installed.
REFERENCE_TF_US = {
    "multiply": 15.0,
    "matmul_add_relu": 80.0,
    "xor_step": 1350.0,
    "import": 3_000_000.0,
}
# Largest allowed tensorflux/TF time ratio; import has an absolute bound instead.
TARGET_RATIO = {"multiply": 1 / 3, "matmul_add_relu": 1 / 3, "xor_step": 1 / 5}
IMPORT_LIMIT_S = 0.3


def best_time_us(fn, repeat: int = 7, min_repeat_s: float = 0.2) -> float:
    """Best per-call time in µs over ``repeat`` runs of an auto-sized loop (as ``timeit``)."""
    fn()
    number, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_repeat_s:
            break
        number *= 2 if elapsed > min_repeat_s / 10 else 10
    best = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1e6


def import_time_s(module: str, repeat: int) -> tuple[float, str]:
    """Best wall time of ``import module`` in a fresh interpreter, and what it printed."""
    code = (
        "import time; t = time.perf_counter(); import {m}; "
        "print(time.perf_counter() - t, file=__import__('sys').__stderr__)"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"))
    best, printed = float("inf"), ""
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", code.format(m=module)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        lines = done.stderr.strip().splitlines()
        best = min(best, float(lines[-1]))
        printed = done.stdout + "\n".join(lines[:-1])
    return best, printed


def make_cases(tf) -> dict:
    """The timed callables for the library bound to ``tf`` (same code for both)."""
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[0.5, 0.5], [2.0, 2.0]])

    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(32, 10)).astype(np.float32))
    w = tf.constant(rng.normal(size=(10, 10)).astype(np.float32))
    bias = tf.constant(rng.normal(size=(10,)).astype(np.float32))

    inputs = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], tf.float32)
    targets = tf.constant([[0], [1], [1], [0]], tf.float32)
    params = [
        tf.Variable(rng.normal(0, 0.5, (2, 2)).astype(np.float32)),
        tf.Variable(np.zeros(2, np.float32)),
        tf.Variable(rng.normal(0, 0.5, (2, 1)).astype(np.float32)),
        tf.Variable(np.zeros(1, np.float32)),
    ]
    lr = 0.5

    def xor_step():
        w1, b1, w2, b2 = params
        with tf.GradientTape() as tape:
            hidden = tf.sigmoid(tf.matmul(inputs, w1) + b1)
            out = tf.sigmoid(tf.matmul(hidden, w2) + b2)
            loss = tf.reduce_sum(tf.square(out - targets))
        grads = tape.gradient(loss, params)
        for var, g in zip(params, grads, strict=True):
            var.assign(var - lr * g)

    return {
        "multiply": lambda: tf.multiply(a, b),
        "matmul_add_relu": lambda: tf.nn.relu(tf.matmul(x, w) + bias),
        "xor_step": xor_step,
    }


LABELS = {
    "import": "import (seconds)",
    "multiply": "multiply (2,2) f32",
    "matmul_add_relu": "relu(matmul+add) 32x10",
    "xor_step": "XOR GradientTape step",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timing repeats (best is kept)")
    parser.add_argument("--import-repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    try:
        import tensorflow
    except ImportError:
        tensorflow = None

    ours = {"import": import_time_s("tensorflux", args.import_repeat)}
    theirs = {}
    if tensorflow is not None:
        theirs["import"] = import_time_s("tensorflow", max(1, args.import_repeat // 2))

    rows = []
    import_s, printed = ours["import"]
    silent = printed.strip() == ""
    tf_import = theirs["import"][0] if "import" in theirs else REFERENCE_TF_US["import"] / 1e6
    rows.append(
        (
            "import",
            f"{import_s:.3f}",
            f"{tf_import:.3f}" + ("" if "import" in theirs else " ref"),
            f"{import_s / tf_import:.3f}",
            f"< {IMPORT_LIMIT_S} s, silent",
            import_s < IMPORT_LIMIT_S and silent,
        )
    )

    our_cases = make_cases(tensorflux)
    tf_cases = make_cases(tensorflow) if tensorflow is not None else {}
    for name, fn in our_cases.items():
        us = best_time_us(fn, args.repeat)
        if name in tf_cases:
            tf_us, tf_text = best_time_us(tf_cases[name], args.repeat), None
        else:
            tf_us, tf_text = REFERENCE_TF_US[name], f"{REFERENCE_TF_US[name]:.1f} ref"
        ratio = us / tf_us
        target = TARGET_RATIO[name]
        rows.append(
            (
                name,
                f"{us:.1f}",
                tf_text or f"{tf_us:.1f}",
                f"{ratio:.3f}",
                f"<= {target:.2f}",
                ratio <= target,
            )
        )

    header = ("benchmark", "tensorflux µs", "TensorFlow µs", "ratio", "target", "result")
    table = [header] + [(LABELS[r[0]], *r[1:5], "pass" if r[5] else "FAIL") for r in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    tf_version = tensorflow.__version__ if tensorflow is not None else "not installed"
    print(
        f"tensorflux {tensorflux.__version__}, TensorFlow {tf_version}, NumPy {np.__version__}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    if not silent:
        print(f"import tensorflux printed:\n{printed}")
    return 1 if args.check and not all(r[5] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
