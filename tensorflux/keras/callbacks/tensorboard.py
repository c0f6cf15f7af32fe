"""``tf.keras.callbacks.TensorBoard``: training logs as TensorBoard event files.

The runs, tags and steps are tf_keras 2.21's: ``<log_dir>/train`` and
``<log_dir>/validation`` hold ``epoch_<metric>`` scalars at each epoch (plus
``epoch_learning_rate`` under a learning-rate schedule), ``validation`` also holds
``evaluation_<metric>_vs_iterations`` at the optimizer's iteration, ``train`` holds the
``keras`` model config (plugin ``graph_keras_model``), the train step's graph when fit
calls batch hooks (as a progress bar makes it) and, with ``histogram_freq``, one
``<weight name>/histogram`` per weight (``dense/kernel_0/histogram``).
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras.callbacks.callback import Callback
from tensorflux.keras.distribute import distributed_file_utils, distributed_training_utils
from tensorflux.ops.logic_ops import equal
from tensorflux.summary import summary_ops, trace
from tensorflux.summary.event_file import encode_metadata
from tensorflux.summary.writer import create_file_writer, record_if

_LEGACY_KWARGS = {
    "write_grads": "`write_grads` will be ignored in TensorFlow 2.0 for the `TensorBoard` "
    "Callback.",
    "batch_size": "`batch_size` is no longer needed in the `TensorBoard` Callback and will "
    "be ignored in TensorFlow 2.0.",
    "embeddings_layer_names": "`embeddings_layer_names` is not supported in TensorFlow "
    "2.0. Instead, all `Embedding` layers will be visualized.",
    "embeddings_data": "`embeddings_data` is not supported in TensorFlow 2.0. Instead, all "
    "`Embedding` variables will be visualized.",
}
# The one Embedding variable a Keras checkpoint names this way (the projector reads it).
_EMBEDDING_TENSOR = "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"


def _value(x):
    if isinstance(x, Tensor) or hasattr(x, "numpy"):
        return x.numpy()
    return np.asarray(x)


def _pbtxt_string(text: str) -> str:
    """A string as protobuf's text format quotes it (C escapes)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in "\"'\\":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


