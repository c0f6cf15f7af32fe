"""``keras.optimizers.get``, ``serialize`` and ``deserialize``."""

from __future__ import annotations

from tensorflux.keras.optimizers import legacy
from tensorflux.keras.optimizers.adadelta import Adadelta
from tensorflux.keras.optimizers.adafactor import Adafactor
from tensorflux.keras.optimizers.adagrad import Adagrad
from tensorflux.keras.optimizers.adam import Adam
from tensorflux.keras.optimizers.adamax import Adamax
from tensorflux.keras.optimizers.adamw import AdamW
from tensorflux.keras.optimizers.ftrl import Ftrl
from tensorflux.keras.optimizers.lion import Lion
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
    for cls in (Adadelta, Adafactor, Adagrad, Adam, Adamax, AdamW, Ftrl, Lion, Nadam, RMSprop, SGD)
}
_LEGACY_BY_NAME = {
    name.lower(): getattr(legacy, name) for name in legacy.__all__ if name != "Optimizer"
}
# The mixed-precision wrapper, under tf_keras' names for it.
_LOSS_SCALE_NAMES = ("lossscaleoptimizer", "lossscaleoptimizerv3")
_UNKNOWN_HINT = SCOPE_HINT + f" Known optimizers: {sorted(_BY_NAME)}."


def serialize(optimizer):
    """``{"module", "class_name", "config", "registered_name"}``, as Keras 2 writes it
    (``None`` for ``None``)."""
    if optimizer is None:
        return None
    if isinstance(optimizer, legacy.Optimizer):
        return serialize_keras_object(optimizer, "keras.optimizers.legacy")
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
    case-insensitively (``{"class_name": "adam", "config": {}}`` works), and configs
    of the module ``"keras.optimizers.legacy"`` give legacy optimizers.

    Raises:
        ValueError: an unknown class name.
    """
    if config is None:
        return None
    name = config["class_name"]
    options = dict(config.get("config", {}))
    known = _LEGACY_BY_NAME if _is_legacy(config.get("module"), options) else _BY_NAME
    if known is _LEGACY_BY_NAME:
        options.pop("is_legacy_optimizer", None)
    if name.lower() in _LOSS_SCALE_NAMES:
        from tensorflux.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

        known = {name.lower(): LossScaleOptimizer}
    cls = resolve_keras_object(
        name, known, custom_objects, "optimizer", _UNKNOWN_HINT, key=name.lower()
    )
    return cls.from_config(options, custom_objects)


def _is_legacy(module, options) -> bool:
    """Whether a config describes a ``keras.optimizers.legacy`` optimizer: its module
    says so, or it says ``is_legacy_optimizer``, or (tf_keras' HDF5 files name no module)
    it has the legacy ``decay`` and none of the current optimizers' arguments."""
    if module == "keras.optimizers.legacy" or options.get("is_legacy_optimizer") is True:
        return True
    return (
        "is_legacy_optimizer" not in options
        and "decay" in options
        and "use_ema" not in options
        and "weight_decay" not in options
    )


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
    if isinstance(identifier, (Optimizer, legacy.Optimizer)):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. Pass an "
        f"optimizer instance or a name such as 'adam' or 'sgd'."
    )
