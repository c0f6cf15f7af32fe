"""``tf.train.load_checkpoint``, ``tf.train.list_variables`` and ``CheckpointReader``."""

from __future__ import annotations

import os

from tensorflux.train.checkpoint_management import latest_checkpoint
from tensorflux.train.tensor_bundle import read_bundle

__all__ = ["CheckpointReader", "list_variables", "load_checkpoint", "load_variable"]


class CheckpointReader:
    """Reads the tensors of one checkpoint by key, as TF's ``CheckpointReader``.

    Raises:
        tf.errors.NotFoundError: no checkpoint at the prefix.
        tf.errors.DataLossError: a truncated or corrupted checkpoint.
    """

    def __init__(self, prefix):
        self._bundle = read_bundle(prefix)

    def has_tensor(self, name) -> bool:
        """Whether the checkpoint holds ``name``."""
        return name in self._bundle

    def get_tensor(self, name):
        """The value of ``name``: a NumPy array (a NumPy scalar, or bytes, for a scalar).

        Raises:
            tf.errors.NotFoundError: no tensor of that name.
        """
        value = self._bundle.get(name)
        return value[()] if value.ndim == 0 else value

    def get_variable_to_shape_map(self) -> dict:
        """Key -> shape (a list) of every tensor."""
        return {key: self._bundle.shape(key) for key in self._bundle.keys()}

    def get_variable_to_dtype_map(self) -> dict:
        """Key -> DType of every tensor."""
        return {key: self._bundle.dtype(key) for key in self._bundle.keys()}


def _resolve(ckpt_dir_or_file) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        prefix = latest_checkpoint(path)
        if prefix is None:
            raise ValueError(
                f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}"
            )
        return prefix
    return path


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A :class:`CheckpointReader` for a checkpoint prefix, or for the latest checkpoint
    of a folder.

    Raises:
        ValueError: a folder without checkpoints.
        tf.errors.NotFoundError: no checkpoint at the prefix.

    >>> import tensorflux as tf, tempfile, os
    >>> prefix = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(
    ...     os.path.join(tempfile.mkdtemp(), "ckpt"))
    >>> tf.train.load_checkpoint(prefix).get_tensor("v/.ATTRIBUTES/VARIABLE_VALUE")
    array([1., 2.], dtype=float32)
    """
    return CheckpointReader(_resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file) -> list:
    """``(key, shape)`` of every tensor of a checkpoint, sorted by key.

    >>> import tensorflux as tf, tempfile, os
    >>> prefix = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(
    ...     os.path.join(tempfile.mkdtemp(), "ckpt"))
    >>> tf.train.list_variables(prefix)
    [('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('v/.ATTRIBUTES/VARIABLE_VALUE', [2])]
    """
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    return [(key, shapes[key]) for key in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """The value of tensor ``name`` in a checkpoint (see :func:`load_checkpoint`).

    Raises:
        tf.errors.NotFoundError: no tensor of that name.
    """
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
