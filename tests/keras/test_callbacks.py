"""Callbacks against Keras 2 behaviour (fixtures recorded from tf_keras with the same scenarios)."""

import json
import os
import time

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import callbacks
from tensorflux.keras.utils import progbar as progbar_module
from tests.keras.callback_scenarios import (
    CSV_LOGS,
    EARLY_STOPPING,
    FIT_RUNS,
    LR_SCHEDULER_RUNS,
    REDUCE_LR_RUNS,
)
from tests.keras.fake_model import FakeModel

FIXTURES = json.load(open(os.path.join(os.path.dirname(__file__), "fixtures", "callbacks.json")))


@pytest.fixture
def clock(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def _run_epochs(callback, model, logs_per_epoch):
    """What fit does with the epoch hooks, without batches."""
    cbs = callbacks.CallbackList(
        [callback], model=model, verbose=0, epochs=len(logs_per_epoch), steps=1
    )
    lrs, stopped_at = [], None
    cbs.on_train_begin()
    for epoch, logs in enumerate(logs_per_epoch):
        cbs.on_epoch_begin(epoch)
        model.weights = [np.array([float(epoch)])]
        cbs.on_epoch_end(epoch, dict(logs))
        lrs.append(float(model.optimizer.learning_rate.numpy()))
        if model.stop_training:
            stopped_at = epoch
            break
    cbs.on_train_end()
    return lrs, stopped_at


@pytest.mark.parametrize("index", range(len(FIT_RUNS)))
def test_fit_progress_and_history_match_keras(index, clock, capsys, monkeypatch):
    # The fixtures were recorded from a redrawing (terminal) Keras progress bar.
    monkeypatch.setattr(progbar_module, "interactive_output", lambda: True)
    run, expected = FIT_RUNS[index], FIXTURES["fit"][index]
    model = FakeModel(run["metrics"])
    clock[0] = 0.0
    cbs = callbacks.CallbackList(
        [],
        add_history=True,
        add_progbar=run["verbose"] != 0,
        model=model,
        verbose=run["verbose"],
        epochs=len(run["epochs"]),
        steps=run["steps"],
    )
    cbs.on_train_begin()
    for epoch, batches in enumerate(run["epochs"]):
        cbs.on_epoch_begin(epoch)
        for step, (t, logs) in enumerate(batches["batches"]):
            cbs.on_train_batch_begin(step)
            clock[0] = t
            cbs.on_train_batch_end(step, {k: tf.constant(v) for k, v in logs.items()})
        clock[0] = batches["end"]
        cbs.on_epoch_end(epoch, dict(batches["epoch_logs"]))
    cbs.on_train_end()
    assert capsys.readouterr().out == expected["output"]
    assert model.history.epoch == expected["epoch"]
    assert model.history.history.keys() == expected["history"].keys()
    for key, values in expected["history"].items():
        np.testing.assert_allclose(model.history.history[key], values, rtol=1e-6)
        assert all(type(v) is float for v in model.history.history[key])


def test_evaluate_and_predict_progress(clock, capsys):
    model = FakeModel(["loss"])
    cbs = callbacks.CallbackList(None, add_progbar=True, model=model, verbose=2, epochs=1, steps=2)
    cbs.on_test_begin()
    for step in range(2):
        cbs.on_test_batch_end(step, {"loss": 0.5})
    clock[0] = 0.25
    cbs.on_test_end({"loss": 0.5})
    cbs.on_predict_begin()
    for step in range(2):
        cbs.on_predict_batch_end(step, {"outputs": np.zeros((2, 1))})
    cbs.on_predict_end()
    assert capsys.readouterr().out == (
        "2/2 - 0s - loss: 0.5000 - 250ms/epoch - 125ms/step\n2/2 - 0s - 0s/epoch - 0s/step\n"
    )


def test_validation_inside_fit_is_silent(capsys):
    cbs = callbacks.CallbackList(
        None, add_progbar=True, model=FakeModel(), verbose=1, epochs=1, steps=1
    )
    cbs.on_train_begin()
    cbs.on_test_begin()
    cbs.on_test_batch_end(0, {"loss": 1.0})
    cbs.on_test_end({"loss": 1.0})
    assert capsys.readouterr().out == ""


def test_callback_list_defaults_and_hooks():
    history, model = callbacks.History(), FakeModel()
    cbs = callbacks.CallbackList(
        [history], add_history=True, add_progbar=True, model=model, verbose=1, epochs=3, steps=5
    )
    assert [type(c).__name__ for c in cbs] == ["History", "ProgbarLogger"]
    assert model.history is history and history.params["epochs"] == 3
    assert cbs.callbacks[1].use_steps and len(cbs) == 2
    nested = callbacks.CallbackList([[callbacks.TerminateOnNaN()], callbacks.History()])
    assert len(nested) == 2

    calls = []

    class Recorder(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("batch_begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("batch_end", batch, logs))

        def on_test_batch_end(self, batch, logs=None):
            calls.append(("test", batch))

    cbs = callbacks.CallbackList([Recorder()], model=model)
    cbs.on_train_batch_begin(0)
    cbs.on_batch_end(1, {"loss": tf.constant(2.0)})
    cbs.on_test_batch_end(2)
    assert calls == [("batch_begin", 0), ("batch_end", 1, {"loss": 2.0}), ("test", 2)]


def test_logs_are_shared_so_later_callbacks_see_lr():
    model = FakeModel()
    cbs = callbacks.CallbackList(
        [callbacks.ReduceLROnPlateau()], add_history=True, model=model, verbose=0, epochs=1, steps=1
    )
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"val_loss": 1.0})
    np.testing.assert_allclose(model.history.history["lr"], [0.01])


@pytest.mark.parametrize("index", range(len(EARLY_STOPPING)))
def test_early_stopping_matches_keras(index, capsys):
    case, expected = EARLY_STOPPING[index], FIXTURES["early_stopping"][index]
    model = FakeModel()
    stopper = callbacks.EarlyStopping(**case["args"])
    monitor = case["args"].get("monitor", "val_loss")
    _, stopped_at = _run_epochs(stopper, model, [{monitor: v} for v in case["values"]])
    assert capsys.readouterr().out == expected["output"]
    assert stopped_at == expected["stopped_at"]
    assert stopper.stopped_epoch == expected["stopped_epoch"]
    assert stopper.best_epoch == expected["best_epoch"]
    assert model.weights[0][0] == expected["weights"]


def test_early_stopping_warns_when_metric_is_missing():
    # The notes monitor "val_acc", which Keras 2 models log as "val_accuracy".
    stopper, model = callbacks.EarlyStopping(monitor="val_acc", patience=0), FakeModel()
    with pytest.warns(
        UserWarning,
        match="Early stopping conditioned on metric `val_acc` which "
        "is not available. Available metrics are: "
        "loss,val_accuracy",
    ):
        _, stopped_at = _run_epochs(stopper, model, [{"loss": 1.0, "val_accuracy": 0.5}] * 3)
    assert stopped_at is None


def test_early_stopping_modes_and_reuse():
    assert callbacks.EarlyStopping(monitor="val_accuracy").monitor_op is np.greater
    assert callbacks.EarlyStopping(monitor="auc").monitor_op is np.greater
    assert callbacks.EarlyStopping(monitor="loss").monitor_op is np.less
    with pytest.warns(UserWarning, match="EarlyStopping mode maximum is unknown"):
        assert callbacks.EarlyStopping(mode="maximum").monitor_op is np.less
    stopper, model = callbacks.EarlyStopping(patience=0), FakeModel()
    _run_epochs(stopper, model, [{"val_loss": 1.0}, {"val_loss": 2.0}])
    model.stop_training = False
    _, stopped_at = _run_epochs(stopper, model, [{"val_loss": 5.0}, {"val_loss": 4.0}])
    assert stopped_at is None  # best was reset by on_train_begin


@pytest.mark.parametrize("index", range(len(REDUCE_LR_RUNS)))
def test_reduce_lr_on_plateau_matches_keras(index, capsys):
    case, expected = REDUCE_LR_RUNS[index], FIXTURES["reduce_lr"][index]
    model = FakeModel(lr=case["lr"])
    callback = callbacks.ReduceLROnPlateau(**case["args"])
    monitor = case["args"].get("monitor", "val_loss")
    lrs, _ = _run_epochs(callback, model, [{monitor: v} for v in case["values"]])
    assert capsys.readouterr().out == expected["output"]
    np.testing.assert_allclose(lrs, expected["lrs"], rtol=1e-7)


def test_reduce_lr_on_plateau_errors():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Got 1.5"):
        callbacks.ReduceLROnPlateau(factor=1.5)
    with pytest.warns(UserWarning, match="`epsilon` argument is deprecated"):
        assert callbacks.ReduceLROnPlateau(epsilon=0.5).min_delta == 0.5
    with pytest.raises(TypeError, match="unexpected arguments: \\['patience_'\\]"):
        callbacks.ReduceLROnPlateau(patience_=3)
    model = FakeModel()
    model.optimizer.learning_rate = lambda step: 0.1
    callback = callbacks.ReduceLROnPlateau()
    callback.set_model(model)
    with pytest.raises(TypeError, match="ReduceLROnPlateau cannot control a learning rate"):
        callback.on_epoch_end(0, {"val_loss": 1.0})
    with pytest.warns(
        UserWarning,
        match="Learning rate reduction is conditioned on metric `val_x` which is not available",
    ):
        _run_epochs(callbacks.ReduceLROnPlateau(monitor="val_x"), FakeModel(), [{"loss": 1.0}])


@pytest.mark.parametrize("index", range(len(LR_SCHEDULER_RUNS)))
def test_learning_rate_scheduler_matches_keras(index, capsys):
    case, expected = LR_SCHEDULER_RUNS[index], FIXTURES["lr_scheduler"][index]
    model = FakeModel(lr=case["lr"])
    callback = callbacks.LearningRateScheduler(eval(case["schedule"]), verbose=1)
    lrs, _ = _run_epochs(callback, model, [{}] * case["epochs"])
    assert capsys.readouterr().out == expected["output"]
    np.testing.assert_allclose(lrs, expected["lrs"], rtol=1e-7)


def test_learning_rate_scheduler_float_attribute_and_errors():
    class PlainOptimizer:
        lr = 0.5

    model = FakeModel()
    model.optimizer = PlainOptimizer()
    logs = {}
    callback = callbacks.LearningRateScheduler(lambda epoch, lr: lr / 2)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    callback.on_epoch_end(0, logs)
    assert model.optimizer.lr == 0.25 and logs["lr"] == 0.25
    bad = callbacks.LearningRateScheduler(lambda epoch: 1)
    bad.set_model(FakeModel())
    with pytest.raises(ValueError, match='output of the "schedule" function should be float'):
        bad.on_epoch_begin(0)
    bad = callbacks.LearningRateScheduler(lambda epoch: tf.constant(1))
    bad.set_model(FakeModel())
    with pytest.raises(ValueError, match="dtype of `lr` Tensor should be float"):
        bad.on_epoch_begin(0)
    no_lr = FakeModel()
    no_lr.optimizer = object()
    callback.set_model(no_lr)
    with pytest.raises(ValueError, match='must have a "learning_rate" attribute'):
        callback.on_epoch_begin(0)


def test_csv_logger_matches_keras(tmp_path):
    path = tmp_path / "log.csv"
    for name, append in (("first", False), ("appended", True)):
        _run_epochs(callbacks.CSVLogger(path, append=append), FakeModel(), CSV_LOGS[name])
        assert path.read_bytes().decode() == FIXTURES["csv_logger"][name]


def test_csv_logger_separator_and_lists(tmp_path):
    path = tmp_path / "log.tsv"
    logger = callbacks.CSVLogger(str(path), separator="\t")
    _run_epochs(logger, FakeModel(), [{"loss": 1.0, "val_loss": 2.0, "w": np.array([1, 2])}])
    assert path.read_text().splitlines() == [
        "epoch\tloss\tval_loss\tw",
        '0\t1.0\t2.0\t"""[1, 2]"""',
    ]
    assert logger.csv_file is None


def test_terminate_on_nan_matches_keras(capsys):
    model = FakeModel()
    callback = callbacks.TerminateOnNaN()
    callback.set_model(model)
    for batch, loss in enumerate([0.5, float("nan")]):
        callback.on_train_batch_end(batch, {"loss": loss})
    assert capsys.readouterr().out == FIXTURES["terminate_on_nan"]["output"]
    assert model.stop_training is FIXTURES["terminate_on_nan"]["stop_training"]


def test_lambda_callback_and_base_hooks():
    seen = []
    callback = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(("epoch", epoch, logs["loss"])),
        on_batch_end=lambda batch, logs: seen.append(("batch", batch)),
        on_train_begin=lambda logs: seen.append("begin"),
        on_test_end=lambda logs: seen.append("test_end"),
    )
    cbs = callbacks.CallbackList([callback], model=FakeModel())
    cbs.on_train_begin()
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_test_end()
    cbs.on_train_end()
    assert seen == ["begin", ("batch", 0), ("epoch", 0, 1.0), "test_end"]
    base = callbacks.Callback()
    assert base.model is None and base.params == {}
    for hook in (
        "on_train_begin",
        "on_train_end",
        "on_test_begin",
        "on_test_end",
        "on_predict_begin",
        "on_predict_end",
    ):
        assert getattr(base, hook)() is None
    for hook in (
        "on_epoch_begin",
        "on_epoch_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_test_batch_begin",
        "on_test_batch_end",
        "on_predict_batch_begin",
        "on_predict_batch_end",
    ):
        assert getattr(base, hook)(0, {}) is None


def test_progbar_logger_count_mode():
    with pytest.raises(ValueError, match="Unknown `count_mode`: batches"):
        callbacks.ProgbarLogger("batches")


def test_progbar_logger_samples_mode(clock, capsys):
    logger = callbacks.ProgbarLogger()
    cbs = callbacks.CallbackList([logger], model=FakeModel(), verbose=2, epochs=1, samples=8)
    cbs.on_epoch_begin(0)
    for step in range(2):
        cbs.on_train_batch_end(step, {"size": 4, "loss": 1.0})
    clock[0] = 2.0
    cbs.on_epoch_end(0, {"loss": 1.0})
    assert capsys.readouterr().out == "8/8 - 2s - loss: 1.0000 - 2s/epoch - 250ms/sample\n"
