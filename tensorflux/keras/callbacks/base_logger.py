"""``tf.keras.callbacks.BaseLogger``."""

from tensorflux.keras.callbacks.callback import Callback


class BaseLogger(Callback):
    """Averages the batch logs over each epoch, weighted by the batch ``size`` log,
    and writes the averages of the names in ``params["metrics"]`` into the epoch's
    logs (Keras 2 no longer adds it to ``fit``, whose params have no ``"metrics"``).

    Args:
        stateful_metrics: names whose last batch value is kept instead of averaged.

    >>> logger = BaseLogger()
    >>> logger.set_params({"metrics": ["loss"]})
    >>> logger.on_epoch_begin(0)
    >>> logger.on_batch_end(0, {"size": 1, "loss": 1.0})
    >>> logger.on_batch_end(1, {"size": 3, "loss": 2.0})
    >>> logs = {}
    >>> logger.on_epoch_end(0, logs)
    >>> logs
    {'loss': 1.75}
    """

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        # With steps_per_execution a log covers ``num_steps`` batches.
        self.seen += size * logs.get("num_steps", 1)
        for key, value in logs.items():
            if key in self.stateful_metrics:
                self.totals[key] = value
            else:
                self.totals[key] = self.totals.get(key, 0) + value * size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for key in self.params["metrics"]:
            if key in self.totals:
                total = self.totals[key]
                logs[key] = total if key in self.stateful_metrics else total / self.seen
