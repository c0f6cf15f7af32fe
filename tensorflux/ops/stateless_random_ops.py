"""Stateless random ops (``tf.random.stateless_*``): TensorFlow's numbers for a seed pair.

The same ``seed`` (a shape-[2] int32/int64 tensor) gives the same numbers on every
call. As in TF, ``StatelessRandomGetKeyCounter`` scrambles the seed into a Philox key
and counter (one Philox call with a fixed key), and the ``*V2`` ops draw from them with
the mappings of ``ops/philox.py``; the algorithm input is Philox (1), the one TF's CPU
kernels select.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.gradient_registry import no_entry_gradient
from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import philox
from tensorflux.ops.common import shape_tensor, to_tensor
from tensorflux.ops.creation_ops import is_traced_shape, shape_arg, traced_shape_arg
from tensorflux.ops.joining_ops import stack
from tensorflux.ops.math_ops import add, multiply, subtract
from tensorflux.ops.random_algorithms import convert_alg_to_int
from tensorflux.ops.random_ops import categorical_samples, shuffle_rows

__all__ = [
    "fold_in",
    "split",
    "stateless_categorical",
    "stateless_normal",
    "stateless_shuffle",
    "stateless_truncated_normal",
    "stateless_uniform",
]

_PHILOX = 1
_THREEFRY = 2
_SCRAMBLE_KEY = 0x02461E29 << 32 | 0x3EC8F720
_MASK64 = (1 << 64) - 1


# -- StatelessRandomGetKeyCounter -----------------------------------------------------


def _get_key_counter_kernel(seed):
    if seed.shape != (2,):
        raise InvalidArgumentError(
            None,
            "StatelessRandomGetKeyCounter",
            f"seed must have shape [2], not {list(seed.shape)} [Op:StatelessRandomGetKeyCounter]",
        )
    s0, s1 = (int(v) & _MASK64 for v in seed)
    w = philox.philox_blocks(_SCRAMBLE_KEY, (np.array([s0], np.uint64), np.array([s1], np.uint64)))[
        0
    ]
    key = np.array([int(w[0]) | int(w[1]) << 32], np.uint64)
    counter = np.array([0, int(w[2]) | int(w[3]) << 32], np.uint64)
    return key, counter


def _get_key_counter_infer(seed: Spec) -> tuple:
    return (Spec(dtypes.uint64, TensorShape([1])), Spec(dtypes.uint64, TensorShape([2])))


_GET_KEY_COUNTER = register(
    "StatelessRandomGetKeyCounter",
    kernel=_get_key_counter_kernel,
    grad=None,
    infer=_get_key_counter_infer,
    num_outputs=2,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
)


def key_counter(seed):
    """The Philox ``(key, counter)`` tensors TF derives from a shape-[2] ``seed``.

    Raises:
        InvalidArgumentError: a seed of another shape, or not int32/int64.
    """
    seed = to_tensor(seed)
    if seed._dtype not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(
            None,
            "StatelessRandomGetKeyCounter",
            f"Value for attr 'Tseed' of "
            f"{seed._dtype.name} is not in the list of allowed values: int32, int64; the "
            f"seed of a stateless random op is a pair of integers, e.g. seed=[1, 2].",
        )
    return execute(_GET_KEY_COUNTER, (seed,))


# -- StatelessRandom{Uniform,Normal,UniformInt}V2, StatelessTruncatedNormalV2 ----------------


def _counter_int(counter) -> int:
    return int(counter[0]) | int(counter[1]) << 64


def _size(shape, name) -> tuple:
    dims = tuple(int(d) for d in shape.tolist())
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(None, name, f"Dimension {d} must be >= 0 [Op:{name}]")
    return dims


def _make_kernel(name, dist):
    def kernel(shape, key, counter, alg, dtype):
        dims = _size(shape, name)
        n = int(np.prod(dims, dtype=np.int64))
        return dist(int(key[0]), _counter_int(counter), n, dtype.as_numpy_dtype).reshape(dims)

    return kernel


def _v2_infer(shape: Spec, key: Spec, counter: Spec, alg: Spec, *bounds: Spec, dtype) -> Spec:
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


_UNIFORM = register(
    "StatelessRandomUniformV2",
    grad=None,
    infer=_v2_infer,
    shape_inputs=(0,),
    kernel=_make_kernel("StatelessRandomUniformV2", philox.uniform),
)
_NORMAL = register(
    "StatelessRandomNormalV2",
    grad=None,
    infer=_v2_infer,
    shape_inputs=(0,),
    kernel=_make_kernel("StatelessRandomNormalV2", philox.normal),
)
_TRUNCATED = register(
    "StatelessTruncatedNormalV2",
    grad=None,
    infer=_v2_infer,
    shape_inputs=(0,),
    kernel=_make_kernel("StatelessTruncatedNormalV2", philox.truncated_normal),
)


def _uniform_int_kernel(shape, key, counter, alg, minval, maxval, dtype):
    name = "StatelessRandomUniformIntV2"
    if minval >= maxval:
        raise InvalidArgumentError(
            None, name, f"Need minval < maxval, got {minval} >= {maxval} [Op:{name}]"
        )
    dims = _size(shape, name)
    n = int(np.prod(dims, dtype=np.int64))
    return philox.uniform_int(
        int(key[0]), _counter_int(counter), n, int(minval), int(maxval), dtype.as_numpy_dtype
    ).reshape(dims)


_UNIFORM_INT = register(
    "StatelessRandomUniformIntV2",
    grad=None,
    infer=_v2_infer,
    shape_inputs=(0,),
    kernel=_uniform_int_kernel,
)


def _full_int_kernel(shape, key, counter, alg, dtype):
    dims = _size(shape, "StatelessRandomUniformFullIntV2")
    n = int(np.prod(dims, dtype=np.int64))
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if np_dtype.itemsize == 8:
        w = philox.words(int(key[0]), _counter_int(counter), 2 * n).reshape(-1, 2)
        bits = w[:, 0].astype(np.uint64) | (w[:, 1].astype(np.uint64) << np.uint64(32))
    else:
        bits = philox.words(int(key[0]), _counter_int(counter), n)
    return bits.view(np_dtype).reshape(dims)


_FULL_INT = register(
    "StatelessRandomUniformFullIntV2",
    grad=None,
    infer=_v2_infer,
    shape_inputs=(0,),
    kernel=_full_int_kernel,
)


def _run(op, shape, seed, dtype, bounds=(), alg="auto_select") -> Tensor:
    if convert_alg_to_int(alg) == _THREEFRY:
        # TF's key and counter for ThreeFry have a one-word counter, which its CPU
        # kernels refuse.
        raise InvalidArgumentError(
            None,
            op.name,
            f"counter must be a vector with length at least 2; got shape: [1]. (Note that "
            f"batched counters are not supported yet.) [Op:{op.name}] The CPU draws "
            f"with alg='philox' or 'auto_select'.",
        )
    key, counter = key_counter(seed)
    dims = (
        traced_shape_arg(shape)[0]
        if is_traced_shape(shape)
        else shape_tensor(
            shape_arg(
                shape, op.name, "shape", floats=InvalidArgumentError, strings=InvalidArgumentError
            )
        )
    )
    alg = Tensor(np.array(_PHILOX, np.int32), dtypes.int32)
    return execute(op, (dims, key, counter, alg, *bounds), {"dtype": dtype})


def _scale_shift(rnd: Tensor, scale, shift) -> Tensor:
    """``rnd * scale + shift`` in ``rnd``'s dtype, as TF's Python wrappers compute it."""
    dtype = rnd._dtype
    scale = scale if isinstance(scale, Tensor) else to_tensor(scale, dtype)
    shift = shift if isinstance(shift, Tensor) else to_tensor(shift, dtype)
    return add(multiply(rnd, scale), shift)


def _float_dtype(dtype, fn: str, first_value=0.0):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64):
        # TF converts the mean (or minval) to ``dtype`` first, and fails there.
        raise TypeError(
            f"Cannot convert {first_value!r} to EagerTensor of dtype {dtype.name}: "
            f"{fn} draws floats (float16, bfloat16, float32 or float64)."
        )
    return dtype


def stateless_uniform(
    shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None, alg="auto_select"
) -> Tensor:
    """Uniform numbers on ``[minval, maxval)`` fixed by ``seed`` (``tf.random.stateless_uniform``).

    Floats default to ``[0, 1)``. Integer dtypes need both bounds, or neither (then the
    full range of the dtype).

    Args:
        shape: the output shape.
        seed: a shape-[2] int32/int64 tensor.

    Returns:
        A tensor of ``dtype``; equal seeds give equal tensors.

    Raises:
        ValueError: an integer dtype with only one bound.
        InvalidArgumentError: a bad seed, or ``minval >= maxval`` for integers.

    >>> import tensorflux as tf
    >>> a = tf.random.stateless_uniform([2], seed=[1, 2])
    >>> bool(tf.reduce_all(a == tf.random.stateless_uniform([2], seed=[1, 2])))
    True
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer `dtype` argument {dtype!r}, argument `minval` and "
                f"`maxval` must be both None or not None. Got `minval`={minval} "
                f"and `maxval`={maxval}."
            )
        if minval is None:
            return _run(_FULL_INT, shape, seed, dtype, alg=alg)
        lo, hi = to_tensor(minval, dtype), to_tensor(maxval, dtype)
        return _run(_UNIFORM_INT, shape, seed, dtype, (lo, hi), alg)
    dtype = _float_dtype(dtype, "stateless_uniform", minval)
    rnd = _run(_UNIFORM, shape, seed, dtype, alg=alg)
    minval = to_tensor(minval, dtype) if not isinstance(minval, Tensor) else minval
    maxval = (
        to_tensor(1 if maxval is None else maxval, dtype)
        if not isinstance(maxval, Tensor)
        else maxval
    )
    return add(multiply(rnd, subtract(maxval, minval)), minval)


