"""Gamma samples (``tf.random.gamma``, ``tf.random.stateless_gamma``): TF's numbers.

``RandomGamma`` (stateful: global seed plus op seed) and ``StatelessRandomGammaV3``
(key and counter from a shape-[2] seed) run TF's sampler of ``ops/rejection_sampling.py``.
The Python functions divide by ``beta`` and clip below at the dtype's smallest normal
number, as TF's do. The samples are differentiable with respect to alpha as in TF
(implicit reparameterisation: ``RandomGammaGrad`` gives d sample / d alpha).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops import rejection_sampling
from tensorflux.ops.common import broadcast_shape, to_tensor
from tensorflux.ops.math_ops import divide, maximum, multiply
from tensorflux.ops.random_ops import _draw
from tensorflux.ops.random_seed import Stream
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, reshape
from tensorflux.ops.special_gamma_ops import igamma_derivatives, negligible
from tensorflux.ops.stateless_random_ops import _counter_int, _run, _size

__all__ = ["gamma", "stateless_gamma"]

_GAMMA_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_CALLS_PER_OUTPUT = 256


def _dims(shape, name) -> tuple:
    dims = tuple(int(d) for d in np.asarray(shape).reshape(-1).tolist())
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(None, name, f"Dimension {d} must be >= 0 [Op:{name}]")
    return dims


# -- RandomGammaGrad ------------------------------------------------------------------


def _random_gamma_grad_kernel(alpha, sample):
    """d sample / d alpha of a standard gamma sample by implicit differentiation of its
    CDF, ``-(dP(a, x)/da) / p(x; a)``; 0 where TF's kernel takes the density's
    ``x^a e^-x / Gamma(a)`` for zero."""
    a, x = np.broadcast_arrays(alpha.astype(np.float64), sample.astype(np.float64))
    out = np.zeros(a.shape, np.float64)
    out[np.isnan(x) | np.isnan(a)] = np.nan
    ok = np.array((x > 0) & (a > 0) & np.isfinite(x) & np.isfinite(a))
    ok[ok] = ~negligible(a[ok], x[ok], sample.dtype)
    out[ok] = igamma_derivatives(a[ok], x[ok])[1]
    return out.astype(sample.dtype)


def _random_gamma_grad_infer(alpha: Spec, sample: Spec) -> Spec:
    return Spec(sample.dtype, broadcast_shape(alpha.shape, sample.shape, "RandomGammaGrad"))


# As in TF, the derivative of a sample with respect to alpha has no gradient itself.
_RANDOM_GAMMA_GRAD = register(
    "RandomGammaGrad",
    kernel=_random_gamma_grad_kernel,
    grad=None,
    infer=_random_gamma_grad_infer,
    allowed=frozenset({dtypes.float32, dtypes.float64}),
)


def _alpha_grad(dy: Tensor, alpha: Tensor, sample: Tensor, sample_dims: int) -> Tensor:
    """sum over the sample dimensions of ``dy * d sample / d alpha``."""
    lead = reshape(alpha, [1] * sample_dims + alpha.shape.as_list())
    partial = execute(_RANDOM_GAMMA_GRAD, (lead, sample))
    return reduce_sum(multiply(dy, partial), axis=list(range(sample_dims)))


def _random_gamma_grad(call, dy):
    """d alpha = sum over samples of dy * RandomGammaGrad(alpha, sample)."""
    shape, alpha = call.inputs
    sample_dims = sample_rank(shape)
    return (None, _alpha_grad(dy, alpha, call.outputs[0], sample_dims))


def _stateless_gamma_grad(call, dy):
    """d alpha = sum over the leading dims of dy * RandomGammaGrad(alpha, sample)."""
    shape, alpha = call.inputs[0], call.inputs[4]
    sample_dims = sample_rank(shape) - alpha.shape.rank
    return (None, None, None, None, _alpha_grad(dy, alpha, call.outputs[0], sample_dims))


def sample_rank(shape: Tensor) -> int:
    """The number of dimensions a shape vector gives."""
    return int(shape.shape[0])


# -- RandomGamma ----------------------------------------------------------------------


def _random_gamma_kernel(shape, alpha, dtype, seed, seed2, stream=None):
    dims = _dims(shape, "RandomGamma")
    samples = int(np.prod(dims, dtype=np.int64))
    out_shape = dims + alpha.shape
    if samples == 0 or alpha.size == 0:
        return np.zeros(out_shape, dtype.as_numpy_dtype)
    stream = stream or Stream(seed, seed2)
    counter = stream.reserve(samples * alpha.size * _CALLS_PER_OUTPUT)
    flat = rejection_sampling.gamma(
        stream.key, counter, alpha.reshape(-1), samples, dtype.as_numpy_dtype
    )
    return flat.reshape(out_shape)


def _random_gamma_infer(shape: Spec, alpha: Spec, dtype, seed, seed2, stream=None) -> Spec:
    n = shape.shape.num_elements()
    if alpha.shape.rank is None or (shape.value is None and n is None):
        return Spec(dtype, TensorShape(None))
    dims = list(shape.value) if shape.value is not None else [None] * n
    return Spec(dtype, TensorShape(dims + alpha.shape.as_list()))


_RANDOM_GAMMA = register(
    "RandomGamma",
    stateful=True,
    kernel=_random_gamma_kernel,
    grad=_random_gamma_grad,
    infer=_random_gamma_infer,
    shape_inputs=(0,),
)


def _alpha_beta(alpha, beta, dtype, fn: str) -> tuple:
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _GAMMA_DTYPES:
        raise ValueError(
            f"{fn}: dtype {dtype.name} is not a floating type; gamma samples are "
            f"float16, float32 or float64."
        )
    alpha = alpha if isinstance(alpha, Tensor) else to_tensor(alpha, dtype)
    beta = to_tensor(1 if beta is None else beta, dtype) if not isinstance(beta, Tensor) else beta
    for what, t in (("alpha", alpha), ("beta", beta)):
        if t._dtype != dtype:
            raise TypeError(
                f"{fn}: `{what}` is {t._dtype.name} but dtype is {dtype.name}; pass "
                f"{what} of the requested dtype."
            )
    return dtype, alpha, beta


def _broadcast_alpha(alpha: Tensor, beta: Tensor) -> Tensor:
    shape = broadcast_shape(alpha.shape, beta.shape, "BroadcastArgs")
    return alpha if shape == alpha.shape else broadcast_to(alpha, shape.as_list())


def _scale(rnd: Tensor, beta: Tensor, dtype) -> Tensor:
    tiny = to_tensor(np.finfo(dtype.as_numpy_dtype).tiny, dtype)
    return maximum(tiny, divide(rnd, beta))


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples from gamma distributions (``tf.random.gamma``): ``shape`` draws for each
    of the (broadcast) ``alpha`` and ``beta``.

    Args:
        shape: the sample shape, prepended to the broadcast shape of alpha and beta.
        alpha: the concentration (shape) parameters.
        beta: the inverse scale (rate); 1 by default.
        dtype: float16, float32 or float64.
        seed: the op seed (with the global seed, as every stateful random op).

    Returns:
        A tensor of shape ``shape + broadcast(alpha, beta).shape``, at least the
        dtype's smallest normal number.

    Raises:
        ValueError: an integer ``dtype``.
        InvalidArgumentError: a negative dimension in ``shape``, or alpha and beta
            that do not broadcast.

    >>> import tensorflux as tf
    >>> tf.random.gamma([10], [0.5, 1.5], seed=1).shape
    TensorShape([10, 2])
    """
    dtype, alpha, beta = _alpha_beta(alpha, beta, dtype, "random_gamma")
    rnd = _draw(_RANDOM_GAMMA, shape, dtype, seed, (_broadcast_alpha(alpha, beta),))
    return _scale(rnd, beta, dtype)


