"""Training loops under ``tf.distribute.experimental.PreemptionCheckpointHandler`` that
test_preemption.py runs in fresh processes (a SIGTERM and the exit it causes end them),
and that record_preemption_fixtures.py runs under TensorFlow (``PREEMPTION_USE_TF=1``).

    python preemption_programs.py CASE DIR      # one process, one worker
    mpiexec -n 2 python preemption_programs.py workers DIR

Every program prints one JSON object a line, flushed at once, so that the lines written
before the handler exits the process are all there: ``{"start": ...}`` after the
handler restored its checkpoint, ``{"run": n, ...}`` after each training step and
``{"end": ...}`` when the loop completes. ``workers`` writes its lines to
DIR/events-<worker>.jsonl instead.
"""

import json
import os
import signal
import sys
import time

import numpy as np

if os.environ.get("PREEMPTION_USE_TF") == "1":
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
else:
    import tensorflux as tf

# Steps of each loop: a restarted program continues until the handler counted this many.
STEPS = 6
# The step (1-based) during which the process sends itself SIGTERM.
SIGNAL_AT = 3

_out = [sys.stdout]


def emit(**event):
    _out[0].write(json.dumps(event) + "\n")
    _out[0].flush()


def values(w, step):
    return {"w": np.asarray(w.numpy()).tolist(), "step": int(step.numpy())}


def state():
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.Variable(np.int64(0), name="step")
    return w, step


def train_step(w, step, signal_at):
    """One step; the one numbered ``signal_at`` sends this process SIGTERM midway."""

    def fn(scale, shift=0.0):
        step.assign_add(1)
        if int(step.numpy()) == signal_at:
            os.kill(os.getpid(), signal.SIGTERM)
        w.assign(w * scale + shift)
        return float(np.sum(w.numpy()))

    return fn


def run_count(handler):
    count = handler.total_run_calls
    return {"total_run_calls": int(count), "total_run_calls_type": type(count).__name__}


