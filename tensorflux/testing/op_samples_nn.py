"""Inference-table rows for the windowed ops: convolutions, pooling and image resizing.

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import (  # noqa: F401  (registers the ops)
    conv_ops,
    depthwise_conv_ops,
    image_ops,
    image_resample_ops,
    pooling_ops,
)
from tensorflux.testing.op_samples import add_sample, f32, f64, i32

_CONV = {
    "strides": [1, 2, 1, 1],
    "padding": "SAME",
    "explicit_paddings": [],
    "data_format": "NHWC",
    "dilations": [1, 1, 1, 1],
}
_CONV_EXPLICIT = {
    "strides": [1, 1, 1, 1],
    "padding": "EXPLICIT",
    "explicit_paddings": [0, 0, 1, 0, 2, 1, 0, 0],
    "data_format": "NHWC",
    "dilations": [1, 1, 2, 1],
}
_CONV3D = {
    "strides": [1, 1, 2, 1, 1],
    "padding": "VALID",
    "data_format": "NDHWC",
    "dilations": [1, 1, 1, 1, 1],
}


def _sizes(*dims):
    return np.asarray(dims, np.int32)


# Conv2D: x (2, 5, 6, 3) * w (3, 2, 3, 4) -> (2, 3, 6, 4) with strides (2, 1), SAME;
# the explicit-padding row dilates the columns.
add_sample("Conv2D", f32(2, 5, 6, 3), f32(3, 2, 3, 4), **_CONV)
add_sample("Conv2D", f64(1, 5, 6, 2), f64(2, 2, 2, 3), **_CONV_EXPLICIT)


def _ramp(*shape):
    """Values -1.5..1.5 without drawing from the shared generator (rows added later must
    not change the draws of the rows after them, which fixtures recorded)."""
    return ((np.arange(int(np.prod(shape))) % 7 - 3) * 0.5).astype(np.float32).reshape(shape)


add_sample("BiasAddGrad", _ramp(2, 3, 4), data_format="NHWC")
add_sample("BiasAddGrad", _ramp(2, 3, 4), data_format="NCHW")
add_sample(
    "_FusedConv2D",
    _ramp(2, 5, 6, 3),
    _ramp(3, 2, 3, 4),
    _ramp(4),
    fused_ops=("BiasAdd", "Relu"),
    num_args=1,
    **_CONV,
)
add_sample("Conv2DBackpropInput", _sizes(2, 5, 6, 3), f32(3, 2, 3, 4), f32(2, 3, 6, 4), **_CONV)
add_sample("Conv2DBackpropFilter", f32(2, 5, 6, 3), _sizes(3, 2, 3, 4), f32(2, 3, 6, 4), **_CONV)
add_sample("Conv3D", f32(1, 4, 5, 3, 2), f32(2, 2, 2, 2, 3), **_CONV3D)
add_sample(
    "Conv3DBackpropInputV2",
    _sizes(1, 4, 5, 3, 2),
    f32(2, 2, 2, 2, 3),
    f32(1, 3, 2, 2, 3),
    **_CONV3D,
)
add_sample(
    "Conv3DBackpropFilterV2",
    f32(1, 4, 5, 3, 2),
    _sizes(2, 2, 2, 2, 3),
    f32(1, 3, 2, 2, 3),
    **_CONV3D,
)

# Depthwise: 3 channels, multiplier 2 -> 6 output channels (TF wants equal strides).
_DEPTHWISE = dict(_CONV, strides=[1, 2, 2, 1])
add_sample("DepthwiseConv2dNative", f32(2, 5, 6, 3), f32(3, 2, 3, 2), **_DEPTHWISE)
add_sample(
    "DepthwiseConv2dNativeBackpropInput",
    _sizes(2, 5, 6, 3),
    f32(3, 2, 3, 2),
    f32(2, 3, 3, 6),
    **_DEPTHWISE,
)
add_sample(
    "DepthwiseConv2dNativeBackpropFilter",
    f32(2, 5, 6, 3),
    _sizes(3, 2, 3, 2),
    f32(2, 3, 3, 6),
    **_DEPTHWISE,
)

# Pooling: 2x2 windows with stride 2 on (2, 5, 6, 3) -> (2, 3, 3, 3) with SAME padding.
_POOL = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "SAME"}
_POOL3D = {"ksize": [1, 2, 2, 2, 1], "strides": [1, 1, 2, 2, 1], "padding": "VALID"}
_x = f32(2, 5, 6, 3)
add_sample("MaxPool", _x, **_POOL, data_format="NHWC")
add_sample("AvgPool", _x, **_POOL, data_format="NHWC")
add_sample("AvgPoolGrad", _sizes(2, 5, 6, 3), f32(2, 3, 3, 3), **_POOL, data_format="NHWC")
add_sample("MaxPool3D", f32(1, 4, 5, 4, 2), **_POOL3D, data_format="NDHWC")
add_sample("AvgPool3D", f32(1, 4, 5, 4, 2), **_POOL3D, data_format="NDHWC")
add_sample(
    "AvgPool3DGrad", _sizes(1, 4, 5, 4, 2), f32(1, 3, 2, 2, 2), **_POOL3D, data_format="NDHWC"
)


def _max_pool_rows():
    """MaxPool gradients take the forward's input and output, which must agree."""
    from tensorflux.engine import registry

    x = np.random.default_rng(1).permutation(60).reshape(1, 5, 4, 3).astype(np.float32)
    y = registry.get("MaxPool").kernel(x, **_POOL, data_format="NHWC")
    add_sample("MaxPoolGrad", x, y, f32(*y.shape), **_POOL, data_format="NHWC")
    add_sample("MaxPoolGradGrad", x, y, f32(*x.shape), **_POOL, data_format="NHWC")
    y, argmax = registry.get("MaxPoolWithArgmax").kernel(x, **_POOL, Targmax=dtypes.int64)
    add_sample("MaxPoolWithArgmax", x, **_POOL, Targmax=dtypes.int64)
    add_sample("MaxPoolGradWithArgmax", x, f32(*y.shape), argmax, **_POOL)
    add_sample("MaxPoolGradGradWithArgmax", x, f32(*x.shape), argmax, **_POOL)
    x3 = np.random.default_rng(2).permutation(160).reshape(1, 4, 5, 4, 2).astype(np.float32)
    y3 = registry.get("MaxPool3D").kernel(x3, **_POOL3D, data_format="NDHWC")
    add_sample("MaxPool3DGrad", x3, y3, f32(*y3.shape), **_POOL3D, data_format="NDHWC")
    add_sample("MaxPool3DGradGrad", x3, y3, f32(*x3.shape), **_POOL3D, data_format="NDHWC")


