"""Which calls the oneDNN kernels run: float32, channels-last, and only geometries that
TF accepts (everything else goes to the reference kernel, which raises TF's error).

Kept apart from the kernels so that registering them imports no ctypes code.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux.kernels.threads import small_blas
from tensorflux.ops.window_ops_utils import window_dim

__all__ = [
    "conv_supports",
    "conv_backprop_input_supports",
    "conv_backprop_filter_supports",
    "fused_conv2d_supports",
    "conv_geometry",
    "depthwise_supports",
    "depthwise_backprop_input_supports",
    "depthwise_backprop_filter_supports",
    "fused_batch_norm_supports",
    "fused_batch_norm_grad_supports",
    "rectifier_supports",
    "rectifier_grad_supports",
    "fused_lstm_supports",
    "fused_lstm_grad_supports",
    "fused_gru_supports",
    "fused_gru_grad_supports",
    "fused_simple_rnn_supports",
    "fused_simple_rnn_grad_supports",
    "resize_bilinear_supports",
]

_RANKS = (4, 5)
_FORMATS = {4: "NHWC", 5: "NDHWC"}
_F32 = np.dtype(np.float32)


def _geometry(in_spatial, k_spatial, strides, padding, explicit_paddings, dilations):
    """``(out_spatial, strides, dilations, pad_l, pad_r)`` per spatial dim, or None when
    the case is not one to run here (TF would reject it, or it is empty)."""
    rank = len(in_spatial) + 2
    strides, dilations = list(strides), list(dilations)
    if (
        len(strides) != rank
        or len(dilations) != rank
        or padding not in ("SAME", "VALID", "EXPLICIT")
    ):
        return None
    if strides[0] != 1 or strides[-1] != 1 or dilations[0] != 1 or dilations[-1] != 1:
        return None
    s, d = strides[1:-1], dilations[1:-1]
    if min(s) < 1 or min(d) < 1 or (max(s) > 1 and max(d) > 1):
        return None
    if padding == "EXPLICIT":
        flat = [int(p) for p in explicit_paddings]
        if len(flat) != 2 * rank or min(flat) < 0 or any(flat[:2]) or any(flat[-2:]):
            return None
        pairs = [(flat[2 * i], flat[2 * i + 1]) for i in range(1, rank - 1)]
    elif len(explicit_paddings):
        return None  # TF refuses explicit paddings unless the padding is EXPLICIT
    else:
        pairs = [(0, 0)] * (rank - 2)
    out, pad_l, pad_r = [], [], []
    for n, k, st, di, pair in zip(in_spatial, k_spatial, s, d, pairs):
        eff = (k - 1) * di + 1
        if n < 1 or k < 1 or (padding != "SAME" and n + pair[0] + pair[1] < eff):
            return None
        dim = window_dim(n, k, st, di, padding, pair)
        out.append(dim.out)
        pad_l.append(dim.pad_before)
        pad_r.append(dim.pad_after)
    return tuple(out), tuple(s), tuple(x - 1 for x in d), tuple(pad_l), tuple(pad_r)


def _attrs_ok(data_format, rank, dilations) -> bool:
    """Channels-last layout; no dilation in 3-D (TF's CPU Conv3D refuses it)."""
    if data_format not in (None, _FORMATS.get(rank)):
        return False
    return rank == 4 or dilations is None or all(d == 1 for d in dilations)


def conv_supports(
    x,
    w,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format=None,
    dilations=None,
    use_cudnn_on_gpu=True,
):
    """Whether oneDNN runs this Conv2D / Conv3D (float32, channels-last, no groups)."""
    rank = x.ndim
    if rank not in _RANKS or w.ndim != rank or x.dtype != _F32 or w.dtype != _F32:
        return False
    if not _attrs_ok(data_format, rank, dilations) or x.shape[0] < 1 or x.shape[-1] != w.shape[-2]:
        return False
    if w.shape[-1] < 1 or x.shape[-1] < 1:
        return False
    dilations = dilations if dilations is not None else [1] * rank
    return (
        _geometry(x.shape[1:-1], w.shape[:-2], strides, padding, explicit_paddings, dilations)
        is not None
    )


_FUSED_OPS = (("BiasAdd",), ("BiasAdd", "Relu"))


def fused_conv2d_supports(
    x, w, *args, fused_ops, num_args=1, epsilon=0.0001, leakyrelu_alpha=0.2, **conv_attrs
):
    """Whether oneDNN runs this _FusedConv2D: a Conv2D it runs, plus a float32 bias of one
    value per filter, then nothing or a ReLU."""
    if x.ndim != 4 or tuple(fused_ops) not in _FUSED_OPS or len(args) != 1:
        return False
    bias = args[0]
    if bias.dtype != _F32 or bias.shape != (w.shape[-1],):
        return False
    if len(fused_ops) == 2 and not _sums_stay_finite(x, w, bias):
        return False
    return conv_supports(x, w, **conv_attrs)


_F32_MAX = float(np.finfo(np.float32).max)


def _sums_stay_finite(x, w, bias) -> bool:
    """Whether no sum in the convolution (plus bias) can be NaN or infinite: oneDNN's ReLU
    post-op turns a NaN into 0 where TF's Relu keeps it. By Cauchy-Schwarz every output
    is at most sqrt(|x|^2 |w|^2) + max|bias| in size; two BLAS dot products bound it."""
    xf, wf = x.reshape(-1), w.reshape(-1)
    # One BLAS thread: waking OpenBLAS's workers leaves them spinning for many
    # milliseconds after the dot products, on the cores the convolutions need.
    with np.errstate(over="ignore", invalid="ignore"), small_blas(0):
        bound = np.sqrt(float(np.dot(xf, xf)) * float(np.dot(wf, wf)))
    return bool(bound + float(np.max(np.abs(bias), initial=0.0)) < _F32_MAX)


def _sizes(sizes, rank):
    """A shape given as an int32/int64 tensor value, or None if it is not one."""
    sizes = np.asarray(sizes)
    if sizes.shape != (rank,) or sizes.dtype.kind not in "iu":
        return None
    return tuple(int(v) for v in sizes)


def conv_backprop_input_supports(
    input_sizes,
    w,
    dy,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format=None,
    dilations=None,
    use_cudnn_on_gpu=True,
):
    """Whether oneDNN runs this Conv2DBackpropInput / Conv3DBackpropInputV2."""
    rank = w.ndim
    shape = _sizes(input_sizes, rank) if rank in _RANKS else None
    if shape is None or dy.ndim != rank or w.dtype != _F32 or dy.dtype != _F32:
        return False
    return _backprop_ok(
        shape, w.shape, dy.shape, strides, padding, explicit_paddings, data_format, dilations
    )


def conv_backprop_filter_supports(
    x,
    filter_sizes,
    dy,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format=None,
    dilations=None,
    use_cudnn_on_gpu=True,
):
    """Whether oneDNN runs this Conv2DBackpropFilter / Conv3DBackpropFilterV2."""
    rank = x.ndim
    shape = _sizes(filter_sizes, rank) if rank in _RANKS else None
    if shape is None or dy.ndim != rank or x.dtype != _F32 or dy.dtype != _F32:
        return False
    return _backprop_ok(
        x.shape, shape, dy.shape, strides, padding, explicit_paddings, data_format, dilations
    )


def _backprop_ok(
    x_shape, w_shape, dy_shape, strides, padding, explicit_paddings, data_format, dilations
) -> bool:
    """The gradient shapes agree with a forward convolution oneDNN would run."""
    rank = len(x_shape)
    if not _attrs_ok(data_format, rank, dilations) or min(x_shape) < 1 or min(w_shape) < 1:
        return False
    if x_shape[-1] != w_shape[-2] or dy_shape[0] != x_shape[0] or dy_shape[-1] != w_shape[-1]:
        return False
    if dilations is not None and any(d != 1 for d in dilations):
        return False  # TF's CPU kernels refuse dilated gradients; the reference decides
    geo = _geometry(x_shape[1:-1], w_shape[:-2], strides, padding, explicit_paddings, [1] * rank)
    return geo is not None and geo[0] == tuple(dy_shape[1:-1])


def conv_geometry(x_shape, w_shape, strides, padding, explicit_paddings, dilations):
    """``(out_spatial, strides, dilations, pad_l, pad_r)`` of a supported convolution, in
    oneDNN's terms (dilations counted from 0)."""
    rank = len(x_shape)
    dilations = dilations if dilations is not None else [1] * rank
    return _geometry(x_shape[1:-1], w_shape[:-2], strides, padding, explicit_paddings, dilations)


def _depthwise_ok(
    x_shape, w_shape, dy_shape, strides, padding, explicit_paddings, data_format, dilations
) -> bool:
    """A depthwise convolution TF's CPU kernel accepts (NHWC, equal row and column
    strides, no dilation) with non-empty operands; ``dy_shape`` (None for the forward op)
    must be its output's shape."""
    strides = list(strides)
    if data_format not in (None, "NHWC") or len(strides) != 4 or strides[1] != strides[2]:
        return False
    if dilations is not None and any(d != 1 for d in dilations):
        return False
    if len(x_shape) != 4 or len(w_shape) != 4 or min(x_shape) < 1 or min(w_shape) < 1:
        return False
    if x_shape[-1] != w_shape[2]:
        return False
    geo = _geometry(x_shape[1:3], w_shape[:2], strides, padding, explicit_paddings, [1] * 4)
    if geo is None:
        return False
    return dy_shape is None or tuple(dy_shape) == (x_shape[0], *geo[0], w_shape[2] * w_shape[3])


def depthwise_supports(
    input,
    filter,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """Whether oneDNN runs this DepthwiseConv2dNative (float32, NHWC)."""
    if input.dtype != _F32 or filter.dtype != _F32:
        return False
    return _depthwise_ok(
        input.shape,
        filter.shape,
        None,
        strides,
        padding,
        explicit_paddings,
        data_format,
        dilations,
    )


def depthwise_backprop_input_supports(
    input_sizes,
    filter,
    out_backprop,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """Whether oneDNN runs this DepthwiseConv2dNativeBackpropInput."""
    shape = _sizes(input_sizes, 4)
    if shape is None or filter.dtype != _F32 or out_backprop.dtype != _F32:
        return False
    return _depthwise_ok(
        shape,
        filter.shape,
        out_backprop.shape,
        strides,
        padding,
        explicit_paddings,
        data_format,
        dilations,
    )


def depthwise_backprop_filter_supports(
    input,
    filter_sizes,
    out_backprop,
    *,
    strides,
    padding,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=None,
):
    """Whether oneDNN runs this DepthwiseConv2dNativeBackpropFilter."""
    shape = _sizes(filter_sizes, 4)
    if shape is None or input.dtype != _F32 or out_backprop.dtype != _F32:
        return False
    return _depthwise_ok(
        input.shape,
        shape,
        out_backprop.shape,
        strides,
        padding,
        explicit_paddings,
        data_format,
        dilations,
    )


def pool_geometry(x_shape, ksize, strides, padding, explicit_paddings=()):
    """``(out_spatial, kernel, strides, pad_l, pad_r)`` of a supported pooling, or None.
    Windows must be 2-D or 3-D over the spatial dims only, and every pad smaller than its
    window (so no window lies wholly in the padding)."""
    rank = len(x_shape)
    ksize, strides = list(ksize), list(strides)
    if rank not in _RANKS or len(ksize) != rank or len(strides) != rank:
        return None
    if ksize[0] != 1 or ksize[-1] != 1 or strides[0] != 1 or strides[-1] != 1:
        return None
    k, s = ksize[1:-1], strides[1:-1]
    if min(k) < 1 or min(s) < 1 or min(x_shape) < 1:
        return None
    geo = _geometry(x_shape[1:-1], k, strides, padding, explicit_paddings, [1] * rank)
    if geo is None:
        return None
    out, _, _, pad_l, pad_r = geo
    if any(p >= kk for p, kk in zip(pad_l + pad_r, k + k)):
        return None
    return out, tuple(k), tuple(s), pad_l, pad_r


def _pool_ok(x_shape, ksize, strides, padding, explicit_paddings, data_format):
    if data_format not in (None, _FORMATS.get(len(x_shape))):
        return None
    return pool_geometry(x_shape, ksize, strides, padding, explicit_paddings)


def _finite(x) -> bool:
    """No NaN or infinity in ``x`` (one summing pass). TF's max pooling has its own rules
    for them (NaN skipped, a NaN first cell keeping the gradient, ``-inf`` windows giving
    ``-FLT_MAX``), so such inputs go to the reference kernel."""
    return bool(np.isfinite(np.add.reduce(x, axis=None)))


def max_pool_supports(x, *, ksize, strides, padding, explicit_paddings=(), data_format=None):
    """Whether oneDNN runs this MaxPool / MaxPool3D."""
    return (
        x.dtype == _F32
        and _pool_ok(x.shape, ksize, strides, padding, explicit_paddings, data_format) is not None
        and _finite(x)
    )


def max_pool_grad_supports(
    orig_input,
    orig_output,
    grad,
    *,
    ksize,
    strides,
    padding,
    explicit_paddings=(),
    data_format=None,
):
    """Whether oneDNN runs this MaxPoolGrad: float32, finite input. (Not MaxPool3DGrad:
    TF's 3-D gradient goes to every tied maximum, oneDNN's to the first.)"""
    if orig_input.dtype != _F32 or grad.dtype != _F32 or orig_input.ndim != 4:
        return False
    geo = _pool_ok(orig_input.shape, ksize, strides, padding, explicit_paddings, data_format)
    return (
        geo is not None
        and grad.shape == (orig_input.shape[0], *geo[0], orig_input.shape[-1])
        and _finite(orig_input)
    )


def avg_pool_supports(value, *, ksize, strides, padding, data_format=None):
    """Whether oneDNN runs this AvgPool / AvgPool3D."""
    return (
        value.dtype == _F32
        and padding != "EXPLICIT"
        and _pool_ok(value.shape, ksize, strides, padding, (), data_format) is not None
    )


def avg_pool_grad_supports(orig_input_shape, grad, *, ksize, strides, padding, data_format=None):
    """Whether oneDNN runs this AvgPoolGrad / AvgPool3DGrad."""
    shape = _sizes(orig_input_shape, grad.ndim) if grad.ndim in _RANKS else None
    if shape is None or grad.dtype != _F32 or padding == "EXPLICIT":
        return False
    geo = _pool_ok(shape, ksize, strides, padding, (), data_format)
    return geo is not None and grad.shape == (shape[0], *geo[0], shape[-1])


def _channel_vectors_ok(channels, *vectors) -> bool:
    return all(v.dtype == _F32 and v.ndim == 1 and v.size == channels for v in vectors)


def fused_batch_norm_supports(
    x,
    scale,
    offset,
    mean,
    variance,
    *,
    epsilon=1e-4,
    exponential_avg_factor=1.0,
    data_format="NHWC",
    is_training=True,
):
    """Whether oneDNN runs this FusedBatchNorm(V2/V3): float32, channels last, a
    non-empty batch, vectors TF accepts (training with factor 1 ignores mean/variance)."""
    if x.dtype != _F32 or x.ndim not in _RANKS or x.size == 0:
        return False
    if data_format not in ("NHWC", "NDHWC"):
        return False
    channels = x.shape[-1]
    if not _channel_vectors_ok(channels, scale, offset):
        return False
    if is_training and exponential_avg_factor == 1:
        return mean.ndim == 1 and variance.ndim == 1 and mean.dtype == variance.dtype == _F32
    return _channel_vectors_ok(channels, mean, variance)


def fused_batch_norm_grad_supports(
    y_backprop,
    x,
    scale,
    reserve_space_1,
    reserve_space_2,
    *reserve,
    epsilon=1e-4,
    data_format="NHWC",
    is_training=True,
):
    """Whether oneDNN runs this FusedBatchNormGrad(V2/V3): float32, channels last, equal
    shapes, a non-empty batch and per-channel scale and statistics."""
    if x.dtype != _F32 or y_backprop.dtype != _F32 or x.ndim not in _RANKS or x.size == 0:
        return False
    if data_format not in ("NHWC", "NDHWC") or x.shape != y_backprop.shape:
        return False
    if any(r.dtype != _F32 for r in reserve):
        return False
    return _channel_vectors_ok(x.shape[-1], scale, reserve_space_1, reserve_space_2)


# Elements below which an elementwise op stays on NumPy: a oneDNN call costs 10-20 us
# of ctypes dispatch, what NumPy takes for ~32K elements.
_ELTWISE_MIN = 1 << 15


def _eltwise_ok(first, *others) -> bool:
    """Large, C-contiguous float32 arrays of one shape."""
    return (
        first.size >= _ELTWISE_MIN
        and first.dtype == _F32
        and first.flags.c_contiguous
        and all(a.dtype == _F32 and a.flags.c_contiguous and a.shape == first.shape for a in others)
    )


def _no_nan(x) -> bool:
    """No NaN in ``x``: NumPy's maximum propagates NaN, so its reduction is NaN exactly
    when ``x`` holds one (one vectorized pass, about a tenth of the rectifier's cost)."""
    return not np.isnan(np.maximum.reduce(x, axis=None))


def rectifier_supports(features) -> bool:
    """Whether oneDNN runs this Relu / Relu6: large float32 without NaN (oneDNN's
    rectifiers return 0 for NaN, TF's NaN)."""
    return _eltwise_ok(features) and _no_nan(features)


def rectifier_grad_supports(gradients, features) -> bool:
    """Whether oneDNN runs this ReluGrad / Relu6Grad: large float32 of one shape."""
    return _eltwise_ok(gradients, features)


def _sequence_ok(x, states, kernel, recurrent_kernel, bias, bias_shape, mask, gates) -> bool:
    """float32 arrays of one recurrent call with consistent, non-empty shapes."""
    arrays = (x, *states, kernel, recurrent_kernel, bias)
    if any(a.dtype != _F32 for a in arrays) or x.ndim != 3 or recurrent_kernel.ndim != 2:
        return False
    batch, steps, features = x.shape
    units = recurrent_kernel.shape[0]
    return (
        min(batch, steps, features, units) >= 1
        and kernel.shape == (features, gates * units)
        and recurrent_kernel.shape == (units, gates * units)
        and bias.shape == bias_shape(units)
        and all(h.shape == (batch, units) for h in states)
        and np.shape(mask) == (batch, steps)
    )


def _gradients_ok(x, units, d_outputs, *d_states) -> bool:
    batch, steps = x.shape[:2]
    return all(g.dtype == _F32 for g in (d_outputs, *d_states)) and (
        d_outputs.shape == (batch, steps, units)
        and all(g.shape == (batch, units) for g in d_states)
    )


def _activations(attrs, activation="tanh", recurrent_activation="sigmoid") -> bool:
    """Whether the call's activations (Keras' defaults when not given) are these."""
    return (
        attrs.get("activation", "tanh") == activation
        and attrs.get("recurrent_activation", "sigmoid") == recurrent_activation
    )


def fused_lstm_supports(x, h0, c0, mask, kernel, recurrent_kernel, bias, **attrs) -> bool:
    """Whether oneDNN runs this FusedLSTM: float32, Keras' default activations (oneDNN's
    LSTM cell has no others) and consistent non-empty shapes."""
    return _activations(attrs) and _sequence_ok(
        x, (h0, c0), kernel, recurrent_kernel, bias, lambda u: (4 * u,), mask, 4
    )


def fused_lstm_grad_supports(*arrays, **attrs) -> bool:
    """Whether oneDNN runs this FusedLSTMGrad (as ``fused_lstm_supports``, with float32
    gradients of the outputs' shapes)."""
    return fused_lstm_supports(*arrays[:7], **attrs) and _gradients_ok(
        arrays[0], arrays[5].shape[0], *arrays[11:]
    )


def fused_gru_supports(x, h0, mask, kernel, recurrent_kernel, bias, **attrs) -> bool:
    """Whether oneDNN runs this FusedGRU: float32, ``reset_after`` (oneDNN's
    linear-before-reset GRU; the other variant is not Keras' GRU there), Keras' default
    activations and consistent non-empty shapes."""
    return (
        attrs.get("reset_after", True)
        and _activations(attrs)
        and _sequence_ok(x, (h0,), kernel, recurrent_kernel, bias, lambda u: (2, 3 * u), mask, 3)
    )


def fused_gru_grad_supports(*arrays, **attrs) -> bool:
    """Whether oneDNN runs this FusedGRUGrad (as ``fused_gru_supports``, with float32
    gradients of the outputs' shapes)."""
    return fused_gru_supports(*arrays[:6], **attrs) and _gradients_ok(
        arrays[0], arrays[4].shape[0], *arrays[8:]
    )


# The Keras activations oneDNN's vanilla RNN cell has.
_SIMPLE_RNN_ACTIVATIONS = ("tanh", "relu", "sigmoid")
# Steps * batch * units below which a SimpleRNN stays on the reference kernel: its cell
# is one small product and a tanh, cheaper in NumPy than a oneDNN call's fixed costs.
# Forward + backward, ms, oneDNN / NumPy: 28 steps x 100 x 50 units 6.6 / 4.9; 20 x 32 x
# 16 1.9 / 0.7; 100 x 64 x 64 10.5 / 15.7. (LSTM and GRU cells gain at every size.)
_SMALL_SIMPLE_RNN = 1 << 18


def fused_simple_rnn_supports(x, h0, mask, kernel, recurrent_kernel, bias, **attrs) -> bool:
    """Whether oneDNN runs this FusedSimpleRNN: float32, an activation oneDNN's vanilla
    cell has, consistent non-empty shapes, and enough work (``_SMALL_SIMPLE_RNN``)."""
    return (
        attrs.get("activation", "tanh") in _SIMPLE_RNN_ACTIVATIONS
        and _sequence_ok(x, (h0,), kernel, recurrent_kernel, bias, lambda u: (u,), mask, 1)
        and x.shape[0] * x.shape[1] * recurrent_kernel.shape[0] >= _SMALL_SIMPLE_RNN
    )


def fused_simple_rnn_grad_supports(*arrays, **attrs) -> bool:
    """Whether oneDNN runs this FusedSimpleRNNGrad (as ``fused_simple_rnn_supports``,
    with float32 gradients of the outputs' shapes)."""
    return fused_simple_rnn_supports(*arrays[:6], **attrs) and _gradients_ok(
        arrays[0], arrays[4].shape[0], *arrays[8:]
    )


# The 8-bit image types oneDNN's resampling reads: the difference of two of their values
# needs at most 8 bits.
_EXACT_RESIZE_TYPES = (np.dtype(np.uint8), np.dtype(np.int8))
_FLOAT32_SIGNIFICAND_BITS = 24


def _coordinate_fraction_bits(in_size: int, out_size: int) -> int | None:
    """The fraction bits of an axis' half-pixel source coordinates ``(o + 0.5) * in / out
    - 0.5`` when every one is a binary fraction that float32 holds exactly, however it
    is computed (TF and oneDNN group the products differently); None otherwise."""
    reduced = out_size // math.gcd(in_size, out_size)
    if reduced & (reduced - 1) or 2 * in_size * out_size > 1 << _FLOAT32_SIGNIFICAND_BITS:
        return None
    return reduced.bit_length()


def resize_bilinear_supports(images, size, align_corners, half_pixel_centers) -> bool:
    """Whether oneDNN runs this ResizeBilinear: half-pixel centres, non-empty 8-bit
    images, and scales whose coordinates, weights and lerps are all exact in float32.

    oneDNN sums the four weighted corners where TF lerps along x, then along y; both
    are sequences of exact operations on these inputs, so both give the exact value,
    bit for bit. Other cases (float images, sizes such as 180 from 250) differ from TF in
    the last bits and stay on the reference kernel."""
    if align_corners or not half_pixel_centers or images.dtype not in _EXACT_RESIZE_TYPES:
        return False
    out = np.asarray(size).reshape(-1)
    if images.ndim != 4 or out.shape != (2,) or min(images.shape) < 1 or min(out) < 1:
        return False
    bits = [_coordinate_fraction_bits(int(i), int(o)) for i, o in zip(images.shape[1:3], out)]
    return None not in bits and 8 + sum(bits) <= _FLOAT32_SIGNIFICAND_BITS
