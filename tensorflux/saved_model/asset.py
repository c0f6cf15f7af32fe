"""``tf.saved_model.Asset``: a file that a SavedModel carries along.

An Asset held by a saved object (a ``tf.Module`` or Keras layer attribute) is copied
into the SavedModel's ``assets/`` directory; the functions that read its
``asset_path`` take the path as a captured input (not a constant), so after
``tf.saved_model.load`` they read the copy inside the loaded directory.
"""

from __future__ import annotations

import os

from tensorflux.engine.function_scopes import init_scope
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.tensor_conversion import register_tensor_conversion_function

__all__ = ["Asset"]


class Asset:
    """A file to include in a SavedModel (a vocabulary, a configuration...).

    Args:
        path: the file's path: a string, ``os.PathLike`` or string tensor.

    Raises:
        TypeError: ``path`` is not a string (``Cannot convert 5 to EagerTensor of
            dtype string``).
        ValueError: ``path`` is None.

    >>> import os, tempfile, tensorflux as tf
    >>> name = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    >>> with open(name, "w") as f:
    ...     _ = f.write("a\\nb\\n")
    >>> asset = tf.saved_model.Asset(name)
    >>> tf.io.read_file(asset).numpy()
    b'a\\nb\\n'
    """

    def __init__(self, path):
        if isinstance(path, os.PathLike):
            path = os.fspath(path)
        if path is None:
            raise ValueError(
                "Attempt to convert a value (None) with an unsupported type "
                "(<class 'NoneType'>) to a Tensor."
            )
        # Created outside any function being traced: the path is the asset's own
        # state, which a traced function captures (and a SavedModel rebinds).
        with init_scope():
            self._path = convert_to_tensor(path, dtype=dtypes.string, name="asset_path")

    @property
    def asset_path(self):
        """The asset's path, a ``tf.string`` tensor."""
        return self._path

    def _trackable_children(self) -> dict:
        return {}


def _convert_asset(value, dtype=None, name=None, as_ref=False):
    return convert_to_tensor(value.asset_path, dtype=dtype, name=name)


register_tensor_conversion_function(Asset, _convert_asset)
