"""``tf.keras.callbacks.SidecarEvaluatorModelExport``."""

import os
import re

from tensorflux.keras.callbacks.model_checkpoint import ModelCheckpoint, _matches_pattern


def _most_recent_matching(pattern: str):
    """The newest checkpoint or file whose name fits ``pattern`` (``{...}`` fields match
    anything): the folder's latest TF checkpoint when it fits, else the most recently
    modified match, or None."""
    from tensorflux.train.checkpoint_management import latest_checkpoint

    folder, base = os.path.split(pattern)
    folder = folder or "."
    latest = latest_checkpoint(folder)
    if latest is not None and _matches_pattern(base, os.path.basename(latest)):
        return latest
    candidates = []
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        if _matches_pattern(base, name):
            path = os.path.join(folder, name)
            candidates.append((os.path.getmtime(path), path))
    return max(candidates)[1] if candidates else None


class SidecarEvaluatorModelExport(ModelCheckpoint):
    """Saves the model when an evaluation finds it the best so far, named after the
    training epoch of the checkpoint being evaluated.

    A ``ModelCheckpoint`` with ``save_best_only=True`` that saves at the end of each
    evaluation (``on_test_end``) instead of each epoch. Before an evaluation it finds the
    newest checkpoint matching ``checkpoint_filepath`` (the pattern the training side's
    ``ModelCheckpoint`` wrote, ending in ``ckpt-{epoch:04d}``); the epoch number in that
    name fills ``{epoch}`` of ``export_filepath``.

    Args:
        export_filepath: where the best model (or weights) is saved; may hold
            ``{epoch:04d}`` and log keys.
        checkpoint_filepath: the training checkpoints' path pattern.
        **kwargs: ``ModelCheckpoint`` arguments (``monitor``, ``mode``,
            ``save_weights_only``, ``verbose``...).

    >>> export = SidecarEvaluatorModelExport(
    ...     export_filepath="best/best-{epoch:04d}",
    ...     checkpoint_filepath="ckpt/ckpt-{epoch:04d}",
    ...     monitor="loss",
    ...     save_weights_only=True,
    ... )
    """

    def __init__(self, export_filepath, checkpoint_filepath, **kwargs):
        super().__init__(filepath=export_filepath, save_best_only=True, **kwargs)
        self._checkpoint_filepath = os.fspath(checkpoint_filepath)
        self.export_index = 0

    def on_test_begin(self, logs=None):
        """Takes the epoch to export under from the newest training checkpoint."""
        latest = _most_recent_matching(self._checkpoint_filepath)
        match = re.match(r".*ckpt-(?P<ckpt>\d+)", latest) if latest is not None else None
        self.export_index = int(match["ckpt"]) - 1 if match else 0

    def on_test_end(self, logs=None):
        """Saves the model if this evaluation's ``monitor`` value is the best yet."""
        self.epochs_since_last_save += 1
        self._save(self.export_index, None, logs)
