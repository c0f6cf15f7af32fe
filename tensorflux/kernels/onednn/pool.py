"""oneDNN kernels for TF's pooling ops: MaxPool, MaxPoolGrad, AvgPool, AvgPoolGrad (and
the 3-D forms of all but MaxPoolGrad) on NHWC / NDHWC buffers.

MaxPoolGrad gets the original input, not the positions of the maxima. A 2-D MaxPool
therefore runs oneDNN's training pooling, which also writes a workspace (the argmax of
every window, a byte per output), and keeps it while its output array lives; a
MaxPoolGrad given that same input and output array uses it (TF's oneDNN build passes
the workspace between the two ops the same way). Otherwise it runs the forward pooling
once more to get the workspace, then the backward pass. oneDNN keeps the first
maximum in window order, as TF does, so tied values send the gradient to the same
element (tested). TF's average pooling
divides by the number of input elements in the window (padding excluded), which is
oneDNN's ``pooling_avg_exclude_padding``.
"""

from __future__ import annotations

import numpy as np

from tensorflux.kernels.onednn import _library as L
from tensorflux.kernels.onednn.plans import WorkspaceTable, cached_plan, dims
from tensorflux.kernels.onednn.support import pool_geometry

__all__ = ["max_pool", "max_pool_grad", "avg_pool", "avg_pool_grad"]

_TAGS = {4: L.TAG_NHWC, 5: L.TAG_NDHWC}


def _logical(shape):
    return (shape[0], shape[-1], *shape[1:-1])


def _forward_pd(b, alg, prop, x_shape, y_shape, geo):
    _, k, s, pl, pr = geo
    tag = _TAGS[len(x_shape)]
    x_md, y_md = b.md(_logical(x_shape), tag), b.md(_logical(y_shape), tag)
    pd = b.pd(
        b.lib.dnnl_pooling_forward_primitive_desc_create,
        L.engine(),
        prop,
        alg,
        x_md,
        y_md,
        dims(s),
        dims(k),
        dims([0] * len(k)),
        dims(pl),
        dims(pr),
        b.attr(),
        what="pooling forward",
    )
    return pd, x_md, y_md


def _backward_pd(b, alg, x_md, y_md, geo, hint):
    _, k, s, pl, pr = geo
    return b.pd(
        b.lib.dnnl_pooling_backward_primitive_desc_create,
        L.engine(),
        alg,
        x_md,
        y_md,
        dims(s),
        dims(k),
        dims([0] * len(k)),
        dims(pl),
        dims(pr),
        hint,
        b.attr(),
        what="pooling backward",
    )


def _pool(alg, x, ksize, strides, padding, explicit_paddings):
    geo = pool_geometry(x.shape, ksize, strides, padding, explicit_paddings)
    y_shape = (x.shape[0], *geo[0], x.shape[-1])

    def build(b):
        pd, x_md, y_md = _forward_pd(b, alg, L.FORWARD_INFERENCE, x.shape, y_shape, geo)
        return b.finish(pd, {L.ARG_SRC: x_md, L.ARG_DST: y_md})

    plan = cached_plan(("pool", alg, x.shape, geo), build, x.size)
    y = np.empty(y_shape, np.float32)
    plan.run({L.ARG_SRC: np.ascontiguousarray(x), L.ARG_DST: y})
    return y


def max_pool(x, *, ksize, strides, padding, explicit_paddings=(), data_format=None):
    """MaxPool / MaxPool3D through oneDNN (2-D: keeping the workspace, see the module
    docstring)."""
    if x.ndim != 4:
        return _pool(L.POOLING_MAX, x, ksize, strides, padding, explicit_paddings)
    x = np.ascontiguousarray(x)
    geo = pool_geometry(x.shape, ksize, strides, padding, explicit_paddings)
    y = np.empty((x.shape[0], *geo[0], x.shape[-1]), np.float32)
    _workspaces.keep(x, y, _geometry_key(geo), _forward_with_workspace(x, y, geo))
    return y


