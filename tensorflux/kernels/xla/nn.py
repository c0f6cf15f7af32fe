"""XLA kernels of the neural-network ops: products, softmax and cross-entropies,
convolutions and pooling, and their gradient ops.

A gradient op (``Conv2DBackpropFilter``, ``MaxPoolGrad``) is the transpose of its
forward op, which XLA computes from the forward op with ``jax.vjp``: that is one TF op
lowered to one XLA construct, not a gradient of the user's program (our own gradient
graph supplies those).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.kernels.xla import xla_kernel
from tensorflux.ops import conv_generic_ops, conv_ops, pooling_ops

_HALF = ("float16", "bfloat16")


@xla_kernel("MatMul")
def _matmul(a, b, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = jnp.swapaxes(a, -1, -2)
    if transpose_b:
        b = jnp.swapaxes(b, -1, -2)
    # Half precision accumulates in float32 and rounds once, as TF's CPU kernels do.
    wide = jnp.float32 if a.dtype.name in _HALF else None
    return jnp.matmul(a, b, preferred_element_type=wide).astype(a.dtype)


@xla_kernel("Einsum")
def _einsum(*xs, equation):
    wide = jnp.float32 if xs[0].dtype.name in _HALF else None
    return jnp.einsum(equation, *xs, preferred_element_type=wide).astype(xs[0].dtype)


@xla_kernel("BiasAdd")
def _bias_add(value, bias, data_format):
    if data_format == "NCHW":
        bias = bias.reshape(bias.shape + (1,) * (value.ndim - 2))
    return value + bias


@xla_kernel("BiasAddGrad")
def _bias_add_grad(out_backprop, data_format="NHWC"):
    dy = out_backprop
    channel = 1 if data_format == "NCHW" else dy.ndim - 1
    axes = tuple(i for i in range(dy.ndim) if i != channel)
    if dy.dtype.itemsize == 2 and jnp.issubdtype(dy.dtype, jnp.floating):
        return jnp.sum(dy.astype(jnp.float32), axis=axes).astype(dy.dtype)
    return jnp.sum(dy, axis=axes)


def _in_float32(fn, x, *args):
    """``fn`` computed in float32 for 16-bit floats and rounded once, as TF's kernels."""
    if x.dtype.itemsize == 2:
        return fn(x.astype(jnp.float32), *args).astype(x.dtype)
    return fn(x, *args)


@xla_kernel("Softmax")
def _softmax(x, axis):
    return _in_float32(jax.nn.softmax, x, axis)


@xla_kernel("LogSoftmax")
def _log_softmax(x, axis):
    return _in_float32(jax.nn.log_softmax, x, axis)


@xla_kernel("SoftmaxCrossEntropyWithLogits")
def _xent(labels, logits, axis):
    return -jnp.sum(labels * jax.nn.log_softmax(logits, axis=axis), axis=axis)


@xla_kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(logits, labels, check_shapes=False):
    # Out-of-range labels are not checked: XLA cannot raise, and TF's compiled kernel
    # gives NaN there too.
    n = logits.shape[-1]
    valid = (labels >= 0) & (labels < n)
    log_p = jax.nn.log_softmax(logits, axis=-1)
    picked = jnp.take_along_axis(log_p, jnp.clip(labels, 0, n - 1)[..., None], axis=-1)[..., 0]
    loss = jnp.where(valid, -picked, jnp.nan).astype(logits.dtype)
    backprop = jnp.exp(log_p) - jax.nn.one_hot(labels, n, dtype=logits.dtype)
    return loss, backprop


@xla_kernel("TopKV2")
def _top_k(x, k):
    values, indices = lax.top_k(x, k)
    return values, indices.astype(jnp.int32)


@xla_kernel("InTopKV2")
def _in_top_k(predictions, targets, k):
    # As the NumPy kernel: ties at the boundary count as inside; a target outside the
    # classes, or a non-finite score in its row, gives False.
    valid = (targets >= 0) & (targets < predictions.shape[-1])
    picked = jnp.where(valid, targets, 0).astype(jnp.int64)[:, None]
    target = jnp.take_along_axis(predictions, picked, axis=1)
    above = jnp.sum(predictions > target, axis=-1)
    finite = jnp.all(jnp.isfinite(predictions), axis=-1)
    return valid & finite & (above < k)


