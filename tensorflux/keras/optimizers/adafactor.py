"""``keras.optimizers.Adafactor``."""

from __future__ import annotations

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from tensorflux.ops import math_ops, reduction_ops, shape_ops, unary_math_ops

__all__ = ["Adafactor"]


def _rms(x):
    return unary_math_ops.sqrt(reduction_ops.reduce_mean(math_ops.square(x)))


class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018): Adam-like steps with a factored second moment.

    For a weight of rank >= 2, the running mean of squared gradients is kept as its
    row means ``r`` and column means ``c`` over the last two axes (memory ``n + m``
    instead of ``n * m``), and estimated as ``outer(r / mean(r), c)``; smaller weights
    keep it whole in ``v``. With ``t`` the step number:

    - ``beta_2_t = 1 - t ** beta_2_decay``; the averages use ``g**2 + epsilon_1``;
    - ``u = g / sqrt(v)``, scaled down so its RMS is at most ``clip_threshold``;
    - ``w -= max(epsilon_2, rms(w)) * min(lr, 1 / sqrt(t)) * u``.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_2_decay: the exponent of the second-moment decay schedule.
        epsilon_1: added to the squared gradients.
        epsilon_2: the smallest weight RMS the step scales with.
        clip_threshold: the largest RMS of the normalised update.
        relative_step: cap a fixed learning rate at ``1 / sqrt(t)``.
        Other arguments: see ``Optimizer``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Adafactor(learning_rate=0.5)
    >>> var = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> opt.minimize(lambda: tf.reduce_sum(var ** 2) / 2.0, [var])
    >>> [[round(v, 4) for v in row] for row in var.numpy().tolist()]
    [[-0.0607, 0.5], [1.577, 2.6584]]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Adafactor",
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        """Creates ``r`` and ``c`` (rank >= 2 weights) and ``v`` for new variables."""
        new = [v for v in var_list if id(v) not in self._slots]
        super().build(var_list)
        for var in new:
            slots = self._slots[id(var)]
            base = var.name.split(":")[0]
            shape = var.shape.as_list()
            if len(shape) >= 2:
                slots["r"] = self.add_variable(shape[:-1], var.dtype, name=f"r/{base}")
                slots["c"] = self.add_variable(shape[:-2] + shape[-1:], var.dtype, name=f"c/{base}")
            slots["v"] = self.add_variable_from_reference(var, "v")

    def _dense_update(self, grad, var, slots, c):
        dtype = var.dtype
        t = self._local_step(dtype)
        lr = c["lr"]
        inv_sqrt_t = unary_math_ops.rsqrt(t)
        if self.relative_step and not isinstance(self._learning_rate, LearningRateSchedule):
            lr = math_ops.minimum(lr, inv_sqrt_t)
        alpha = math_ops.maximum(
            math_ops.cast(self.epsilon_2, dtype), _rms(var)
        ) * math_ops.minimum(lr, inv_sqrt_t)
        grad_sq = math_ops.square(grad) + self.epsilon_1
        beta_2 = 1.0 - math_ops.pow(t, math_ops.cast(self.beta_2_decay, dtype))
        v = slots["v"]
        if "r" in slots:
            r, col = slots["r"], slots["c"]
            r.assign(beta_2 * r + (1.0 - beta_2) * reduction_ops.reduce_mean(grad_sq, axis=-1))
            col.assign(beta_2 * col + (1.0 - beta_2) * reduction_ops.reduce_mean(grad_sq, axis=-2))
            row_share = r / reduction_ops.reduce_mean(r, axis=-1, keepdims=True)
            v.assign(shape_ops.expand_dims(row_share, -1) * shape_ops.expand_dims(col, -2))
        else:
            v.assign(beta_2 * v + (1.0 - beta_2) * grad_sq)
        u = convert_to_tensor(grad) * unary_math_ops.rsqrt(v)
        u = u / math_ops.maximum(math_ops.cast(1.0, dtype), _rms(u) / self.clip_threshold)
        var.assign_add(-alpha * u)

    def get_config(self):
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
