"""oneDNN kernels for TF's fused batch norm: FusedBatchNormV3 (and V1/V2) and
FusedBatchNormGradV3 (and V1/V2) on channels-last float32 inputs (NHWC, NDHWC).

oneDNN's batch normalization primitive takes per-channel scale and shift vectors and,
training, returns the batch mean and the biased variance: exactly TF's reserve spaces.
TF's ``batch_variance`` output (unbiased, or the running average with
``exponential_avg_factor``) is made from them here, on vectors of one value per channel.
The gradient primitive with ``use_global_stats`` is TF's inference-mode gradient
(statistics held constant).
"""

from __future__ import annotations

import numpy as np

from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.conv import logical_activation
from tensorflux.kernels.onednn.plans import cached_plan

__all__ = [
    "fused_batch_norm_v3",
    "fused_batch_norm_v2",
    "fused_batch_norm_grad_v3",
    "fused_batch_norm_grad_v2",
]

_TAGS = {4: L.TAG_NHWC, 5: L.TAG_NDHWC}
_FLAGS = L.USE_SCALE | L.USE_SHIFT


def _forward_pd(b, src, prop, eps, flags):
    lib = b.lib
    return b.pd(
        lib.dnnl_batch_normalization_forward_primitive_desc_create,
        L.engine(),
        prop,
        src,
        src,
        eps,
        flags,
        b.attr(),
        what="dnnl_batch_normalization_forward_primitive_desc_create",
    )


def _forward_plan(shape, eps: float, training: bool):
    def build(b):
        src = b.md(logical_activation(shape), _TAGS[len(shape)])
        vec = b.md((shape[-1],), L.TAG_A)
        prop = L.FORWARD_TRAINING if training else L.FORWARD_INFERENCE
        flags = _FLAGS if training else _FLAGS | L.USE_GLOBAL_STATS
        pd = _forward_pd(b, src, prop, eps, flags)
        args = {L.ARG_SRC: src, L.ARG_DST: src, L.ARG_SCALE: vec, L.ARG_SHIFT: vec}
        args.update({L.ARG_MEAN: vec, L.ARG_VARIANCE: vec})
        return b.finish(pd, args)

    return cached_plan(("batch_norm_fwd", shape, eps, training), build, int(np.prod(shape)))


def _backward_plan(shape, eps: float, training: bool):
    def build(b):
        lib = b.lib
        src = b.md(logical_activation(shape), _TAGS[len(shape)])
        vec = b.md((shape[-1],), L.TAG_A)
        flags = _FLAGS if training else _FLAGS | L.USE_GLOBAL_STATS
        hint = _forward_pd(b, src, L.FORWARD_TRAINING, eps, flags)
        pd = b.pd(
            lib.dnnl_batch_normalization_backward_primitive_desc_create,
            L.engine(),
            L.BACKWARD,
            src,
            src,
            src,
            eps,
            flags,
            hint,
            b.attr(),
            what="dnnl_batch_normalization_backward_primitive_desc_create",
        )
        args = {L.ARG_SRC: src, L.ARG_DIFF_DST: src, L.ARG_DIFF_SRC: src}
        args.update({L.ARG_MEAN: vec, L.ARG_VARIANCE: vec, L.ARG_SCALE: vec})
        args.update({L.ARG_DIFF_SCALE: vec, L.ARG_DIFF_SHIFT: vec})
        return b.finish(pd, args)

    return cached_plan(("batch_norm_bwd", shape, eps, training), build, int(np.prod(shape)))


def _c(a):
    return np.ascontiguousarray(a, np.float32)


def fused_batch_norm_v3(
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
    """FusedBatchNormV3 through oneDNN (see ``support.fused_batch_norm_supports``)."""
    x = _c(x)
    eps = float(np.float32(epsilon))
    y = np.empty_like(x)
    channels = x.shape[-1]
    arrays = {L.ARG_SRC: x, L.ARG_DST: y, L.ARG_SCALE: _c(scale), L.ARG_SHIFT: _c(offset)}
    if not is_training:
        arrays.update({L.ARG_MEAN: _c(mean), L.ARG_VARIANCE: _c(variance)})
        _forward_plan(x.shape, eps, False).run(arrays)
        return y, mean.copy(), variance.copy(), mean.copy(), variance.copy(), np.zeros((), "f")
    batch_mean, batch_var = np.empty(channels, np.float32), np.empty(channels, np.float32)
    arrays.update({L.ARG_MEAN: batch_mean, L.ARG_VARIANCE: batch_var})
    _forward_plan(x.shape, eps, True).run(arrays)
    n = x.size // channels
    unbiased = batch_var * np.float32(n / max(n - 1, 1))
    out_mean, out_var = batch_mean.copy(), unbiased
    if exponential_avg_factor != 1:
        f = np.float32(exponential_avg_factor)
        out_mean = (np.float32(1) - f) * mean + f * batch_mean
        out_var = (np.float32(1) - f) * variance + f * unbiased
    return y, out_mean, out_var, batch_mean, batch_var, np.zeros((), np.float32)


def fused_batch_norm_v2(*arrays, **attrs):
    """FusedBatchNorm / FusedBatchNormV2 through oneDNN: V3 without reserve_space_3."""
    return fused_batch_norm_v3(*arrays, **attrs)[:5]


def fused_batch_norm_grad_v3(
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
    """FusedBatchNormGradV3 (and V1/V2) through oneDNN: dx, dscale, doffset from the
    saved batch mean and biased variance (training) or the given statistics."""
    x, dy = _c(x), _c(y_backprop)
    eps = float(np.float32(epsilon))
    channels = x.shape[-1]
    dx = np.empty_like(x)
    dscale, doffset = np.empty(channels, np.float32), np.empty(channels, np.float32)
    arrays = {
        L.ARG_SRC: x,
        L.ARG_DIFF_DST: dy,
        L.ARG_DIFF_SRC: dx,
        L.ARG_MEAN: _c(reserve_space_1),
        L.ARG_VARIANCE: _c(reserve_space_2),
        L.ARG_SCALE: _c(scale),
        L.ARG_DIFF_SCALE: dscale,
        L.ARG_DIFF_SHIFT: doffset,
    }
    _backward_plan(x.shape, eps, bool(is_training)).run(arrays)
    empty = np.zeros(0, np.float32)
    return dx, dscale, doffset, empty, empty


fused_batch_norm_grad_v2 = fused_batch_norm_grad_v3
