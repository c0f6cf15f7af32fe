"""``tf.keras.backend`` variables, random tensors, symbolic inputs and phase switches.

Keras 2 under TF2 runs eagerly: ``placeholder`` gives a Keras tensor (an ``Input``),
``function`` builds a functional model from Keras tensors and returns a callable that
gives NumPy values, ``update*`` assign to variables at once, and the learning phase
is a Python 0/1 unless a tensor is passed as ``training``.
"""

import contextlib
import sys
import warnings

import numpy as np

from tensorflux.engine import control_flow
from tensorflux.framework import context, dtypes, nest
from tensorflux.framework.name_scope import name_scope as _name_scope
from tensorflux.framework.tensor import Tensor, convert_to_tensor, is_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras import backend
from tensorflux.keras.backend import _float_dtype, _seed, ndim, variable
from tensorflux.ops import (
    creation_ops,
    gather_ops,
    joining_ops,
    logging_ops,
    logic_ops,
    math_ops,
    random_ops,
    shape_ops,
)
from tensorflux.ops.sparse.conversion_ops import to_dense as _sparse_to_dense
from tensorflux.ops.sparse.sparse_tensor import SparseTensor, SparseTensorSpec
from tensorflux.ragged.ragged_tensor import RaggedTensor

__all__ = [
    "eye",
    "function",
    "in_test_phase",
    "in_train_phase",
    "is_keras_tensor",
    "is_sparse",
    "learning_phase_scope",
    "manual_variable_initialization",
    "moving_average_update",
    "name_scope",
    "placeholder",
    "print_tensor",
    "random_bernoulli",
    "random_binomial",
    "random_normal_variable",
    "random_uniform_variable",
    "switch",
    "to_dense",
    "truncated_normal",
    "update",
    "update_add",
    "update_sub",
]

_MANUAL_VAR_INIT = False


# --- variables ----------------------------------------------------------------------------


