"""``keras.optimizers.SGD``: gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import array_ops, math_ops, slicing_ops

__all__ = ["SGD"]


class SGD(Optimizer):
    """Gradient descent, with momentum ``m`` when ``momentum > 0``.

    ``m = momentum * m - lr * g``; then ``w += m``, or with ``nesterov=True``
    ``w += momentum * m - lr * g``. Without momentum: ``w -= lr * g``, and an
    ``IndexedSlices`` gradient updates only its rows.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        momentum: in ``[0, 1]``.
        nesterov: use Nesterov momentum.
        Other arguments: see ``Optimizer``.

    Raises:
        ValueError: ``momentum`` outside ``[0, 1]``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="SGD",
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
        if not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(
                f"`momentum` must be between [0, 1]. Received: "
                f"momentum={momentum} for optimizer '{self.name}'."
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def _slot_specs(self):
        # Plain SGD needs no state; Keras 2 still makes an unused "m" slot, we don't.
        return [("m", 0.0)] if self.momentum else []

    def _dense_update(self, grad, var, slots, c):
        lr = c["lr"]
        if not self.momentum:
            var.assign_sub(grad * lr)
            return
        m = slots["m"]
        momentum = math_ops.cast(self.momentum, var.dtype)
        m.assign(-grad * lr + m * momentum)
        if self.nesterov:
            var.assign_add(-grad * lr + m * momentum)
        else:
            var.assign_add(m)

    def _sparse_update(self, grad, var, slots, c):
        if self.momentum:
            super()._sparse_update(grad, var, slots, c)
            return
        rows = array_ops.expand_dims(grad.indices, -1)
        var.assign(slicing_ops.tensor_scatter_nd_sub(var, rows, grad.values * c["lr"]))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
