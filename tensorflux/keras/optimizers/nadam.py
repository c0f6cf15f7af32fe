"""``keras.optimizers.Nadam``."""

from __future__ import annotations

import numpy as np

from tensorflux.framework.variables import Variable
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["Nadam"]


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum (Dozat), as Keras 2 computes it.

    With the momentum schedule ``u_t = beta_1 * (1 - 0.5 * 0.96**t)`` and its running
    product ``P_t``: ``m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g /
    (1 - P_t)``, ``v_hat = v / (1 - beta_2**t)``,
    ``w -= lr * m_hat / (sqrt(v_hat) + epsilon)``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to the denominator.
        Other arguments: see ``Optimizer``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Nadam(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.8937
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
        name="Nadam",
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
        self._u_product = None

    def _slot_specs(self):
        return [("m", 0.0), ("v", 0.0)]

    def build(self, var_list):
        super().build(var_list)
        if self._u_product is None and var_list:
            # The running product of the momentum schedule, shared by all variables
            # (as in Keras 2, typed like the first variable and not in `variables`).
            self._u_product = Variable(
                np.array(1.0, var_list[0].dtype.as_numpy_dtype), trainable=False, name="u_product"
            )

    def _momentum_schedule(self):
        """``(u_t, u_{t+1}, P_t, P_t * u_{t+1})``; advances ``P`` once per step."""
        cached = self._step_cache.get("momentum_schedule")
        if cached is None:
            dtype = self._u_product.dtype
            t = self._local_step(dtype)
            beta_1 = math_ops.cast(self.beta_1, dtype)
            decay = math_ops.cast(0.96, dtype)
            u_t = beta_1 * (1.0 - 0.5 * math_ops.pow(decay, t))
            u_next = beta_1 * (1.0 - 0.5 * math_ops.pow(decay, t + 1.0))
            product = self._u_product * u_t
            self._u_product.assign(product)
            cached = self._step_cache["momentum_schedule"] = (
                u_t,
                u_next,
                product,
                product * u_next,
            )
        return cached

    def _prepare_step(self, dtype):
        c = super()._prepare_step(dtype)
        u_t, u_next, product, product_next = (
            math_ops.cast(x, dtype) for x in self._momentum_schedule()
        )
        beta_1 = math_ops.cast(self.beta_1, dtype)
        beta_2 = math_ops.cast(self.beta_2, dtype)
        c["one_minus_beta_1"] = 1 - beta_1
        c["one_minus_beta_2"] = 1 - beta_2
        c["m_coef"] = u_next / (1 - product_next)
        c["g_coef"] = (1 - u_t) / (1 - product)
        c["v_coef"] = 1 / (1 - math_ops.pow(beta_2, self._local_step(dtype)))
        c["epsilon"] = math_ops.cast(self.epsilon, dtype)
        return c

    def _dense_update(self, grad, var, slots, c):
        m, v = slots["m"], slots["v"]
        m.assign_add((grad - m) * c["one_minus_beta_1"])
        v.assign_add((math_ops.square(grad) - v) * c["one_minus_beta_2"])
        m_hat = c["m_coef"] * m + c["g_coef"] * grad
        v_hat = v * c["v_coef"]
        var.assign_sub((m_hat * c["lr"]) / (unary_math_ops.sqrt(v_hat) + c["epsilon"]))

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
