"""``tf.keras.backend``: Keras' global settings and its thin tensor functions.

Settings read by the rest of Keras live here: ``floatx()`` (the default dtype of
layer weights and of ``constant``/``variable``), ``epsilon()`` (the fuzz factor of
losses and metrics), ``image_data_format()``, the learning phase, and the per-name
counters that give layers and models their default names (``dense``,
``dense_1``...), which ``clear_session()`` resets.

The tensor functions (``K.mean``, ``K.square``...) are the Keras 2 wrappers the
notes use: each calls the matching tensorflux op with Keras' defaults (``floatx``
for dtypes, booleans averaged as floats, ``sqrt`` clipped at 0). Called on Keras
tensors of the functional API, the math functions record a layer named after the
TF function (``tf.math.exp``), as TF calls on Keras tensors do in Keras 2, so that
``model.add_loss(K.mean(K.exp(z_log_var)))`` builds part of the model.
"""

import builtins
import collections
import functools
import inspect

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework import tensor as tensor_lib
from tensorflux.framework.tensor import convert_to_tensor, is_tensor
from tensorflux.framework.variables import Variable
from tensorflux.keras import activations
from tensorflux.ops import (
    array_ops,
    clip_ops,
    creation_ops,
    linalg_ops,
    logic_ops,
    math_ops,
    nn_ops,
    random_ops,
    reduction_ops,
    unary_math_ops,
)

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_FLOATX_CHOICES = ("float16", "float32", "float64")
_LEARNING_PHASE = None
_UIDS = collections.defaultdict(int)
_NAME_COUNTS = collections.defaultdict(int)


# --- settings -----------------------------------------------------------------------------


def backend():
    """The name of the backend, ``"tensorflow"`` (tensorflux implements its API)."""
    return "tensorflow"


def floatx():
    """The default float dtype name, ``"float32"`` unless changed by ``set_floatx``."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float dtype of layers, ``constant`` and ``variable``.

    Args:
        value: ``"float16"``, ``"float32"`` or ``"float64"``.

    Raises:
        ValueError: for another value.

    >>> set_floatx("float64"); floatx()
    'float64'
    >>> set_floatx("float32")
    """
    global _FLOATX
    if value not in _FLOATX_CHOICES:
        raise ValueError(
            f"Unknown `floatx` value: {value}. Expected one of "
            f"{{{', '.join(repr(c) for c in _FLOATX_CHOICES)}}}"
        )
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor used to avoid divisions by zero (``1e-7``)."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor returned by ``epsilon()``."""
    global _EPSILON
    _EPSILON = value


