"""``keras.optimizers.schedules.CosineDecayRestarts``."""

from __future__ import annotations

import math

from tensorflux.framework.tensor import constant
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
    decay_inputs,
)
from tensorflux.ops import math_ops, unary_math_ops


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period ``i`` lasts
    ``first_decay_steps * t_mul ** i`` steps and peaks at ``m_mul ** i`` times the
    initial rate; each period decays to ``alpha`` times its peak.

    Args:
        initial_learning_rate: the first peak.
        first_decay_steps: length of the first period; must be positive.
        t_mul: factor on the period length at each restart.
        m_mul: factor on the peak at each restart.
        alpha: the floor, as a fraction of the initial rate.
        name: kept in the config.

    >>> import tensorflux as tf
    >>> s = tf.keras.optimizers.schedules.CosineDecayRestarts(0.1, 10)
    >>> round(float(s(10)), 6)
    0.1
    """

    def __init__(
        self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None
    ):
        check_decay_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        lr, step = decay_inputs(self.initial_learning_rate, step)
        dtype = lr.dtype
        fraction = step / math_ops.cast(self.first_decay_steps, dtype)
        t_mul = math_ops.cast(self._t_mul, dtype)
        if self._t_mul == 1.0:
            restart = unary_math_ops.floor(fraction)
            fraction = fraction - restart
        else:
            # Period i starts at the geometric sum (1 - t_mul**i) / (1 - t_mul).
            restart = unary_math_ops.floor(
                unary_math_ops.log(1.0 - fraction * (1.0 - t_mul)) / unary_math_ops.log(t_mul)
            )
            start = (1.0 - math_ops.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - start) / math_ops.pow(t_mul, restart)
        peak = math_ops.pow(math_ops.cast(self._m_mul, dtype), restart)
        cosine = 0.5 * peak * (1.0 + unary_math_ops.cos(constant(math.pi, dtype) * fraction))
        alpha = math_ops.cast(self.alpha, dtype)
        return lr * ((1.0 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
