"""``keras.optimizers.legacy.Optimizer``: the Keras 2.0-2.10 optimizer base (``OptimizerV2``).

What sets it apart from ``keras.optimizers.Optimizer``:

- hyperparameters (``learning_rate``, ``beta_1``, ``decay``...) become float32 variables
  named after them on first use, readable and assignable as attributes
  (``opt.beta_1``, ``opt.lr = 0.1``);
- ``decay`` divides the learning rate: ``lr / (1 + decay * iterations)``;
- slots are named ``"<variable>/<slot>"`` (``"dense/kernel/m"``), created slot by
  slot over all variables, and read with ``get_slot(var, name)``;
- ``variables()`` (a method) and ``weights`` hold ``iterations`` and the slots;
- each optimizer's update follows the fused TF training op Keras 2 called
  (``ResourceApplyAdam``...), whose formulas differ from the current optimizers' in
  places (RMSprop's epsilon inside the square root, ``1 - beta`` rounded in float32).

Updates are written as functions of the current values returning the new ones, so an
``IndexedSlices`` gradient updates only its rows where the TF op does (the gathered
rows go through the same function), and the whole variable where Keras 2 did.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np

from tensorflux.engine.tape import GradientTape
from tensorflux.framework import dtypes, variable_creator
from tensorflux.framework.indexed_slices import IndexedSlices
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras import initializers
from tensorflux.keras.distribute import distributed_training_utils
from tensorflux.keras.optimizers.optimizer import summed_rows
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
)
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    deserialize as deserialize_schedule,
)
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import (
    serialize as serialize_schedule,
)
from tensorflux.ops import array_ops, clip_ops, math_ops, segment_ops, slicing_ops

__all__ = ["Optimizer", "OptimizerV2"]

_ALLOWED_KWARGS = {"clipnorm", "clipvalue", "lr", "decay", "global_clipnorm"}


class OptimizerV2:
    """Base class of the legacy Keras optimizers.

    Subclasses call ``_set_hyper`` for each hyperparameter in ``__init__``, create
    their slots in ``_create_slots(var_list)`` with ``add_slot`` and add per-step
    values in ``_prepare_local``. They update variables the Keras 2 way, overriding
    ``_resource_apply_dense(grad, var, apply_state)`` (and ``_resource_apply_sparse``),
    or, as the built-in ones do, implement ``_update(grad, var, slots, coefficients)``
    returning the new variable value and the new slot values (a dict); those whose TF
    op touches only an ``IndexedSlices`` gradient's rows set ``_ROW_SPARSE``.

    Args:
        name: the optimizer name (prefix of its variable names).
        gradient_aggregator: accepted for compatibility; gradients are not aggregated
            across replicas here.
        gradient_transformers: functions ``[(grad, var)] -> [(grad, var)]`` applied
            after clipping.
        **kwargs: ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``lr`` (the old
            name of ``learning_rate``) and ``decay``.

    Raises:
        TypeError: another keyword argument.
        ValueError: a negative keyword value, or both ``clipnorm`` and
            ``global_clipnorm``.
    """

    _ROW_SPARSE = False

    def __init__(self, name, gradient_aggregator=None, gradient_transformers=None, **kwargs):
        for key, value in kwargs.items():
            if key not in _ALLOWED_KWARGS:
                raise TypeError(
                    f"Unexpected keyword argument passed to optimizer: {key}. Allowed "
                    f"kwargs are {_ALLOWED_KWARGS}."
                )
            if value is not None and not callable(value) and value < 0:
                raise ValueError(f"Expected {key} >= 0, received: {value}")
            if key == "lr":
                warnings.warn(
                    "The `lr` argument is deprecated, use `learning_rate` instead.",
                    stacklevel=3,
                )
        object.__setattr__(self, "_hyper", {})
        self._name = name
        self._slots: dict[int, dict] = {}
        self._slot_names: list = []
        # slot name -> id(variable) -> saved slots to restore when the slot is created.
        self._deferred_slot_restorations: dict[str, dict] = {}
        self._weights: list = []
        self._tracked: list = []
        self._iterations = None
        self._hypers_created = False
        self._in_apply = False
        self._initial_decay = kwargs.pop("decay", 0.0)
        self.gradient_aggregator = gradient_aggregator
        self.gradient_transformers = list(gradient_transformers or [])
        self.clipnorm = kwargs.pop("clipnorm", None)
        self.global_clipnorm = kwargs.pop("global_clipnorm", None)
        if self.clipnorm is not None and self.global_clipnorm is not None:
            raise ValueError(
                "Cannot accept both `clipnorm` and `global_clipnorm`. Received: "
                f"`clipnorm`={self.clipnorm}, `global_clipnorm`={self.global_clipnorm}."
            )
        self.clipvalue = kwargs.pop("clipvalue", None)

    # -- hyperparameters -------------------------------------------------------

    def _set_hyper(self, name, value):
        current = self._hyper.get(name)
        if isinstance(current, Variable) and not isinstance(value, LearningRateSchedule):
            current.assign(math_ops.cast(value, current.dtype))
        else:
            self._hyper[name] = value

    def _get_hyper(self, name, dtype=None):
        self._create_hypers()
        value = self._hyper[name]
        if isinstance(value, LearningRateSchedule):
            return value
        if callable(value):
            value = value()
        return math_ops.cast(value, dtype) if dtype else value

    def _create_hypers(self):
        if self._hypers_created:
            return
        for name, value in sorted(self._hyper.items()):
            if isinstance(value, (Tensor, Variable)) or callable(value):
                continue
            self._hyper[name] = Variable(
                np.float32(value), trainable=False, name=self._scoped(name)
            )
        self._hypers_created = True

    def _scoped(self, name):
        # Keras 2 creates what apply_gradients creates inside the optimizer's name scope.
        return f"{self._name}/{name}" if self._in_apply else name

    def __getattr__(self, name):
        hyper = self.__dict__.get("_hyper", {})
        key = "learning_rate" if name == "lr" else name
        if key in hyper:
            return self._get_hyper(key)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        key = "learning_rate" if name == "lr" else name
        if key in self.__dict__.get("_hyper", {}):
            self._set_hyper(key, value)
        else:
            object.__setattr__(self, name, value)

    def _serialize_hyperparameter(self, name):
        value = self._hyper[name]
        if isinstance(value, LearningRateSchedule):
            return serialize_schedule(value)
        if callable(value):
            return value()
        if isinstance(value, (Tensor, Variable)):
            return np.asarray(value.numpy()).item()
        return value

    def _decayed_lr(self, dtype):
        """The learning rate of this step: the schedule's value at ``iterations``, divided
        by ``1 + decay * iterations``."""
        lr = self._get_hyper("learning_rate", dtype)
        step = math_ops.cast(self.iterations.value(), dtype)
        if isinstance(lr, LearningRateSchedule):
            lr = math_ops.cast(lr(step), dtype)
        if self._initial_decay > 0.0:
            lr = lr / (1.0 + math_ops.cast(self._initial_decay, dtype) * step)
        return lr

    # -- variables -----------------------------------------------------------------

    @property
    def iterations(self):
        """The number of steps applied: an int64 variable ``iter`` made on first use."""
        if self._iterations is None:
            self._iterations = Variable(np.int64(0), trainable=False, name=self._scoped("iter"))
            self._weights.append(self._iterations)
        return self._iterations

    def add_slot(self, var, slot_name, initializer="zeros", shape=None):
        """Creates (once) the slot ``slot_name`` of ``var``, named
        ``"<var name>/<slot_name>"``, of ``var``'s dtype and (default) shape."""
        if slot_name not in self._slot_names:
            self._slot_names.append(slot_name)
        slots = self._slots.setdefault(id(var), {})
        if id(var) not in {id(v) for v in self._tracked}:
            self._tracked.append(var)  # keeps the id from being reused
        if slot_name not in slots:
            shape = var.shape.as_list() if shape is None else list(shape)
            value = initializers.get(initializer)(shape, dtype=var.dtype)
            base = var.name.split(":")[0]
            slots[slot_name] = Variable(
                value, trainable=False, dtype=var.dtype, name=self._scoped(f"{base}/{slot_name}")
            )
            self._restore_slot_variable(slot_name, var, slots[slot_name])
            self._weights.append(slots[slot_name])
        return slots[slot_name]

    def get_slot(self, var, slot_name):
        """The slot ``slot_name`` of ``var``.

        Raises:
            KeyError: a variable or slot name without a slot.
        """
        return self._slots[id(var)][slot_name]

    def get_slot_names(self):
        """The names of the slots created so far (``["m", "v"]``)."""
        return self._slot_names

    def add_weight(self, name, shape, dtype=None, initializer="zeros", trainable=None, **kwargs):
        """Creates a non-slot optimizer variable (not listed in ``weights``)."""
        value = initializers.get(initializer)(
            list(shape), dtype=dtypes.as_dtype(dtype or "float32")
        )
        return Variable(value, trainable=bool(trainable), name=self._scoped(name))

    def variables(self):
        """``iterations`` and the slots, in creation order."""
        return self._weights

    @property
    def weights(self):
        return self._weights

    def get_weights(self):
        """The values of :meth:`variables` as NumPy arrays."""
        return [np.asarray(v.numpy()) for v in self._weights]

    def set_weights(self, weights):
        """Assigns NumPy values to :meth:`variables`, in order.

        Raises:
            ValueError: a count or shape that does not match.
        """
        if len(self._weights) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on optimizer {self._name} with a  "
                f"weight list of length {len(weights)}, but the optimizer was expecting "
                f"{len(self._weights)} weights. Provided weights: {str(weights)[:50]}..."
            )
        for var, value in zip(self._weights, weights):
            value = np.asarray(value)
            if tuple(var.shape.as_list()) != value.shape:
                raise ValueError(
                    f"Optimizer weight shape {tuple(var.shape.as_list())} not compatible "
                    f"with provided weight shape {value.shape}."
                )
            var.assign(value)

    def _trackable_children(self) -> dict:
        """Checkpoint children as Keras 2 names them: ``iter`` and the hyperparameter
        variables. Slot variables are no children: a checkpoint files each under the
        variable it slots for (``get_slot_names``/``get_slot``)."""
        # Created here if not yet, so a checkpoint restores into a fresh optimizer.
        children = {"iter": self.iterations}
        self._create_hypers()
        children.update({k: v for k, v in sorted(self._hyper.items()) if isinstance(v, Variable)})
        return children

    def _create_or_restore_slot_variable(self, slot_variable_position, slot_name, variable):
        """The slot ``slot_name`` of ``variable`` that a checkpoint restores into, or
        None when it is restored later.

        Called by a restore once ``variable`` and this optimizer are both matched. A
        missing slot is created now, holding the saved value (shaped as saved); under a
        ``tf.variable_creator_scope`` it is not (the scope would catch it) and the value
        waits until the optimizer creates the slot itself (``add_slot``).
        """
        slot = self._slots.get(id(variable), {}).get(slot_name)
        if (
            slot is None
            and slot_variable_position.is_simple_variable()
            and not variable_creator.creators_active()
        ):
            value = slot_variable_position.value()
            slot = self.add_slot(
                variable,
                slot_name,
                initializer=lambda shape, dtype: value,
                shape=slot_variable_position.value_shape(),
            )
        if slot is None:
            if id(variable) not in {id(v) for v in self._tracked}:
                self._tracked.append(variable)  # keeps the id from being reused
            self._deferred_slot_restorations.setdefault(slot_name, {}).setdefault(
                id(variable), []
            ).append(slot_variable_position)
        return slot

    def _restore_slot_variable(self, slot_name, variable, slot_variable):
        """Restores the saved values left for a slot created just now."""
        positions = self._deferred_slot_restorations.get(slot_name, {}).pop(id(variable), [])
        for position in positions:
            position.restore(slot_variable)

    # -- one step ------------------------------------------------------------------

    def _create_slots(self, var_list):
        """Creates the slots of ``var_list``; subclasses with slots implement it."""

    def _create_all_weights(self, var_list):
        _ = self.iterations
        self._create_hypers()
        self._create_slots(var_list)

    def _prepare_local(self, var_device, var_dtype, apply_state):
        """Adds this step's values for variables of ``var_dtype`` to
        ``apply_state[(var_device, var_dtype)]`` (``lr_t``, the decayed learning rate)."""
        if "learning_rate" in self._hyper:
            apply_state[(var_device, var_dtype)]["lr_t"] = self._decayed_lr(var_dtype)

    def _prepare(self, var_list) -> dict:
        apply_state = {}
        for var in var_list:
            key = _key(var)
            if key not in apply_state:
                apply_state[key] = {}
                self._prepare_local(key[0], key[1], apply_state)
        return apply_state

    def _fallback_apply_state(self, var_device, var_dtype):
        apply_state = {(var_device, var_dtype): {}}
        self._prepare_local(var_device, var_dtype, apply_state)
        return apply_state[(var_device, var_dtype)]

    def _coefficients(self, var, apply_state):
        return (apply_state or {}).get(_key(var)) or self._fallback_apply_state(*_key(var))

    def _transform_gradients(self, grads_and_vars):
        if self.clipvalue is not None:
            grads_and_vars = [
                (clip_ops.clip_by_value(g, -self.clipvalue, self.clipvalue), v)
                for g, v in grads_and_vars
            ]
        if self.clipnorm is not None:
            grads_and_vars = [
                (clip_ops.clip_by_norm(g, self.clipnorm), v) for g, v in grads_and_vars
            ]
        if self.global_clipnorm is not None:
            clipped, _ = clip_ops.clip_by_global_norm(
                [g for g, _ in grads_and_vars], self.global_clipnorm
            )
            grads_and_vars = list(zip(clipped, [v for _, v in grads_and_vars]))
        for fn in self.gradient_transformers:
            grads_and_vars = fn(grads_and_vars)
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, name=None, experimental_aggregate_gradients=True):
        """Applies one step to ``(gradient, variable)`` pairs; ``None`` gradients are
        skipped with a warning.

        Returns:
            The ``iterations`` variable's new value.

        Raises:
            ValueError: every gradient is ``None``.
        """
        grads_and_vars = self._filter_empty_gradients(tuple(grads_and_vars))
        distributed_training_utils.check_update_in_scope([v for _, v in grads_and_vars])
        context = distributed_training_utils.aggregation_context()
        if context is not None:
            # Inside a replica of a strategy: the replicas' gradients are added up, then
            # one replica applies them to the variables they share.
            grads = [g for g, _ in grads_and_vars]
            variables = [v for _, v in grads_and_vars]
            if experimental_aggregate_gradients:
                grads = context.all_reduce("SUM", grads)
            return context.merge_call(
                lambda strategy: self.apply_gradients(
                    zip(grads, variables), name, experimental_aggregate_gradients=False
                )
            )
        var_list = [v for _, v in grads_and_vars]
        self._in_apply = True
        try:
            self._create_all_weights(var_list)
        finally:
            self._in_apply = False
        apply_state = self._prepare(var_list)
        for grad, var in self._transform_gradients(grads_and_vars):
            if isinstance(grad, IndexedSlices):
                if _overrides(self, "_resource_apply_sparse") or _overrides(
                    self, "_resource_apply_sparse_duplicate_indices"
                ):
                    kwargs = {"apply_state": apply_state} if self._takes_state("sparse") else {}
                    self._resource_apply_sparse_duplicate_indices(
                        grad.values, var, grad.indices, **kwargs
                    )
                else:
                    self._apply_sparse(grad, var, self._coefficients(var, apply_state))
                continue
            grad = convert_to_tensor(grad, dtype=var.dtype)
            if self._takes_state("dense"):
                self._resource_apply_dense(grad, var, apply_state=apply_state)
            else:
                self._resource_apply_dense(grad, var)
            if getattr(var, "constraint", None) is not None:
                var.assign(var.constraint(var))
        return self.iterations.assign_add(np.int64(1))

    def _filter_empty_gradients(self, grads_and_vars):
        kept = [(g, v) for g, v in grads_and_vars if g is not None]
        if not kept:
            names = ([v.name for _, v in grads_and_vars],)
            raise ValueError(
                f"No gradients provided for any variable: {names}. Provided "
                f"`grads_and_vars` is {grads_and_vars}."
            )
        if len(kept) < len(grads_and_vars):
            missing = [v.name for g, v in grads_and_vars if g is None]
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the "
                "loss. If you're using `model.compile()`, did you forget to provide a "
                "`loss` argument?",
                stacklevel=3,
            )
        return kept

    def _slot_values(self, var):
        return dict(self._slots.get(id(var), {}))

    def _apply_dense(self, grad, var, coefficients):
        slots = self._slot_values(var)
        new_var, new_slots = self._update(
            grad, var.value(), {k: s.value() for k, s in slots.items()}, coefficients
        )
        for key, value in new_slots.items():
            slots[key].assign(value)
        var.assign(new_var)

    def _apply_sparse(self, grad, var, coefficients):
        if not self._ROW_SPARSE:
            # Keras 2 updates these everywhere (the slots decay on every row).
            self._apply_dense(convert_to_tensor(grad), var, coefficients)
            return
        # Rows are summed over repeated indices, updated, and written back; repeated
        # indices write the same new row twice.
        rows = array_ops.expand_dims(grad.indices, -1)
        values = summed_rows(grad)
        slots = self._slot_values(var)
        old = {k: array_ops.gather(s, grad.indices) for k, s in slots.items()}
        new_var, new_slots = self._update(
            values, array_ops.gather(var, grad.indices), old, coefficients
        )
        for key, value in new_slots.items():
            slots[key].assign(slicing_ops.tensor_scatter_nd_update(slots[key], rows, value))
        var.assign(slicing_ops.tensor_scatter_nd_update(var, rows, new_var))

    def _update(self, grad, var, slots, coefficients):
        raise NotImplementedError("`_resource_apply_dense` must be implemented in subclasses.")

    # -- Keras 2's extension points for optimizers written by users -------------------

    def _takes_state(self, kind) -> bool:
        method = self._resource_apply_dense if kind == "dense" else self._resource_apply_sparse
        return "apply_state" in inspect.signature(method).parameters

    def _resource_apply_dense(self, grad, var, apply_state=None):
        """Updates ``var`` from a dense gradient; user subclasses may override it (with
        ``get_slot``, ``_get_hyper`` and ``apply_state[(var.device, dtype)]``)."""
        self._apply_dense(grad, var, self._coefficients(var, apply_state))

    def _resource_apply_sparse_duplicate_indices(self, grad, var, indices, **kwargs):
        """Sums the rows of repeated ``indices`` and calls ``_resource_apply_sparse``."""
        unique, positions = slicing_ops.unique(indices)
        summed = segment_ops.unsorted_segment_sum(grad, positions, array_ops.shape(unique)[0])
        return self._resource_apply_sparse(summed, var, unique, **kwargs)

    def _resource_apply_sparse(self, grad, var, indices, apply_state=None):
        """Updates the rows ``indices`` (distinct) of ``var``; a user subclass receiving
        ``IndexedSlices`` gradients implements it."""
        raise NotImplementedError("`_resource_apply_sparse` Must be implemented in subclasses.")

    def _resource_scatter_add(self, x, i, v):
        x.assign(slicing_ops.tensor_scatter_nd_add(x, array_ops.expand_dims(i, -1), v))
        return x.value()

    def _resource_scatter_update(self, x, i, v):
        x.assign(slicing_ops.tensor_scatter_nd_update(x, array_ops.expand_dims(i, -1), v))
        return x.value()

    def minimize(self, loss, var_list, grad_loss=None, name=None, tape=None):
        """Computes the gradients of ``loss`` (a zero-argument callable, or a tensor
        recorded by ``tape``) and applies them to ``var_list``.

        Raises:
            ValueError: a tensor ``loss`` without ``tape``.
        """
        if not callable(loss) and tape is None:
            raise ValueError(
                f"`tape` is required when a `Tensor` loss is passed. Received: loss={loss}, "
                f"tape={tape}."
            )
        tape = GradientTape() if tape is None else tape
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        elif callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list, output_gradients=grad_loss)
        return self.apply_gradients(zip(grads, var_list), name=name)

    def get_gradients(self, loss, params):
        """Keras 2's symbolic-graph gradients (``tf.compat.v1.gradients``). Under eager
        execution the loss is not connected to the graph Keras differentiates in, so
        Keras 2 reports the first parameter's gradient as missing; so does this.

        Raises:
            ValueError: always (there is no TF1 graph mode here).
        """
        params = list(params)
        raise ValueError(
            f"Variable {params[0]!r} has `None` for gradient. Please make sure that all of "
            "your ops have a gradient defined (i.e. are differentiable). Common ops "
            "without gradient: K.argmax, K.round, K.eval."
        )

    def get_updates(self, loss, params):
        """Keras 2's symbolic update ops; see :meth:`get_gradients`.

        Raises:
            ValueError: always, as Keras 2 under eager execution.
        """
        return [self.apply_gradients(zip(self.get_gradients(loss, params), params))]

    # -- serialization -------------------------------------------------------------

    def get_config(self) -> dict:
        config = {"name": self._name}
        if self.clipnorm is not None:
            config["clipnorm"] = self.clipnorm
        if self.clipvalue is not None:
            config["clipvalue"] = self.clipvalue
        if self.global_clipnorm is not None:
            config["global_clipnorm"] = self.global_clipnorm
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Instantiates the optimizer from ``get_config``'s output."""
        config = dict(config)
        if "lr" in config:
            config["learning_rate"] = config.pop("lr")
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    @property
    def name(self):
        return self._name

    def __repr__(self):
        return f"<tensorflux.keras.optimizers.legacy.{type(self).__name__} name='{self._name}'>"


def _key(var):
    return (getattr(var, "device", ""), var.dtype.base_dtype)


def _overrides(optimizer, name) -> bool:
    return getattr(type(optimizer), name) is not getattr(OptimizerV2, name)


Optimizer = OptimizerV2
