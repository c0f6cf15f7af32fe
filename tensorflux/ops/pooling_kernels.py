"""NumPy kernels of the pooling ops, for any number of spatial dimensions.

Inputs are channels-last (``NHWC`` / ``NDHWC``, TF's only CPU layouts). A window is
walked offset by offset: for each position inside the window, one strided view of the
(padded) input holds that position for every output at once, so the work is a few
whole-array NumPy calls per window offset and never a Python loop over windows. For a
fixed offset the outputs see distinct input cells, so accumulating into a strided view
is exact even when windows overlap.

Tie rules, as TF's CPU kernels (checked against TF 2.21):

- MaxPool's forward ignores NaN and starts from the dtype's lowest value (a window of
  ``-inf`` gives ``-FLT_MAX``).
- MaxPoolGrad, MaxPoolGradGrad and MaxPoolWithArgmax pick, per window, the first valid
  cell (row-major inside the window), then any later cell strictly greater: the first of
  tied maxima takes the whole gradient.
- MaxPool3DGrad gives the gradient to every cell equal to ``orig_output`` (all tied
  maxima); MaxPool3DGradGrad reads the first such cell.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux.framework.errors import InvalidArgumentError, UnimplementedError
from tensorflux.ops.window_ops_utils import WindowDim, explicit_pairs, window_dims

__all__ = [
    "Geometry",
    "geometry",
    "max_pool",
    "avg_pool",
    "avg_pool_grad",
    "first_max",
    "max_pool_grad",
    "max_pool_grad_grad",
    "max_pool_3d_grad",
    "max_pool_3d_grad_grad",
    "flat_argmax",
    "scatter_argmax",
    "gather_argmax",
]


def _error(cls, op_name: str, message: str):
    return cls(None, op_name, f"{message} [Op:{op_name}]")


class Geometry:
    """Where each window of a pooling op lies: one ``WindowDim`` per axis (batch and
    channels included, with window 1), the window sizes and strides."""

    __slots__ = ("dims", "ksize", "strides")

    def __init__(self, dims: list[WindowDim], ksize, strides):
        self.dims = dims
        self.ksize = tuple(ksize)
        self.strides = tuple(strides)

    @property
    def out_shape(self) -> tuple:
        return tuple(d.out for d in self.dims)

    def offsets(self):
        """Every position inside a window, row-major, with its flat index."""
        return enumerate(itertools.product(*(range(k) for k in self.ksize)))

    def view(self, padded: np.ndarray, offset) -> tuple:
        """The index giving, for every output, the padded input cell at ``offset``."""
        return tuple(
            slice(o, o + (d.out - 1) * s + 1 if d.out else o, s)
            for o, d, s in zip(offset, self.dims, self.strides)
        )

    def widths(self, shape) -> list:
        """The ``(before, after)`` pads per axis that make every window fit."""
        return [
            (
                d.pad_before,
                max(d.pad_before + n + d.pad_after, (d.out - 1) * s + k if d.out else 0)
                - d.pad_before
                - n,
            )
            for d, n, s, k in zip(self.dims, shape, self.strides, self.ksize)
        ]

    def pad(self, x: np.ndarray, fill) -> np.ndarray:
        """``x`` padded so every window fits, with ``fill`` around it."""
        widths = self.widths(x.shape)
        if not any(a or b for a, b in widths):
            return x
        return np.pad(x, widths, constant_values=fill)

    def zeros_padded(self, shape, dtype) -> np.ndarray:
        """A zero buffer of the padded input's shape."""
        return np.zeros([n + a + b for n, (a, b) in zip(shape, self.widths(shape))], dtype)

    def crop(self, padded: np.ndarray, shape) -> np.ndarray:
        return padded[
            tuple(slice(d.pad_before, d.pad_before + n) for d, n in zip(self.dims, shape))
        ]

    def counts(self, shape) -> np.ndarray:
        """How many valid (unpadded) cells each window holds, broadcastable to the output."""
        total = np.ones((1,) * len(shape))
        for axis, (d, n, s, k) in enumerate(zip(self.dims, shape, self.strides, self.ksize)):
            if k == 1:
                continue
            start = np.arange(d.out) * s - d.pad_before
            count = np.minimum(start + k, n) - np.maximum(start, 0)
            total = total * count.reshape([-1 if i == axis else 1 for i in range(len(shape))])
        return total


