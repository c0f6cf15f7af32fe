"""Random tensors with TensorFlow's seeding semantics (``tf.random``).

TF's numbers come from Philox streams we do not reproduce; what we reproduce is
its determinism contract:

* ``tf.random.set_seed(s)`` makes a program draw the same sequence on every run.
  Ops without an op seed then get successive op seeds from a counter that
  ``set_seed`` resets.
* An op seed without a global seed uses TF's default global seed (87654321), so
  it is deterministic across runs too.
* Every ``(global seed, op seed)`` pair owns one stream: calling the same seeded op
  twice gives two different values, and ``set_seed`` restarts all streams.
* No seed at all: numbers from OS entropy, different on every run.

Random ops are registered (a traced graph draws anew on every execution) and have
no gradient: they are sources. ``mean``/``stddev``/``minval``/``maxval`` are
applied with ordinary ops, so gradients reach them as in TF. Inside a
``tf.function``, a shape known only when the graph runs (``tf.shape(x)``) works as a
constant one does: as in TF, the shape is the op's input 0 (an int32 vector).
"""

from __future__ import annotations

import collections
import numbers

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import shape_tensor, to_tensor
from tensorflux.ops.creation_ops import is_traced_shape, shape_arg, traced_shape_arg
from tensorflux.ops.math_ops import add, multiply, subtract

__all__: list = []

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1
# Streams kept alive for seeded ops; old ones are dropped so that a long eager loop
# of auto-seeded ops (one fresh op seed per call) does not grow without bound.
_MAX_STREAMS = 4096

_global_seed: int | None = None
_op_seed_counter = 0
_streams: collections.OrderedDict = collections.OrderedDict()
_entropy = np.random.default_rng()


def set_seed(seed) -> None:
    """Sets the global random seed (``tf.random.set_seed``) and restarts every stream.

    After it, the same sequence of random ops draws the same numbers on every run.

    >>> import tensorflux as tf
    >>> tf.random.set_seed(1); a = tf.random.uniform([2])
    >>> tf.random.set_seed(1); b = tf.random.uniform([2])
    >>> bool(tf.reduce_all(a == b))
    True
    """
    global _global_seed, _op_seed_counter
    if seed is not None and (isinstance(seed, (str, bytes)) or not isinstance(
            seed, (int, float, np.integer, np.floating))):
        raise TypeError(f"tf.random.set_seed: the seed must be an integer (or None), got "
                        f"{seed!r}.")
    _global_seed = None if seed is None else int(seed)
    _op_seed_counter = 0
    _streams.clear()


def get_seed(op_seed):
    """The ``(seed, seed2)`` pair an op with ``op_seed`` uses, as TF's ``get_seed``.

    ``(0, 0)`` means "not seeded": the op draws from OS entropy.
    """
    global _op_seed_counter
    if _global_seed is not None:
        seed = _global_seed
        if op_seed is None:
            op_seed = _op_seed_counter
            _op_seed_counter += 1
    elif op_seed is not None:
        seed = DEFAULT_GRAPH_SEED
    else:
        return 0, 0
    op_seed = int(op_seed)
    if seed == 0 and op_seed == 0:
        op_seed = _MAXINT32  # (0, 0) is reserved for "not seeded", as in TF.
    return seed, op_seed


def _generator(seed: int, seed2: int) -> np.random.Generator:
    if seed == 0 and seed2 == 0:
        return _entropy
    key = (seed, seed2)
    gen = _streams.get(key)
    if gen is None:
        gen = _streams[key] = np.random.Generator(np.random.Philox(np.random.SeedSequence(
            [seed & 0xFFFFFFFFFFFFFFFF, seed2 & 0xFFFFFFFFFFFFFFFF])))
        if len(_streams) > _MAX_STREAMS:
            _streams.popitem(last=False)
    else:
        _streams.move_to_end(key)
    return gen


def _floats(gen_fn, shape, dtype):
    # NumPy draws float32/float64 directly; narrower floats are rounded from float32.
    np_dtype = dtype.as_numpy_dtype
    if np_dtype in (np.float32, np.float64):
        return np.asarray(gen_fn(shape, dtype=np_dtype))
    return np.asarray(gen_fn(shape, dtype=np.float32)).astype(np_dtype)


def _source_infer(shape: Spec, *bounds: Spec, dtype, seed, seed2) -> Spec:
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


