"""Execution state shared by the framework and the engine, one copy per thread.

Kept in one small module so that variables (framework) can tell the tapes
(engine) about reads without importing the engine. It is thread-local because a
tf.data prefetch thread may trace a map function while the main thread runs
eager ops or records on a GradientTape.
"""

from __future__ import annotations

import threading

__all__ = ["state"]


class _State(threading.local):
    """``recording_tapes``: GradientTapes currently recording, innermost last; its truth
    value is the fast "any tape?" test made on every eager op.
    ``graph``: the FuncGraph being traced by tf.function, or None when running eagerly.
    """

    def __init__(self):
        self.recording_tapes: list = []
        self.graph = None


state = _State()
