"""``tf.random.stateless_parameterized_truncated_normal``: normal samples truncated to
``[minval, maxval]``, each batch member with its own parameters, fixed by a seed.

TF's ``StatelessParameterizedTruncatedNormal`` kernel, followed draw by draw on its
Philox stream (key and counter from the seed as for the other stateless ops). Per batch
member it normalises the bounds and picks a sampler:

* normal rejection (one bound at least 1.3 standard deviations out on a side holding the
  mean): Box-Muller normals, four per Philox call (two for float64), kept when inside;
* uniform rejection (a narrow interval): ``z = normMin + u * (normMax - normMin)`` from one
  call, accepted when a second call's uniform is ``<= exp((plus - z*z) / 2)``;
* exponential rejection (a far one-sided tail): ``z = normMin - log(u1) / alpha``, kept
  when ``u2 <= exp(-(alpha - z)**2 / 2)`` and ``z < normMax``.

Arithmetic is done in the output dtype, with ``exp``/``log`` correctly rounded as the C
library's. The output is laid out ``[samples, batch]``, batch members (the trailing,
broadcast parameter shape) in order. TF splits a large output between its worker threads,
each skipping ahead on the stream, so there its values depend on its thread count; here
the stream is read as one worker reads it (all outputs a single thread would give).
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InternalError, InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import philox
from tensorflux.ops.common import shape_tensor, to_tensor, value_dims

__all__ = ["stateless_parameterized_truncated_normal"]

_OP = "StatelessParameterizedTruncatedNormal"
_MAX_ITERATIONS = 1000
_RANDN_CUTOFF = 1.3


class _Calls:
    """TF's Philox generator for one worker: four 32-bit words per call, in order."""

    def __init__(self, key: int, counter: int):
        self._key, self._counter, self._buffer = key, counter, []

    def next_words(self) -> np.ndarray:
        if not self._buffer:
            w = philox.words(self._key, self._counter, 4 * 64).reshape(64, 4)
            self._counter = philox.skip(self._counter, 64)
            self._buffer = list(w[::-1])
        return self._buffer.pop()


def _uniform(calls: _Calls, double: bool) -> list:
    w = calls.next_words()
    if double:
        return philox.uint64_to_double(w[0::2], w[1::2]).tolist()
    return philox.uint32_to_float(w).tolist()


def _normal(calls: _Calls, double: bool) -> list:
    w = calls.next_words()
    if double:
        d0, d1 = philox.box_muller_double(w[0:1], w[1:2], w[2:3], w[3:4])
        return [float(d0[0]), float(d1[0])]
    f0, f1 = philox.box_muller_float(w[0::2], w[1::2])
    return [float(f0[0]), float(f1[0]), float(f0[1]), float(f1[1])]


def _sample_member(calls, count, mean, stddev, minval, maxval, t):
    """``count`` samples of one batch member, TF's way, in ``t`` (np.float32/float64)."""
    double = t is np.float64
    if not (stddev > 0 and minval < maxval and (math.isfinite(minval) or math.isfinite(maxval))):
        raise InvalidArgumentError(None, _OP, f"Invalid parameters [Op:{_OP}]")
    if (math.isinf(minval) and minval < 0) or maxval < mean:
        minval, maxval, stddev = maxval, minval, t(-stddev)
    norm_min = t((t(minval) - t(mean)) / t(stddev))
    norm_max = t((t(maxval) - t(mean)) / t(stddev))
    root = t(np.sqrt(t(norm_min * norm_min) + t(4)))
    inner = t(t(0.5) + t(t(norm_min * t(norm_min - root)) / t(4)))
    cutoff = t(t(t(2) * t(math.exp(float(inner)))) / t(norm_min + root))
    diff = t(norm_max - norm_min)
    out, iterations = [], 0
    if (norm_min < -_RANDN_CUTOFF and norm_max >= 0) or (
        norm_max > _RANDN_CUTOFF and norm_min <= 0
    ):
        while len(out) < count:
            for v in _normal(calls, double):
                if norm_min <= v <= norm_max:
                    out.append(t(t(t(v) * t(stddev)) + t(mean)))
                    if len(out) >= count:
                        break
                    iterations = 0
                else:
                    iterations += 1
                    if iterations > _MAX_ITERATIONS:
                        raise InternalError(
                            None, _OP, "TruncatedNormal randn rejection sampler failed to "
                            f"accept a sample. [Op:{_OP}]",
                        )  # fmt: skip
        return out
    if diff < cutoff:
        plus = t(0) if norm_min < 0 else t(norm_min * norm_min)
        while len(out) < count:
            z = [t(t(t(r) * diff) + norm_min) for r in _uniform(calls, double)]
            g = [t(t(plus - t(v * v)) / t(2)) for v in z]
            for zi, gi, ui in zip(z, g, _uniform(calls, double)):
                accept = ui <= t(math.exp(float(gi)))
                if accept or iterations + 1 >= _MAX_ITERATIONS:
                    if not accept:
                        raise InternalError(
                            None, _OP, "TruncatedNormal uniform rejection sampler failed to  "
                            f"accept a sample. [Op:{_OP}]",
                        )  # fmt: skip
                    out.append(t(t(zi * t(stddev)) + t(mean)))
                    if len(out) >= count:
                        break
                    iterations = 0
                else:
                    iterations += 1
        return out
    alpha = t(t(norm_min + t(np.sqrt(t(norm_min * norm_min) + t(4)))) / t(2))
    while len(out) < count:
        rand = _uniform(calls, double)
        for i in range(0, len(rand), 2):
            z = t(t(-t(math.log(rand[i])) / alpha) + norm_min) if rand[i] > 0 else t(np.inf)
            x = t(alpha - z) if norm_min < alpha else t(norm_min - alpha)
            g = t(math.exp(float(t(t(-x * x) / t(2)))))
            accept = rand[i + 1] <= g and z < norm_max
            if accept or iterations + 1 >= _MAX_ITERATIONS:
                if not accept:
                    raise InternalError(
                        None, _OP, "TruncatedNormal exponential distribution rejection sampler "
                        f"failed to accept a sample. [Op:{_OP}]",
                    )  # fmt: skip
                out.append(t(t(z * t(stddev)) + t(mean)))
                if len(out) >= count:
                    break
                iterations = 0
            else:
                iterations += 1
    return out


