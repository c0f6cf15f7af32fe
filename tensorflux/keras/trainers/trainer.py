"""``compile``/``fit``/``evaluate``/``predict``: the training half of ``keras.Model``.

``Trainer`` is a base class that ``Model`` mixes in. Each loop runs a step
function -- ``train_step``/``test_step``/``predict_step``, which users may
override -- wrapped once in ``tf.function`` (unless ``run_eagerly``), over the
batches of a ``DataHandler``, driving a ``CallbackList``.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from tensorflux.engine.function import function as tf_function
from tensorflux.engine.tape import GradientTape
from tensorflux.framework import nest, trackable
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.variable_creator import variable_creator_scope
from tensorflux.keras.distribute import distributed_training_utils
from tensorflux.keras.models.keras_tensor import step_values
from tensorflux.keras.trainers.compile_utils import LossesContainer, MetricsContainer
from tensorflux.keras.trainers.data_adapter import (
    DataHandler,
    check_count,
    is_source,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from tensorflux.ops import random_seed

__all__ = ["Trainer"]


def _verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if isinstance(verbose, (bool, int, np.integer)):
        return int(verbose)
    raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2, got {verbose!r}.")


class Trainer:
    """Training, evaluation and inference loops (mixed into ``keras.Model``)."""

    _compiled = False
    train_function = test_function = predict_function = None

    # -- compile ------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        loss_weights=None,
        weighted_metrics=None,
        run_eagerly=None,
        steps_per_execution=None,
        jit_compile=None,
        **kwargs,
    ):
        """Configures the model for training.

        Args:
            optimizer: an optimizer object or name (default "rmsprop", as Keras).
            loss: a loss name, function or Loss object; a list or dict for several
                outputs.
            metrics: names ("accuracy" is resolved from the data, as Keras does),
                functions or Metric objects; per output as a list of lists or a dict.
            loss_weights: scalar weights of the per-output losses.
            run_eagerly: run the steps as plain Python (for debugging).
            steps_per_execution: run this many batches per execution; batch-level
                callbacks (and the progress bar) then see one call per execution, with
                the index of its first and last batch, as in Keras. ``"auto"`` is one:
                TF tunes the number to cut its per-execution overhead, which batches
                run one by one here do not have.
            jit_compile: compile the train, test and predict steps with XLA (through
                JAX, the ``xla`` extra), as ``tf.function(jit_compile=True)``.
        """
        from tensorflux.keras import optimizers

        unknown = set(kwargs) - {"sample_weight_mode", "target_tensors", "distribute"}
        if unknown:
            raise TypeError(
                f"Invalid keyword argument(s) in `compile()`: {sorted(unknown)}. "
                f'Valid keyword arguments include "cloning", '
                f'"experimental_run_tf_function", "distribute", '
                f'"target_tensors", or "sample_weight_mode".'
            )
        strategy = distributed_training_utils.strategy_in_scope()
        if strategy is not None:
            distributed_training_utils.check_variables_in_scope(self, strategy)
            # In __dict__, past Keras' attribute tracking: a strategy is not model state.
            self.__dict__["_distribution_strategy"] = strategy
        self.optimizer = optimizers.get(optimizer)
        self._loss_scale_added_by_compile = False
        if self._dtype_policy.name == "mixed_float16":
            from tensorflux.keras.mixed_precision import LossScaleOptimizer

            # As Keras: float16 gradients underflow without loss scaling.
            if not isinstance(self.optimizer, LossScaleOptimizer):
                self.optimizer = LossScaleOptimizer(self.optimizer)
                self._loss_scale_added_by_compile = True
        # A checkpoint restored before compiling restores the optimizer now. tf_keras
        # compiles inside its distribution strategy's scope, whose variable creator makes
        # a legacy optimizer keep the saved slots until it creates them (first step).
        with variable_creator_scope(lambda next_creator, **kwargs: next_creator(**kwargs)):
            trackable.run_deferred(self)
        self.loss = loss
        names = self._output_names()
        self.compiled_loss = LossesContainer(loss, loss_weights, names)
        self.compiled_metrics = MetricsContainer(metrics, weighted_metrics, names)
        self._run_eagerly = bool(run_eagerly)
        self._steps_per_execution = _steps_per_execution(steps_per_execution)
        self._jit_compile = bool(jit_compile)
        self._compiled = True
        self.stop_training = False
        self.train_function = self.test_function = self.predict_function = None

    def _output_names(self) -> list:
        # A Sequential model that is not built yet has no outputs: it has one output.
        try:
            names = self.output_names
        except (AttributeError, TypeError, ValueError):
            names = None
        return list(names) if names else ["output_1"]

    @property
    def jit_compile(self) -> bool:
        """Whether the steps compile with XLA (``compile(jit_compile=True)``)."""
        return getattr(self, "_jit_compile", False)

    @jit_compile.setter
    def jit_compile(self, value) -> None:
        self._jit_compile = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    @property
    def distribute_strategy(self):
        """The ``tf.distribute`` strategy the model was compiled or made under, else the
        current one."""
        strategy = distributed_training_utils.strategy_of(self)
        if strategy is None:
            from tensorflux.distribute import get_strategy

            return get_strategy()
        return strategy

    @property
    def run_eagerly(self) -> bool:
        return getattr(self, "_run_eagerly", False)

    @run_eagerly.setter
    def run_eagerly(self, value) -> None:
        self._run_eagerly = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    def _assert_compiled(self) -> None:
        if not self._compiled:
            raise RuntimeError(
                "You must compile your model before training/testing. Use "
                "`model.compile(optimizer, loss)`."
            )

    @property
    def metrics(self) -> list:
        """The loss tracker(s) followed by the compiled metrics (what the logs report)."""
        if not self._compiled:
            return []
        return self.compiled_loss.metrics + self.compiled_metrics.metrics

    @property
    def metrics_names(self) -> list:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        """Resets every metric's state (done at the start of each epoch)."""
        for m in self.metrics:
            m.reset_state()

    # -- the steps ----------------------------------------------------------

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        """The compiled loss plus the model's own losses (``add_loss``, regularizers)."""
        return self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)

    def compute_metrics(self, x, y, y_pred, sample_weight) -> dict:
        """Updates the compiled metrics and returns every metric's current result."""
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data) -> dict:
        """One optimization step on a batch; returns ``{metric name: value}``.

        Override it to customise training; ``fit`` still drives callbacks and logs.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        # step_values: a loss function may read the model's own Keras tensors.
        with GradientTape() as tape, step_values():
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data) -> dict:
        """Computes the loss and metrics on a batch without training."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with step_values():
            y_pred = self(x, training=False)
            self.compute_loss(x, y, y_pred, sample_weight)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's output on a batch's inputs."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _compile_step(self, step):
        if self.run_eagerly:
            return step
        # TF traces the step once, with the batch dimension unknown; here a last partial
        # batch traces it again, and its random ops (Dropout) must draw on.
        streams = random_seed.SharedStreams()

        @functools.wraps(step)
        def step_with_shared_streams(*args, **kwargs):
            with random_seed.sharing(streams):
                return step(*args, **kwargs)

        return tf_function(
            step_with_shared_streams, reduce_retracing=True, jit_compile=self.jit_compile
        )

    def _sharded_step(self, step):
        """``step`` compiled; under a strategy, run by each of this worker's replicas on
        its shard of the batch, with the first replica's logs and the shared metrics'
        results."""
        strategy = distributed_training_utils.strategy_of(self)
        if strategy is None:
            return self._compile_step(step)
        replicated = distributed_training_utils.distributed_step(
            strategy, step, lambda: self.metrics
        )
        return distributed_training_utils.sharded(strategy, self._compile_step(replicated))

    def make_train_function(self, force=False):
        """The function ``fit`` calls on each batch (``train_step`` in a tf.function;
        under a strategy, each replica trains on its shard and the optimizer all-reduces
        the gradients, see ``Optimizer.apply_gradients``)."""
        if self.train_function is None or force:
            self.train_function = self._sharded_step(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        """The function ``evaluate`` calls on each batch (``test_step`` in a tf.function;
        under a strategy, on this worker's replicas' shards of the batch)."""
        if self.test_function is None or force:
            self.test_function = self._sharded_step(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        """The function ``predict`` calls on each batch (``predict_step`` in a
        tf.function; under a strategy, on this worker's replicas' shards of the batch,
        the workers' outputs gathered in the batch's order)."""
        if self.predict_function is None or force:
            strategy = distributed_training_utils.strategy_of(self)
            if strategy is None:
                self.predict_function = self._compile_step(self.predict_step)
            else:
                step = distributed_training_utils.distributed_predict_step(
                    strategy, self.predict_step
                )
                self.predict_function = distributed_training_utils.gathered_across_workers(
                    strategy,
                    distributed_training_utils.sharded(strategy, self._compile_step(step)),
                )
        return self.predict_function

    # -- fit ----------------------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
    ):
        """Trains the model for ``epochs`` epochs; returns its ``History``.

        Args:
            x, y: arrays or tensors (nested for several inputs/outputs), or ``x`` a
                ``tf.data.Dataset``, a generator or a ``keras.utils.Sequence`` yielding
                ``(x, y[, sample_weight])``.
            batch_size: for arrays (default 32).
            epochs: the index of the last epoch (training starts at ``initial_epoch``).
            verbose: 0 silent, 1 progress bar, 2 one line per epoch ("auto" is 1).
            callbacks: ``keras.callbacks.Callback`` objects.
            validation_split: hold out this fraction of the arrays (the last samples,
                taken before shuffling).
            validation_data: ``(x_val, y_val[, sample_weight])`` or a dataset.
            shuffle: reshuffle arrays every epoch. ``"batch"``: as tf_keras, keep runs
                of ``batch_size`` samples together, shuffle their order and, within
                each, every array separately (inputs and targets lose their pairing).
            class_weight: ``{class index: weight}`` weighting the loss per sample.
            sample_weight: per-sample weights for arrays.
            steps_per_epoch: batches per epoch (required for infinite datasets).
            validation_steps, validation_batch_size, validation_freq: how, and after
                which epochs (every n-th, or those listed), to validate.
            max_queue_size, workers, use_multiprocessing: for a ``Sequence``, the
                prefetched batches and the threads (or processes) building them.

        Returns:
            A ``History`` whose ``history`` maps "loss", the metric names and their
            "val_" versions to per-epoch values.

        Raises:
            RuntimeError: the model is not compiled.
            ValueError: inconsistent data (sample counts, ``validation_split`` with a
                dataset, an infinite dataset without ``steps_per_epoch``, ...).
        """
        from tensorflux.keras.callbacks import CallbackList

        self._assert_compiled()
        verbose = _verbose(verbose)
        epochs = check_count(epochs, "epochs")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split(
                (x, y, sample_weight), validation_split
            )
        data = DataHandler(
            x,
            y,
            sample_weight,
            batch_size,
            steps_per_epoch,
            shuffle,
            class_weight,
            epochs=epochs - initial_epoch,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            max_queue_size=max_queue_size,
        )
        val_data = None
        if validation_data is not None:
            vx, vy, vsw = (
                (validation_data, None, None)
                if is_source(validation_data)
                else unpack_x_y_sample_weight(validation_data)
            )
            val_data = DataHandler(
                vx,
                vy,
                vsw,
                validation_batch_size or batch_size,
                validation_steps,
                workers=workers,
                use_multiprocessing=use_multiprocessing,
                max_queue_size=max_queue_size,
            )
        cbs = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=data.steps_per_epoch,
        )
        train_function = self.make_train_function()
        strategy = distributed_training_utils.strategy_of(self)
        batch_hooks = _implements_batch_hooks(cbs, "train")
        self.stop_training = False
        cbs.on_train_begin()
        initial_epoch, skip_steps = self._resume_point(data, initial_epoch)
        logs = None
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            if data.insufficient_data:
                break
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            steps = 0
            batches = data.batches()
            if skip_steps:
                # The batches a backed-up run had trained on are drawn and dropped.
                batches = itertools.islice(batches, skip_steps, None)
            for first, chunk in _executions(batches, self._steps_per_execution, start=skip_steps):
                if batch_hooks:
                    cbs.on_train_batch_begin(first)
                for batch in chunk:
                    logs = train_function(batch)
                    steps += 1
                if strategy is not None:
                    logs = distributed_training_utils.synced_metric_results(
                        self.metrics, logs, strategy
                    )
                if batch_hooks:
                    cbs.on_train_batch_end(first + len(chunk) - 1, logs)
                if self.stop_training:
                    break
            if strategy is not None:
                distributed_training_utils.sum_metric_states(self.metrics, strategy)
            if logs is None:
                raise ValueError(
                    "Unexpected result of `train_function` (Empty logs). This "
                    "could be due to issues in input pipeline that resulted in "
                    "an empty dataset. Otherwise, please use "
                    "`Model.compile(..., run_eagerly=True)`, or "
                    "`tf.config.run_functions_eagerly(True)` for more "
                    "information of where went wrong."
                )
            # An epoch whose data ran out at once reports the (reset) metrics, as Keras.
            epoch_logs = dict(logs) if steps else self._metrics_result(logs)
            if val_data is not None and _should_validate(epoch, validation_freq):
                val_data.restart()
                val_logs = self._evaluate_loop(val_data, cbs)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            skip_steps = 0
            if self.stop_training:
                break
            data.end_epoch()
        cbs.on_train_end(epoch_logs)
        return self.history

    def _resume_point(self, data: DataHandler, initial_epoch: int):
        """``(epoch, step)`` to start at: ``initial_epoch`` and 0, or where a
        ``BackupAndRestore`` backup restored in ``on_train_begin`` left off."""
        state = self.__dict__.get("_training_state")
        point = None if state is None else state.resume_point(data.steps_per_epoch)
        if point is None:
            return initial_epoch, 0
        data.skip_epochs(point[0] - initial_epoch)
        return point

    def _metrics_result(self, logs) -> dict:
        """The metrics' current results when ``logs`` has exactly their names."""
        results = {m.name: m.result() for m in self.metrics}
        return results if set(results) == set(logs) else dict(logs)

    # -- evaluate / predict -------------------------------------------------

    def _evaluate_loop(self, data: DataHandler, cbs) -> dict:
        test_function = self.make_test_function()
        strategy = distributed_training_utils.strategy_of(self)
        batch_hooks = _implements_batch_hooks(cbs, "test")
        cbs.on_test_begin()
        self.reset_metrics()
        logs = None
        for first, chunk in _executions(data.batches(), self._steps_per_execution):
            if batch_hooks:
                cbs.on_test_batch_begin(first)
            for batch in chunk:
                logs = test_function(batch)
            if batch_hooks:
                if strategy is not None:
                    logs = distributed_training_utils.synced_metric_results(
                        self.metrics, logs, strategy
                    )
                cbs.on_test_batch_end(first + len(chunk) - 1, logs)
        if strategy is not None:
            # Each worker evaluated its shards: the metrics' states add up.
            distributed_training_utils.sum_metric_states(self.metrics, strategy)
        logs = self._metrics_result(logs or {})
        if strategy is not None:
            logs.update((m.name, m.result()) for m in self.metrics if m.name in logs)
        logs = {k: _scalar(v) for k, v in logs.items()}
        data.end_epoch()
        cbs.on_test_end(logs)
        return logs

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        return_dict=False,
        **kwargs,
    ):
        """The loss and metrics of the model on the data (one pass, or ``steps`` batches).

        Returns:
            The loss alone if there are no metrics, else ``[loss, metric, ...]`` in
            ``metrics_names`` order; a dict with ``return_dict=True``.

        Raises:
            RuntimeError: the model is not compiled.
        """
        from tensorflux.keras.callbacks import CallbackList

        self._assert_compiled()
        if kwargs:
            raise TypeError(
                f"Invalid keyword arguments: {sorted(kwargs)} passed to Model.evaluate."
            )
        verbose = _verbose(verbose)
        data = DataHandler(
            x,
            y,
            sample_weight,
            batch_size,
            steps,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            max_queue_size=max_queue_size,
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=data.steps_per_epoch,
        )
        logs = self._evaluate_loop(data, cbs)
        return logs if return_dict else self._flatten_logs(logs)

    def predict(
        self,
        x,
        batch_size=None,
        verbose="auto",
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
    ):
        """The model's outputs for ``x``, as NumPy arrays (batched internally).

        Returns:
            The batches' outputs concatenated, in the structure the model returns
            (an array, a list of arrays, a dict of arrays).
        """
        from tensorflux.keras.callbacks import CallbackList

        verbose = _verbose(verbose)
        data = DataHandler(
            x,
            None,
            None,
            batch_size,
            steps,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            max_queue_size=max_queue_size,
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=data.steps_per_epoch,
        )
        predict_function = self.make_predict_function()
        batch_hooks = _implements_batch_hooks(cbs, "predict")
        cbs.on_predict_begin()
        outputs = []
        spe = getattr(self, "_steps_per_execution", 1)
        for first, chunk in _executions(data.batches(), spe):
            if batch_hooks:
                cbs.on_predict_batch_begin(first)
            chunk_outputs = [predict_function(batch) for batch in chunk]
            outputs.extend(chunk_outputs)
            if batch_hooks:
                cbs.on_predict_batch_end(
                    first + len(chunk) - 1, {"outputs": _concat(chunk_outputs)}
                )
        data.end_epoch()
        cbs.on_predict_end()
        if not outputs:
            raise ValueError(
                "Unexpected result of `predict_function` (Empty batch_outputs). "
                "Please use `Model.compile(..., run_eagerly=True)`, or "
                "`tf.config.run_functions_eagerly(True)` for more information "
                "of where went wrong."
            )
        if len(outputs) == 1:
            return nest.map_structure(_numpy, outputs[0])
        return nest.map_structure(
            lambda *parts: np.concatenate([_numpy(p) for p in parts]), *outputs
        )

    # -- single batches -----------------------------------------------------

    def train_on_batch(
        self,
        x,
        y=None,
        sample_weight=None,
        class_weight=None,
        reset_metrics=True,
        return_dict=False,
    ):
        """One training step on one batch; returns the loss (and metrics) as ``evaluate``.

        Args:
            reset_metrics: False keeps accumulating the metrics over calls.
        """
        self._assert_compiled()
        return self._on_batch(
            self.make_train_function(),
            x,
            y,
            sample_weight,
            class_weight,
            reset_metrics,
            return_dict,
        )

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        """The loss (and metrics) on one batch, without training."""
        self._assert_compiled()
        return self._on_batch(
            self.make_test_function(), x, y, sample_weight, None, reset_metrics, return_dict
        )

    def predict_on_batch(self, x):
        """The model's outputs on one batch, as NumPy arrays."""
        data = DataHandler(x, None, None, batch_size=_batch_of(x))
        return nest.map_structure(_numpy, self.make_predict_function()(next(data.batches())))

    def _on_batch(
        self, step_function, x, y, sample_weight, class_weight, reset_metrics, return_dict
    ):
        if reset_metrics:
            self.reset_metrics()
        data = DataHandler(x, y, sample_weight, batch_size=_batch_of(x), class_weight=class_weight)
        logs = step_function(next(data.batches()))
        strategy = distributed_training_utils.strategy_of(self)
        if strategy is not None:
            logs = distributed_training_utils.synced_metric_results(self.metrics, logs, strategy)
        logs = {k: _scalar(v) for k, v in logs.items()}
        return logs if return_dict else self._flatten_logs(logs)

    def _flatten_logs(self, logs: dict):
        """``logs`` as a list in ``metrics_names`` order, then other keys sorted; a single
        value alone (what ``evaluate`` returns without ``return_dict``)."""
        names = self.metrics_names
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values


