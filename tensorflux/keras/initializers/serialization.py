"""``keras.initializers.get``, ``serialize`` and ``deserialize``."""

from __future__ import annotations

import re

from tensorflux.keras.initializers import constant_initializers, random_initializers
from tensorflux.keras.utils.serialization import (
    SCOPE_HINT,
    deserialize_keras_object,
    get_keras_object,
    serialize_keras_object,
)

__all__ = ["deserialize", "get", "serialize"]

_CLASSES = {
    name: getattr(module, name)
    for module in (constant_initializers, random_initializers)
    for name in module.__all__
}
# "GlorotUniform" and "glorot_uniform" both name the class, as in Keras.
_BY_NAME = {
    **_CLASSES,
    **{re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): cls for name, cls in _CLASSES.items()},
}
# Keras 2's legacy short names (Embedding's default is "uniform").
_BY_NAME.update(
    uniform=random_initializers.RandomUniform,
    normal=random_initializers.RandomNormal,
    one=constant_initializers.Ones,
    zero=constant_initializers.Zeros,
)


_UNKNOWN_HINT = SCOPE_HINT + f" Known names: {sorted(k for k in _BY_NAME if k.islower())}."


def serialize(initializer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if initializer is None:
        return None
    return serialize_keras_object(initializer, "keras.initializers")


def deserialize(config, custom_objects=None):
    """Rebuilds an initializer from ``serialize``'s output.

    Raises:
        ValueError: an unknown class name.
    """
    return deserialize_keras_object(config, _BY_NAME, custom_objects, "initializer", _UNKNOWN_HINT)


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
    return get_keras_object(identifier, deserialize, "initializer")
