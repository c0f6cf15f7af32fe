"""The Keras 2 serialized form and name resolution shared by the ``keras.*.serialize`` /
``deserialize`` / ``get`` functions (constraints, initializers, losses, ...)."""

from __future__ import annotations

__all__ = []

# The first sentence of Keras' "unknown object" errors, which users search for.
SCOPE_HINT = (
    "Please ensure you are using a `keras.utils.custom_object_scope` and that this "
    "object is included in the scope."
)


def serialize_keras_object(obj, module: str) -> dict:
    """``obj`` as ``{"module", "class_name", "config", "registered_name"}``, as Keras 2
    writes it (``module`` is the public namespace, e.g. ``"keras.constraints"``)."""
    return {
        "module": module,
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": None,
    }


def unknown_object_error(kind: str, name, hint: str) -> ValueError:
    """``Unknown <kind>: '<name>'. <hint>``; ``{name}`` in ``hint`` is filled in."""
    return ValueError(f"Unknown {kind}: '{name}'. " + hint.format(name=name))


def resolve_keras_object(name, known: dict, custom_objects, kind: str, hint: str, key=None):
    """What ``custom_objects`` (first) or ``known`` maps ``name`` to; ``known`` is looked
    up under ``key`` when given (e.g. ``name.lower()``).

    Raises:
        ValueError: neither has it (see :func:`unknown_object_error`).
    """
    from tensorflux.keras.saving.object_registration import lookup

    obj = lookup((name,), custom_objects) or known.get(name if key is None else key)
    if obj is None:
        raise unknown_object_error(kind, name, hint)
    return obj


def deserialize_keras_object(config, known: dict, custom_objects, kind: str, hint: str):
    """Rebuilds an object from :func:`serialize_keras_object`'s output with its class's
    ``from_config`` (``None`` for ``None``).

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    cls = resolve_keras_object(config["class_name"], known, custom_objects, kind, hint)
    return cls.from_config(config.get("config", {}))


def get_keras_object(identifier, deserialize, kind: str):
    """``keras.<kind>s.get``: ``None`` and callables are returned as they are, a config
    dict is deserialized, a name is deserialized as ``{"class_name": name, "config": {}}``.

    Raises:
        ValueError: an unknown name or an identifier of another kind.
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")