class TensorBoard(Callback):
    """Writes TensorBoard logs: epoch (or batch) metrics, weight histograms and images,
    the model's config, and a projector config for ``Embedding`` layers.

    Args:
        log_dir: the run's directory; ``train/`` and ``validation/`` go under it.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model's Keras config (tag ``keras``) when the model is
            set (Functional and Sequential models, as tf_keras).
        write_images: write the weights as images too (with ``histogram_freq``).
        write_steps_per_second: log training speed per epoch and per batch.
        update_freq: ``"epoch"``, ``"batch"`` or N: write ``batch_<metric>`` scalars
            every N training steps (when fit calls batch hooks) and record summaries
            written inside the model every N steps.
        profile_batch: validated as tf_keras does (an int, a pair, or ``"a,b"``);
            tensorflux has no profiler, so no profile is written.
        embeddings_freq: save the weights for the Embedding projector every this many
            epochs (0: never).
        embeddings_metadata: a metadata file path for all Embedding layers, or a dict
            ``{layer name: path}``.

    Raises:
        ValueError: unknown keyword arguments, a bad ``profile_batch``, or
            ``embeddings_metadata`` naming layers that are not Embedding layers.

    >>> tensorboard = TensorBoard(log_dir="logs", histogram_freq=1)
    >>> # model.fit(x, y, callbacks=[tensorboard])
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
        **kwargs,
    ):
        super().__init__()
        self._validate_kwargs(kwargs)
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._init_profile_batch(profile_batch)
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers = {}
        self._prev_summary_state = []
        # Steps trained in this fit: optimizer iterations minus their count at the start
        # (tf_keras' train counter), both read when a traced step records summaries.
        self._iterations_at_start = Variable(0, dtype=dtypes.int64, trainable=False)
        self._zero = Tensor(np.array(0, dtype=np.int64), dtypes.int64)

    @staticmethod
    def _validate_kwargs(kwargs):
        for key, message in _LEGACY_KWARGS.items():
            if kwargs.get(key, False):
                warnings.warn(message, stacklevel=3)
        unrecognized = set(kwargs) - set(_LEGACY_KWARGS)
        if unrecognized:
            raise ValueError(
                f"Unrecognized arguments in `TensorBoard` Callback: {unrecognized}. "
                f"Supported kwargs are: {set(_LEGACY_KWARGS)}"
            )

    def _init_profile_batch(self, profile_batch):
        message = (
            "profile_batch must be a non-negative integer or 2-tuple of positive integers. "
            "A pair of positive integers signifies a range of batches to profile. "
            f"Found: {profile_batch}"
        )
        if isinstance(profile_batch, str):
            try:
                profile_batch = [int(part) for part in profile_batch.split(",")]
            except ValueError:
                raise ValueError(message) from None
            if len(profile_batch) == 1:
                profile_batch = profile_batch[0]
        if isinstance(profile_batch, int) and not isinstance(profile_batch, bool):
            start = stop = profile_batch
        elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
            start, stop = profile_batch
        else:
            raise ValueError(message)
        if start < 0 or stop < start:
            raise ValueError(message)
        self._start_batch, self._stop_batch = start, stop
        self._should_trace = not (start == 0 and stop == 0)

    # -- writers ---------------------------------------------------------------------

    def set_model(self, model):
        """Sets the model; writes its Keras config (``write_graph``) and the projector
        config (``embeddings_freq``)."""
        self.model = model
        # Under a multi-worker strategy only the chief's logs stay (the others write to
        # a temporary folder, removed at the end of training), as tf_keras does.
        self._strategy = distributed_training_utils.strategy_of(model)
        self._log_write_dir = distributed_file_utils.write_dirpath(self.log_dir, self._strategy)
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._writers = {}
        self._should_write_train_graph = False
        if self.write_graph:
            self._write_keras_model_summary()
            self._should_write_train_graph = True
        if self.embeddings_freq:
            self._configure_embeddings()

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = create_file_writer(self._val_dir)
        return self._writers["val"]

    def _write_keras_model_summary(self):
        from tensorflux.keras.models.functional import Functional

        if not isinstance(self.model, Functional):
            return
        with self._train_writer.as_default(), record_if(True):
            meta = encode_metadata("graph_keras_model", b"1")
            summary_ops.write("keras", self.model.to_json(), step=0, metadata=meta)

    def _write_keras_model_train_graph(self):
        """The traced train step's graph (a GraphDef event), once it has run."""
        traced = list(getattr(self.model.train_function, "_cache", {}).values())
        if traced:
            with self._train_writer.as_default(), record_if(True):
                trace.graph(traced[0].graph)

    def _configure_embeddings(self):
        from tensorflux.keras.layers.core.embedding import Embedding

        metadata = self.embeddings_metadata
        pending = dict(metadata) if isinstance(metadata, dict) else None
        entries = []
        for layer in self.model.layers:
            if not isinstance(layer, Embedding):
                continue
            entry = f"embeddings {{\n  tensor_name: {_pbtxt_string(_EMBEDDING_TENSOR)}\n"
            path = metadata if isinstance(metadata, str) else None
            if pending is not None and layer.name in pending:
                path = pending.pop(layer.name)
            if path is not None:
                entry += f"  metadata_path: {_pbtxt_string(path)}\n"
            entries.append(entry + "}\n")
        if pending:
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                f"`embeddings_metadata` argument: {pending.keys()}"
            )
        os.makedirs(self._log_write_dir, exist_ok=True)
        path = os.path.join(self._log_write_dir, "projector_config.pbtxt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(entries))

    def _push_writer(self, writer, step):
        """Makes ``writer`` the default, recording every ``update_freq`` steps, for the
        batch scalars and the summaries a model writes while it runs."""
        if self.update_freq == "epoch":
            return
        frequency = self.update_freq

        def should_record():
            return equal(step() % frequency, 0)

        contexts = (writer.as_default(int(_value(step()))), record_if(should_record))
        self._prev_summary_state.append(contexts)
        contexts[0].__enter__()
        contexts[1].__enter__()

    def _pop_writer(self):
        if self.update_freq == "epoch":
            return
        writer_context, record_context = self._prev_summary_state.pop()
        record_context.__exit__(None, None, None)
        writer_context.__exit__(None, None, None)

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def _train_step(self):
        """Training steps run in this fit (an int64 tensor)."""
        iterations = self.model.optimizer.iterations
        return iterations.read_value() - self._iterations_at_start.read_value()

    # -- hooks -----------------------------------------------------------------------

    def _implements_train_batch_hooks(self):
        # As tf_keras: batch hooks only for the profiler's range or the speed scalars;
        # batch_* scalars appear when another callback (a progress bar) asks for them.
        return self._should_trace or self.write_steps_per_second

    def _implements_test_batch_hooks(self):
        return False

    def _implements_predict_batch_hooks(self):
        return False

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._iterations_at_start.assign(int(_value(self.model.optimizer.iterations)))
        self._push_writer(self._train_writer, self._train_step)

    def on_train_end(self, logs=None):
        self._pop_writer()
        self._close_writers()
        distributed_file_utils.remove_temp_dirpath(self.log_dir, self._strategy)

    def on_test_begin(self, logs=None):
        # fit gives no count of evaluation steps: the validation run records at step 0.
        self._push_writer(self._val_writer, lambda: self._zero)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "iterations"):
            step = int(_value(optimizer.iterations))
            with record_if(True), self._val_writer.as_default():
                for name, value in (logs or {}).items():
                    summary_ops.scalar(f"evaluation_{name}_vs_iterations", value, step=step)
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_write_train_graph:
            self._write_keras_model_train_graph()
            self._should_write_train_graph = False
        step = int(_value(self._train_step()))
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            summary_ops.scalar("batch_steps_per_second", 1.0 / elapsed, step=step)
        if isinstance(logs, dict):
            for name, value in logs.items():
                summary_ops.scalar("batch_" + name, value, step=step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = int(_value(self.model.optimizer.iterations))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        """Writes the epoch's metrics, and histograms/embeddings when due."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)

    # -- what is written -------------------------------------------------------------

    def _collect_learning_rate(self, logs):
        from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
            LearningRateSchedule,
        )

        optimizer = self.model.optimizer
        schedule = getattr(optimizer, "_learning_rate", None)
        if isinstance(schedule, LearningRateSchedule):
            logs["learning_rate"] = schedule(optimizer.iterations)
        return logs

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            done = int(_value(self.model.optimizer.iterations)) - self._previous_epoch_iterations
            train_logs["steps_per_second"] = done / (time.time() - self._epoch_start_time)
        with record_if(True):
            if train_logs:
                with self._train_writer.as_default():
                    for name, value in train_logs.items():
                        summary_ops.scalar("epoch_" + name, value, step=epoch)
            if val_logs:
                with self._val_writer.as_default():
                    for name, value in val_logs.items():
                        summary_ops.scalar("epoch_" + name, value, step=epoch)

    def _log_weights(self, epoch):
        with self._train_writer.as_default(), record_if(True):
            for layer in self.model.layers:
                for weight in layer.weights:
                    name = weight.name.replace(":", "_")
                    summary_ops.histogram(name + "/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(_value(weight), name + "/image", epoch)
            self._train_writer.flush()

    def _log_weight_as_image(self, weight: np.ndarray, name: str, epoch: int):
        """A weight as an image: a bias as one row, a Dense kernel wider than tall, each
        conv kernel's output channel as a separate image (as tf_keras)."""
        image = np.squeeze(weight)
        if image.ndim == 1:
            image = image.reshape(1, image.shape[0], 1, 1)
        elif image.ndim == 2:
            if image.shape[0] > image.shape[1]:
                image = image.T
            image = image.reshape(1, image.shape[0], image.shape[1], 1)
        elif image.ndim == 3:
            from tensorflux.keras.backend import image_data_format

            if image_data_format() == "channels_last":
                image = np.transpose(image, (2, 0, 1))
            image = image.reshape(image.shape + (1,))
        if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
            summary_ops.image(name, image, step=epoch)

    def _log_embeddings(self, epoch):
        path = os.path.join(self._log_write_dir, "train", f"keras_embedding.ckpt-{epoch}")
        self.model.save_weights(path)
