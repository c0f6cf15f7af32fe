"""Ragged arguments for the public ``tf.*``, ``tf.math.*``, ``tf.nn.*`` and ``tf.strings.*``
functions.

TF lets ``tf.add``, ``tf.math.sin``, ``tf.reduce_sum``, ``tf.concat`` ... take
RaggedTensors. The public functions here are wrapped, when their namespace loads
(``install``), by a check that sends calls with a ragged argument to the ragged
implementation; other calls go straight to the dense function (one ``type`` test per
call). Operators (``rt + 1``, ``rt < 2``) are installed on RaggedTensor itself.

The ragged package loads on first use, after the wrappers exist: until it does no value
is a RaggedTensor, and the module that defines the class hands it over here
(``ragged_tensor_loaded``).
"""

from __future__ import annotations

import functools
import sys

from tensorflux.framework import dtypes
from tensorflux.ops import logic_ops, math_ops

__all__ = ["install", "ragged_shape_loaded", "ragged_tensor_loaded"]


class _NotLoaded:
    """Stands for RaggedTensor until its module loads: no value has this type."""


RaggedTensor: type = _NotLoaded
DynamicRaggedShape: type = _NotLoaded

_UNARY = (
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cast",
    "ceil",
    "cos",
    "cosh",
    "erf",
    "exp",
    "expm1",
    "floor",
    "is_finite",
    "is_inf",
    "is_nan",
    "log",
    "log1p",
    "log_sigmoid",
    "logical_not",
    "negative",
    "reciprocal",
    "round",
    "rsqrt",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "square",
    "tan",
    "tanh",
    "zeros_like",
    "ones_like",
    "saturate_cast",
    "clip_by_value",
    "identity",
    "relu",
    "relu6",
    "elu",
    "selu",
    "gelu",
    "leaky_relu",
    "silu",
    "swish",
    "softsign",
)

_BINARY = (
    "add",
    "subtract",
    "multiply",
    "divide",
    "truediv",
    "floordiv",
    "floormod",
    "mod",
    "maximum",
    "minimum",
    "pow",
    "squared_difference",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "divide_no_nan",
)

_REDUCE = {
    "reduce_sum": "sum",
    "reduce_prod": "prod",
    "reduce_max": "max",
    "reduce_min": "min",
    "reduce_mean": "mean",
    "reduce_any": "any",
    "reduce_all": "all",
}


_STRINGS_ELEMENTWISE = (
    "as_string",
    "length",
    "lower",
    "regex_full_match",
    "regex_replace",
    "strip",
    "substr",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unicode_script",
    "upper",
)


def _unary(fn):
    @functools.wraps(fn)
    def wrapper(x, *args, **kwargs):
        if type(x) is RaggedTensor:
            return x.with_flat_values(fn(x.flat_values, *args, **kwargs))
        return fn(x, *args, **kwargs)

    return wrapper


def _binary(fn):
    @functools.wraps(fn)
    def wrapper(x, y, *args, **kwargs):
        if type(x) is RaggedTensor or type(y) is RaggedTensor:
            from tensorflux.ragged import ragged_math_ops

            return ragged_math_ops.elementwise(fn, x, y, *args, **kwargs)
        return fn(x, y, *args, **kwargs)

    return wrapper


def _reduction(fn, kind: str):
    @functools.wraps(fn)
    def wrapper(input_tensor, axis=None, keepdims=False, name=None):
        if type(input_tensor) is RaggedTensor:
            from tensorflux.ragged import ragged_math_ops

            return ragged_math_ops.reduce(kind, input_tensor, axis, keepdims)
        return fn(input_tensor, axis=axis, keepdims=keepdims, name=name)

    return wrapper


def _joining(fn, ragged_name: str):
    @functools.wraps(fn)
    def wrapper(values, axis=0, name=None):
        if any(type(v) is RaggedTensor for v in values):
            from tensorflux.ragged import ragged_math_ops

            return getattr(ragged_math_ops, ragged_name)(values, axis)
        return fn(values, axis=axis, name=name)

    return wrapper


def _gather(fn):
    @functools.wraps(fn)
    def wrapper(params, indices, *args, **kwargs):
        if type(params) is RaggedTensor:
            if args or any(v not in (None, 0) for v in kwargs.values() if v is not None):
                raise ValueError("tf.gather on a RaggedTensor supports only axis=0 here.")
            from tensorflux.ragged.ragged_getitem import gather_rows

            return gather_rows(params, indices)
        return fn(params, indices, *args, **kwargs)

    return wrapper


def _reduce_join(fn):
    @functools.wraps(fn)
    def wrapper(inputs, axis=None, keepdims=False, separator="", name=None):
        if type(inputs) is RaggedTensor:
            from tensorflux.ragged.ragged_string_ops import reduce_join

            return reduce_join(inputs, axis, keepdims, separator)
        return fn(inputs, axis=axis, keepdims=keepdims, separator=separator, name=name)

    return wrapper


def _size(fn):
    @functools.wraps(fn)
    def wrapper(input, *args, **kwargs):  # noqa: A002 - TF's argument name
        if type(input) is RaggedTensor:
            # TF counts the values: a ragged tensor's size is its flat values' size.
            input = input.flat_values  # noqa: A001
        return fn(input, *args, **kwargs)

    return wrapper


def _shape(fn):
    @functools.wraps(fn)
    def wrapper(input, out_type=None, name=None):  # noqa: A002 - TF's argument name
        if type(input) is RaggedTensor:
            from tensorflux.ragged import ragged_shape_ops

            return ragged_shape_ops.ragged_shape(input, out_type or dtypes.int32)
        if out_type is None:
            return fn(input, name=name)
        return fn(input, out_type=out_type, name=name)

    return wrapper


