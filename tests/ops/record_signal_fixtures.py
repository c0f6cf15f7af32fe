"""Records reference values of TF's ``tf.signal`` functions, ``tf.complex`` and
``tf.math.angle`` into tests/fixtures/signal_ops.json.

Run with a Python that has TensorFlow installed (the test suite itself never imports it):

    python tests/ops/record_signal_fixtures.py

Each case is an expression in ``tf`` and the stored inputs ``x`` (and ``y``): the test
evaluates the same expression with tensorflux. Recorded per case: the value and its
dtype, and for differentiable cases the gradient of ``sum(Re(out) * wr + Im(out) * wi)``
(TF's convention for complex inputs: ``dL/dRe + i dL/dIm``). Error cases record the
exception's type. Inputs are rounded so that JSON keeps them exactly.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "signal_ops.json")
rng = np.random.default_rng(11)


def real(*shape, dtype="float32"):
    return np.round(rng.normal(size=shape), 3).astype(dtype)


def cplx(*shape, dtype="complex64"):
    return (real(*shape, dtype="float64") + 1j * real(*shape, dtype="float64")).astype(dtype)


def encode(a):
    a = np.asarray(a)
    if a.dtype.kind == "c":
        return {
            "dtype": a.dtype.name,
            "shape": list(a.shape),
            "re": a.real.tolist(),
            "im": a.imag.tolist(),
        }
    return {"dtype": a.dtype.name, "shape": list(a.shape), "v": a.tolist()}


# (expression, inputs, record the gradient w.r.t. x)
VALUE_CASES = [
    ("tf.signal.fft(x)", {"x": cplx(2, 5)}, True),
    ("tf.signal.ifft(x)", {"x": cplx(3, 4, dtype="complex128")}, True),
    ("tf.signal.fft2d(x)", {"x": cplx(2, 3, 5)}, True),
    ("tf.signal.ifft2d(x)", {"x": cplx(3, 4)}, True),
    ("tf.signal.fft3d(x)", {"x": cplx(2, 3, 2, 3)}, True),
    ("tf.signal.ifft3d(x)", {"x": cplx(2, 2, 3, dtype="complex128")}, True),
    ("tf.signal.rfft(x)", {"x": real(2, 5)}, True),
    ("tf.signal.rfft(x)", {"x": real(3, 6, dtype="float64")}, True),
    ("tf.signal.rfft(x, [8])", {"x": real(2, 5)}, True),
    ("tf.signal.rfft(x, [4])", {"x": real(2, 7)}, False),
    ("tf.signal.rfft(x, [3])", {"x": real(4)}, False),
    ("tf.signal.rfft([1, 2, 3, 4])", {}, False),
    ("tf.signal.irfft([1 + 0j, 2])", {}, False),
    ("tf.signal.fft([1 + 0j, 2])", {}, False),
    ("tf.signal.irfft(x)", {"x": cplx(2, 5)}, True),
    ("tf.signal.irfft(x, [9])", {"x": cplx(2, 5)}, True),
    ("tf.signal.irfft(x, [12])", {"x": cplx(3, 4, dtype="complex128")}, False),
    ("tf.signal.irfft(x, [4])", {"x": cplx(2, 6)}, False),
    ("tf.signal.rfft2d(x)", {"x": real(2, 3, 5)}, True),
    ("tf.signal.rfft2d(x, [4, 6])", {"x": real(3, 5)}, True),
    ("tf.signal.irfft2d(x)", {"x": cplx(2, 3, 4)}, True),
    ("tf.signal.irfft2d(x, [3, 5])", {"x": cplx(3, 3, dtype="complex128")}, True),
    ("tf.signal.rfft3d(x)", {"x": real(2, 2, 3, 4)}, False),
    ("tf.signal.irfft3d(x, [2, 3, 5])", {"x": cplx(2, 3, 3)}, False),
    ("tf.signal.fftshift(x)", {"x": real(5)}, False),
    ("tf.signal.fftshift(x, axes=1)", {"x": real(3, 4)}, False),
    ("tf.signal.ifftshift(x)", {"x": real(3, 5)}, False),
    ("tf.signal.ifftshift(x, axes=[0])", {"x": real(5, 2)}, False),
    ("tf.signal.frame(x, 3, 2)", {"x": real(2, 9)}, True),
    ("tf.signal.frame(x, 4, 3, pad_end=True, pad_value=-1.5)", {"x": real(2, 9)}, False),
    ("tf.signal.frame(x, 2, 1, axis=0)", {"x": real(5, 3)}, True),
    ("tf.signal.frame(x, 3, 2, pad_end=True, axis=-2)", {"x": real(2, 6, 2)}, True),
    ("tf.signal.frame(x, 5, 2)", {"x": real(3)}, False),
    ("tf.signal.overlap_and_add(x, 2)", {"x": real(2, 4, 5)}, True),
    ("tf.signal.overlap_and_add(x, 3)", {"x": real(3, 3)}, True),
    ("tf.signal.overlap_and_add(x, 4)", {"x": real(3, 3)}, True),
    ("tf.signal.hann_window(7)", {}, False),
    ("tf.signal.hann_window(6, periodic=False, dtype=tf.float64)", {}, False),
    ("tf.signal.hann_window(1)", {}, False),
    ("tf.signal.hann_window(0)", {}, False),
    ("tf.signal.hamming_window(8)", {}, False),
    ("tf.signal.hamming_window(5, periodic=False)", {}, False),
    ("tf.signal.kaiser_window(7)", {}, False),
    ("tf.signal.kaiser_window(6, beta=3.0, dtype=tf.float64)", {}, False),
    ("tf.signal.kaiser_window(1)", {}, False),
    ("tf.signal.kaiser_bessel_derived_window(8)", {}, False),
    ("tf.signal.kaiser_bessel_derived_window(7, beta=4.0)", {}, False),
    ("tf.signal.vorbis_window(8)", {}, False),
    ("tf.signal.vorbis_window(5, dtype=tf.float64)", {}, False),
    ("tf.signal.stft(x, 8, 4)", {"x": real(40)}, True),
    ("tf.signal.stft(x, 6, 3, fft_length=10, pad_end=True)", {"x": real(2, 17)}, True),
    ("tf.signal.stft(x, 5, 2, window_fn=None)", {"x": real(12, dtype="float64")}, True),
    ("tf.signal.stft(x, 16, 8)", {"x": real(10)}, False),
    ("tf.signal.stft(x, 7, 3, window_fn=tf.signal.hamming_window)", {"x": real(20)}, False),
    ("tf.signal.inverse_stft(x, 8, 4)", {"x": cplx(5, 5)}, True),
    ("tf.signal.inverse_stft(x, 6, 2, fft_length=8)", {"x": cplx(2, 4, 5)}, False),
    (
        "tf.signal.inverse_stft(x, 8, 2, window_fn=tf.signal.inverse_stft_window_fn(2))",
        {"x": cplx(4, 5)},
        False,
    ),
    ("tf.signal.inverse_stft_window_fn(3)(7, dtype=tf.float32)", {}, False),
    (
        "tf.signal.inverse_stft_window_fn(2, tf.signal.hamming_window)(8, dtype=tf.float64)",
        {},
        False,
    ),
    ("tf.signal.linear_to_mel_weight_matrix()", {}, False),
    ("tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 0.0, 4000.0)", {}, False),
    ("tf.signal.linear_to_mel_weight_matrix(8, 33, 16000, 20.0, 7600.0, tf.float64)", {}, False),
    ("tf.signal.linear_to_mel_weight_matrix(3, 6, 22050, 300.0, 3000.0)", {}, False),
    ("tf.signal.mfccs_from_log_mel_spectrograms(x)", {"x": real(3, 8)}, True),
    ("tf.signal.dct(x)", {"x": real(2, 5)}, True),
    ("tf.signal.dct(x, type=1)", {"x": real(2, 5)}, True),
    ("tf.signal.dct(x, type=3, norm='ortho')", {"x": real(2, 6, dtype="float64")}, True),
    ("tf.signal.dct(x, type=4, n=7)", {"x": real(2, 5)}, True),
    ("tf.signal.dct(x, type=2, n=3, norm='ortho')", {"x": real(4, 5)}, True),
    ("tf.signal.idct(x)", {"x": real(3, 4)}, True),
    ("tf.signal.idct(x, type=3, norm='ortho')", {"x": real(3, 4)}, False),
    ("tf.signal.idct(x, type=1)", {"x": real(6)}, False),
    ("tf.signal.idct(x, type=4, norm='ortho')", {"x": real(2, 4)}, False),
    ("tf.signal.mdct(x, 8)", {"x": real(2, 20)}, True),
    ("tf.signal.mdct(x, 4, pad_end=True, norm='ortho')", {"x": real(11)}, False),
    ("tf.signal.mdct(x, 8, window_fn=None)", {"x": real(16, dtype="float64")}, False),
    (
        "tf.signal.mdct(x, 8, window_fn=tf.signal.kaiser_bessel_derived_window)",
        {"x": real(16)},
        False,
    ),
    ("tf.signal.inverse_mdct(x)", {"x": real(3, 4)}, True),
    ("tf.signal.inverse_mdct(x, norm='ortho', window_fn=None)", {"x": real(2, 3, 6)}, False),
    ("tf.complex(x, y)", {"x": real(2, 3), "y": real(3)}, True),
    ("tf.complex(x, y)", {"x": real(2, dtype="float64"), "y": real(2, dtype="float64")}, False),
    ("tf.math.angle(x)", {"x": cplx(2, 3)}, True),
    ("tf.math.angle(x)", {"x": np.array([-1.5, 0.0, 2.0], np.float32)}, False),
    ("tf.abs(x)", {"x": cplx(4, dtype="complex128")}, True),
    ("tf.math.real(x) * tf.math.imag(x)", {"x": cplx(4)}, True),
    ("tf.math.conj(x) * x", {"x": cplx(3)}, True),
]

ERROR_CASES = [
    ("tf.signal.fft(x)", {"x": real(4)}),
    ("tf.signal.ifft2d(x)", {"x": real(2, 4)}),
    ("tf.signal.fft(x)", {"x": cplx(1)[0]}),
    ("tf.signal.fft2d(x)", {"x": cplx(3)}),
    ("tf.signal.rfft(x)", {"x": cplx(4)}),
    ("tf.signal.rfft(x)", {"x": np.arange(4, dtype=np.int32)}),
    ("tf.signal.irfft(x)", {"x": real(4)}),
    ("tf.signal.rfft2d(x)", {"x": real(4)}),
    ("tf.signal.rfft(x, fft_length=[2, 3])", {"x": real(2, 3)}),
    ("tf.signal.irfft2d(x, fft_length=[4])", {"x": cplx(2, 3)}),
    ("tf.signal.dct(x)", {"x": np.arange(4, dtype=np.int32)}),
    ("tf.signal.mfccs_from_log_mel_spectrograms(x)", {"x": np.ones((2, 3), np.int32)}),
    ("tf.math.angle(x)", {"x": np.arange(3, dtype=np.int32)}),
    ("tf.signal.frame(x, 2, 1)", {"x": real(1)[0]}),
    ("tf.signal.frame(x, -1, 1)", {"x": real(3)}),
    ("tf.signal.frame(x, 2, 0)", {"x": real(3)}),
    ("tf.signal.overlap_and_add(x, 1)", {"x": real(3)}),
    ("tf.signal.overlap_and_add(x, 1.0)", {"x": real(2, 3)}),
    ("tf.signal.hann_window(4, dtype=tf.int32)", {}),
    ("tf.signal.dct(x, type=5)", {"x": real(4)}),
    ("tf.signal.dct(x, type=1, norm='ortho')", {"x": real(4)}),
    ("tf.signal.dct(x, axis=0)", {"x": real(2, 4)}),
    ("tf.signal.dct(x, type=1)", {"x": real(2, 1)}),
    ("tf.signal.dct(x, norm='forward')", {"x": real(4)}),
    ("tf.signal.dct(x, n=0)", {"x": real(4)}),
    ("tf.signal.mdct(x, 6)", {"x": real(12)}),
    ("tf.signal.linear_to_mel_weight_matrix(0)", {}),
    ("tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 300.0, 200.0)", {}),
    ("tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, -1.0, 200.0)", {}),
    ("tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 4500.0)", {}),
    ("tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, dtype=tf.int32)", {}),
    ("tf.signal.mfccs_from_log_mel_spectrograms(x)", {"x": real(2, 0)}),
    ("tf.complex(x, y)", {"x": real(2), "y": real(2, dtype="float64")}),
]


def loss(out, wr, wi):
    if out.dtype.is_complex:
        return tf.reduce_sum(tf.math.real(out) * wr) + tf.reduce_sum(tf.math.imag(out) * wi)
    return tf.reduce_sum(out * wr)


def record_value(expr, inputs, grad):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    case = {"expr": expr, "inputs": {k: encode(v) for k, v in inputs.items()}}
    if not grad:
        case["out"] = encode(eval(expr, env).numpy())  # noqa: S307 - our own expressions
        return case
    with tf.GradientTape() as tape:
        tape.watch([env[k] for k in inputs])
        out = eval(expr, env)  # noqa: S307
        real_dtype = out.dtype.real_dtype
        wr = tf.constant(rng.uniform(0.5, 1.5, out.shape), real_dtype)
        wi = tf.constant(rng.uniform(0.5, 1.5, out.shape), real_dtype)
        total = loss(out, wr, wi)
    grads = tape.gradient(total, [env[k] for k in inputs])
    case["out"] = encode(out.numpy())
    case["wr"] = encode(wr.numpy())
    case["wi"] = encode(wi.numpy())
    case["grads"] = {k: encode(g.numpy()) for k, g in zip(inputs, grads)}
    return case


def record_error(expr, inputs):
    env = {"tf": tf, **{k: tf.constant(v) for k, v in inputs.items()}}
    try:
        eval(expr, env)  # noqa: S307
    except Exception as e:  # noqa: BLE001 - the type is what is recorded
        return {
            "expr": expr,
            "inputs": {k: encode(v) for k, v in inputs.items()},
            "error": type(e).__name__,
        }
    raise AssertionError(f"{expr} did not fail in TF")


def main():
    fixtures = {
        "values": [record_value(*case) for case in VALUE_CASES],
        "errors": [record_error(*case) for case in ERROR_CASES],
    }
    with open(OUT, "w") as f:
        json.dump(fixtures, f)
    print(f"wrote {OUT}: {len(fixtures['values'])} value cases, {len(fixtures['errors'])} errors")


if __name__ == "__main__":
    main()