def stateless_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"
) -> Tensor:
    """Normal numbers fixed by ``seed`` (``tf.random.stateless_normal``).

    >>> import tensorflux as tf
    >>> tf.random.stateless_normal([2, 3], seed=[7, 0]).shape
    TensorShape([2, 3])
    """
    dtype = _float_dtype(dtype, "stateless_normal", mean)
    return _scale_shift(_run(_NORMAL, shape, seed, dtype, alg=alg), stddev, mean)


def stateless_truncated_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"
) -> Tensor:
    """Normal numbers within two standard deviations, fixed by ``seed``
    (``tf.random.stateless_truncated_normal``).

    >>> import tensorflux as tf
    >>> x = tf.random.stateless_truncated_normal([100], seed=[1, 1])
    >>> bool(tf.reduce_all(tf.abs(x) < 2))
    True
    """
    dtype = _float_dtype(dtype, "stateless_truncated_normal", mean)
    return _scale_shift(_run(_TRUNCATED, shape, seed, dtype, alg=alg), stddev, mean)


# -- StatelessMultinomial -------------------------------------------------------------


def _multinomial_kernel(logits, num_samples, seed, output_dtype):
    key, counter = _get_key_counter_kernel(seed)
    return categorical_samples(
        logits, num_samples, int(key[0]), _counter_int(counter), output_dtype
    )