def _concat(outputs):
    """The batch outputs of one execution joined along the batch axis."""
    if len(outputs) == 1:
        return outputs[0]
    return nest.map_structure(lambda *parts: np.concatenate([p._value for p in parts]), *outputs)


def _steps_per_execution(value) -> int:
    """``compile``'s ``steps_per_execution`` as a number of batches (None, 0 and
    ``"auto"``: one), with TF's errors.

    Raises:
        TypeError: not an integer (nor ``"auto"``).
        ValueError: a negative number.
    """
    if value is None or (isinstance(value, str) and value == "auto"):
        return 1
    if not isinstance(value, (int, np.integer)):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int64")
    if value < 0:
        raise ValueError(f"Expected steps_per_execution to be positive. Received is {value}.")
    return max(int(value), 1)


def _executions(batches, size: int, start: int = 0):
    """``(index of the first batch, batches)`` per execution of ``size`` batches, the
    first batch numbered ``start``."""
    chunk, first = [], start
    for step, batch in enumerate(batches, start):
        if not chunk:
            first = step
        chunk.append(batch)
        if len(chunk) == size:
            yield first, chunk
            chunk = []
    if chunk:
        yield first, chunk


def _implements_batch_hooks(cbs, mode: str) -> bool:
    """Whether any callback overrides a batch hook of ``mode`` (else fit skips calling them,
    and converting the logs for them, on every step -- as Keras does)."""
    from tensorflux.keras.callbacks import Callback

    hooks = [f"on_{mode}_batch_begin", f"on_{mode}_batch_end"]
    if mode == "train":
        hooks += ["on_batch_begin", "on_batch_end"]

    def wants(callback) -> bool:
        # A callback whose batch hooks act only in some configurations says so (e.g.
        # ModelCheckpoint saving per epoch), as Keras' _implements_*_batch_hooks.
        declared = getattr(callback, f"_implements_{mode}_batch_hooks", None)
        if declared is not None:
            return declared()
        return any(getattr(type(callback), h) is not getattr(Callback, h) for h in hooks)

    return any(wants(c) for c in cbs)


def _batch_of(x) -> int:
    first = nest.flatten(x)[0]
    return int(np.shape(first)[0]) if np.ndim(first) else 1


def _numpy(value):
    return value._value if isinstance(value, Tensor) else np.asarray(value)


def _scalar(value):
    if isinstance(value, Tensor):
        value = value._value
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def _should_validate(epoch: int, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq
