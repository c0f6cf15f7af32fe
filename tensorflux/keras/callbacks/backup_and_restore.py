"""``tf.keras.callbacks.BackupAndRestore``."""

import os
import shutil
import warnings

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.variables import Variable
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.distribute import distributed_file_utils, distributed_training_utils

# The epoch/batch counters' value before anything was backed up.
_UNUSED = -1


class BackupAndRestore(Callback):
    """Backs up the training state so that an interrupted ``fit`` can resume.

    At the end of every epoch (or every ``save_freq`` batches) the model's weights, the
    optimizer's state and the epoch/batch reached are written as a checkpoint in
    ``backup_dir/chief`` (the previous backup is replaced). A later ``fit`` with the
    same callback restores them and continues from where the interrupted run stopped;
    for array inputs, including shuffled ones, it ends on the same weights as an
    uninterrupted run. A ``fit`` that completes deletes the backup
    (``delete_checkpoint=True``).

    Args:
        backup_dir: the folder for the backup (use it for nothing else).
        save_freq: ``"epoch"``, a number of batches, or False (only with
            ``save_before_preemption``).
        delete_checkpoint: delete the backup when ``fit`` completes.
        save_before_preemption: accepted for compatibility; single-machine training
            has no preemption notice, so it saves nothing more.

    Raises:
        ValueError: neither ``save_freq`` nor ``save_before_preemption`` is set.

    >>> backup = BackupAndRestore(backup_dir="/tmp/backup")
    >>> # model.fit(x, y, epochs=10, callbacks=[backup])  # re-run after a crash
    """

    def __init__(
        self, backup_dir, save_freq="epoch", delete_checkpoint=True, save_before_preemption=False
    ):
        super().__init__()
        if not save_freq and not save_before_preemption:
            raise ValueError("Either `save_freq` or `save_before_preemption` must be set.")
        if (
            save_freq
            and save_freq != "epoch"
            and (isinstance(save_freq, bool) or not isinstance(save_freq, (int, np.integer)))
        ):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                '"epoch", an integer or False.'
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.save_before_preemption = save_before_preemption
        self._batches_count = 0
        self._current_epoch = 0
        self._manager = None
        self._strategy = None
        self._saved_epoch = None
        self._saved_batch = None

    def _implements_train_batch_hooks(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_begin(self, logs=None):
        from tensorflux.train.checkpoint import Checkpoint
        from tensorflux.train.checkpoint_management import CheckpointManager, latest_checkpoint

        model = self.model
        if not model.built:
            warnings.warn(
                "To use the BackupAndRestore callback, your model must be built "
                f"before you call `fit()`. Model {model} is unbuilt. You can build "
                "it beforehand by calling it on a batch of data.",
                stacklevel=2,
            )
        elif model.optimizer is not None and hasattr(model.optimizer, "build"):
            # Slot variables must exist to take their backed-up values.
            model.optimizer.build(model.trainable_variables)
        self._saved_epoch = Variable(
            np.int64(_UNUSED), trainable=False, dtype=dtypes.int64, name="ckpt_saved_epoch"
        )
        self._saved_batch = Variable(
            np.int64(_UNUSED), trainable=False, dtype=dtypes.int64, name="ckpt_saved_batch"
        )
        checkpoint = Checkpoint(
            model=model, ckpt_saved_epoch=self._saved_epoch, ckpt_saved_batch=self._saved_batch
        )
        # Every worker restores the chief's backup; under a multi-worker strategy the
        # others write theirs to a temporary folder, removed at the end (as tf_keras).
        chief_dir = os.path.join(self.backup_dir, "chief")
        self._strategy = distributed_training_utils.strategy_of(model)
        self._manager = CheckpointManager(
            checkpoint,
            distributed_file_utils.write_dirpath(chief_dir, self._strategy),
            max_to_keep=1,
        )
        latest = latest_checkpoint(chief_dir)
        if latest is not None:
            checkpoint.restore(latest).expect_partial()
        model._training_state = self

    def resume_point(self, steps_per_epoch):
        """``(epoch, step)`` at which the restored training continues, or None when
        there was no backup (``fit`` calls this after ``on_train_begin``)."""
        epoch = int(self._saved_epoch.numpy())
        batch = int(self._saved_batch.numpy())
        if epoch < 0:
            return None
        if self.save_freq == "epoch" or batch < 0:
            return epoch + 1, 0
        if steps_per_epoch is not None and batch == steps_per_epoch - 1:
            return epoch + 1, 0
        return epoch, batch + 1

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        self._saved_epoch.assign(epoch)

    def on_train_batch_begin(self, batch, logs=None):
        self._saved_batch.assign(batch)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq and self.save_freq != "epoch":
            self._batches_count += 1
            if self._batches_count >= self.save_freq:
                self._batches_count = 0
                self._back_up(self._current_epoch, batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._back_up(epoch, _UNUSED)

    def on_train_end(self, logs=None):
        chief_dir = os.path.join(self.backup_dir, "chief")
        distributed_file_utils.remove_temp_dirpath(chief_dir, self._strategy)
        chief = self._strategy is None or self._strategy.extended.should_checkpoint
        if chief and self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
        self.model.__dict__.pop("_training_state", None)
        self._manager = None

    def _back_up(self, epoch, batch):
        self._saved_epoch.assign(epoch)
        self._saved_batch.assign(batch)
        self._manager.save()
