"""Records where C's float32 ``logf``/``sincosf`` round differently from the exact value.

TensorFlow's float32 Box-Muller transform (``tf.random.normal``, ``truncated_normal``)
calls ``logf`` and ``sincosf`` of the platform's libm. glibc's versions (2.28 and later)
are accurate to within one unit in the last place but not always correctly rounded;
tensorflux computes the functions in float64 and rounds, then flips the results that
glibc rounds the other way. Their inputs take only 2**23 values each (a 23-bit
mantissa), so the exceptions form a small fixed table, written here to
``tensorflux/ops/data/libm_float32_rounding.npz``.

Run with any Python that has NumPy, on Linux with glibc:
    python tests/ops/record_libm_rounding.py
"""

import ctypes
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "tensorflux/ops/data/libm_float32_rounding.npz"


def _inputs():
    m = np.arange(1 << 23, dtype=np.uint32)
    u = (m | np.uint32(0x3F800000)).view(np.float32) - np.float32(1.0)
    log_in = np.maximum(u, np.float32(1.0e-7))
    angle_in = (u.astype(np.float64) * (2.0 * np.pi)).astype(np.float32)
    return log_in, angle_in


def _flips(exact: np.ndarray, libm_of) -> np.ndarray:
    """Indices where libm's float32 result differs from the correctly rounded one."""
    rounded = exact.astype(np.float32)
    # Only values near a rounding midpoint can be rounded the other way.
    other = np.nextafter(rounded, np.where(exact > rounded, np.inf, -np.inf).astype(np.float32))
    ulp = np.abs(other.astype(np.float64) - rounded.astype(np.float64))
    mid = (rounded.astype(np.float64) + other.astype(np.float64)) / 2
    near = np.nonzero(np.abs(exact - mid) < 0.45 * np.where(ulp > 0, ulp, 1))[0]
    got = np.array([libm_of(int(i)) for i in near], np.float32)
    bad = near[got != rounded[near]]
    if not np.all(got[got != rounded[near]] == other[bad]):
        raise RuntimeError("libm differs from the exact value by more than one rounding step")
    return bad.astype(np.uint32)


def main():
    libm = ctypes.CDLL("libm.so.6")
    logf = libm.logf
    logf.restype, logf.argtypes = ctypes.c_float, [ctypes.c_float]
    sincosf = libm.sincosf
    sincosf.restype = None
    sincosf.argtypes = [
        ctypes.c_float,
        ctypes.POINTER(ctypes.c_float),
        ctypes.POINTER(ctypes.c_float),
    ]
    log_in, angle_in = _inputs()
    s, c = ctypes.c_float(), ctypes.c_float()

    def sin_of(i):
        sincosf(float(angle_in[i]), ctypes.byref(s), ctypes.byref(c))
        return s.value

    def cos_of(i):
        sincosf(float(angle_in[i]), ctypes.byref(s), ctypes.byref(c))
        return c.value

    tables = {
        "log": _flips(np.log(log_in.astype(np.float64)), lambda i: logf(float(log_in[i]))),
        "sin": _flips(np.sin(angle_in.astype(np.float64)), sin_of),
        "cos": _flips(np.cos(angle_in.astype(np.float64)), cos_of),
    }
    # Gaps between sorted indices compress far better than the indices themselves.
    np.savez_compressed(OUT, **{k: np.diff(v, prepend=np.uint32(0)) for k, v in tables.items()})
    print({k: len(v) for k, v in tables.items()}, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