# -- convolutions -------------------------------------------------------------


def _spatial(values, data_format: str) -> tuple:
    """The spatial entries of a per-dimension attr (strides, dilations)."""
    values = list(values)
    return tuple(values[2:] if data_format.startswith("NC") else values[1:-1])


def _padding(padding: str, explicit_paddings, data_format: str):
    if padding != "EXPLICIT":
        return padding
    pairs = [tuple(explicit_paddings[i : i + 2]) for i in range(0, len(explicit_paddings), 2)]
    return pairs[2:] if data_format.startswith("NC") else pairs[1:-1]


def _dimension_numbers(data_format: str, rank: int):
    spatial = "DHW"[3 - (rank - 2) :]
    lhs = f"NC{spatial}" if data_format.startswith("NC") else f"N{spatial}C"
    return (lhs, f"{spatial}IO", lhs)


def _conv(x, w, strides, padding, explicit_paddings, data_format, dilations, groups=1):
    return lax.conv_general_dilated(
        x,
        w,
        window_strides=_spatial(strides, data_format),
        padding=_padding(padding, explicit_paddings, data_format),
        rhs_dilation=_spatial(dilations, data_format),
        dimension_numbers=_dimension_numbers(data_format, x.ndim),
        feature_group_count=groups,
    )


@xla_kernel("Conv2D", "Conv3D")
def _conv_nd(x, w, strides, padding, data_format, dilations, explicit_paddings=()):
    return _conv(x, w, strides, padding, explicit_paddings, data_format, dilations)


@xla_kernel("Conv2DBackpropInput", "Conv3DBackpropInputV2", static=(0,))
def _conv_backprop_input(
    input_sizes, w, dy, strides, padding, data_format, dilations, explicit_paddings=()
):
    x = jnp.zeros(tuple(input_sizes.tolist()), dy.dtype)
    _, transpose = jax.vjp(
        lambda x: _conv(x, w, strides, padding, explicit_paddings, data_format, dilations), x
    )
    return transpose(dy)[0]


@xla_kernel("Conv2DBackpropFilter", "Conv3DBackpropFilterV2", static=(1,))
def _conv_backprop_filter(
    x, filter_sizes, dy, strides, padding, data_format, dilations, explicit_paddings=()
):
    w = jnp.zeros(tuple(filter_sizes.tolist()), dy.dtype)
    _, transpose = jax.vjp(
        lambda w: _conv(x, w, strides, padding, explicit_paddings, data_format, dilations), w
    )
    return transpose(dy)[0]


def _depthwise(x, w, strides, padding, explicit_paddings, data_format, dilations):
    # TF's (H, W, C, M) depthwise filter is a grouped convolution's (H, W, 1, C * M).
    h, wd, c, m = w.shape
    return _conv(
        x, w.reshape(h, wd, 1, c * m), strides, padding, explicit_paddings, data_format,
        dilations, groups=c,
    )  # fmt: skip


@xla_kernel("DepthwiseConv2dNative")
def _depthwise_conv(x, w, strides, padding, explicit_paddings, data_format, dilations):
    return _depthwise(x, w, strides, padding, explicit_paddings, data_format, dilations)


@xla_kernel("DepthwiseConv2dNativeBackpropInput", static=(0,))
def _depthwise_backprop_input(
    input_sizes, w, dy, strides, padding, explicit_paddings, data_format, dilations
):
    x = jnp.zeros(tuple(input_sizes.tolist()), dy.dtype)
    _, transpose = jax.vjp(
        lambda x: _depthwise(x, w, strides, padding, explicit_paddings, data_format, dilations),
        x,
    )
    return transpose(dy)[0]


@xla_kernel("DepthwiseConv2dNativeBackpropFilter", static=(1,))
def _depthwise_backprop_filter(
    x, filter_sizes, dy, strides, padding, explicit_paddings, data_format, dilations
):
    w = jnp.zeros(tuple(filter_sizes.tolist()), dy.dtype)
    _, transpose = jax.vjp(
        lambda w: _depthwise(x, w, strides, padding, explicit_paddings, data_format, dilations),
        w,
    )
    return transpose(dy)[0]


