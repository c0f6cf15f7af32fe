"""``keras.optimizers.Optimizer``: the base of every optimizer, with Keras 2 semantics.

An update step runs in this order: drop ``None`` gradients, create slots for
variables seen for the first time (``build``), clip, apply weight decay, call
``update_step`` per variable, update the moving averages (``use_ema``), then
increment ``iterations``.

Everything that changes between steps lives in variables (``iterations``, the
learning rate, the slots), and every write is an ``assign*``; so a ``tf.function``
train step traced once keeps updating correctly, and assigning
``optimizer.learning_rate = 0.01`` later reaches the traced graph too. Slots are
created on the first ``apply_gradients`` for a variable, which inside a
``tf.function`` is its first trace, the only time variables may be created.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from tensorflux.engine.tape import GradientTape
from tensorflux.framework import dtypes, trackable
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.name_scope import name_scope
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras import initializers
from tensorflux.keras.distribute import distributed_training_utils
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
)
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    deserialize as deserialize_schedule,
)
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    serialize as serialize_schedule,
)
from tensorflux.ops import (
    array_ops,
    clip_ops,
    creation_ops,
    logic_ops,
    math_ops,
    segment_ops,
    slicing_ops,
)

__all__ = ["Optimizer"]

# Keras 2 rejects the legacy optimizers' arguments with this hint.
_LEGACY_KWARGS = ("decay", "gradient_aggregator", "gradient_transformers")


class _VariableList(list):
    """The optimizer's variables; callable too, so ``opt.variables`` (Keras 2) and
    ``opt.variables()`` (legacy optimizers) both work."""

    def __call__(self):
        return self


class Optimizer:
    """Base class of Keras optimizers.

    Subclasses list their slots in ``_slot_specs`` and implement ``_dense_update``
    (and ``_sparse_update`` when an ``IndexedSlices`` gradient can update only its
    rows); per-step constants go in ``_prepare_step``. Keras 2 style subclasses that
    override ``build`` (calling ``add_variable_from_reference``) and
    ``update_step(gradient, variable)`` work too.

    Args:
        name: the optimizer's name, prefix of its slot variable names.
        weight_decay: if set, every step first does
            ``var -= var * weight_decay * learning_rate``.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global norm.
        use_ema: keep an exponential moving average of the variables
            (``finalize_variable_values`` copies it into them).
        ema_momentum: the average's momentum.
        ema_overwrite_frequency: every this many steps, copy the averages into the
            variables.
        jit_compile: accepted for compatibility; there is no XLA here.
        **kwargs: ``learning_rate`` (float, ``LearningRateSchedule`` or zero-argument
            callable; ``lr`` is its legacy spelling).

    Raises:
        ValueError: more than one clipping option, or a legacy-only argument such as
            ``decay``.
        TypeError: an unknown keyword argument.
    """

    def __init__(
        self,
        name=None,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        jit_compile=True,
        **kwargs,
    ):
        self.name = name or type(self).__name__
        learning_rate = self._process_kwargs(kwargs)
        # clipvalue may come with either norm (the norm clipping then wins, as in Keras).
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(
                f"At most one of `clipnorm` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, global_clipnorm={global_clipnorm}."
            )
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        # Keras 2 turns jit_compile off where XLA is unavailable; it always is here.
        self.jit_compile = False
        self._iterations = Variable(np.int64(0), trainable=False, name="iteration")
        self._learning_rate = self._build_learning_rate(learning_rate)
        self._slots: dict[int, dict] = {}
        self._variables: list = []
        self._tracked: list = []
        self._excluded_ids: set = set()
        self._excluded_names: list = []
        self._step_cache: dict = {}

    def _process_kwargs(self, kwargs: dict):
        kwargs.pop("is_legacy_optimizer", None)
        learning_rate = kwargs.pop("learning_rate", 0.001)
        # TF-Keras 2.21's optimizers drop `lr` (with a warning): the learning rate stays
        # `learning_rate`'s. The legacy optimizers still take it.
        if kwargs.pop("lr", None):
            warnings.warn(
                f"`lr` is deprecated in TF-Keras optimizer, please use `learning_rate` or "
                f"use the legacy optimizer, e.g.,tf.keras.optimizers.legacy."
                f"{type(self).__name__}.",
                stacklevel=3,
            )
        for key in kwargs:
            if key in _LEGACY_KWARGS:
                raise ValueError(
                    f"{key} is deprecated in the new TF-Keras optimizer, please check the "
                    f"docstring for valid arguments, or use the legacy optimizer, e.g., "
                    f"tf.keras.optimizers.legacy.{type(self).__name__}."
                )
            raise TypeError(
                f"{key} is not a valid argument, kwargs should be empty  for "
                f"`optimizer_experimental.Optimizer`. (See help(tf.keras.optimizers."
                f"{type(self).__name__}) for {self.name}'s arguments.)"
            )
        return learning_rate

    # -- learning rate ------------------------------------------------------

    def _build_learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            return learning_rate
        if isinstance(learning_rate, (str, bytes)) or learning_rate is None:
            raise TypeError(
                f"Optimizer '{self.name}': `learning_rate` must be a float, a "
                f"LearningRateSchedule or a callable, got {learning_rate!r}."
            )
        return Variable(np.float32(learning_rate), trainable=False, name="learning_rate")

    @property
    def learning_rate(self):
        """The learning rate: a float32 ``tf.Variable``, or for a schedule (or callable)
        its value at the current step."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule):
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument."
            )
        elif isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(math_ops.cast(learning_rate, dtypes.float32))
        else:
            self._learning_rate = self._build_learning_rate(learning_rate)

    lr = learning_rate

    def _current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr.value()
        if isinstance(lr, LearningRateSchedule):
            return convert_to_tensor(lr(self._iterations))
        return convert_to_tensor(lr())

    @property
    def iterations(self):
        """The number of steps applied: an int64 ``tf.Variable``."""
        return self._iterations

    @property
    def variables(self):
        """``iterations`` and every slot variable, in creation order."""
        return _VariableList([self._iterations] + self._variables)

    def _trackable_children(self) -> dict:
        """Checkpoint children as tf_keras names them: ``_variables`` (iterations, then
        the slots), ``_iterations`` and ``_learning_rate``."""
        children = {"_variables": self.variables, "_iterations": self._iterations}
        if isinstance(self._learning_rate, Variable):
            children["_learning_rate"] = self._learning_rate
        return children

    # -- slots --------------------------------------------------------------

    def _slot_specs(self) -> list:
        """``(name, initial fill value)`` of each slot a variable gets."""
        return []

    # Slots that tf_keras creates for all variables in a block of their own, after the
    # slots created variable by variable.
    _blocked_slots: frozenset = frozenset()

    def build(self, var_list):
        """Creates the slots of the variables in ``var_list`` not seen before.

        Called by ``apply_gradients``; call it yourself to create all slots up front.
        """
        new = []
        for var in var_list:
            if id(var) not in self._slots:
                self._slots[id(var)] = {}
                self._tracked.append(var)  # keeps the id from being reused
                new.append(var)
        if not new:
            return
        # tf_keras' order (its optimizer.variables and checkpoint keys follow it): every
        # moving average first, then each variable's slots together.
        if self.use_ema:
            for var in new:
                self._slots[id(var)]["average"] = self.add_variable_from_reference(
                    var, "average", initial_value=array_ops.identity(var)
                )
        specs = self._slot_specs()
        for var in new:
            for slot, fill in specs:
                if slot not in self._blocked_slots:
                    self._slots[id(var)][slot] = self.add_variable_from_reference(
                        var, slot, fill=fill
                    )
        for slot, fill in specs:
            if slot in self._blocked_slots:
                for var in new:
                    self._slots[id(var)][slot] = self.add_variable_from_reference(
                        var, slot, fill=fill
                    )
        trackable.run_deferred(self)  # slot values restored before the slots existed

    def add_variable_from_reference(
        self, model_variable, variable_name, shape=None, initial_value=None, fill=0.0
    ):
        """Creates a slot variable named ``"<variable_name>/<var name>"`` (under the
        optimizer's name when ``apply_gradients`` builds it)
        shaped (default) and typed like ``model_variable``, filled with ``fill`` unless
        ``initial_value`` is given."""
        if initial_value is None:
            shape = model_variable.shape if shape is None else shape
            initial_value = creation_ops.fill(
                list(shape), math_ops.cast(fill, model_variable.dtype)
            )
        base = model_variable.name.split(":")[0]
        var = Variable(
            initial_value,
            trainable=False,
            dtype=model_variable.dtype,
            name=f"{variable_name}/{base}",
        )
        self._variables.append(var)
        return var

    def add_variable(self, shape, dtype=None, initializer="zeros", name=None):
        """Creates an optimizer variable; ``initializer`` is ``"zeros"``, ``"ones"`` or a
        ``keras.initializers`` object."""
        value = initializers.get(initializer)(shape, dtype=dtype or dtypes.float32)
        var = Variable(value, trainable=False, name=name or "Variable")
        self._variables.append(var)
        trackable.run_deferred(self)
        return var

    # -- the update step ----------------------------------------------------

    def apply_gradients(
        self, grads_and_vars, name=None, skip_gradients_aggregation=False, **kwargs
    ):
        """Applies one step of the algorithm to ``(gradient, variable)`` pairs.

        ``None`` gradients are skipped (with a warning); ``tf.IndexedSlices`` gradients
        are accepted.

        Returns:
            The ``iterations`` variable, after its increment.

        Raises:
            ValueError: every gradient is ``None``.
        """
        grads, variables = self._filter_empty_gradients(list(grads_and_vars))
        distributed_training_utils.check_update_in_scope(variables)
        context = distributed_training_utils.aggregation_context()
        if context is not None:
            # Inside a replica of a strategy: the replicas' gradients are added up, then
            # one replica applies them to the variables they share.
            if not skip_gradients_aggregation:
                grads = context.all_reduce("SUM", grads)
            return context.merge_call(
                lambda strategy: self.apply_gradients(
                    zip(grads, variables), name, skip_gradients_aggregation=True
                )
            )
        with name_scope(self.name):
            self.build(variables)
        grads = self._clip_gradients(grads)
        self._step_cache = {}
        try:
            self._apply_weight_decay(variables)
            for grad, var in zip(grads, variables):
                self.update_step(grad, var)
            if self.use_ema:
                self._update_moving_averages(variables)
        finally:
            self._step_cache = {}
        return self._iterations.assign_add(np.int64(1))

    def minimize(self, loss, var_list, tape=None):
        """Computes gradients of ``loss`` and applies them to ``var_list``.

        Args:
            loss: a zero-argument callable returning the loss, or a loss tensor
                computed under ``tape``.
            var_list: the variables to update (or a callable returning them).
            tape: the ``tf.GradientTape`` that recorded a tensor ``loss``.

        Raises:
            ValueError: a tensor ``loss`` without ``tape``.

        >>> import tensorflux as tf
        >>> w = tf.Variable(1.0)
        >>> tf.keras.optimizers.SGD(0.1).minimize(lambda: w * w, [w])
        >>> round(float(w), 4)
        0.8
        """
        self.apply_gradients(self.compute_gradients(loss, var_list, tape))

    def compute_gradients(self, loss, var_list, tape=None):
        """``[(gradient, variable), ...]`` of ``loss`` (see ``minimize``)."""
        if not callable(loss) and tape is None:
            raise ValueError(
                f"`tape` is required when a `Tensor` loss is passed. "
                f"Received: loss={loss}, tape={tape}."
            )
        if callable(loss):
            tape = GradientTape() if tape is None else tape
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        elif callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        return list(zip(tape.gradient(loss, var_list), var_list))

    def update_step(self, gradient, variable):
        """Updates one variable from its (clipped) gradient."""
        c = self._step_cache.get(variable.dtype)
        if c is None:
            c = self._step_cache[variable.dtype] = self._prepare_step(variable.dtype)
        slots = self._slots[id(variable)]
        if isinstance(gradient, IndexedSlices):
            self._sparse_update(gradient, variable, slots, c)
        else:
            self._dense_update(gradient, variable, slots, c)

    def _prepare_step(self, dtype) -> dict:
        """Per-step constants for variables of ``dtype``, computed once per step."""
        return {"lr": math_ops.cast(self._lr_this_step(), dtype)}

    def _lr_this_step(self):
        lr = self._step_cache.get("lr")
        if lr is None:
            lr = self._step_cache["lr"] = self._current_learning_rate()
        return lr

    def _local_step(self, dtype):
        """``iterations + 1`` as ``dtype``: the 1-based number of the step being applied."""
        return math_ops.cast(self._iterations.value() + np.int64(1), dtype)

    def _dense_update(self, grad, var, slots, c):
        raise NotImplementedError(
            f"Optimizer '{type(self).__name__}' must implement `update_step(gradient, "
            f"variable)` (or `_dense_update`)."
        )

    def _sparse_update(self, grad, var, slots, c):
        """The dense update of the densified gradient: exact for every algorithm;
        subclasses whose update leaves untouched rows alone update just the rows."""
        self._dense_update(convert_to_tensor(grad), var, slots, c)

    # -- gradient preprocessing, weight decay, moving averages ----------------

    def _filter_empty_gradients(self, grads_and_vars):
        kept = [(g, v) for g, v in grads_and_vars if g is not None]
        if not kept:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(
                f"No gradients provided for any variable: ({names},). Provided "
                f"`grads_and_vars` is {tuple(grads_and_vars)}."
            )
        if len(kept) < len(grads_and_vars):
            missing = [v.name for g, v in grads_and_vars if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing "
                f"the loss. If you're using `model.compile()`, did you forget to "
                f"provide a `loss` argument?",
                stacklevel=3,
            )
        for g, v in kept:
            shape = getattr(g, "dense_shape", None)
            g_shape = getattr(g, "shape", None) if shape is None else None
            if g_shape is not None and not v.shape.is_compatible_with(g_shape):
                raise ValueError(
                    f"Shapes {g_shape} and {v.shape} are incompatible: the "
                    f"gradient given for variable {v.name!r} does not have its "
                    f"shape (optimizer '{self.name}')."
                )
        return [g for g, _ in kept], [v for _, v in kept]

    def _clip_gradients(self, grads):
        if self.clipnorm is not None and self.clipnorm > 0:
            return [clip_ops.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None and self.global_clipnorm > 0:
            return clip_ops.clip_by_global_norm(grads, self.global_clipnorm)[0]
        if self.clipvalue is not None and self.clipvalue > 0:
            return [clip_ops.clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables from weight decay: those in ``var_list``, and those whose
        name contains one of ``var_names`` (regular expressions)."""
        self._excluded_ids.update(id(v) for v in var_list or ())
        self._tracked.extend(var_list or ())
        self._excluded_names.extend(var_names or ())

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for var in variables:
            if id(var) in self._excluded_ids or any(
                re.search(p, var.name) for p in self._excluded_names
            ):
                continue
            lr = math_ops.cast(self._lr_this_step(), var.dtype)
            var.assign_sub(var * math_ops.cast(self.weight_decay, var.dtype) * lr)

    def _update_moving_averages(self, variables):
        for var in variables:
            average = self._slots[id(var)]["average"]
            average.assign(self.ema_momentum * average + (1 - self.ema_momentum) * var)
        if self.ema_overwrite_frequency:
            # A where instead of a cond: the same graph serves every step.
            due = logic_ops.equal(
                (self._iterations.value() + np.int64(1)) % np.int64(self.ema_overwrite_frequency),
                np.int64(0),
            )
            for var in variables:
                var.assign(array_ops.where(due, self._slots[id(var)]["average"], var))

    def finalize_variable_values(self, var_list):
        """With ``use_ema``, sets each variable to its moving average (``fit`` calls this
        at the end of training); otherwise does nothing."""
        if self.use_ema:
            for var in var_list:
                slots = self._slots.get(id(var))
                if slots is not None:
                    var.assign(slots["average"])

    # -- serialization --------------------------------------------------------

    def get_config(self) -> dict:
        """The constructor arguments, as Keras 2 writes them."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = serialize_schedule(lr)
        else:
            lr = float(np.float32(lr.numpy() if isinstance(lr, Variable) else lr()))
        return {
            "name": self.name,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "jit_compile": self.jit_compile,
            "is_legacy_optimizer": False,
            "learning_rate": lr,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Instantiates the optimizer from ``get_config``'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<tensorflux.keras.optimizers.{type(self).__name__} name='{self.name}'>"


def summed_rows(grad: IndexedSlices):
    """The rows of ``grad`` with each repeated index carrying the total of its rows.

    Keras sums repeated indices before a sparse update (``_deduplicate_sparse_grad``);
    an update that writes ``f(old row, summed row)`` with ``tensor_scatter_nd_update``
    gets the same result from this, and keeps every shape static (the number of
    distinct indices is data-dependent, which a traced graph cannot size).
    """
    _, positions = slicing_ops.unique(grad.indices)
    n = grad.indices.shape[0]
    return array_ops.gather(segment_ops.unsorted_segment_sum(grad.values, positions, n), positions)
