"""``tf.keras.callbacks.CallbackList``: how a trainer drives its callbacks."""

import numpy as np

from tensorflux.framework import nest
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.callbacks.history import History
from tensorflux.keras.callbacks.progbar_logger import ProgbarLogger


def _to_python(value):
    """Tensors to NumPy, scalars to Python numbers, as Keras 2 logs are."""
    if nest.is_nested(value):
        return nest.map_structure(_to_python, value)
    if hasattr(value, "numpy"):
        value = value.numpy()
    return value.item() if np.ndim(value) == 0 and hasattr(value, "item") else value


class CallbackList(Callback):
    """Calls every hook on a list of callbacks, in order; the trainer's one door.

    ``fit`` builds it as Keras 2 does::

        callbacks = CallbackList(user_callbacks, add_history=True,
                                 add_progbar=verbose != 0, model=model,
                                 verbose=verbose, epochs=epochs, steps=steps_per_epoch)
        callbacks.on_train_begin()
        for epoch in range(epochs):
            callbacks.on_epoch_begin(epoch)
            for step in range(steps_per_epoch):
                callbacks.on_train_batch_begin(step)
                logs = train_step(...)
                callbacks.on_train_batch_end(step, logs)
                if model.stop_training: break
            epoch_logs = {**logs, **{"val_" + k: v for k, v in val_logs.items()}}
            callbacks.on_epoch_end(epoch, epoch_logs)
            if model.stop_training: break
        callbacks.on_train_end(epoch_logs)
        return model.history

    ``evaluate`` and ``predict`` do the same with ``on_test_*``/``on_predict_*`` and
    ``epochs=1``. The default ``History`` and ``ProgbarLogger`` go after the user's
    callbacks (so they see changes those make to ``logs``, such as the ``"lr"``
    that ``ReduceLROnPlateau`` adds), and are not added when the user passed one.
    Logs given to the hooks are converted once (tensors to Python numbers) and the
    same dict is passed to every callback.

    Args:
        callbacks: a callback or a (nested) list of them.
        add_history: add a ``History`` if none is in ``callbacks``; it becomes
            ``model.history``.
        add_progbar: add a ``ProgbarLogger(count_mode="steps")`` if none is there.
        model: the model, given to every callback with ``set_model``.
        **params: the run's parameters (``verbose``, ``epochs``, ``steps``), given
            to every callback with ``set_params``.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = nest.flatten(callbacks) if callbacks else []
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger(count_mode="steps")
            self.callbacks.append(self._progbar)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        """Adds a callback at the end of the list."""
        self.callbacks.append(callback)

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self):
        return len(self.callbacks)

    def set_params(self, params):
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        self.model = model
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook, *args, logs=None):
        logs = {} if logs is None else {k: _to_python(v) for k, v in logs.items()}
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)
