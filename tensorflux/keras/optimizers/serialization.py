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
from tensorflux.keras.utils.serialization import (
    SCOPE_HINT,
    resolve_keras_object,
    serialize_keras_object,
)

__all__ = ["deserialize", "get", "serialize"]

_BY_NAME = {
    cls.__name__.lower(): cls
    for cls in (Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Nadam, RMSprop, SGD)
}
# The mixed-precision wrapper, under tf_keras' names for it.
_LOSS_SCALE_NAMES = ("lossscaleoptimizer", "lossscaleoptimizerv3")
_UNKNOWN_HINT = SCOPE_HINT + f" Known optimizers: {sorted(_BY_NAME)}."


def serialize(optimizer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if optimizer is None:
        return None
    if type(optimizer).__name__ == "LossScaleOptimizerV3":
        # As tf_keras writes its loss-scale wrapper (a class outside keras.optimizers).
        return {
            "module": "tf_keras.src.mixed_precision.loss_scale_optimizer",
            "class_name": "LossScaleOptimizerV3",
            "config": optimizer.get_config(),
            "registered_name": "LossScaleOptimizerV3",
        }
    return serialize_keras_object(optimizer, "keras.optimizers")


def deserialize(config, custom_objects=None):
    """Rebuilds an optimizer from ``serialize``'s output; class names are matched
    case-insensitively (``{"class_name": "adam", "config": {}}`` works).

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    name = config["class_name"]
    known = _BY_NAME
    if name.lower() in _LOSS_SCALE_NAMES:
        from tensorflux.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

        known = {name.lower(): LossScaleOptimizer}
    cls = resolve_keras_object(
        name, known, custom_objects, "optimizer", _UNKNOWN_HINT, key=name.lower()
    )
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
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Pass an "
        f"optimizer instance or a name such as 'adam' or 'sgd'."
    )