def _creation(fn, ragged_name: str):
    @functools.wraps(fn)
    def wrapper(shape, *args, **kwargs):
        if type(shape) is DynamicRaggedShape:
            from tensorflux.ragged import ragged_shape_ops

            kwargs.pop("name", None)
            return getattr(ragged_shape_ops, ragged_name)(shape, *args, **kwargs)
        return fn(shape, *args, **kwargs)

    return wrapper


def _reshape(fn):
    @functools.wraps(fn)
    def wrapper(tensor, shape, name=None):
        if type(tensor) is RaggedTensor or type(shape) is DynamicRaggedShape:
            from tensorflux.ragged import ragged_shape_ops

            return ragged_shape_ops.reshape(tensor, shape)
        return fn(tensor, shape, name=name)

    return wrapper


def _broadcast_to(fn):
    @functools.wraps(fn)
    def wrapper(input, shape, name=None):  # noqa: A002 - TF's argument name
        if type(shape) is DynamicRaggedShape:
            from tensorflux.ragged import ragged_shape_ops

            return ragged_shape_ops.broadcast_to(input, shape)
        return fn(input, shape, name=name)

    return wrapper


# id of a dense function -> its wrapper: a function that several namespaces share
# (``tf.add`` is ``tf.math.add``) gets one wrapper, whichever namespace loads first.
# The wrapper holds the function, so its id stays its own.
_WRAPPERS: dict = {}
_WRAPPER_IDS: set = set()


def install(*namespaces, names=None) -> None:
    """Wraps the functions of ``namespaces`` (modules) that accept ragged arguments.

    Args:
        namespaces: the modules (or their names) whose functions are replaced by their
            wrappers.
        names: only these names (those a namespace has just loaded), or None for all.
    """

    def wrap(ns, name, make):
        if names is not None and name not in names:
            return
        # The module's own dict: a missing name must not reach its ``__getattr__``.
        fn = vars(ns).get(name)
        if fn is None or id(fn) in _WRAPPER_IDS:
            return
        if id(fn) not in _WRAPPERS:
            wrapper = make(fn)
            _WRAPPERS[id(fn)] = wrapper
            _WRAPPER_IDS.add(id(wrapper))
        setattr(ns, name, _WRAPPERS[id(fn)])

    for ns in namespaces:
        if isinstance(ns, str):
            ns = sys.modules[ns]
        for name in _UNARY + _STRINGS_ELEMENTWISE:
            wrap(ns, name, _unary)
        for name in _BINARY:
            wrap(ns, name, _binary)
        for name, kind in _REDUCE.items():
            wrap(ns, name, lambda f, k=kind: _reduction(f, k))
        wrap(ns, "concat", lambda f: _joining(f, "concat"))
        wrap(ns, "stack", lambda f: _joining(f, "stack"))
        wrap(ns, "gather", _gather)
        wrap(ns, "size", _size)
        wrap(ns, "shape", _shape)
        wrap(ns, "zeros", lambda f: _creation(f, "zeros"))
        wrap(ns, "ones", lambda f: _creation(f, "ones"))
        wrap(ns, "fill", lambda f: _creation(f, "fill"))
        wrap(ns, "reshape", _reshape)
        wrap(ns, "broadcast_to", _broadcast_to)
        if ns.__name__.endswith("strings"):
            wrap(ns, "reduce_join", _reduce_join)


def _operator(fn, reverse=False):
    def operator(self, other):
        from tensorflux.ragged import ragged_math_ops

        if reverse:
            return ragged_math_ops.elementwise(fn, other, self)
        return ragged_math_ops.elementwise(fn, self, other)

    return operator


def ragged_tensor_loaded(cls: type) -> None:
    """Called by ``ragged_tensor`` as it defines RaggedTensor: from now on the wrappers
    send RaggedTensor arguments to the ragged implementations, and the class gets its
    operators."""
    global RaggedTensor
    RaggedTensor = cls
    _install_operators()


def ragged_shape_loaded(cls: type) -> None:
    """Called by ``dynamic_ragged_shape`` as it defines DynamicRaggedShape: from now on
    ``tf.zeros``, ``tf.ones``, ``tf.fill``, ``tf.reshape`` and ``tf.broadcast_to`` send
    such shapes to their ragged implementations."""
    global DynamicRaggedShape
    DynamicRaggedShape = cls


def _install_operators() -> None:
    binary = {
        "add": math_ops.add,
        "sub": math_ops.subtract,
        "mul": math_ops.multiply,
        "truediv": math_ops.truediv,
        "pow": math_ops.pow,
        "and": logic_ops.logical_and,
        "or": logic_ops.logical_or,
        "xor": logic_ops.logical_xor,
    }
    from tensorflux.ops import division_ops

    binary["floordiv"] = division_ops.floordiv
    binary["mod"] = division_ops.floormod
    for name, fn in binary.items():
        setattr(RaggedTensor, f"__{name}__", _operator(fn))
        setattr(RaggedTensor, f"__r{name}__", _operator(fn, reverse=True))
    for name, fn in (
        ("eq", logic_ops.equal),
        ("ne", logic_ops.not_equal),
        ("lt", logic_ops.less),
        ("le", logic_ops.less_equal),
        ("gt", logic_ops.greater),
        ("ge", logic_ops.greater_equal),
    ):
        setattr(RaggedTensor, f"__{name}__", _operator(fn))
    RaggedTensor.__neg__ = lambda self: self.with_flat_values(math_ops.negative(self.flat_values))
    RaggedTensor.__abs__ = lambda self: self.with_flat_values(math_ops.abs(self.flat_values))
    RaggedTensor.__invert__ = lambda self: self.with_flat_values(
        logic_ops.logical_not(self.flat_values)
    )
