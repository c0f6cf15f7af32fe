"""tf.signal, tf.complex and tf.math.angle: values, dtypes, gradients and errors against
TF fixtures (tests/ops/record_signal_fixtures.py), eager and inside tf.function;
finite-difference gradients (complex inputs with TF's dL/dRe + i dL/dIm convention);
the FFTND family against NumPy (TF 2.21 has no CPU kernel for it)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.testing import check_gradients, check_one_graph

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "signal_ops.json")) as f:
    FIXTURES = json.load(f)

_ERRORS = {
    "InvalidArgumentError": tf.errors.InvalidArgumentError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "NotImplementedError": NotImplementedError,
}


def decode(d):
    if "re" in d:
        value = (np.array(d["re"]) + 1j * np.array(d["im"])).astype(d["dtype"])
    else:
        value = np.array(d["v"], dtype=d["dtype"])
    return value.reshape(d["shape"])


def _tolerance(dtype):
    return (1e-9, 1e-9) if dtype in ("float64", "complex128") else (2e-5, 2e-5)


def _assert_close(got, want, what):
    rtol, atol = _tolerance(want.dtype.name)
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, TF gives {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, TF gives {want.shape}"
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * scale, err_msg=what)


def _loss(out, wr, wi):
    if out.dtype.is_complex:
        return tf.reduce_sum(tf.math.real(out) * wr) + tf.reduce_sum(tf.math.imag(out) * wi)
    return tf.reduce_sum(out * wr)


VALUE_IDS = [f"{i}:{c['expr']}" for i, c in enumerate(FIXTURES["values"])]


@pytest.mark.parametrize("case", FIXTURES["values"], ids=VALUE_IDS)
def test_values_and_gradients_match_tf(case):
    inputs = {k: tf.constant(decode(v)) for k, v in case["inputs"].items()}
    env = {"tf": tf, **inputs}
    want = decode(case["out"])
    if "grads" not in case:
        out = eval(case["expr"], env)  # noqa: S307 - the fixture's own expressions
        _assert_close(out.numpy(), want, case["expr"])
        return
    wr, wi = tf.constant(decode(case["wr"])), tf.constant(decode(case["wi"]))
    with tf.GradientTape() as tape:
        tape.watch(list(inputs.values()))
        out = eval(case["expr"], env)  # noqa: S307
        total = _loss(out, wr, wi)
    _assert_close(out.numpy(), want, case["expr"])
    grads = tape.gradient(total, list(inputs.values()))
    for (name, g), recorded in zip(zip(inputs, grads), case["grads"].values()):
        _assert_close(g.numpy(), decode(recorded), f"d/d{name} of {case['expr']}")


@pytest.mark.parametrize("case", FIXTURES["values"][::3], ids=VALUE_IDS[::3])
def test_values_inside_tf_function(case):
    inputs = {k: tf.constant(decode(v)) for k, v in case["inputs"].items()}
    names = sorted(inputs)

    def fn(*args):
        return eval(case["expr"], {"tf": tf, **dict(zip(names, args))})  # noqa: S307

    out = tf.function(fn)(*[inputs[k] for k in names])
    _assert_close(out.numpy(), decode(case["out"]), case["expr"])


@pytest.mark.parametrize(
    "case", FIXTURES["errors"], ids=[f"{i}:{c['expr']}" for i, c in enumerate(FIXTURES["errors"])]
)
def test_errors_match_tf(case):
    env = {"tf": tf, **{k: tf.constant(decode(v)) for k, v in case["inputs"].items()}}
    with pytest.raises(_ERRORS[case["error"]]):
        eval(case["expr"], env)  # noqa: S307


# -- finite differences, float64 / complex128 ------------------------------------

_rng = np.random.default_rng(3)


def _r(*shape):
    return _rng.normal(size=shape)


def _c(*shape):
    return _r(*shape) + 1j * _r(*shape)


@pytest.mark.parametrize("name", ["fft", "ifft", "fft2d", "ifft2d"])
def test_complex_fft_gradients(name):
    check_gradients(getattr(tf.signal, name), [_c(2, 3, 5)], order=2)


def test_fft3d_gradients():
    check_gradients(tf.signal.fft3d, [_c(2, 2, 3)], order=2)
    check_gradients(tf.signal.ifft3d, [_c(1, 2, 2, 3)])


@pytest.mark.parametrize("n", [5, 6, 3, 8])
def test_rfft_irfft_gradients_odd_even_shorter_longer(n):
    check_gradients(lambda x: tf.signal.rfft(x, [n]), [_r(2, 5)], order=2)
    check_gradients(lambda z: tf.signal.irfft(z, [n]), [_c(2, 4)], order=2)
    check_gradients(lambda x: tf.signal.rfft2d(x, [2, n]), [_r(3, 5)], order=2)
    check_gradients(lambda z: tf.signal.irfft2d(z, [3, n]), [_c(2, 4)], order=2)


def test_rfft3d_irfft3d_gradients():
    check_gradients(lambda x: tf.signal.rfft3d(x, [2, 2, 5]), [_r(2, 2, 4)])
    check_gradients(lambda z: tf.signal.irfft3d(z, [2, 2, 4]), [_c(2, 2, 3)])


def test_nd_transforms_match_numpy():
    z, x = _c(2, 3, 4), _r(2, 3, 5)
    np.testing.assert_allclose(tf.signal.fftnd(z).numpy(), np.fft.fftn(z))
    np.testing.assert_allclose(
        tf.signal.ifftnd(z, [5], axes=[1]).numpy(), np.fft.ifftn(z, s=[5], axes=[1])
    )
    np.testing.assert_allclose(
        tf.signal.rfftnd(x, [4, 6], axes=[0, 2]).numpy(), np.fft.rfftn(x, s=[4, 6], axes=[0, 2])
    )
    np.testing.assert_allclose(
        tf.signal.irfftnd(z, [3, 7], axes=[2, 1]).numpy(), np.fft.irfftn(z, s=[3, 7], axes=[2, 1])
    )
    np.testing.assert_allclose(
        tf.signal.fftnd(z, axes=[-1], norm="ortho").numpy(), np.fft.fft(z, norm="ortho")
    )
    np.testing.assert_allclose(
        tf.signal.irfftnd(z, axes=[0, 2], norm="forward").numpy(),
        np.fft.irfftn(z, axes=[0, 2], norm="forward"),
    )
    assert tf.signal.fftnd(tf.ones([2, 2], tf.complex64)).dtype == tf.complex64
    assert tf.signal.rfftnd(tf.ones([2, 2])).dtype == tf.complex64
    assert tf.fftnd is tf.signal.fftnd


def test_nd_transform_gradients():
    check_gradients(lambda z: tf.signal.fftnd(z, [4, 2], axes=[1, 0]), [_c(2, 4)], order=2)
    check_gradients(lambda z: tf.signal.ifftnd(z, axes=[0], norm="ortho"), [_c(3, 2)])
    check_gradients(lambda x: tf.signal.rfftnd(x, [5, 2], axes=[1, 0]), [_r(2, 5)], order=2)
    check_gradients(lambda z: tf.signal.irfftnd(z, [3, 4], axes=[1, 0]), [_c(3, 3)], order=2)
    # fft_length longer than the input (zero padding) on one axis, shorter (cropping) on
    # the other: the gradient comes back at the input's shape.
    check_gradients(lambda z: tf.signal.fftnd(z, [6, 1], axes=[1, 0]), [_c(2, 4)], order=2)
    check_gradients(lambda z: tf.signal.ifftnd(z, [1, 5], axes=[0, 1]), [_c(3, 2)], order=2)


def test_signal_function_gradients():
    check_gradients(lambda x: tf.signal.frame(x, 3, 2, pad_end=True), [_r(2, 8)], order=2)
    check_gradients(lambda x: tf.signal.overlap_and_add(x, 2), [_r(2, 3, 5)], order=2)
    check_gradients(lambda x: tf.signal.stft(x, 8, 3, pad_end=True), [_r(20)], order=2)
    check_gradients(lambda z: tf.signal.inverse_stft(z, 6, 2, 8), [_c(3, 5)])
    check_gradients(lambda x: tf.signal.mfccs_from_log_mel_spectrograms(x), [_r(2, 6)])
    check_gradients(lambda x: tf.signal.mdct(x, 8, pad_end=True), [_r(14)])
    check_gradients(lambda x: tf.signal.inverse_mdct(x, norm="ortho"), [_r(3, 4)])
    check_gradients(lambda x: tf.signal.fftshift(x), [_r(3, 4)])
    for kind in (1, 2, 3, 4):
        check_gradients(lambda x, k=kind: tf.signal.dct(x, type=k, n=6), [_r(2, 5)], order=2)


def test_complex_number_gradients():
    z = _c(4)
    check_gradients(tf.complex, [_r(2, 4), _r(4)], order=2)
    check_gradients(tf.math.angle, [z], order=2)
    check_gradients(tf.abs, [z], order=2)
    check_gradients(lambda z: tf.math.conj(z) * z + z * z, [z], order=2)
    check_gradients(lambda z, w: tf.math.divide_no_nan(z, w), [z, _c(4)], order=2)


def test_complex_dtypes_and_parts():
    z = tf.complex(tf.constant([1.0, -2.0]), tf.constant([0.5, 0.0]))
    assert z.dtype == tf.complex64
    assert tf.math.real(z).dtype == tf.float32
    np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle([1 + 0.5j, -2]), rtol=1e-6)
    assert tf.complex(tf.constant(1.0, tf.float64), tf.constant(2.0, tf.float64)).dtype == (
        tf.complex128
    )
    np.testing.assert_allclose(tf.sign(tf.constant([3 + 4j, 0j])).numpy(), [0.6 + 0.8j, 0])


def test_fft_of_real_input_names_the_attr_and_the_fix():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Tcomplex.*rfft"):
        tf.signal.fft(tf.constant([1.0, 2.0]))


def test_short_and_empty_signals():
    assert tf.signal.stft(tf.ones([3]), 4, 2).shape == (0, 3)
    assert tf.signal.frame(tf.ones([3]), 0, 1).shape == (4, 0)
    assert tf.signal.rfft(tf.ones([0, 4])).shape == (0, 3)
    assert tf.signal.hann_window(0).shape == (0,)


def test_stft_round_trip():
    x = tf.constant(_r(64))
    y = tf.signal.stft(x, 16, 4)
    back = tf.signal.inverse_stft(y, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    np.testing.assert_allclose(back.numpy()[12:-12], x.numpy()[12:52], atol=1e-10)


def test_mdct_round_trip():
    x = tf.constant(_r(40))
    padded = tf.pad(x, [[4, 4]])
    back = tf.signal.inverse_mdct(tf.signal.mdct(padded, 8, pad_end=True))
    np.testing.assert_allclose(back.numpy()[4:44], x.numpy(), atol=1e-10)


def test_ffts_trace_once_for_unknown_batch_dims():
    spec = [tf.TensorSpec([None, 6], tf.float32)]
    calls = [(tf.constant(_r(n, 6), tf.float32),) for n in (1, 3)]
    check_one_graph(lambda x: tf.signal.rfft(x), spec, calls)
    check_one_graph(lambda x: tf.signal.irfft(tf.signal.rfft(x), [6]), spec, calls)
    cspec = [tf.TensorSpec([None, 4], tf.complex64)]
    ccalls = [(tf.constant(_c(n, 4), tf.complex64),) for n in (2, 5)]
    check_one_graph(tf.signal.fft, cspec, ccalls)
    check_one_graph(lambda z: tf.signal.ifft2d(z), cspec, ccalls)


def test_gradient_inside_tf_function():
    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.abs(tf.signal.stft(x, 8, 4)))
        return tape.gradient(y, x)

    x = tf.constant(_r(24))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.abs(tf.signal.stft(x, 8, 4)))
    np.testing.assert_allclose(grad(x).numpy(), tape.gradient(y, x).numpy(), rtol=1e-10)


@pytest.mark.parametrize(
    "fn, dtype, inner",
    [
        (lambda x: tf.signal.rfft(x, [8]), tf.float64, [5]),
        (lambda z: tf.signal.irfft(z, [7]), tf.complex128, [4]),
        (lambda x: tf.signal.rfft2d(x), tf.float64, [3, 6]),
        (lambda z: tf.signal.fft(z), tf.complex128, [4]),
        (lambda x: tf.signal.stft(x, 6, 2), tf.float64, [11]),
    ],
)
def test_gradients_traced_with_unknown_batch_dims(fn, dtype, inner):
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.abs(fn(x)))
        return tape.gradient(y, x)

    traced = tf.function(grad, input_signature=[tf.TensorSpec([None, *inner], dtype)])
    for n in (1, 3):
        value = _c(n, *inner) if dtype.is_complex else _r(n, *inner)
        x = tf.constant(value, dtype)
        np.testing.assert_allclose(traced(x).numpy(), grad(x).numpy(), rtol=1e-9, atol=1e-12)


def test_check_gradients_catches_a_gradient_missing_the_conjugate():
    @tf.custom_gradient
    def half_square(z):
        def grad(dy):
            return dy * z  # TF's convention needs dy * conj(z)

        return z * z / 2, grad

    with pytest.raises(AssertionError, match="differs from finite differences"):
        check_gradients(half_square, [_c(3)])
    check_gradients(lambda z: z * z / 2, [_c(3)])
