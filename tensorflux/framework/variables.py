"""``tf.Variable``: mutable, optionally trainable storage.

Assignments replace the held array instead of writing into it, so tensors read
earlier (and recorded on a tape) keep their values.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.name_scope import current_name_scope
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import (
    Reference,
    Tensor,
    _numpy_text,
    convert_to_tensor,
    op_hooks,
)
from tensorflux.framework.variable_creator import VariableCreatorMeta
from tensorflux.framework.variable_enums import validate_modes

__all__ = ["Variable"]


def _replica_update(variable, method: str, value) -> bool:
    """Whether ``tensorflux.distribute`` applied the update, combined with the other
    replicas' (inside ``Strategy.run``): its ``mirrored_updates`` installs the hook when
    it loads."""
    hook = op_hooks.get("replica_update")
    return hook is not None and hook(variable, method, value)


class Variable(metaclass=VariableCreatorMeta):
    """A mutable tensor-like value, as ``tf.Variable``.

    Reading a trainable variable inside a ``GradientTape`` watches it, so gradients
    with respect to it can be taken.

    >>> import tensorflux as tf
    >>> v = tf.Variable(1.0)
    >>> v.assign_add(2.0).numpy()
    np.float32(3.0)
    """

    __array_priority__ = 100

    # The value in a GPU's memory, as XLA's last run there left it (a JAX array), and
    # that device's name; None while the host holds the value (``_host_value``).
    _device_value = None
    _device_name = None

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        validate_shape=True,
        caching_device=None,
        name=None,
        variable_def=None,
        dtype=None,
        import_scope=None,
        constraint=None,
        synchronization=None,
        aggregation=None,
        shape=None,
        experimental_enable_variable_lifting=True,
    ):
        if initial_value is None:
            raise ValueError(
                "The `initial_value` arg to `tf.Variable` must be specified except when you "
                "are not providing a `variable_def`. You provided neither."
            )
        if callable(initial_value):
            initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)
        self._dtype = value._dtype
        # Inside a trace the initial value may be symbolic; its example value is the one
        # computed now, which is when TF runs a variable's initializer too.
        self._value = value._value
        if context.state.graph is not None:
            context.state.graph.created_variables.append(self)
            value = Tensor(value._value, value._dtype)
        self._synchronization, self._aggregation, trainable = validate_modes(
            synchronization, aggregation, trainable, name
        )
        # TF accepts anything truthy here; the notes even pass a dtype positionally.
        self._trainable = bool(trainable)
        self._shape = value.shape if shape is None else TensorShape(shape)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(
                f"In this `tf.Variable` creation, the initial value's shape ({value.shape}) "
                f"is not compatible with the explicitly supplied `shape` argument ({shape})."
            )
        self._validate_shape = validate_shape and shape is None
        if name is not None and not isinstance(name, str):
            raise ValueError(
                f"name for name_scope must be a string: tf.Variable got name={name!r}."
            )
        base = "Variable" if name is None else name.split(":")[0]
        self._name = f"{current_name_scope()}{base}:0"
        if constraint is not None and not callable(constraint):
            raise ValueError(
                f"Argument `constraint` must be None or a callable. a callable. Got a "
                f"{type(constraint)}:  {constraint}"
            )
        self._constraint = constraint
        self._initial_value = value

    # -- properties ---------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return (
            self._shape if not self._validate_shape else TensorShape._from_tuple(self._value.shape)
        )

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def aggregation(self):
        """How replicas' updates combine (``tf.VariableAggregation``; NONE by default)."""
        return self._aggregation

    @property
    def synchronization(self):
        """When replicas agree (``tf.VariableSynchronization``; AUTO by default)."""
        return self._synchronization

    @property
    def constraint(self):
        return self._constraint

    @property
    def initial_value(self) -> Tensor:
        return self._initial_value

    @property
    def device(self) -> str:
        """Where the value is: a GPU while a graph run there holds it, else the CPU."""
        if self._device_value is not None:
            return self._device_name
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def _value(self):
        """The value as a NumPy array, copied back from the GPU first if it is there."""
        if self._device_value is not None:
            # A writable copy: the engine replaces host values, and NumPy may need to.
            self._host_value = np.array(self._device_value)
            self._device_value = None
        return self._host_value

    @_value.setter
    def _value(self, value) -> None:
        self._host_value = value
        self._device_value = None

    def _keep_on_device(self, array, device_name: str) -> None:
        """Holds ``array``, a value that XLA left in a GPU's memory, until the host reads
        the variable (or a graph on that GPU replaces it)."""
        self._host_value = None
        self._device_value = array
        self._device_name = device_name

    @property
    def ndim(self) -> int:
        return self._value.ndim

    # -- reading ------------------------------------------------------------

    def value(self) -> Tensor:
        """The current value as a Tensor; a read that recording tapes see.

        Inside a tf.function being traced the read becomes a graph node, so every call
        of the function reads the value current at that point of the program.
        """
        if context.state.graph is not None:
            t = context.state.graph.read_variable(self)
        else:
            t = Tensor(self._value, self._dtype)
        if context.state.recording_tapes:
            for tape in context.state.recording_tapes:
                tape._variable_accessed(self, t)
        return t

    read_value = value
    _as_tensor = value

    def numpy(self):
        v = self._value
        return v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v

    def __array__(self, dtype=None, copy=None):
        return Tensor(self._value, self._dtype).__array__(dtype, copy)

    # -- writing ------------------------------------------------------------

    def _coerce(self, value, op: str) -> Tensor:
        if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
            t = convert_to_tensor(value)
            if t._dtype is not self._dtype:
                raise ValueError(
                    f"Tensor conversion requested dtype {self._dtype.name} for Tensor with "
                    f"dtype {t._dtype.name}: {t!r} (Variable.{op} on '{self._name}' needs a "
                    f"value of the variable's dtype: use tf.cast(value, tf.{self._dtype.name}) "
                    f"first.)"
                )
        else:
            t = convert_to_tensor(value, dtype=self._dtype)
        arr = t._value
        if self._validate_shape and arr.shape != self._value.shape:
            # As in TF: ValueError from assign (TF's words, its missing spaces included),
            # InvalidArgumentError (also a ValueError) from the assign_add/sub kernels.
            if op == "assign":
                raise ValueError(
                    f"Cannot assign value to variable ' {self._name}': Shape mismatch.The "
                    f"variable shape {TensorShape._from_tuple(self._value.shape)}, and the "
                    f"assigned value shape {t.shape} are incompatible."
                )
            kernel = "AssignAddVariableOp" if op == "assign_add" else "AssignSubVariableOp"
            raise InvalidArgumentError(
                None,
                kernel,
                f"Cannot update variable with shape {list(self._value.shape)} using a Tensor "
                f"with shape {list(np.shape(arr))}, shapes must be equal.",
            )
        if not self._validate_shape and not self._shape.is_compatible_with(arr.shape):
            raise ValueError(
                f"Cannot {op} a value of shape {t.shape} to variable "
                f"'{self._name}' declared with shape {self._shape}."
            )
        return t

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to ``value``; returns the variable (None when
        ``read_value=False``, as TF's eager assign returns no op)."""
        if _replica_update(self, "assign", value):
            return self if read_value else None
        t = self._coerce(value, "assign")
        if context.state.graph is not None:
            context.state.graph.assign_variable(self, "assign", t)
        else:
            self._value = t._value
        return self if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds ``delta`` to the variable; returns the variable (None when
        ``read_value=False``)."""
        if _replica_update(self, "assign_add", delta):
            return self if read_value else None
        t = self._coerce(delta, "assign_add")
        if context.state.graph is not None:
            context.state.graph.assign_variable(self, "assign_add", t)
        else:
            self._value = np.add(self._value, t._value, dtype=self._value.dtype)
        return self if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts ``delta`` from the variable; returns the variable (None when
        ``read_value=False``)."""
        if _replica_update(self, "assign_sub", delta):
            return self if read_value else None
        t = self._coerce(delta, "assign_sub")
        if context.state.graph is not None:
            context.state.graph.assign_variable(self, "assign_sub", t)
        else:
            self._value = np.subtract(self._value, t._value, dtype=self._value.dtype)
        return self if read_value else None

    def _conversion_error(self, dtype) -> ValueError:
        return ValueError(
            f"Incompatible type conversion requested to type {dtype.name} for `tf.Variable "
            f"of type {self._dtype.name}. (Variable: {self})"
        )

    # In-place operators would rebind the name to a tensor and leave the variable as it
    # was; TF refuses them.
    def __iadd__(self, other):
        raise RuntimeError(
            "`variable += value` with `tf.Variable`s is not supported. Use "
            "`variable.assign_add(value)` to modify the variable, or `out = variable + value` "
            "if you need to get a new output Tensor."
        )

    def __isub__(self, other):
        raise RuntimeError(
            "`variable -= value` with `tf.Variable`s is not supported. Use "
            "`variable.assign_sub(value)` to modify the variable, or `out = variable * value` "
            "if you need to get a new output Tensor."
        )

    def __imul__(self, other):
        raise RuntimeError(_in_place_message("*"))

    def __itruediv__(self, other):
        raise RuntimeError(_in_place_message("/"))

    def __ipow__(self, other):
        raise RuntimeError(_in_place_message("**"))

    # -- Python protocol ----------------------------------------------------

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError(
            f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self})"
        )

    def __bool__(self):
        return bool(self.value())

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        return self.value().__index__()

    def __len__(self):
        # As TF's ResourceVariable: no len(); read the shape instead.
        raise TypeError("object of type 'Variable' has no len(): use v.shape[0] instead.")

    def __iter__(self):
        return iter(self.value())

    def __format__(self, spec):
        # An empty spec formats as str() (the repr, as in TF), others format the value.
        return str(self) if not spec else self.value().__format__(spec)

    def __repr__(self):
        t = Tensor(self._value, self._dtype)
        return (
            f"<tf.Variable '{self._name}' shape={self.shape} dtype={self._dtype.name}, "
            f"numpy={_numpy_text(t, is_repr=True)}>"
        )

    def __deepcopy__(self, memo):
        v = Variable(
            np.array(self._value, copy=True),
            trainable=self._trainable,
            name=self._name.split(":")[0],
            dtype=self._dtype,
            constraint=self._constraint,
            synchronization=self._synchronization,
            aggregation=self._aggregation,
        )
        memo[id(self)] = v
        return v


def _in_place_message(op: str) -> str:
    return (
        f"`var {op}= value` with `tf.Variable`s is not supported. Use "
        f"`var.assign(var {op} value)` to modify the variable, or `out = var {op} value` "
        f"if you need to get a new output Tensor."
    )
