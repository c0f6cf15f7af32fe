"""Saving speed: ``model.save`` + ``load_model`` of a 3-million-parameter model in
``.h5`` and ``.keras``, tensorflux side by side with TensorFlow 2.21's tf-keras.

The model is an MLP 784-2048-512-512-10 with a BatchNormalization layer (2.93 M
parameters, 11.7 MB of float32), compiled with Adam and trained one step, so each file
also holds the optimizer's two slots per weight (35 MB of state in all). Each case
times ``save`` then ``load_model`` (which rebuilds the model, compiles it and restores
the optimizer) and keeps the best of ``--repeat`` runs. Files go to a temporary folder
on the same disk.

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


def time_case(keras, suffix: str, repeat: int, folder: str) -> tuple:
    """Best ``(save seconds, load seconds)`` over ``repeat`` runs."""
    model = build(keras)
    path = os.path.join(folder, f"{keras.__name__}{suffix}")
    saves, loads = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            start = time.perf_counter()
            model.save(path)
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            keras.models.load_model(path)
            loads.append(time.perf_counter() - start)
    return min(saves), min(loads), model.count_params(), os.path.getsize(path)


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
    rows = [("case", "params", "file MB", "tfx save s", "tfx load s", "TF save s", "TF load s",
             "tfx/TF save+load")]
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".h5", ".keras"):
            save, load, params, size = time_case(tensorflux.keras, suffix, args.repeat, folder)
            cells = [f"{suffix}", f"{params / 1e6:.2f} M", f"{size / 1e6:.1f}",
                     f"{save:.3f}", f"{load:.3f}"]
            if tf_keras is not None:
                tf_save, tf_load, _, _ = time_case(tf_keras, suffix, args.repeat, folder)
                ratio = (save + load) / (tf_save + tf_load)
                cells += [f"{tf_save:.3f}", f"{tf_load:.3f}", f"{ratio:.2f}"]
            else:
                cells += ["-", "-", "-"]
            rows.append(tuple(cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    version = f"tf_keras {tf_keras.__version__}" if tf_keras else "TensorFlow not installed"
    print(f"tensorflux {tensorflux.__version__}, {version}, NumPy {np.__version__}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
