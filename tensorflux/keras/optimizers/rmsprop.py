"""``keras.optimizers.RMSprop``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import math_ops, unary_math_ops

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: divides the gradient by a running root mean square of past gradients.

    ``v = rho * v + (1 - rho) * g**2``; the step is ``lr * g / sqrt(v + epsilon)``
    (centered: ``v - mean_g**2`` under the root, with ``mean_g`` a running mean of
    ``g``), accumulated in a momentum slot when ``momentum > 0``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        rho: decay of the squared-gradient average.
        momentum: momentum of the steps.
        epsilon: added under the square root.
        centered: normalize by the gradient's estimated variance instead.
        Other arguments: see ``Optimizer`` (here ``ema_overwrite_frequency`` defaults
            to 100, as in Keras 2).

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.RMSprop(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.6838
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=100,
        jit_compile=True,
        name="RMSprop",
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
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    _blocked_slots = frozenset({"momentum", "average_gradient"})

    def _slot_specs(self):
        specs = [("velocity", 0.0)]
        if self.momentum > 0:
            specs.append(("momentum", 0.0))
        if self.centered:
            specs.append(("average_gradient", 0.0))
        return specs

    def _dense_update(self, grad, var, slots, c):
        # Python-float coefficients, rounded once to the variable's dtype (as Keras 2).
        rho, epsilon = self.rho, self.epsilon
        velocity = slots["velocity"]
        velocity.assign(rho * velocity + (1 - rho) * math_ops.square(grad))
        if self.centered:
            average = slots["average_gradient"]
            average.assign(rho * average + (1 - rho) * grad)
            denominator = velocity - math_ops.square(average) + epsilon
        else:
            denominator = velocity + epsilon
        increment = c["lr"] * grad * unary_math_ops.rsqrt(denominator)
        if self.momentum > 0:
            momentum = slots["momentum"]
            momentum.assign(self.momentum * momentum + increment)
            var.assign_sub(momentum)
        else:
            var.assign_sub(increment)

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
