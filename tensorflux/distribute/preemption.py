"""Saving a checkpoint when a worker is about to be preempted
(``tf.distribute.experimental.PreemptionCheckpointHandler`` and ``TerminationConfig``).

A ``PreemptionCheckpointHandler`` restores the latest checkpoint when it is made, counts
the training steps run through it, and, once a termination notice arrives (SIGTERM, or
``termination_watcher_fn`` returning True), saves a checkpoint at a step every worker
agrees on, then calls ``exit_fn``. The machine is never taken for Google Cloud or Borg:
the defaults are TF's for other platforms (SIGTERM, exit code 42, no grace period).

Under a multi-worker ``MultiWorkerMirroredStrategy`` the workers agree through the
strategy's collective: at each ``run`` (or ``save_checkpoint_if_preempted``) they sum
their "termination notice received" flags, so that a notice to any one of them makes all
of them save after the same step. Only the chief's checkpoint is kept.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
import time

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.variables import Variable

__all__ = ["PreemptionCheckpointHandler", "TerminationConfig"]

# TF's exit code after the checkpoint, off Google Cloud (that of its Borg platform, which
# its schedulers read as "restart me").
_RESTART_EXIT_CODE = 42

# The handler's run counter, added to the checkpoint under this name.
_RUN_COUNTER_NAME = "checkpointed_runs"

# How often a termination_watcher_fn is polled (seconds), as TF.
_POLL_INTERVAL_S = 1.0

# The grace period's last checkpoint starts this many estimated steps before its end
# (TF's buffer factor of 3, twice).
_GRACE_BUFFER_STEPS = 6

_deprecation_logged = []


def _default_exit_fn():
    sys.exit(_RESTART_EXIT_CODE)


class TerminationConfig:
    """How ``PreemptionCheckpointHandler`` learns of, waits for and reacts to a
    termination (``tf.distribute.experimental.TerminationConfig``).

    Every argument left None takes the platform's default when the handler is made;
    here (neither Google Cloud nor Borg) that is: SIGTERM is the termination notice,
    ``exit_fn`` exits with code 42, and there is no grace period (the checkpoint is
    saved after the step in progress, then the program exits).

    Args:
        termination_watcher_fn: a function that returns True once a termination is
            announced; the handler calls it every second on a thread instead of
            watching SIGTERM. It must not block.
        exit_fn: called after the checkpoint is saved, to end the program (e.g.
            ``lambda: sys.exit(RESTART_CODE)``); when it returns, training goes on.
        grace_period: seconds between the notice and the termination. When positive,
            the handler saves at once, trains on and saves again shortly before the end.
        save_fn: saves instead of the handler's ``CheckpointManager.save``, with the
            arguments given to ``save_checkpoint_if_preempted``.

    >>> import tensorflux as tf
    >>> config = tf.distribute.experimental.TerminationConfig(grace_period=0)
    >>> config.grace_period, config.exit_fn is None
    (0, True)
    """

    def __init__(self, termination_watcher_fn=None, exit_fn=None, grace_period=None, save_fn=None):
        self.termination_watcher_fn = termination_watcher_fn
        self.exit_fn = exit_fn
        self.grace_period = grace_period
        self.save_fn = save_fn


def _is_chief(spec, task_type, task_id) -> bool:
    if "chief" in spec.jobs:
        return task_type == "chief"
    return task_type == "worker" and int(task_id) == 0


def _strategy_of(checkpoint):
    """The strategy whose scope is open, else the one ``checkpoint``'s variables were
    created under, else None."""
    from tensorflux.distribute import distribute_lib
    from tensorflux.train.views import TrackableView

    if distribute_lib.has_strategy():
        return distribute_lib.get_strategy()
    if checkpoint is None:
        return None
    for obj in TrackableView(checkpoint).descendants():
        strategy = getattr(obj, "_distribute_strategy", None)
        if strategy is not None:
            return strategy
    return None


def _poll(watcher_fn, stop, notice, notice_time):
    while not stop.is_set():
        if watcher_fn():
            notice_time[0] = time.time()
            notice.set()
            return
        stop.wait(_POLL_INTERVAL_S)


class PreemptionCheckpointHandler:
    """Saves a checkpoint when a termination notice reaches any worker, then exits
    (``tf.distribute.experimental.PreemptionCheckpointHandler``).

    When made, it restores the latest checkpoint of ``checkpoint_dir`` (or of the
    ``CheckpointManager`` given), including its own count of ``run`` calls
    (``total_run_calls``, saved in the checkpoint as ``checkpointed_runs``), and starts
    watching for a termination notice: SIGTERM, or ``termination_watcher_fn`` of the
    ``TerminationConfig``. Once the notice arrives, the ``run`` call after next (the
    step in progress and one more complete first) saves a checkpoint and calls
    ``exit_fn`` (default: ``sys.exit(42)``); a restarted program then continues from
    that checkpoint.

    Under ``MultiWorkerMirroredStrategy`` (create the handler in its scope, or give it
    variables created there), the workers sum their notices through the strategy's
    collective at each ``run``, so a notice to one of them makes all save after the same
    step and exit. The chief saves in ``checkpoint_dir``; with a ``Checkpoint`` given,
    the other workers save in a temporary ``workertemp_<task_id>`` folder beside it,
    removed before they exit.

    Args:
        cluster_resolver: the ``ClusterResolver`` of the workers (``strategy.
            cluster_resolver``), or None for a single worker.
        checkpoint_or_checkpoint_manager: a ``tf.train.Checkpoint`` (then the handler
            manages it in ``checkpoint_dir``, keeping one checkpoint) or a
            ``tf.train.CheckpointManager`` (then ``checkpoint_dir`` is not used).
        checkpoint_dir: the folder of the checkpoints, needed with a ``Checkpoint``.
        termination_config: a ``TerminationConfig``.

    Raises:
        TypeError: a ``Checkpoint`` without ``checkpoint_dir`` (TF 2.21's error, which
            fails while building its ``InvalidArgumentError``).
        NotImplementedError: a cluster with a ``ps`` job (ParameterServerStrategy).

    >>> import tensorflux as tf, tempfile
    >>> step = tf.Variable(0)
    >>> # A watcher function instead of SIGTERM: it never announces a termination.
    >>> config = tf.distribute.experimental.TerminationConfig(
    ...     termination_watcher_fn=lambda: False)
    >>> handler = tf.distribute.experimental.PreemptionCheckpointHandler(
    ...     None, tf.train.Checkpoint(step=step), tempfile.mkdtemp(), config)
    >>> for _ in range(3):
    ...     _ = handler.run(lambda: step.assign_add(1))
    >>> int(step), int(handler.total_run_calls)
    (3, 3)
    """

    def __init__(
        self,
        cluster_resolver,
        checkpoint_or_checkpoint_manager,
        checkpoint_dir=None,
        termination_config=None,
    ):
        from tensorflux.train.checkpoint import Checkpoint

        if isinstance(checkpoint_or_checkpoint_manager, Checkpoint) and not checkpoint_dir:
            # TF 2.21 builds InvalidArgumentError from the message alone, and that
            # constructor's missing arguments are what surfaces.
            raise TypeError(
                "InvalidArgumentError.__init__() missing 2 required positional arguments: "
                "'op' and 'message'"
            )
        self._checkpoint_or_checkpoint_manager = checkpoint_or_checkpoint_manager
        self._checkpoint_dir = checkpoint_dir
        config = termination_config or TerminationConfig()
        self._termination_watcher_fn = config.termination_watcher_fn
        self._exit_fn = config.exit_fn or _default_exit_fn
        self._grace_period = config.grace_period or 0
        self._save_fn = config.save_fn
        if cluster_resolver and "ps" in cluster_resolver.cluster_spec().as_dict():
            raise NotImplementedError(
                "PreemptionCheckpointHandler does not supportusage with "
                "tf.distribute.experimental.ParameterServerStrategy."
            )
        self._set_up_workers(cluster_resolver)
        self._create_managers()
        self._run_counter = np.int64(self._checkpointed_runs.numpy())
        self._estimated_run_time = 0.0
        self._final_checkpoint_countdown = False
        self._target_time_for_termination = None
        self._step_to_checkpoint = None
        self._received_own_sigterm = threading.Event()
        self._received_own_sigterm_time = [None]
        self._poll_thread = None
        self._poll_stop = threading.Event()
        if self._termination_watcher_fn:
            self._poll_thread = threading.Thread(
                target=_poll,
                args=(
                    self._termination_watcher_fn,
                    self._poll_stop,
                    self._received_own_sigterm,
                    self._received_own_sigterm_time,
                ),
                name="WorkerTerminationSignalWatcher",
                daemon=True,
            )
            self._poll_thread.start()
        else:
            signal.signal(signal.SIGTERM, self._sigterm_handler_fn)

    def _set_up_workers(self, cluster_resolver) -> None:
        from tensorflux.train.checkpoint_management import CheckpointManager

        manager = self._checkpoint_or_checkpoint_manager
        checkpoint = manager.checkpoint if isinstance(manager, CheckpointManager) else manager
        strategy = _strategy_of(checkpoint)
        collective = getattr(getattr(strategy, "extended", None), "_collective", None)
        self._collective = collective if collective is not None and collective.size > 1 else None
        resolver = cluster_resolver
        if self._collective is not None and not (resolver and resolver.cluster_spec().jobs):
            # Workers joined by a collective but given no resolver would all act as the
            # chief and write the same files: they take the strategy's.
            resolver = strategy.cluster_resolver
        if resolver and resolver.cluster_spec().jobs:
            spec = resolver.cluster_spec()
            self._is_chief = _is_chief(spec, resolver.task_type, resolver.task_id)
            self._task_id = resolver.task_id
        else:
            self._is_chief = True
            self._task_id = None

    def _create_managers(self) -> None:
        from tensorflux.train.checkpoint_management import CheckpointManager

        given = self._checkpoint_or_checkpoint_manager
        if isinstance(given, CheckpointManager):
            self._read_manager = self._write_manager = given
            self._made_manager = False
        else:
            self._made_manager = True
            self._read_manager = CheckpointManager(given, self._checkpoint_dir, max_to_keep=1)
            if self._is_chief:
                self._write_manager = self._read_manager
            else:
                # Beside the chief's folder, as TF's: removed once saved, so that only
                # the chief's checkpoint remains.
                parent, base = os.path.split(os.fspath(self._checkpoint_dir))
                temp = os.path.join(parent, f"workertemp_{self._task_id}")
                os.makedirs(temp, exist_ok=True)
                self._write_manager = CheckpointManager(
                    given, os.path.join(temp, base), max_to_keep=1
                )
        self._checkpointed_runs = Variable(
            np.int64(0), trainable=False, dtype=dtypes.int64, name=_RUN_COUNTER_NAME
        )
        for manager in (self._write_manager, self._read_manager):
            if not hasattr(manager.checkpoint, _RUN_COUNTER_NAME):
                setattr(manager.checkpoint, _RUN_COUNTER_NAME, self._checkpointed_runs)
        self._read_manager.restore_or_initialize()

    def _sigterm_handler_fn(self, signum, frame):
        self._received_own_sigterm_time[0] = time.time()
        self._received_own_sigterm.set()

    def _stop_polling(self) -> None:
        if self._poll_thread is not None:
            self._poll_stop.set()
            self._poll_thread.join()
            self._poll_thread = None

    def __del__(self):
        stop = self.__dict__.get("_poll_stop")
        if stop is not None:
            stop.set()

    @property
    def total_run_calls(self):
        """How many times ``run`` (or ``save_checkpoint_if_preempted``) was called,
        counting those before the restored checkpoint was saved (a NumPy int64).

        Deprecated, as in TF: track steps with a variable saved in the checkpoint.
        """
        if not _deprecation_logged:
            _deprecation_logged.append(True)
            caller = sys._getframe(1)
            logging.getLogger("tensorflow").warning(
                "From %s:%d: PreemptionCheckpointHandler.total_run_calls (from "
                "tensorflow.python.distribute.failure_handling.failure_handling) is "
                "deprecated and will be removed in a future version.\n"
                "Instructions for updating:\n"
                "Track steps using a tf.Variable saved in checkpoint instead.",
                caller.f_code.co_filename,
                caller.f_lineno,
            )
        return self._run_counter

    def run(self, distributed_train_function, *args, **kwargs):
        """Runs ``distributed_train_function(*args, **kwargs)`` and returns its result,
        first saving a checkpoint and calling ``exit_fn`` when the step agreed on after a
        termination notice has been reached.

        Under a multi-worker strategy every worker must call it the same number of times:
        each call joins the others' in a collective operation.
        """
        self._check_preemption_and_maybe_checkpoint()
        began = time.time()
        result = distributed_train_function(*args, **kwargs)
        took = time.time() - began
        self._run_counter += 1
        self._estimated_run_time += (took - self._estimated_run_time) / self._run_counter
        return result

    def save_checkpoint_if_preempted(self, *args, **kwargs):
        """Saves a checkpoint and calls ``exit_fn`` when the step agreed on after a
        termination notice has been reached; counts as one ``run`` call.

        For loops that run their steps themselves instead of through ``run``.

        Args:
            *args: positional arguments of ``CheckpointManager.save`` (or ``save_fn``).
            **kwargs: keyword arguments of ``CheckpointManager.save`` (or ``save_fn``).
        """
        self._check_preemption_and_maybe_checkpoint(*args, **kwargs)
        self._run_counter += 1
        self._estimated_run_time = 0.0

    def watch_preemption_scope(self):
        """A context manager for TF's TPUStrategy workflow; here it only passes the
        exceptions of its body on (``run`` does the work)."""
        return contextlib.nullcontext()

    def _notice_flag(self) -> bool:
        """Whether this worker asks for a checkpoint now."""
        if not self._received_own_sigterm.is_set():
            return False
        if not self._final_checkpoint_countdown:
            return True
        target = self._target_time_for_termination
        return target is not None and target < time.time()

    def _any_worker(self, flag: bool) -> bool:
        if self._collective is None:
            return flag
        total = self._collective.allreduce(np.asarray(int(flag), np.int64))
        return int(total) > 0

    def _check_preemption_and_maybe_checkpoint(self, *args, **kwargs) -> None:
        if self._step_to_checkpoint is None:
            # Every worker makes this call at the same run count, so they all learn of a
            # notice together and pick the same step: the one after the next.
            if self._any_worker(self._notice_flag()):
                self._step_to_checkpoint = self._run_counter + 1
                self._start_countdown()
            return
        if self._step_to_checkpoint != self._run_counter:
            return
        self._save_checkpoint(*args, **kwargs)
        if self._grace_period <= 0 or self._final_checkpoint_countdown:
            self._stop_polling()
            if self._collective is not None:
                # No worker exits before every worker saved: the launcher may stop the
                # others as soon as one exits.
                self._collective.barrier()
            if self._made_manager and not self._is_chief:
                shutil.rmtree(os.path.dirname(self._write_manager.directory), ignore_errors=True)
            self._exit_fn()
        else:
            self._final_checkpoint_countdown = True
            self._step_to_checkpoint = None

    def _start_countdown(self) -> None:
        noticed = self._received_own_sigterm_time[0]
        if self._grace_period > 0 and not self._final_checkpoint_countdown and noticed:
            self._target_time_for_termination = (
                noticed + self._grace_period - _GRACE_BUFFER_STEPS * self._estimated_run_time
            )

    def _save_checkpoint(self, *args, **kwargs) -> None:
        self._checkpointed_runs.assign(self._run_counter)
        if self._save_fn:
            self._save_fn(*args, **kwargs)
        else:
            self._write_manager.save(*args, **kwargs)
