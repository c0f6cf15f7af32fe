"""``keras.losses.get`` / ``serialize`` / ``deserialize``: names, configs, callables."""

from __future__ import annotations

import inspect

from tensorflux.keras.losses import hinge, probabilistic, regression
from tensorflux.keras.losses.loss import Loss, LossFunctionWrapper

__all__ = []


def _known_objects() -> dict:
    objects = {"Loss": Loss, "LossFunctionWrapper": LossFunctionWrapper}
    for module in (regression, probabilistic, hinge):
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and issubclass(obj, Loss)):
                objects[name] = obj
    return objects


_OBJECTS = _known_objects()


def serialize(loss):
    """A loss as a config: ``{"module", "class_name", "config", "registered_name"}`` for
    :class:`Loss` objects, the function's name for loss functions."""
    if isinstance(loss, Loss):
        return {"module": "keras.losses", "class_name": type(loss).__name__,
                "config": loss.get_config(), "registered_name": None}
    if callable(loss) and hasattr(loss, "__name__"):
        return loss.__name__
    raise ValueError(f"Could not serialize loss {loss!r}: expected a Loss instance or a "
                     f"loss function.")


def deserialize(name, custom_objects=None):
    """Rebuilds a loss from :func:`serialize`'s output.

    A function name (``"mse"``, ``"categorical_crossentropy"``) gives the function, a
    class name (``"MeanSquaredError"``) a default instance, a config dict the
    configured instance.

    Raises:
        ValueError: an unknown name.
    """
    objects = dict(_OBJECTS, **(custom_objects or {}))
    if isinstance(name, dict):
        class_name, config = name.get("class_name"), name.get("config", {})
        if class_name == "function":
            return deserialize(config, custom_objects)
        cls = objects.get(class_name)
        if cls is None:
            raise ValueError(_unknown(class_name))
        return cls.from_config(config)
    obj = objects.get(name)
    if obj is None:
        raise ValueError(_unknown(name))
    return obj() if inspect.isclass(obj) else obj


def _unknown(name) -> str:
    return (f"Unknown loss function: '{name}'. Use a built-in name such as 'mse' or "
            f"'sparse_categorical_crossentropy', a Loss instance or a callable; pass custom "
            f"losses with custom_objects={{'{name}': ...}}.")


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
    raise ValueError(f"Could not interpret loss function identifier: {identifier!r}. Expected "
                     f"a string, a config dict, a Loss instance or a callable.")