def image_data_format():
    """``"channels_last"`` (NHWC, the default) or ``"channels_first"``."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image layout of convolution and pooling layers.

    Raises:
        ValueError: unless ``data_format`` is ``"channels_last"`` or ``"channels_first"``.
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"Unknown `data_format`: {data_format}. Expected one of "
            "{'channels_first', 'channels_last'}"
        )
    _IMAGE_DATA_FORMAT = str(data_format)


def learning_phase():
    """The global learning phase: 0 (inference, the default) or 1 (training).

    Layers called with ``training=None`` outside ``fit`` use it.
    """
    return 0 if _LEARNING_PHASE is None else _LEARNING_PHASE


def _global_learning_phase():
    """The learning phase as a bool if ``set_learning_phase`` or ``learning_phase_scope``
    set it, else None: layers called without ``training`` (and outside ``fit``) use it."""
    return None if _LEARNING_PHASE is None else bool(_LEARNING_PHASE)


def set_learning_phase(value):
    """Sets the global learning phase (deprecated in Keras; pass ``training=``).

    Raises:
        ValueError: unless ``value`` is 0 or 1.
    """
    global _LEARNING_PHASE
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _LEARNING_PHASE = int(value)


def get_uid(prefix=""):
    """Returns 1, 2, 3... on successive calls with the same ``prefix``.

    >>> reset_uids(); get_uid("block"), get_uid("block")
    (1, 2)
    """
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def reset_uids():
    """Restarts the counters of ``get_uid``."""
    _UIDS.clear()


def unique_object_name(name, avoid_names=None, zero_based=True):
    """A default object name not given out before: ``name``, ``name_1``, ``name_2``...

    Layers and models call it with their snake_case class name (``"dense"``);
    ``clear_session()`` restarts the numbering.

    Args:
        name: the base name.
        avoid_names: names to skip (e.g. ones the user gave explicitly).
        zero_based: start with the bare ``name``; when False the first name is
            ``name_1``.

    Returns:
        The new name.

    >>> clear_session(); unique_object_name("dense"), unique_object_name("dense")
    ('dense', 'dense_1')
    """
    avoid_names = avoid_names or ()
    while True:
        if zero_based:
            number = _NAME_COUNTS[name]
            _NAME_COUNTS[name] += 1
        else:
            _NAME_COUNTS[name] += 1
            number = _NAME_COUNTS[name]
        candidate = f"{name}_{number}" if number else name
        if candidate not in avoid_names:
            return candidate


def clear_session():
    """Resets Keras' global state: default-name counters and the learning phase.

    Call it between independent experiments in one process so that new layers
    are named ``dense``, ``dense_1``... again. ``floatx`` and ``epsilon`` keep
    their values, as in Keras.
    """
    global _LEARNING_PHASE
    _UIDS.clear()
    _NAME_COUNTS.clear()
    _LEARNING_PHASE = None


# --- tensors and variables ----------------------------------------------------------------


def _float_dtype(dtype):
    return dtypes.as_dtype(dtype or _FLOATX)


def cast(x, dtype):
    """``x`` converted to ``dtype`` (``tf.cast``)."""
    return math_ops.cast(x, dtype)


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor of dtype ``dtype`` (default ``floatx()``)."""
    return tensor_lib.constant(value, dtype=_float_dtype(dtype), shape=shape)


def variable(value, dtype=None, name=None, constraint=None):
    """A ``tf.Variable`` holding ``value`` cast to ``dtype`` (default ``floatx()``).

    >>> variable([1, 2])
    <tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>
    """
    dtype = _float_dtype(dtype)
    value = (
        math_ops.cast(value, dtype)
        if is_tensor(value)
        else np.asarray(value, dtype=dtype.as_numpy_dtype)
    )
    return Variable(value, dtype=dtype, name=name, constraint=constraint)


def zeros(shape, dtype=None, name=None):
    """A variable of zeros (a variable, not a tensor, as in Keras 2)."""
    return variable(np.zeros(shape), dtype=dtype, name=name)


def ones(shape, dtype=None, name=None):
    """A variable of ones (a variable, not a tensor, as in Keras 2)."""
    return variable(np.ones(shape), dtype=dtype, name=name)


def zeros_like(x, dtype=None, name=None):
    """A tensor of zeros shaped like ``x``."""
    return creation_ops.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):
    """A tensor of ones shaped like ``x``."""
    return creation_ops.ones_like(x, dtype=dtype)


def get_value(x):
    """The value of a variable or tensor as a NumPy array (other values unchanged)."""
    return x.numpy() if is_tensor(x) else x


def batch_get_value(tensors):
    """``[get_value(x) for x in tensors]``."""
    return [get_value(x) for x in tensors]


def eval(x):  # noqa: A001 - Keras' name
    """The value of ``x`` as a NumPy array."""
    return np.asarray(get_value(x))


def set_value(x, value):
    """Assigns ``value`` (array-like, cast to the variable's dtype) to variable ``x``."""
    x.assign(np.asarray(value, dtype=x.dtype.as_numpy_dtype))


def batch_set_value(tuples):
    """``set_value(x, value)`` for each ``(x, value)`` pair."""
    for x, value in tuples:
        set_value(x, value)


def shape(x):
    """The dynamic shape of ``x`` as an int32 tensor (``tf.shape``): inside a traced
    step it is computed on every call, and can size new tensors
    (``K.random_normal(shape=(K.shape(z)[0], dim))``)."""
    return array_ops.shape(x)


def int_shape(x):
    """The static shape of ``x`` as a tuple of ints and Nones (None if rank unknown).

    >>> int_shape(np.zeros((2, 3)))
    (2, 3)
    """
    shape_ = x.shape
    if isinstance(shape_, tuple):
        return shape_
    if shape_.rank is None:
        return None
    return tuple(shape_.as_list())


