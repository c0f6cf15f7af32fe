"""oneDNN's linear resampling for TF's ResizeBilinear (half-pixel centres) on NHWC
8-bit images, in the cases where its values equal TF's bit for bit (see
``support.resize_bilinear_supports``). It reads the 8-bit pixels and writes float32
in one pass, where the reference kernel gathers, converts and lerps in a dozen."""

from __future__ import annotations

import numpy as np

from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import cached_plan

__all__ = ["resize_bilinear"]

_DATA_TYPES = {np.dtype(np.uint8): L.U8, np.dtype(np.int8): L.S8}


def resize_bilinear(images, size, align_corners, half_pixel_centers):
    """ResizeBilinear of ``[n, h, w, c]`` 8-bit images to ``size``: float32."""
    height, width = (int(s) for s in np.asarray(size).reshape(-1))
    x = np.ascontiguousarray(images)
    n, in_height, in_width, channels = x.shape
    data_type = _DATA_TYPES[x.dtype]

    def build(b):
        src = b.md((n, channels, in_height, in_width), L.TAG_NHWC, data_type)
        dst = b.md((n, channels, height, width), L.TAG_NHWC)
        pd = b.pd(
            b.lib.dnnl_resampling_forward_primitive_desc_create,
            L.engine(),
            L.FORWARD_INFERENCE,
            L.RESAMPLING_LINEAR,
            None,
            src,
            dst,
            b.attr(),
            what="resampling forward",
        )
        return b.finish(pd, {L.ARG_SRC: src, L.ARG_DST: dst})

    plan = cached_plan(("resize_bilinear", x.shape, data_type, height, width), build, x.size)
    y = np.empty((n, height, width, channels), np.float32)
    plan.run({L.ARG_SRC: x, L.ARG_DST: y})
    return y
