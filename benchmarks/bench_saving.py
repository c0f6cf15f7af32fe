"""Saving speed: ``model.save`` + ``load_model`` of a 3-million-parameter model in
``.h5``, ``.keras`` and SavedModel form, ``save_weights`` + ``load_weights`` as a TF
checkpoint, and what ``ModelCheckpoint`` every epoch adds to a ``fit``; tensorflux side by
side with TensorFlow 2.21's tf-keras.

The model is an MLP 784-2048-512-512-10 with a BatchNormalization layer (2.93 M
parameters, 11.7 MB of float32), compiled with Adam and trained one step, so each file
also holds the optimizer's two slots per weight (35 MB of state in all). Each case
times ``save`` then ``load_model`` (which rebuilds the model, compiles it and restores
the optimizer) and keeps the best of ``--repeat`` runs; the checkpoint case times
``save_weights`` and ``load_weights`` into the same model. Files go to a temporary folder
on the same disk.

The ``ModelCheckpoint`` case trains the notes' checkpoint-tutorial classifier
(784-512-10, Adam) for 3 epochs of 10,000 samples with and without a weights checkpoint
after every epoch and prints the relative cost (target: under 5%).

Run from the repository root, with TensorFlow and tf_keras installed for the second
column (they are imported in the same process)::

    PYTHONPATH=. python benchmarks/bench_saving.py [--repeat 5]

The target is a ratio (tensorflux / TensorFlow) of at most 1. Timings are never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings

import numpy as np

SHAPES = (784, 2048, 512, 512, 10)


def build(keras):
    layers = [keras.Input(shape=(SHAPES[0],))]
    for units in SHAPES[1:-1]:
        layers.append(keras.layers.Dense(units, activation="relu"))
    layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Dense(SHAPES[-1]))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    x = np.random.default_rng(0).standard_normal((32, SHAPES[0])).astype("float32")
    y = np.zeros((32, SHAPES[-1]), "float32")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    return model


CASES = {".h5": ".h5", ".keras": ".keras", "checkpoint": ".ckpt", "SavedModel": "_dir"}


def _size(path: str) -> int:
    if os.path.isdir(path):
        return sum(
            os.path.getsize(os.path.join(root, name))
            for root, _, names in os.walk(path)
            for name in names
        )
    folder = os.path.dirname(path)
    return sum(
        os.path.getsize(os.path.join(folder, name))
        for name in os.listdir(folder)
        if name.startswith(os.path.basename(path))
    )


def time_case(keras, case: str, repeat: int, folder: str) -> tuple:
    """Best ``(save seconds, load seconds)`` over ``repeat`` runs."""
    model = build(keras)
    path = os.path.join(folder, f"{keras.__name__}{CASES[case]}")
    weights_only = case == "checkpoint"
    saves, loads = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            start = time.perf_counter()
            model.save_weights(path) if weights_only else model.save(path)
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            model.load_weights(path) if weights_only else keras.models.load_model(path)
            loads.append(time.perf_counter() - start)
    return min(saves), min(loads), model.count_params(), _size(path)


def checkpoint_overhead(keras, folder: str, repeat: int) -> float:
    """Best fit time with a weights checkpoint every epoch over the best without, - 1."""
    rng = np.random.default_rng(0)
    x = rng.random((10_000, 784), dtype=np.float32)
    y = rng.integers(0, 10, 10_000)
    times = {False: [], True: []}
    for _ in range(repeat):
        for with_checkpoint in (False, True):
            model = keras.Sequential(
                [
                    keras.layers.Dense(512, activation="relu", input_shape=(784,)),
                    keras.layers.Dense(10),
                ]
            )
            model.compile(
                optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            )
            callbacks = (
                [
                    keras.callbacks.ModelCheckpoint(
                        os.path.join(folder, f"{keras.__name__}_cp.ckpt"), save_weights_only=True
                    )
                ]
                if with_checkpoint
                else []
            )
            start = time.perf_counter()
            model.fit(x, y, epochs=3, batch_size=32, verbose=0, callbacks=callbacks)
            times[with_checkpoint].append(time.perf_counter() - start)
    return min(times[True]) / min(times[False]) - 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing repeats (best is kept)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    try:
        import logging

        import tf_keras

        logging.getLogger("tensorflow").setLevel(logging.ERROR)
    except ImportError:
        tf_keras = None
    rows = [
        (
            "case",
            "params",
            "file MB",
            "tfx save s",
            "tfx load s",
            "TF save s",
            "TF load s",
            "tfx/TF save+load",
        )
    ]
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            save, load, params, size = time_case(tensorflux.keras, case, args.repeat, folder)
            cells = [
                case,
                f"{params / 1e6:.2f} M",
                f"{size / 1e6:.1f}",
                f"{save:.3f}",
                f"{load:.3f}",
            ]
            if tf_keras is not None:
                tf_save, tf_load, _, _ = time_case(tf_keras, case, args.repeat, folder)
                ratio = (save + load) / (tf_save + tf_load)
                cells += [f"{tf_save:.3f}", f"{tf_load:.3f}", f"{ratio:.2f}"]
            else:
                cells += ["-", "-", "-"]
            rows.append(tuple(cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    version = f"tf_keras {tf_keras.__version__}" if tf_keras else "TensorFlow not installed"
    print(
        f"tensorflux {tensorflux.__version__}, {version}, NumPy {np.__version__}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    with tempfile.TemporaryDirectory() as folder:
        overhead = checkpoint_overhead(tensorflux.keras, folder, args.repeat)
        line = f"ModelCheckpoint every epoch adds {100 * overhead:.1f}% to fit (tensorflux)"
        if tf_keras is not None:
            line += f", {100 * checkpoint_overhead(tf_keras, folder, args.repeat):.1f}% (TF)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
