"""``tf.keras.callbacks.TerminateOnNaN``."""

import numpy as np

from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.utils.io_utils import print_msg


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's loss is NaN or infinite.

    Prints ``Batch N: Invalid loss, terminating training`` and sets
    ``model.stop_training``.
    """

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
