"""Keras application models: tensorflux side by side with tf_keras, the same code on both.

  * ``VGG16`` ``predict`` at 224x224x3, batch 8 (with its top, random weights): images/s.
  * ``MobileNetV2`` (alpha 1.0, 96x96x3, 10 classes) ``fit`` with Adam: samples/s of
    the best of a few epochs of 256 samples at batch 32.

Run from the repository root, with TensorFlow installed for the side-by-side column::

    PYTHONPATH=. python benchmarks/bench_applications.py

If the Python running this has no ``onednn-cpu-gomp`` (a TensorFlow venv, say), point
``TENSORFLUX_ONEDNN_LIBRARY`` at a ``libdnnl.so.3``. Timings are never asserted in the
test suite.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best(run, repeat: int) -> float:
    """The shortest wall time of ``repeat`` runs, after one warm-up run."""
    run()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def vgg16_predict(keras, batch: int = 8, repeat: int = 3) -> float:
    """Images per second of VGG16's ``predict`` on one batch of 224x224 images."""
    keras.utils.set_random_seed(0)
    model = keras.applications.VGG16(weights=None)
    x = np.random.default_rng(0).uniform(0, 255, (batch, 224, 224, 3)).astype("float32")
    x = keras.applications.vgg16.preprocess_input(x)
    return batch / _best(lambda: model.predict(x, batch_size=batch, verbose=0), repeat)


def mobilenet_v2_fit(keras, n: int = 256, batch: int = 32, size: int = 96, epochs: int = 3):
    """Training samples per second of MobileNetV2 (best epoch after a warm-up one)."""
    keras.utils.set_random_seed(0)
    model = keras.applications.MobileNetV2(weights=None, input_shape=(size, size, 3), classes=10)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (n, size, size, 3)).astype("float32")
    y = rng.integers(0, 10, n)
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    best = float("inf")
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        best = min(best, time.perf_counter() - start)
    return n / best


CASES = {
    "VGG16 predict 224x224, batch 8 (images/s)": vgg16_predict,
    "MobileNetV2 fit 96x96, batch 32 (samples/s)": mobilenet_v2_fit,
}


def _tf_keras():
    try:
        import tf_keras
    except ImportError:
        return None
    return tf_keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["vgg16", "mobilenetv2"], default=None)
    args = parser.parse_args(argv)
    from tensorflux import keras as ours

    theirs = _tf_keras()
    rows = [("case", "tensorflux", "tf_keras", "ratio")]
    for name, fn in CASES.items():
        if args.only and args.only not in name.lower().replace(" ", ""):
            continue
        mine = fn(ours)
        other = fn(theirs) if theirs is not None else None
        ratio = f"{mine / other:.2f}" if other else "-"
        rows.append((name, f"{mine:.3g}", f"{other:.3g}" if other else "-", ratio))
        print(f"{name}: tensorflux {mine:.3g}, tf_keras {rows[-1][2]}", flush=True)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    print("ratio = tensorflux / tf_keras throughput (above 1: tensorflux is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