def ndim(x):
    """The rank of ``x`` (None if unknown)."""
    return len(x.shape) if isinstance(x.shape, tuple) else x.shape.rank


def dtype(x):
    """The dtype name of ``x``, e.g. ``"float32"``."""
    return dtypes.as_dtype(x.dtype).name


def count_params(x):
    """The number of scalars in a variable or tensor of known shape."""
    return np.prod(int_shape(x))


# --- math -------------------------------------------------------------------------------


def _on_keras_tensors(tf_name=None):
    """Makes a backend function record a ``TFOpLambda("<tf_name>")`` layer when its
    first argument is a symbolic Keras tensor (outside a train step, where Keras
    tensors stand for values and the function runs as usual).

    ``tf_name`` is the TF function the call becomes in Keras 2 ("math.exp"); by default
    the backend function itself ("keras.backend.batch_dot"), for functions made of
    several TF calls."""

    def wrap(fn):
        name = tf_name or f"keras.backend.{fn.__name__}"
        first = next(iter(inspect.signature(fn).parameters))

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            from tensorflux.keras.models import keras_tensor

            if not args and first in kwargs:
                args = (kwargs.pop(first),)
            x = args[0] if args else None
            symbolic = builtins.any(
                getattr(t, "_is_keras_tensor", False)
                for t in (x if isinstance(x, (list, tuple)) else (x,))
            )
            if symbolic and keras_tensor.current_step_values() is None:
                from tensorflux.keras.models.tf_op_layer import TFOpLambda

                return TFOpLambda(name)(*args, **kwargs)
            return fn(*args, **kwargs)

        return wrapper

    return wrap


def _as_float_if_bool(x):
    x = convert_to_tensor(x)
    return math_ops.cast(x, _FLOATX) if x.dtype == dtypes.bool else x


@_on_keras_tensors("math.reduce_mean")
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (all axes by default); booleans count as ``floatx`` 0/1."""
    return reduction_ops.reduce_mean(_as_float_if_bool(x), axis=axis, keepdims=keepdims)


@_on_keras_tensors("math.reduce_sum")
def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Sum over ``axis`` (all axes by default)."""
    return reduction_ops.reduce_sum(x, axis=axis, keepdims=keepdims)