def _draw(op, shape, dtype, seed, inputs=()) -> Tensor:
    """Runs the source ``op`` for ``shape``: ints, or a shape known only when a traced
    graph runs (``tf.shape(x)``, ``[tf.shape(x)[0], 3]``)."""
    s1, s2 = get_seed(seed)
    dims = traced_shape_arg(shape)[0] if is_traced_shape(shape) else shape_tensor(
        shape_arg(shape, op.name, "shape", floats=InvalidArgumentError,
                  strings=InvalidArgumentError))
    return execute(op, (dims, *inputs), {"dtype": dtype, "seed": s1, "seed2": s2})


def _float_dtype(dtype, value_name: str = "0.0"):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"Cannot convert {value_name} to EagerTensor of dtype {dtype.name}")
    return dtype


def _scale_shift(rnd: Tensor, scale, shift) -> Tensor:
    """``rnd * scale + shift``, skipping Python-literal 1 and 0 (no gradient to track there)."""
    dtype = rnd._dtype
    if not (isinstance(scale, numbers.Number) and scale == 1):
        rnd = multiply(rnd, to_tensor(scale, dtype) if not isinstance(scale, Tensor) else scale)
    if not (isinstance(shift, numbers.Number) and shift == 0):
        rnd = add(rnd, to_tensor(shift, dtype) if not isinstance(shift, Tensor) else shift)
    return rnd


# -- RandomStandardNormal ---------------------------------------------------


def _normal_kernel(shape, dtype, seed, seed2):
    return _floats(_generator(seed, seed2).standard_normal, tuple(shape.tolist()), dtype)


_NORMAL = register("RandomStandardNormal", stateful=True, kernel=_normal_kernel, grad=None,
                   infer=_source_infer, shape_inputs=(0,))


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples from a normal distribution (``tf.random.normal``).

    >>> import tensorflux as tf
    >>> tf.random.normal([2, 3], seed=1).shape
    TensorShape([2, 3])

    Raises:
        TypeError: a non-floating ``dtype``.
    """
    dtype = _float_dtype(dtype)
    rnd = _draw(_NORMAL, shape, dtype, seed)
    return _scale_shift(rnd, stddev, mean)


# -- TruncatedNormal --------------------------------------------------------


def _truncated_normal_kernel(shape, dtype, seed, seed2):
    gen = _generator(seed, seed2)
    out = np.asarray(gen.standard_normal(tuple(shape.tolist())))
    bad = np.abs(out) > 2
    while np.any(bad):
        out[bad] = gen.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return out.astype(dtype.as_numpy_dtype)


_TRUNCATED_NORMAL = register("TruncatedNormal", stateful=True,
                             kernel=_truncated_normal_kernel, grad=None, infer=_source_infer,
                             shape_inputs=(0,))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None,
                     name=None) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean
    (``tf.random.truncated_normal``).

    Raises:
        TypeError: a non-floating ``dtype``.
    """
    dtype = _float_dtype(dtype)
    rnd = _draw(_TRUNCATED_NORMAL, shape, dtype, seed)
    return _scale_shift(rnd, stddev, mean)


# -- RandomUniform, RandomUniformInt ----------------------------------------


def _uniform_kernel(shape, dtype, seed, seed2):
    return _floats(_generator(seed, seed2).random, tuple(shape.tolist()), dtype)


_UNIFORM = register("RandomUniform", stateful=True, kernel=_uniform_kernel, grad=None,
                    infer=_source_infer, shape_inputs=(0,))


def _uniform_int_kernel(shape, minval, maxval, dtype, seed, seed2):
    if minval >= maxval:
        raise ValueError(f"Need minval < maxval, got {minval} >= {maxval}")
    return np.asarray(_generator(seed, seed2).integers(
        minval, maxval, size=tuple(shape.tolist()), dtype=dtype.as_numpy_dtype))


# TF's inputs: shape, minval, maxval (the bounds already of ``dtype``).
_UNIFORM_INT = register("RandomUniformInt", stateful=True, kernel=_uniform_int_kernel, grad=None,
                        infer=_source_infer, shape_inputs=(0,))