def _multinomial_infer(logits: Spec, num_samples: Spec, seed: Spec, output_dtype) -> Spec:
    batch = logits.shape.as_list()[0] if logits.shape.rank is not None else None
    n = num_samples.value
    return Spec(output_dtype, TensorShape([batch, None if n is None else int(n)]))


_MULTINOMIAL = register(
    "StatelessMultinomial",
    grad=None,
    infer=_multinomial_infer,
    kernel=_multinomial_kernel,
    shape_inputs=(1,),
)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None) -> Tensor:
    """Class indices drawn from each row's unnormalised log-probabilities, fixed by
    ``seed`` (``tf.random.stateless_categorical``).

    Raises:
        InvalidArgumentError: ``logits`` that is not a matrix, or a bad seed.

    >>> import tensorflux as tf
    >>> tf.random.stateless_categorical([[0.0, 1.0]], 3, seed=[1, 2]).shape
    TensorShape([1, 3])
    """
    out_dtype = dtypes.as_dtype(dtype)
    if out_dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(
            f"Argument `dtype` got invalid value {out_dtype!r}. Accepted dtypes "
            f"are (tf.int32, tf.int64)."
        )
    x = to_tensor(logits)
    if x._value.ndim != 2:
        raise InvalidArgumentError(
            None,
            "StatelessMultinomial",
            f"logits should be a matrix, "
            f"got shape {list(x._value.shape)} [Op:StatelessMultinomial]",
        )
    key_counter(seed)  # validates the seed as TF's first op does
    seed_t = to_tensor(seed)
    n = Tensor(np.array(int(num_samples), np.int32), dtypes.int32)
    return execute(_MULTINOMIAL, (x, n, seed_t), {"output_dtype": out_dtype})


# -- StatelessShuffle ---------------------------------------------------------------


def _scalar_alg(alg, name) -> int:
    if alg.ndim:
        raise InvalidArgumentError(
            None, name, f"input 3 (0-based) must have shape [], not {list(alg.shape)} [Op:{name}]"
        )
    return int(alg)


def _shuffle_kernel(value, key, counter, alg):
    name = "StatelessShuffle"
    alg = _scalar_alg(alg, name)
    if alg == 3:  # auto_select: Philox on the CPU
        alg = _PHILOX
    if key.shape != (1,):
        raise InvalidArgumentError(
            None,
            name,
            f"key must have shape [1], not {list(key.shape)}. (Note that batched keys are "
            f"not supported yet.) [Op:{name}]",
        )
    # TF's kernel checks the counter's length against the algorithm's number, not
    # against the counter size that algorithm needs.
    if counter.ndim != 1 or counter.shape[0] < alg:
        raise InvalidArgumentError(
            None,
            name,
            f"counter must be a vector with length at least {alg}; got shape: "
            f"{list(counter.shape)}. (Note that batched counters are not supported yet.) "
            f"[Op:{name}]",
        )
    if alg != _PHILOX:
        raise InvalidArgumentError(None, name, f"Unsupported algorithm id: {alg} [Op:{name}]")
    # A one-word counter passes TF's check and its kernel reads a second word past
    # the end; that word is taken as zero here.
    words = [int(c) for c in counter[:2]] + [0]
    return shuffle_rows(value, int(key[0]), words[0] | words[1] << 64, name)