_max_pool_rows()

# Resizing (2, 4, 5, 3) images to 6x3; the size is an input.
_images = f32(2, 4, 5, 3)
_resize = {"align_corners": False, "half_pixel_centers": True}
add_sample("ResizeBilinear", _images, _sizes(6, 3), **_resize)
add_sample("ResizeBilinearGrad", f32(2, 6, 3, 3), _images, **_resize)
add_sample("ResizeNearestNeighbor", _images, _sizes(6, 3), **_resize)
add_sample("ResizeNearestNeighborGrad", f32(2, 6, 3, 3), _sizes(4, 5), **_resize)
add_sample("ResizeBicubic", _images, _sizes(6, 3), **_resize)
add_sample("ResizeBicubicGrad", f32(2, 6, 3, 3), _images, **_resize)
add_sample("ResizeArea", i32(2, 4, 5, 3), _sizes(6, 3), align_corners=False)
_scale = np.asarray([1.5, 0.6], np.float32)
_shift = np.asarray([0.0, 0.5], np.float32)
add_sample(
    "ScaleAndTranslate",
    _images,
    _sizes(6, 3),
    _scale,
    _shift,
    kernel_type="lanczos3",
    antialias=True,
)
add_sample(
    "ScaleAndTranslateGrad",
    f32(2, 6, 3, 3),
    _images,
    _scale,
    _shift,
    kernel_type="lanczos3",
    antialias=True,
)
