"""``keras.optimizers.legacy.Adam``."""

from __future__ import annotations

from tensorflux.keras import backend
from tensorflux.keras.optimizers.legacy.optimizer_v2 import OptimizerV2
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["Adam"]


class Adam(OptimizerV2):
    """Adam as Keras 2's legacy optimizer (TF's ``ResourceApplyAdam``).

    ``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 - beta_2)`` with the betas
    and ``1 - beta`` in float32, then
    ``w -= m * lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) / (sqrt(v) + epsilon)``;
    ``amsgrad`` divides by the running maximum of ``v`` (slot ``vhat``).

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.legacy.Adam(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> _ = opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1, beta_2: the moment decays.
        epsilon: the fuzz factor (``None`` or 0: ``keras.backend.epsilon()``).
        amsgrad: use the AMSGrad variant.
        name, **kwargs: see ``legacy.SGD``.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name="Adam",
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("decay", self._initial_decay)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()
        self.amsgrad = amsgrad

    def _create_slots(self, var_list):
        for slot in ("m", "v", "vhat") if self.amsgrad else ("m", "v"):
            for var in var_list:
                self.add_slot(var, slot)

    def _prepare_local(self, var_device, dtype, apply_state):
        super()._prepare_local(var_device, dtype, apply_state)
        coefficients = apply_state[(var_device, dtype)]
        step = math_ops.cast(self.iterations.value() + 1, dtype)
        beta_1 = self._get_hyper("beta_1", dtype)
        beta_2 = self._get_hyper("beta_2", dtype)
        coefficients.update(
            alpha=coefficients["lr_t"]
            * unary_math_ops.sqrt(1.0 - math_ops.pow(beta_2, step))
            / (1.0 - math_ops.pow(beta_1, step)),
            one_minus_beta_1=1.0 - beta_1,
            one_minus_beta_2=1.0 - beta_2,
            epsilon=math_ops.cast(self.epsilon, dtype),
        )

    def _update(self, grad, var, slots, c):
        m = slots["m"] + (grad - slots["m"]) * c["one_minus_beta_1"]
        v = slots["v"] + (math_ops.square(grad) - slots["v"]) * c["one_minus_beta_2"]
        new = {"m": m, "v": v}
        if self.amsgrad:
            new["vhat"] = v = math_ops.maximum(slots["vhat"], v)
        return var - (m * c["alpha"]) / (unary_math_ops.sqrt(v) + c["epsilon"]), new

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate": self._serialize_hyperparameter("learning_rate"),
            "decay": self._initial_decay,
            "beta_1": self._serialize_hyperparameter("beta_1"),
            "beta_2": self._serialize_hyperparameter("beta_2"),
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
