"""``keras.layers.Lambda``: wraps an arbitrary expression as a layer."""

from __future__ import annotations

import base64
import inspect
import marshal
import sys
import types

from tensorflux.framework.shape import TensorShape
from tensorflux.keras.layers.layer import Layer

__all__ = ["Lambda"]


class Lambda(Layer):
    """Calls ``function(inputs, **arguments)``; for stateless expressions in models.

    >>> import tensorflux as tf
    >>> double = tf.keras.layers.Lambda(lambda x: 2 * x)
    >>> double(tf.constant([1.0, 2.0])).numpy()
    array([2., 4.], dtype=float32)

    ``inputs`` may be a list (``Lambda(sampling)([z_mean, z_log_var])``). Weights
    created inside ``function`` are not tracked: write a ``Layer`` subclass for that.

    Args:
        function: the function of the inputs. It also receives ``mask`` and
            ``training`` when its signature names them.
        output_shape: the output shape without the batch axis (a tuple), or a function
            of the input shape; by default found by running the function.
        mask: a function ``(inputs, mask) -> mask``, or a fixed output mask.
        arguments: extra keyword arguments for ``function``.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda layer expects a callable `function`. Received: function={function!r}"
            )
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self._output_shape = output_shape
        params = _parameters(function)
        self._fn_expects_mask = "mask" in params
        self._fn_expects_training = "training" in params
        self.supports_masking = mask is not None

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask:
            kwargs["mask"] = mask
        if self._fn_expects_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return TensorShape((_batch_dim(input_shape),) + tuple(self._output_shape))

    def get_config(self) -> dict:
        config = super().get_config()
        function, function_type, module = _serialize_function(self.function)
        config.update({"function": function, "function_type": function_type, "module": module})
        if callable(self._output_shape):
            output_shape, shape_type, shape_module = _serialize_function(self._output_shape)
        else:
            output_shape, shape_type, shape_module = self._output_shape, "raw", None
        config.update(
            {
                "output_shape": output_shape,
                "output_shape_type": shape_type,
                "output_shape_module": shape_module,
                "arguments": self.arguments,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["function"] = _deserialize_function(
            config.pop("function"),
            config.pop("function_type", "function"),
            config.pop("module", None),
            custom_objects,
        )
        shape_type = config.pop("output_shape_type", "raw")
        shape_module = config.pop("output_shape_module", None)
        if shape_type != "raw":
            config["output_shape"] = _deserialize_function(
                config["output_shape"], shape_type, shape_module, custom_objects
            )
        elif config.get("output_shape") is not None:
            config["output_shape"] = tuple(config["output_shape"])
        return cls(**config)


def _parameters(function) -> set:
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return set()


def _batch_dim(input_shape):
    """The batch size of the (first) input shape."""
    while not _is_shape(input_shape):
        input_shape = (
            list(input_shape.values()) if isinstance(input_shape, dict) else input_shape
        )[0]
    return TensorShape(input_shape)[0]


def _is_shape(value) -> bool:
    return isinstance(value, TensorShape) or (
        isinstance(value, (list, tuple)) and all(d is None or isinstance(d, int) for d in value)
    )


def _serialize_function(fn):
    """``(value, type, module)``: a module-level function by name, any other function
    (lambdas, closures) as its base64-encoded bytecode, defaults and closure values."""
    if hasattr(fn, "_keras_serialized"):
        return fn._keras_serialized
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", "")
    if isinstance(fn, types.FunctionType) and (fn.__name__ == "<lambda>" or "<locals>" in qualname):
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        closure = (
            None if fn.__closure__ is None else tuple(cell.cell_contents for cell in fn.__closure__)
        )
        return (code, fn.__defaults__, closure), "lambda", module
    return getattr(fn, "__name__", repr(fn)), "function", module


def _deserialize_function(value, function_type, module, custom_objects):
    custom_objects = custom_objects or {}
    namespace = vars(sys.modules[module]) if module in sys.modules else {}
    if function_type == "function":
        found = custom_objects.get(value, namespace.get(value))
        if found is None:
            raise ValueError(
                f"Unknown function: '{value}' (from module {module!r}) while "
                "deserializing a Lambda layer. Pass it in `custom_objects`."
            )
        return found
    from tensorflux.keras.saving.safe_mode import SAFE_MODE_MESSAGE, in_safe_mode

    # Checked before the bytecode is even unmarshalled: a hostile file can crash marshal.
    if in_safe_mode():
        raise ValueError(SAFE_MODE_MESSAGE)
    code, defaults, closure = value
    code = marshal.loads(base64.b64decode(code))
    if custom_objects:
        namespace = {**namespace, **custom_objects}
    cells = None if closure is None else tuple(types.CellType(v) for v in closure)
    function = types.FunctionType(
        code, namespace, code.co_name, None if defaults is None else tuple(defaults), cells
    )
    # Marshal output is not byte-stable across a load, so a reloaded function keeps
    # its original serialization: configs then survive any number of round trips.
    function._keras_serialized = (tuple(value), "lambda", module)
    return function
