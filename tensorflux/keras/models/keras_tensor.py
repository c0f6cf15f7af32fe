"""``KerasTensor``: the symbolic value that flows through the functional API.

A KerasTensor has a dtype and a partial shape (``None`` batch) but no value. It
remembers the layer call that produced it (``_keras_history``), so that
``Model(inputs, outputs)`` can find the graph of layer calls between them.

Python operators on Keras tensors (``x + y``, ``2 * x``, ``x / 255.0``, ``x @ w``,
``-x``, ``x[:, 0]``, comparisons) are recorded as ``TFOpLambda`` layers named like
Keras 2's ("tf.__operators__.add", "tf.math.multiply"), and so are the Keras
backend functions (``K.exp``, ``K.mean``...). Other TF functions cannot take Keras
tensors: wrap them in a ``Lambda`` layer (the error says so).

Inside a training or evaluation step (``step_values``), a Keras tensor that the
model's forward pass computed stands for its value in that pass: graph-era Keras
let a loss function passed to ``compile`` read the model's own intermediate
tensors (a VAE's ``z_mean``), and such programs still run.
"""

from __future__ import annotations

import threading

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor_spec import TensorSpec
from tensorflux.ops.sparse.sparse_tensor import SparseTensorSpec

__all__ = ["KerasTensor", "current_step_values", "record_values", "step_values"]

# ``values``: what functional models computed in this thread's current train/test
# step, keyed by the id of their Keras tensors; None outside a step.
_state = threading.local()


def current_step_values():
    """The current step's ``{id(keras tensor): value}``, or None outside a step."""
    return getattr(_state, "values", None)


class step_values:
    """The block of one train/test step: forward pass, then loss.

    Functional models called inside it record the values of their Keras tensors, and
    a Keras tensor used inside it (by an operator, a TF function or a backend
    function) stands for its recorded value.
    """

    def __enter__(self):
        self._outer = current_step_values()
        _state.values = {}
        return self

    def __exit__(self, *exc):
        _state.values = self._outer
        return False


def record_values(values: dict) -> None:
    """Called by functional models with ``{id(keras tensor): value}`` after each call."""
    step = current_step_values()
    if step is not None:
        step.update(values)


def _step_value(x):
    """The value a Keras tensor has in this step's forward pass (other values as given).

    Raises:
        ValueError: a Keras tensor that does not follow from what the pass computed.
    """
    if not getattr(x, "_is_keras_tensor", False):
        return x
    step = current_step_values()
    value = step.get(id(x))
    if value is None and x._keras_history is not None and not x.node.is_input:
        # Derived from tensors the pass computed (``kl = K.mean(...)`` built before
        # compile): compute it from them now.
        node = x.node
        for kt in node.keras_inputs:
            _step_value(kt)
        node.run(step)
        value = step[id(x)]
    if value is None:
        raise ValueError(
            f"{x!r} is used in this training step (by the loss function, say), but it "
            "does not follow from what the model's forward pass computed: it belongs to "
            "another model's inputs. A loss computed from a model's own Keras "
            "tensors is best added to the model: build it from them and call "
            "`model.add_loss(loss_tensor)`, then compile with the other losses only."
        )
    return value


