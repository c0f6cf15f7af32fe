"""``keras.optimizers.legacy.Adamax``."""

from __future__ import annotations

from tensorflux.keras import backend
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import math_ops

__all__ = ["Adamax"]


class Adamax(OptimizerV2):
    """Adamax as Keras 2's legacy optimizer (TF's ``ResourceApplyAdaMax``):
    ``m += (g - m) * (1 - beta_1)``, ``v = max(beta_2 * v, |g|)``,
    ``w -= lr / (1 - beta_1**t) * m / (v + epsilon)``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Adamax(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1, beta_2: the moment decays.
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        name, **kwargs: see ``legacy.SGD``.
    """

    _ROW_SPARSE = True

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="Adamax", **kwargs
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()

    def _create_slots(self, var_list):
        for slot in ("m", "v"):
            for var in var_list:
                self.add_slot(var, slot)

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        step = math_ops.cast(self.iterations.value() + 1, dtype)
        beta_1 = self._get_hyper("beta_1", dtype)
        coefficients.update(
            beta_1_power=math_ops.pow(beta_1, step),
            one_minus_beta_1=1.0 - beta_1,
            beta_2=self._get_hyper("beta_2", dtype),
            epsilon=math_ops.cast(self.epsilon, dtype),
        )

    def _update(self, grad, var, slots, c):
        m = slots["m"] + (grad - slots["m"]) * c["one_minus_beta_1"]
        v = math_ops.maximum(c["beta_2"] * slots["v"], math_ops.abs(grad))
        step = c["lr_t"] / (1.0 - c["beta_1_power"]) * (m / (v + c["epsilon"]))
        return var - step, {"m": m, "v": v}

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "beta_1": self._serialize_hyperparameter("beta_1"),
            "beta_2": self._serialize_hyperparameter("beta_2"),
            "epsilon": self.epsilon,
        }
