"""Speed of the depthwise convolution ops, side by side with TensorFlow.

``tf.nn.depthwise_conv2d`` and its two backprops on a 64x28x28x32 float32 batch with
3x3 filters (SAME, stride 1), for channel multipliers 1 and 2. The table reports the
median of ``--repeats`` eager calls per op, and the ratio tensorflux / TensorFlow.

Run from the repository root, with TensorFlow available for the comparison::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_depthwise_conv.py

Without TensorFlow only tensorflux's column is shown. Timings are never asserted in
the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

N, SIDE, CHANNELS, K = 64, 28, 32, 3


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def calls(tf, multiplier: int) -> dict:
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(N, SIDE, SIDE, CHANNELS)).astype("float32"))
    f = tf.constant(rng.normal(size=(K, K, CHANNELS, multiplier)).astype("float32"))
    dy = tf.constant(rng.normal(size=(N, SIDE, SIDE, CHANNELS * multiplier)).astype("float32"))
    strides = [1, 1, 1, 1]
    return {
        "forward": lambda: tf.nn.depthwise_conv2d(x, f, strides, "SAME"),
        "backprop input": lambda: tf.nn.depthwise_conv2d_backprop_input(
            [N, SIDE, SIDE, CHANNELS], f, dy, strides, "SAME"
        ),
        "backprop filter": lambda: tf.nn.depthwise_conv2d_backprop_filter(
            x, [K, K, CHANNELS, multiplier], dy, strides, "SAME"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    import tensorflux

    try:
        import tensorflow
    except ImportError:
        tensorflow = None
    print(f"{'op':<28}{'tensorflux ms':>15}{'TF ms':>10}{'ratio':>8}")
    for multiplier in (1, 2):
        ours = calls(tensorflux, multiplier)
        theirs = calls(tensorflow, multiplier) if tensorflow is not None else {}
        for name, fn in ours.items():
            mine = median_ms(fn, args.repeats)
            label = f"{name} (x{multiplier})"
            if name in theirs:
                ref = median_ms(theirs[name], args.repeats)
                print(f"{label:<28}{mine:>15.1f}{ref:>10.1f}{mine / ref:>8.2f}")
            else:
                print(f"{label:<28}{mine:>15.1f}{'-':>10}{'-':>8}")


if __name__ == "__main__":
    main()
