"""Speed of ``tf.function`` training steps against eager mode, and against TensorFlow.

Two GradientTape training steps, each timed eagerly and as a ``tf.function``:
  * the 2-2-1 sigmoid XOR network on its 4 examples (squared error, four
    ``assign_sub`` updates),
  * a 4-10-10-3 MLP (relu, relu, sparse softmax cross-entropy) on a batch of 32
    random inputs (six ``assign_sub`` updates);
  * the same MLP step on batches of 32 and 17 rows in turn, as a ``tf.function``
    with an ``input_signature`` of ``(None, 4)``: one graph for both sizes.

The same code runs on both libraries. Run from the repository root, with
TensorFlow available for the comparison::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_function.py

Without TensorFlow the TF columns show reference numbers measured with TF 2.21
(marked "ref"; there is none for the MLP). Targets: the tensorflux
``tf.function`` step takes at most 1/5 of TF's ``tf.function`` step and is at
least 3x faster than the tensorflux eager step. ``--check`` exits 1 if a target
is missed. Timings are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_eager import best_time_us  # noqa: E402 - the shared timing helper

# TF 2.21 on this machine, for runs where TensorFlow is not installed.
REFERENCE_TF_US = {("xor_step", "function"): 200.0, ("xor_step", "eager"): 1350.0}
TARGET_VS_TF_FUNCTION = 1 / 5
TARGET_SPEEDUP_VS_EAGER = 3.0
LEARNING_RATE = 0.5


def _sgd(tf, params, grads):
    for var, g in zip(params, grads, strict=True):
        var.assign_sub(LEARNING_RATE * g)


def make_steps(tf) -> dict:
    """``{case: step}`` for the library bound to ``tf``: one training step, eager code."""
    rng = np.random.default_rng(0)

    inputs = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], tf.float32)
    targets = tf.constant([[0], [1], [1], [0]], tf.float32)
    xor = [
        tf.Variable(rng.normal(0, 0.5, (2, 2)).astype(np.float32)),
        tf.Variable(np.zeros(2, np.float32)),
        tf.Variable(rng.normal(0, 0.5, (2, 1)).astype(np.float32)),
        tf.Variable(np.zeros(1, np.float32)),
    ]

    def xor_step():
        w1, b1, w2, b2 = xor
        with tf.GradientTape() as tape:
            hidden = tf.sigmoid(tf.matmul(inputs, w1) + b1)
            out = tf.sigmoid(tf.matmul(hidden, w2) + b2)
            loss = tf.reduce_sum(tf.square(out - targets))
        _sgd(tf, xor, tape.gradient(loss, xor))
        return loss

    x = tf.constant(rng.normal(size=(32, 4)).astype(np.float32))
    labels = tf.constant(rng.integers(0, 3, size=32).astype(np.int32))
    sizes = [4, 10, 10, 3]
    mlp = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        mlp.append(tf.Variable(rng.normal(0, n_in**-0.5, (n_in, n_out)).astype(np.float32)))
        mlp.append(tf.Variable(np.zeros(n_out, np.float32)))

    def mlp_step_on(x, labels):
        w1, b1, w2, b2, w3, b3 = mlp
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.matmul(x, w1) + b1)
            h = tf.nn.relu(tf.matmul(h, w2) + b2)
            logits = tf.matmul(h, w3) + b3
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            )
        _sgd(tf, mlp, tape.gradient(loss, mlp))
        return loss

    def mlp_step():
        return mlp_step_on(x, labels)

    # Batches of 32 and 17 rows in turn, through one graph for a (None, 4) signature.
    batches = [(x, labels), (x[:17], labels[:17])]
    signature = [tf.TensorSpec([None, 4], tf.float32), tf.TensorSpec([None], tf.int32)]

    def varying(step):
        turn = itertools.count()
        return lambda: step(*batches[next(turn) % 2])

    return {
        "xor_step": (xor_step, tf.function(xor_step)),
        "mlp_step": (mlp_step, tf.function(mlp_step)),
        "mlp_varying": (
            varying(mlp_step_on),
            varying(tf.function(mlp_step_on, input_signature=signature)),
        ),
    }


def time_library(tf, repeat: int) -> dict:
    """``{(case, "eager" | "function"): µs per step}``."""
    out = {}
    for name, (eager, function) in make_steps(tf).items():
        out[(name, "eager")] = best_time_us(eager, repeat)
        out[(name, "function")] = best_time_us(function, repeat)
    return out


LABELS = {
    "xor_step": "XOR 2-2-1 step",
    "mlp_step": "MLP 4-10-10-3 step (batch 32)",
    "mlp_varying": "MLP step, batches 32/17, signature (None, 4)",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timing repeats (best is kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflux

    try:
        import tensorflow
    except ImportError:
        tensorflow = None

    ours = time_library(tensorflux, args.repeat)
    theirs = time_library(tensorflow, args.repeat) if tensorflow is not None else {}

    def tf_cell(key):
        if key in theirs:
            return theirs[key], f"{theirs[key]:.1f}"
        if key in REFERENCE_TF_US:
            return REFERENCE_TF_US[key], f"{REFERENCE_TF_US[key]:.1f} ref"
        return None, "-"

    header = (
        "step",
        "tfx eager µs",
        "tfx function µs",
        "TF eager µs",
        "TF function µs",
        "tfx eager/function",
        "tfx/TF function",
        "result",
    )
    table, passed = [header], True
    for name in LABELS:
        eager, fn = ours[(name, "eager")], ours[(name, "function")]
        _, tf_eager_text = tf_cell((name, "eager"))
        tf_fn, tf_fn_text = tf_cell((name, "function"))
        speedup = eager / fn
        ok = speedup >= TARGET_SPEEDUP_VS_EAGER
        ratio_text = "-"
        if tf_fn is not None:
            ratio = fn / tf_fn
            ratio_text = f"{ratio:.3f}"
            ok = ok and ratio <= TARGET_VS_TF_FUNCTION
        passed = passed and ok
        table.append(
            (
                LABELS[name],
                f"{eager:.1f}",
                f"{fn:.1f}",
                tf_eager_text,
                tf_fn_text,
                f"{speedup:.1f}x",
                ratio_text,
                "pass" if ok else "FAIL",
            )
        )

    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    tf_version = tensorflow.__version__ if tensorflow is not None else "not installed"
    print(
        f"tensorflux {tensorflux.__version__}, TensorFlow {tf_version}, NumPy {np.__version__}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(
        f"targets: tfx function <= {TARGET_VS_TF_FUNCTION:.2f} x TF function, and "
        f">= {TARGET_SPEEDUP_VS_EAGER:.0f}x faster than tfx eager"
    )
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