@_on_keras_tensors("math.reduce_max")
def max(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Maximum over ``axis``."""
    return reduction_ops.reduce_max(x, axis=axis, keepdims=keepdims)


@_on_keras_tensors("math.reduce_min")
def min(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Minimum over ``axis``."""
    return reduction_ops.reduce_min(x, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Standard deviation over ``axis``; booleans count as floats."""
    return reduction_ops.reduce_std(_as_float_if_bool(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    """Variance over ``axis``; booleans count as floats."""
    return reduction_ops.reduce_variance(_as_float_if_bool(x), axis=axis, keepdims=keepdims)


def argmax(x, axis=-1):
    """Index of the maximum along ``axis`` (int64)."""
    return reduction_ops.argmax(x, axis=axis)


def argmin(x, axis=-1):
    """Index of the minimum along ``axis`` (int64)."""
    return reduction_ops.argmin(x, axis=axis)


@_on_keras_tensors("math.square")
def square(x):
    """Elementwise ``x ** 2``."""
    return math_ops.square(x)


def sqrt(x):
    """Elementwise square root, with negative inputs clipped to 0 first (as Keras 2)."""
    x = convert_to_tensor(x)
    return unary_math_ops.sqrt(
        clip_ops.clip_by_value(
            x, creation_ops.zeros([], x.dtype), tensor_lib.constant(np.inf, x.dtype)
        )
    )


@_on_keras_tensors("math.exp")
def exp(x):
    """Elementwise ``e ** x``."""
    return unary_math_ops.exp(x)


@_on_keras_tensors("math.log")
def log(x):
    """Elementwise natural logarithm."""
    return unary_math_ops.log(x)


@_on_keras_tensors("math.abs")
def abs(x):  # noqa: A001 - Keras' name
    """Elementwise absolute value."""
    return math_ops.abs(x)


@_on_keras_tensors("math.pow")
def pow(x, a):  # noqa: A001 - Keras' name
    """Elementwise ``x ** a``."""
    return math_ops.pow(x, a)


@_on_keras_tensors("math.maximum")
def maximum(x, y):
    """Elementwise maximum."""
    return math_ops.maximum(x, y)


@_on_keras_tensors("math.minimum")
def minimum(x, y):
    """Elementwise minimum."""
    return math_ops.minimum(x, y)


def clip(x, min_value, max_value):
    """``x`` clipped to ``[min_value, max_value]`` (None means unbounded)."""
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    min_value = -np.inf if min_value is None else min_value
    max_value = np.inf if max_value is None else max_value
    return clip_ops.clip_by_value(x, min_value, max_value)


@_on_keras_tensors("math.sign")
def sign(x):
    """Elementwise sign."""
    return math_ops.sign(x)


@_on_keras_tensors("math.round")
def round(x):  # noqa: A001 - Keras' name
    """Elementwise rounding, half to even."""
    return unary_math_ops.round(x)


def equal(x, y):
    """Elementwise ``x == y``."""
    return logic_ops.equal(x, y)


def not_equal(x, y):
    """Elementwise ``x != y``."""
    return logic_ops.not_equal(x, y)


def greater(x, y):
    """Elementwise ``x > y``."""
    return logic_ops.greater(x, y)


def less(x, y):
    """Elementwise ``x < y``."""
    return logic_ops.less(x, y)


@_on_keras_tensors("math.sigmoid")
def sigmoid(x):
    """Elementwise logistic sigmoid; the output keeps its logits, so that the
    cross-entropy functions given it compute from them (as in Keras)."""
    return activations.sigmoid(x)


@_on_keras_tensors("math.tanh")
def tanh(x):
    """Elementwise hyperbolic tangent."""
    return unary_math_ops.tanh(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: ``x`` above ``threshold`` (capped at ``max_value``), else
    ``alpha * (x - threshold)``; by default ``max(x, 0)``.

    >>> relu(np.array([-2.0, 1.0, 8.0]), alpha=0.1, max_value=6.0, threshold=0.5).numpy()
    array([-0.25,  1.  ,  6.  ])
    """
    if alpha == 0.0 and max_value is None and threshold == 0.0:
        return _relu(x)
    return _relu_with_options(x, alpha=alpha, max_value=max_value, threshold=threshold)


@_on_keras_tensors("nn.relu")
def _relu(x):
    return activations.relu(x)


@_on_keras_tensors("keras.backend.relu")
def _relu_with_options(x, alpha, max_value, threshold):
    return activations.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


@_on_keras_tensors("nn.softmax")
def softmax(x, axis=-1):
    """Softmax along ``axis``; the output keeps its logits (see ``sigmoid``).

    Raises:
        ValueError: a 1-D ``x``.
    """
    return activations.softmax(x, axis=axis)


def l2_normalize(x, axis=None):
    """``x`` divided by its L2 norm along ``axis``."""
    return nn_ops.l2_normalize(x, axis=axis)


def gradients(loss, variables):
    """The gradients of ``loss`` with respect to ``variables``, inside a ``tf.function``
    (``tf.gradients``; eagerly TF refuses it: use ``tf.GradientTape``).

    >>> import tensorflux as tf
    >>> v = tf.Variable(3.0)
    >>> tf.function(lambda: tf.keras.backend.gradients(v * v, [v])[0])().numpy()
    np.float32(6.0)
    """
    from tensorflux.engine.graph_gradients import gradients as graph_gradients

    return graph_gradients(loss, variables)


def stop_gradient(variables):
    """``x`` with no gradient flowing back through it."""
    return array_ops.stop_gradient(variables)


# --- shapes -------------------------------------------------------------------------------


def dot(x, y):
    """Matrix product; for higher ranks it contracts the last axis of ``x`` with the
    second-to-last of ``y`` (as ``np.dot``)."""
    if ndim(x) == 2 and ndim(y) == 2:
        return math_ops.matmul(x, y)
    return linalg_ops.tensordot(x, y, axes=[[ndim(x) - 1], [ndim(y) - 2]])


@_on_keras_tensors("transpose")
def transpose(x):
    """``x`` with its axes reversed."""
    return array_ops.transpose(x)


@_on_keras_tensors("reshape")
def reshape(x, shape):
    """``x`` reshaped to ``shape``."""
    return array_ops.reshape(x, shape)


def flatten(x):
    """``x`` as a 1-D tensor."""
    return array_ops.reshape(x, [-1])


def batch_flatten(x):
    """``x`` reshaped to ``(batch, -1)``, keeping the first axis."""
    rest = reduction_ops.reduce_prod(array_ops.shape(x)[1:])
    return array_ops.reshape(x, array_ops.stack([-1, rest]))


@_on_keras_tensors("expand_dims")
def expand_dims(x, axis=-1):
    """``x`` with a new axis of size 1 at ``axis``."""
    return array_ops.expand_dims(x, axis)


def squeeze(x, axis):
    """``x`` without its size-1 axis ``axis``."""
    return array_ops.squeeze(x, [axis])


@_on_keras_tensors("concat")
def concatenate(tensors, axis=-1):
    """The tensors joined along ``axis``."""
    return array_ops.concat(tensors, axis)


@_on_keras_tensors("stack")
def stack(x, axis=0):
    """The tensors stacked along a new ``axis``."""
    return array_ops.stack(x, axis=axis)


# --- random -------------------------------------------------------------------------------


def _seed(seed):
    # Keras 2 draws a missing seed from NumPy's global generator, so these follow
    # np.random.seed (and set_random_seed) rather than tf.random.set_seed alone.
    return np.random.randint(10e6) if seed is None else seed


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """A tensor of normal samples of dtype ``dtype`` (default ``floatx()``).

    >>> z = random_normal(shape=(2, 3)); int_shape(z)
    (2, 3)
    """
    return random_ops.normal(
        shape, mean=mean, stddev=stddev, dtype=_float_dtype(dtype), seed=_seed(seed)
    )


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """A tensor of samples uniform in ``[minval, maxval)`` (default dtype ``floatx()``)."""
    return random_ops.uniform(
        shape, minval=minval, maxval=maxval, dtype=_float_dtype(dtype), seed=_seed(seed)
    )


# --- the rest of the API, by topic (those modules read the settings above) ------------

from tensorflux.keras.backend_math import (  # noqa: E402, F401, I001
    all,
    any,
    arange,
    batch_dot,
    cast_to_floatx,
    cos,
    cumprod,
    cumsum,
    gather,
    greater_equal,
    less_equal,
    one_hot,
    permute_dimensions,
    prod,
    repeat,
    repeat_elements,
    reverse,
    sin,
    tile,
)
from tensorflux.keras.backend_ctc import (  # noqa: E402, F401, I001
    ctc_batch_cost,
    ctc_decode,
    ctc_label_dense_to_sparse,
)
from tensorflux.keras.backend_nn import (  # noqa: E402, F401, I001
    batch_normalization,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    dropout,
    elu,
    hard_sigmoid,
    in_top_k,
    normalize_batch_in_training,
    softplus,
    softsign,
    sparse_categorical_crossentropy,
)
from tensorflux.keras.backend_conv import (  # noqa: E402, F401, I001
    bias_add,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    depthwise_conv2d,
    local_conv1d,
    local_conv2d,
    pool2d,
    pool3d,
    resize_images,
    resize_volumes,
    separable_conv2d,
    spatial_2d_padding,
    spatial_3d_padding,
    temporal_padding,
)
from tensorflux.keras.backend_state import (  # noqa: E402, F401, I001
    eye,
    function,
    in_test_phase,
    in_train_phase,
    is_keras_tensor,
    is_sparse,
    learning_phase_scope,
    manual_variable_initialization,
    moving_average_update,
    name_scope,
    placeholder,
    print_tensor,
    random_bernoulli,
    random_binomial,
    random_normal_variable,
    random_uniform_variable,
    switch,
    to_dense,
    truncated_normal,
    update,
    update_add,
    update_sub,
)
from tensorflux.keras.backend_functional import (  # noqa: E402, F401, I001
    foldl,
    foldr,
    map_fn,
)
from tensorflux.keras.backend_rnn import (  # noqa: E402, F401, I001
    rnn,
)


def __getattr__(name):
    if name == "experimental":
        from tensorflux.keras import backend_experimental

        return backend_experimental
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.keras.backend", __name__, name)
