"""Recurrent-layer training speed: tensorflux's fused RNN ops side by side with TensorFlow.

``fit`` throughput (samples/s) of the issue's three recurrent models, the same code on
tensorflux and tf_keras, in one run:
  * SimpleRNN(50) reading 28x28 images row by row, Dense(10), batch 100;
  * Embedding(10000, 64, mask_zero=True) + Bidirectional(LSTM(64)) + Dense(64) +
    Dense(1) on padded length-100 sequences (lengths 20-100), batch 64;
  * Embedding(65, 256) + GRU(1024, return_sequences=True) + Dense(65) on length-100
    character sequences, batch 64 (the character model of the notes).
Each case keeps the best of ``--repeats`` timed epochs after a two-batch warm-up, the two
libraries' epochs taken in turn.
tensorflux runs the fused recurrent ops on oneDNN's RNN primitives where the library
loads (Linux x86-64); ``--reference`` forces its NumPy kernels, so that the
fallback's cost is known.

Run from the repository root, with TensorFlow and tf_keras importable for the
side-by-side column (e.g. a TensorFlow venv with this repository on PYTHONPATH)::

    PYTHONPATH=. python benchmarks/bench_rnn.py [--threads N] [--only NAME] [--reference]

Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np


def _rows(n):
    rng = np.random.default_rng(0)
    return rng.random((n, 28, 28), np.float32), rng.integers(0, 10, n)


def padded_tokens(n, length=100, vocab=10000):
    """``n`` token rows of length ``length``, zero-padded after random lengths 20..length,
    and random 0/1 labels."""
    rng = np.random.default_rng(1)
    tokens = rng.integers(1, vocab, (n, length)).astype(np.int32)
    lengths = rng.integers(20, length + 1, n)
    tokens[np.arange(length)[None, :] >= lengths[:, None]] = 0
    return tokens, rng.integers(0, 2, n).astype(np.float32)


def _characters(n, length=100, vocab=65):
    rng = np.random.default_rng(2)
    text = rng.integers(0, vocab, (n, length + 1)).astype(np.int32)
    return text[:, :-1], text[:, 1:]


def simple_rnn_rows(keras):
    model = keras.Sequential(
        [
            keras.layers.SimpleRNN(50, input_shape=(28, 28)),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model, _rows(2000), 100


def bidirectional_lstm_text(keras):
    model = keras.Sequential(
        [
            keras.layers.Embedding(10000, 64, mask_zero=True),
            keras.layers.Bidirectional(keras.layers.LSTM(64)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
    return model, padded_tokens(640), 64


def gru_characters(keras):
    model = keras.Sequential(
        [
            keras.layers.Embedding(65, 256),
            keras.layers.GRU(1024, return_sequences=True),
            keras.layers.Dense(65),
        ]
    )
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    return model, _characters(128), 64


# name: (model builder, target ratio from the issue)
CASES = {
    "SimpleRNN(50), 28x28 rows, batch 100": (simple_rnn_rows, 2.0),
    "Embedding(mask_zero)+Bidirectional(LSTM(64)), len 100, batch 64": (
        bidirectional_lstm_text,
        1.5,
    ),
    "GRU(1024, return_sequences), len 100, batch 64": (gru_characters, 1.0),
}


def fit_rates(libraries: list, build, repeats: int) -> list:
    """Best samples/s of ``repeats`` timed one-epoch fits for each Keras in
    ``libraries``, after a two-batch warm-up each. The libraries' epochs alternate, so that
    a shared machine's slow spells fall on both alike."""
    runs = []
    for keras in libraries:
        model, (x, y), batch = build(keras)
        model.fit(x[: batch * 2], y[: batch * 2], batch_size=batch, epochs=1, verbose=0)
        runs.append((model, x, y, batch))
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for i, (model, x, y, batch) in enumerate(runs):
            start = time.perf_counter()
            model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
            best[i] = min(best[i], time.perf_counter() - start)
    return [len(run[1]) / b for run, b in zip(runs, best)]


def _print(table):
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed epochs (best kept)")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="intra-op threads for both libraries (0: their default)",
    )
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--reference", action="store_true", help="force tensorflux's NumPy kernels")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    try:
        import tensorflow as tf
        import tf_keras
    except ImportError:
        tf = tf_keras = None
    if args.reference:
        from tensorflux import kernels

        kernels.set_kernel_backend("reference")
    if args.threads:
        tensorflux.config.threading.set_intra_op_parallelism_threads(args.threads)
        tensorflux.config.threading.set_inter_op_parallelism_threads(1)
        if tf is not None:
            tf.config.threading.set_intra_op_parallelism_threads(args.threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
    print(
        f"tensorflux {tensorflux.__version__}, "
        f"TensorFlow {tf.__version__ if tf else 'not installed'}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPUs, threads {args.threads or 'default'}"
        + (", tensorflux's NumPy kernels forced" if args.reference else "")
    )
    print("fit throughput, samples/s (best of the timed epochs)")
    table = [("case", "tensorflux", "tf_keras", "ratio", "target")]
    for name, (build, target) in CASES.items():
        if args.only and args.only not in name:
            continue
        libraries = [tensorflux.keras] + ([tf_keras] if tf_keras is not None else [])
        ours, theirs = (fit_rates(libraries, build, args.repeats) + [None])[:2]
        table.append(
            (
                name,
                f"{ours:.0f}",
                f"{theirs:.0f}" if theirs else "-",
                f"{ours / theirs:.2f}x" if theirs else "-",
                f">= {target:.1f}x",
            )
        )
        sys.stdout.flush()
    _print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
