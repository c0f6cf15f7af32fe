"""oneDNN kernels for TF's convolution ops: Conv2D and its two gradients, Conv3D and its
two gradients, on NHWC / NDHWC activations and Keras-layout HWIO / DHWIO filters.

Each kernel has exactly the reference kernel's signature; ``support`` decides which calls
reach it (float32, channels-last, no groups, a geometry TF accepts).
oneDNN's logical order is always N, C, spatial... (O, I, spatial... for weights); the
format tags say how the NumPy buffer is laid out, so nothing is transposed here.
"""

from __future__ import annotations

import numpy as np

from tensorflux.kernels import threads
from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import cached_plan, dims
from tensorflux.kernels.onednn.support import conv_geometry

__all__ = [
    "conv",
    "conv_backprop_input",
    "conv_backprop_filter",
    "fused_conv2d",
    "run_forward",
    "run_backward_data",
    "run_backward_weights",
    "logical_activation",
]

_TAGS = {4: (L.TAG_NHWC, L.TAG_HWIO), 5: (L.TAG_NDHWC, L.TAG_DHWIO)}


def logical_activation(shape):
    """NHWC -> (N, C, H, W) (and the 3-D version): oneDNN's logical order."""
    return (shape[0], shape[-1], *shape[1:-1])


def _logical_w(shape):
    """HWIO -> (O, I, H, W) (and the 3-D version)."""
    return (shape[-1], shape[-2], *shape[:-2])


def _descs(b, x_shape, w_shape, y_shape):
    """User memory descriptors of x, w (Keras layout), y, and w as ``any`` for the
    primitive to choose its blocked layout."""
    act, wtag = _TAGS[len(x_shape)]
    x_md = b.md(logical_activation(x_shape), act)
    w_md = b.md(_logical_w(w_shape), wtag)
    w_any = b.md(_logical_w(w_shape), L.TAG_ANY)
    y_md = b.md(logical_activation(y_shape), act)
    return x_md, w_md, w_any, y_md


def _forward_pd(b, x_md, w_any, y_md, geo, bias_md=None, relu=False):
    _, s, d, pl, pr = geo
    attr = b.attr()
    if relu:
        b.relu_post_op(attr)
    return b.pd(
        b.lib.dnnl_convolution_forward_primitive_desc_create,
        L.engine(),
        L.FORWARD_TRAINING,
        L.CONVOLUTION_DIRECT,
        x_md,
        w_any,
        bias_md,
        y_md,
        dims(s),
        dims(d),
        dims(pl),
        dims(pr),
        attr,
        what="convolution forward",
    )


def _finish(b, pd, user, weights_arg, w_md):
    """The plan for ``pd`` with the caller's arrays ``user`` and its HWIO weights: bound
    as they are when the primitive takes that layout, else reordered to the primitive's
    own (before it runs for weights it reads, after for the weight gradient it writes)."""
    gradient = weights_arg == L.ARG_DIFF_WEIGHTS
    prim_w = b.query(pd, L.QUERY_DIFF_WEIGHTS_MD if gradient else L.QUERY_WEIGHTS_MD)
    if b.lib.dnnl_memory_desc_equal(prim_w, w_md):
        return b.finish(pd, {**user, weights_arg: w_md})
    if gradient:
        return b.finish(pd, user, reorders_out=[(weights_arg, prim_w, w_md)])
    return b.finish(pd, user, reorders_in=[(weights_arg, w_md, prim_w)])


def run_forward(key, descs, geo, x, w, y_shape, taps, bias=None, relu=False):
    """Runs (building on first use) the forward convolution plan ``key``; ``descs(b)``
    gives the x, w, w-any and y memory descriptors; ``taps``: the multiply-adds per
    output element. ``bias`` (one value per filter) is added inside the convolution and
    ``relu`` applies a ReLU post-op."""

    def build(b):
        x_md, w_md, w_any, y_md = descs(b)
        user = {L.ARG_SRC: x_md, L.ARG_DST: y_md}
        bias_md = None
        if bias is not None:
            bias_md = user[L.ARG_BIAS] = b.md((w.shape[-1],), L.TAG_A)
        pd = _forward_pd(b, x_md, w_any, y_md, geo, bias_md, relu)
        return _finish(b, pd, user, L.ARG_WEIGHTS, w_md)

    y = np.empty(y_shape, np.float32)
    plan = cached_plan(key, build, _kernel_size(taps, y, x, w))
    arrays = {L.ARG_SRC: np.ascontiguousarray(x), L.ARG_WEIGHTS: np.ascontiguousarray(w)}
    if bias is not None:
        arrays[L.ARG_BIAS] = np.ascontiguousarray(bias)
    plan.run({**arrays, L.ARG_DST: y})
    return y


def fused_conv2d(
    input,
    filter,
    *args,
    fused_ops,
    num_args=1,
    epsilon=0.0001,  # noqa: A002
    leakyrelu_alpha=0.2,
    **conv_attrs,
):
    """_FusedConv2D through oneDNN: the convolution with its bias, and the ReLU as a
    post-op when ``fused_ops`` is ("BiasAdd", "Relu") (see ``support.fused_conv2d_supports``)."""
    x, w = input, filter
    geo = conv_geometry(
        x.shape,
        w.shape,
        conv_attrs["strides"],
        conv_attrs["padding"],
        conv_attrs.get("explicit_paddings", ()),
        conv_attrs.get("dilations"),
    )
    y_shape = (x.shape[0], *geo[0], w.shape[-1])
    relu = len(fused_ops) == 2
    key = ("fused_conv", relu, x.shape, w.shape, geo)
    descs = lambda b: _descs(b, x.shape, w.shape, y_shape)
    return run_forward(key, descs, geo, x, w, y_shape, _taps(w.shape), args[0], relu)


