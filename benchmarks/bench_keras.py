"""Speed of Keras ``fit``/``predict`` in tensorflux, side by side with Keras 2 and Keras 3.

Measures, best of several timeit-style repeats (``best_time_us`` from bench_eager.py):
  * ``fit`` per epoch of the 2-2-1 sigmoid XOR network (mse, SGD(0.5), batch 4 =
    one step per epoch, verbose=0, 50 epochs per call),
  * ``fit`` per step of the iris MLP 4-10(relu)-Dropout(0.2)-3(softmax)
    (sparse_categorical_crossentropy, default rmsprop, metrics=["accuracy"]) on 120
    rows repeated 20 times as in the lecture notes: 2400 rows, batch 32, 75 steps,
  * ``predict`` on 3 rows of the iris MLP.

The same code runs on the three libraries. Run from the repository root::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_keras.py

Keras 2 is ``tf_keras``, Keras 3 is ``tf.keras`` of TensorFlow 2.21; without them the
columns show reference numbers measured with TF 2.21 (marked "ref"). Ratios are
against the faster of the two. Targets: at most 1/5 of its time per XOR epoch and
per iris step, at most 1/20 for predict. ``--check`` exits 1 if a target is missed.
Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_eager import best_time_us  # noqa: E402 - the shared timing helper

XOR_EPOCHS = 50
IRIS_ROWS, IRIS_REPEAT, IRIS_BATCH = 120, 20, 32
IRIS_STEPS = IRIS_ROWS * IRIS_REPEAT // IRIS_BATCH
# TF 2.21, for runs where it is not installed: (Keras 2, Keras 3) µs.
REFERENCE_US = {
    "xor_epoch": (1400.0, 20000.0),
    "iris_step": (1000.0, 1300.0),
    "predict_3": (31000.0, 31000.0),
}
TARGET_RATIO = {"xor_epoch": 1 / 5, "iris_step": 1 / 5, "predict_3": 1 / 20}
LABELS = {
    "xor_epoch": f"fit, XOR epoch (1 step, {XOR_EPOCHS} epochs/call)",
    "iris_step": f"fit, iris MLP step (batch {IRIS_BATCH}, {IRIS_STEPS} steps)",
    "predict_3": "predict, iris MLP on 3 rows",
}


def make_cases(keras) -> dict:
    """``{case: (function to time, calls of the unit per function call)}``."""
    rng = np.random.default_rng(0)
    xor_x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    xor_y = np.array([[0], [1], [1], [0]], np.float32)
    xor = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(2, activation="sigmoid"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    xor.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")

    iris_x = np.tile(rng.normal(size=(IRIS_ROWS, 4)).astype(np.float32), (IRIS_REPEAT, 1))
    iris_y = np.tile(rng.integers(0, 3, size=IRIS_ROWS), IRIS_REPEAT)
    iris = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(10, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    iris.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    return {
        "xor_epoch": (
            lambda: xor.fit(xor_x, xor_y, batch_size=4, epochs=XOR_EPOCHS, verbose=0),
            XOR_EPOCHS,
        ),
        "iris_step": (
            lambda: iris.fit(iris_x, iris_y, batch_size=IRIS_BATCH, epochs=1, verbose=0),
            IRIS_STEPS,
        ),
        "predict_3": (lambda: iris.predict(iris_x[:3], verbose=0), 1),
    }


def time_library(keras, repeat: int) -> dict:
    """``{case: µs per unit}``."""
    return {
        name: best_time_us(fn, repeat) / per_call
        for name, (fn, per_call) in make_cases(keras).items()
    }


def _import_references():
    """Keras 2 (tf_keras) and Keras 3 (tf.keras), each None when not importable."""
    try:
        import tensorflow as tf
    except ImportError:
        return None, None
    try:
        import tf_keras as keras2
    except ImportError:
        keras2 = None
    keras3 = tf.keras if tf.keras.__version__.startswith("3") else None
    return keras2, keras3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing repeats (best is kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    keras2, keras3 = _import_references()
    ours = time_library(tensorflux.keras, args.repeat)
    measured = [time_library(k, args.repeat) if k is not None else None for k in (keras2, keras3)]

    header = ("case", "tfx µs", "Keras 2 µs", "Keras 3 µs", "tfx/faster", "target", "result")
    table, passed = [header], True
    for name, label in LABELS.items():
        cells, times = [], []
        for i, result in enumerate(measured):
            value = result[name] if result is not None else REFERENCE_US[name][i]
            times.append(value)
            cells.append(f"{value:.1f}" + ("" if result is not None else " ref"))
        ratio = ours[name] / min(times)
        ok = ratio <= TARGET_RATIO[name]
        passed = passed and ok
        table.append(
            (
                label,
                f"{ours[name]:.1f}",
                *cells,
                f"{ratio:.4f}",
                f"<= {TARGET_RATIO[name]:.2f}",
                "pass" if ok else "FAIL",
            )
        )

    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    versions = ", ".join(
        f"{n} {getattr(k, '__version__', '?')}"
        for n, k in (("Keras 2", keras2), ("Keras 3", keras3))
        if k is not None
    )
    print(
        f"tensorflux {tensorflux.__version__}, {versions or 'TensorFlow not installed'}, "
        f"NumPy {np.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
