"""``keras.optimizers.legacy.Adagrad``."""

from __future__ import annotations

from tensorflux.keras import backend, initializers
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["Adagrad"]


class Adagrad(OptimizerV2):
    """Adagrad as Keras 2's legacy optimizer (TF's ``ResourceApplyAdagradV2``):
    ``acc += g**2``, ``w -= lr * g / (sqrt(acc) + epsilon)`` (epsilon outside the root,
    unlike ``keras.optimizers.Adagrad``).

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Adagrad(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9047

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        initial_accumulator_value: the accumulators' starting value (>= 0).
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        name, **kwargs: see ``legacy.SGD``.

    Raises:
        ValueError: a negative ``initial_accumulator_value``.
    """

    _ROW_SPARSE = True

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
        name="Adagrad",
        **kwargs,
    ):
        if initial_accumulator_value < 0.0:
            raise ValueError(
                f"initial_accumulator_value must be non-negative: {initial_accumulator_value}"
            )
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon or backend.epsilon()

    def _create_slots(self, var_list):
        for var in var_list:
            self.add_slot(
                var, "accumulator", initializers.Constant(self._initial_accumulator_value)
            )

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        coefficients["epsilon"] = math_ops.cast(self.epsilon, dtype)

    def _update(self, grad, var, slots, c):
        acc = slots["accumulator"] + math_ops.square(grad)
        step = grad * c["lr_t"] / (unary_math_ops.sqrt(acc) + c["epsilon"])
        return var - step, {"accumulator": acc}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config.setdefault("initial_accumulator_value", 0.1)
        return super().from_config(config, custom_objects)

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "initial_accumulator_value": self._initial_accumulator_value,
            "epsilon": self.epsilon,
        }
