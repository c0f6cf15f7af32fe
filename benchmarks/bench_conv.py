"""Convolution speed: tensorflux's oneDNN and NumPy kernels side by side with TensorFlow.

Layer level (``--layers``, the default): forward + backward (input and filter
gradients) of a Conv2D 3x3 32->64 on 28x28 inputs, batch 128, NHWC float32, timed for
  * tensorflux's oneDNN kernels (``tensorflux.kernels.onednn``), called directly,
  * tensorflux's NumPy reference kernels of Conv2D and its gradients (when the conv ops
    are registered; otherwise a plain im2col + GEMM stand-in, marked as such),
  * TensorFlow 2.21's ``tf.nn.conv2d`` under a ``GradientTape``, inside ``tf.function``.

Model level (``--models``): ``fit`` throughput (samples/s) of the Keras CNNs of the
issue, the same code on tensorflux and tf_keras: the Conv-Pool CNN at batch 64, the
5x5 'same' CNN with Dense(1024), the BatchNormalization CNN, a Conv2DTranspose decoder,
and ``predict`` of the BN CNN at batch 256. They need the Keras conv layers.

Run from the repository root, with TensorFlow installed for the side-by-side columns::

    PYTHONPATH=. python benchmarks/bench_conv.py [--models [--rounds N]] [--threads N] [--reference]

``--rounds N`` times each model case N times per library, alternating, and prints the
medians and the median of the rounds' ratios: one round's ratio moves by tens of percent
on a shared machine. ``--reference`` forces tensorflux's NumPy kernels
(``set_kernel_backend("reference")``).
``--cpu-time`` times the layer step in process CPU time instead of wall time: on a
loaded machine, with ``--threads 1``, it is the fairer measure (as samples per
CPU-second).
If the Python running this has no ``onednn-cpu-gomp`` (a TensorFlow venv, say), point
``TENSORFLUX_ONEDNN_LIBRARY`` at a ``libdnnl.so.3``. Timings are never asserted in the
test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

LAYER = {"batch": 128, "size": 28, "c_in": 32, "c_out": 64, "k": 3, "padding": "VALID"}


def _layer_arrays():
    rng = np.random.default_rng(0)
    n, s, ci, co, k = (LAYER[key] for key in ("batch", "size", "c_in", "c_out", "k"))
    x = rng.standard_normal((n, s, s, ci)).astype(np.float32)
    w = (rng.standard_normal((k, k, ci, co)) * 0.1).astype(np.float32)
    out = s - k + 1 if LAYER["padding"] == "VALID" else s
    dy = rng.standard_normal((n, out, out, co)).astype(np.float32)
    return x, w, dy


def _attrs():
    return {
        "strides": [1, 1, 1, 1],
        "padding": LAYER["padding"],
        "explicit_paddings": [],
        "data_format": "NHWC",
        "dilations": [1, 1, 1, 1],
    }


def onednn_step():
    """fwd + dx + dw with the oneDNN kernels, or None if the library does not load."""
    from tensorflux.kernels.onednn import _library

    if _library.library() is None:
        return None
    from tensorflux.kernels.onednn import conv

    x, w, dy = _layer_arrays()
    attrs = _attrs()
    x_sizes, w_sizes = np.array(x.shape, np.int32), np.array(w.shape, np.int32)

    def step():
        conv.conv(x, w, **attrs)
        conv.conv_backprop_input(x_sizes, w, dy, **attrs)
        conv.conv_backprop_filter(x, w_sizes, dy, **attrs)

    return step


def _im2col_kernels():
    """A plain im2col + GEMM stand-in for the NumPy kernels (VALID, stride 1)."""
    from numpy.lib.stride_tricks import sliding_window_view

    def cols(x, k):
        view = sliding_window_view(x, (k, k), axis=(1, 2))  # N, OH, OW, C, KH, KW
        return np.ascontiguousarray(view.transpose(0, 1, 2, 4, 5, 3)).reshape(
            -1, k * k * x.shape[-1]
        )

    def conv2d(x, w, **_):
        k = w.shape[0]
        y = cols(x, k) @ w.reshape(-1, w.shape[-1])
        n, s = x.shape[0], x.shape[1] - k + 1
        return y.reshape(n, s, s, -1)

    def backprop_input(sizes, w, dy, **_):
        k = w.shape[0]
        pad = np.pad(dy, [(0, 0), (k - 1, k - 1), (k - 1, k - 1), (0, 0)])
        flipped = w[::-1, ::-1].transpose(0, 1, 3, 2)
        return conv2d(pad, flipped)

    def backprop_filter(x, sizes, dy, **_):
        k = int(sizes[0])
        return (cols(x, k).T @ dy.reshape(-1, dy.shape[-1])).reshape(tuple(int(v) for v in sizes))

    return conv2d, backprop_input, backprop_filter


def numpy_step():
    """fwd + dx + dw with the NumPy reference kernels, and a label."""
    from tensorflux import kernels
    from tensorflux.engine import registry

    names = ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")
    if all(n in registry.registered_ops() for n in names):
        fns, label = [kernels.reference_kernel(n) for n in names], "NumPy reference"
    else:
        fns, label = _im2col_kernels(), "im2col stand-in"
    x, w, dy = _layer_arrays()
    attrs = _attrs()
    x_sizes, w_sizes = np.array(x.shape, np.int32), np.array(w.shape, np.int32)

    def step():
        fns[0](x, w, **attrs)
        fns[1](x_sizes, w, dy, **attrs)
        fns[2](x, w_sizes, dy, **attrs)

    return step, label


def tensorflow_step(tf):
    x, w, dy = (tf.constant(a) for a in _layer_arrays())

    @tf.function
    def step(x, w, dy):
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = tf.nn.conv2d(x, w, 1, LAYER["padding"])
        return tape.gradient(y, [x, w], output_gradients=dy)

    return lambda: [g.numpy() for g in step(x, w, dy)]


# --- Whole models (run once the Keras conv layers exist) ----------------------------


def _images(n, size=28, channels=1, classes=10):
    rng = np.random.default_rng(1)
    return (rng.random((n, size, size, channels), np.float32), rng.integers(0, classes, n))


def _small_cnn(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10),
        ]
    )


def _wide_cnn(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1024, activation="relu"),
            layers.Dense(10),
        ]
    )


def _bn_cnn(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same"),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10),
        ]
    )


def _decoder(keras):
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((7, 7, 16)),
            layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ]
    )


# Timed runs per model case, the best kept: one short epoch is at the mercy of the
# machine's load and of per-epoch set-up (tf_keras builds a tf.data pipeline per fit).
MODEL_REPEATS = 3


def _best_rate(run, samples: int) -> float:
    """The best samples/s of ``MODEL_REPEATS`` timed calls of ``run``."""
    best = float("inf")
    for _ in range(MODEL_REPEATS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return samples / best


def _fit_rate(keras, build, batch, n=2048, loss=None, data=None):
    model = build(keras)
    model.compile(
        optimizer="adam", loss=loss or keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    x, y = data or _images(n)
    model.fit(x[: batch * 2], y[: batch * 2], batch_size=batch, epochs=1, verbose=0)
    return _best_rate(lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0), len(x))


def fit_small_cnn(keras):
    """Conv(32,3x3)-Pool-Conv(64,3x3)-Pool-Conv(64,3x3)-Dense(64)-Dense(10), batch 64."""
    return _fit_rate(keras, _small_cnn, 64)


def fit_wide_cnn(keras):
    """The 5x5 'same' CNN with Dense(1024), batch 64."""
    return _fit_rate(keras, _wide_cnn, 64)


def fit_bn_cnn(keras):
    """The BatchNormalization CNN, batch 64."""
    return _fit_rate(keras, _bn_cnn, 64)


def fit_decoder(keras):
    """A Conv2DTranspose decoder 7x7x16 -> 28x28x1, mse, batch 64."""
    rng = np.random.default_rng(2)
    codes = rng.random((2048, 7, 7, 16), np.float32)
    images = rng.random((2048, 28, 28, 1), np.float32)
    return _fit_rate(keras, _decoder, 64, loss="mse", data=(codes, images))


def predict_bn_cnn(keras):
    """``predict`` of the BatchNormalization CNN at batch 256."""
    model = _bn_cnn(keras)
    x, _ = _images(2048)
    model.predict(x[:256], batch_size=256, verbose=0)
    return _best_rate(lambda: model.predict(x, batch_size=256, verbose=0), len(x))


MODELS = {
    "fit, small CNN (batch 64)": fit_small_cnn,
    "fit, 5x5 same CNN + Dense(1024)": fit_wide_cnn,
    "fit, BatchNorm CNN": fit_bn_cnn,
    "fit, Conv2DTranspose decoder": fit_decoder,
    "predict, BatchNorm CNN (batch 256)": predict_bn_cnn,
}


def alternating_best_ms(steps: dict, repeat: int, clock=time.perf_counter) -> dict:
    """Best single-call time in ms of each of ``steps`` (name -> callable) by ``clock``,
    after a warm-up call each. The steps are called in turn ``repeat`` times, so that a
    shared machine's slow spells fall on all of them alike."""
    for step in steps.values():
        step()
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, step in steps.items():
            start = clock()
            step()
            best[name] = min(best[name], clock() - start)
    return {name: seconds * 1e3 for name, seconds in best.items()}