def _forward_with_workspace(x, y, geo):
    """Runs the training max pooling of ``x`` into ``y``; returns the workspace."""

    def build(b):
        pd, x_md, y_md = _forward_pd(b, L.POOLING_MAX, L.FORWARD_TRAINING, x.shape, y.shape, geo)
        ws_md = b.query(pd, L.QUERY_WORKSPACE_MD)
        plan = b.finish(pd, {L.ARG_SRC: x_md, L.ARG_DST: y_md, L.ARG_WORKSPACE: ws_md})
        plan.workspace_size = b.lib.dnnl_memory_desc_get_size(ws_md)
        return plan

    forward = cached_plan(("max_pool_ws", x.shape, geo), build, x.size)
    workspace = np.empty(forward.workspace_size, np.uint8)
    forward.run({L.ARG_SRC: np.ascontiguousarray(x), L.ARG_DST: y, L.ARG_WORKSPACE: workspace})
    return workspace


_workspaces = WorkspaceTable()


def _geometry_key(geo) -> tuple:
    """``pool_geometry``'s parts (sequences of ints) as nested tuples, to compare."""
    return tuple(tuple(int(v) for v in part) for part in geo)


def avg_pool(value, *, ksize, strides, padding, data_format=None):
    """AvgPool / AvgPool3D through oneDNN (padding excluded from the averages)."""
    return _pool(L.POOLING_AVG_EXCLUDE_PADDING, value, ksize, strides, padding, ())


def max_pool_grad(
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
    """MaxPoolGrad through oneDNN: each window's gradient goes to its first maximum in
    ``orig_input``."""
    x = orig_input
    geo = pool_geometry(x.shape, ksize, strides, padding, explicit_paddings)
    y_shape = grad.shape

    def build_backward(b):
        hint, x_md, y_md = _forward_pd(b, L.POOLING_MAX, L.FORWARD_TRAINING, x.shape, y_shape, geo)
        pd = _backward_pd(b, L.POOLING_MAX, x_md, y_md, geo, hint)
        return b.finish(
            pd,
            {
                L.ARG_DIFF_SRC: x_md,
                L.ARG_DIFF_DST: y_md,
                L.ARG_WORKSPACE: b.query(pd, L.QUERY_WORKSPACE_MD),
            },
        )

    workspace = _workspaces.find(x, orig_output, _geometry_key(geo))
    if workspace is None:
        workspace = _forward_with_workspace(x, np.empty(y_shape, np.float32), geo)
    backward = cached_plan(("max_pool_bwd", x.shape, geo), build_backward, x.size)
    dx = np.empty(x.shape, np.float32)
    backward.run(
        {L.ARG_DIFF_DST: np.ascontiguousarray(grad), L.ARG_DIFF_SRC: dx, L.ARG_WORKSPACE: workspace}
    )
    return dx


def avg_pool_grad(orig_input_shape, grad, *, ksize, strides, padding, data_format=None):
    """AvgPoolGrad / AvgPool3DGrad through oneDNN."""
    x_shape = tuple(int(v) for v in np.asarray(orig_input_shape))
    geo = pool_geometry(x_shape, ksize, strides, padding)
    alg = L.POOLING_AVG_EXCLUDE_PADDING

    def build(b):
        hint, x_md, y_md = _forward_pd(b, alg, L.FORWARD_TRAINING, x_shape, grad.shape, geo)
        pd = _backward_pd(b, alg, x_md, y_md, geo, hint)
        return b.finish(pd, {L.ARG_DIFF_SRC: x_md, L.ARG_DIFF_DST: y_md})

    plan = cached_plan(("avg_pool_bwd", x_shape, geo), build, int(np.prod(x_shape)))
    dx = np.empty(x_shape, np.float32)
    plan.run({L.ARG_DIFF_DST: np.ascontiguousarray(grad), L.ARG_DIFF_SRC: dx})
    return dx