def eye(size, dtype=None, name=None):
    """A ``size x size`` identity matrix as a variable of dtype ``dtype`` (``floatx()``).

    >>> eye(2).numpy()
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    dtype = _float_dtype(dtype)
    return variable(creation_ops.eye(size, dtype=dtype), dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable of samples uniform in ``[low, high)`` (dtype ``floatx()`` by default)."""
    dtype = _float_dtype(dtype)
    seed = np.random.randint(10e8) if seed is None else seed
    value = random_ops.uniform(shape, minval=low, maxval=high, dtype=dtype, seed=seed)
    return variable(value, dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable of normal samples with ``mean`` and standard deviation ``scale``."""
    dtype = _float_dtype(dtype)
    seed = np.random.randint(10e8) if seed is None else seed
    value = random_ops.normal(shape, mean=mean, stddev=scale, dtype=dtype, seed=seed)
    return variable(value, dtype=dtype, name=name)


def update(x, new_x):
    """Assigns ``new_x`` to variable ``x``; returns the variable."""
    return x.assign(new_x)


def update_add(x, increment):
    """Adds ``increment`` to variable ``x``; returns the variable."""
    return x.assign_add(increment)


def update_sub(x, decrement):
    """Subtracts ``decrement`` from variable ``x``; returns the variable."""
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    """``x = momentum * x + (1 - momentum) * value`` (computed as
    ``x -= (x - value) * (1 - momentum)``); returns the variable.

    >>> v = backend.variable([1.0]); moving_average_update(v, [0.0], 0.9).numpy()
    array([0.9], dtype=float32)
    """
    momentum = math_ops.cast(momentum, x.dtype)
    value = math_ops.cast(value, x.dtype)
    return x.assign_sub((x - value) * (1 - momentum))


def manual_variable_initialization(value):
    """Sets the flag of graph-mode Keras saying whether the user initializes variables.

    Variables are always created initialized under eager execution, so it changes
    nothing else, as in tf_keras under TF2.
    """
    global _MANUAL_VAR_INIT
    _MANUAL_VAR_INIT = value


def name_scope(name):
    """A context manager prefixing ``name/`` to the names created in it (``tf.name_scope``)."""
    return _name_scope(name)


# --- random -------------------------------------------------------------------------------


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """A tensor of 1s (with probability ``p``) and 0s of dtype ``dtype`` (``floatx()``).

    An entry is 1 where a uniform sample in ``[0, 1)`` is ``<= p``.
    """
    dtype = _float_dtype(dtype)
    draw = random_ops.uniform(shape, dtype=dtype, seed=_seed(seed))
    return gather_ops.where(
        logic_ops.less_equal(draw, p),
        creation_ops.ones(shape, dtype=dtype),
        creation_ops.zeros(shape, dtype=dtype),
    )


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """Deprecated name of :func:`random_bernoulli` (warns, then calls it)."""
    warnings.warn(
        "`tf.keras.backend.random_binomial` is deprecated, and will be removed in a future "
        "version.Please use `tf.keras.backend.random_bernoulli` instead.",
        stacklevel=2,
    )
    return random_bernoulli(shape, p, dtype, seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn until within two ``stddev`` of ``mean`` (``floatx()``)."""
    return random_ops.truncated_normal(
        shape, mean, stddev, dtype=_float_dtype(dtype), seed=_seed(seed)
    )


# --- sparse tensors -----------------------------------------------------------------------


def is_sparse(tensor):
    """Whether ``tensor`` is a SparseTensor (or a sparse Keras tensor)."""
    if getattr(tensor, "_is_keras_tensor", False):
        return bool(getattr(tensor, "_sparse", False))
    spec = getattr(tensor, "_type_spec", None)
    if spec is not None:
        return isinstance(spec, SparseTensorSpec)
    return isinstance(tensor, SparseTensor)


def to_dense(tensor):
    """``tensor`` as a dense tensor if it is sparse, else unchanged."""
    if is_sparse(tensor):
        return _sparse_to_dense(tensor)
    return tensor


# --- symbolic inputs and functions --------------------------------------------------------


def is_keras_tensor(x):
    """Whether ``x`` is a Keras tensor: the output of ``Input``, ``placeholder`` or a
    Keras layer called on Keras tensors (not a plain tensor or variable).

    Raises:
        ValueError: ``x`` is not a tensor of any kind (e.g. a NumPy array).
    """
    if getattr(x, "_is_keras_tensor", False):
        return True
    if not isinstance(x, (Tensor, Variable, SparseTensor, RaggedTensor)):
        raise ValueError(
            f"Unexpectedly found an instance of type `{type(x)}`. Expected a symbolic "
            "tensor instance."
        )
    return False


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None, ragged=False):
    """A symbolic input: a Keras tensor of ``shape`` (or ``ndim`` unknown dimensions),
    made by a new ``InputLayer`` as ``keras.Input`` does.

    >>> placeholder(shape=(2, 4, 5)).shape
    TensorShape([2, 4, 5])

    Raises:
        ValueError: both ``sparse`` and ``ragged``; neither ``shape`` nor ``ndim``
            (tensorflux's Keras tensors need a known rank); ``ragged`` (not supported by
            tensorflux's ``InputLayer``).
    """
    from tensorflux.keras.layers.input_layer import InputLayer

    if sparse and ragged:
        raise ValueError("Cannot set both sparse and ragged to True when creating a placeholder.")
    if not shape and ndim:
        shape = (None,) * ndim
    if shape is None:
        raise ValueError(
            "K.placeholder needs a known rank: pass `shape` (e.g. (None, 3)) or `ndim`."
        )
    layer = InputLayer(batch_input_shape=tuple(shape), dtype=dtype, sparse=sparse, ragged=ragged)
    x = layer._inbound_nodes[0].outputs
    x._is_backend_placeholder = True
    if name is not None:
        x._name = name
    return x


