"""Speed of a tf.data input pipeline, side by side with TensorFlow.

One epoch over 60,000 28x28 uint8 images with int64 labels through
``from_tensor_slices -> map(cast to float / 255) -> shuffle(1000) -> batch(128)
-> prefetch(AUTOTUNE)``, consumed by a Python loop that touches every batch (what a
training loop sees). Each library builds the pipeline once and iterates it
``--epochs`` times; the table reports the median epoch, and the best.

Run from the repository root, with TensorFlow available for the comparison::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_data.py

Without TensorFlow the TF column shows the reference time measured with TF 2.21 on
the 2-core development machine (2.1 to 2.6 s per epoch). Target: no slower than
TensorFlow (``--check`` exits 1 if tensorflux is slower). Timings are never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

REFERENCE_TF_S = 2.3
N, SIDE, BATCH, BUFFER = 60_000, 28, 128, 1000


def make_data():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (N, SIDE, SIDE, 1), dtype=np.uint8)
    labels = rng.integers(0, 10, N).astype(np.int64)
    return images, labels


def pipeline(tf, images, labels):
    def normalize_img(image, label):
        return tf.cast(image, tf.float32) / 255.0, label

    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.shuffle(BUFFER).batch(BATCH).prefetch(tf.data.AUTOTUNE)


def time_epochs(ds, epochs: int) -> list:
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        batches = 0
        shapes = set()
        for images, _ in ds:
            batches += 1
            shapes.add(tuple(images.shape[1:]))
        times.append(time.perf_counter() - start)
        assert batches == -(-N // BATCH) and shapes == {(SIDE, SIDE, 1)}
    return times


def _load_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import tensorflow  # noqa: PLC0415 - optional, only for the comparison
    except ImportError:
        return None
    return tensorflow


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if slower than TF")
    args = parser.parse_args(argv)

    import tensorflux

    images, labels = make_data()
    results = {"tensorflux": time_epochs(pipeline(tensorflux, images, labels), args.epochs)}
    tf = _load_tensorflow()
    if tf is not None:
        results["tensorflow"] = time_epochs(pipeline(tf, images, labels), args.epochs)

    print(
        f"one epoch: {N} images {SIDE}x{SIDE}x1 uint8, map(cast/255) -> shuffle({BUFFER}) "
        f"-> batch({BATCH}) -> prefetch; {args.epochs} epochs, {os.cpu_count()} CPUs"
    )
    print(f"{'library':<12} {'median s':>9} {'best s':>8}")
    for name, times in results.items():
        print(f"{name:<12} {statistics.median(times):>9.3f} {min(times):>8.3f}")
    ours = statistics.median(results["tensorflux"])
    theirs = statistics.median(results["tensorflow"]) if "tensorflow" in results else REFERENCE_TF_S
    label = "" if "tensorflow" in results else " (TF reference time)"
    print(f"tensorflux / tensorflow = {ours / theirs:.3f}{label}")
    return 1 if args.check and ours > theirs else 0


if __name__ == "__main__":
    sys.exit(main())
