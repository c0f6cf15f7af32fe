"""``keras.optimizers.Adam``."""

from __future__ import annotations

import numbers

from tensorflux.framework.variables import Variable
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import math_ops, optimizer_ops, unary_math_ops

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam: adaptive moment estimation (Kingma & Ba), as Keras 2 computes it.

    ``m += (g - m) * (1 - beta_1)``, ``v += (g**2 - v) * (1 - beta_2)``,
    ``w -= m * alpha / (sqrt(v) + epsilon)`` with
    ``alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)``; with ``amsgrad`` the
    running maximum of ``v`` replaces ``v`` in the denominator.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        beta_1: decay of the first moment.
        beta_2: decay of the second moment.
        epsilon: added to the denominator ("epsilon hat" of the paper).
        amsgrad: use the AMSGrad variant.
        Other arguments: see ``Optimizer``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Adam",
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
        self.amsgrad = amsgrad

    _blocked_slots = frozenset({"vhat"})

    def _slot_specs(self):
        return [("m", 0.0), ("v", 0.0)] + ([("vhat", 0.0)] if self.amsgrad else [])

    def _prepare_step(self, dtype):
        c = super()._prepare_step(dtype)
        t = self._local_step(dtype)
        beta_1 = math_ops.cast(self.beta_1, dtype)
        beta_2 = math_ops.cast(self.beta_2, dtype)
        c["alpha"] = (
            c["lr"]
            * unary_math_ops.sqrt(1 - math_ops.pow(beta_2, t))
            / (1 - math_ops.pow(beta_1, t))
        )
        return c

    def _dense_update(self, grad, var, slots, c):
        m, v = slots["m"], slots["v"]
        if self._fusable(grad, var):
            # One op, bit-identical to the separate ops below (see optimizer_ops). The
            # variable is read in its stored dtype, also where an AutoCastVariable would
            # be read in a layer's compute dtype.
            new_var, new_m, new_v = optimizer_ops.keras_adam_update(
                Variable.value(var),
                m,
                v,
                grad,
                c["alpha"],
                1 - self.beta_1,
                1 - self.beta_2,
                self.epsilon,
            )
            m.assign(new_m)
            v.assign(new_v)
            var.assign(new_var)
            return
        # Python-float coefficients, as Keras 2: ``1 - 0.999`` rounded once to float32,
        # not computed from an already rounded ``beta_2`` (4.7e-5 relative apart).
        m.assign_add((grad - m) * (1 - self.beta_1))
        v.assign_add((math_ops.square(grad) - v) * (1 - self.beta_2))
        if self.amsgrad:
            vhat = slots["vhat"]
            vhat.assign(math_ops.maximum(vhat, v))
            v = vhat
        var.assign_sub((m * c["alpha"]) / (unary_math_ops.sqrt(v) + self.epsilon))

    def _fusable(self, grad, var) -> bool:
        """Whether the fused op computes this update: no AMSGrad, a float16/32/64 variable
        of known shape with a gradient of its dtype, and coefficients that are numbers
        (tensors or callables keep the separate ops, whose conversions they define)."""
        return (
            not self.amsgrad
            and isinstance(var, Variable)
            and var.dtype in optimizer_ops.KERAS_ADAM_DTYPES
            and getattr(grad, "dtype", None) is var.dtype
            and var.shape.is_fully_defined()
            and all(
                isinstance(x, numbers.Real) and not isinstance(x, bool)
                for x in (self.beta_1, self.beta_2, self.epsilon)
            )
        )

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