_SHUFFLE = register(
    "StatelessShuffle",
    kernel=_shuffle_kernel,
    # TF registers no gradient for StatelessShuffle (tf.random.shuffle's RandomShuffle
    # is declared not differentiable instead): differentiating through it raises.
    grad=no_entry_gradient("StatelessShuffle"),
    infer=lambda value, key, counter, alg: Spec(value.dtype, value.shape),
)


def _slice_error(message) -> InvalidArgumentError:
    return InvalidArgumentError(None, "StridedSlice", f"{message} [Op:StridedSlice]")


def _shuffle_key_counter(seed, alg: int):
    """The key and counter ``stateless_shuffle`` passes its op for ``alg``, made as TF's
    ``get_key_counter_alg`` makes them: auto_select by ``StatelessRandomGetKeyCounter``,
    Philox by scrambling the seed cast to uint64 (the same key and counter for a valid
    seed), ThreeFry from the seed's first two words with a one-word counter."""
    if alg == 3:
        return key_counter(seed)
    seed = to_tensor(seed)
    if alg == _PHILOX:
        words = seed._value.astype(np.uint64)
        if words.ndim == 0:
            name = "StatelessRandomUniformFullIntV2"
            raise InvalidArgumentError(
                None,
                name,
                f"counter must be a vector with length at least 1; got shape: []. (Note "
                f"that batched counters are not supported yet.) [Op:{name}] The seed is a "
                f"pair of integers, e.g. seed=[1, 2].",
            )
        pair = np.zeros(2, np.uint64)
        pair[: min(2, words.size)] = words.reshape(-1)[:2]
        key, counter = _get_key_counter_kernel(pair)
    else:
        if seed._value.ndim == 0:
            raise _slice_error("Attempting to slice scalar input.")
        if seed._value.shape[0] < 2:
            raise _slice_error("slice index 1 of dimension 0 out of bounds.")
        words = seed._value[:2].astype(np.uint32).astype(np.uint64)
        key = np.array([int(words[0]) | int(words[1]) << 32], np.uint64)
        counter = np.zeros(1, np.uint64)
    return Tensor(key, dtypes.uint64), Tensor(counter, dtypes.uint64)


def stateless_shuffle(value, seed, alg="auto_select", name=None) -> Tensor:
    """``value`` with its first axis permuted as ``seed`` fixes
    (``tf.random.experimental.stateless_shuffle``): TensorFlow's permutation for the
    same seed, and the same one on every call.

    Args:
        value: a tensor of any dtype; a scalar, or one with at most one row or
            element, comes back unchanged.
        seed: a shape-[2] int32/int64 tensor.
        alg: "auto_select" or "philox" (the same permutation); "threefry" fails on
            the CPU, as in TF.

    Returns:
        A tensor of ``value``'s shape and dtype.

    Raises:
        InvalidArgumentError: a bad seed, or ``alg="threefry"``.
        ValueError, TypeError: an unknown ``alg``.

    >>> import tensorflux as tf
    >>> v = tf.constant([[1, 2], [3, 4], [5, 6]])
    >>> tf.random.experimental.stateless_shuffle(v, seed=[8, 9]).numpy().tolist()
    [[5, 6], [1, 2], [3, 4]]
    """
    alg = convert_alg_to_int(alg)
    x = to_tensor(value)
    key, counter = _shuffle_key_counter(seed, alg)
    alg_t = Tensor(np.array(alg, np.int32), dtypes.int32)
    return execute(_SHUFFLE, (x, key, counter, alg_t))


def split(seed, num=2, alg="auto_select") -> Tensor:
    """``num`` new seeds drawn from ``seed``: a ``[num, 2]`` tensor of ``seed``'s dtype
    (``tf.random.split``, ``tf.random.experimental.stateless_split``).

    >>> import tensorflux as tf
    >>> tf.random.split([1, 2], 3).shape
    TensorShape([3, 2])
    """
    seed = to_tensor(seed)
    return stateless_uniform([num, 2], seed, dtype=seed._dtype, minval=None, alg=alg)


def fold_in(seed, data, alg="auto_select") -> Tensor:
    """A new seed from ``seed`` and the integer ``data``: a number drawn from ``seed``
    (of ``data``'s dtype) stacked with ``data`` (``tf.random.fold_in``).

    >>> import tensorflux as tf
    >>> tf.random.fold_in([1, 2], 3).shape
    TensorShape([2])
    """
    data = to_tensor(data)
    drawn = stateless_uniform([], seed, dtype=data._dtype, minval=None, alg=alg)
    return stack([drawn, data])
