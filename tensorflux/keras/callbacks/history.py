"""``tf.keras.callbacks.History``: what ``fit`` returns."""

from tensorflux.keras.callbacks.callback import Callback


class History(Callback):
    """Records the logs of every epoch; ``fit`` adds one and returns it.

    Attributes:
        history: dict from metric name to its list of per-epoch values.
        epoch: list of the epoch indices recorded by the last ``fit``.

    >>> history = History()
    >>> history.history
    {}
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        # fit makes a fresh History per call; one passed by the user to several fits
        # keeps extending `history` while `epoch` restarts, as in Keras 2.
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self