# -- pooling ------------------------------------------------------------------


def _window(values, data_format: str, rank: int) -> tuple:
    """A per-dimension attr for reduce_window: 1 on the batch and channel axes."""
    spatial = _spatial(values, data_format)
    if len(spatial) != rank - 2:
        raise NotImplementedError(f"pooling over {len(values)} window dims of a rank-{rank} input")
    return (1, 1, *spatial) if data_format.startswith("NC") else (1, *spatial, 1)


def _pool_padding(padding: str, explicit_paddings):
    """reduce_window's padding: TF's name, or its explicit pairs for every dimension."""
    if padding != "EXPLICIT":
        return padding
    return [tuple(explicit_paddings[i : i + 2]) for i in range(0, len(explicit_paddings), 2)]


def _max_pool(x, ksize, strides, padding, data_format, explicit_paddings=()):
    lowest = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    return lax.reduce_window(
        x,
        # A NumPy init value: JAX recognises the max monoid only from a concrete one.
        np.asarray(lowest, x.dtype),
        lax.max,
        _window(ksize, data_format, x.ndim),
        _window(strides, data_format, x.ndim),
        _pool_padding(padding, explicit_paddings),
    )


def _avg_pool(x, ksize, strides, padding, data_format):
    if padding == "EXPLICIT":
        raise NotImplementedError("AvgPool takes no explicit paddings")
    window = _window(ksize, data_format, x.ndim)
    step = _window(strides, data_format, x.ndim)
    zero = np.zeros((), x.dtype)
    total = lax.reduce_window(x, zero, lax.add, window, step, padding)
    # SAME padding averages over the window's entries inside the input, as TF.
    ones = jnp.ones(x.shape, x.dtype)
    count = lax.reduce_window(ones, zero, lax.add, window, step, padding)
    return total / count


@xla_kernel("MaxPool", "MaxPool3D")
def _max_pool_kernel(x, ksize, strides, padding, data_format, explicit_paddings=()):
    return _max_pool(x, ksize, strides, padding, data_format, explicit_paddings)


@xla_kernel("AvgPool", "AvgPool3D")
def _avg_pool_kernel(x, ksize, strides, padding, data_format):
    return _avg_pool(x, ksize, strides, padding, data_format)


@xla_kernel("MaxPoolGrad", "MaxPool3DGrad")
def _max_pool_grad(x, y, dy, ksize, strides, padding, data_format, explicit_paddings=()):
    _, transpose = jax.vjp(
        lambda x: _max_pool(x, ksize, strides, padding, data_format, explicit_paddings), x
    )
    return transpose(dy.astype(x.dtype))[0]


@xla_kernel("AvgPoolGrad", "AvgPool3DGrad", static=(0,))
def _avg_pool_grad(input_shape, dy, ksize, strides, padding, data_format):
    x = jnp.zeros(tuple(np.asarray(input_shape).tolist()), dy.dtype)
    _, transpose = jax.vjp(lambda x: _avg_pool(x, ksize, strides, padding, data_format), x)
    return transpose(dy)[0]


def _pool_geometry(x, ddx, op_name: str, ksize, strides, padding, data_format):
    """The NumPy kernels' window geometry (raising for the attrs and shapes they refuse)."""
    attrs = {"ksize": ksize, "strides": strides, "padding": padding, "data_format": data_format}
    g = pooling_ops._geometry(x.shape, attrs, op_name)
    pooling_ops._check_input_shape(ddx.shape, x.shape, op_name)
    return g


def _window_cells(g, x, fill):
    """For each window offset, in row-major order: the cells of ``x`` (padded with
    ``fill``) that offset reads for every output."""
    padded = jnp.pad(x, g.widths(x.shape), constant_values=fill)
    for _, offset in g.offsets():
        yield offset, padded[g.view(padded, offset)]


def _inside(g, shape, offset):
    """Whether the cell each output reads at ``offset`` lies in the input, not the pad."""
    mask = jnp.ones((), bool)
    for axis, (d, n, s, o) in enumerate(zip(g.dims, shape, g.strides, offset)):
        position = o + np.arange(d.out) * s - d.pad_before
        along = (position >= 0) & (position < n)
        mask = mask & jnp.asarray(along).reshape(
            [-1 if i == axis else 1 for i in range(len(shape))]
        )
    return mask


