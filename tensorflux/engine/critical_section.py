"""``tf.CriticalSection``: running a function under a lock, so that calls from several
threads do not interleave (read-modify-write of shared variables).

Eagerly, ``execute`` holds the section's lock while the function runs. Inside a
``tf.function`` the function is traced in place: a graph runs its ops in program order,
so the section's ops are not interleaved with the rest of that graph, and TF's
trace-time checks apply (no re-entry; two sections may not both touch a variable one
of them wants exclusively).
"""

from __future__ import annotations

import numbers
import threading
import weakref

from tensorflux.framework import context, nest
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable

__all__ = ["CriticalSection"]

_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class _Running(threading.local):
    def __init__(self):
        self.signatures: list = []


_running = _Running()
# graph -> [(section, variable ids, exclusive)] of the executions traced into it.
_graph_accesses: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _as_tensors(result):
    """The function's results as TF returns them: tensors (a variable's current value)."""

    def leaf(x):
        if isinstance(x, (Tensor, Variable, numbers.Number)):
            return convert_to_tensor(x)
        return x

    return nest.map_structure(leaf, result)


class CriticalSection:
    """A lock that ``execute`` holds while a function runs.

    Args:
        name: accepted as TF accepts it.
        shared_name: sections built with one shared name share one lock.

    >>> import tensorflux as tf
    >>> counter = tf.Variable(0)
    >>> section = tf.CriticalSection()
    >>> section.execute(lambda: counter.assign_add(1)).numpy()
    np.int32(1)

    Raises:
        ValueError: both ``critical_section_def`` and ``shared_name``, or a
            ``critical_section_def`` (not supported, as in TF 2).
    """

    _shared: dict = {}
    _shared_guard = threading.Lock()

    def __init__(self, name=None, shared_name=None, critical_section_def=None, import_scope=None):
        if critical_section_def and shared_name is not None:
            raise ValueError(
                f"Arguments critical_section_def={critical_section_def} and "
                f"shared_name={shared_name} are mutually exclusive. Please only specify one "
                "of them."
            )
        if critical_section_def:
            raise ValueError("Argument `critical_section_def` is not supported.")
        if shared_name:
            with CriticalSection._shared_guard:
                self._lock = CriticalSection._shared.setdefault(shared_name, threading.Lock())
        else:
            self._lock = threading.Lock()
        self._signature = (shared_name or "", id(self._lock), _DEVICE)

    @property
    def name(self):
        """As in TF 2, undefined: the section's handle is an eager tensor."""
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    def execute(self, fn, exclusive_resource_access=True, name=None):
        """Runs ``fn()`` holding the lock and returns its result.

        Args:
            fn: a function of no arguments.
            exclusive_resource_access: whether the variables ``fn`` uses may be used by
                no other critical section (checked while tracing a function).

        Raises:
            ValueError: ``fn`` executes this section again (a deadlock), or, inside a
                function, shares a variable with another section's execution where one
                of them asked for exclusive access.
        """
        if self._signature in _running.signatures:
            raise ValueError(
                f"Attempting to lock a CriticalSection (signature={self._signature}) in which "
                "we are already running. This is illegal and may cause deadlocks."
            )
        graph = context.state.graph
        _running.signatures.append(self._signature)
        try:
            if graph is None:
                with self._lock:
                    return _as_tensors(fn())
            start = len(graph.nodes)
            result = _as_tensors(fn())
            touched = {id(n.var): n.var for n in graph.nodes[start:] if n.var is not None}
            self._check_access(graph, touched, exclusive_resource_access)
            return result
        finally:
            _running.signatures.pop()

    def _check_access(self, graph, touched: dict, exclusive: bool) -> None:
        accesses = _graph_accesses.setdefault(graph, [])
        for other, variables, other_exclusive in accesses:
            if other is self or not (exclusive or other_exclusive):
                continue
            shared = sorted(v.name for i, v in touched.items() if i in variables)
            if shared:
                raise ValueError(
                    f"This execution would access resources: {shared}. Either this lock "
                    f"(CriticalSection: {self._signature}) or lock '{other._signature}' "
                    "requested exclusive resource access of this resource. Did you mean to "
                    "call execute with keyword argument exclusive_resource_access=False?"
                )
        accesses.append((self, set(touched), exclusive))
