"""ModelCheckpoint and BackupAndRestore during fit."""

import os

import numpy as np
import pytest

import tensorflux as tf


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], dtype="float32"))[:, None]
    return x, y


def _model(seed=1):
    tf.keras.utils.set_random_seed(seed)
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)), tf.keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def test_weights_checkpoint_every_epoch_restores_into_fresh_model(tmp_path, capsys):
    x, y = _data()
    path = str(tmp_path / "training_1" / "cp.ckpt")
    model = _model()
    saver = tf.keras.callbacks.ModelCheckpoint(path, save_weights_only=True, verbose=1)
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[saver])
    out = capsys.readouterr().out
    assert f"\nEpoch 1: saving model to {path}\n" in out
    assert f"\nEpoch 2: saving model to {path}\n" in out
    assert sorted(os.listdir(tmp_path / "training_1")) == [
        "checkpoint",
        "cp.ckpt.data-00000-of-00001",
        "cp.ckpt.index",
    ]
    fresh = _model(seed=5)
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))


def test_epoch_pattern_and_batch_frequency_name_files_and_latest_checkpoint(tmp_path):
    x, y = _data()
    pattern = str(tmp_path / "cp-{epoch:04d}.ckpt")
    model = _model()
    # 4 batches an epoch: a save every 8 batches lands at the end of epochs 2 and 4.
    saver = tf.keras.callbacks.ModelCheckpoint(pattern, save_weights_only=True, save_freq=8)
    model.save_weights(pattern.format(epoch=0))
    model.fit(x, y, epochs=4, batch_size=16, verbose=0, callbacks=[saver])
    names = sorted(n for n in os.listdir(tmp_path) if n.endswith(".index"))
    assert names == ["cp-0000.ckpt.index", "cp-0002.ckpt.index", "cp-0004.ckpt.index"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "cp-0004.ckpt")


def test_save_best_only_with_logs_in_the_name(tmp_path, capsys):
    x, y = _data()
    model = _model()
    pattern = str(tmp_path / "w.{epoch:02d}-{val_loss:.2f}.h5")
    saver = tf.keras.callbacks.ModelCheckpoint(
        pattern, monitor="val_loss", save_best_only=True, verbose=1
    )
    history = model.fit(
        x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[saver]
    )
    losses = history.history["val_loss"]
    best, expected = np.inf, []
    for epoch, loss in enumerate(losses):
        if loss < best:
            best = loss
            expected.append(f"w.{epoch + 1:02d}-{loss:.2f}.h5")
    assert sorted(os.listdir(tmp_path)) == sorted(expected)
    out = capsys.readouterr().out
    assert f"Epoch 1: val_loss improved from inf to {losses[0]:.5f}, saving model to" in out
    reloaded = tf.keras.models.load_model(str(tmp_path / expected[-1]))
    assert reloaded.evaluate(x[48:], y[48:], verbose=0) == pytest.approx(best, rel=1e-5)


def test_initial_value_threshold_and_missing_monitor(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "best.h5")
    saver = tf.keras.callbacks.ModelCheckpoint(
        path, monitor="loss", save_best_only=True, initial_value_threshold=-1.0
    )
    model.fit(x, y, epochs=2, verbose=0, callbacks=[saver])
    assert not os.path.exists(path)
    missing = tf.keras.callbacks.ModelCheckpoint(path, monitor="val_auc", save_best_only=True)
    with pytest.warns(UserWarning, match="Can save best model only with val_auc"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[missing])


def test_bad_save_freq_and_unformattable_name(tmp_path):
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "x.h5"), save_freq="batch")
    x, y = _data()
    saver = tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "{nope}.h5"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[saver])


class _Interrupt(tf.keras.callbacks.Callback):
    def __init__(self, epoch, batch=None):
        super().__init__()
        self.epoch, self.batch = epoch, batch
        self.current = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch
        if self.batch is None and epoch == self.epoch:
            raise RuntimeError("interrupted")

    def on_train_batch_begin(self, batch, logs=None):
        if self.current == self.epoch and batch == self.batch:
            raise RuntimeError("interrupted")


@pytest.mark.parametrize("save_freq,interrupt", [("epoch", (3, None)), (3, (2, 2))])
def test_interrupted_fit_resumes_to_the_same_weights(tmp_path, save_freq, interrupt):
    x, y = _data()
    reference = _model()
    reference.fit(x, y, epochs=5, batch_size=16, verbose=0)
    backup_dir = str(tmp_path / "backup")
    model = _model()
    backup = tf.keras.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq)
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(
            x, y, epochs=5, batch_size=16, verbose=0, callbacks=[backup, _Interrupt(*interrupt)]
        )
    assert os.path.isdir(backup_dir)
    resumed = _model()
    history = resumed.fit(
        x,
        y,
        epochs=5,
        batch_size=16,
        verbose=0,
        callbacks=[tf.keras.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq)],
    )
    assert len(history.history["loss"]) == 5 - interrupt[0]
    for ours, theirs in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    assert not os.path.exists(backup_dir)


def test_backup_needs_a_frequency():
    with pytest.raises(ValueError, match="Either `save_freq` or `save_before_preemption`"):
        tf.keras.callbacks.BackupAndRestore("/tmp/unused", save_freq=False)