def _check_lists(ksize, strides, op_name: str, avg: bool) -> None:
    for k in ksize:
        if k <= 0:
            if avg:
                raise _error(
                    InvalidArgumentError, op_name, f"ksize must be a positive int32 value, got:{k}"
                )
            raise _error(
                InvalidArgumentError,
                op_name,
                "Sliding window ksize must be positive. The specified or inferred "
                f"ksize is: {','.join(str(int(v)) for v in ksize)}",
            )
    for s in strides:
        if s <= 0:
            raise _error(InvalidArgumentError, op_name, f"Stride must be > 0, but got {s}")
    if ksize[0] != 1 or strides[0] != 1:
        raise _error(
            UnimplementedError, op_name, "Pooling is not yet supported on the batch dimension."
        )


# Only MaxPool's forward pools across channels in TF; the others refuse it in these words.
_NO_DEPTH_POOLING = {
    "AvgPool": "Non-spatial pooling is not yet supported. Volunteers? :)",
    "MaxPoolGrad": "MaxPoolingGrad is not yet supported on the depth dimension.",
}


def _check_depth(ksize, strides, depth, op_name: str) -> None:
    """TF's rules for a window across channels (depthwise max pooling)."""
    if any(k != 1 for k in ksize[1:-1]):
        raise _error(
            UnimplementedError,
            op_name,
            "MaxPooling supports exactly one of pooling "
            "across depth or pooling across width/height.",
        )
    if op_name != "MaxPool":
        raise _error(
            UnimplementedError,
            op_name,
            _NO_DEPTH_POOLING.get(op_name, "Pooling is not yet supported on the depth dimension."),
        )
    if ksize[-1] != strides[-1]:
        raise _error(
            UnimplementedError,
            op_name,
            "Depthwise max pooling requires the depth window to equal the depth stride",
        )
    if depth is not None and depth % ksize[-1]:
        raise _error(
            UnimplementedError,
            op_name,
            "Depthwise max pooling requires the depth window to evenly divide the input depth",
        )


def geometry(
    shape,
    ksize,
    strides,
    padding: str,
    op_name: str,
    explicit_paddings=(),
    avg: bool = False,
    rank: int = 4,
) -> Geometry:
    """The windows of a channels-last pooling op on an input of ``shape`` (None dims
    allowed: their output sizes are None), checked as TF's kernels check them.

    Raises:
        InvalidArgumentError: ksize/strides of the wrong length or not positive, an input
            of the wrong rank, or a window larger than a VALID input.
        UnimplementedError: pooling over the batch or channel dimension.
    """
    if len(ksize) != rank or len(strides) != rank:
        what = "ksize" if len(ksize) != rank else "strides"
        raise _error(
            InvalidArgumentError,
            op_name,
            f"Sliding window {what} field must specify {rank} dimensions",
        )
    if len(shape) != rank:
        what = (
            "tensor_in must be 5-dimensional"
            if rank == 5
            else "tensor_in_shape must have 2 spatial dimensions"
        )
        raise _error(
            InvalidArgumentError,
            op_name,
            f"{what}, got an input of shape {tuple(shape)}: pass a batch of "
            f"{'volumes' if rank == 5 else 'images'} with a channel axis",
        )
    ksize, strides = [int(k) for k in ksize], [int(s) for s in strides]
    _check_lists(ksize, strides, op_name, avg)
    if ksize[-1] != 1:
        _check_depth(ksize, strides, shape[-1], op_name)
    else:
        # TF ignores a stride across channels without a window across them.
        strides[-1] = 1
    explicit = None
    if padding == "EXPLICIT":
        explicit = (
            [(0, 0)] + explicit_pairs(explicit_paddings, range(1, rank - 1), op_name) + [(0, 0)]
        )
        sides = [("", "")] + [("Top", "Bottom")] * (rank - 3) + [("Left", "Right"), ("", "")]
        for (before, after), k, names in zip(explicit, ksize, sides):
            for side, pad in zip(names, (before, after)):
                if pad and pad >= k:
                    raise _error(
                        InvalidArgumentError,
                        op_name,
                        f"{side} padding {pad} needs to be smaller than the window size {k}",
                    )
    dims = window_dims(shape, ksize, strides, [1] * rank, padding, explicit, op_name)
    return Geometry(dims, ksize, strides)


def _floating(dtype) -> bool:
    """Floating, bfloat16 (a NumPy "V" kind) included."""
    return dtype.kind not in "biu"


def _lowest(dtype):
    if not _floating(dtype):
        return np.iinfo(dtype).min
    try:
        return np.finfo(dtype).min
    except ValueError:  # bfloat16 is described by its own package
        import ml_dtypes

        return ml_dtypes.finfo(dtype).min


def _below_all(dtype):
    """A padding value no cell is strictly greater than... nor equal to, for floats."""
    return -np.inf if _floating(dtype) else np.iinfo(dtype).min


