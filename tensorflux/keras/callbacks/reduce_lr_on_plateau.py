"""``tf.keras.callbacks.ReduceLROnPlateau``."""

import warnings

import numpy as np

from tensorflux.keras.callbacks._monitor import (
    get_learning_rate,
    monitor_value,
    set_learning_rate,
)
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.utils.io_utils import print_msg


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by ``factor`` when a metric stops improving.

    Args:
        monitor: the ``logs`` key to watch.
        factor: the multiplier, below 1 (``new_lr = lr * factor``).
        patience: epochs without improvement before the rate is reduced.
        verbose: 1 prints ``Epoch N: ReduceLROnPlateau reducing learning rate to X.``
        mode: ``"min"``, ``"max"`` or ``"auto"`` (max when the name contains
            ``acc``, min otherwise).
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the rate is never reduced below this.
        **kwargs: ``epsilon``, the old name of ``min_delta``.

    Raises:
        ValueError: if ``factor >= 1``.

    The current rate is added to the epoch logs as ``"lr"``.

    >>> reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5)
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0,
        **kwargs,
    ):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}")
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warnings.warn(
                "`epsilon` argument is deprecated and will be removed, use `min_delta` instead.",
                stacklevel=2,
            )
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected arguments: {sorted(kwargs)}")
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"Learning rate reduction mode {mode} is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.mode = mode
        self._reset()

    def _reset(self):
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op = lambda a, b: np.less(a, b - self.min_delta)
            self.best = np.inf
        else:
            self.monitor_op = lambda a, b: np.greater(a, b + self.min_delta)
            self.best = -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = get_learning_rate(self.model.optimizer, "ReduceLROnPlateau")
        current = monitor_value(logs, self.monitor, "Learning rate reduction is")
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    def _reduce(self, epoch):
        old_lr = get_learning_rate(self.model.optimizer, "ReduceLROnPlateau")
        if old_lr <= np.float32(self.min_lr):
            return
        # In the rate's own dtype, as NumPy 2 computes float32 * float (NumPy 1 would widen).
        new_lr = max(old_lr * old_lr.dtype.type(self.factor), self.min_lr)
        set_learning_rate(self.model.optimizer, new_lr, "ReduceLROnPlateau")
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        self.cooldown_counter = self.cooldown
        self.wait = 0

    def in_cooldown(self):
        """Whether the callback is waiting after a reduction."""
        return self.cooldown_counter > 0
