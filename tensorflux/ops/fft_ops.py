"""Fast Fourier transforms: TF's FFT, IFFT, RFFT, IRFFT ops in 1, 2 and 3 dimensions and
the N-dimensional FFTND family, with ``tf.signal``'s wrappers.

Each op transforms the innermost ``rank`` dimensions (the ND ops: the dimensions listed
in ``axes``). The real transforms take ``fft_length`` as an int32 input tensor, as TF
does, and crop or zero-pad the input to it; the wrappers pad or crop first with
differentiable ops, so the ops' gradients see inputs of exactly ``fft_length``. The
kernels are ``np.fft``'s, cast back to the op's dtypes (NumPy 1.x computes in double).

Gradients use TF's convention for complex values (the gradient of a real loss with
respect to ``z`` is ``dL/dRe(z) + i dL/dIm(z)``): the gradient of a linear map is its
adjoint applied to the incoming gradient, real part taken where the input is real.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import COMPLEX, FLOATING, Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import static_dims, to_tensor
from tensorflux.ops.math_ops import _MUL, _const, cast
from tensorflux.ops.unary_math_ops import real

__all__ = ["fftnd", "ifftnd", "rfftnd", "irfftnd"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_NAMES = {1: "", 2: "2D", 3: "3D"}


def _tf_type(d: dtypes.DType) -> str:
    return {"float32": "float", "float64": "double"}.get(d.name, d.name)


def _inner_axes(x: np.ndarray, rank: int) -> tuple:
    return tuple(range(x.ndim - rank, x.ndim))


def _check_lengths(op_name: str, lengths) -> list:
    lengths = [int(n) for n in np.asarray(lengths).reshape(-1)]
    if any(n < 0 for n in lengths):
        raise InvalidArgumentError(
            None, op_name, f"fft_length must be non-negative, got {lengths} [Op:{op_name}]"
        )
    return lengths


def _empty_or(shape, dtype, compute):
    """``np.fft`` refuses empty arrays and zero lengths; TF returns empty results."""
    if 0 in shape:
        return np.zeros(shape, dtype)
    return compute().astype(dtype, copy=False)


# -- complex transforms: FFT, IFFT, FFT2D, IFFT2D, FFT3D, IFFT3D ---------------


def _complex_kernel(fn_name: str, rank: int):
    # np.fft is looked up on first use: NumPy 2 imports it lazily, and import stays cheap.
    def kernel(x):
        fn = getattr(np.fft, fn_name)
        axes = _inner_axes(x, rank)
        return _empty_or(x.shape, x.dtype, lambda: fn(x, axes=axes))

    return kernel


def _complex_infer(x: Spec) -> Spec:
    return Spec(x.dtype, x.shape)


def _size(t: Tensor, axes) -> Tensor:
    """The number of points the transform over ``axes`` of ``t`` covers, as a tensor."""
    from tensorflux.ops.array_ops import shape
    from tensorflux.ops.gather_ops import gather
    from tensorflux.ops.reduction_ops import reduce_prod

    dims = [static_dims(t)[a] for a in axes]
    if None not in dims:
        return _const(int(np.prod(dims)), t)
    return cast(reduce_prod(gather(shape(t), list(axes))), t._dtype)


def _register_complex_pair(rank: int):
    suffix = _NAMES[rank]
    ops = {}

    def forward_grad(call, dy):
        return (execute(_MUL, (execute(ops["inverse"], (dy,)), _size(dy, _last(dy, rank)))),)

    def inverse_grad(call, dy):
        scale = execute(ops["forward"], (dy,))
        from tensorflux.ops.math_ops import _REALDIV

        return (execute(_REALDIV, (scale, _size(dy, _last(dy, rank)))),)

    forward_grad.__doc__ = f"d FFT{suffix}(x) = IFFT{suffix}(dy) * n (the adjoint of the DFT)."
    inverse_grad.__doc__ = f"d IFFT{suffix}(x) = FFT{suffix}(dy) / n (the adjoint of the IDFT)."
    ops["forward"] = register(
        f"FFT{suffix}",
        kernel=_complex_kernel("fftn", rank),
        grad=forward_grad,
        infer=_complex_infer,
        allowed=COMPLEX,
    )
    ops["inverse"] = register(
        f"IFFT{suffix}",
        kernel=_complex_kernel("ifftn", rank),
        grad=inverse_grad,
        infer=_complex_infer,
        allowed=COMPLEX,
    )
    return ops["forward"], ops["inverse"]


def _last(t: Tensor, rank: int) -> tuple:
    n = t.shape.rank
    return tuple(range(n - rank, n))


_FFT, _IFFT = _register_complex_pair(1)
_FFT2D, _IFFT2D = _register_complex_pair(2)
_FFT3D, _IFFT3D = _register_complex_pair(3)
_COMPLEX_OPS = {1: (_FFT, _IFFT), 2: (_FFT2D, _IFFT2D), 3: (_FFT3D, _IFFT3D)}


def _complex_input(x, op_name: str, rank: int) -> Tensor:
    x = to_tensor(x, dtype=None)
    if not x._dtype.is_complex:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Value for attr 'Tcomplex' of {_tf_type(x._dtype)} is not in the list of allowed "
            f"values: complex64, complex128 [Op:{op_name}]. Pass a complex tensor, e.g. "
            f"tf.cast(x, tf.complex64), or use tf.signal.rfft for real signals.",
        )
    if x.shape.rank is not None and x.shape.rank < rank:
        raise InvalidArgumentError(
            None,
            op_name,
            f"Input must have rank of at least {rank} but got: {x.shape.as_list()} [Op:{op_name}]",
        )
    return x


def _complex_transform(rank: int, inverse: bool):
    op = _COMPLEX_OPS[rank][int(inverse)]
    what = "inverse " if inverse else ""
    dims = {1: "the innermost dimension", 2: "the inner 2 dimensions"}.get(
        rank, "the inner 3 dimensions"
    )

    def transform(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
        return execute(op, (_complex_input(input, op.name, rank),))

    transform.__name__ = transform.__qualname__ = op.name.lower()
    transform.__doc__ = (
        f"The {what}{rank}-D discrete Fourier transform over {dims} (``tf.signal."
        f"{op.name.lower()}``).\n\n    Args:\n        input: a complex64 or complex128 tensor of "
        f"rank >= {rank}.\n\n    Returns:\n        A tensor of the input's shape and dtype.\n\n"
        f"    Raises:\n        InvalidArgumentError: a real input, or rank below {rank}.\n\n"
        f"    >>> import tensorflux as tf\n    >>> tf.signal.{op.name.lower()}("
        f"tf.ones([{', '.join(['2'] * rank)}], tf.complex64)).shape\n"
        f"    TensorShape([{', '.join(['2'] * rank)}])\n    "
    )
    return transform


fft = _complex_transform(1, False)
ifft = _complex_transform(1, True)
fft2d = _complex_transform(2, False)
ifft2d = _complex_transform(2, True)
fft3d = _complex_transform(3, False)
ifft3d = _complex_transform(3, True)


# -- real transforms: RFFT, IRFFT (1-3D) and the ND ops ------------------------


def _nd_axes(x: np.ndarray, axes) -> tuple:
    return tuple(int(a) % x.ndim for a in np.asarray(axes).reshape(-1))


def _rfft_shape(shape, axes, lengths) -> list:
    out = list(shape)
    for a, n in zip(axes, lengths, strict=True):
        out[a] = n
    if axes:
        out[axes[-1]] = lengths[-1] // 2 + 1
    return out


def _rfft_kernel_at(x, lengths, axes, Tcomplex, op_name):
    lengths = _check_lengths(op_name, lengths)
    shape = _rfft_shape(x.shape, axes, lengths)
    return _empty_or(
        shape, Tcomplex._np, lambda: np.fft.rfftn(x, s=lengths, axes=axes) if axes else x
    )


def _irfft_kernel_at(y, lengths, axes, Treal, op_name):
    lengths = _check_lengths(op_name, lengths)
    shape = list(y.shape)
    for a, n in zip(axes, lengths, strict=True):
        shape[a] = n
    if 0 in y.shape or 0 in shape:
        return np.zeros(shape, Treal._np)
    return np.fft.irfftn(y, s=lengths, axes=axes).astype(Treal._np, copy=False)


def _partial_lengths(spec: Spec, count) -> list | None:
    value = spec.value
    if isinstance(value, list) and (count is None or len(value) == count):
        return [None if n is None else int(n) for n in value]
    return None


def _real_infer(x: Spec, fft_length: Spec, axes_spec, out_dtype, half: bool) -> Spec:
    """Shape of a real transform: the transformed axes take ``fft_length`` (the last one
    ``n // 2 + 1`` for RFFT); unknown where the lengths are not known before running."""
    if x.shape.rank is None:
        return Spec(out_dtype, TensorShape(None))
    dims = x.shape.as_list()
    axes = axes_spec(len(dims))
    if axes is None:
        return Spec(out_dtype, TensorShape([None] * len(dims)))
    lengths = _partial_lengths(fft_length, len(axes)) or [None] * len(axes)
    for a, n in zip(axes, lengths, strict=True):
        dims[a] = n
    if axes and half and lengths[-1] is not None:
        dims[axes[-1]] = lengths[-1] // 2 + 1
    return Spec(out_dtype, TensorShape(dims))


def _fit_axes(t: Tensor, target, axes) -> Tensor:
    """``t`` cropped or zero-padded along ``axes`` to the sizes in ``target`` (where known
    before running; an unknown size is taken to match already)."""
    from tensorflux.ops.joining_ops import pad
    from tensorflux.ops.strided_slice_ops import slice as slice_

    dims = static_dims(t)
    size, pads, crop, grow = [-1] * len(dims), [[0, 0] for _ in dims], False, False
    for a, n in zip(axes, target, strict=True):
        if n is None or dims[a] is None or n == dims[a]:
            continue
        if n < dims[a]:
            size[a], crop = n, True
        else:
            pads[a][1], grow = n - dims[a], True
    if crop:
        t = slice_(t, [0] * len(dims), size)
    if grow:
        t = pad(t, pads)
    return t


def _rfft_grad_at(call, dy, axes, lengths, inverse_op, extra):
    """d RFFT(x) = Re(n * IFFT(dy zero-padded to the full spectrum)), fitted to x."""
    from tensorflux.ops.joining_ops import pad

    x = call.inputs[0]
    half = static_dims(dy)
    if half[axes[-1]] is not None and lengths[-1] is not None:
        pads = [[0, 0] for _ in half]
        pads[axes[-1]][1] = lengths[-1] - half[axes[-1]]
        if pads[axes[-1]][1] > 0:
            dy = pad(dy, pads)
    full = execute(inverse_op, (dy, *extra))
    grad = real(execute(_MUL, (full, _size(full, axes))))
    return _fit_axes(grad, [static_dims(x)[a] for a in axes], axes)


def _irfft_grad_at(call, dy, axes, lengths, forward_op, extra):
    """d IRFFT(y) = RFFT(dy) * [1, 2, ..., 2, (1 if n even)] / prod(n), fitted to y."""
    y = call.inputs[0]
    spectrum = execute(forward_op, (dy, call.inputs[1], *extra), {"Tcomplex": y._dtype})
    n_last = lengths[-1]
    bins = n_last // 2 + 1
    mask = np.full(bins, 2.0)
    mask[0] = 1.0
    if n_last % 2 == 0:
        mask[-1] = 1.0
    mask = mask.reshape([bins] + [1] * (dy.shape.rank - 1 - axes[-1]))
    weight = Tensor(mask.astype(y._value.dtype), y._dtype)
    spectrum = execute(_MUL, (spectrum, weight))
    from tensorflux.ops.math_ops import _REALDIV

    spectrum = execute(_REALDIV, (spectrum, cast(_size(dy, axes), y._dtype)))
    return _fit_axes(spectrum, [static_dims(y)[a] for a in axes], axes)


def _lengths_of(t: Tensor) -> list:
    if type(t) is Tensor:
        return [int(n) for n in t._value.reshape(-1)]
    from tensorflux.ops.common import shape_hint

    return list(shape_hint(t))


def _register_real_pair(rank: int):
    suffix = _NAMES[rank]
    ops = {}

    def rfft_kernel(x, fft_length, Tcomplex):
        axes = _inner_axes(x, rank)
        return _rfft_kernel_at(x, fft_length, axes, Tcomplex, f"RFFT{suffix}")

    def irfft_kernel(y, fft_length, Treal):
        axes = _inner_axes(y, rank)
        return _irfft_kernel_at(y, fft_length, axes, Treal, f"IRFFT{suffix}")

    def inner(n):
        return tuple(range(n - rank, n)) if n >= rank else None

    def rfft_infer(x, fft_length, Tcomplex):
        return _real_infer(x, fft_length, inner, Tcomplex, True)

    def irfft_infer(y, fft_length, Treal):
        return _real_infer(y, fft_length, inner, Treal, False)

    def rfft_grad(call, dy):
        lengths = _lengths_of(call.inputs[1])
        grad = _rfft_grad_at(call, dy, _last(dy, rank), lengths, _COMPLEX_OPS[rank][1], ())
        return grad, None

    def irfft_grad(call, dy):
        lengths = _lengths_of(call.inputs[1])
        return _irfft_grad_at(call, dy, _last(dy, rank), lengths, ops["rfft"], ()), None

    rfft_grad.__doc__ = _rfft_grad_at.__doc__
    irfft_grad.__doc__ = _irfft_grad_at.__doc__
    ops["rfft"] = register(
        f"RFFT{suffix}",
        kernel=rfft_kernel,
        grad=rfft_grad,
        infer=rfft_infer,
        allowed=FLOATING,
        shape_inputs=(1,),
    )
    ops["irfft"] = register(
        f"IRFFT{suffix}",
        kernel=irfft_kernel,
        grad=irfft_grad,
        infer=irfft_infer,
        allowed=COMPLEX,
        shape_inputs=(1,),
    )
    return ops["rfft"], ops["irfft"]


_RFFT, _IRFFT = _register_real_pair(1)
_RFFT2D, _IRFFT2D = _register_real_pair(2)
_RFFT3D, _IRFFT3D = _register_real_pair(3)
_REAL_OPS = {1: (_RFFT, _IRFFT), 2: (_RFFT2D, _IRFFT2D), 3: (_RFFT3D, _IRFFT3D)}


def _real_input(x, fn: str, rank: int, want_complex: bool) -> Tensor:
    if not isinstance(x, (Tensor, np.ndarray, np.generic)):
        # TF converts Python values to its preferred dtype when they fit it.
        preferred = dtypes.complex64 if want_complex else dtypes.float32
        try:
            x = to_tensor(x, dtype=preferred)
        except (TypeError, ValueError):
            x = to_tensor(x)
    x = to_tensor(x)
    ok = x._dtype.is_complex if want_complex else x._dtype in _COMPLEX_OF
    if rank and x.shape.rank is not None and x.shape.rank < rank:
        raise ValueError(f"Shape {x.shape} must have rank at least {rank}")
    if not ok:
        kinds = "tf.complex64 or tf.complex128" if want_complex else "tf.float32 or tf.float64"
        raise ValueError(f"{fn} requires {kinds} inputs, got: {x!r}")
    return x


def _length_arg(fft_length, count: int, op_name: str) -> list:
    lengths = [int(n) for n in np.asarray(to_tensor(fft_length)._value).reshape(-1)]
    if len(lengths) != count:
        raise InvalidArgumentError(
            None,
            op_name,
            f"fft_length must have shape [{count}] [Op:{op_name}]: give one length per "
            f"transformed dimension, got {lengths}.",
        )
    return lengths


def _lengths_tensor(lengths) -> Tensor:
    return Tensor(np.asarray(lengths, dtype=np.int32), dtypes.int32)


def _real_example(rank: int, inverse: bool) -> str:
    fn = f"{'irfft' if inverse else 'rfft'}{_NAMES[rank].lower()}"
    dims = [2] * (rank - 1)
    given, out = (dims + [3], dims + [4]) if inverse else (dims + [4], dims + [3])
    dtype = "tf.complex64" if inverse else "tf.float32"
    return f"    >>> tf.signal.{fn}(tf.ones({given}, {dtype})).shape\n    TensorShape({out})\n    "


def _real_transform(rank: int, inverse: bool):
    op = _REAL_OPS[rank][int(inverse)]
    fn = "IRFFT" if inverse else "RFFT"

    def transform(input_tensor, fft_length=None, name=None) -> Tensor:
        x = _real_input(input_tensor, fn, rank, inverse)
        axes = _last(x, rank)
        dims = [x.shape.as_list()[a] for a in axes]
        if fft_length is None:
            if None in dims:
                raise ValueError(
                    f"tf.signal.{op.name.lower()} of a tensor whose inner dimensions are "
                    f"unknown ({x.shape}) needs an explicit fft_length."
                )
            lengths = list(dims)
            if inverse:
                lengths[-1] = max(0, 2 * (lengths[-1] - 1))
        else:
            lengths = _length_arg(fft_length, rank, op.name)
        target = list(lengths)
        if inverse:
            target[-1] = lengths[-1] // 2 + 1
        x = _fit_axes(x, target, axes)
        attrs = {"Treal": x._dtype.real_dtype} if inverse else {"Tcomplex": _COMPLEX_OF[x._dtype]}
        return execute(op, (x, _lengths_tensor(lengths)), attrs)

    transform.__name__ = transform.__qualname__ = op.name.lower()
    in_kind, out_kind = ("complex", "real") if inverse else ("real", "complex")
    transform.__doc__ = (
        f"The {rank}-D {'inverse ' if inverse else ''}DFT of a {in_kind} signal over its inner "
        f"{rank} dimension(s), giving a {out_kind} result (``tf.signal.{op.name.lower()}``).\n"
        f"\n    The input is cropped or zero-padded to ``fft_length`` "
        f"{'(the last dimension to fft_length // 2 + 1 bins) ' if inverse else ''}first.\n"
        f"\n    Args:\n        input_tensor: a {in_kind} tensor of rank >= {rank}.\n"
        f"        fft_length: {rank} int(s), the transform's length per dimension; by "
        f"default {'2 * (bins - 1) in the last dimension' if inverse else 'the input sizes'}.\n"
        f"\n    Returns:\n        A {out_kind} tensor: float32 <-> complex64, float64 <-> "
        f"complex128.\n\n    Raises:\n        ValueError: an input of the wrong dtype or of "
        f"rank below {rank}.\n        InvalidArgumentError: fft_length not of {rank} "
        f"length(s).\n\n    >>> import tensorflux as tf\n" + _real_example(rank, inverse)
    )
    return transform


rfft = _real_transform(1, False)
irfft = _real_transform(1, True)
rfft2d = _real_transform(2, False)
irfft2d = _real_transform(2, True)
rfft3d = _real_transform(3, False)
irfft3d = _real_transform(3, True)


# -- N-dimensional transforms over chosen axes: FFTND, IFFTND, RFFTND, IRFFTND ---


def _axes_of(t: Tensor, rank: int) -> tuple:
    return tuple(int(a) % rank for a in t._value.reshape(-1))


def _nd_complex_kernel(fn_name: str):
    def kernel(x, fft_length, axes):
        fn = getattr(np.fft, fn_name)
        axes = _nd_axes(x, axes)
        lengths = _check_lengths("FFTND", fft_length)
        shape = list(x.shape)
        for a, n in zip(axes, lengths, strict=True):
            shape[a] = n
        return _empty_or(shape, x.dtype, lambda: fn(x, s=lengths, axes=axes) if axes else x)

    return kernel


def _nd_axes_spec(axes: Spec):
    def resolve(n):
        value = axes.value if isinstance(axes.value, list) else None
        if value is None or None in value:
            return None
        return tuple(int(a) % n for a in value)

    return resolve


def _nd_complex_infer(x: Spec, fft_length: Spec, axes: Spec) -> Spec:
    return _real_infer(x, fft_length, _nd_axes_spec(axes), x.dtype, False)


def _fitted_to_input(call, grad, ax) -> Tensor:
    """``grad`` cropped or zero-padded back to the input's sizes along ``ax``: the adjoint
    of the padding or cropping that ``fft_length`` applied before the transform."""
    dims = static_dims(call.inputs[0])
    return _fit_axes(grad, [dims[a] for a in ax], ax)


def _fftnd_grad(call, dy):
    """d FFTND(x) = IFFTND(dy) * n over the same axes (the adjoint of the DFT), fitted
    to x."""
    _, fft_length, axes = call.inputs
    ax = _axes_of(axes, dy.shape.rank)
    scaled = execute(_MUL, (execute(_IFFTND, (dy, fft_length, axes)), _size(dy, ax)))
    return _fitted_to_input(call, scaled, ax), None, None


def _ifftnd_grad(call, dy):
    """d IFFTND(x) = FFTND(dy) / n over the same axes (the adjoint of the IDFT), fitted
    to x."""
    from tensorflux.ops.math_ops import _REALDIV

    _, fft_length, axes = call.inputs
    ax = _axes_of(axes, dy.shape.rank)
    spectrum = execute(_REALDIV, (execute(_FFTND, (dy, fft_length, axes)), _size(dy, ax)))
    return _fitted_to_input(call, spectrum, ax), None, None


_FFTND = register(
    "FFTND",
    kernel=_nd_complex_kernel("fftn"),
    grad=_fftnd_grad,
    infer=_nd_complex_infer,
    allowed=COMPLEX,
    shape_inputs=(1, 2),
)
_IFFTND = register(
    "IFFTND",
    kernel=_nd_complex_kernel("ifftn"),
    grad=_ifftnd_grad,
    infer=_nd_complex_infer,
    allowed=COMPLEX,
    shape_inputs=(1, 2),
)


def _rfftnd_kernel(x, fft_length, axes, Tcomplex):
    return _rfft_kernel_at(x, fft_length, _nd_axes(x, axes), Tcomplex, "RFFTND")


def _irfftnd_kernel(y, fft_length, axes, Treal):
    return _irfft_kernel_at(y, fft_length, _nd_axes(y, axes), Treal, "IRFFTND")


def _rfftnd_infer(x: Spec, fft_length: Spec, axes: Spec, Tcomplex) -> Spec:
    return _real_infer(x, fft_length, _nd_axes_spec(axes), Tcomplex, True)


def _irfftnd_infer(y: Spec, fft_length: Spec, axes: Spec, Treal) -> Spec:
    return _real_infer(y, fft_length, _nd_axes_spec(axes), Treal, False)


def _rfftnd_grad(call, dy):
    """d RFFTND(x) = Re(n * IFFTND(dy zero-padded to the full spectrum)), fitted to x."""
    _, fft_length, axes = call.inputs
    ax = _axes_of(axes, dy.shape.rank)
    grad = _rfft_grad_at(call, dy, ax, _lengths_of(fft_length), _IFFTND, (fft_length, axes))
    return grad, None, None


def _irfftnd_grad(call, dy):
    """d IRFFTND(y) = RFFTND(dy) * [1, 2, ..., 2, (1 if n even)] / prod(n), fitted to y."""
    _, fft_length, axes = call.inputs
    ax = _axes_of(axes, dy.shape.rank)
    grad = _irfft_grad_at(call, dy, ax, _lengths_of(fft_length), _RFFTND, (axes,))
    return grad, None, None


_RFFTND = register(
    "RFFTND",
    kernel=_rfftnd_kernel,
    grad=_rfftnd_grad,
    infer=_rfftnd_infer,
    allowed=FLOATING,
    shape_inputs=(1, 2),
)
_IRFFTND = register(
    "IRFFTND",
    kernel=_irfftnd_kernel,
    grad=_irfftnd_grad,
    infer=_irfftnd_infer,
    allowed=COMPLEX,
    shape_inputs=(1, 2),
)


def _nd_args(x: Tensor, fft_length, axes, inverse_real: bool, fn: str):
    rank = x.shape.rank
    axes = list(range(rank)) if axes is None else [int(a) for a in np.reshape(axes, -1)]
    if any(not -rank <= a < rank for a in axes):
        raise ValueError(f"{fn}: axes {axes} out of range for a tensor of rank {rank}.")
    axes = [a % rank for a in axes]
    dims = [x.shape.as_list()[a] for a in axes]
    if fft_length is None:
        lengths = list(dims)
        if inverse_real and lengths:
            lengths[-1] = max(0, 2 * (lengths[-1] - 1))
    else:
        lengths = _length_arg(fft_length, len(axes), fn.rsplit(".", 1)[-1].upper())
    target = list(lengths)
    if inverse_real and target:
        target[-1] = lengths[-1] // 2 + 1
    return _fit_axes(x, target, axes), lengths, axes


def _norm_scale(x: Tensor, lengths, norm, inverse: bool, fn: str) -> Tensor:
    """TF scales the input: by 1/n ("forward") or 1/sqrt(n) ("ortho"), the inverse by n."""
    if norm in (None, "backward"):
        return x
    if norm not in ("forward", "ortho"):
        raise ValueError(f'{fn}: norm must be "backward", "forward" or "ortho", got {norm!r}.')
    n = float(np.prod(lengths)) if lengths else 1.0
    scale = n if norm == "forward" else float(np.sqrt(n))
    return execute(_MUL, (x, _const(scale if inverse else 1.0 / scale, x)))


def _nd_transform(op_name: str):
    real_in, inverse = op_name == "RFFTND", op_name in ("IFFTND", "IRFFTND")

    def transform(input_tensor, fft_length=None, axes=None, norm=None, name=None) -> Tensor:
        fn = f"tf.signal.{op_name.lower()}"
        if op_name in ("FFTND", "IFFTND"):
            x = _complex_input(input_tensor, op_name, 0)
        else:
            x = _real_input(input_tensor, "IRFFT" if inverse else "RFFT", 0, inverse)
        x, lengths, axes = _nd_args(x, fft_length, axes, op_name == "IRFFTND", fn)
        x = _norm_scale(x, lengths, norm, inverse, fn)
        inputs = (x, _lengths_tensor(lengths), _lengths_tensor(axes))
        attrs = {}
        if real_in:
            attrs = {"Tcomplex": _COMPLEX_OF[x._dtype]}
        elif op_name == "IRFFTND":
            attrs = {"Treal": x._dtype.real_dtype}
        op = {"FFTND": _FFTND, "IFFTND": _IFFTND, "RFFTND": _RFFTND, "IRFFTND": _IRFFTND}
        return execute(op[op_name], inputs, attrs)

    transform.__name__ = transform.__qualname__ = op_name.lower()
    return transform


fftnd = _nd_transform("FFTND")
ifftnd = _nd_transform("IFFTND")
rfftnd = _nd_transform("RFFTND")
irfftnd = _nd_transform("IRFFTND")
fftnd.__doc__ = """The N-D discrete Fourier transform over ``axes`` (``tf.signal.fftnd``).

    Args:
        input_tensor: a complex64 or complex128 tensor.
        fft_length: one length per axis (the input is cropped or zero-padded to it); by
            default the input's sizes.
        axes: the axes to transform; by default all of them.
        norm: "backward" (None: no scaling), "forward" (1/n) or "ortho" (1/sqrt(n)).

    Returns:
        A complex tensor of the input's dtype.

    Raises:
        InvalidArgumentError: a real input.
        ValueError: axes out of range, or fft_length of the wrong length.

    >>> import tensorflux as tf
    >>> tf.signal.fftnd(tf.ones([2, 2], tf.complex64)).numpy()
    array([[4.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j]], dtype=complex64)
    """
ifftnd.__doc__ = """The N-D inverse DFT over ``axes`` (``tf.signal.ifftnd``); arguments as
    ``fftnd``, with "forward" scaling by n and "ortho" by sqrt(n).

    Raises:
        InvalidArgumentError: a real input.

    >>> import tensorflux as tf
    >>> tf.signal.ifftnd(tf.ones([2], tf.complex64)).numpy()
    array([1.+0.j, 0.+0.j], dtype=complex64)
    """
rfftnd.__doc__ = """The N-D DFT of a real signal over ``axes``, keeping the last axis'
    ``n // 2 + 1`` non-negative frequencies (``tf.signal.rfftnd``); arguments as ``fftnd``.

    Raises:
        ValueError: a non-float input.

    >>> import tensorflux as tf
    >>> tf.signal.rfftnd(tf.ones([2, 2])).numpy()
    array([[4.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j]], dtype=complex64)
    """
irfftnd.__doc__ = """The inverse of ``rfftnd`` (``tf.signal.irfftnd``): a real signal whose
    last transformed axis has ``fft_length[-1]`` points (by default ``2 * (bins - 1)``).

    Raises:
        ValueError: a non-complex input.

    >>> import tensorflux as tf
    >>> tf.signal.irfftnd(tf.constant([[4.0 + 0j, 0j], [0j, 0j]], tf.complex64)).numpy()
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
