"""``keras.optimizers.Adamax``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import math_ops

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm in place of the second moment.

    ``m += (g - m) * (1 - beta_1)``; ``u = max(beta_2 * u, |g|)``;
    ``w -= lr * m / ((1 - beta_1**t) * (u + epsilon))``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1: decay of the first moment.
        beta_2: decay of the infinity norm.
        epsilon: added to the denominator.
        Other arguments: see ``Optimizer``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Adamax(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Adamax",
        **kwargs,
    ):
        super().__init__(
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            jit_compile=jit_compile,
            learning_rate=learning_rate,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_specs(self):
        return [("m", 0.0), ("u", 0.0)]

    def _prepare_step(self, dtype):
        c = super()._prepare_step(dtype)
        beta_1 = math_ops.cast(self.beta_1, dtype)
        c["bias_correction"] = 1 - math_ops.pow(beta_1, self._local_step(dtype))
        return c

    def _dense_update(self, grad, var, slots, c):
        m, u = slots["m"], slots["u"]
        # Python-float coefficients, rounded once to the variable's dtype (as Keras 2).
        m.assign_add((grad - m) * (1 - self.beta_1))
        u.assign(math_ops.maximum(self.beta_2 * u, math_ops.abs(grad)))
        var.assign_sub((c["lr"] * m) / (c["bias_correction"] * (u + self.epsilon)))

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