class KerasTensor:
    """A symbolic tensor of the functional API: shape, dtype and producing layer call.

    >>> import tensorflux as tf
    >>> x = tf.keras.Input(shape=(3,), name="pixels")
    >>> x
    <KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'pixels')>
    >>> (x * 2).shape
    TensorShape([None, 3])
    """

    _is_keras_tensor = True
    # NumPy operands defer to the KerasTensor's reflected operators (``array * x``).
    __array_ufunc__ = None
    __array_priority__ = 200
    # The spec of the mask a masking layer attaches (a KerasTensor), or None.
    _keras_mask = None
    # Whether it stands for a SparseTensor (``keras.Input(sparse=True)``).
    _sparse = False

    def __init__(self, shape, dtype, name: str, history=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name
        # (layer, node_index, tensor_index): the layer call that produced this tensor.
        self._keras_history = history

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def ndim(self):
        return self._shape.rank

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def name(self) -> str:
        return self._name

    @property
    def type_spec(self) -> TensorSpec:
        if self._sparse:
            return SparseTensorSpec(self._shape, self._dtype)
        return TensorSpec(self._shape, self._dtype, self._name if self._is_input() else None)

    @property
    def node(self):
        """The ``Node`` (layer call) that produced this tensor."""
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def _is_input(self) -> bool:
        return self._keras_history is not None and self.node.is_input

    def _creator(self) -> str:
        return self._keras_history[0].name if self._keras_history else "?"

    def __repr__(self):
        if self._sparse:
            creator = self._creator()
            return f"<KerasTensor: type_spec={self.type_spec!r} (created by layer '{creator}')>"
        shape = tuple(self._shape.as_list()) if self._shape.rank is not None else None
        return (
            f"<KerasTensor: shape={shape} dtype={self._dtype.name} "
            f"(created by layer '{self._creator()}')>"
        )

    def __str__(self):
        return (
            f"KerasTensor(type_spec={self.type_spec!r}, name='{self._name}', "
            f"description=\"created by layer '{self._creator()}'\")"
        )

    def _as_tensor(self):
        if current_step_values() is not None:
            return _step_value(self)
        raise TypeError(
            f"{self!r} is a symbolic Keras tensor of the functional API: it has no value "
            "until the model runs, so it cannot be passed to a TensorFlow function. Python "
            "operators on it (x + 1, 2 * x, x / 255.0, x @ w, x[:, 0]) and the Keras "
            "backend functions (K.exp, K.mean...) are supported; for other functions wrap "
            "them in a layer, e.g. `tf.keras.layers.Lambda(lambda t: tf.exp(t))(x)`. A "
            "loss built from a model's Keras tensors goes in `model.add_loss(loss)`."
        )

    def __array__(self, dtype=None, copy=None):
        self._as_tensor()

    def __bool__(self):
        raise TypeError(
            f"Using a symbolic KerasTensor ({self._name}) as a Python `bool` is not "
            "allowed: it has no value until the model runs."
        )

    def __len__(self):
        raise TypeError(
            f"len() of a symbolic KerasTensor ({self._name}) is not defined; use "
            "`x.shape[0]` for the static size."
        )

    def __iter__(self):
        raise TypeError(
            f"Iterating over a symbolic KerasTensor ({self._name}) is not allowed; "
            "use a layer (e.g. Lambda) that splits it."
        )

    __hash__ = object.__hash__


def _apply(name: str, x, other=None, reverse: bool = False, binary: bool = True):
    from tensorflux.keras.models.tf_op_layer import _FUNCTIONS, TFOpLambda

    if current_step_values() is not None:
        fn, x, other = _FUNCTIONS[name], _step_value(x), _step_value(other)
        if not binary:
            return fn(x)
        return fn(other, x) if reverse else fn(x, other)
    layer = TFOpLambda(name, reverse=reverse)
    return layer(x, other) if binary else layer(x)


def _binary(name: str):
    def forward(self, other):
        return _apply(name, self, other)

    def reverse(self, other):
        return _apply(name, self, other, reverse=True)

    return forward, reverse


for _dunder, _fn in (
    ("add", "__operators__.add"),
    ("sub", "math.subtract"),
    ("mul", "math.multiply"),
    ("truediv", "math.truediv"),
    ("floordiv", "math.floordiv"),
    ("mod", "math.floormod"),
    ("pow", "math.pow"),
    ("matmul", "linalg.matmul"),
    ("and", "math.logical_and"),
    ("or", "math.logical_or"),
    ("xor", "math.logical_xor"),
):
    _fwd, _rev = _binary(_fn)
    setattr(KerasTensor, f"__{_dunder}__", _fwd)
    setattr(KerasTensor, f"__r{_dunder}__", _rev)

for _dunder, _fn in (
    ("lt", "math.less"),
    ("le", "math.less_equal"),
    ("gt", "math.greater"),
    ("ge", "math.greater_equal"),
):
    setattr(KerasTensor, f"__{_dunder}__", _binary(_fn)[0])

for _dunder, _fn in (("neg", "math.negative"), ("abs", "math.abs"), ("invert", "math.logical_not")):
    setattr(KerasTensor, f"__{_dunder}__", lambda self, _fn=_fn: _apply(_fn, self, binary=False))

KerasTensor.__getitem__ = lambda self, key: _apply("__operators__.getitem", self, key)
