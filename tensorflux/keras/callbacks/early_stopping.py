"""``tf.keras.callbacks.EarlyStopping``."""

import warnings

import numpy as np

from tensorflux.keras.callbacks._monitor import monitor_value
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.utils.io_utils import print_msg


class EarlyStopping(Callback):
    """Stops training when a monitored metric has stopped improving.

    After each epoch the ``monitor`` value is compared with the best one so far;
    an improvement must beat it by more than ``min_delta``. After ``patience``
    epochs without one, ``model.stop_training`` is set, and the trainer ends the
    run after this epoch.

    Args:
        monitor: the ``logs`` key to watch (``"val_loss"``, ``"val_accuracy"``...).
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement after which training stops.
        verbose: 1 prints ``Epoch N: early stopping`` (and the weight restoring).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (max for names ending in
            ``acc``, ``accuracy`` or ``auc``, min otherwise).
        baseline: a value to reach: epochs that do not beat it count against
            ``patience`` even when they improve on the best.
        restore_best_weights: put back the weights of the best epoch when
            training ends (or of the first watched epoch if none improved).
        start_from_epoch: epochs to wait before watching (a warm-up).

    >>> stopper = EarlyStopping(monitor="val_loss", patience=3)
    >>> # model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[stopper])
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"EarlyStopping mode {mode} is unknown, fallback to auto mode.", stacklevel=2
            )
            mode = "auto"
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        if mode == "auto":
            mode = "max" if monitor.endswith(("acc", "accuracy", "auc")) else "min"
        self.monitor_op = np.greater if mode == "max" else np.less
        # Signed so that `value - min_delta` must beat the best in either direction.
        self.min_delta = abs(min_delta) if mode == "max" else -abs(min_delta)
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if mode == "min" else -np.inf
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # Reset so that one instance can serve several fits.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self.monitor_op is np.less else -np.inf
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = monitor_value(logs, self.monitor, "Early stopping")
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def _is_improvement(self, value, reference):
        return bool(self.monitor_op(value - self.min_delta, reference))
