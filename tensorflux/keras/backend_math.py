"""``tf.keras.backend`` math and shape functions: reductions, comparisons, indexing,
tiling and batched products, each a thin call of the matching tensorflux op with
Keras 2's defaults (``axis=0`` for cumulative ops, ``int32`` ranges, ``floatx`` for
``cast_to_floatx``).

They are re-exported by :mod:`tensorflux.keras.backend` (``K.prod``, ``K.batch_dot``...).
"""

import builtins

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor, is_tensor
from tensorflux.keras.backend import _on_keras_tensors, floatx, int_shape, ndim
from tensorflux.ops import (
    creation_ops,
    gather_ops,
    joining_ops,
    logic_ops,
    math_ops,
    reduction_ops,
    shape_ops,
    split_ops,
    unary_math_ops,
)

__all__ = [
    "all",
    "any",
    "arange",
    "batch_dot",
    "cast_to_floatx",
    "cos",
    "cumprod",
    "cumsum",
    "gather",
    "greater_equal",
    "less_equal",
    "one_hot",
    "permute_dimensions",
    "prod",
    "repeat",
    "repeat_elements",
    "reverse",
    "sin",
    "tile",
]


def cast_to_floatx(x):
    """``x`` cast to ``floatx()``: a tensor for tensors and variables, else a NumPy array.

    >>> cast_to_floatx(np.array([1.0, 2.0]))
    array([1., 2.], dtype=float32)
    """
    if is_tensor(x):
        return math_ops.cast(x, floatx())
    return np.asarray(x, dtype=floatx())


# --- reductions and elementwise ---------------------------------------------------------


@_on_keras_tensors("math.reduce_prod")
def prod(x, axis=None, keepdims=False):
    """Product over ``axis`` (all axes by default)."""
    return reduction_ops.reduce_prod(x, axis=axis, keepdims=keepdims)


@_on_keras_tensors("math.cumsum")
def cumsum(x, axis=0):
    """Cumulative sum along ``axis`` (the first by default).

    >>> cumsum([[1, 2], [3, 4]]).numpy()
    array([[1, 2],
           [4, 6]], dtype=int32)
    """
    return reduction_ops.cumsum(x, axis=axis)


@_on_keras_tensors("math.cumprod")
def cumprod(x, axis=0):
    """Cumulative product along ``axis`` (the first by default)."""
    return reduction_ops.cumprod(x, axis=axis)


@_on_keras_tensors()
def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Logical OR over ``axis``; ``x`` is cast to bool first (nonzero is True).

    >>> any([[0, 1], [0, 0]], axis=1).numpy()
    array([ True, False])
    """
    return reduction_ops.reduce_any(math_ops.cast(x, dtypes.bool), axis=axis, keepdims=keepdims)


@_on_keras_tensors()
def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Logical AND over ``axis``; ``x`` is cast to bool first (nonzero is True)."""
    return reduction_ops.reduce_all(math_ops.cast(x, dtypes.bool), axis=axis, keepdims=keepdims)


@_on_keras_tensors("math.sin")
def sin(x):
    """Elementwise sine."""
    return unary_math_ops.sin(x)


@_on_keras_tensors("math.cos")
def cos(x):
    """Elementwise cosine."""
    return unary_math_ops.cos(x)


@_on_keras_tensors("math.greater_equal")
def greater_equal(x, y):
    """Elementwise ``x >= y``."""
    return logic_ops.greater_equal(x, y)


@_on_keras_tensors("math.less_equal")
def less_equal(x, y):
    """Elementwise ``x <= y``."""
    return logic_ops.less_equal(x, y)


# --- creation and indexing --------------------------------------------------------------


def arange(start, stop=None, step=1, dtype="int32"):
    """``start, start + step, ...`` below ``stop`` (one argument: ``0 .. start - 1``).

    A negative single argument gives an empty range. The values take the dtype of the
    arguments (float arguments give float32) and are cast only when ``dtype`` is not
    the default "int32", as in Keras.

    >>> arange(3).numpy(), arange(1, 2, 0.5, dtype="float64").numpy()
    (array([0, 1, 2], dtype=int32), array([1. , 1.5]))
    """
    if stop is None and start < 0:
        start = 0
    result = creation_ops.range(start, limit=stop, delta=step, name="arange")
    if dtype != "int32":
        result = math_ops.cast(result, dtype)
    return result


@_on_keras_tensors("gather")
def gather(reference, indices):
    """The slices ``reference[indices]`` along the first axis (``tf.gather``)."""
    return gather_ops.gather(reference, indices)


