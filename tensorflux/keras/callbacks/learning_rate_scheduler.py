"""``tf.keras.callbacks.LearningRateScheduler``."""

import inspect

import numpy as np

from tensorflux.keras.callbacks._monitor import get_learning_rate, set_learning_rate
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.utils.io_utils import print_msg


def _takes_learning_rate(schedule):
    """Whether ``schedule`` is ``f(epoch, lr)`` rather than the older ``f(epoch)``."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):
        return True
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of each epoch.

    Args:
        schedule: ``schedule(epoch, lr) -> new_lr`` (``epoch`` 0-based, ``lr`` the
            current rate as a float), or ``schedule(epoch) -> new_lr``.
        verbose: 1 prints ``Epoch N: LearningRateScheduler setting learning rate
            to X.`` each epoch.

    Raises:
        ValueError: (during fit) if ``schedule`` returns something other than a
            float or a floating tensor.

    The rate of each epoch is added to the epoch logs as ``"lr"``.

    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = LearningRateScheduler(schedule)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if _takes_learning_rate(self.schedule):
            lr = float(get_learning_rate(optimizer, "LearningRateScheduler"))
            lr = self.schedule(epoch, lr)
        else:
            lr = self.schedule(epoch)
        if hasattr(lr, "numpy"):
            if not lr.dtype.is_floating:
                raise ValueError(f"The dtype of `lr` Tensor should be float. Got: {lr.dtype}")
        elif not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f'The output of the "schedule" function should be float. Got: {lr}')
        set_learning_rate(
            optimizer, lr.numpy() if hasattr(lr, "numpy") else lr, "LearningRateScheduler"
        )
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = get_learning_rate(self.model.optimizer, "LearningRateScheduler")
