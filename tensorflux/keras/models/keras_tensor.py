"""``KerasTensor``: the symbolic value that flows through the functional API.

A KerasTensor has a dtype and a partial shape (``None`` batch) but no value. It
remembers the layer call that produced it (``_keras_history``), so that
``Model(inputs, outputs)`` can find the graph of layer calls between them.

Python operators on Keras tensors (``x + y``, ``2 * x``, ``x / 255.0``, ``x @ w``,
``-x``, ``x[:, 0]``, comparisons) are recorded as ``TFOpLambda`` layers named like
Keras 2's ("tf.__operators__.add", "tf.math.multiply"). Other TF functions cannot
take Keras tensors: wrap them in a ``Lambda`` layer (the error says so).
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor_spec import TensorSpec

__all__ = ["KerasTensor"]


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
        shape = tuple(self._shape.as_list()) if self._shape.rank is not None else None
        return (f"<KerasTensor: shape={shape} dtype={self._dtype.name} "
                f"(created by layer '{self._creator()}')>")

    def __str__(self):
        return (f"KerasTensor(type_spec={self.type_spec!r}, name='{self._name}', "
                f"description=\"created by layer '{self._creator()}'\")")

    def _as_tensor(self):
        raise TypeError(
            f"{self!r} is a symbolic Keras tensor of the functional API: it has no value "
            "until the model runs, so it cannot be passed to a TensorFlow function. Python "
            "operators on it (x + 1, 2 * x, x / 255.0, x @ w, x[:, 0]) are supported; for "
            "other functions wrap them in a layer, e.g. "
            "`tf.keras.layers.Lambda(lambda t: tf.exp(t))(x)`.")

    def __array__(self, dtype=None, copy=None):
        self._as_tensor()

    def __bool__(self):
        raise TypeError(f"Using a symbolic KerasTensor ({self._name}) as a Python `bool` is not "
                        "allowed: it has no value until the model runs.")

    def __len__(self):
        raise TypeError(f"len() of a symbolic KerasTensor ({self._name}) is not defined; use "
                        "`x.shape[0]` for the static size.")

    def __iter__(self):
        raise TypeError(f"Iterating over a symbolic KerasTensor ({self._name}) is not allowed; "
                        "use a layer (e.g. Lambda) that splits it.")

    __hash__ = object.__hash__


def _apply(name: str, x, other=None, reverse: bool = False, binary: bool = True):
    from tensorflux.keras.models.tf_op_layer import TFOpLambda

    layer = TFOpLambda(name, reverse=reverse)
    return layer(x, other) if binary else layer(x)


def _binary(name: str):
    def forward(self, other):
        return _apply(name, self, other)

    def reverse(self, other):
        return _apply(name, self, other, reverse=True)

    return forward, reverse


for _dunder, _fn in (("add", "__operators__.add"), ("sub", "math.subtract"),
                     ("mul", "math.multiply"), ("truediv", "math.truediv"),
                     ("floordiv", "math.floordiv"), ("mod", "math.floormod"),
                     ("pow", "math.pow"), ("matmul", "linalg.matmul"),
                     ("and", "math.logical_and"), ("or", "math.logical_or"),
                     ("xor", "math.logical_xor")):
    _fwd, _rev = _binary(_fn)
    setattr(KerasTensor, f"__{_dunder}__", _fwd)
    setattr(KerasTensor, f"__r{_dunder}__", _rev)

for _dunder, _fn in (("lt", "math.less"), ("le", "math.less_equal"), ("gt", "math.greater"),
                     ("ge", "math.greater_equal")):
    setattr(KerasTensor, f"__{_dunder}__", _binary(_fn)[0])

for _dunder, _fn in (("neg", "math.negative"), ("abs", "math.abs"),
                     ("invert", "math.logical_not")):
    setattr(KerasTensor, f"__{_dunder}__",
            lambda self, _fn=_fn: _apply(_fn, self, binary=False))

KerasTensor.__getitem__ = lambda self, key: _apply("__operators__.getitem", self, key)
