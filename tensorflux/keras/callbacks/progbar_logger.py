"""``tf.keras.callbacks.ProgbarLogger``: prints the progress bar of fit/evaluate/predict."""

from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.utils.io_utils import print_msg
from tensorflux.keras.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints ``Epoch 1/10`` and a :class:`~tensorflux.keras.utils.Progbar` per epoch.

    ``fit`` adds one (counting steps) when ``verbose`` is not 0. Its verbosity and
    target come from the run's params: ``verbose`` 1 draws the bar, 2 prints one
    line per epoch; ``steps`` None means the number of steps is learnt at the end
    of the first epoch. Validation inside ``fit`` is silent.

    Args:
        count_mode: ``"steps"`` (batches) or ``"samples"`` (then batch logs carry
            the batch size under ``"size"``).
        stateful_metrics: names shown as given rather than averaged over the
            epoch; the model's ``metrics`` names are added to them.

    Raises:
        ValueError: for another ``count_mode``.
    """

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError(
                f'Unknown `count_mode`: {count_mode}. Expected values are ["samples", "steps"]'
            )
        self.use_steps = count_mode == "steps"
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps" if self.use_steps else "samples")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start_progbar()

    def on_predict_begin(self, logs=None):
        self._start_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._start_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)  # the batch outputs are not metrics

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(logs)

    def _start_progbar(self):
        self.seen = 0
        metrics = getattr(self.model, "metrics", None) or []
        self.stateful_metrics |= {m.name for m in metrics}
        self.progbar = Progbar(
            target=self.target,
            verbose=self.verbose,
            stateful_metrics=self.stateful_metrics,
            unit_name="step" if self.use_steps else "sample",
        )

    def _update(self, batch, logs):
        if batch == 0:
            # The compiled metrics exist only once the first step has run: show them
            # as given (not averaged) from the first update on, as Keras 2 does.
            self.stateful_metrics |= {m.name for m in getattr(self.model, "metrics", [])}
            self.progbar.stateful_metrics |= self.stateful_metrics
        logs = dict(logs or {})
        if self.use_steps:
            self.seen = batch + 1
        else:
            self.seen += logs.pop("size", 0) * logs.pop("num_steps", 1)
            logs.pop("batch", None)
        if self.verbose == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finalize(self, logs):
        if self.target is None:
            # Unknown length (a generator, an unsized dataset): the first epoch
            # measures it, and later epochs show a full bar.
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
