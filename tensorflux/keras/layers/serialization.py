"""``keras.layers.serialize`` / ``deserialize``: layers as configs and back."""

from __future__ import annotations

import importlib
import inspect

from tensorflux.keras.utils.serialization import (
    SCOPE_HINT,
    serialize_keras_object,
    unknown_object_error,
)

__all__ = []


def serialize(layer) -> dict:
    """A layer as ``{"module", "class_name", "config", "registered_name"}`` (Keras 2's
    format), from which :func:`deserialize` rebuilds it without its weights.

    >>> import tensorflux as tf
    >>> tf.keras.layers.serialize(tf.keras.layers.Dropout(0.5))["class_name"]
    'Dropout'
    """
    from tensorflux.keras.saving.object_registration import registered_name_or_none

    config = serialize_keras_object(layer, "keras.layers")
    registered = registered_name_or_none(layer)
    if registered is not None:
        # As Keras: a registered class is found by its registered name, not a module.
        config.update(module=None, registered_name=registered)
    elif not type(layer).__module__.startswith("tensorflux."):
        # A user's class: Keras records its module and name, so that a loader with the
        # class in `custom_objects` (or importable) finds it.
        config.update(module=type(layer).__module__, registered_name=type(layer).__name__)
    return config


def _lookup(class_name, custom_objects, registered_name=None):
    from tensorflux.keras.saving import object_registration

    found = object_registration.lookup((registered_name, class_name), custom_objects)
    if found is not None:
        return found
    for module in (
        "tensorflux.keras.layers",
        "tensorflux.keras.models",
        "tensorflux.keras.experimental",
    ):
        try:
            namespace = importlib.import_module(module)
        except ImportError:
            continue
        found = getattr(namespace, class_name, None)
        if inspect.isclass(found):
            return found
    return None


def deserialize(config, custom_objects=None):
    """Rebuilds a layer (or model) from :func:`serialize`'s output.

    Args:
        config: a dict with ``class_name`` and ``config``.
        custom_objects: ``{name: class}`` for layers defined outside Keras.

    Raises:
        ValueError: a malformed config or an unknown class name.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not interpret a serialized layer: expected a dict with "
            f"'class_name' and 'config', received: {config!r}"
        )
    class_name = config["class_name"]
    cls = _lookup(class_name, custom_objects, config.get("registered_name"))
    if cls is None:
        raise unknown_object_error(
            "layer",
            class_name,
            SCOPE_HINT + " See https://www.tensorflow.org/guide/keras/"
            "save_and_serialize#registering_the_custom_object for details. When loading a "
            "model, pass the class as `custom_objects={{'{name}': {name}}}` or register it "
            "with `@tf.keras.utils.register_keras_serializable()`.",
        )
    inner = config.get("config", {})
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)
