"""Binomial samples (``tf.random.stateless_binomial``, ``Generator.binomial``): TF's
numbers.

``StatelessRandomBinomial`` (seeded by a shape-[2] seed) and
``StatefulRandomBinomial`` (a Generator's state) run TF's sampler of
``ops/binomial_sampling.py``. ``shape`` is the whole output shape and must end with the
broadcast shape of ``counts`` and ``probs``; its leading dimensions count the samples.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops import binomial_sampling
from tensorflux.ops.stateless_random_ops import _counter_int, _get_key_counter_kernel, _size

__all__ = ["stateless_binomial"]

_PARAM_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_OUT_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def layout(name: str, shape, counts: np.ndarray, probs: np.ndarray) -> tuple:
    """``(dims, samples_per_batch, flat counts, flat probs)`` of a binomial op, with
    TF's checks.

    Raises:
        InvalidArgumentError: parameters that do not broadcast, a shape that does not
            end with their broadcast shape, or NaN counts (TF's sampler never ends).
    """
    dims = _size(shape, name)
    try:
        batch = np.broadcast_shapes(counts.shape, probs.shape)
    except ValueError:
        raise InvalidArgumentError(
            None,
            name,
            f"counts and probs must have compatible batch dimensions: "
            f"{list(counts.shape)} vs. {list(probs.shape)} [Op:{name}]",
        ) from None
    if len(batch) > len(dims) or tuple(dims[len(dims) - len(batch) :]) != batch:
        raise InvalidArgumentError(
            None,
            name,
            f"Shape passed in must end with broadcasted shape: shape {list(dims)}, "
            f"broadcast shape of counts and probs {list(batch)} [Op:{name}]",
        )
    samples = int(np.prod(dims[: len(dims) - len(batch)], dtype=np.int64))
    counts = np.broadcast_to(counts, batch).reshape(-1)
    probs = np.broadcast_to(probs, batch).reshape(-1)
    if np.isnan(counts).any():
        raise InvalidArgumentError(
            None, name, f"counts must not be NaN: TF's binomial sampler would not end [Op:{name}]"
        )
    return dims, samples, counts, probs


def to_output(flat: np.ndarray, dims, dtype) -> np.ndarray:
    """The float64 samples in the output dtype; NaN samples (NaN probabilities) become
    the integer x86 gives for NaN, as in TF's kernel."""
    np_dtype = dtype.as_numpy_dtype
    if dtype.is_integer:
        nan = np.isnan(flat)
        flat = np.where(nan, 0, flat).astype(np_dtype)
        flat[nan] = np.iinfo(np_dtype).min
        return flat.reshape(dims)
    return flat.astype(np_dtype).reshape(dims)


def _stateless_binomial_kernel(shape, seed, counts, probs, dtype):
    name = "StatelessRandomBinomial"
    if seed.shape != (2,):
        raise InvalidArgumentError(
            None, name, f"seed must have shape [2], not {list(seed.shape)} [Op:{name}]"
        )
    dims, samples, counts, probs = layout(name, shape, counts, probs)
    key, counter = _get_key_counter_kernel(seed)
    flat = binomial_sampling.binomial(int(key[0]), _counter_int(counter), counts, probs, samples)
    return to_output(flat, dims, dtype)


def infer(shape: Spec, *inputs: Spec, dtype) -> Spec:
    """The output is ``shape``, as far as it is known, of ``dtype``."""
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


_STATELESS_BINOMIAL = register(
    "StatelessRandomBinomial",
    grad=None,
    infer=infer,
    shape_inputs=(0,),
    kernel=_stateless_binomial_kernel,
)


def parameters(name: str, counts, probs, dtype) -> tuple:
    """``counts``, ``probs`` and the output dtype checked as TF's op checks them: the
    parameters share a float dtype ``T``.

    Raises:
        InvalidArgumentError: parameters of different or non-float dtypes, or an output
            dtype TF does not sample.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _OUT_DTYPES:
        raise InvalidArgumentError(
            None,
            name,
            f"Value for attr 'dtype' of {dtype.name} is not in the list of allowed "
            f"values: half, float, double, int32, int64 [Op:{name}]",
        )
    if counts._dtype != probs._dtype or probs._dtype not in _PARAM_DTYPES:
        raise InvalidArgumentError(
            None,
            name,
            f"counts ({counts._dtype.name}) and probs ({probs._dtype.name}) must have the "
            f"same float dtype (half, float or double); cast them, e.g. "
            f"tf.cast(counts, tf.float32) [Op:{name}]",
        )
    return counts, probs, dtype


def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None) -> Tensor:
    """Binomial samples fixed by ``seed`` (``tf.random.stateless_binomial``).

    Args:
        shape: the output shape; it must end with the broadcast shape of ``counts`` and
            ``probs``, and its leading dimensions number the samples of each pair.
        seed: a shape-[2] int32/int64 tensor.
        counts: the numbers of trials (a float tensor, or numbers).
        probs: the success probabilities, of the same dtype as ``counts``.
        output_dtype: float16, float32, float64, int32 or int64.

    Returns:
        A tensor of ``shape`` and ``output_dtype``; equal seeds give equal tensors.

    Raises:
        InvalidArgumentError: a bad seed or shape, or parameters of different dtypes.

    >>> import tensorflux as tf
    >>> tf.random.stateless_binomial([3, 2], seed=[1, 2], counts=[10.0, 20.0], probs=0.5).shape
    TensorShape([3, 2])
    """
    name = "StatelessRandomBinomial"
    probs = convert_to_tensor(probs, dtype_hint=dtypes.float32)
    counts = convert_to_tensor(counts, dtype_hint=probs._dtype)
    counts, probs, dtype = parameters(name, counts, probs, output_dtype)
    seed = convert_to_tensor(seed)
    if seed._dtype not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(
            None,
            name,
            f"Value for attr 'Tseed' of {seed._dtype.name} is not in the list of allowed "
            f"values: int32, int64; the seed is a pair of integers, e.g. seed=[1, 2].",
        )
    dims = shape if isinstance(shape, Tensor) else convert_to_tensor(shape, dtypes.int32)
    return execute(_STATELESS_BINOMIAL, (dims, seed, counts, probs), {"dtype": dtype})
