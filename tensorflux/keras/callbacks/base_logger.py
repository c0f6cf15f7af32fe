"""``tf.keras.callbacks.BaseLogger``."""

from tensorflux.keras.callbacks.callback import Callback


class BaseLogger(Callback):
    """Averages batch metrics over an epoch (Keras 1's logger, kept for old code).

    Each batch's logs are weighted by their ``size`` entry (times ``num_steps``, 1 if
    absent); at the epoch's end each metric named in ``params["metrics"]`` is replaced
    in the epoch logs by its weighted mean, or by its last value for the
    ``stateful_metrics``. ``fit`` reports running means itself and gives no ``size``
    nor ``params["metrics"]``, so there this callback leaves the logs as they are.

    Args:
        stateful_metrics: names of metrics logged as-is rather than averaged.

    >>> logger = BaseLogger(stateful_metrics=["acc"])
    """

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        batch_size = logs.get("size", 0)
        self.seen += batch_size * logs.get("num_steps", 1)
        for key, value in logs.items():
            if key in self.stateful_metrics:
                self.totals[key] = value
            else:
                self.totals[key] = self.totals.get(key, 0) + value * batch_size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for key in self.params.get("metrics", ()):
            if key not in self.totals:
                continue
            if key in self.stateful_metrics:
                logs[key] = self.totals[key]
            elif self.seen:
                logs[key] = self.totals[key] / self.seen
