"""Saving and restoring a 3-million-parameter Keras model as a TF checkpoint,
tensorflux side by side with TensorFlow + tf_keras.

The model is the notes' MLP made wider: ``Dense(2048, relu)`` on 784 inputs,
``Dense(640, relu)``, ``Dense(10)`` (2.92 M parameters), compiled with Adam and trained
one step, so a checkpoint also holds Adam's two slots per weight (8.8 M values, 35 MB).
``save`` is ``model.save_weights(prefix)`` (tensorflux: ``keras_checkpoint.save_weights``),
``restore`` is ``load_weights`` into a second model of the same shape. Each figure is
the best of ``--repeat`` runs. Run from the repository root::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_checkpoint.py

Without TensorFlow the TF column is empty. Target: at most TensorFlow's time (ratio
<= 1). ``--check`` exits 1 if it is missed. Timings are never asserted in the tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np

TARGET_RATIO = 1.0
X = np.random.default_rng(0).standard_normal((32, 784)).astype(np.float32)
Y = np.random.default_rng(1).integers(0, 10, 32)


def build(keras):
    model = keras.Sequential(
        [
            keras.layers.Dense(2048, activation="relu", input_shape=(784,)),
            keras.layers.Dense(640, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    model.fit(X, Y, batch_size=32, epochs=1, verbose=0)
    return model


def best_s(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def time_tensorflux(repeat: int, folder: str):
    import tensorflux
    from tensorflux.train.keras_checkpoint import load_weights, save_weights

    source, target = build(tensorflux.keras), build(tensorflux.keras)
    prefix = os.path.join(folder, "tfx", "cp.ckpt")
    save = best_s(lambda: save_weights(source, prefix), repeat)
    restore = best_s(lambda: load_weights(target, prefix), repeat)
    assert all(np.array_equal(a.numpy(), b.numpy()) for a, b in zip(source.weights, target.weights))
    return save, restore, source.count_params()


def time_tensorflow(repeat: int, folder: str):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import tf_keras
    except ImportError:
        return None
    source, target = build(tf_keras), build(tf_keras)
    prefix = os.path.join(folder, "tf", "cp.ckpt")
    save = best_s(lambda: source.save_weights(prefix), repeat)
    restore = best_s(lambda: target.load_weights(prefix), repeat)
    return save, restore


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (best is kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        save, restore, params = time_tensorflux(args.repeat, folder)
        theirs = time_tensorflow(args.repeat, folder)
    import tensorflux
    from tensorflux.framework import crc32c

    crc = "google_crc32c" if crc32c._fast is not None else "NumPy crc32c"
    print(
        f"tensorflux {tensorflux.__version__} ({crc}), NumPy {np.__version__}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs; {params / 1e6:.2f} M parameters "
        "+ Adam slots"
    )
    rows = [("case", "tfx ms", "TF ms", "tfx/TF", "target", "result")]
    ok = True
    for i, (case, ours) in enumerate(
        (("save_weights", save), ("load_weights", restore), ("save + load", save + restore))
    ):
        if theirs is None:
            rows.append((case, f"{ours * 1e3:.1f}", "-", "-", "-", "-"))
            continue
        reference = theirs[i] if i < 2 else sum(theirs)
        ratio = ours / reference
        ok = ok and ratio <= TARGET_RATIO
        rows.append(
            (
                case,
                f"{ours * 1e3:.1f}",
                f"{reference * 1e3:.1f}",
                f"{ratio:.2f}",
                f"<= {TARGET_RATIO:.2f}",
                "pass" if ratio <= TARGET_RATIO else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