def _broadcast_params(params) -> tuple:
    try:
        batch_shape = np.broadcast_shapes(*(p.shape for p in params))
    except ValueError:
        shapes = " vs. ".join(str(list(p.shape)) for p in params)
        raise InvalidArgumentError(
            None,
            _OP,
            f"means, stddevs, minvals, maxvals must have compatible batch dimensions: {shapes} "
            f"[Op:{_OP}]",
        ) from None
    return batch_shape, [np.broadcast_to(p, batch_shape).reshape(-1) for p in params]


def _kernel(shape, seed, means, stddevs, minvals, maxvals):
    from tensorflux.ops.stateless_random_ops import _get_key_counter_kernel

    if seed.shape != (2,):
        raise InvalidArgumentError(
            None, _OP, f"seed must have shape [2], not {list(seed.shape)} [Op:{_OP}]"
        )
    if shape.ndim != 1:
        raise InvalidArgumentError(
            None, _OP, f"Input shape should be a vector, got shape: {list(shape.shape)} [Op:{_OP}]"
        )
    out_shape = tuple(int(d) for d in shape)
    batch_shape, params = _broadcast_params([means, stddevs, minvals, maxvals])
    lead = len(out_shape) - len(batch_shape)
    if lead < 0 or out_shape[lead:] != tuple(batch_shape):
        raise InvalidArgumentError(
            None, _OP, f"Shape passed in must end with broadcasted shape. [Op:{_OP}]"
        )
    t = np.float64 if means.dtype == np.float64 else np.float32
    batches = int(np.prod(batch_shape, dtype=np.int64))
    samples = int(np.prod(out_shape[:lead], dtype=np.int64))
    key, counter = _get_key_counter_kernel(seed.astype(np.int64))
    calls = _Calls(int(key[0]), int(counter[0]) | int(counter[1]) << 64)
    out = np.empty((samples, batches), t)
    if samples:
        for b in range(batches):
            mean, stddev, lo, hi = (t(p[b]) for p in params)
            out[:, b] = _sample_member(calls, samples, mean, stddev, lo, hi, t)
    return out.reshape(out_shape).astype(means.dtype)


def _infer(shape: Spec, seed: Spec, means: Spec, stddevs: Spec, minvals: Spec, maxvals: Spec):
    rank = shape.shape.as_list()[0] if shape.shape.rank == 1 else None
    dims = value_dims(shape, rank) if rank is not None else None
    return Spec(means.dtype, TensorShape(dims))


_PTN = register(
    _OP,
    kernel=_kernel,
    grad=None,
    infer=_infer,
    allowed=frozenset({dtypes.int32, dtypes.int64}),
    shape_inputs=(0,),
)


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):  # fmt: skip
    """Normal samples with means ``means`` and standard deviations ``stddevs``, truncated to
    ``[minvals, maxvals]``, fixed by ``seed``: the same seed gives the same numbers
    (``tf.random.stateless_parameterized_truncated_normal``).

    The parameters broadcast together to a batch shape that ``shape`` must end with; the
    leading dimensions of ``shape`` count samples per batch member.

    Args:
        shape: the output shape (a list or int 1-D tensor).
        seed: a shape ``[2]`` int32/int64 seed.
        means, stddevs, minvals, maxvals: float parameters (the dtype of ``means`` is the
            output's; the others must share it).

    Returns:
        A ``shape`` tensor of the parameters' dtype.

    Raises:
        InvalidArgumentError: a non-positive stddev, ``minval >= maxval``, both bounds
            infinite, or a ``shape`` not ending with the parameters' batch shape.

    >>> import tensorflux as tf
    >>> x = tf.random.stateless_parameterized_truncated_normal(
    ...     [3, 2], seed=[1, 2], means=[0.0, 5.0], minvals=[-1.0, 4.0], maxvals=[1.0, 9.0])
    >>> bool(tf.reduce_all((x[:, 1] >= 4.0) & (x[:, 1] <= 9.0)))
    True
    """
    from tensorflux.ops.creation_ops import is_traced_shape, shape_arg, traced_shape_arg

    means = to_tensor(means)
    params = [means] + [to_tensor(p, means.dtype) for p in (stddevs, minvals, maxvals)]
    if means.dtype not in (dtypes.float32, dtypes.float64):
        raise InvalidArgumentError(
            None,
            _OP,
            f"Value for attr 'dtype' of {means.dtype.name} is not in the list of allowed "
            "values: float32, float64 (TF's half kernel is not reproduced here)",
        )
    seed = to_tensor(seed)
    if seed.dtype not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError(
            None, _OP, f"Value for attr 'Tseed' of {seed.dtype.name} is not in the list of "
            "allowed values: int32, int64",
        )  # fmt: skip
    dims = (
        traced_shape_arg(shape)[0]
        if is_traced_shape(shape)
        else shape_tensor(shape_arg(shape, _OP, "shape", floats=InvalidArgumentError,
                                    strings=InvalidArgumentError))
    )  # fmt: skip
    return execute(_PTN, (dims, seed, *params))
