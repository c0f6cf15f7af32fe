"""``keras.optimizers.schedules.PolynomialDecay``."""

from __future__ import annotations

from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
    decay_inputs,
)
from tensorflux.ops import math_ops, unary_math_ops


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``.

    Without ``cycle`` the step stops at ``decay_steps`` (the rate stays at
    ``end_learning_rate``); with it ``decay_steps`` grows to the next multiple
    that is at least the step, so the rate restarts from higher.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: length of the decay; must be positive.
        end_learning_rate: the final rate.
        power: the polynomial's power.
        cycle: restart after ``decay_steps``.
        name: kept in the config.

    >>> import tensorflux as tf
    >>> s = tf.keras.optimizers.schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.0)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name=None,
    ):
        check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        lr, step = decay_inputs(self.initial_learning_rate, step)
        dtype = lr.dtype
        decay_steps = math_ops.cast(self.decay_steps, dtype)
        if self.cycle:
            # Step 0 belongs to the first cycle, not to a zero-length one.
            multiplier = math_ops.maximum(unary_math_ops.ceil(step / decay_steps), 1.0)
            decay_steps = decay_steps * multiplier
        else:
            step = math_ops.minimum(step, decay_steps)
        end = math_ops.cast(self.end_learning_rate, dtype)
        frac = 1.0 - step / decay_steps
        return (lr - end) * math_ops.pow(frac, math_ops.cast(self.power, dtype)) + end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
