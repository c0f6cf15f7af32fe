"""``keras.optimizers.Lion``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import math_ops

__all__ = ["Lion"]


class Lion(Optimizer):
    """Lion: evolved sign momentum (Chen et al., 2023).

    Each step moves every weight by exactly ``learning_rate`` in the direction of the
    sign of an interpolation of the momentum and the gradient:
    ``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``. Its steps are larger than Adam's, so it
    wants a learning rate 3-10 times smaller.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1: the interpolation factor of the update direction, in (0, 1].
        beta_2: the decay of the momentum.
        Other arguments: see ``Optimizer``.

    Raises:
        ValueError: ``beta_1`` outside (0, 1].

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Lion(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.0001,
        beta_1=0.9,
        beta_2=0.99,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Lion",
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
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                f"`beta_1`={beta_1} must be between ]0, 1]. Otherwise, the optimizer "
                "degenerates to SignSGD."
            )

    def _slot_specs(self):
        return [("m", 0.0)]

    def _dense_update(self, grad, var, slots, c):
        m = slots["m"]
        # Keras rounds the betas to the variable's dtype first, then takes 1 - beta.
        beta_1 = math_ops.cast(self.beta_1, var.dtype)
        beta_2 = math_ops.cast(self.beta_2, var.dtype)
        var.assign_sub(c["lr"] * math_ops.sign(m * beta_1 + grad * (1.0 - beta_1)))
        m.assign(m * beta_2 + grad * (1.0 - beta_2))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
