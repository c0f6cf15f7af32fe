"""``keras.optimizers.Adagrad``."""

from __future__ import annotations

from tensorflux.keras.optimizers.optimizer import Optimizer, summed_rows
from tensorflux.ops import array_ops, math_ops, slicing_ops, unary_math_ops

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: per-parameter rates that shrink with the sum of squared gradients.

    ``acc += g**2``; ``w -= lr * g / sqrt(acc + epsilon)``. An ``IndexedSlices``
    gradient updates only its rows.

    Args:
        learning_rate: float, ``LearningRateSchedule`` or zero-argument callable.
        initial_accumulator_value: starting value of ``acc``; must be non-negative.
        epsilon: added under the square root.
        Other arguments: see ``Optimizer``.

    Raises:
        ValueError: a negative ``initial_accumulator_value``.

    >>> import tensorflux as tf
    >>> opt = tf.keras.optimizers.Adagrad(learning_rate=0.1)
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: (var ** 2) / 2.0, [var])
    >>> round(float(var), 4)
    0.9047
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        name="Adagrad",
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
        if initial_accumulator_value < 0:
            raise ValueError(
                f"`initial_accumulator_value` must be non-negative for optimizer "
                f"'{self.name}'. Received: "
                f"initial_accumulator_value={initial_accumulator_value}."
            )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_specs(self):
        return [("accumulator", self.initial_accumulator_value)]

    def _dense_update(self, grad, var, slots, c):
        accumulator = slots["accumulator"]
        accumulator.assign_add(grad * grad)
        epsilon = math_ops.cast(self.epsilon, var.dtype)
        var.assign_sub(c["lr"] * grad / unary_math_ops.sqrt(accumulator + epsilon))

    def _sparse_update(self, grad, var, slots, c):
        accumulator = slots["accumulator"]
        rows = array_ops.expand_dims(grad.indices, -1)
        values = summed_rows(grad)
        new_accumulator = array_ops.gather(accumulator, grad.indices) + values * values
        accumulator.assign(slicing_ops.tensor_scatter_nd_update(accumulator, rows, new_accumulator))
        epsilon = math_ops.cast(self.epsilon, var.dtype)
        step = c["lr"] * values / unary_math_ops.sqrt(new_accumulator + epsilon)
        var.assign(
            slicing_ops.tensor_scatter_nd_update(
                var, rows, array_ops.gather(var, grad.indices) - step
            )
        )

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
