"""``tf.name_scope``: a prefix for the names of variables created inside it."""

from __future__ import annotations

import threading

__all__ = ["current_name_scope", "name_scope"]


class _ScopeState(threading.local):
    prefix = ""


_state = _ScopeState()


def current_name_scope() -> str:
    """The active prefix, ``"outer/inner/"`` (empty outside any scope)."""
    return _state.prefix


class name_scope:
    """A context manager that prefixes ``name/`` to the names of variables created in
    it; a name ending in ``/`` is taken as the whole prefix, and ``""`` clears it.

    Args:
        name: the scope's name.

    Raises:
        ValueError: ``name`` is not a string.

    >>> import tensorflux as tf
    >>> with tf.name_scope("block") as scope:
    ...     print(scope, tf.Variable(1.0, name="w").name)
    block/ block/w:0
    """

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError(f"name for name_scope must be a string, got {name!r}.")
        self._name = name
        self._saved: list[str] = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        outer = _state.prefix
        self._saved.append(outer)
        if not self._name:
            _state.prefix = ""
        elif self._name.endswith("/"):
            _state.prefix = self._name
        else:
            _state.prefix = f"{outer}{self._name}/"
        return _state.prefix

    def __exit__(self, *exc_info) -> None:
        _state.prefix = self._saved.pop()
