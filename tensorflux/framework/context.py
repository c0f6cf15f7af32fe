"""Execution state shared by the framework and the engine, one copy per thread.

Kept in one small module so that variables (framework) can tell the tapes
(engine) about reads without importing the engine. It is thread-local because a
tf.data prefetch thread may trace a map function while the main thread runs
eager ops or records on a GradientTape.
"""

from __future__ import annotations

import contextlib
import threading

__all__ = ["state", "eager_scope", "executing_eagerly"]


class _State(threading.local):
    """``recording_tapes``: GradientTapes currently recording, innermost last; its truth
    value is the fast "any tape?" test made on every eager op.
    ``graph``: the FuncGraph being traced by tf.function, or None when running eagerly.
    ``reading_examples``: true while a kernel (or engine bookkeeping) computes on the
    example values of a trace, whose reads of partly unknown shapes are legitimate.
    ``training_stack``: the ``training`` argument of each Keras layer call in progress,
    outermost first, so nested layers inherit it (per thread: a tf.data map function or
    a second thread calling a model must not see another call's flag).
    ``loop_trial_depth``: how many AutoGraph loop trial traces are in progress; during one,
    any undefined value is a placeholder.
    ``device``: ``(device_type, device_index)`` of the innermost ``tf.device`` scope that
    names a device type (the index may be None), or None outside such scopes.
    """

    def __init__(self):
        self.recording_tapes: list = []
        self.graph = None
        self.reading_examples = False
        self.training_stack: list = []
        self.loop_trial_depth = 0
        self.device = None


state = _State()


@contextlib.contextmanager
def eager_scope():
    """Runs a block eagerly: outside any tf.function trace and unseen by tapes (for
    bookkeeping such as building a Keras model, or work a kernel does at run time)."""
    graph, tapes = state.graph, state.recording_tapes[:]
    state.graph = None
    state.recording_tapes.clear()
    try:
        yield
    finally:
        state.graph = graph
        state.recording_tapes[:] = tapes


def executing_eagerly() -> bool:
    """Whether ops run now, eagerly, rather than being traced into a graph
    (``tf.executing_eagerly``): False while ``tf.function`` traces, unless
    ``tf.config.run_functions_eagerly(True)`` makes functions run eagerly.

    >>> import tensorflux as tf
    >>> tf.executing_eagerly()
    True
    >>> @tf.function
    ... def inside():
    ...     return tf.executing_eagerly()
    >>> bool(inside())
    False
    """
    return state.graph is None
