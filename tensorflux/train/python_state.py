"""``tf.train.experimental.PythonState``: Python state that checkpoints save as a string
(``<path>/.ATTRIBUTES/py_state``), as TF saves it."""

from __future__ import annotations

import abc

__all__ = ["PY_STATE", "PythonState"]

PY_STATE = "py_state"


class PythonState(abc.ABC):
    """Python-side state a ``tf.train.Checkpoint`` saves and restores: subclasses turn it
    into bytes (``serialize``) and back (``deserialize``).

    >>> import tempfile, tensorflux as tf
    >>> class Counter(tf.train.experimental.PythonState):
    ...     def __init__(self):
    ...         self.count = 0
    ...     def serialize(self):
    ...         return str(self.count).encode()
    ...     def deserialize(self, string_value):
    ...         self.count = int(string_value)
    >>> saved = Counter()
    >>> saved.count = 7
    >>> path = tf.train.Checkpoint(counter=saved).write(tempfile.mkdtemp() + "/c")
    >>> restored = Counter()
    >>> _ = tf.train.Checkpoint(counter=restored).read(path)
    >>> restored.count
    7
    """

    @abc.abstractmethod
    def serialize(self):
        """The state as a string (bytes or str)."""

    @abc.abstractmethod
    def deserialize(self, string_value):
        """Sets the state from what ``serialize`` returned."""

    def _trackable_children(self) -> dict:
        return {}
