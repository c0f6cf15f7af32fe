"""``keras.mixed_precision.LossScaleOptimizer``: loss scaling around another optimizer.

float16 gradients of small magnitude flush to zero. Multiplying the loss by a large
scale before differentiating keeps them representable; the gradients are divided
by it again before the update. A dynamic scale starts high (2**15), is halved on
every step whose gradients overflow (that step is skipped: only ``iterations``
moves), and doubled after ``dynamic_growth_steps`` finite steps in a row.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.control_flow import cond
from tensorflux.engine.tape import GradientTape
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras.optimizers.optimizer import Optimizer
from tensorflux.ops import logic_ops, math_ops, reduction_ops
from tensorflux.ops.gather_ops import where
from tensorflux.ops.joining_ops import stack

__all__ = ["LossScaleOptimizer", "LossScaleOptimizerV3"]

_DEFAULT_INITIAL_SCALE = 2.0**15
_DEFAULT_GROWTH_STEPS = 2000


class _DynamicLossScale:
    """The dynamic scale's state: the scale (float32) and the count of finite steps
    since it last changed (int64), checkpointed as tf_keras names them."""

    def __init__(self, initial_scale, growth_steps: int):
        self.initial_scale = float(initial_scale)
        self.growth_steps = int(growth_steps)
        self.scale = Variable(
            np.float32(self.initial_scale), trainable=False, name="current_loss_scale"
        )
        self.counter = Variable(np.int64(0), trainable=False, name="good_steps")

    def _trackable_children(self) -> dict:
        return {"current_loss_scale": self.scale, "good_steps": self.counter}

    def update(self, finite):
        """Doubles the scale after ``growth_steps`` finite steps (unless that overflows
        float32), halves it (down to 1) on a non-finite step."""

        def grow():
            doubled = self.scale.value() * np.float32(2.0)
            due = self.counter.value() + np.int64(1) >= np.int64(self.growth_steps)
            grown = logic_ops.logical_and(due, logic_ops.is_finite(doubled))
            self.scale.assign(where(grown, doubled, self.scale.value()))
            self.counter.assign(where(due, np.int64(0), self.counter.value() + np.int64(1)))
            return convert_to_tensor(0)

        def shrink():
            self.scale.assign(math_ops.maximum(self.scale.value() / np.float32(2.0), 1.0))
            self.counter.assign(np.int64(0))
            return convert_to_tensor(0)

        cond(finite, grow, shrink)


def _all_finite(grads):
    """A scalar bool tensor: every element of every gradient is finite."""
    checks = [
        reduction_ops.reduce_all(
            logic_ops.is_finite(g.values if isinstance(g, IndexedSlices) else g)
        )
        for g in grads
        if g is not None
    ]
    if not checks:
        return convert_to_tensor(True)
    return reduction_ops.reduce_all(stack(checks))


def _scaled(grad, factor):
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(
            grad.values * math_ops.cast(factor, grad.values.dtype),
            grad.indices,
            grad.dense_shape,
        )
    return grad * math_ops.cast(factor, grad.dtype)


class LossScaleOptimizerV3(Optimizer):
    """An optimizer that scales the loss to keep float16 gradients from underflowing.

    ``model.compile`` wraps its optimizer in one when the model's policy is
    ``"mixed_float16"``, and ``fit`` then scales every step. In a custom loop, scale
    the loss with ``get_scaled_loss`` under the tape and unscale the gradients with
    ``get_unscaled_gradients`` before ``apply_gradients`` (or call ``minimize``).

    >>> import tensorflux as tf
    >>> opt = tf.keras.mixed_precision.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1))
    >>> float(opt.loss_scale)
    32768.0
    >>> w = tf.Variable(1.0)
    >>> with tf.GradientTape() as tape:
    ...     scaled = opt.get_scaled_loss(w * w)
    >>> grads = opt.get_unscaled_gradients(tape.gradient(scaled, [w]))
    >>> opt.apply_gradients(zip(grads, [w]))
    >>> round(float(w), 4)
    0.8

    Args:
        inner_optimizer: the ``keras.optimizers.Optimizer`` that applies the updates.
        dynamic: whether the scale adapts (default True); False keeps
            ``initial_scale`` for ever.
        initial_scale: the first scale (default 2**15 when dynamic; required otherwise).
        dynamic_growth_steps: finite steps in a row before the scale doubles
            (default 2000; must be None when ``dynamic`` is False).

    Raises:
        TypeError: ``inner_optimizer`` is not an optimizer, or is a LossScaleOptimizer;
            ``dynamic`` is not a bool.
        ValueError: ``inner_optimizer`` is already wrapped; a static scale without
            ``initial_scale`` or with ``dynamic_growth_steps``.
    """

    def __init__(
        self, inner_optimizer, dynamic=True, initial_scale=None, dynamic_growth_steps=None
    ):
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                '"inner_optimizer" must be an instance of `tf.keras.optimizers.Optimizer` '
                "or `tf.keras.optimizers.experimental.Optimizer`, but got: "
                f"{inner_optimizer}."
            )
        if not isinstance(dynamic, bool):
            raise TypeError(
                '"dynamic" argument to LossScaleOptimizer.__init__ must be a bool, but '
                f"got: {dynamic!r}"
            )
        if isinstance(inner_optimizer, LossScaleOptimizerV3):
            raise TypeError(
                "LossScaleOptimizer cannot wrap another LossScaleOptimizer, but got: "
                f"{inner_optimizer}"
            )
        if getattr(inner_optimizer, "_is_wrapped_by_loss_scale_optimizer", False):
            raise ValueError(
                '"inner_optimizer" is already wrapped by a LossScaleOptimizer. An '
                "optimizer can only be wrapped by a single LossScaleOptimizer"
            )
        self._optimizer = inner_optimizer
        inner_optimizer._is_wrapped_by_loss_scale_optimizer = True
        if dynamic:
            self._loss_scale = _DynamicLossScale(
                _DEFAULT_INITIAL_SCALE if initial_scale is None else initial_scale,
                _DEFAULT_GROWTH_STEPS if dynamic_growth_steps is None else dynamic_growth_steps,
            )
        else:
            if initial_scale is None:
                raise ValueError('"initial_scale" must be specified if "dynamic" is False')
            if dynamic_growth_steps is not None:
                raise ValueError(
                    '"dynamic_growth_steps" must be None if "dynamic" is False, but got: '
                    f"{dynamic_growth_steps}"
                )
            self._loss_scale = float(initial_scale)

    def __getattr__(self, name):
        # Everything not about the scale (name, slots, clipping settings...) is the inner
        # optimizer's; only reached for attributes this object does not have.
        if name == "_optimizer":
            raise AttributeError(name)
        return getattr(self._optimizer, name)

    # -- the scale ------------------------------------------------------------

    @property
    def dynamic(self) -> bool:
        """Whether the scale adapts to overflowing gradients."""
        return isinstance(self._loss_scale, _DynamicLossScale)

    @property
    def loss_scale(self):
        """The current scale, a float32 scalar tensor."""
        if self.dynamic:
            return self._loss_scale.scale.value()
        return convert_to_tensor(np.float32(self._loss_scale))

    @property
    def dynamic_counter(self):
        """The int64 variable counting finite steps since the scale last changed (None
        for a static scale)."""
        return self._loss_scale.counter if self.dynamic else None

    @property
    def initial_scale(self) -> float:
        return self._loss_scale.initial_scale if self.dynamic else self._loss_scale

    @property
    def dynamic_growth_steps(self):
        return self._loss_scale.growth_steps if self.dynamic else None

    @property
    def inner_optimizer(self) -> Optimizer:
        return self._optimizer

    def get_scaled_loss(self, loss):
        """``loss`` times the scale, in the loss' dtype; a callable loss gives a callable.

        >>> import tensorflux as tf
        >>> opt = tf.keras.mixed_precision.LossScaleOptimizer(
        ...     tf.keras.optimizers.SGD(), dynamic=False, initial_scale=8)
        >>> float(opt.get_scaled_loss(tf.constant(2.0)))
        16.0
        """
        if callable(loss):

            def scaled_loss():
                value = loss()
                return value * math_ops.cast(self.loss_scale, value.dtype)

            return scaled_loss
        loss = convert_to_tensor(loss)
        return loss * math_ops.cast(self.loss_scale, loss.dtype)

    def get_unscaled_gradients(self, grads):
        """Each gradient divided by the scale (``None`` stays ``None``)."""
        reciprocal = np.float32(1.0) / self.loss_scale
        return [None if g is None else _scaled(g, reciprocal) for g in grads]

    # -- the update -------------------------------------------------------------

    def compute_gradients(self, loss, var_list, tape=None):
        """The unscaled gradients of the scaled loss, ``[(gradient, variable), ...]``."""
        tape = GradientTape() if tape is None else tape
        with tape:
            loss = self.get_scaled_loss(loss)
        grads_and_vars = self._optimizer.compute_gradients(loss, var_list, tape=tape)
        grads = self.get_unscaled_gradients([g for g, _ in grads_and_vars])
        return list(zip(grads, [v for _, v in grads_and_vars]))

    def minimize(self, loss, var_list, tape=None):
        """Scales ``loss``, differentiates, unscales and applies (see ``Optimizer``)."""
        self.apply_gradients(self.compute_gradients(loss, var_list, tape))

    def apply_gradients(self, grads_and_vars, skip_gradients_aggregation=False, **kwargs):
        """Applies the gradients if all are finite; otherwise skips the update (only
        ``iterations`` advances). A dynamic scale is updated either way."""
        grads_and_vars = [(g, v) for g, v in grads_and_vars if g is not None]
        if not grads_and_vars:
            # The inner optimizer names the variables in its error.
            self._optimizer.apply_gradients(grads_and_vars)
        grads = [g for g, _ in grads_and_vars]
        self._optimizer.build([v for _, v in grads_and_vars])
        if not self.dynamic:
            self._optimizer.apply_gradients(grads_and_vars)
            return
        finite = _all_finite(grads)
        self._loss_scale.update(finite)

        def apply():
            self._optimizer.apply_gradients(grads_and_vars)
            return convert_to_tensor(0)

        def skip():
            self._optimizer.iterations.assign_add(np.int64(1))
            return convert_to_tensor(0)

        cond(finite, apply, skip)

    # -- what is delegated ----------------------------------------------------------

    @property
    def iterations(self):
        return self._optimizer.iterations

    @property
    def variables(self):
        """The inner optimizer's variables (the scale is not among them, as in Keras)."""
        return self._optimizer.variables

    def build(self, var_list):
        return self._optimizer.build(var_list)

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self._optimizer.learning_rate = learning_rate

    def finalize_variable_values(self, var_list):
        self._optimizer.finalize_variable_values(var_list)

    def _trackable_children(self) -> dict:
        children = dict(self._optimizer._trackable_children())
        if self.dynamic:
            children["loss_scale"] = self._loss_scale
        return children

    def get_config(self) -> dict:
        from tensorflux.keras.optimizers.serialization import serialize

        return {
            "inner_optimizer": serialize(self._optimizer),
            "dynamic": self.dynamic,
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux.keras.optimizers.serialization import deserialize

        config = dict(config)
        inner = config.pop("inner_optimizer")
        if not isinstance(inner, Optimizer):
            inner = deserialize(inner, custom_objects=custom_objects)
        return cls(inner, **config)

    def __repr__(self):
        return f"<tensorflux.keras.mixed_precision.LossScaleOptimizer of {self._optimizer!r}>"


# tf_keras' class is LossScaleOptimizerV3 (configs name it so); the public name is this.
LossScaleOptimizer = LossScaleOptimizerV3