@xla_kernel("MaxPoolGradGrad")
def _max_pool_grad_grad(x, y, ddx, ksize, strides, padding, data_format="NHWC"):
    g = _pool_geometry(x, ddx, "MaxPoolGradGrad", ksize, strides, padding, data_format)
    # Each output reads ddx at its window's argmax: TF's rule, the first cell inside the
    # input, replaced only by a strictly greater one (so a NaN first cell stays).
    best = picked = seen = None
    for (offset, cells), (_, grads) in zip(_window_cells(g, x, 0), _window_cells(g, ddx, 0)):
        inside = _inside(g, x.shape, offset)
        if best is None:
            best, picked, seen = cells, grads, inside
            continue
        take = inside & (~seen | (cells > best))
        best, picked = jnp.where(take, cells, best), jnp.where(take, grads, picked)
        seen = seen | inside
    return jnp.where(seen, picked, jnp.zeros((), ddx.dtype))


@xla_kernel("MaxPool3DGradGrad")
def _max_pool_3d_grad_grad(x, y, ddx, ksize, strides, padding, data_format="NDHWC"):
    g = _pool_geometry(x, ddx, "MaxPool3DGradGrad", ksize, strides, padding, data_format)
    pooling_ops._check_output_shape(y.shape, g, "MaxPool3DGradGrad")
    # As the NumPy kernel: ddx at the first cell of each window equal to y.
    picked, found = jnp.zeros(g.out_shape, ddx.dtype), jnp.zeros(g.out_shape, bool)
    for (_, cells), (_, grads) in zip(_window_cells(g, x, jnp.nan), _window_cells(g, ddx, 0)):
        hit = (cells == y) & ~found
        picked, found = jnp.where(hit, grads, picked), found | hit
    return picked


# -- TF's generic Conv and the fused convolution ------------------------------


@xla_kernel("Conv")
def _generic_conv(input, filter, strides, padding, explicit_paddings, data_format, dilations,
                  batch_dims, groups):  # noqa: A002 - TF's input names  # fmt: skip
    if groups != 1 or data_format != "CHANNELS_LAST":
        raise NotImplementedError(f"Conv with groups={groups}, data_format={data_format}")
    r, lead = conv_generic_ops._layout(input.shape, filter.shape, batch_dims)
    attrs = conv_generic_ops._attrs(r, strides, padding, explicit_paddings, dilations)
    conv_ops.conv_geometry("Conv", r, [None, *input.shape[batch_dims:]], list(filter.shape),
                           **attrs)  # fmt: skip
    x = input.reshape((int(np.prod(lead)),) + input.shape[batch_dims:])
    half = input.dtype.name in _HALF
    out = lax.conv_general_dilated(
        x,
        filter,
        window_strides=_spatial(attrs["strides"], attrs["data_format"]),
        padding=_padding(padding, attrs["explicit_paddings"], attrs["data_format"]),
        rhs_dilation=_spatial(attrs["dilations"], attrs["data_format"]),
        dimension_numbers=_dimension_numbers(attrs["data_format"], x.ndim),
        # Half precision accumulates in float32 and rounds once, as the NumPy kernel.
        preferred_element_type=jnp.float32 if half else None,
    ).astype(input.dtype)
    return out.reshape(tuple(lead) + out.shape[1:])


@xla_kernel("_FusedConv2D")
def _fused_conv2d(input, filter, *args, fused_ops=("BiasAdd",), num_args=1, epsilon=0.0001,
                  leakyrelu_alpha=0.2, **conv_attrs):  # noqa: A002 - TF's names  # fmt: skip
    fused = tuple(fused_ops)
    if fused not in (("BiasAdd",), ("BiasAdd", "Relu")) or num_args != 1:
        raise NotImplementedError(f"_FusedConv2D of {fused} with {num_args} arguments")
    y = _conv_nd(input, filter, **conv_attrs)
    y = _bias_add(y, args[0], conv_attrs.get("data_format", "NHWC"))
    return jnp.maximum(y, jnp.zeros((), y.dtype)) if len(fused) == 2 else y
