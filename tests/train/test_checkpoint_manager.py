"""tf.train.CheckpointManager: numbering, pruning, kept-every-n-hours, intervals, the
state file (TF's format), recovery of an existing folder; a killed save."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train import checkpoint_management

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "checkpoints"
RECORDED = json.loads((FIXTURES / "tf_written.json").read_text())
ROOT = Path(__file__).resolve().parent.parent.parent


def names(paths):
    return [os.path.basename(p) for p in paths]


def index_files(folder):
    return sorted(p for p in os.listdir(folder) if p.endswith(".index"))


def test_keeps_the_newest_and_writes_tensorflow_state(tmp_path):
    step = tf.Variable(np.int64(0))
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step), str(tmp_path), max_to_keep=2
    )
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    for _ in range(3):
        step.assign_add(1)
        manager.save()
    assert names(manager.checkpoints) == names(RECORDED["managed"]["checkpoints"])
    assert manager.latest_checkpoint == str(tmp_path / "ckpt-3")
    assert index_files(tmp_path) == ["ckpt-2.index", "ckpt-3.index"]
    ours = (tmp_path / "checkpoint").read_text().splitlines()
    theirs = RECORDED["managed"]["state_file"].splitlines()
    assert [line.split(":")[0] for line in ours] == [line.split(":")[0] for line in theirs]
    assert ours[:3] == theirs[:3]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "ckpt-3")


def test_checkpoint_number_and_save_counter(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=3)
    paths = [manager.save(), manager.save(checkpoint_number=10), manager.save()]
    assert names(paths) == ["ckpt-1", "ckpt-10", "ckpt-3"]
    assert int(checkpoint.save_counter.numpy()) == 3
    assert names(manager.checkpoints) == ["ckpt-1", "ckpt-10", "ckpt-3"]
    manager.save(checkpoint_number=1)  # re-saved: moves to the newest place
    assert names(manager.checkpoints) == ["ckpt-10", "ckpt-3", "ckpt-1"]


def test_max_to_keep_none_keeps_all_and_validation(tmp_path):
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(v=tf.Variable(1.0)), str(tmp_path), max_to_keep=None
    )
    for _ in range(4):
        manager.save()
    assert len(index_files(tmp_path)) == 4
    with pytest.raises(
        ValueError, match="Expected a positive integer or `None` for `max_to_keep`, got 0"
    ):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), max_to_keep=0)
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        tf.train.CheckpointManager(
            tf.train.Checkpoint(), str(tmp_path), max_to_keep=1, checkpoint_interval=2
        )


def test_keep_checkpoint_every_n_hours(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(checkpoint_management.time, "time", lambda: clock[0])
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(v=tf.Variable(1.0)),
        str(tmp_path),
        max_to_keep=1,
        keep_checkpoint_every_n_hours=1,
    )
    for _ in range(5):
        clock[0] += 1800.0  # half an hour per save
        manager.save()
    # ckpt-2 (one hour after the start) and ckpt-4 (an hour later) are preserved.
    assert index_files(tmp_path) == ["ckpt-2.index", "ckpt-4.index", "ckpt-5.index"]
    assert names(manager.checkpoints) == ["ckpt-5"]


def test_checkpoint_interval(tmp_path):
    step = tf.Variable(0)
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step),
        str(tmp_path),
        max_to_keep=None,
        step_counter=step,
        checkpoint_interval=2,
    )
    saved = [manager.save()]
    step.assign(1)
    saved.append(manager.save())
    step.assign(2)
    saved.append(manager.save())
    saved.append(manager.save(check_interval=False))  # same step: nothing new
    step.assign(3)
    saved.append(manager.save(check_interval=False))
    assert [None if p is None else os.path.basename(p) for p in saved] == [
        "ckpt-1",
        None,
        "ckpt-2",
        None,
        "ckpt-3",
    ]


def test_recovers_existing_folder_and_restore_or_initialize(tmp_path):
    v = tf.Variable(1.0)
    first = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    for value in (1.0, 2.0, 3.0):
        v.assign(value)
        first.save()
    w = tf.Variable(0.0)
    initialized = []
    second = tf.train.CheckpointManager(
        tf.train.Checkpoint(v=w),
        str(tmp_path),
        max_to_keep=2,
        init_fn=lambda: initialized.append(True),
    )
    assert names(second.checkpoints) == ["ckpt-2", "ckpt-3"]
    assert second.restore_or_initialize() == str(tmp_path / "ckpt-3")
    assert float(w.numpy()) == 3.0 and not initialized
    second.save()
    assert index_files(tmp_path) == ["ckpt-3.index", "ckpt-4.index"]
    empty = tf.train.CheckpointManager(
        tf.train.Checkpoint(v=w),
        str(tmp_path / "new"),
        max_to_keep=1,
        init_fn=lambda: initialized.append(1),
    )
    assert empty.restore_or_initialize() is None and initialized == [1]


SAVER = textwrap.dedent("""
    import sys, numpy as np
    import tensorflux as tf
    big = tf.Variable(np.ones(2_000_000, np.float32))
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(big=big), sys.argv[1],
                                         max_to_keep=2)
    print("ready", flush=True)
    while True:
        big.assign_add(np.ones(2_000_000, np.float32))
        manager.save()
""")


def test_process_killed_while_saving_leaves_a_loadable_latest(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(tmp_path)], stdout=subprocess.PIPE, env=env
    )
    assert proc.stdout.readline().strip() == b"ready"
    deadline = time.time() + 30
    while tf.train.latest_checkpoint(str(tmp_path)) is None and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    latest = tf.train.latest_checkpoint(str(tmp_path))
    big = tf.Variable(np.zeros(2_000_000, np.float32))
    tf.train.Checkpoint(big=big).restore(latest).assert_consumed()
    value = big.numpy()
    assert value[0] >= 2 and (value == value[0]).all()