# -- StatelessRandomGammaV3 -----------------------------------------------------------


def _stateless_gamma_kernel(shape, key, counter, alg, alpha, dtype):
    name = "StatelessRandomGammaV3"
    dims = _size(shape, name)
    if alpha.ndim > len(dims) or tuple(dims[len(dims) - alpha.ndim :]) != alpha.shape:
        raise InvalidArgumentError(
            None,
            name,
            f"Shape passed in must end with broadcasted shape: shape {list(dims)} "
            f"does not end with alpha's (broadcast with beta's) shape "
            f"{list(alpha.shape)} [Op:{name}]",
        )
    n = int(np.prod(dims, dtype=np.int64))
    if n == 0:
        return np.zeros(dims, dtype.as_numpy_dtype)
    flat = rejection_sampling.gamma(
        int(key[0]),
        _counter_int(counter),
        alpha.reshape(-1),
        n // alpha.size,
        dtype.as_numpy_dtype,
    )
    return flat.reshape(dims)


def _stateless_gamma_infer(
    shape: Spec, key: Spec, counter: Spec, alg: Spec, alpha: Spec, dtype
) -> Spec:
    if shape.value is not None:
        return Spec(dtype, TensorShape(list(shape.value)))
    n = shape.shape.num_elements()
    return Spec(dtype, TensorShape(None if n is None else [None] * n))


_STATELESS_GAMMA = register(
    "StatelessRandomGammaV3",
    grad=_stateless_gamma_grad,
    infer=_stateless_gamma_infer,
    shape_inputs=(0,),
    kernel=_stateless_gamma_kernel,
)


def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None) -> Tensor:
    """Gamma samples fixed by ``seed`` (``tf.random.stateless_gamma``).

    Unlike ``gamma``, ``shape`` is the whole output shape: it must end with the
    broadcast shape of ``alpha`` and ``beta``.

    Args:
        shape: the output shape.
        seed: a shape-[2] int32/int64 seed.
        alpha: the concentration parameters.
        beta: the inverse scale (rate); 1 by default.
        dtype: float16, float32 or float64.

    Returns:
        A tensor of ``shape``; equal seeds give equal tensors.

    Raises:
        InvalidArgumentError: ``shape`` not ending with alpha's broadcast shape, or a
            bad seed.

    >>> import tensorflux as tf
    >>> tf.random.stateless_gamma([10, 2], seed=[12, 34], alpha=[0.5, 1.5]).shape
    TensorShape([10, 2])
    """
    dtype, alpha, beta = _alpha_beta(alpha, beta, dtype, "stateless_random_gamma")
    rnd = _run(_STATELESS_GAMMA, shape, seed, dtype, (_broadcast_alpha(alpha, beta),))
    return _scale(rnd, beta, dtype)
