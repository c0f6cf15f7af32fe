"""Whether the load in progress may run code stored in a file (a Lambda layer's Python
bytecode). ``load_model(..., safe_mode=True)``, the default, refuses it."""

from __future__ import annotations

import contextlib
import threading

__all__ = []

_STATE = threading.local()

SAFE_MODE_MESSAGE = (
    "Requested the deserialization of a Lambda layer with a Python `lambda` inside it. This "
    "carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the saved model, you can pass `safe_mode=False` to "
    "the loading function in order to allow Lambda layer loading."
)


@contextlib.contextmanager
def safe_mode_scope(safe_mode):
    """Sets the safe mode for the loads inside the ``with`` (``None`` leaves it as is)."""
    previous = getattr(_STATE, "value", None)
    if safe_mode is not None:
        _STATE.value = bool(safe_mode)
    try:
        yield
    finally:
        _STATE.value = previous


def in_safe_mode():
    """``True``/``False`` inside a load, ``None`` outside any (``from_config`` called by
    the user on a config of their own is trusted, as in Keras)."""
    return getattr(_STATE, "value", None)
