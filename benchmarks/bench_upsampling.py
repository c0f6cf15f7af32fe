"""Speed of ``UpSampling2D`` (forward and input gradient) in tensorflux and Keras 2.

One step: the layer on a ``(16, 32, 32, 16)`` float32 batch (factor 2) under a
GradientTape, then the gradient for the input with a ones upstream gradient, for the
"nearest", "bilinear" and "bicubic" interpolations. Run from the repository root, with
the interpreter of the library to time (tensorflux; with ``--tf``, tf_keras)::

    PYTHONPATH=. python3 benchmarks/bench_upsampling.py
    /path/to/tf-venv/bin/python benchmarks/bench_upsampling.py --tf

On a machine with few cores shared by other work, a multi-threaded BLAS can slow the
GEMMs here by 10x; ``OPENBLAS_NUM_THREADS=1`` shows the kernels' own speed. Timings
are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_eager import best_time_us  # noqa: E402 - the shared timing helper

SHAPE = (16, 32, 32, 16)
METHODS = ("nearest", "bilinear", "bicubic")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf", action="store_true", help="time tf_keras instead")
    args = parser.parse_args()
    if args.tf:
        import tensorflow as tf
        import tf_keras as keras
    else:
        import tensorflux as tf

        keras = tf.keras
    x = tf.constant(np.random.default_rng(0).normal(size=SHAPE).astype(np.float32))
    for method in METHODS:
        layer = keras.layers.UpSampling2D(interpolation=method)

        def step(layer=layer):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = layer(x)
            return tape.gradient(y, x, output_gradients=tf.ones_like(y))

        us = best_time_us(step, repeat=5, min_repeat_s=0.1)
        print(f"{'tf_keras' if args.tf else 'tensorflux'} {method:9s} {us / 1000:8.2f} ms")


if __name__ == "__main__":
    main()
