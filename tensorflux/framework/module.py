"""``tf.Module``: a named container of variables and other modules.

A module finds its variables and submodules in its attributes (also inside lists,
tuples and dicts), so nothing has to be registered; a checkpoint names them by
attribute, in assignment order (see ``framework/trackable.py``).
"""

from __future__ import annotations

import functools
import re

from tensorflux.framework import trackable
from tensorflux.framework.name_scope import current_name_scope, name_scope
from tensorflux.framework.variables import Variable

__all__ = ["Module"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _camel_to_snake(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _leaves(value):
    """Values inside ``value`` in TF's nest order (dicts by sorted key)."""
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = list(value)
        return [leaf for key in keys for leaf in _leaves(value[key])]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _is_module(value) -> bool:
    """A tf.Module, or an object that stands for one (Keras layers set ``_tf_module``)."""
    return isinstance(value, Module)


def _is_own_module(value) -> bool:
    """A Module of this class itself (not a Keras layer standing for one)."""
    return Module in type(value).__mro__


class _ModuleType(type):
    """Makes classes that set ``_tf_module`` (Keras layers) count as tf.Modules for
    ``isinstance`` and ``issubclass``, as TF's layers subclass tf.Module."""

    def __instancecheck__(cls, instance):
        if cls is Module and getattr(type(instance), "_tf_module", False):
            return True
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass):
        if cls is Module and getattr(subclass, "_tf_module", False):
            return True
        return super().__subclasscheck__(subclass)


class Module(metaclass=_ModuleType):
    """Base class of objects that own variables and other modules, as ``tf.Module``.

    Args:
        name: the module name, a valid Python identifier (default: the class name in
            snake case).

    Raises:
        ValueError: a name that is not a Python identifier.

    >>> import tensorflux as tf
    >>> class Scale(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = tf.Variable(2.0, name="w")
    ...         self.frozen = tf.Variable(1.0, trainable=False)
    >>> s = Scale()
    >>> s.name, [v.name for v in s.trainable_variables], len(s.variables)
    ('scale', ['w:0'], 2)
    """

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise ValueError(
                f"{name!r} is not a valid module name. Module names must be valid "
                "Python identifiers (e.g. a valid class name)."
            )
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_scope_name", f"{current_name_scope()}{name}/")

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        # A restoration waiting for this attribute (restored before it existed) runs now.
        trackable.run_deferred(self)

    @property
    def name(self) -> str:
        """The module's name (without its scope)."""
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """A ``tf.name_scope`` for the module: variables created in it are named
        ``"<module name>/..."``."""
        return name_scope(self._scope_name)

    def _flatten(self, predicate, recursive=True, seen=None):
        seen = set() if seen is None else seen
        found, submodules = [], []
        for key in sorted(vars(self)):
            if key.startswith("_deferred"):
                continue
            for leaf in _leaves(vars(self)[key]):
                if predicate(leaf) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    found.append(leaf)
                if recursive and _is_module(leaf):
                    submodules.append(leaf)
        for module in submodules:
            if _is_own_module(module):
                found.extend(module._flatten(predicate, recursive, seen))
                continue
            # A Keras layer (a module in TF) lists its own variables.
            for leaf in module.variables:
                if predicate(leaf) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    found.append(leaf)
        return found

    @property
    def variables(self) -> tuple:
        """Every variable of the module and its submodules, in attribute-name order."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        """The trainable ones among :attr:`variables`."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def non_trainable_variables(self) -> tuple:
        """The non-trainable ones among :attr:`variables`."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable) and not v.trainable))

    @property
    def submodules(self) -> tuple:
        """Every module found below this one (direct ones first)."""
        return tuple(self._flatten(_is_module))

    def _trackable_children(self) -> dict:
        return trackable.attribute_children(self, skip=frozenset({"_name", "_scope_name"}))

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method to run inside the module's :attr:`name_scope`.

        >>> import tensorflux as tf
        >>> class Dense(tf.Module):
        ...     @tf.Module.with_name_scope
        ...     def __call__(self, x):
        ...         if not hasattr(self, "w"):
        ...             self.w = tf.Variable(tf.ones([x.shape[-1], 2]), name="w")
        ...         return tf.matmul(x, self.w)
        >>> layer = Dense()
        >>> _ = layer(tf.ones([1, 3]))
        >>> layer.w.name
        'dense/w:0'
        """

        @functools.wraps(method)
        def in_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return in_scope

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"
