"""Training on a GPU: tensorflux (graphs compiled by XLA through ``jax[cuda12]``) against
TensorFlow on the same card, for the notes' CNN and an LSTM text model.

The cases are Keras ``fit`` epochs, the same code on both libraries:
  * the notes' CNN on 28x28x1 images (Conv2D 32 / MaxPool / Conv2D 64 / MaxPool /
    Dense 64 / Dense 10), batch 128, 12,800 images an epoch;
  * Embedding(10000, 64, mask_zero=True) + Bidirectional(LSTM(64)) + Dense(1) on padded
    length-100 sequences, batch 64, 6,400 sequences an epoch.
Each keeps the best samples/s of ``--repeats`` timed epochs; the first epoch (tracing
and the XLA compile included) is reported apart. tensorflux's column says whether its
train step ran on the GPU through XLA or fell back to the host executor.

Run from the repository root on the GPU machine, with ``pip install -e '.[xla]'
'jax[cuda12]'`` in this Python, and TensorFlow with tf_keras (``tensorflow[and-cuda]``)
in the Python named by ``--tf-python`` (default ``$TF_PYTHON``)::

    PYTHONPATH=. TF_PYTHON=/path/to/tf/venv/bin/python python benchmarks/bench_gpu.py

Without a GPU it stops with exit status 2; ``--allow-cpu`` runs it anyway on the host
(to check the script). Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
from bench_jit_compile import print_table, run_tf_side
from bench_rnn import padded_tokens


def _images(n):
    rng = np.random.default_rng(0)
    return rng.random((n, 28, 28, 1), np.float32), rng.integers(0, 10, n).astype(np.int32)


def cnn(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model, _images(12800), 128


def lstm(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((100,)),
            layers.Embedding(10000, 64, mask_zero=True),
            layers.Bidirectional(layers.LSTM(64)),
            layers.Dense(1),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model, padded_tokens(6400), 64


CASES = {"cnn": cnn, "lstm": lstm}


def _placement(library: str, tf, model) -> str:
    """Where tensorflux's train step ran: XLA on the GPU, or the host executor."""
    if library != "tensorflux":
        return "GPU" if tf.config.list_logical_devices("GPU") else "CPU"
    from tensorflux.kernels.xla import lowering

    runs = [c._run for c in model.train_function._cache.values()]
    if runs and all(isinstance(r, lowering._JitRunner) and r._lowered for r in runs):
        return f"XLA on {runs[0]._device_name.rsplit('device:', 1)[-1]}"
    return "host executor"


def run_side(library: str, repeats: int, only: str) -> dict:
    """The device and, per case, the first epoch's seconds, the best samples/s and where
    the step ran."""
    if library == "tensorflux":
        import tensorflux as tf
    else:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    device = tf.config.experimental.get_device_details(gpus[0]) if gpus else {}
    results = {"device": device.get("device_name", "CPU only"), "cases": {}}
    for name, build in CASES.items():
        if only and only not in name:
            continue
        tf.keras.utils.set_random_seed(0)
        model, (x, y), batch = build(tf.keras)
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        first = time.perf_counter() - start
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
            best = min(best, time.perf_counter() - start)
        results["cases"][name] = {
            "first": first,
            "rate": len(x) / best,
            "placement": _placement(library, tf, model),
        }
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs (best kept)")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON"))
    parser.add_argument("--allow-cpu", action="store_true", help="run without a GPU")
    parser.add_argument("--side", choices=("tensorflux", "tensorflow"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side == "tensorflow":
        print(json.dumps(run_side("tensorflow", args.repeats, args.only)))
        return 0

    import tensorflux as tf

    if not tf.config.list_physical_devices("GPU") and not args.allow_cpu:
        print(
            "No GPU: JAX lists none (install jax[cuda12] on a machine with an NVIDIA GPU). "
            "--allow-cpu runs the benchmark on the host anyway.",
            file=sys.stderr,
        )
        return 2
    ours = run_side("tensorflux", args.repeats, args.only)
    arguments = ["--repeats", str(args.repeats), "--only", args.only]
    theirs = run_tf_side(args.tf_python, __file__, arguments) if args.tf_python else None
    print(f"tensorflux: {ours['device']}; TensorFlow: {theirs['device'] if theirs else '-'}")
    print(f"Keras fit, best of {args.repeats} epochs (samples/s); first epoch in seconds")
    rows = [("case", "ours", "ours ran on", "TF", "TF ran on", "ours/TF", "first: ours", "TF")]
    for name, mine in ours["cases"].items():
        other = theirs["cases"][name] if theirs else None
        rows.append(
            (
                name,
                f"{mine['rate']:.0f}",
                mine["placement"],
                f"{other['rate']:.0f}" if other else "-",
                other["placement"] if other else "-",
                f"{mine['rate'] / other['rate']:.2f}x" if other else "-",
                f"{mine['first']:.1f}",
                f"{other['first']:.1f}" if other else "-",
            )
        )
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
