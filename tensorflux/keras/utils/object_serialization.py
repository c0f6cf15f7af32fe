"""``tf.keras.utils.serialize_keras_object`` / ``deserialize_keras_object`` (Keras 2's
``{"module", "class_name", "config", "registered_name"}`` form, for any Keras object)
and their ``tf.keras.utils.legacy`` forms (``{"class_name", "config"}``)."""

from __future__ import annotations

import importlib
import types

__all__ = ["deserialize_keras_object", "serialize_keras_object"]

# Each kind of Keras object: its public module, and the tensorflux.keras package whose
# base class it derives from and whose serialize/deserialize handle it.
_KINDS = (
    ("keras.layers", "layers", "Layer"),
    ("keras.optimizers", "optimizers", "Optimizer"),
    ("keras.losses", "losses", "Loss"),
    ("keras.metrics", "metrics", "Metric"),
    ("keras.initializers", "initializers", "Initializer"),
    ("keras.regularizers", "regularizers", "Regularizer"),
    ("keras.constraints", "constraints", "Constraint"),
)


def _package(name: str):
    return importlib.import_module(f"tensorflux.keras.{name}")


def _kind_of(obj):
    for public, package, base in _KINDS:
        module = _package(package)
        if isinstance(obj, getattr(module, base)):
            return public, module
    return None, None


def serialize_keras_object(obj):
    """``obj`` in Keras 2's serialized form: Keras objects as a dict of module, class
    name, config and registered name; functions by name; lists, dicts and plain values
    as they are (their elements serialized).

    >>> import tensorflux as tf
    >>> tf.keras.utils.serialize_keras_object(tf.keras.initializers.Zeros())
    {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
    """
    from tensorflux.keras.saving.object_registration import get_registered_name

    if obj is None or isinstance(obj, (bool, int, float, str, bytes)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, types.FunctionType):
        registered = get_registered_name(obj)
        if registered != obj.__name__:
            return {"module": obj.__module__, "class_name": "function", "config": registered,
                    "registered_name": registered}  # fmt: skip
        return {"module": "builtins", "class_name": "function", "config": obj.__name__,
                "registered_name": "function"}  # fmt: skip
    public, module = _kind_of(obj)
    if module is not None:
        return module.serialize(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no get_config().")
    registered = get_registered_name(type(obj))
    return {
        "module": type(obj).__module__,
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": registered if registered != type(obj).__name__ else None,
    }


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object ``serialize_keras_object`` described: each kind rebuilt by its Keras
    module, registered or ``custom_objects`` classes by ``from_config``, functions by
    name.

    Raises:
        TypeError: a config that names an unknown class or function.
    """
    from tensorflux.keras.saving.object_registration import lookup

    if config is None or isinstance(config, (bool, int, float, str, bytes)):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        return config
    module_name, class_name = config.get("module"), config["class_name"]
    if class_name == "function":
        name = config["config"]
        found = lookup((config.get("registered_name"), name), custom_objects)
        if found is not None:
            return found
        from tensorflux.keras import activations

        return activations.get(name)
    for public, package, _ in _KINDS:
        if module_name == public:
            return _package(package).deserialize(config, custom_objects)
    cls = lookup((config.get("registered_name"), class_name), custom_objects)
    if cls is None:
        raise TypeError(
            f"Could not locate class '{class_name}'. Make sure custom classes are decorated "
            "with `@keras.saving.register_keras_serializable()` or passed in "
            "`custom_objects`."
        )
    return cls.from_config(config.get("config", {}))


def legacy_serialize_keras_object(instance):
    """Keras 2's older form: ``{"class_name", "config"}`` (``tf.keras.utils.legacy``)."""
    from tensorflux.keras.saving.object_registration import get_registered_name

    if instance is None:
        return None
    if not hasattr(instance, "get_config"):
        return getattr(instance, "__name__", instance)
    return {"class_name": get_registered_name(type(instance)), "config": instance.get_config()}


def legacy_deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """The object an older-form config or a name describes, looked up in
    ``custom_objects``, the registered objects and ``module_objects``.

    Raises:
        ValueError: an unknown class or function name.
    """
    from tensorflux.keras.saving.object_registration import lookup

    if identifier is None:
        return None
    module_objects = module_objects or {}
    name = identifier["class_name"] if isinstance(identifier, dict) else identifier
    if not isinstance(name, str):
        raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")
    obj = lookup((name,), custom_objects) or module_objects.get(name)
    if obj is None:
        raise ValueError(
            f"Unknown {printable_module_name}: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope."
        )
    if isinstance(identifier, dict):
        return obj.from_config(identifier.get("config", {}))
    return obj
