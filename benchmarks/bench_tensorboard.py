"""Cost of the ``TensorBoard`` callback with ``histogram_freq=1`` on ``fit``, tensorflux
and Keras 2 (``tf_keras``) side by side.

The model is an MLP 784-128(relu)-10(softmax) (Adam, sparse categorical cross-entropy,
accuracy) fitted for 3 epochs on 4096 random rows in batches of 64 (64 steps per epoch)
with 1024 validation rows. Each library fits once to warm up (tracing), then the same
model is fitted alternately without and with ``TensorBoard(log_dir, histogram_freq=1)``
(a fresh log folder each time). Times are CPU seconds of the process (``process_time``):
on a machine shared with other jobs, wall-clock fit times vary by tens of percent from
one fit to the next, CPU times by a few. Two figures per library:

* the time spent inside the callback's hooks (set_model, on_train_begin, on_epoch_end,
  on_test_begin/end, on_train_end: event files, scalars, histograms, the model config)
  as a share of the fit time without it -- steady on a loaded machine;
* the end-to-end overhead, best fit time with the callback over best without, minus 1,
  which the noise of a shared machine still blurs by a few percent.

Target: the callback adds under 5% to tensorflux's fit.

Run from the repository root, with tf_keras installed for the second column::

    PYTHONPATH=. /path/to/tf-venv/bin/python benchmarks/bench_tensorboard.py

Without tf_keras only the tensorflux column is measured. Timings are never asserted
in the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time

import numpy as np

ROWS, VAL_ROWS, BATCH, EPOCHS = 4096, 1024, 64, 3
TARGET_OVERHEAD = 0.05


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((ROWS + VAL_ROWS, 784), dtype=np.float32)
    y = rng.integers(0, 10, ROWS + VAL_ROWS).astype("int32")
    return (x[:ROWS], y[:ROWS]), (x[ROWS:], y[ROWS:])


_HOOKS = (
    "set_model",
    "on_train_begin",
    "on_epoch_begin",
    "on_epoch_end",
    "on_test_begin",
    "on_test_end",
    "on_train_end",
)


def timed_tensorboard(keras):
    """A TensorBoard subclass adding the seconds spent in its hooks to ``.seconds``."""

    def wrap(name):
        method = getattr(keras.callbacks.TensorBoard, name)

        def hook(self, *args, **kwargs):
            start = time.process_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                self.seconds += time.process_time() - start

        return hook

    namespace = {name: wrap(name) for name in _HOOKS}
    namespace["seconds"] = 0.0
    return type("TimedTensorBoard", (keras.callbacks.TensorBoard,), namespace)


def measure(keras, repeats: int) -> tuple[float, float, float]:
    """Best fit times in seconds ``(without callback, with TensorBoard)`` and the least
    time spent in the callback's hooks during one fit."""
    keras.utils.set_random_seed(0)
    (x, y), val = _data()
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

    def fit(callbacks):
        start = time.process_time()
        model.fit(
            x,
            y,
            batch_size=BATCH,
            epochs=EPOCHS,
            validation_data=val,
            callbacks=callbacks,
            verbose=0,
        )
        return time.process_time() - start

    fit([])
    timed = timed_tensorboard(keras)
    plain, logged, hooks = [], [], []
    for _ in range(repeats):
        plain.append(fit([]))
        log_dir = tempfile.mkdtemp()
        try:
            callback = timed(log_dir, histogram_freq=1)
            logged.append(fit([callback]))
            hooks.append(callback.seconds)
        finally:
            shutil.rmtree(log_dir)
    return min(plain), min(logged), min(hooks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    import tensorflux

    rows = [("tensorflux", measure(tensorflux.keras, args.repeats))]
    try:
        import tf_keras
    except ImportError:
        tf_keras = None
    if tf_keras is not None:
        rows.append(("tf_keras 2.21", measure(tf_keras, args.repeats)))
    print(f"fit: {EPOCHS} epochs x {ROWS // BATCH} steps of {BATCH}, MLP 784-128-10, validation")
    print(
        f"{'library':<14} {'fit CPU s':>9} {'+TensorBoard':>13} {'end-to-end':>11} "
        f"{'hooks s':>8} {'hooks/fit':>10}"
    )
    for name, (plain, logged, hooks) in rows:
        print(
            f"{name:<14} {plain:9.3f} {logged:13.3f} {logged / plain - 1:11.1%} "
            f"{hooks:8.4f} {hooks / plain:10.1%}"
        )
    if len(rows) == 2:
        (_, ours), (_, theirs) = rows
        print(
            f"tensorflux / tf_keras time: fit {ours[0] / theirs[0]:.2f}, "
            f"fit+TensorBoard {ours[1] / theirs[1]:.2f}, callback hooks {ours[2] / theirs[2]:.2f}"
        )
    share = rows[0][1][2] / rows[0][1][0]
    print(f"tensorflux: the callback's hooks add {share:.1%} (target < {TARGET_OVERHEAD:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
