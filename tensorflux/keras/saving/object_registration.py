"""Names for user-defined Keras objects: ``register_keras_serializable``, custom object
scopes and the lookups that deserialization makes through them.

A registered class is stored in files under ``"package>Name"``; a custom object scope
(or ``custom_objects=``) maps the names found in a file to classes and functions for the
duration of a load. Nothing here imports or runs code named in a file: a name is only
ever resolved to an object the user has registered or passed.
"""

from __future__ import annotations

import inspect
import threading

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
]

_GLOBAL_CUSTOM_OBJECTS: dict = {}
_GLOBAL_CUSTOM_NAMES: dict = {}
_SCOPED = threading.local()


def _scoped_objects() -> dict:
    if not hasattr(_SCOPED, "objects"):
        _SCOPED.objects = {}
    return _SCOPED.objects


class CustomObjectScope:
    """Makes ``{name: object}`` mappings visible to deserialization inside a ``with``.

    >>> import tensorflux as tf
    >>> class Scale(tf.keras.layers.Layer):
    ...     def call(self, x):
    ...         return 2.0 * x
    >>> config = {"class_name": "Scale", "config": {"name": "scale"}}
    >>> with tf.keras.utils.custom_object_scope({"Scale": Scale}):
    ...     layer = tf.keras.layers.deserialize(config)
    >>> type(layer).__name__
    'Scale'

    Args:
        *args: dicts mapping names to classes or functions (``None`` is skipped).
    """

    def __init__(self, *args):
        self.custom_objects = [objects for objects in args if objects]
        self._backup = None

    def __enter__(self):
        objects = _scoped_objects()
        self._backup = dict(objects)
        for mapping in self.custom_objects:
            objects.update(mapping)
        return self

    def __exit__(self, *exc_info):
        objects = _scoped_objects()
        objects.clear()
        objects.update(self._backup)


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict:
    """The global ``{name: object}`` registry; editing it registers objects.

    >>> import tensorflux as tf
    >>> "Custom>NeverRegistered" in tf.keras.utils.get_custom_objects()
    False
    """
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """A decorator that registers a class or function as ``"package>name"``, the name
    saved files then use for it, so that loading finds it without ``custom_objects``.

    Args:
        package: the first part of the registered name.
        name: the second part (default: the object's ``__name__``).

    Returns:
        The decorator; it returns the object unchanged.

    Raises:
        ValueError: a class without ``get_config``, or a name already registered for
            another object.

    >>> import tensorflux as tf
    >>> @tf.keras.utils.register_keras_serializable("docs")
    ... class Twice(tf.keras.layers.Layer):
    ...     def call(self, x):
    ...         return 2.0 * x
    >>> tf.keras.utils.get_registered_name(Twice)
    'docs>Twice'
    >>> tf.keras.utils.get_registered_object("docs>Twice") is Twice
    True
    """

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError(
                f"Cannot register a class that does not have a get_config() method: {arg.__name__}."
            )
        previous = _GLOBAL_CUSTOM_OBJECTS.get(registered_name)
        if (
            previous is not None
            and previous is not arg
            and (
                getattr(previous, "__qualname__", None) != getattr(arg, "__qualname__", None)
                or getattr(previous, "__module__", None) != getattr(arg, "__module__", None)
            )
        ):
            raise ValueError(f"{registered_name} has already been registered to {previous}")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj) -> str:
    """The name ``obj`` is saved under: ``"package>name"`` when registered, else its
    ``__name__``."""
    try:
        if obj in _GLOBAL_CUSTOM_NAMES:
            return _GLOBAL_CUSTOM_NAMES[obj]
    except TypeError:  # an unhashable object is never registered
        pass
    return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object ``name`` refers to: looked up in the active custom object scopes, the
    global registry, ``custom_objects``, then ``module_objects``; ``None`` if none has it.
    """
    scoped = _scoped_objects()
    for mapping in (scoped, _GLOBAL_CUSTOM_OBJECTS, custom_objects, module_objects):
        if mapping and name in mapping:
            return mapping[name]
    return None


def registered_name_or_none(obj):
    """``"package>name"`` for a registered object's class, else ``None`` (what Keras
    writes in a config's ``registered_name``)."""
    cls = obj if inspect.isclass(obj) else type(obj)
    return _GLOBAL_CUSTOM_NAMES.get(cls)


def lookup(names, custom_objects=None):
    """The first of ``names`` (skipping ``None``) that ``custom_objects``, an active
    scope or the registry knows; ``None`` otherwise. ``custom_objects`` comes first, as
    an explicit argument to a load should."""
    for name in names:
        if name is None:
            continue
        for mapping in (custom_objects, _scoped_objects(), _GLOBAL_CUSTOM_OBJECTS):
            if mapping and name in mapping:
                return mapping[name]
    return None
