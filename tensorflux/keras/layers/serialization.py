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
    return serialize_keras_object(layer, "keras.layers")


def _lookup(class_name, custom_objects):
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    from tensorflux.keras import utils

    global_objects = getattr(utils, "get_custom_objects", None)
    if global_objects is not None and class_name in global_objects():
        return global_objects()[class_name]
    for module in ("tensorflux.keras.layers", "tensorflux.keras.models"):
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
        raise ValueError("Could not interpret a serialized layer: expected a dict with "
                         f"'class_name' and 'config', received: {config!r}")
    class_name = config["class_name"]
    cls = _lookup(class_name, custom_objects)
    if cls is None:
        raise unknown_object_error(
            "layer", class_name, SCOPE_HINT + " See https://www.tensorflow.org/guide/keras/"
            "save_and_serialize#registering_the_custom_object for details.")
    inner = config.get("config", {})
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)
