"""``keras.losses.get`` / ``serialize`` / ``deserialize``: names, configs, callables."""

from __future__ import annotations

import inspect

from tensorflux.keras.losses import focal, hinge, probabilistic, regression
from tensorflux.keras.losses.loss import Loss, LossFunctionWrapper
from tensorflux.keras.utils.serialization import resolve_keras_object, serialize_keras_object

__all__ = []


def _known_objects() -> dict:
    objects = {"Loss": Loss, "LossFunctionWrapper": LossFunctionWrapper}
    for module in (regression, probabilistic, hinge, focal):
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and issubclass(obj, Loss)):
                objects[name] = obj
    return objects


_OBJECTS = _known_objects()
_UNKNOWN_HINT = (
    "Use a built-in name such as 'mse' or 'sparse_categorical_crossentropy', a "
    "Loss instance or a callable; pass custom losses with "
    "custom_objects={{'{name}': ...}}."
)


def serialize(loss):
    """A loss as a config: ``{"module", "class_name", "config", "registered_name"}`` for
    :class:`Loss` objects, the function's name for loss functions."""
    if isinstance(loss, Loss):
        return serialize_keras_object(loss, "keras.losses")
    if callable(loss) and hasattr(loss, "__name__"):
        return loss.__name__
    raise ValueError(
        f"Could not serialize loss {loss!r}: expected a Loss instance or a loss function."
    )


def deserialize(name, custom_objects=None):
    """Rebuilds a loss from :func:`serialize`'s output.

    A function name (``"mse"``, ``"categorical_crossentropy"``) gives the function, a
    class name (``"MeanSquaredError"``) a default instance, a config dict the
    configured instance.

    Raises:
        ValueError: an unknown name.
    """
    if isinstance(name, dict):
        class_name, config = name.get("class_name"), name.get("config", {})
        if class_name == "function":
            return deserialize(config, custom_objects)
        cls = resolve_keras_object(
            class_name, _OBJECTS, custom_objects, "loss function", _UNKNOWN_HINT
        )
        return cls.from_config(config)
    obj = resolve_keras_object(name, _OBJECTS, custom_objects, "loss function", _UNKNOWN_HINT)
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Resolves ``identifier`` to a loss: ``None``, a name, a config dict or a callable.

    >>> import tensorflux as tf
    >>> tf.keras.losses.get("mse").__name__
    'mean_squared_error'

    Raises:
        ValueError: an unknown name or an identifier of another kind.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret loss function identifier: {identifier!r}. Expected "
        f"a string, a config dict, a Loss instance or a callable."
    )