def run_backward_data(key, descs, geo, x_shape, w, dy, taps):
    """Runs the backward-data plan ``key``: dx of shape ``x_shape`` from w and dy
    (``taps`` multiply-adds per element of dy)."""

    def build(b):
        x_md, w_md, w_any, y_md = descs(b)
        hint = _forward_pd(b, x_md, w_any, y_md, geo)
        _, s, d, pl, pr = geo
        pd = b.pd(
            b.lib.dnnl_convolution_backward_data_primitive_desc_create,
            L.engine(),
            L.CONVOLUTION_DIRECT,
            x_md,
            w_any,
            y_md,
            dims(s),
            dims(d),
            dims(pl),
            dims(pr),
            hint,
            b.attr(),
            what="convolution backward data",
        )
        return _finish(b, pd, {L.ARG_DIFF_SRC: x_md, L.ARG_DIFF_DST: y_md}, L.ARG_WEIGHTS, w_md)

    dx = np.empty(x_shape, np.float32)
    plan = cached_plan(key, build, _kernel_size(taps, dy, dx, w))
    plan.run(
        {
            L.ARG_DIFF_SRC: dx,
            L.ARG_WEIGHTS: np.ascontiguousarray(w),
            L.ARG_DIFF_DST: np.ascontiguousarray(dy),
        }
    )
    return dx


def run_backward_weights(key, descs, geo, x, w_shape, dy, taps):
    """Runs the backward-weights plan ``key``: dw of shape ``w_shape`` from x and dy
    (``taps`` multiply-adds per element of dy)."""

    def build(b):
        x_md, w_md, w_any, y_md = descs(b)
        hint = _forward_pd(b, x_md, w_any, y_md, geo)
        _, s, d, pl, pr = geo
        pd = b.pd(
            b.lib.dnnl_convolution_backward_weights_primitive_desc_create,
            L.engine(),
            L.CONVOLUTION_DIRECT,
            x_md,
            w_any,
            None,
            y_md,
            dims(s),
            dims(d),
            dims(pl),
            dims(pr),
            hint,
            b.attr(),
            what="convolution backward weights",
        )
        return _finish(b, pd, {L.ARG_SRC: x_md, L.ARG_DIFF_DST: y_md}, L.ARG_DIFF_WEIGHTS, w_md)

    dw = np.empty(w_shape, np.float32)
    plan = cached_plan(key, build, _kernel_size(taps, dy, x, dw))
    plan.run(
        {
            L.ARG_SRC: np.ascontiguousarray(x),
            L.ARG_DIFF_DST: np.ascontiguousarray(dy),
            L.ARG_DIFF_WEIGHTS: dw,
        }
    )
    return dw


def _kernel_size(taps: int, out, *others) -> int:
    """The size a convolution's thread count is chosen by: ``taps`` multiply-adds per
    element of ``out`` (the convolution's output, or dy) and the largest array."""
    largest = max(a.size for a in (out, *others))
    return threads.kernel_size(largest, out.size * taps)


def _taps(w_shape) -> int:
    """Multiply-adds per output element: the window times the input channels."""
    return int(np.prod(w_shape[:-1]))


def conv(
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
    """Conv2D / Conv3D through oneDNN (see ``conv_supports``)."""
    geo = conv_geometry(x.shape, w.shape, strides, padding, explicit_paddings, dilations)
    y_shape = (x.shape[0], *geo[0], w.shape[-1])
    key = ("conv", x.shape, w.shape, geo)
    descs = lambda b: _descs(b, x.shape, w.shape, y_shape)
    return run_forward(key, descs, geo, x, w, y_shape, _taps(w.shape))


def conv_backprop_input(
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
    """Conv2DBackpropInput / Conv3DBackpropInputV2 through oneDNN: dx from w and dy."""
    x_shape = tuple(int(v) for v in np.asarray(input_sizes))
    geo = conv_geometry(x_shape, w.shape, strides, padding, explicit_paddings, dilations)
    key = ("conv_bwd_data", x_shape, w.shape, geo)
    descs = lambda b: _descs(b, x_shape, w.shape, dy.shape)
    return run_backward_data(key, descs, geo, x_shape, w, dy, _taps(w.shape))


def conv_backprop_filter(
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
    """Conv2DBackpropFilter / Conv3DBackpropFilterV2 through oneDNN: dw from x and dy."""
    w_shape = tuple(int(v) for v in np.asarray(filter_sizes))
    geo = conv_geometry(x.shape, w_shape, strides, padding, explicit_paddings, dilations)
    key = ("conv_bwd_weights", x.shape, w_shape, geo)
    descs = lambda b: _descs(b, x.shape, w_shape, dy.shape)
    return run_backward_weights(key, descs, geo, x, w_shape, dy, _taps(w_shape))