def loop(handler, w, step, signal_at=SIGNAL_AT):
    fn = train_step(w, step, signal_at)
    while handler.total_run_calls < STEPS:
        result = handler.run(fn, 0.5, shift=1.0)
        emit(run=int(handler.total_run_calls), result=result, **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


def start(handler, w, step, checkpoint=None):
    handler_sigterm = signal.getsignal(signal.SIGTERM)
    emit(
        start=True,
        sigterm_handler=(
            "default" if handler_sigterm == signal.SIG_DFL else handler_sigterm.__name__
        ),
        checkpoint_has_checkpointed_runs=hasattr(checkpoint, "checkpointed_runs"),
        **run_count(handler),
        **values(w, step),
    )


def case_checkpoint(folder, config=None):
    """A ``tf.train.Checkpoint`` and a ``checkpoint_dir``: the handler manages it."""
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(
        None, checkpoint, os.path.join(folder, "ckpt"), termination_config=config
    )
    start(handler, w, step, checkpoint)
    loop(handler, w, step)


def case_manager(folder):
    """The user's own ``CheckpointManager`` (keeping 3), which also saved after step 1."""
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)
    manager = tf.train.CheckpointManager(checkpoint, os.path.join(folder, "ckpt"), max_to_keep=3)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(None, manager)
    start(handler, w, step, checkpoint)
    fn = train_step(w, step, SIGNAL_AT)
    while handler.total_run_calls < STEPS:
        handler.run(fn, 0.5, shift=1.0)
        if int(step.numpy()) == 1:
            manager.save()
        emit(run=int(handler.total_run_calls), **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


def case_save_if_preempted(folder):
    """Steps run directly, each followed by ``save_checkpoint_if_preempted``."""
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(
        None, checkpoint, os.path.join(folder, "ckpt")
    )
    start(handler, w, step, checkpoint)
    fn = train_step(w, step, SIGNAL_AT)
    while handler.total_run_calls < STEPS:
        fn(0.5, 1.0)
        handler.save_checkpoint_if_preempted()
        emit(run=int(handler.total_run_calls), **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


def case_exit_code(folder):
    """A custom ``exit_fn``."""
    config = tf.distribute.experimental.TerminationConfig(exit_fn=lambda: sys.exit(7))
    case_checkpoint(folder, config)


def case_no_exit(folder):
    """An ``exit_fn`` that does not exit: training goes on after the checkpoint."""
    config = tf.distribute.experimental.TerminationConfig(exit_fn=lambda: emit(exit_fn=True))
    case_checkpoint(folder, config)


def case_save_fn(folder):
    """A custom ``save_fn`` replaces the handler's save."""
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)

    def save_fn(*args, **kwargs):
        emit(save_fn=[list(args), kwargs], **values(w, step))
        checkpoint.save(os.path.join(folder, "mine", "saved"))

    config = tf.distribute.experimental.TerminationConfig(save_fn=save_fn)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(
        None, checkpoint, os.path.join(folder, "ckpt"), termination_config=config
    )
    start(handler, w, step, checkpoint)
    fn = train_step(w, step, SIGNAL_AT)
    while handler.total_run_calls < STEPS:
        fn(0.5, 1.0)
        handler.save_checkpoint_if_preempted(12, check_interval=False)
        emit(run=int(handler.total_run_calls), **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


def case_watcher(folder):
    """A ``termination_watcher_fn`` (polled by a thread) instead of SIGTERM: it reports a
    termination at once, and the loop starts after the first poll."""
    config = tf.distribute.experimental.TerminationConfig(termination_watcher_fn=lambda: True)
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(
        None, checkpoint, os.path.join(folder, "ckpt"), termination_config=config
    )
    start(handler, w, step, checkpoint)
    time.sleep(0.3)
    loop(handler, w, step, signal_at=-1)


def case_grace(folder):
    """A grace period: a checkpoint at once, training on, a last checkpoint near its end."""
    config = tf.distribute.experimental.TerminationConfig(grace_period=1)
    w, step = state()
    checkpoint = tf.train.Checkpoint(w=w, step=step)
    handler = tf.distribute.experimental.PreemptionCheckpointHandler(
        None, checkpoint, os.path.join(folder, "ckpt"), termination_config=config
    )
    start(handler, w, step, checkpoint)
    fn = train_step(w, step, SIGNAL_AT)

    def slow(*args, **kwargs):
        time.sleep(0.05)
        return fn(*args, **kwargs)

    while handler.total_run_calls < 40:
        handler.run(slow, 0.5, shift=1.0)
        emit(run=int(handler.total_run_calls), **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


def case_workers(folder):
    """MultiWorkerMirroredStrategy: worker 1 alone gets SIGTERM, during step 3."""
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    resolver = strategy.cluster_resolver
    rank = resolver.task_id
    _out[0] = open(os.path.join(folder, f"events-{rank}.jsonl"), "a")
    with strategy.scope():
        w, step = state()
        checkpoint = tf.train.Checkpoint(w=w, step=step)
        handler = tf.distribute.experimental.PreemptionCheckpointHandler(
            resolver, checkpoint, os.path.join(folder, "ckpt")
        )
    start(handler, w, step, checkpoint)

    def replica_fn():
        context = tf.distribute.get_replica_context()
        # Each worker's contribution: 1 and 2, summed over the workers.
        return context.all_reduce("sum", tf.constant(float(context.replica_id_in_sync_group + 1)))

    def fn():
        step.assign_add(1)
        if rank == 1 and int(step.numpy()) == SIGNAL_AT:
            os.kill(os.getpid(), signal.SIGTERM)
        total = strategy.run(replica_fn)
        w.assign_add(tf.ones([2]) * total)
        return float(total.numpy())

    while handler.total_run_calls < STEPS:
        result = handler.run(fn)
        emit(run=int(handler.total_run_calls), result=result, **values(w, step))
    emit(end=True, **run_count(handler), **values(w, step))


CASES = {
    "checkpoint": case_checkpoint,
    "manager": case_manager,
    "save_if_preempted": case_save_if_preempted,
    "exit_code": case_exit_code,
    "no_exit": case_no_exit,
    "save_fn": case_save_fn,
    "watcher": case_watcher,
    "grace": case_grace,
    "workers": case_workers,
}

if __name__ == "__main__":
    CASES[sys.argv[1]](sys.argv[2])