def _compute_dtype(dtype):
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def max_pool(x: np.ndarray, g: Geometry) -> np.ndarray:
    """The maximum of each window, NaN ignored, from the dtype's lowest value (TF's)."""
    xp = g.pad(x, _below_all(x.dtype))
    out = np.full(g.out_shape, _lowest(x.dtype), dtype=x.dtype)
    combine = np.fmax if _floating(x.dtype) else np.maximum
    for _, offset in g.offsets():
        combine(out, xp[g.view(xp, offset)], out=out)
    return out


def avg_pool(x: np.ndarray, g: Geometry) -> np.ndarray:
    """The mean of the valid cells of each window (padding is not counted)."""
    work = _compute_dtype(x.dtype)
    xp = g.pad(x.astype(work, copy=False), 0)
    out = np.zeros(g.out_shape, dtype=work)
    for _, offset in g.offsets():
        out += xp[g.view(xp, offset)]
    out /= g.counts(x.shape).astype(work)
    return out.astype(x.dtype, copy=False)


def avg_pool_grad(input_shape, dy: np.ndarray, g: Geometry) -> np.ndarray:
    """Each output's gradient shared evenly among its window's valid cells."""
    work = _compute_dtype(dy.dtype)
    share = dy.astype(work) / g.counts(input_shape).astype(work)
    gp = g.zeros_padded(input_shape, work)
    for _, offset in g.offsets():
        gp[g.view(gp, offset)] += share
    return g.crop(gp, input_shape).astype(dy.dtype, copy=False)


def _first_valid(g: Geometry):
    """Per axis, the window offset of each output's first unpadded cell."""
    return [
        np.maximum(d.pad_before - np.arange(d.out) * s, 0) if k > 1 else None
        for d, s, k in zip(g.dims, g.strides, g.ksize)
    ]


