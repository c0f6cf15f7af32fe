"""``tf.summary.graph`` and the graph trace: ``trace_on`` collects the graph of every
``tf.function`` call, ``trace_export`` writes them as TensorBoard run metadata."""

from __future__ import annotations

import threading
import time
import warnings

import numpy as np

from tensorflux.engine import function as function_module
from tensorflux.engine.graph import FuncGraph
from tensorflux.engine.graph_def import encode_graph_def
from tensorflux.framework import context, dtypes
from tensorflux.framework.proto_wire import MessageWriter
from tensorflux.framework.tensor import Tensor
from tensorflux.summary import summary_ops
from tensorflux.summary.event_file import encode_event, encode_metadata
from tensorflux.summary.writer import state

__all__ = ["graph", "trace_export", "trace_off", "trace_on"]


class _Trace:
    """The functions run since ``trace_on``, in order of their first call."""

    def __init__(self):
        self.lock = threading.Lock()
        self.functions: dict[int, object] = {}

    def __call__(self, concrete) -> None:
        with self.lock:
            self.functions.setdefault(id(concrete), concrete)


_trace: _Trace | None = None


def _bool(value: bool) -> Tensor:
    return Tensor(np.array(value), dtypes.bool)


def _graph_bytes(concrete) -> bytes:
    names = [getattr(spec, "name", None) or "input" for spec in concrete._input_leaves]
    return encode_graph_def(concrete.graph, names)


def graph(graph_data):
    """Writes a traced graph (``concrete_function.graph``) or a ``GraphDef`` (an object
    with ``SerializeToString``) to the default writer, for TensorBoard's Graphs
    dashboard.

    Returns:
        A bool tensor: whether it was written (False without a default writer).

    Raises:
        ValueError: called inside a ``tf.function``, or ``graph_data`` is neither.

    >>> bool(graph(FuncGraph("f")))  # no default writer
    False
    """
    if not context.executing_eagerly():
        raise ValueError("graph() cannot be invoked inside a graph context.")
    writer = state.writer
    if writer is None or not bool(summary_ops.should_record_summaries()):
        return _bool(False)
    if isinstance(graph_data, FuncGraph):
        data = encode_graph_def(graph_data)
    elif hasattr(graph_data, "SerializeToString"):
        data = graph_data.SerializeToString()
    else:
        raise ValueError(
            "Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. Received "
            f"graph_data={graph_data!r} of type {type(graph_data).__name__}."
        )
    writer._write_event(encode_event(time.time(), 0, graph_def=data))
    return _bool(True)


def trace_on(graph=True, profiler=False, profiler_outdir=None):  # noqa: A002 - TF's name
    """Starts collecting the graphs of the ``tf.function`` calls that follow, for
    :func:`trace_export`. tensorflux has no profiler: ``profiler=True`` warns and
    collects the graphs only.

    >>> trace_on(); trace_off()
    """
    global _trace
    del profiler_outdir
    if not context.executing_eagerly():
        warnings.warn("Cannot enable trace inside a tf.function.", stacklevel=2)
        return
    if profiler:
        warnings.warn(
            "tensorflux has no profiler: trace_on(profiler=True) collects the graphs only.",
            stacklevel=2,
        )
    if _trace is not None:
        warnings.warn("Trace already enabled", stacklevel=2)
        return
    if graph:
        _trace = _Trace()
        function_module.call_observers.append(_trace)


def trace_off():
    """Stops and discards the trace started by :func:`trace_on`.

    >>> trace_off()
    """
    global _trace
    if _trace is not None:
        function_module.call_observers.remove(_trace)
        _trace = None


def _run_metadata(functions) -> bytes:
    """A RunMetadata whose ``function_graphs`` hold each function's graph as its
    ``pre_optimization_graph``."""
    w = MessageWriter()
    for concrete in functions:
        w.raw(4, MessageWriter().raw(2, _graph_bytes(concrete)))
    return w.bytes()


def trace_export(name, step=None, profiler_outdir=None):
    """Writes the graphs collected since :func:`trace_on` under tag ``name`` (plugin
    ``graph_run_metadata_graph``) to the default writer, then stops the trace.

    Raises:
        ValueError: no trace is on, called inside a ``tf.function``, or no step.

    >>> trace_on()
    >>> trace_export("trace", step=0)  # no default writer: nothing is written
    """
    del profiler_outdir
    if not context.executing_eagerly():
        raise ValueError("Can only export trace while executing eagerly.")
    if _trace is None:
        raise ValueError("Must enable trace before export through tf.summary.trace_on.")
    with _trace.lock:
        functions = list(_trace.functions.values())
    meta = encode_metadata("graph_run_metadata_graph", b"1")
    try:
        with summary_ops.summary_scope(name, "graph_run_metadata_graph_summary") as (tag, _):
            summary_ops.write(tag, lambda: _run_metadata(functions), step=step, metadata=meta)
    finally:
        trace_off()
