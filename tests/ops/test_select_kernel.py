"""SelectV2's kernel on large equal-shape operands (a bitwise blend) copies exactly the
bits np.where copies: every dtype it takes, NaN payloads, signed zeros, strided inputs."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import gather_ops

RNG = np.random.default_rng(5)
N = gather_ops._SELECT_BLEND_MIN * 3 + 7


def _operands(dtype, shape=(N,)):
    if np.dtype(dtype).kind == "b":
        return RNG.random(shape) < 0.5, RNG.random(shape) < 0.5
    if np.dtype(dtype).kind == "c":
        parts = RNG.standard_normal((4, *shape))
        return (parts[0] + 1j * parts[1]).astype(dtype), (parts[2] + 1j * parts[3]).astype(dtype)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return tuple(RNG.integers(info.min, info.max, shape, dtype, endpoint=True) for _ in "xy")
    x, y = (RNG.standard_normal(shape).astype(dtype) for _ in "xy")
    x.reshape(-1)[:4] = [np.nan, -0.0, np.inf, -np.inf]
    y.reshape(-1)[:4] = [-0.0, np.nan, -np.nan, 0.0]
    return x, y


def _same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize(
    "dtype",
    [
        "float16",
        "float32",
        "float64",
        "complex64",
        "int8",
        "uint8",
        "int16",
        "int32",
        "int64",
        "uint32",
        "uint64",
        "bool",
    ],
)
def test_the_blend_copies_np_where_bits(dtype):
    x, y = _operands(dtype)
    cond = RNG.random(N) < 0.5
    _same_bits(gather_ops._select_kernel(cond, x, y), np.where(cond, x, y))


def test_a_nan_payload_is_copied_unchanged():
    x = np.full(N, np.nan, np.float32)
    x.view(np.int32)[::2] = 0x7FC12345
    y = np.zeros(N, np.float32)
    cond = np.ones(N, bool)
    _same_bits(gather_ops._select_kernel(cond, x, y), x)


def test_strided_and_sorted_masks_and_several_chunks(monkeypatch):
    monkeypatch.setattr(gather_ops, "_SELECT_CHUNK", 1000)
    x, y = _operands("float32", (N, 3))
    x, y = x.T, y[:, ::-1].T  # neither C-contiguous
    cond = np.sort(RNG.random((3, N)) < 0.3, axis=1)
    _same_bits(gather_ops._select_kernel(cond, x, y), np.where(cond, x, y))


@pytest.mark.parametrize(
    "case",
    ["broadcast", "small", "mixed dtypes", "complex128", "strings"],
)
def test_other_calls_are_np_where(case):
    cond = RNG.random(N) < 0.5
    x, y = _operands("float32")
    if case == "broadcast":
        args = (cond, x, np.float32(2.5))
    elif case == "small":
        args = (cond[:10], x[:10], y[:10])
    elif case == "mixed dtypes":
        args = (cond, x, y.astype(np.float64))
    elif case == "complex128":
        args = (cond, *_operands("complex128"))
    else:
        args = (cond, np.full(N, b"a", object), np.full(N, b"bc", object))
    got = gather_ops._select_kernel(*args)
    expected = np.where(*args)
    if case == "strings":
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
    else:
        _same_bits(got, expected)


def test_tf_where_and_its_gradient_on_a_large_random_mask():
    x = tf.constant(RNG.standard_normal(N).astype(np.float32))
    y = tf.constant(RNG.standard_normal(N).astype(np.float32))
    cond = RNG.random(N) < 0.5
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        out = tf.where(cond, x, y)
    np.testing.assert_array_equal(out.numpy(), np.where(cond, x.numpy(), y.numpy()))
    np.testing.assert_array_equal(tape.gradient(out, x).numpy(), cond.astype(np.float32))
    np.testing.assert_array_equal(tape.gradient(out, y).numpy(), (~cond).astype(np.float32))
