"""``tf.nn.experimental.stateless_dropout`` and ``tf.nn.experimental.general_dropout``:
dropout whose keep/drop draws come from a stateless seed or a caller's sampler.

As TF 2.21 computes it: ``x * (1 / (1 - rate))`` (``x / (1 - rate)`` for a tensor rate),
then ``where(uniform >= rate, that, 0)`` with ``uniform`` of ``noise_shape`` (broadcast
against ``x``); a rate of 0 returns ``x``.
"""

from __future__ import annotations

import numbers

from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import to_tensor

__all__ = ["general_dropout", "stateless_dropout"]


def _noise_shape(x: Tensor, noise_shape):
    if noise_shape is None:
        return x.shape.as_list() if x.shape.is_fully_defined() else None
    dims = (
        list(to_tensor(noise_shape).numpy())
        if isinstance(noise_shape, Tensor)
        else list(noise_shape)
    )
    known = x.shape.as_list() if x.shape.rank is not None else [None] * len(dims)
    if len(known) == len(dims):
        dims = [k if d is None else int(d) for d, k in zip(dims, known)]
    return dims


def _dropout(x, rate, noise_shape, uniform_sampler) -> Tensor:
    from tensorflux.ops.math_ops import multiply, subtract, truediv
    from tensorflux.ops.selection_ops import where
    from tensorflux.ops.shape_ops import shape

    is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
    if is_number and not 0 <= rate < 1:
        raise ValueError(
            f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}"
        )
    x = to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(
            "`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
            f"x_dtype=<dtype: '{x.dtype.name}'>"
        )
    if is_number and rate == 0:
        return x
    if is_number:
        # 1 / (1 - rate) in double, rounded to x's dtype, as TF.
        scaled = multiply(x, to_tensor(1 / (1 - rate), x.dtype))
    else:
        if not isinstance(rate, Tensor) and not hasattr(rate, "_as_tensor"):
            raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
        rate = to_tensor(rate)
        if rate.shape.rank != 0:
            raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
        if rate.dtype is not x.dtype:
            raise ValueError(
                f"`x.dtype` must be compatible with `rate.dtype`. Received: x.dtype={x.dtype} "
                f"and rate.dtype={rate.dtype}"
            )
        scaled = truediv(x, subtract(to_tensor(1, x.dtype), rate))
    dims = _noise_shape(x, noise_shape)
    noise = uniform_sampler(shape=shape(x) if dims is None else dims, dtype=x.dtype)
    return where(noise >= rate, scaled, to_tensor(0, x.dtype))


def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None) -> Tensor:
    """Dropout whose mask is fixed by ``seed``: the same seed drops the same elements
    (``tf.nn.experimental.stateless_dropout``).

    Args:
        x: a floating tensor.
        rate: the probability of dropping each element, in ``[0, 1)``.
        seed: a shape ``[2]`` int seed, as for ``tf.random.stateless_uniform``.
        rng_alg: the RNG algorithm (None: "auto_select").
        noise_shape: the mask's shape, broadcast against ``x``.

    Returns:
        ``x`` with dropped elements 0 and the rest scaled by ``1 / (1 - rate)``.

    Raises:
        ValueError: a rate outside ``[0, 1)`` or a non-floating ``x``.

    >>> import tensorflux as tf
    >>> y = tf.nn.experimental.stateless_dropout(tf.ones([2, 4]), 0.5, seed=[1, 2])
    >>> sorted(set(y.numpy().ravel().tolist())) in ([0.0, 2.0], [2.0], [0.0])
    True
    """
    from tensorflux.ops.stateless_random_ops import stateless_uniform

    alg = "auto_select" if rng_alg is None else rng_alg

    def sampler(shape, dtype):
        return stateless_uniform(shape, seed=seed, dtype=dtype, alg=alg)

    return _dropout(x, rate, noise_shape, sampler)


def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None) -> Tensor:
    """Dropout drawing its mask from ``uniform_sampler(shape=..., dtype=...)``, a function
    returning uniform ``[0, 1)`` numbers (``tf.nn.experimental.general_dropout``).

    Args:
        x: a floating tensor.
        rate: the probability of dropping each element, in ``[0, 1)``.
        uniform_sampler: called with ``shape`` and ``dtype`` keywords.
        noise_shape: the mask's shape, broadcast against ``x``.

    Returns:
        ``x`` with dropped elements 0 and the rest scaled by ``1 / (1 - rate)``.

    Raises:
        ValueError: a rate outside ``[0, 1)`` or a non-floating ``x``.

    >>> import tensorflux as tf
    >>> half = lambda shape, dtype: tf.fill(shape, tf.constant(0.5, dtype))
    >>> tf.nn.experimental.general_dropout(tf.ones([3]), 0.25, half).numpy().tolist()
    [1.3333333730697632, 1.3333333730697632, 1.3333333730697632]
    """
    return _dropout(x, rate, noise_shape, uniform_sampler)
