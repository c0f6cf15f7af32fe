"""``tf.keras.callbacks.Callback``: the base class of training hooks."""


class Callback:
    """Base class for objects that hook into ``fit``, ``evaluate`` and ``predict``.

    Subclasses override the hooks they need; every hook does nothing by default.
    The trainer calls them through a :class:`CallbackList` in this order::

        on_train_begin
          on_epoch_begin(epoch)
            on_train_batch_begin(batch) / on_train_batch_end(batch, logs)   per step
            [validation: on_test_begin, on_test_batch_*, on_test_end]
          on_epoch_end(epoch, logs)      logs hold "loss", metrics and "val_*" ones
        on_train_end

    ``on_batch_begin``/``on_batch_end`` are the Keras 1 names of the training
    batch hooks: the default ``on_train_batch_*`` call them, so overriding either
    works. ``logs`` values are Python numbers (running means over the epoch).

    Attributes:
        model: the model being trained, set by ``set_model``. Built-in callbacks
            use this contract: ``model.stop_training`` (bool, read by the trainer
            after each batch and epoch), ``model.get_weights()`` /
            ``model.set_weights(list)``, ``model.optimizer.learning_rate`` (a
            ``tf.Variable`` or a float attribute; ``lr`` is accepted too),
            ``model.metrics`` (objects with ``.name``, optional: the progress bar
            shows those as given instead of averaging them) and ``model.history``
            (set by ``History``).
        params: the run's parameters set by ``set_params``: ``verbose``,
            ``epochs`` and ``steps`` (steps per epoch, None if unknown).

    >>> class CountEpochs(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.seen = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.seen += 1
    """

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_params(self, params):
        """Stores the run's parameters (``verbose``, ``epochs``, ``steps``)."""
        self.params = params

    def set_model(self, model):
        """Stores the model the callback acts on."""
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        """Alias of ``on_train_batch_begin`` kept from Keras 1."""

    def on_batch_end(self, batch, logs=None):
        """Alias of ``on_train_batch_end`` kept from Keras 1."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (0-based ``epoch``), in training only."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its metrics (``val_*`` included)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before a training step; calls ``on_batch_begin``."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training step with the running metrics; calls ``on_batch_end``."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before an evaluation step (in ``evaluate`` and validation)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after an evaluation step with the running metrics."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a prediction step."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a prediction step; ``logs["outputs"]`` holds the batch output."""

    def on_train_begin(self, logs=None):
        """Called once when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Called once when ``fit`` ends, with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` or a validation run starts."""

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` or a validation run ends, with its metrics."""

    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends."""