def _to_numpy_or_python(value):
    if is_tensor(value):
        value = value.numpy()
        return value.item() if np.ndim(value) == 0 else value
    return value


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A callable computing ``outputs`` from values fed for the Keras tensors ``inputs``.

    It wraps ``Model(inputs, outputs)``; the callable returns NumPy arrays (Python
    numbers for scalars), and a one-element output list stays a list.

    >>> x = placeholder(shape=(None, 2))
    >>> f = function([x], [backend.sum(x * 2.0)])
    >>> f([np.ones((1, 2))])
    [4.0]

    Raises:
        ValueError: ``updates`` or session keyword arguments (graph-mode only).
    """
    from tensorflux.keras.models.model import Model

    if kwargs:
        raise ValueError(
            "Session keyword arguments are not supported during eager execution. "
            f"You passed: {kwargs}"
        )
    if updates:
        raise ValueError(
            f"`updates` argument is not supported during eager execution. You passed: {updates}"
        )
    model = Model(inputs=inputs, outputs=outputs)
    wrap_outputs = isinstance(outputs, list) and len(outputs) == 1

    def func(model_inputs):
        outs = model(model_inputs)
        if wrap_outputs:
            outs = [outs]
        return nest.map_structure(_to_numpy_or_python, outs)

    return func


def print_tensor(x, message="", summarize=3):
    """Prints ``message`` and the value of ``x`` to standard output (``tf.print``) and
    returns ``x``; inside ``tf.function`` it prints on every call.

    >>> _ = print_tensor(convert_to_tensor([1, 2]), message="x:")
    x: [1 2]
    """
    logging_ops.print(message, x, output_stream=sys.stdout, summarize=summarize)
    return x


# --- learning phase -----------------------------------------------------------------------


@contextlib.contextmanager
def learning_phase_scope(value):
    """A block inside which ``learning_phase()`` is ``value`` (0 or 1); deprecated in
    Keras (it warns), which suggests passing ``training=`` to layer calls.

    Raises:
        ValueError: ``value`` other than 0 or 1.
    """
    warnings.warn(
        "`tf.keras.backend.learning_phase_scope` is deprecated and will be removed after "
        "2020-10-11. To update it, simply pass a True/False value to the `training` "
        "argument of the `__call__` method of your layer or model.",
        stacklevel=3,
    )
    if value not in {0, 1}:
        raise ValueError("Expected learning phase to be 0 or 1.")
    previous = backend._LEARNING_PHASE
    backend._LEARNING_PHASE = value
    try:
        yield
    finally:
        backend._LEARNING_PHASE = previous


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``.

    A scalar ``condition`` chooses a whole branch (``tf.cond``; callables are called
    only when chosen); a tensor ``condition`` chooses elementwise, broadcast over the
    trailing axes of the expressions.

    >>> switch(convert_to_tensor([True, False]), convert_to_tensor([1, 1]),
    ...        convert_to_tensor([2, 2])).numpy()
    array([1, 2], dtype=int32)

    Raises:
        ValueError: a ``condition`` of higher rank than the expressions.
    """
    condition = convert_to_tensor(condition)
    if condition.dtype != dtypes.bool:
        condition = math_ops.cast(condition, dtypes.bool)
    cond_ndim = ndim(condition)
    if not cond_ndim:
        then_fn = then_expression if callable(then_expression) else lambda: then_expression
        else_fn = else_expression if callable(else_expression) else lambda: else_expression
        return control_flow.cond(condition, then_fn, else_fn)
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    then_expression = convert_to_tensor(then_expression)
    expr_ndim = ndim(then_expression)
    if cond_ndim > expr_ndim:
        raise ValueError(
            "Rank of `condition` should be less than or equal to rank of `then_expression` "
            f"and `else_expression`. ndim(condition)={cond_ndim}, "
            f"ndim(then_expression)={expr_ndim}"
        )
    if cond_ndim > 1:
        # Trailing size-1 axes, then tiled to the expressions' size where they are larger.
        cond_shape = joining_ops.concat(
            [shape_ops.shape(condition), [1] * (expr_ndim - cond_ndim)], 0
        )
        condition = shape_ops.reshape(condition, cond_shape)
        expr_shape = shape_ops.shape(then_expression)
        tile = gather_ops.where(
            math_ops.greater(expr_shape - cond_shape, 0),
            expr_shape,
            creation_ops.ones_like(expr_shape),
        )
        condition = joining_ops.tile(condition, tile)
    return gather_ops.where(condition, then_expression, else_expression)


def in_train_phase(x, alt, training=None):
    """``x`` in the training phase, else ``alt`` (callables are called when chosen).

    ``training`` defaults to the ``training`` of the Keras layer call in progress,
    then to ``learning_phase()``; a tensor ``training`` chooses with :func:`switch`.

    >>> in_train_phase(1, 2, training=True), in_train_phase(1, 2)
    (1, 2)
    """
    if training is None and context.state.training_stack:
        training = context.state.training_stack[-1]
    if training is None:
        training = backend.learning_phase()
    if not is_tensor(training):
        if training == 1 or training is True:
            return x() if callable(x) else x
        if training == 0 or training is False:
            return alt() if callable(alt) else alt
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    """``x`` in the test phase, else ``alt``: ``in_train_phase(alt, x, training)``."""
    return in_train_phase(alt, x, training=training)
