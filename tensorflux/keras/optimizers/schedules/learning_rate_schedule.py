"""``keras.optimizers.schedules.LearningRateSchedule`` and schedule (de)serialization."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.utils.serialization import serialize_keras_object, unknown_object_error
from tensorflux.ops import math_ops


class LearningRateSchedule:
    """A learning rate as a function of the optimizer step.

    Subclasses implement ``__call__(step)``, returning a float tensor, and
    ``get_config``. An optimizer created with a schedule evaluates it at its
    ``iterations`` on every update, also inside a traced ``tf.function``.

    >>> import tensorflux as tf
    >>> class Halving(tf.keras.optimizers.schedules.LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.5 ** tf.cast(step, tf.float32)
    ...     def get_config(self):
    ...         return {}
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()`."
        )

    @classmethod
    def from_config(cls, config: dict):
        """Instantiates a schedule from the output of ``get_config``."""
        return cls(**config)


def decay_inputs(initial_learning_rate, step):
    """``(initial rate as a float tensor, step cast to its dtype)``, shared by the decays."""
    lr = convert_to_tensor(initial_learning_rate)
    if not lr.dtype.is_floating:
        lr = math_ops.cast(lr, dtypes.float32)
    return lr, math_ops.cast(step, lr.dtype)


def check_decay_steps(argument: str, value) -> None:
    """Raises ``ValueError`` unless ``value`` (the ``argument`` named) is positive."""
    if value <= 0:
        raise ValueError(f"Argument `{argument}` must be > 0. Received: {argument}={value}")


def serialize(learning_rate_schedule) -> dict:
    """The Keras 2 serialized form ``{"module", "class_name", "config", "registered_name"}``."""
    return serialize_keras_object(learning_rate_schedule, "keras.optimizers.schedules")


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from ``serialize``'s output (or a ``{"class_name", "config"}``).

    Raises:
        ValueError: an unknown ``class_name``.
    """
    from tensorflux.keras.optimizers import schedules

    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or getattr(schedules, name, None)
    if not (isinstance(cls, type) and issubclass(cls, LearningRateSchedule)):
        raise unknown_object_error(
            "learning rate schedule",
            name,
            "Please ensure you are using a "
            "`keras.utils.custom_object_scope` or pass it in `custom_objects`.",
        )
    return cls.from_config(config["config"])
