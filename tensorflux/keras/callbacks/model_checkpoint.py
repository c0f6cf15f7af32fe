"""``tf.keras.callbacks.ModelCheckpoint``."""

import os
import re
import warnings

import numpy as np

from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.distribute import distributed_file_utils, distributed_training_utils
from tensorflux.keras.utils.io_utils import print_msg


class ModelCheckpoint(Callback):
    """Saves the model, or its weights, during ``fit``.

    The file name may hold ``str.format`` fields filled from the epoch (1-based), the
    batch (1-based, with an integer ``save_freq``) and the epoch's logs, e.g.
    ``"cp-{epoch:04d}.ckpt"`` or ``"weights.{epoch:02d}-{val_loss:.2f}.h5"``. Which
    format a path means is decided by ``Model.save_weights`` / ``Model.save``: ``.h5``
    and ``.keras`` files, otherwise a checkpoint prefix (weights) or a SavedModel
    folder (whole model).

    Args:
        filepath: the path (or pattern) to save to.
        monitor: the ``logs`` key ``save_best_only`` compares.
        verbose: 1 prints a line each time the callback saves or skips.
        save_best_only: save only when ``monitor`` improves on the best value so far.
        save_weights_only: ``model.save_weights`` instead of ``model.save``.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (max when the name contains ``acc`` or
            starts with ``fmeasure``, as Keras 2 decides).
        save_freq: ``"epoch"`` or a number of batches between saves.
        options: passed on to ``save_weights`` / ``save``.
        initial_value_threshold: the "best" value to beat before the first save.
        period: (deprecated) save every ``period`` epochs.

    Raises:
        ValueError: a ``save_freq`` that is neither ``"epoch"`` nor an int.

    >>> saver = ModelCheckpoint("training_1/cp.ckpt", save_weights_only=True)
    >>> # model.fit(x, y, epochs=10, callbacks=[saver])
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        options=None,
        initial_value_threshold=None,
        **kwargs,
    ):
        super().__init__()
        unknown = set(kwargs) - {"period", "load_weights_on_restart"}
        if unknown:
            raise TypeError(f"ModelCheckpoint got unexpected keyword arguments: {sorted(unknown)}.")
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, (int, np.integer))
        ):
            raise ValueError(
                f'Unrecognized save_freq: {save_freq}. Expected save_freq are "epoch" or integer'
            )
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self.options = options
        self.period = kwargs.get("period", 1)
        self.load_weights_on_restart = kwargs.get("load_weights_on_restart", False)
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"ModelCheckpoint mode {mode} is unknown, fallback to auto mode.", stacklevel=2
            )
            mode = "auto"
        if mode == "auto":
            mode = "max" if "acc" in monitor or monitor.startswith("fmeasure") else "min"
        self.monitor_op = np.greater if mode == "max" else np.less
        if initial_value_threshold is None:
            initial_value_threshold = -np.inf if mode == "max" else np.inf
        self.best = initial_value_threshold
        self.epochs_since_last_save = 0
        self._batches_since_last_save = 0
        self._last_batch_seen = -1
        self._current_epoch = 0

    def _implements_train_batch_hooks(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_begin(self, logs=None):
        if self.load_weights_on_restart:
            latest = self._latest_saved_file()
            if latest is not None:
                self.model.load_weights(latest)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # A batch index that did not grow means a new epoch began.
        seen = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_since_last_save += seen
        if self._batches_since_last_save >= self.save_freq:
            self._batches_since_last_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_since_last_save += 1
        if self.save_freq == "epoch" and self.epochs_since_last_save >= self.period:
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = {key: _python_value(value) for key, value in (logs or {}).items()}
        self.epochs_since_last_save = 0
        filepath = self._file_path(epoch, batch, logs)
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if os.path.isdir(filepath) and self.save_weights_only:
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. "
                f"Filepath used is an existing directory: {filepath}"
            )
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            self._write(filepath)
            return
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Can save best model only with {self.monitor} available, skipping.", stacklevel=3
            )
        elif self.monitor_op(current, self.best):
            if self.verbose > 0:
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from "
                    f"{self.best:.5f} to {current:.5f}, saving model to {filepath}"
                )
            self.best = current
            self._write(filepath)
        elif self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")

    def _write(self, filepath):
        extra = {} if self.options is None else {"options": self.options}
        # Under a multi-worker strategy only the chief's file stays: the others write to
        # a temporary folder and remove it, as tf_keras does.
        strategy = distributed_training_utils.strategy_of(self.model)
        write_path = distributed_file_utils.write_filepath(filepath, strategy)
        if write_path != filepath:
            os.makedirs(os.path.dirname(write_path), exist_ok=True)
        try:
            if self.save_weights_only:
                self.model.save_weights(write_path, overwrite=True, **extra)
            else:
                self.model.save(write_path, overwrite=True, **extra)
        finally:
            distributed_file_utils.remove_temp_dir_with_filepath(filepath, strategy)

    def _file_path(self, epoch, batch, logs):
        fields = dict(logs)
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(epoch=epoch + 1, **fields)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}'
            ) from None

    def _latest_saved_file(self):
        """The most recently written file the pattern names (checkpoint prefixes by
        their ``.index`` file), or None."""
        from tensorflux.train.checkpoint_management import latest_checkpoint

        folder = os.path.dirname(self.filepath) or "."
        latest = latest_checkpoint(folder)
        if latest is not None:
            return latest
        candidates = []
        for name in os.listdir(folder) if os.path.isdir(folder) else ():
            path = os.path.join(folder, name)
            if path.endswith(".index"):
                path = path[: -len(".index")]
            if _matches_pattern(os.path.basename(self.filepath), os.path.basename(path)):
                candidates.append(
                    (os.path.getmtime(path if os.path.exists(path) else path + ".index"), path)
                )
        return max(candidates)[1] if candidates else None


def _matches_pattern(pattern, name):
    parts = re.split(r"\{[^}]*\}", pattern)
    return re.fullmatch(".*".join(re.escape(part) for part in parts), name) is not None


def _python_value(value):
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value.item() if isinstance(value, np.generic) else value
