"""``tf.train.checkpoints_iterator``: the new checkpoints of a folder as they appear
(for an evaluation job running beside training)."""

from __future__ import annotations

import time

from tensorflux.train.checkpoint_management import latest_checkpoint

__all__ = ["checkpoints_iterator", "wait_for_new_checkpoint"]


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1, timeout=None):
    """Polls ``checkpoint_dir`` until its latest checkpoint differs from
    ``last_checkpoint``; returns it, or None after ``timeout`` seconds."""
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new checkpoint prefix of ``checkpoint_dir`` as it is written.

    Args:
        checkpoint_dir: the folder whose ``checkpoint`` state file is watched.
        min_interval_secs: the least time between two yields.
        timeout: seconds to wait for a new checkpoint before giving up (None: forever).
        timeout_fn: called on each timeout; the iteration ends when it returns True and
            goes on waiting otherwise. Without it a timeout ends the iteration.

    >>> import tempfile, tensorflux as tf
    >>> folder = tempfile.mkdtemp()
    >>> path = tf.train.Checkpoint(v=tf.Variable(1.0)).save(folder + "/ckpt")
    >>> [p == path for p in tf.train.checkpoints_iterator(folder, timeout=0)]
    [True]
    """
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        start = time.time()
        checkpoint_path = new_path
        yield checkpoint_path
        remaining = start + min_interval_secs - time.time()
        if remaining > 0:
            time.sleep(remaining)
