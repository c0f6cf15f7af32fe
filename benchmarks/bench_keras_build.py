"""Time to build a 300-layer functional Keras model, tensorflux side by side with Keras 2.

The model is a chain of 100 blocks ``h = Add()([h, Activation("relu")(Dense(32)(h))])``
on ``Input(shape=(32,))``: 300 layer calls on Keras tensors, then ``Model(inputs,
outputs)``. Every call builds its layer (creates its weights) and finds its outputs'
shapes; tensorflux finds them by abstract evaluation (inference rules, no kernels),
tf_keras by tracing the layer into a graph. Each timing is the best of ``--repeat``
builds (a build is long enough to time on its own). Run from the repository root::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_keras_build.py

Keras 2 is ``tf_keras``; without it the column shows a reference number measured with
tf_keras 2.21 (marked "ref"). Target: at most tf_keras' time (ratio <= 1). ``--check``
exits 1 if it is missed. Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

BLOCKS, WIDTH = 100, 32
# tf_keras 2.21 on TF 2.21 CPU, for runs where it is not installed: seconds per build.
REFERENCE_S = 5.3
TARGET_RATIO = 1.0


def build(keras):
    """One 300-layer functional model; returns it (so that nothing is optimised away)."""
    inputs = keras.Input(shape=(WIDTH,))
    h = inputs
    for _ in range(BLOCKS):
        h = keras.layers.Add()([h, keras.layers.Activation("relu")(keras.layers.Dense(WIDTH)(h))])
    return keras.Model(inputs, h)


def best_build_s(keras, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        model = build(keras)
        best = min(best, time.perf_counter() - start)
        assert len(model.layers) == 3 * BLOCKS + 1
    return best


def _import_keras2():
    try:
        import tf_keras
    except ImportError:
        return None
    return tf_keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed builds (best is kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    keras2 = _import_keras2()
    ours = best_build_s(tensorflux.keras, args.repeat)
    theirs = best_build_s(keras2, args.repeat) if keras2 is not None else REFERENCE_S
    ratio = ours / theirs
    ok = ratio <= TARGET_RATIO
    version = f"Keras 2 {keras2.__version__}" if keras2 is not None else "tf_keras not installed"
    print(
        f"tensorflux {tensorflux.__version__}, {version}, NumPy {np.__version__}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    label = f"functional build, {3 * BLOCKS} layers"
    rows = [
        ("case", "tfx s", "Keras 2 s", "tfx/Keras 2", "target", "result"),
        (
            label,
            f"{ours:.3f}",
            f"{theirs:.3f}" + ("" if keras2 is not None else " ref"),
            f"{ratio:.3f}",
            f"<= {TARGET_RATIO:.2f}",
            "pass" if ok else "FAIL",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