def first_max(x: np.ndarray, g: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Each window's maximum and the flat offset of the cell holding it (TF's argmax rule:
    the window's first valid cell, replaced only by a strictly greater one)."""
    xp = g.pad(x, _below_all(x.dtype))
    firsts = _first_valid(g)
    best = xp
    window = int(np.prod(g.ksize))
    arg_type = np.int8 if window <= 127 else np.int32
    arg = np.zeros((1,) * x.ndim, dtype=arg_type)
    weight = 1
    for axis in reversed(range(x.ndim)):
        first = firsts[axis]
        if first is None:
            continue
        index = np.arange(g.dims[axis].out) * g.strides[axis] + first
        best = np.take(best, index, axis=axis)
        shape = [-1 if i == axis else 1 for i in range(x.ndim)]
        arg = arg + (first * weight).reshape(shape).astype(arg_type)
        weight *= g.ksize[axis]
    best = np.array(best, copy=True)
    start = np.broadcast_to(arg, best.shape)
    arg = np.array(start, dtype=arg_type)
    # Masked copies (np.where, copyto) are slow on random masks: the running maximum is
    # np.fmax (NaN cells lose, as a strict comparison with NaN fails) and the offset moves
    # by arithmetic.
    nan_first = np.isnan(best) if _floating(x.dtype) else None
    step = np.empty(best.shape, dtype=arg_type)
    for k, offset in g.offsets():
        cells = xp[g.view(xp, offset)]
        greater = np.greater(cells, best)
        np.fmax(best, cells, out=best) if nan_first is not None else np.maximum(
            best, cells, out=best
        )
        np.subtract(arg_type(k), arg, out=step)
        step *= greater
        arg += step
    if nan_first is not None and nan_first.any():
        # Nothing is greater than a NaN first cell: TF keeps it and its offset.
        best[nan_first] = np.nan
        arg[nan_first] = start[nan_first]
    return best, arg


def _select(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``values`` where ``mask``, else 0 (a product when the values are finite, faster
    than np.where)."""
    if not _floating(values.dtype) or np.isfinite(values).all():
        return np.multiply(values, mask)
    return np.where(mask, values, values.dtype.type(0))


def _argmax_masks(x: np.ndarray, g: Geometry):
    """For each window offset: its view index and where that offset is the argmax.

    For finite floating inputs each window's first cell equal to its maximum is the
    argmax, which a comparison per offset finds faster than tracking ``first_max``'s
    offsets; windows of -inf or NaN need ``first_max``'s rule.
    """
    if _floating(x.dtype) and np.isfinite(x).all():
        y = max_pool(x, g)
        xp = g.pad(x, -np.inf)
        taken = np.zeros(g.out_shape, dtype=bool)
        for _, offset in g.offsets():
            index = g.view(xp, offset)
            hit = np.equal(xp[index], y)
            np.greater(hit, taken, out=hit)  # hit and not taken
            taken |= hit
            yield index, hit
        return
    _, arg = first_max(x, g)
    for k, offset in g.offsets():
        yield g.view(x, offset), arg == k


def max_pool_grad(x: np.ndarray, dy: np.ndarray, g: Geometry) -> np.ndarray:
    """Each output's gradient to its window's argmax (TF's first-maximum rule)."""
    widths = g.widths(x.shape)
    # Windows that tile the padded input exactly write every cell once.
    tiled = all(
        s == k and d.out * s == n + a + b
        for s, k, d, n, (a, b) in zip(g.strides, g.ksize, g.dims, x.shape, widths)
    )
    disjoint = all(s >= k for s, k in zip(g.strides, g.ksize))
    shape = [n + a + b for n, (a, b) in zip(x.shape, widths)]
    gp = np.empty(shape, dy.dtype) if tiled else np.zeros(shape, dy.dtype)
    finite = not _floating(dy.dtype) or bool(np.isfinite(dy).all())
    for index, hit in _argmax_masks(x, g):
        if disjoint and finite:
            np.multiply(dy, hit, out=gp[index])
        elif disjoint:
            gp[index] = _select(dy, hit)
        else:
            gp[index] += _select(dy, hit)
    return g.crop(gp, x.shape)


def max_pool_grad_grad(x: np.ndarray, ddx: np.ndarray, g: Geometry) -> np.ndarray:
    """Each output reads ``ddx`` (input-shaped) at its window's argmax."""
    gp = g.pad(ddx, 0)
    out = np.zeros(g.out_shape, dtype=ddx.dtype)
    for index, hit in _argmax_masks(x, g):
        out += _select(gp[index], hit)
    return out


def max_pool_3d_grad(x: np.ndarray, y: np.ndarray, dy: np.ndarray, g: Geometry) -> np.ndarray:
    """Each output's gradient to every cell of its window equal to ``y`` (all ties)."""
    xp = g.pad(x, np.nan)
    gp = np.zeros(xp.shape, dtype=dy.dtype)
    for _, offset in g.offsets():
        index = g.view(xp, offset)
        gp[index] += _select(dy, xp[index] == y)
    return g.crop(gp, x.shape)


def max_pool_3d_grad_grad(x: np.ndarray, y: np.ndarray, ddx: np.ndarray, g: Geometry) -> np.ndarray:
    """Each output reads ``ddx`` at the first cell of its window equal to ``y``."""
    xp = g.pad(x, np.nan)
    gp = g.pad(ddx, 0)
    out = np.zeros(g.out_shape, dtype=ddx.dtype)
    found = np.zeros(g.out_shape, dtype=bool)
    for _, offset in g.offsets():
        index = g.view(xp, offset)
        hit = (xp[index] == y) & ~found
        np.copyto(out, gp[index], where=hit)
        found |= hit
    return out


def flat_argmax(arg: np.ndarray, shape, g: Geometry, include_batch: bool) -> np.ndarray:
    """Window offsets -> TF's flat input indices ``((b * H + h) * W + w) * C + c`` (without
    the batch term unless ``include_batch``)."""
    per_axis = np.unravel_index(arg, g.ksize)
    flat = np.zeros(arg.shape, dtype=np.int64)
    for axis, n in enumerate(shape):
        if axis == 0 and not include_batch:
            continue
        d = g.dims[axis]
        along = np.arange(d.out) * g.strides[axis] - d.pad_before
        coord = along.reshape([-1 if i == axis else 1 for i in range(arg.ndim)]) + per_axis[axis]
        flat = flat * n + coord
    return flat


def _batch_flat(argmax: np.ndarray, shape, include_batch: bool) -> np.ndarray:
    """Flat indices into the whole input, adding the batch term when TF's omit it."""
    idx = argmax.astype(np.int64)
    if not include_batch:
        per_image = int(np.prod(shape[1:]))
        idx = idx + (np.arange(shape[0]) * per_image).reshape((-1,) + (1,) * (idx.ndim - 1))
    size = int(np.prod(shape))
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = idx[(idx < 0) | (idx >= size)][0]
        raise _error(
            InvalidArgumentError,
            "MaxPoolGradWithArgmax",
            f"Invalid argmax entry {bad}: it must index an input of shape {tuple(shape)}",
        )
    return idx


def scatter_argmax(shape, dy: np.ndarray, argmax: np.ndarray, include_batch: bool):
    """Each output's gradient added at the input cell its argmax names."""
    idx = _batch_flat(argmax, shape, include_batch)
    flat = np.zeros(int(np.prod(shape)), dtype=dy.dtype)
    np.add.at(flat, idx.ravel(), dy.ravel())
    return flat.reshape(shape)


def gather_argmax(ddx: np.ndarray, argmax: np.ndarray, include_batch: bool):
    """``ddx`` (input-shaped) read at each output's argmax."""
    idx = _batch_flat(argmax, ddx.shape, include_batch)
    return ddx.reshape(-1)[idx]
