"""``keras.optimizers.Adadelta``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import unary_math_ops

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler): steps scaled by the ratio of running RMS of past steps and
    of gradients.

    ``Eg = rho * Eg + (1 - rho) * g**2``;
    ``d = -sqrt(Ed + epsilon) / sqrt(Eg + epsilon) * g``;
    ``Ed = rho * Ed + (1 - rho) * d**2``; ``w += lr * d``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable
            (Keras 2's default 0.001; the paper's method uses 1.0).
        rho: decay of both running averages.
        epsilon: added under the square roots.
        Other arguments: see ``Optimizer``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Adadelta(learning_rate=1.0)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 6)
    0.998586
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
        epsilon=1e-7,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Adadelta",
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
        self.rho = rho
        self.epsilon = epsilon

    def _slot_specs(self):
        return [("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0)]

    def _dense_update(self, grad, var, slots, c):
        # Python-float coefficients, rounded once to the variable's dtype (as Keras 2).
        rho, epsilon = self.rho, self.epsilon
        accumulated_grad = slots["accumulated_grad"]
        accumulated_delta = slots["accumulated_delta_var"]
        accumulated_grad.assign(rho * accumulated_grad + (1 - rho) * grad * grad)
        delta = (
            -unary_math_ops.sqrt(accumulated_delta + epsilon)
            * grad
            / unary_math_ops.sqrt(accumulated_grad + epsilon)
        )
        accumulated_delta.assign(rho * accumulated_delta + (1 - rho) * delta * delta)
        var.assign_add(c["lr"] * delta)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
