"""Random tensors drawing TensorFlow's own numbers (``tf.random``).

Every op draws from Philox4x32-10 exactly as TF's CPU kernels do (``ops/philox.py``),
with TF's seed derivation (``ops/random_seed.py``): a program seeded with
``tf.random.set_seed`` gets the numbers TensorFlow prints, eager or traced.

Random ops are registered (a traced graph draws anew on every execution) and have
no gradient: they are sources. ``mean``/``stddev``/``minval``/``maxval`` are
applied with ordinary ops, so gradients reach them as in TF. Inside a
``tf.function``, a shape known only when the graph runs (``tf.shape(x)``) works as a
constant one does: as in TF, the shape is the op's input 0 (an int32 vector).
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux.engine.registry import FLOATING, Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import philox
from tensorflux.ops.common import shape_tensor, to_tensor
from tensorflux.ops.creation_ops import is_traced_shape, shape_arg, traced_shape_arg
from tensorflux.ops.math_ops import add, multiply, subtract
from tensorflux.ops.random_seed import (  # noqa: F401 - re-exported for callers
    DEFAULT_GRAPH_SEED,
    Stream,
    get_seed,
    global_seed,
    set_seed,
    stream_for,
)

__all__: list = []

# TF reserves 256 Philox calls per output of a stateful op (ReserveRandomOutputs(n, 256)),
# so the next call of the same op starts that far on.
_CALLS_PER_OUTPUT = 256


def _source_infer(shape: Spec, *bounds: Spec, dtype, seed, seed2, stream=None) -> Spec:
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


def _draw(op, shape, dtype, seed, inputs=()) -> Tensor:
    """Runs the source ``op`` for ``shape``: ints, or a shape known only when a traced
    graph runs (``tf.shape(x)``, ``[tf.shape(x)[0], 3]``)."""
    s1, s2 = get_seed(seed)
    dims = (
        traced_shape_arg(shape)[0]
        if is_traced_shape(shape)
        else shape_tensor(
            shape_arg(
                shape, op.name, "shape", floats=InvalidArgumentError, strings=InvalidArgumentError
            )
        )
    )
    stream = stream_for(op.name, dtype, s1, s2)
    before = stream.counter
    out = execute(op, (dims, *inputs), {"dtype": dtype, "seed": s1, "seed2": s2, "stream": stream})
    if context.state.graph is not None:
        stream.rewind(before)
    return out


def _fill(name, stream, seed, seed2, shape, dist, *args):
    """``dist(key, counter, size, *args)`` reshaped to ``shape``; the stream moves on."""
    shape = tuple(int(d) for d in shape.tolist())
    for d in shape:
        if d < 0:
            raise InvalidArgumentError(None, name, f"Dimension {d} must be >= 0 [Op:{name}]")
    stream = stream or Stream(seed, seed2)
    size = int(np.prod(shape, dtype=np.int64))
    counter = stream.reserve(size * _CALLS_PER_OUTPUT)
    return dist(stream.key, counter, size, *args).reshape(shape)


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


def _normal_kernel(shape, dtype, seed, seed2, stream=None):
    return _fill(
        "RandomStandardNormal", stream, seed, seed2, shape, philox.normal, dtype.as_numpy_dtype
    )


_NORMAL = register(
    "RandomStandardNormal",
    stateful=True,
    kernel=_normal_kernel,
    grad=None,
    infer=_source_infer,
    shape_inputs=(0,),
)


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


def _truncated_normal_kernel(shape, dtype, seed, seed2, stream=None):
    return _fill(
        "TruncatedNormal", stream, seed, seed2, shape, philox.truncated_normal, dtype.as_numpy_dtype
    )


_TRUNCATED_NORMAL = register(
    "TruncatedNormal",
    stateful=True,
    kernel=_truncated_normal_kernel,
    grad=None,
    infer=_source_infer,
    shape_inputs=(0,),
)


def truncated_normal(
    shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None
) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean
    (``tf.random.truncated_normal``).

    Raises:
        TypeError: a non-floating ``dtype``.
    """
    dtype = _float_dtype(dtype)
    rnd = _draw(_TRUNCATED_NORMAL, shape, dtype, seed)
    return _scale_shift(rnd, stddev, mean)


# -- RandomUniform, RandomUniformInt ----------------------------------------


