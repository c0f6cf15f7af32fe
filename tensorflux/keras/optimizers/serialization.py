"""``keras.optimizers.get``, ``serialize`` and ``deserialize``."""

from __future__ import annotations

from tensorflux.keras.optimizers.adadelta import Adadelta
from tensorflux.keras.optimizers.adagrad import Adagrad
from tensorflux.keras.optimizers.adam import Adam
from tensorflux.keras.optimizers.adamax import Adamax
from tensorflux.keras.optimizers.adamw import AdamW
from tensorflux.keras.optimizers.ftrl import Ftrl
from tensorflux.keras.optimizers.nadam import Nadam
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.keras.optimizers.rmsprop import RMSprop
from tensorflux.keras.optimizers.sgd import SGD

__all__ = ["deserialize", "get", "serialize"]

_BY_NAME = {cls.__name__.lower(): cls for cls in
            (Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Nadam, RMSprop, SGD)}


def serialize(optimizer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if optimizer is None:
        return None
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuilds an optimizer from ``serialize``'s output; class names are matched
    case-insensitively (``{"class_name": "adam", "config": {}}`` works).

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(
            f"Unknown optimizer: '{name}'. Please ensure you are using a "
            f"`keras.utils.custom_object_scope` and that this object is included in the "
            f"scope. Known optimizers: {sorted(_BY_NAME)}.")
    return cls.from_config(config.get("config", {}), custom_objects)


def get(identifier, **kwargs):
    """Resolves ``identifier`` to an optimizer instance.

    Args:
        identifier: an ``Optimizer`` (returned as is), a name such as ``"adam"`` or
            ``"SGD"`` (a new instance with default arguments), or a config dict.

    Raises:
        ValueError: an unknown name or an identifier of another kind.

    >>> import tensorflux as tf
    >>> type(tf.keras.optimizers.get("rmsprop")).__name__
    'RMSprop'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Pass an "
                     f"optimizer instance or a name such as 'adam' or 'sgd'.")
