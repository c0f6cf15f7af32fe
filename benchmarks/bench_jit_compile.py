"""``jit_compile=True`` (XLA through JAX) against our executor and against TensorFlow's
own ``jit_compile=True``: one train step of a 784-1024-1024-10 MLP and of a small CNN.

Each step is the same program on both libraries: a Keras model's forward pass, a
GradientTape gradient and an Adam update, in ``tf.function(jit_compile=...)``. The
table shows the steady step time (median of the timed steps) and, apart, the first
call's extra cost (tracing, lowering and the XLA compile) over a steady step.

Run from the repository root with a Python that has JAX (``pip install
tensorflux[xla]``); the TensorFlow columns run in a second process, with the Python
named by ``--tf-python`` (default: ``$TF_PYTHON``; TensorFlow with tf_keras installed)::

    PYTHONPATH=. TF_PYTHON=/path/to/tf/venv/bin/python python benchmarks/bench_jit_compile.py

Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

MODELS = ("mlp", "cnn")


def _model(keras, kind: str):
    layers = keras.layers
    if kind == "mlp":
        return keras.Sequential(
            [
                keras.Input((784,)),
                layers.Dense(1024, activation="relu"),
                layers.Dense(1024, activation="relu"),
                layers.Dense(10),
            ]
        )
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10),
        ]
    )


def _batch(kind: str, batch: int):
    rng = np.random.default_rng(0)
    shape = (batch, 784) if kind == "mlp" else (batch, 28, 28, 1)
    return rng.random(shape, np.float32), rng.integers(0, 10, batch).astype(np.int32)


def time_step(tf, kind: str, jit_compile: bool, batch: int, steps: int) -> dict:
    """The first call's seconds and the median seconds of ``steps`` later calls."""
    keras = tf.keras
    keras.utils.set_random_seed(0)
    model = _model(keras, kind)
    optimizer = keras.optimizers.Adam(1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(jit_compile=jit_compile)
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    x, y = (tf.constant(a) for a in _batch(kind, batch))
    start = time.perf_counter()
    loss = float(step(x, y))
    first = time.perf_counter() - start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        loss = float(step(x, y))
        times.append(time.perf_counter() - start)
    return {"first": first, "step": float(np.median(times)), "loss": loss}


def run_side(library: str, batch: dict, steps: int) -> dict:
    """Every (model, jit_compile) timing of one library, keyed "kind/jit"."""
    if library == "tensorflux":
        import tensorflux as tf
    else:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        import tensorflow as tf
    results = {}
    for kind in MODELS:
        for jit in (False, True):
            results[f"{kind}/{jit}"] = time_step(tf, kind, jit, batch[kind], steps)
    return results


def run_tf_side(python: str, script: str, arguments: list) -> dict | None:
    """The JSON that ``script --side tensorflow *arguments`` prints last, run by the
    TensorFlow Python ``python`` (tf_keras, quiet logs, without this repository on the
    path); None, with its error shown, when it fails."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    env.pop("PYTHONPATH", None)
    command = [python, script, "--side", "tensorflow", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        print(f"TensorFlow side failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(rows) -> None:
    """Prints ``rows`` (the header first) in left-aligned columns."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps (median kept)")
    parser.add_argument("--mlp-batch", type=int, default=128)
    parser.add_argument("--cnn-batch", type=int, default=64)
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON"))
    parser.add_argument("--side", choices=("tensorflux", "tensorflow"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    batch = {"mlp": args.mlp_batch, "cnn": args.cnn_batch}
    if args.side == "tensorflow":
        print(json.dumps(run_side("tensorflow", batch, args.steps)))
        return 0

    import jax

    ours = run_side("tensorflux", batch, args.steps)
    arguments = ["--steps", str(args.steps), "--mlp-batch", str(args.mlp_batch)]
    arguments += ["--cnn-batch", str(args.cnn_batch)]
    theirs = run_tf_side(args.tf_python, __file__, arguments) if args.tf_python else None
    print(
        f"JAX {jax.__version__}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}; Adam train step, median of "
        f"{args.steps} steps (ms); first call's extra = first call - steady step (s)"
    )
    rows = [
        (
            "model", "ours exec", "ours XLA", "XLA speed-up", "TF", "TF XLA",
            "ours XLA / TF XLA", "first call extra: ours XLA", "TF XLA",
        )
    ]  # fmt: skip
    for kind in MODELS:
        plain, jitted = ours[f"{kind}/False"], ours[f"{kind}/True"]
        tf_plain = theirs[f"{kind}/False"] if theirs else None
        tf_jitted = theirs[f"{kind}/True"] if theirs else None
        rows.append(
            (
                f"{kind} (batch {batch[kind]})",
                f"{plain['step'] * 1e3:.2f}",
                f"{jitted['step'] * 1e3:.2f}",
                f"{plain['step'] / jitted['step']:.2f}x",
                f"{tf_plain['step'] * 1e3:.2f}" if theirs else "-",
                f"{tf_jitted['step'] * 1e3:.2f}" if theirs else "-",
                f"{jitted['step'] / tf_jitted['step']:.2f}x" if theirs else "-",
                f"{jitted['first'] - jitted['step']:.2f}",
                f"{tf_jitted['first'] - tf_jitted['step']:.2f}" if theirs else "-",
            )
        )
    print_table(rows)
    losses = {k: round(v["loss"], 4) for k, v in ours.items()}
    print(f"last losses (ours): {losses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