def _uniform_kernel(shape, dtype, seed, seed2, stream=None):
    return _fill("RandomUniform", stream, seed, seed2, shape, philox.uniform, dtype.as_numpy_dtype)


_UNIFORM = register(
    "RandomUniform",
    stateful=True,
    kernel=_uniform_kernel,
    grad=None,
    infer=_source_infer,
    shape_inputs=(0,),
)


def _uniform_int_kernel(shape, minval, maxval, dtype, seed, seed2, stream=None):
    if minval >= maxval:
        raise InvalidArgumentError(
            None,
            "RandomUniformInt",
            f"Need minval < maxval, got {minval} >= {maxval} [Op:RandomUniformInt]",
        )
    return _fill(
        "RandomUniformInt",
        stream,
        seed,
        seed2,
        shape,
        philox.uniform_int,
        int(minval),
        int(maxval),
        dtype.as_numpy_dtype,
    )


# TF's inputs: shape, minval, maxval (the bounds already of ``dtype``).
_UNIFORM_INT = register(
    "RandomUniformInt",
    stateful=True,
    kernel=_uniform_int_kernel,
    grad=None,
    infer=_source_infer,
    shape_inputs=(0,),
)

_UNIFORM_DTYPES = (
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.int64,
)


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
        raise ValueError(
            f"Argument `dtype` got invalid value {dtype!r}. Accepted dtypes are "
            f"(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, "
            f"tf.int64)."
        )
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        lo, hi = to_tensor(minval, dtype), to_tensor(maxval, dtype)
        if lo._value.ndim or hi._value.ndim:
            raise InvalidArgumentError(
                None,
                "RandomUniformInt",
                f"minval and maxval must be scalars for integer "
                f"dtypes, got shapes {lo.shape} and {hi.shape} [Op:RandomUniformInt]",
            )
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


def _multinomial_kernel(logits, num_samples, output_dtype, seed, seed2, stream=None):
    batch = logits.shape[0]
    stream = stream or Stream(seed, seed2)
    # TF reserves 256 calls per word of the samples rounded up to a multiple of four.
    counter = stream.reserve(batch * ((num_samples + 3) // 4 * 4) * 2 * _CALLS_PER_OUTPUT)
    return categorical_samples(logits, num_samples, stream.key, counter, output_dtype)


def categorical_samples(logits, num_samples, key, counter, output_dtype):
    """TF's CPU multinomial sampler: per row, the running sum of ``exp(logit - max)``
    over finite logits, and per sample the first class whose sum exceeds a uniform
    double (two words, rows one after another) times the total."""
    batch, classes = logits.shape
    w = philox.words(key, counter, 2 * batch * num_samples).reshape(-1, 2)
    u = philox.uint64_to_double(w[:, 0], w[:, 1]).reshape(batch, num_samples)
    z = logits.astype(np.float64)
    finite = np.isfinite(z)
    top = np.max(np.where(finite, z, -np.inf), axis=1, keepdims=True) if classes else z
    # Non-finite logits add nothing to the running total, as in TF's kernel.
    cdf = np.cumsum(np.where(finite, np.exp(z - np.where(np.isfinite(top), top, 0)), 0.0), axis=1)
    total = cdf[:, -1:] if classes else np.zeros((batch, 1))
    to_find = u * total
    out = np.empty((batch, num_samples), np.int64)
    for b in range(batch):
        out[b] = np.searchsorted(cdf[b], to_find[b], side="right")
    return out.astype(output_dtype.as_numpy_dtype)


def _multinomial_infer(logits: Spec, num_samples, output_dtype, seed, seed2, stream=None) -> Spec:
    batch = logits.shape.as_list()[0] if logits.shape.rank is not None else None
    return Spec(output_dtype, TensorShape([batch, num_samples]))


_MULTINOMIAL = register(
    "Multinomial",
    stateful=True,
    kernel=_multinomial_kernel,
    grad=None,
    infer=_multinomial_infer,
    allowed=FLOATING,
)


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
        raise ValueError(
            f"Argument `dtype` got invalid value {out_dtype!r}. Accepted dtypes "
            f"are (tf.int32, tf.int64)."
        )
    x = to_tensor(logits)
    if x._value.ndim != 2:
        raise InvalidArgumentError(
            None,
            "Multinomial",
            f"logits should be a matrix, got shape {list(x._value.shape)} [Op:Multinomial]",
        )
    s1, s2 = get_seed(seed)
    if isinstance(num_samples, (float, str, bytes)):
        raise TypeError(
            f"Cannot convert {num_samples!r} to EagerTensor of dtype int32: "
            f"tf.random.categorical's num_samples must be an integer."
        )
    return _stateful(
        _MULTINOMIAL,
        (x,),
        {"num_samples": int(num_samples), "output_dtype": out_dtype},
        x._dtype,
        s1,
        s2,
    )


# -- RandomShuffle ----------------------------------------------------------


def shuffle_rows(x: np.ndarray, key: int, counter: int, op_name: str) -> np.ndarray:
    """``x`` with its first axis permuted as TF's shuffle kernels permute it, drawing
    from the Philox stream at ``(key, counter)``.

    A forward Fisher-Yates with one uint32 word per swap: position i swaps with
    i + word % (size - i), the words taken in order from the stream. An input of at
    most one element or one row comes back as it is, drawing nothing.
    """
    size = x.shape[0] if x.ndim else 0
    if x.size <= 1 or size <= 1:
        return x
    if size >= 2**32:
        # TF's kernel reduces ``size - i`` to 32 bits, so larger inputs are not a
        # uniform shuffle there; they do not fit in memory here anyway.
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name} of 2**32 or more rows is not supported [Op:{op_name}]",
        )
    w = philox.words(key, counter, size - 1)
    picks = (
        np.arange(size - 1, dtype=np.int64)
        + w.astype(np.int64) % np.arange(size, 1, -1, dtype=np.int64)
    ).tolist()
    perm = list(range(size))
    for i, j in enumerate(picks):
        perm[i], perm[j] = perm[j], perm[i]
    return x[np.asarray(perm, np.int64)]


