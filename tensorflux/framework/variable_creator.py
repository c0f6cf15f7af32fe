"""``tf.variable_creator_scope``: functions that intercept the creation of variables.

A creator is called as ``creator(next_creator, **kwargs)`` with every argument of
``tf.Variable`` by name; it may change them, call ``next_creator(**kwargs)`` (the next
creator out, and last the real constructor) or return something else. The innermost
scope's creator runs first.
"""

from __future__ import annotations

import contextlib
import inspect
import threading

from tensorflux.framework.variable_enums import VariableAggregation, VariableSynchronization

__all__ = ["VariableCreatorMeta", "creators_active", "variable_creator_scope"]


class _CreatorStack(threading.local):
    def __init__(self):
        self.creators: list = []


_stack = _CreatorStack()


class VariableCreatorMeta(type):
    """Routes ``Variable(...)`` through the active creators, if any (none: the plain
    constructor, with no other cost)."""

    def __call__(cls, *args, **kwargs):
        if not _stack.creators:
            return super().__call__(*args, **kwargs)
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        del arguments["self"]
        # As TF passes them: the modes already as enum members, the lifting flag unset.
        if arguments.get("aggregation") is None:
            arguments["aggregation"] = VariableAggregation.NONE
        if arguments.get("synchronization") is None:
            arguments["synchronization"] = VariableSynchronization.AUTO
        if arguments.get("experimental_enable_variable_lifting") is True:
            arguments["experimental_enable_variable_lifting"] = None

        def construct(**kw):
            return super(VariableCreatorMeta, cls).__call__(**kw)

        creator = construct
        for outer in _stack.creators:
            creator = _chain(outer, creator)
        return creator(**arguments)


def creators_active() -> bool:
    """Whether a ``variable_creator_scope`` is active (in this thread)."""
    return bool(_stack.creators)


def _chain(creator, next_creator):
    def call(**kwargs):
        return creator(next_creator, **kwargs)

    return call


@contextlib.contextmanager
def variable_creator_scope(variable_creator):
    """Makes ``variable_creator`` intercept every ``tf.Variable`` created in the block.

    Args:
        variable_creator: ``creator(next_creator, **kwargs)``, returning the variable.

    >>> import tensorflux as tf
    >>> def frozen(next_creator, **kwargs):
    ...     kwargs["trainable"] = False
    ...     return next_creator(**kwargs)
    >>> with tf.variable_creator_scope(frozen):
    ...     v = tf.Variable(1.0)
    >>> v.trainable
    False
    """
    _stack.creators.append(variable_creator)
    try:
        yield
    finally:
        _stack.creators.pop()
