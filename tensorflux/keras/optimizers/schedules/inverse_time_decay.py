"""``keras.optimizers.schedules.InverseTimeDecay``."""

from __future__ import annotations

from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
    decay_inputs,
)
from tensorflux.ops import math_ops, unary_math_ops


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    With ``staircase=True`` ``step / decay_steps`` is floored.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how often to apply the decay; must be positive.
        decay_rate: the decay factor.
        staircase: floor ``step / decay_steps``.
        name: kept in the config.

    >>> import tensorflux as tf
    >>> s = tf.keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 1.0)
    >>> float(s(10))
    0.05000000074505806
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr, step = decay_inputs(self.initial_learning_rate, step)
        p = step / math_ops.cast(self.decay_steps, lr.dtype)
        if self.staircase:
            p = unary_math_ops.floor(p)
        return lr / (1.0 + math_ops.cast(self.decay_rate, lr.dtype) * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
