"""Records Keras 2 (tf_keras) progress-bar and callback behaviour into fixtures/callbacks.json.

Run with a Python that has TensorFlow and tf_keras:
``/path/to/tf-venv/bin/python tests/keras/record_callbacks_fixtures.py``.
The scenarios are plain data shared with the tests (tests/keras/callback_scenarios.py):
the tests replay them on tensorflux and compare printed text and results exactly.
A fake clock replaces ``time.time`` so that timings in the output are reproducible.
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fake_model  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from callback_scenarios import (  # noqa: E402
    CSV_LOGS,
    EARLY_STOPPING,
    FIT_RUNS,
    LR_SCHEDULER_RUNS,
    PROGBAR_RUNS,
    REDUCE_LR_RUNS,
)

_clock = [1000.0]
time.time = lambda: _clock[0]


def FakeModel(metric_names=("loss",), lr=0.01):  # noqa: N802 - reads like the class
    """The tests' stand-in model, built on real TensorFlow with Keras 2's ``lr``."""
    return fake_model.FakeModel(metric_names, lr, tf=tf, lr_attribute="lr")


def _captured(fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn()
    return out.getvalue(), result


def record_progbar(run):
    def play():
        _clock[0] = run["start"]
        bar = keras.utils.Progbar(**run["args"])
        bar._dynamic_display = run["dynamic"]
        for t, current, values, finalize in run["updates"]:
            _clock[0] = t
            bar.update(current, [tuple(v) for v in values], finalize=finalize)

    return _captured(play)[0]


def record_fit(run):
    """Drives a CallbackList as Keras 2's fit does, with default History/ProgbarLogger."""
    model = FakeModel(run["metrics"])

    def play():
        _clock[0] = 0.0
        callbacks = keras.callbacks.CallbackList(
            [],
            add_history=True,
            add_progbar=run["verbose"] != 0,
            model=model,
            verbose=run["verbose"],
            epochs=len(run["epochs"]),
            steps=run["steps"],
        )
        callbacks.on_train_begin()
        for epoch, batches in enumerate(run["epochs"]):
            callbacks.on_epoch_begin(epoch)
            for step, (t, logs) in enumerate(batches["batches"]):
                callbacks.on_train_batch_begin(step)
                _clock[0] = t
                callbacks.on_train_batch_end(step, dict(logs))
            _clock[0] = batches["end"]
            callbacks.on_epoch_end(epoch, dict(batches["epoch_logs"]))
        callbacks.on_train_end()
        return model.history.history, model.history.epoch

    text, (history, epochs) = _captured(play)
    return {"output": text, "history": history, "epoch": epochs}


def _run_epochs(callback, model, logs_per_epoch):
    callbacks = keras.callbacks.CallbackList(
        [callback], model=model, verbose=0, epochs=len(logs_per_epoch), steps=1
    )
    lrs, stopped_at = [], None
    callbacks.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        callbacks.on_epoch_begin(epoch)
        model.weights = [np.array([float(epoch)])]
        logs = dict(logs)
        callbacks.on_epoch_end(epoch, logs)
        lrs.append(float(model.optimizer.lr.numpy()))
        if model.stop_training:
            stopped_at = epoch
            break
    callbacks.on_train_end()
    return lrs, stopped_at


def record_early_stopping(case):
    model = FakeModel()
    stopper = keras.callbacks.EarlyStopping(**case["args"])
    text, (_, stopped_at) = _captured(
        lambda: _run_epochs(
            stopper, model, [{case["args"].get("monitor", "val_loss"): v} for v in case["values"]]
        )
    )
    return {
        "output": text,
        "stopped_at": stopped_at,
        "stopped_epoch": stopper.stopped_epoch,
        "best_epoch": stopper.best_epoch,
        "weights": float(model.weights[0][0]),
    }


def record_reduce_lr(case):
    model = FakeModel(lr=case["lr"])
    callback = keras.callbacks.ReduceLROnPlateau(**case["args"])
    text, (lrs, _) = _captured(
        lambda: _run_epochs(
            callback, model, [{case["args"].get("monitor", "val_loss"): v} for v in case["values"]]
        )
    )
    return {"output": text, "lrs": lrs}


def record_lr_scheduler(case):
    model = FakeModel(lr=case["lr"])
    schedule = eval(case["schedule"])  # noqa: S307 - fixture scenarios are our own code
    callback = keras.callbacks.LearningRateScheduler(schedule, verbose=1)
    text, (lrs, _) = _captured(lambda: _run_epochs(callback, model, [{}] * case["epochs"]))
    return {"output": text, "lrs": lrs}


def record_csv():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.csv")
        results = {}
        for name, append in (("first", False), ("appended", True)):
            model = FakeModel()
            _run_epochs(keras.callbacks.CSVLogger(path, append=append), model, CSV_LOGS[name])
            with open(path, newline="") as f:
                results[name] = f.read()
        return results


def record_terminate_on_nan():
    model = FakeModel()
    callback = keras.callbacks.TerminateOnNaN()
    callback.set_model(model)

    def play():
        for batch, loss in enumerate([0.5, float("nan")]):
            callback.on_train_batch_end(batch, {"loss": loss})

    return {"output": _captured(play)[0], "stop_training": model.stop_training}


def main():
    fixtures = {
        "progbar": [record_progbar(run) for run in PROGBAR_RUNS],
        "fit": [record_fit(run) for run in FIT_RUNS],
        "early_stopping": [record_early_stopping(case) for case in EARLY_STOPPING],
        "reduce_lr": [record_reduce_lr(case) for case in REDUCE_LR_RUNS],
        "lr_scheduler": [record_lr_scheduler(case) for case in LR_SCHEDULER_RUNS],
        "csv_logger": record_csv(),
        "terminate_on_nan": record_terminate_on_nan(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "callbacks.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