@_on_keras_tensors("one_hot")
def one_hot(indices, num_classes):
    """One-hot encoding of integer ``indices`` on a new last axis (float32).

    >>> one_hot([0, 2], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    return creation_ops.one_hot(indices, depth=num_classes, axis=-1)


def reverse(x, axes):
    """``x`` reversed along ``axes`` (an int or a list of ints)."""
    if isinstance(axes, int):
        axes = [axes]
    return _reverse(x, axes)


@_on_keras_tensors("reverse")
def _reverse(x, axes):
    return joining_ops.reverse(x, axes)


# --- shapes -----------------------------------------------------------------------------


@_on_keras_tensors("transpose")
def permute_dimensions(x, pattern):
    """``x`` with its axes reordered by ``pattern`` (``tf.transpose(x, perm=pattern)``)."""
    return shape_ops.transpose(x, perm=pattern)


def tile(x, n):
    """``x`` repeated ``n`` times along each axis (an int tiles the only axis)."""
    if isinstance(n, int):
        n = [n]
    return _tile(x, n)


@_on_keras_tensors("tile")
def _tile(x, n):
    return joining_ops.tile(x, n)


@_on_keras_tensors()
def repeat(x, n):
    """A 2-D ``(batch, features)`` tensor repeated ``n`` times along a new axis 1:
    ``(batch, n, features)`` (what ``RepeatVector`` does).

    Raises:
        AssertionError: ``x`` not 2-D (Keras asserts it).
    """
    if ndim(x) != 2:
        raise AssertionError(
            f"K.repeat expects a 2-D tensor (batch, features), but received a tensor of "
            f"rank {ndim(x)}."
        )
    x = shape_ops.expand_dims(x, 1)
    return joining_ops.tile(x, [1, n, 1])


@_on_keras_tensors()
def repeat_elements(x, rep, axis):
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times (``np.repeat``).

    >>> repeat_elements(np.array([[1, 2]]), 2, axis=1).numpy()
    array([[1, 1, 2, 2]])
    """
    x = convert_to_tensor(x)
    size = x.shape[axis]
    if size is not None:
        pieces = split_ops.split(x, size, axis=axis)
        return joining_ops.concat([p for p in pieces for _ in range(rep)], axis)
    # Unknown length: tile a new axis after ``axis``, then merge the two.
    rank = x.shape.rank
    axis = axis % rank
    multiples = [1] * (rank + 1)
    multiples[axis + 1] = rep
    tiled = joining_ops.tile(shape_ops.expand_dims(x, axis + 1), multiples)
    dims = _dims(x)
    dims[axis] = dims[axis] * rep
    return shape_ops.reshape(tiled, dims)


def _batch_dot_error(message, x_shape, y_shape):
    return ValueError(
        f"Cannot do batch_dot on inputs {message}. Received inputs with shapes "
        f"{x_shape} and {y_shape}."
    )


@_on_keras_tensors()
def batch_dot(x, y, axes=None):
    """Per-sample dot product: for each ``i``, ``x[i]`` contracted with ``y[i]`` over
    ``axes = (axis of x, axis of y)`` (axis 0 is the batch).

    Without ``axes`` it contracts the last axis of ``x`` with the last axis of a 2-D
    ``y``, else with the second-to-last of ``y``. The result has ``x``'s remaining axes
    followed by ``y``'s; a 2-D operand keeps a trailing axis of size 1 when the other is
    2-D too (``(batch, 1)``).

    >>> batch_dot(np.ones((2, 3), np.float32), np.ones((2, 3), np.float32), axes=1).numpy()
    array([[3.],
           [3.]], dtype=float32)

    Raises:
        ValueError: a rank below 2, different batch sizes, several axes per operand,
            axis 0, or contracted dimensions of different sizes.
    """
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    x_shape, y_shape = int_shape(x), int_shape(y)
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise _batch_dot_error("with rank < 2", x_shape, y_shape)
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise _batch_dot_error("with different batch sizes", x_shape, y_shape)
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2]
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(
            "Multiple target dimensions are not supported. Expected: None, int, (int, int), "
            f"Provided: {axes}"
        )
    a0, a1 = axes[0] % x_ndim, axes[1] % y_ndim
    if 0 in (a0, a1):
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a "
            "dummy batch dimension to your inputs using K.expand_dims(x, 0)"
        )
    d1, d2 = x_shape[a0], y_shape[a1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} with "
            f"axes={[a0, a1]}. x.shape[{a0}] != y.shape[{a1}] ({d1} != {d2})."
        )
    # Move the contracted axes to x[..., k] and y[:, k, ...], flatten the free axes,
    # multiply as batched matrices, then restore the free axes.
    x_free = [d for d in range(1, x_ndim) if d != a0]
    y_free = [d for d in range(1, y_ndim) if d != a1]
    xt = shape_ops.transpose(x, [0] + x_free + [a0])
    yt = shape_ops.transpose(y, [0, a1] + y_free)
    xd, yd = _dims(xt), _dims(yt)
    x3 = shape_ops.reshape(xt, [xd[0], _product(xd[1:-1]), xd[-1]])
    y3 = shape_ops.reshape(yt, [yd[0], yd[1], _product(yd[2:])])
    result = math_ops.matmul(x3, y3)
    if x_ndim == 2 and y_ndim == 2:
        return shape_ops.reshape(result, [xd[0], 1])
    return shape_ops.reshape(result, [xd[0]] + xd[1:-1] + yd[2:])


def _dims(x):
    """The dimensions of ``x``: ints where static, traced scalars where not (a list
    that ``reshape`` takes, keeping the static ones in the traced shape)."""
    dynamic = None
    dims = []
    for i, d in enumerate(x.shape.as_list()):
        if d is None:
            dynamic = shape_ops.shape(x) if dynamic is None else dynamic
            d = dynamic[i]
        dims.append(d)
    return dims


def _product(dims):
    """The product of static ``dims``, or -1 (reshape's "the rest") if one is traced."""
    total = 1
    for d in dims:
        if not isinstance(d, int):
            return -1
        total *= d
    return total
