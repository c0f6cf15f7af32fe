"""Mixed-precision training speed: one CNN's ``fit`` throughput under float32,
mixed_float16 and mixed_bfloat16, tensorflux side by side with tf_keras.

The model: Conv(32, 3x3)-Pool-Conv(64, 3x3)-Pool-Flatten-Dense(64)-Dense(10) and a
float32 softmax (as the mixed-precision guide recommends), Adam, batch 64, on 28x28
images of ten classes: each class a fixed blocky random pattern, shifted by up to two pixels
and buried in noise. After the timed epochs each model's accuracy on held-out images
is printed too, to show that 16-bit compute learns as well as float32.

Under mixed_float16 both libraries wrap the optimizer in a LossScaleOptimizer.
Whether 16-bit compute beats float32 depends on the CPU: without AVX512-BF16 or
AVX512-FP16 the 16-bit kernels widen to float32 and back, so the columns then show
the cost of the casts and of loss scaling rather than a speed-up.

mixed_bfloat16 needs ``ml_dtypes`` (TensorFlow installs it); the row is skipped for
tensorflux without it. Run from the repository root, with TensorFlow installed for
the side-by-side column::

    PYTHONPATH=. python benchmarks/bench_mixed_precision.py [--samples N] [--repeat R]

If that Python has no ``onednn-cpu-gomp`` (a TensorFlow venv, say), point
``TENSORFLUX_ONEDNN_LIBRARY`` at a ``libdnnl.so.3``: without it tensorflux runs its
NumPy reference kernels and the comparison says little.

Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time

import numpy as np

POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def _cnn(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10),
            layers.Activation("softmax", dtype="float32"),
        ]
    )


def shifted_patterns(samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images of ten classes (one random pattern each, shifted, with noise) and labels."""
    coarse = np.random.default_rng(1234).random((10, 8, 8), np.float32)
    patterns = np.kron(coarse, np.ones((4, 4), np.float32))[:, :30, :30]
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, samples)
    rows, cols = rng.integers(0, 3, samples), rng.integers(0, 3, samples)
    x = np.stack([patterns[c, r : r + 28, k : k + 28] for c, r, k in zip(y, rows, cols)])
    x = 0.5 * x + rng.normal(0.0, 0.5, x.shape).astype(np.float32)
    return x[..., None].astype(np.float32), y


def fit_rate(keras, policy: str, samples: int, batch: int, repeat: int) -> tuple[float, float]:
    """The best samples/s of ``repeat`` one-epoch fits under ``policy``, and the
    model's accuracy on held-out images after them."""
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = _cnn(keras)
        model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        x, y = shifted_patterns(samples, seed=0)
        # Traces the train step outside the timing.
        model.fit(x[: 2 * batch], y[: 2 * batch], batch_size=batch, epochs=1, verbose=0)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
            best = min(best, time.perf_counter() - start)
        x_test, y_test = shifted_patterns(512, seed=1)
        _, accuracy = model.evaluate(x_test, y_test, batch_size=batch, verbose=0)
        return samples / best, float(accuracy)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def _tf_keras():
    try:
        import tf_keras
    except ImportError:
        return None
    return tf_keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2048, help="images per timed epoch")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument(
        "--repeat",
        type=int,
        default=4,
        help="timed epochs (best is kept); 4 of 2048 images train to ~97%%",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    tf_keras = _tf_keras()
    has_bfloat16 = importlib.util.find_spec("ml_dtypes") is not None
    print(
        f"tensorflux {tensorflux.__version__}, "
        f"tf_keras {tf_keras.__version__ if tf_keras else 'not installed'}, "
        f"NumPy {np.__version__}, ml_dtypes {'yes' if has_bfloat16 else 'no'}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"CNN fit, batch {args.batch}, {args.samples} samples per epoch: samples/s, "
        "and held-out accuracy after the timed epochs"
    )
    rows = [
        ("policy", "tensorflux", "tf_keras", "ratio", "vs float32 (tensorflux)", "accuracy ours/tf")
    ]
    ours_float32 = None
    for policy in POLICIES:
        if policy == "mixed_bfloat16" and not has_bfloat16:
            rows.append((policy, "needs ml_dtypes", "-", "-", "-", "-"))
            continue
        ours, our_accuracy = fit_rate(
            tensorflux.keras, policy, args.samples, args.batch, args.repeat
        )
        ours_float32 = ours_float32 or ours
        theirs, their_accuracy = (
            fit_rate(tf_keras, policy, args.samples, args.batch, args.repeat)
            if tf_keras
            else (None, None)
        )
        rows.append(
            (
                policy,
                f"{ours:.0f}",
                f"{theirs:.0f}" if theirs else "-",
                f"{ours / theirs:.2f}x" if theirs else "-",
                f"{ours / ours_float32:.2f}x",
                f"{our_accuracy:.3f}/{their_accuracy:.3f}" if theirs else f"{our_accuracy:.3f}",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