def _print(table):
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def _import_tensorflow():
    try:
        import tensorflow as tf
    except ImportError:
        return None, None
    try:
        import tf_keras
    except ImportError:
        tf_keras = None
    return tf, tf_keras


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=10,
        help="layer steps timed per library, in turn with the others (the best is kept)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="intra-op threads for both libraries (0: their default)",
    )
    parser.add_argument(
        "--cpu-time", action="store_true", help="time the layer step in process CPU time"
    )
    parser.add_argument("--models", action="store_true", help="also time whole models")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="model cases: time both libraries this many times, alternating, and print "
        "the median ratio of the rounds (steadier on a shared machine)",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="force tensorflux's NumPy kernels in the model runs",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    tf, tf_keras = _import_tensorflow()
    if args.threads:
        tensorflux.config.threading.set_intra_op_parallelism_threads(args.threads)
        if tf is not None:
            tf.config.threading.set_intra_op_parallelism_threads(args.threads)
            tf.config.threading.set_inter_op_parallelism_threads(1)
    if args.reference:
        tensorflux.config.experimental.set_kernel_backend("reference")

    n, s, ci, co, k = (LAYER[key] for key in ("batch", "size", "c_in", "c_out", "k"))
    print(
        f"tensorflux {tensorflux.__version__}, "
        f"TensorFlow {tf.__version__ if tf else 'not installed'}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPUs, threads {args.threads or 'default'}"
    )
    print(
        f"Conv2D {k}x{k} {ci}->{co}, {s}x{s}, batch {n}, {LAYER['padding']}: "
        f"forward + input and filter gradients, {'CPU' if args.cpu_time else 'wall'} ms per "
        f"step (best of {args.repeat}, the kernels taken in turn)"
    )

    steps = {}
    step = onednn_step()
    if step is not None:
        steps["oneDNN"] = step
    ref_step, label = numpy_step()
    steps[label] = ref_step
    if tf is not None:
        steps["TensorFlow"] = tensorflow_step(tf)
    clock = time.process_time if args.cpu_time else time.perf_counter
    ms = alternating_best_ms(steps, args.repeat, clock)
    base = ms.get("TensorFlow")
    table = [("kernels", "ms", "vs TensorFlow")]
    for name, value in ms.items():
        table.append((name, f"{value:.1f}", f"{base / value:.2f}x" if base else "-"))
    _print(table)

    if args.models:
        mode = "reference kernels" if args.reference else "default kernels"
        print(f"\nWhole models, samples/s (tensorflux with {mode})")
        rounds = max(1, args.rounds)
        header = ("case", "tensorflux", "tf_keras", "ratio")
        table = [header + (("ratios of the rounds",) if rounds > 1 else ())]
        for name, fn in MODELS.items():
            ours, theirs = [], []
            for _ in range(rounds):
                ours.append(fn(tensorflux.keras))
                if tf_keras is not None:
                    theirs.append(fn(tf_keras))
            ratios = [a / b for a, b in zip(ours, theirs, strict=True)] if theirs else []
            row = (
                name,
                f"{np.median(ours):.0f}",
                f"{np.median(theirs):.0f}" if theirs else "-",
                f"{np.median(ratios):.2f}x" if ratios else "-",
            )
            if rounds > 1:
                row += (" ".join(f"{r:.2f}" for r in ratios),)
            table.append(row)
        _print(table)
        if rounds > 1:
            print(f"medians over {rounds} alternating rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