def _shuffle_kernel(x, seed, seed2, stream=None):
    size = x.shape[0] if x.ndim else 0
    if x.size <= 1 or size <= 1:
        return x
    stream = stream or Stream(seed, seed2)
    # TF reserves the size - 1 words in whole Philox calls (four words each).
    counter = stream.reserve((size - 1 + 3) // 4)
    return shuffle_rows(x, stream.key, counter, "RandomShuffle")


_SHUFFLE = register(
    "RandomShuffle",
    stateful=True,
    kernel=_shuffle_kernel,
    grad=None,
    infer=lambda x, seed, seed2, stream=None: Spec(x.dtype, x.shape),
)


def shuffle(value, seed=None, name=None) -> Tensor:
    """``value`` with its first axis randomly permuted (``tf.random.shuffle``).

    >>> import tensorflux as tf
    >>> tf.random.shuffle([1, 2, 3], seed=1).shape
    TensorShape([3])
    """
    x = to_tensor(value)
    s1, s2 = get_seed(seed)
    return _stateful(_SHUFFLE, (x,), {}, x._dtype, s1, s2)


def function_stream(position: int = 0) -> Stream:
    """The stream of the unseeded random op at ``position`` (0, 1, ...) of a freshly
    traced function (a tf.data ``map`` function): op seed ``position`` under the global
    seed, else unseeded. Keras' ``fit`` shuffles each epoch's indices with such an op,
    as tf_keras does."""
    seed = global_seed()
    if seed is None:
        return Stream(0, 0)
    s1, s2 = int(seed % (2**31 - 1)), position
    return Stream(*((0, 2**31 - 1) if (s1, s2) == (0, 0) else (s1, s2)))


def shuffled_range(n: int, stream: Stream) -> np.ndarray:
    """``tf.random.shuffle(tf.range(n, dtype=tf.int64))`` drawn from ``stream``."""
    return shuffled(np.arange(n, dtype=np.int64), stream)


def shuffled(x: np.ndarray, stream: Stream) -> np.ndarray:
    """``tf.random.shuffle(x)`` on an array, drawn from ``stream``."""
    return _shuffle_kernel(x, 0, 0, stream)


def _stateful(op, inputs, attrs, dtype, seed, seed2):
    """Runs a stateful random ``op`` whose shape is not an input, on its stream."""
    stream = stream_for(op.name, dtype, seed, seed2)
    before = stream.counter
    out = execute(op, inputs, {**attrs, "seed": seed, "seed2": seed2, "stream": stream})
    if context.state.graph is not None:
        stream.rewind(before)
    return out
