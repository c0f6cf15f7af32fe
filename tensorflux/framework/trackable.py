"""The "trackable" protocol: how an object names the objects whose state it owns.

A checkpoint is a graph of objects. Each object lists its children, ordered, by local
name; variables are the leaves that hold values. Any object joins by defining
``_trackable_children(self) -> dict[str, object]``: ``tf.Module`` (its attributes),
Keras layers, models and optimizers, ``tf.train.Checkpoint``. Lists, tuples and dicts
holding trackable objects are nodes too, their children named by index or key.

Restoring may meet names whose object does not exist yet (an unbuilt layer's kernel, an
optimizer's slots). Such a restoration is left on the nearest object that can hold it
(its *anchor*) and retried by :func:`run_deferred`, which objects call when they gain
children: a Module on attribute assignment, a layer when it creates a weight, an
optimizer when it creates its slots.
"""

from __future__ import annotations

from tensorflux.framework.variables import Variable

__all__ = [
    "add_deferred",
    "attribute_children",
    "can_anchor",
    "is_trackable",
    "run_deferred",
    "trackable_children",
]

_DEFERRED = "_deferred_restorations"


def _is_container(value) -> bool:
    return isinstance(value, (list, tuple, dict))


def is_trackable(value) -> bool:
    """Whether ``value`` is a checkpoint node: a Variable, an object with
    ``_trackable_children``, or a list/tuple/dict holding such objects."""
    if isinstance(value, Variable) or hasattr(type(value), "_trackable_children"):
        return True
    if isinstance(value, dict):
        return any(is_trackable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_trackable(v) for v in value)
    return False


def trackable_children(value) -> dict:
    """``value``'s children, local name -> object, in order.

    >>> import tensorflux as tf
    >>> list(trackable_children([tf.Variable(1.0), "text", tf.Variable(2.0)]))
    ['0', '2']
    """
    if isinstance(value, Variable):
        return {}
    method = getattr(type(value), "_trackable_children", None)
    if method is not None:
        return method(value)
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items() if is_trackable(v)}
    if isinstance(value, (list, tuple)):
        return {str(i): v for i, v in enumerate(value) if is_trackable(v)}
    return {}


def attribute_children(obj, skip=frozenset()) -> dict:
    """The trackable values among ``obj``'s attributes, in assignment order: the
    children of ``tf.Module`` and of objects tracked the same way."""
    return {
        name: value
        for name, value in vars(obj).items()
        if name not in skip and name != _DEFERRED and is_trackable(value)
    }


def add_deferred(anchor, entry) -> None:
    """Leaves a pending restoration on ``anchor``; ``entry.retry()`` runs on the next
    :func:`run_deferred` of the anchor."""
    anchor.__dict__.setdefault(_DEFERRED, []).append(entry)


def run_deferred(anchor) -> None:
    """Retries the restorations pending on ``anchor`` (they re-register themselves while
    their object is still missing). Cheap when none are pending."""
    entries = anchor.__dict__.pop(_DEFERRED, None)
    if entries:
        for entry in entries:
            entry.retry()


def can_anchor(value) -> bool:
    """Whether pending restorations can be left on ``value`` (it has attributes and is
    not a container, whose identity may be a fresh copy each time it is asked for)."""
    return hasattr(value, "__dict__") and not _is_container(value)
