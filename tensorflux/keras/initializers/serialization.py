"""``keras.initializers.get``, ``serialize`` and ``deserialize``."""

from __future__ import annotations

import re

from tensorflux.keras.initializers import constant_initializers, random_initializers
from tensorflux.keras.initializers.initializer import Initializer

__all__ = ["deserialize", "get", "serialize"]

_CLASSES = {name: getattr(module, name)
            for module in (constant_initializers, random_initializers)
            for name in module.__all__}
# "GlorotUniform" and "glorot_uniform" both name the class, as in Keras.
_BY_NAME = {**_CLASSES, **{re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): cls
                            for name, cls in _CLASSES.items()}}
# Keras 2's legacy short names (Embedding's default is "uniform").
_BY_NAME.update(uniform=random_initializers.RandomUniform,
                normal=random_initializers.RandomNormal, one=constant_initializers.Ones,
                zero=constant_initializers.Zeros)


def serialize(initializer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if initializer is None:
        return None
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from ``serialize``'s output.

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown initializer: '{name}'. Please ensure you are using a "
            f"`keras.utils.custom_object_scope` and that this object is included in the "
            f"scope. Known names: {sorted(k for k in _BY_NAME if k.islower())}.")
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """Resolves ``identifier`` to an initializer.

    Args:
        identifier: ``None`` (returned), an initializer or any callable (returned as
            is), a name (``"glorot_uniform"``, ``"GlorotUniform"``, ``"zeros"``, ...: a
            new instance with default arguments) or a config dict.

    Raises:
        ValueError: an unknown name or an identifier of another kind.

    >>> import tensorflux as tf
    >>> type(tf.keras.initializers.get("he_normal")).__name__
    'HeNormal'
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
