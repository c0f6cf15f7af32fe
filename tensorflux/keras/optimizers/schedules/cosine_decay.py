"""``keras.optimizers.schedules.CosineDecay``."""

from __future__ import annotations

import math

from tensorflux.framework.tensor import constant
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
    decay_inputs,
)
from tensorflux.ops import array_ops, math_ops, unary_math_ops


class CosineDecay(LearningRateSchedule):
    """Cosine decay from the initial (or warm-up target) rate down to ``alpha`` times it,
    optionally after a linear warm-up.

    ``rate(step) = peak * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)``
    with ``s = min(step - warmup_steps, decay_steps)``; during the first ``warmup_steps``
    the rate rises linearly from ``initial_learning_rate`` to ``warmup_target``.

    Args:
        initial_learning_rate: the starting rate.
        decay_steps: length of the cosine part; must be positive.
        alpha: the final rate as a fraction of the peak.
        name: kept in the config.
        warmup_target: the peak rate after warm-up (``None``: no warm-up).
        warmup_steps: length of the warm-up.

    >>> import tensorflux as tf
    >>> s = tf.keras.optimizers.schedules.CosineDecay(0.1, 10)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name=None,
        warmup_target=None,
        warmup_steps=0,
    ):
        check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, peak, step, dtype):
        step = math_ops.minimum(step, math_ops.cast(self.decay_steps, dtype))
        cosine = 0.5 * (
            1.0
            + unary_math_ops.cos(
                constant(math.pi, dtype) * step / math_ops.cast(self.decay_steps, dtype)
            )
        )
        alpha = math_ops.cast(self.alpha, dtype)
        return peak * ((1.0 - alpha) * cosine + alpha)

    def __call__(self, step):
        lr, step = decay_inputs(self.initial_learning_rate, step)
        dtype = lr.dtype
        if self.warmup_target is None:
            return self._decay(lr, step, dtype)
        target = math_ops.cast(self.warmup_target, dtype)
        warmup_steps = math_ops.cast(self.warmup_steps, dtype)
        # Both branches are cheap scalars: a where keeps the schedule one graph path.
        warm = lr + (target - lr) * (step / math_ops.maximum(warmup_steps, 1.0))
        decayed = self._decay(target, step - warmup_steps, dtype)
        return array_ops.where(step < warmup_steps, warm, decayed)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
