"""``keras.optimizers.Ftrl``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import clip_ops, math_ops

__all__ = ["Ftrl"]


class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al.), with L1, L2 and L2-shrinkage regularization.

    ``g' = g + 2 * l2_shrinkage * w``; ``n' = n + g**2``;
    ``z += g' - (n'**-p - n**-p) / lr * w`` with ``p = learning_rate_power``;
    ``w = (clip(z, -l1, l1) - z) / (n'**-p / lr + 2 * (l2 + beta / (2 * lr)))``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        learning_rate_power: ``<= 0``; -0.5 is the paper's rate.
        initial_accumulator_value: starting ``n``; ``>= 0``.
        l1_regularization_strength: ``>= 0``.
        l2_regularization_strength: ``>= 0``.
        l2_shrinkage_regularization_strength: ``>= 0``; a magnitude penalty on the
            weights inside the gradient.
        beta: the paper's beta, folded into the L2 term.
        Other arguments: see ``Optimizer``.

    Raises:
        ValueError: an argument outside its range.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Ftrl(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.6031
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Ftrl",
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
        checks = [
            ("initial_accumulator_value", initial_accumulator_value, ">= 0"),
            ("learning_rate_power", -learning_rate_power, "<= 0"),
            ("l1_regularization_strength", l1_regularization_strength, ">= 0"),
            ("l2_regularization_strength", l2_regularization_strength, ">= 0"),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, ">= 0"),
        ]
        for arg, value, rule in checks:
            if value < 0:
                shown = -value if arg == "learning_rate_power" else value
                raise ValueError(
                    f"`{arg}` needs to be {rule} for optimizer '{self.name}'. "
                    f"Received: {arg}={shown}."
                )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_specs(self):
        return [("accumulator", self.initial_accumulator_value), ("linear", 0.0)]

    def _dense_update(self, grad, var, slots, c):
        dtype = var.dtype
        lr = c["lr"]
        power = math_ops.cast(-self.learning_rate_power, dtype)
        l1 = math_ops.cast(self.l1_regularization_strength, dtype)
        l2 = math_ops.cast(self.l2_regularization_strength, dtype) + math_ops.cast(
            self.beta, dtype
        ) / (2.0 * lr)
        shrinkage = math_ops.cast(self.l2_shrinkage_regularization_strength, dtype)
        accumulator, linear = slots["accumulator"], slots["linear"]
        grad_to_use = grad + 2 * shrinkage * var
        new_accumulator = accumulator + math_ops.square(grad)
        linear.assign_add(
            grad_to_use
            - (math_ops.pow(new_accumulator, power) - math_ops.pow(accumulator, power)) / lr * var
        )
        quadratic = math_ops.pow(new_accumulator, power) / lr + 2 * l2
        var.assign((clip_ops.clip_by_value(linear, -l1, l1) - linear) / quadratic)
        accumulator.assign(new_accumulator)

    def get_config(self):
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