_UNIFORM_DTYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64,
                   dtypes.int32, dtypes.int64)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples uniformly from ``[minval, maxval)`` (``tf.random.uniform``).

    Floats default to ``[0, 1)``; integer dtypes need ``maxval``.

    >>> import tensorflux as tf
    >>> tf.random.uniform([3], maxval=10, dtype=tf.int32, seed=1).dtype
    tf.int32

    Raises:
        ValueError: an unsupported ``dtype``, or an integer ``dtype`` without ``maxval``.
        InvalidArgumentError: integer bounds with ``minval >= maxval``.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype!r}. Accepted dtypes are "
                         f"(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, "
                         f"tf.int64).")
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        lo, hi = to_tensor(minval, dtype), to_tensor(maxval, dtype)
        if lo._value.ndim or hi._value.ndim:
            raise InvalidArgumentError(
                None, "RandomUniformInt", f"minval and maxval must be scalars for integer "
                f"dtypes, got shapes {lo.shape} and {hi.shape} [Op:RandomUniformInt]")
        return _draw(_UNIFORM_INT, shape, dtype, seed, (lo, hi))
    rnd = _draw(_UNIFORM, shape, dtype, seed)
    if maxval is None:
        maxval = 1
    if isinstance(minval, numbers.Number) and isinstance(maxval, numbers.Number):
        return _scale_shift(rnd, maxval - minval, minval)
    lo = minval if isinstance(minval, Tensor) else to_tensor(minval, dtype)
    hi = maxval if isinstance(maxval, Tensor) else to_tensor(maxval, dtype)
    return add(multiply(rnd, subtract(hi, lo)), lo)


# -- Multinomial (categorical) ----------------------------------------------


def _multinomial_kernel(logits, num_samples, output_dtype, seed, seed2):
    gen = _generator(seed, seed2)
    z = logits.astype(np.float64)
    p = np.exp(z - np.max(z, axis=-1, keepdims=True))
    cdf = np.cumsum(p, axis=-1)
    u = gen.random((logits.shape[0], num_samples)) * cdf[:, -1:]
    out = np.stack([np.searchsorted(c, row, side="right") for c, row in zip(cdf, u)]) if len(
        cdf) else np.zeros((0, num_samples))
    return np.minimum(out, logits.shape[-1] - 1).astype(output_dtype.as_numpy_dtype)


def _multinomial_infer(logits: Spec, num_samples, output_dtype, seed, seed2) -> Spec:
    batch = logits.shape.as_list()[0] if logits.shape.rank is not None else None
    return Spec(output_dtype, TensorShape([batch, num_samples]))


_MULTINOMIAL = register("Multinomial", stateful=True, kernel=_multinomial_kernel, grad=None,
                        infer=_multinomial_infer, allowed=FLOATING)


def categorical(logits, num_samples, dtype=None, seed=None, name=None) -> Tensor:
    """Draws class indices from the unnormalised log-probabilities of each row
    (``tf.random.categorical``).

    Args:
        logits: ``[batch, num_classes]`` float log-probabilities.
        num_samples: samples per row.
        dtype: int64 (default) or int32.

    Returns:
        A ``[batch, num_samples]`` tensor of class indices.

    Raises:
        ValueError: a ``dtype`` other than int32/int64.
        InvalidArgumentError: ``logits`` that is not a matrix.
    """
    out_dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if out_dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {out_dtype!r}. Accepted dtypes "
                         f"are (tf.int32, tf.int64).")
    x = to_tensor(logits)
    if x._value.ndim != 2:
        raise InvalidArgumentError(None, "Multinomial", f"logits should be a matrix, got shape "
                                   f"{list(x._value.shape)} [Op:Multinomial]")
    s1, s2 = get_seed(seed)
    if isinstance(num_samples, (float, str, bytes)):
        raise TypeError(f"Cannot convert {num_samples!r} to EagerTensor of dtype int32: "
                        f"tf.random.categorical's num_samples must be an integer.")
    return execute(_MULTINOMIAL, (x,), {"num_samples": int(num_samples),
                                        "output_dtype": out_dtype, "seed": s1, "seed2": s2})


# -- RandomShuffle ----------------------------------------------------------


def _shuffle_kernel(x, seed, seed2):
    if x.ndim == 0:
        return x
    return x[_generator(seed, seed2).permutation(x.shape[0])]


_SHUFFLE = register("RandomShuffle", stateful=True, kernel=_shuffle_kernel, grad=None,
                    infer=lambda x, seed, seed2: Spec(x.dtype, x.shape))


def shuffle(value, seed=None, name=None) -> Tensor:
    """``value`` with its first axis randomly permuted (``tf.random.shuffle``)."""
    s1, s2 = get_seed(seed)
    return execute(_SHUFFLE, (to_tensor(value),), {"seed": s1, "seed2": s2})
