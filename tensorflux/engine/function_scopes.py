"""Scopes and questions about the function being traced: ``tf.init_scope``,
``tf.inside_function``, ``tf.control_dependencies``, ``tf.get_current_name_scope``,
``tf.is_symbolic_tensor``, and ``tf.get_logger``.
"""

from __future__ import annotations

import contextlib

from tensorflux.framework import context
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.name_scope import current_name_scope
from tensorflux.framework.tensor import SymbolicTensor

__all__ = [
    "control_dependencies",
    "get_current_name_scope",
    "get_logger",
    "init_scope",
    "inside_function",
    "is_symbolic_tensor",
]


def init_scope():
    """A context manager that lifts the code in it out of every ``tf.function`` being
    traced: it runs eagerly, once, when the function is traced, and tapes do not record
    it (where TF creates variables and reads configuration).

    >>> import tensorflux as tf
    >>> @tf.function
    ... def f():
    ...     with tf.init_scope():
    ...         eager = tf.executing_eagerly()
    ...     return eager
    >>> bool(f())
    True
    """
    return context.eager_scope()


def inside_function() -> bool:
    """Whether this code is being traced into a graph (by ``tf.function``).

    >>> import tensorflux as tf
    >>> tf.inside_function()
    False
    """
    return context.state.graph is not None


def is_symbolic_tensor(tensor) -> bool:
    """Whether ``tensor`` is a graph tensor (a value inside a function being traced),
    rather than an eager tensor or another object.

    >>> import tensorflux as tf
    >>> tf.is_symbolic_tensor(tf.constant(1.0))
    False
    """
    return isinstance(tensor, SymbolicTensor)


def get_current_name_scope() -> str:
    """The name scope in effect, ``"outer/inner"`` (``""`` outside any scope).

    >>> import tensorflux as tf
    >>> with tf.name_scope("block"):
    ...     tf.get_current_name_scope()
    'block'
    """
    return current_name_scope().rstrip("/")


def get_logger():
    """TF's Python logger (a ``logging.Logger``), ``logging.getLogger("tensorflow")``.

    >>> import tensorflux as tf
    >>> tf.get_logger().name
    'tensorflow'
    """
    # ``logging`` loads here: ``import tensorflux`` does not need it.
    import logging

    return logging.getLogger("tensorflow")


def control_dependencies(control_inputs):
    """A context manager making the ops in it run after ``control_inputs``.

    A traced function runs its stateful ops (variable updates, prints, assertions) in
    program order, so whatever ``control_inputs`` names already ran when the block's
    ops run; eagerly, everything runs at once and the callables among the inputs are
    called now, as in TF.

    Args:
        control_inputs: tensors, operations or callables, or None.

    Raises:
        TypeError: inside a function, a ``None`` among ``control_inputs``.

    >>> import tensorflux as tf
    >>> v = tf.Variable(1.0)
    >>> @tf.function
    ... def bump():
    ...     with tf.control_dependencies([v.assign_add(1.0)]):
    ...         return v.read_value()
    >>> bump().numpy()
    np.float32(2.0)
    """
    if context.state.graph is None:
        if control_inputs:
            for control in control_inputs:
                if callable(control):
                    control()
        return contextlib.nullcontext()
    if control_inputs is not None:
        for control in control_inputs:
            if isinstance(control, IndexedSlices):
                control = control.values
            if control is None:
                raise TypeError("Can not convert a NoneType into a Tensor or Operation.")
    return contextlib.nullcontext()
