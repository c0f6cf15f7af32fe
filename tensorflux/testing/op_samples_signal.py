"""Inference-table rows for the complex-number ops (Complex, Angle) and the Fourier
transforms (FFT ... IRFFT3D, FFTND ... IRFFTND).

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. Odd and even lengths, and lengths
shorter and longer than the input, are covered.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import complex_ops, fft_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample, f32, f64


def _c64(*shape):
    return (f32(*shape) + 1j * f32(*shape)).astype(np.complex64)


def _c128(*shape):
    return f64(*shape) + 1j * f64(*shape)


def _i32(*values):
    return np.array(values, np.int32)


add_sample("Complex", f32(2, 3), f32(3), Tout=dtypes.complex64)
add_sample("Complex", f64(2, 1), f64(1, 4), Tout=dtypes.complex128)
add_sample("Angle", _c64(2, 3), Tout=dtypes.float32)
add_sample("Angle", _c128(4), Tout=dtypes.float64)

for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    _shape = (2,) + (3,) * (_rank - 1) + (5,)
    for _name in (f"FFT{_suffix}", f"IFFT{_suffix}"):
        add_sample(_name, _c64(*_shape))
        add_sample(_name, _c128(*_shape))
    for _last in (5, 4, 8):
        _lengths = _i32(*((3,) * (_rank - 1) + (_last,)))
        add_sample(f"RFFT{_suffix}", f32(*_shape), _lengths, Tcomplex=dtypes.complex64)
        add_sample(f"RFFT{_suffix}", f64(*_shape), _lengths, Tcomplex=dtypes.complex128)
        add_sample(f"IRFFT{_suffix}", _c64(*_shape), _lengths, Treal=dtypes.float32)
        add_sample(f"IRFFT{_suffix}", _c128(*_shape), _lengths, Treal=dtypes.float64)

for _name in ("FFTND", "IFFTND"):
    add_sample(_name, _c64(2, 5), _i32(5, 2), _i32(1, 0))
    add_sample(_name, _c128(2, 3, 4), _i32(6), _i32(-1))
add_sample("RFFTND", f32(2, 5), _i32(4, 3), _i32(1, 0), Tcomplex=dtypes.complex64)
add_sample("RFFTND", f64(2, 3, 4), _i32(7), _i32(1), Tcomplex=dtypes.complex128)
add_sample("IRFFTND", _c64(2, 5), _i32(4, 3), _i32(1, 0), Treal=dtypes.float32)
add_sample("IRFFTND", _c128(2, 3, 4), _i32(7), _i32(1), Treal=dtypes.float64)
