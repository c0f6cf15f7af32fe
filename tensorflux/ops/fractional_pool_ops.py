"""``tf.nn.fractional_max_pool`` / ``tf.nn.fractional_avg_pool``: pooling over regions
of random sizes ``k`` or ``k + 1`` that shrink rows and columns by a fractional ratio.

TF's ``FractionalMaxPool`` / ``FractionalAvgPool`` ops, with their region sequences drawn
as TF draws them from the op's Philox generator (seeded like TF's ``GuardedPhiloxRandom``):

* random: ``input % output`` regions of size ``k + 1`` then the rest of size ``k``,
  shuffled by TF's Fisher-Yates (one 32-bit word ``w`` per position ``i``, swapping with
  ``i + w % (n - i)``), from a reservation of ``n`` words;
* pseudo-random: ``a_i = ceil(alpha * (i + u))`` with ``alpha = input / output`` and
  ``u`` a double from two words times TF's bound ``min((k + 2) / alpha - 1,
  (input + 1 - k) / alpha - (output - 1))``.

Rows are drawn, then columns. With a nonzero seed TF's kernel draws once and keeps the
sequences, so every call with that seed pools the same regions; with seed 0 each call
draws anew from an unpredictable seed. A region spans ``[a_i, a_{i+1})``, one more row or
column with ``overlapping``. The max gradient goes to the first largest element of each
region (row-major); the average gradient is spread evenly over the region.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops import philox
from tensorflux.ops.common import to_tensor, value_dims
from tensorflux.ops.random_seed import Stream, get_seed

__all__ = ["fractional_avg_pool", "fractional_max_pool"]

_TYPES = frozenset({dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64})


def _words(stream: Stream, count: int) -> list:
    """The ``count`` words TF's ``ReserveSamples32(count)`` hands out, in order."""
    calls = -(-count // 4)
    return philox.words(stream.key, stream.reserve(calls), 4 * calls).tolist()[:count]


def _sequence(n_in: int, n_out: int, stream: Stream, pseudo_random: bool) -> list:
    """TF's ``GeneratePoolingSequence``: the cumulative region starts, ``n_out + 1`` ints."""
    k = n_in // n_out
    if pseudo_random:
        alpha = n_in / n_out
        max_u = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        w0, w1 = _words(stream, 2)
        u = float(philox.uint64_to_double(np.uint32(w0), np.uint32(w1))) * max_u
        starts = [1] + [int(math.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
        diff = [b - a for a, b in zip(starts, starts[1:])]
    else:
        diff = [k + 1 if i < n_in % n_out else k for i in range(n_out)]
        words = _words(stream, n_out)
        for i in range(n_out - 1):
            j = i + words[i] % (n_out - i)
            diff[i], diff[j] = diff[j], diff[i]
    return [0, *np.cumsum(diff).tolist()]


def _output_size(shape, ratio) -> list:
    return [int(math.floor(np.float32(s) / np.float32(r))) for s, r in zip(shape, ratio)]


def _regions(seq, size: int, overlapping: bool):
    """``(start, stop)`` of each region (stop exclusive), clipped to the input."""
    return [(a, min(b + 1 if overlapping else b, size)) for a, b in zip(seq, seq[1:])]


def _check_attrs(name, value, pooling_ratio):
    if value.ndim != 4:
        raise InvalidArgumentError(None, name, f"tensor_in must be 4-dimensional [Op:{name}]")
    if len(pooling_ratio) != 4:
        raise InvalidArgumentError(
            None, name, f"pooling_ratio field must specify 4 dimensions [Op:{name}]"
        )
    if pooling_ratio[0] != 1 or pooling_ratio[3] != 1:
        raise UnimplementedError(
            None,
            name,
            f"Fractional {'max' if 'Max' in name else 'average'} pooling is not yet supported on "
            f"the batch nor channel dimension. [Op:{name}]",
        )
    out = _output_size(value.shape, pooling_ratio)
    if any(o <= 0 for o in out):
        raise InvalidArgumentError(
            None,
            name,
            f"Computed output size {out} has a non-positive dimension: the pooling_ratio "
            f"{list(pooling_ratio)} is larger than the input shape {list(value.shape)} "
            f"[Op:{name}]",
        )
    return out


def _pool_kernel(kind):
    name = f"Fractional{kind}Pool"

    def kernel(value, pooling_ratio, pseudo_random, overlapping, deterministic, seed, seed2):
        out_size = _check_attrs(name, value, pooling_ratio)
        stream = Stream(seed, seed2)
        rows = _sequence(value.shape[1], out_size[1], stream, pseudo_random)
        cols = _sequence(value.shape[2], out_size[2], stream, pseudo_random)
        out = np.empty(out_size, value.dtype)
        for i, (r0, r1) in enumerate(_regions(rows, value.shape[1], overlapping)):
            for j, (c0, c1) in enumerate(_regions(cols, value.shape[2], overlapping)):
                region = value[:, r0:r1, c0:c1, :]
                if kind == "Max":
                    out[:, i, j, :] = region.max(axis=(1, 2))
                else:  # summed in row-major order, as TF's loop adds them
                    total = np.zeros((value.shape[0], value.shape[3]), value.dtype)
                    for h in range(r1 - r0):
                        for w in range(c1 - c0):
                            total += region[:, h, w, :]
                    out[:, i, j, :] = total / value.dtype.type((r1 - r0) * (c1 - c0))
        return out, np.asarray(rows, np.int64), np.asarray(cols, np.int64)

    return kernel


def _pool_infer(value: Spec, pooling_ratio, pseudo_random, overlapping, deterministic, seed,
                seed2):  # fmt: skip
    dims = value.shape.as_list() if value.shape.rank is not None else [None] * 4
    out = [None if d is None else int(math.floor(np.float32(d) / np.float32(r)))
           for d, r in zip(dims, pooling_ratio)]  # fmt: skip
    seq = [None if d is None else d + 1 for d in out[1:3]]
    return (
        Spec(value.dtype, TensorShape(out)),
        Spec(dtypes.int64, TensorShape([seq[0]])),
        Spec(dtypes.int64, TensorShape([seq[1]])),
    )


# -- gradients -----------------------------------------------------------------------


def _max_grad_kernel(orig_input, orig_output, out_backprop, row_pooling_sequence,
                     col_pooling_sequence, overlapping):  # fmt: skip
    x = orig_input
    grad = np.zeros(x.shape, out_backprop.dtype)
    rows = _regions(row_pooling_sequence.tolist(), x.shape[1], overlapping)
    cols = _regions(col_pooling_sequence.tolist(), x.shape[2], overlapping)
    b_idx = np.arange(x.shape[0])[:, None]
    d_idx = np.arange(x.shape[3])[None, :]
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            region = x[:, r0:r1, c0:c1, :].reshape(x.shape[0], -1, x.shape[3])
            first = np.argmax(region, axis=1)  # the first largest, row-major
            h, w = r0 + first // (c1 - c0), c0 + first % (c1 - c0)
            np.add.at(grad, (b_idx, h, w, d_idx), out_backprop[:, i, j, :])
    return grad


def _avg_grad_kernel(orig_input_tensor_shape, out_backprop, row_pooling_sequence,
                     col_pooling_sequence, overlapping):  # fmt: skip
    shape = [int(d) for d in orig_input_tensor_shape]
    grad = np.zeros(shape, np.float64)
    rows = _regions(row_pooling_sequence.tolist(), shape[1], overlapping)
    cols = _regions(col_pooling_sequence.tolist(), shape[2], overlapping)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            share = out_backprop[:, i, j, :].astype(np.float64) / ((r1 - r0) * (c1 - c0))
            grad[:, r0:r1, c0:c1, :] += share[:, None, None, :]
    return grad.astype(out_backprop.dtype)


def _avg_grad_infer(shape: Spec, out_backprop: Spec, rows: Spec, cols: Spec, overlapping):
    return Spec(out_backprop.dtype, TensorShape(value_dims(shape, 4)))


_MAX_GRAD = register(
    "FractionalMaxPoolGrad",
    kernel=_max_grad_kernel,
    grad=None,
    infer=lambda x, y, dy, rows, cols, overlapping: Spec(x.dtype, x.shape),
    allowed=_TYPES,
)
_AVG_GRAD = register(
    "FractionalAvgPoolGrad",
    kernel=_avg_grad_kernel,
    grad=None,
    infer=_avg_grad_infer,
    shape_inputs=(0,),
)


def _max_pool_grad(call, dy, d_rows=None, d_cols=None):
    """d/d value: each output's gradient to its region's first largest element."""
    out, rows, cols = call.outputs
    attrs = {"overlapping": call.attrs["overlapping"]}
    return (execute(_MAX_GRAD, (call.inputs[0], out, dy, rows, cols), attrs),)


def _avg_pool_grad(call, dy, d_rows=None, d_cols=None):
    """d/d value: each output's gradient spread evenly over its region."""
    from tensorflux.ops.shape_ops import shape

    _, rows, cols = call.outputs
    attrs = {"overlapping": call.attrs["overlapping"]}
    dims = shape(call.inputs[0], out_type=dtypes.int64)
    return (execute(_AVG_GRAD, (dims, dy, rows, cols), attrs),)


_MAX_POOL = register(
    "FractionalMaxPool",
    kernel=_pool_kernel("Max"),
    grad=_max_pool_grad,
    infer=_pool_infer,
    num_outputs=3,
    allowed=_TYPES,
    stateful=True,
)
_AVG_POOL = register(
    "FractionalAvgPool",
    kernel=_pool_kernel("Avg"),
    grad=_avg_pool_grad,
    infer=_pool_infer,
    num_outputs=3,
    allowed=_TYPES,
    stateful=True,
)


def _ratio(pooling_ratio) -> list:
    if isinstance(pooling_ratio, (list, tuple)):
        if pooling_ratio[0] != 1.0 or pooling_ratio[-1] != 1.0:
            raise ValueError(
                "`pooling_ratio` should have first and last elements with value 1.0. "
                f"Received: pooling_ratio={pooling_ratio}"
            )
        if any(r < 1.0 for r in pooling_ratio):
            raise ValueError(
                f"`pooling_ratio` elements should be >= 1.0. Received: "
                f"pooling_ratio={pooling_ratio}"
            )
        ratio = list(pooling_ratio)
    elif isinstance(pooling_ratio, (int, float)):
        if pooling_ratio < 1.0:
            raise ValueError(
                f"`pooling_ratio` should be >= 1.0. Received: pooling_ratio={pooling_ratio}"
            )
        ratio = [pooling_ratio] * 2
    else:
        raise ValueError(
            f"`pooling_ratio` should be an int or a list of ints. Received: "
            f"pooling_ratio={pooling_ratio}"
        )
    if len(ratio) == 2:
        ratio = [1.0, *ratio, 1.0]
    if len(ratio) != 4:
        raise ValueError(f"pooling_ratio should be of length 1, 2, or 4 but was {len(ratio)}")
    return [float(np.float32(r)) for r in ratio]


def _fractional_pool(op, value, pooling_ratio, pseudo_random, overlapping, seed):
    if op is _MAX_POOL:
        ratio = _ratio(pooling_ratio)
    elif isinstance(pooling_ratio, (list, tuple)):  # TF passes the avg ratio on unchecked
        ratio = [float(np.float32(r)) for r in pooling_ratio]
    else:
        raise TypeError(
            "Expected list for 'pooling_ratio' argument to 'fractional_avg_pool' Op, not "
            f"{pooling_ratio}."
        )
    if seed == 0:
        s1 = s2 = 0
    else:
        s1, s2 = get_seed(seed)
    attrs = {"pooling_ratio": ratio, "pseudo_random": bool(pseudo_random),
             "overlapping": bool(overlapping), "deterministic": seed != 0,
             "seed": s1, "seed2": s2}  # fmt: skip
    return tuple(execute(op, (to_tensor(value),), attrs))


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0,
                        name=None):  # fmt: skip
    """Max pooling over regions of random sizes that shrink the rows and columns by
    ``pooling_ratio`` (``tf.nn.fractional_max_pool``): TF's regions for a given seed.

    Args:
        value: ``[batch, height, width, channels]`` (int32, int64, float32, float64).
        pooling_ratio: a float >= 1 for both spatial dimensions, or a list
            ``[1.0, rows, cols, 1.0]``; the output is ``floor(size / ratio)``.
        pseudo_random: TF's pseudo-random regions (else a random shuffle of sizes).
        overlapping: regions share their boundary row and column.
        seed: nonzero: the same regions on every call; 0: new regions each call.

    Returns:
        ``(output, row_pooling_sequence, col_pooling_sequence)``: the pooled tensor and
        the int64 region starts (``out + 1`` each, from 0 to the input size).

    Raises:
        ValueError: a pooling ratio below 1 or not 1 on batch and channels.

    >>> import tensorflux as tf
    >>> out, rows, cols = tf.nn.fractional_max_pool(tf.ones([1, 5, 5, 1]), 1.5, seed=1)
    >>> out.shape, rows.dtype
    (TensorShape([1, 3, 3, 1]), tf.int64)
    """
    return _fractional_pool(_MAX_POOL, value, pooling_ratio, pseudo_random, overlapping, seed)


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0,
                        name=None):  # fmt: skip
    """Average pooling over TF's fractional regions (``tf.nn.fractional_avg_pool``);
    arguments and results as ``fractional_max_pool``, but ``pooling_ratio`` must be the
    full list ``[1.0, rows, cols, 1.0]`` (TF's avg pool takes no single number).

    Raises:
        TypeError: a ``pooling_ratio`` that is not a list.
        InvalidArgumentError: a list not of 4 ratios.

    >>> import tensorflux as tf
    >>> out, _, _ = tf.nn.fractional_avg_pool(tf.ones([1, 4, 4, 1]), [1, 2, 2, 1], seed=3)
    >>> out.numpy().ravel().tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    return _fractional_pool(_AVG_POOL, value, pooling_ratio, pseudo_random, overlapping, seed)
