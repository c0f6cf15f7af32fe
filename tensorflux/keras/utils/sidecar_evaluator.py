"""``keras.utils.SidecarEvaluator``: evaluates a model on each new checkpoint a training
job writes, as tf_keras' evaluator does (for a job running beside training)."""

from __future__ import annotations

import numpy as np

__all__ = ["SidecarEvaluator"]

_ITERATIONS_UNINITIALIZED = -1
_CHECKPOINT_TIMEOUT_SEC = 30


def _root_children(path: str) -> list:
    from tensorflux.train.views import CheckpointView

    return list(CheckpointView(path).children(0))


class SidecarEvaluator:
    """Waits for checkpoints in ``checkpoint_dir``, restores each into ``model`` (a
    ``tf.train.Checkpoint(model=..., optimizer=...)`` layout, or weights saved by
    ``save_weights``) and evaluates it on ``data``.

    Args:
        model: a compiled model of the training job's architecture.
        data: the evaluation data for ``model.evaluate``.
        checkpoint_dir: the folder the training job writes checkpoints to.
        steps: evaluation steps per checkpoint (None: all of ``data``).
        max_evaluations: stop after the checkpoint numbered at least this (``ckpt-N``);
            None: wait for checkpoints forever.
        callbacks: callbacks for ``model.evaluate``.
    """

    def __init__(
        self, model, data, checkpoint_dir, steps=None, max_evaluations=None, callbacks=None
    ):
        from tensorflux.framework import dtypes
        from tensorflux.framework.variables import Variable

        self.model = model
        self.data = data
        self.checkpoint_dir = checkpoint_dir
        self._iterations = Variable(
            np.int64(_ITERATIONS_UNINITIALIZED), name="iterations", dtype=dtypes.int64
        )
        self.max_evaluations = max_evaluations
        self.steps = steps
        self.callbacks = callbacks or []

    def _timeout_fn(self) -> bool:
        # As tf_keras: keep waiting for the training job's next checkpoint.
        return False

    def start(self):
        """Evaluates each new checkpoint until ``max_evaluations`` is reached.

        Raises:
            RuntimeError: the checkpoints hold no optimizer iteration count and the model
                has no optimizer that could take it.
            tf.errors.UnavailableError: as raised while reading a checkpoint.
        """
        from tensorflux.framework.errors import OpError, UnavailableError
        from tensorflux.train.checkpoint import Checkpoint
        from tensorflux.train.checkpoint_polling import checkpoints_iterator

        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            checkpoint = Checkpoint(model=self.model, optimizer=optimizer)
        else:
            checkpoint = Checkpoint(model=self.model, optimizer=Checkpoint(iter=self._iterations))
        for latest in checkpoints_iterator(
            self.checkpoint_dir, timeout=_CHECKPOINT_TIMEOUT_SEC, timeout_fn=self._timeout_fn
        ):
            try:
                checkpoint.restore(latest).expect_partial()
                if "model" not in _root_children(latest):
                    self.model.load_weights(latest)
            except OpError as error:
                if isinstance(error, UnavailableError):
                    raise
                continue
            if optimizer is None and int(self._iterations.numpy()) == _ITERATIONS_UNINITIALIZED:
                raise RuntimeError(
                    "Variable `iterations` cannot be loaded from the checkpoint file at "
                    f"{self.checkpoint_dir}. Please ensure `iterations` is included in the "
                    "checkpoint saved during training."
                )
            self.model.evaluate(self.data, steps=self.steps, callbacks=self.callbacks, verbose=2)
            if self.max_evaluations and self.max_evaluations <= int(latest.split("-")[-1]):
                return
