"""oneDNN kernels for TF's rectifiers and their gradients: Relu, ReluGrad, Relu6 and
Relu6Grad on contiguous float32 buffers of any shape.

Elementwise primitives ignore the layout, so every array is seen as one flat vector
(one plan per element count). The algorithms were chosen for TF's exact values
(tested against TF's, NaN, -0.0, inf and the boundaries included):

- the backward passes compute TF's products ``gradients * (features > 0)`` and
  ``gradients * (0 < features < 6)``: a NaN gradient under a closed mask stays NaN, a
  negative one gives -0.0. ReluGrad runs as ``clip`` to (0, inf] (its backward passes
  ``0 < f <= inf``), not as ``relu``, whose backward passes the gradient where the
  feature is NaN; Relu6Grad runs as ``clip_v2`` to (0, 6) (open at both ends, as TF).
  ``features`` may be the op's input or its output: the masks agree.
- the forward passes (``relu``; ``clip_v2`` to [0, 6]) turn NaN into 0 where TF keeps
  NaN, so inputs holding NaN are left to the reference kernel (``support``).
"""

from __future__ import annotations

import numpy as np

from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import cached_plan

__all__ = ["relu", "relu_grad", "relu6", "relu6_grad"]

# (algorithm, alpha, beta) of each pass
_RELU = (L.ELTWISE_RELU, 0.0, 0.0)
_RELU_BACKWARD = (L.ELTWISE_CLIP, 0.0, float("inf"))
_RELU6 = (L.ELTWISE_CLIP_V2, 0.0, 6.0)


def _forward_pd(b, prop, alg, alpha, beta, md):
    return b.pd(
        b.lib.dnnl_eltwise_forward_primitive_desc_create,
        L.engine(),
        prop,
        alg,
        md,
        md,
        alpha,
        beta,
        b.attr(),
        what="eltwise forward",
    )


def _forward(x, fn):
    alg, alpha, beta = fn
    n = x.size

    def build(b):
        md = b.md((n,), L.TAG_A)
        pd = _forward_pd(b, L.FORWARD_INFERENCE, alg, alpha, beta, md)
        return b.finish(pd, {L.ARG_SRC: md, L.ARG_DST: md})

    plan = cached_plan(("eltwise_fwd", fn, n), build, n)
    y = np.empty_like(x)
    plan.run({L.ARG_SRC: x, L.ARG_DST: y})
    return y


def _backward(dy, features, fn):
    alg, alpha, beta = fn
    n = dy.size

    def build(b):
        md = b.md((n,), L.TAG_A)
        hint = _forward_pd(b, L.FORWARD_TRAINING, alg, alpha, beta, md)
        pd = b.pd(
            b.lib.dnnl_eltwise_backward_primitive_desc_create,
            L.engine(),
            alg,
            md,
            md,
            md,
            alpha,
            beta,
            hint,
            b.attr(),
            what="eltwise backward",
        )
        return b.finish(pd, {L.ARG_DIFF_DST: md, L.ARG_SRC: md, L.ARG_DIFF_SRC: md})

    plan = cached_plan(("eltwise_bwd", fn, n), build, n)
    dx = np.empty_like(dy)
    plan.run({L.ARG_DIFF_DST: dy, L.ARG_SRC: features, L.ARG_DIFF_SRC: dx})
    return dx


def relu(features):
    """Relu through oneDNN: ``max(features, 0)``."""
    return _forward(features, _RELU)


def relu6(features):
    """Relu6 through oneDNN: ``min(max(features, 0), 6)``."""
    return _forward(features, _RELU6)


def relu_grad(gradients, features):
    """ReluGrad through oneDNN: ``gradients * (features > 0)``."""
    return _backward(gradients, features, _RELU_BACKWARD)


def relu6_grad(gradients, features):
    """Relu6Grad through oneDNN: ``gradients * (0 < features < 6)``."""
    return _backward(gradients, features, _RELU6)
