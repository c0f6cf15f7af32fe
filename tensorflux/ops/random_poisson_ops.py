"""Poisson samples (``tf.random.poisson``, ``tf.random.stateless_poisson``): TF's numbers.

``RandomPoissonV2`` (stateful) and ``StatelessRandomPoisson`` (seeded by a shape-[2]
seed) run TF's sampler of ``ops/rejection_sampling.py``; float and integer output
dtypes. Negative rates give 0, as in TF. Rates that are NaN or infinite (or too large
for the dtype) make TF's sampler retry forever; here they raise instead.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import rejection_sampling
from tensorflux.ops.common import to_tensor
from tensorflux.ops.random_ops import _draw
from tensorflux.ops.random_seed import Stream
from tensorflux.ops.stateless_random_ops import (
    _counter_int,
    _get_key_counter_kernel,
    _size,
    key_counter,
)

__all__ = ["poisson", "stateless_poisson"]

_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)
_CALLS_PER_OUTPUT = 256


def _check_rates(rate: np.ndarray, dtype, name: str) -> None:
    bad = ~np.isfinite(rate.astype(np.float64)) | (
        rate.astype(np.float64) > 0.5 * rejection_sampling._HIGHEST[np.dtype(dtype)]
    )
    if bad.any():
        raise InvalidArgumentError(
            None,
            name,
            f"Poisson rates must be finite and small enough for {np.dtype(dtype).name} "
            f"samples, got {rate.reshape(-1)[bad.reshape(-1)][:3].tolist()} [Op:{name}]",
        )


def _dtype_of(dtype, fn: str):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _DTYPES:
        raise InvalidArgumentError(
            None,
            fn,
            f"Value for attr 'dtype' of {dtype.name} is not in the list of allowed "
            f"values: half, float, double, int32, int64",
        )
    return dtype


# -- RandomPoissonV2 ------------------------------------------------------------------


def _random_poisson_kernel(shape, rate, dtype, seed, seed2, stream=None):
    dims = _size(shape, "RandomPoissonV2")
    samples = int(np.prod(dims, dtype=np.int64))
    out_shape = dims + rate.shape
    np_dtype = dtype.as_numpy_dtype
    if samples == 0 or rate.size == 0:
        return np.zeros(out_shape, np_dtype)
    _check_rates(rate, np_dtype, "RandomPoissonV2")
    stream = stream or Stream(seed, seed2)
    counter = stream.reserve(samples * rate.size * _CALLS_PER_OUTPUT)
    flat = rejection_sampling.poisson(stream.key, counter, rate.reshape(-1), samples, np_dtype)
    return flat.reshape(out_shape)


def _random_poisson_infer(shape: Spec, rate: Spec, dtype, seed, seed2, stream=None) -> Spec:
    n = shape.shape.num_elements()
    if rate.shape.rank is None or (shape.value is None and n is None):
        return Spec(dtype, TensorShape(None))
    dims = list(shape.value) if shape.value is not None else [None] * n
    return Spec(dtype, TensorShape(dims + rate.shape.as_list()))


_RANDOM_POISSON = register(
    "RandomPoissonV2",
    stateful=True,
    kernel=_random_poisson_kernel,
    grad=None,
    infer=_random_poisson_infer,
    shape_inputs=(0,),
)


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """``shape`` Poisson samples for each rate in ``lam`` (``tf.random.poisson``).

    Args:
        shape: the sample shape, prepended to ``lam``'s shape.
        lam: the rates (float or int).
        dtype: float16, float32, float64, int32 or int64.
        seed: the op seed (with the global seed, as every stateful random op).

    Returns:
        A tensor of shape ``shape + lam.shape``.

    Raises:
        InvalidArgumentError: another ``dtype``, a negative dimension, or a rate that
            is not finite.

    >>> import tensorflux as tf
    >>> tf.random.poisson([10], [0.5, 1.5], seed=1).shape
    TensorShape([10, 2])
    """
    dtype = _dtype_of(dtype, "RandomPoissonV2")
    rate = lam if isinstance(lam, Tensor) else to_tensor(lam)
    return _draw(_RANDOM_POISSON, shape, dtype, seed, (rate,))


# -- StatelessRandomPoisson -----------------------------------------------------------


def _stateless_poisson_kernel(shape, seed, lam, dtype):
    name = "StatelessRandomPoisson"
    dims = _size(shape, name)
    if lam.ndim > len(dims) or tuple(dims[len(dims) - lam.ndim :]) != lam.shape:
        raise InvalidArgumentError(
            None,
            name,
            f"Shape passed in must end with broadcasted shape: shape {list(dims)} "
            f"does not end with lam's shape {list(lam.shape)} [Op:{name}]",
        )
    key, counter = _get_key_counter_kernel(seed)
    n = int(np.prod(dims, dtype=np.int64))
    np_dtype = dtype.as_numpy_dtype
    if n == 0:
        return np.zeros(dims, np_dtype)
    _check_rates(lam, np_dtype, name)
    flat = rejection_sampling.poisson(
        int(key[0]), _counter_int(counter), lam.reshape(-1), n // lam.size, np_dtype
    )
    return flat.reshape(dims)


def _stateless_poisson_infer(shape: Spec, seed: Spec, lam: Spec, dtype) -> Spec:
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


_STATELESS_POISSON = register(
    "StatelessRandomPoisson",
    grad=None,
    infer=_stateless_poisson_infer,
    shape_inputs=(0,),
    kernel=_stateless_poisson_kernel,
)


def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None) -> Tensor:
    """Poisson samples fixed by ``seed`` (``tf.random.stateless_poisson``); ``shape``
    is the whole output shape and must end with ``lam``'s shape.

    Raises:
        InvalidArgumentError: ``shape`` not ending with ``lam``'s shape, a bad seed, or
            a rate that is not finite.

    >>> import tensorflux as tf
    >>> tf.random.stateless_poisson([10, 2], seed=[12, 34], lam=[5, 15]).shape
    TensorShape([10, 2])
    """
    dtype = _dtype_of(dtype, "StatelessRandomPoisson")
    key_counter(seed)  # validates the seed as TF does
    rate = lam if isinstance(lam, Tensor) else to_tensor(lam)
    dims = to_tensor(shape, dtypes.int32) if not isinstance(shape, Tensor) else shape
    return execute(_STATELESS_POISSON, (dims, to_tensor(seed), rate), {"dtype": dtype})
