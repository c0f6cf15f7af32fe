"""``keras.optimizers.legacy.Adadelta``."""

from __future__ import annotations

from tensorflux.keras import backend
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["Adadelta"]


class Adadelta(OptimizerV2):
    """Adadelta as Keras 2's legacy optimizer (TF's ``ResourceApplyAdadelta``).

    ``acc = rho * acc + (1 - rho) * g**2``;
    ``d = sqrt(acc_update + eps) / sqrt(acc + eps) * g``; ``w -= lr * d``;
    ``acc_update = rho * acc_update + (1 - rho) * d**2`` (slots ``accum_grad`` and
    ``accum_var``).

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Adadelta(learning_rate=1.0)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 6)
    0.998586

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        rho: the decay of the running averages.
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        name, **kwargs: see ``legacy.SGD``.
    """

    _ROW_SPARSE = True

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="Adadelta", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("rho", rho)
        self.epsilon = epsilon or backend.epsilon()

    def _create_slots(self, var_list):
        for slot in ("accum_grad", "accum_var"):
            for var in var_list:
                self.add_slot(var, slot)

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        coefficients["rho"] = self._get_hyper("rho", dtype)
        coefficients["epsilon"] = math_ops.cast(self.epsilon, dtype)

    def _update(self, grad, var, slots, c):
        rho, eps = c["rho"], c["epsilon"]
        acc = slots["accum_grad"] * rho + math_ops.square(grad) * (1.0 - rho)
        delta = (
            unary_math_ops.sqrt(slots["accum_var"] + eps) * unary_math_ops.rsqrt(acc + eps) * grad
        )
        acc_update = slots["accum_var"] * rho + math_ops.square(delta) * (1.0 - rho)
        return var - delta * c["lr_t"], {"accum_grad": acc, "accum_var": acc_update}

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "rho": self._serialize_hyperparameter("rho"),
            "epsilon": self.epsilon,
        }
