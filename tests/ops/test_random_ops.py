"""Tests for tensorflux/ops/random_ops.py: seeding semantics, distributions, dtypes, errors."""

import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.engine.registry import Spec
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.ops import random_ops


@pytest.fixture(autouse=True)
def _no_global_seed():
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


# name, sampler(seed) -> Tensor
SAMPLERS = [
    ("normal", lambda seed=None: tf.random.normal([3, 2], seed=seed)),
    ("uniform", lambda seed=None: tf.random.uniform([3, 2], seed=seed)),
    (
        "uniform_int",
        lambda seed=None: tf.random.uniform([6], maxval=1000, dtype=tf.int64, seed=seed),
    ),
    ("truncated_normal", lambda seed=None: tf.random.truncated_normal([5], seed=seed)),
    ("categorical", lambda seed=None: tf.random.categorical([[0.0, 0.0, 0.0]] * 3, 8, seed=seed)),
    ("shuffle", lambda seed=None: tf.random.shuffle(tf.range(20), seed=seed)),
]
IDS = [s[0] for s in SAMPLERS]


@pytest.mark.parametrize("name,sample", SAMPLERS, ids=IDS)
def test_global_seed_reproduces_sequence(name, sample):
    tf.random.set_seed(42)
    first = [sample().numpy(), sample().numpy()]
    assert not np.array_equal(*first)
    tf.random.set_seed(42)
    again = [sample().numpy(), sample().numpy()]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,sample", SAMPLERS, ids=IDS)
def test_op_seed_repeats_stream(name, sample):
    tf.random.set_seed(3)
    a, b = sample(seed=1).numpy(), sample(seed=1).numpy()
    assert not np.array_equal(a, b)
    tf.random.set_seed(3)
    np.testing.assert_array_equal(sample(seed=1).numpy(), a)
    np.testing.assert_array_equal(sample(seed=1).numpy(), b)


def test_op_seed_stream_independent_of_unseeded_ops():
    tf.random.set_seed(9)
    a = tf.random.uniform([4], seed=5).numpy()
    tf.random.set_seed(9)
    tf.random.normal([10])
    np.testing.assert_array_equal(tf.random.uniform([4], seed=5).numpy(), a)


def test_op_seed_without_global_seed_is_deterministic_across_runs():
    code = (
        "import tensorflux as tf; a = tf.random.uniform([3], seed=7); "
        "b = tf.random.uniform([3], seed=7); print(a.numpy().tolist() + b.numpy().tolist())"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    values = [float(v) for v in runs[0].strip("[]\n").split(",")]
    assert values[:3] != values[3:]


def test_no_seed_differs():
    assert not np.array_equal(tf.random.uniform([8]).numpy(), tf.random.uniform([8]).numpy())


def test_distributions_and_dtypes():
    tf.random.set_seed(0)
    n = tf.random.normal([4000], mean=2.0, stddev=3.0)
    assert n.dtype == tf.float32 and n.shape == (4000,)
    assert abs(float(np.mean(n.numpy())) - 2.0) < 0.3
    assert abs(float(np.std(n.numpy())) - 3.0) < 0.3
    u = tf.random.uniform([2000], minval=-1.0, maxval=3.0, dtype=tf.float64)
    assert u.dtype == tf.float64
    assert u.numpy().min() >= -1.0 and u.numpy().max() < 3.0
    i = tf.random.uniform([2000], minval=-2, maxval=3, dtype=tf.int32)
    assert i.dtype == tf.int32 and set(np.unique(i.numpy())) == {-2, -1, 0, 1, 2}
    t = tf.random.truncated_normal([2000], stddev=0.5)
    assert np.abs(t.numpy()).max() <= 1.0
    h = tf.random.normal([3], dtype=tf.float16)
    assert h.dtype == tf.float16
    assert tf.random.normal(tf.constant([2, 3])).shape == (2, 3)
    assert tf.random.normal([]).shape == ()
    lo = tf.random.uniform([2], minval=[1.0, 2.0], maxval=3.0).numpy()
    assert lo[0] >= 1.0 and lo[1] >= 2.0


def test_categorical():
    tf.random.set_seed(1)
    out = tf.random.categorical([[np.log(0.1), np.log(0.9)], [0.0, -np.inf]], 2000)
    assert out.dtype == tf.int64 and out.shape == (2, 2000)
    assert 0.85 < out.numpy()[0].mean() < 0.95
    assert (out.numpy()[1] == 0).all()
    assert tf.random.categorical([[0.0, 1.0]], 3, dtype=tf.int32).dtype == tf.int32
    masked = tf.random.categorical([[-np.inf, 0.0, -np.inf]], 50).numpy()
    assert (masked == 1).all()


def test_shuffle():
    x = np.arange(12).reshape(6, 2)
    out = tf.random.shuffle(x, seed=2).numpy()
    assert sorted(map(tuple, out)) == sorted(map(tuple, x))
    assert int(tf.random.shuffle(5)) == 5


def test_mean_stddev_receive_gradients():
    mean, std = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([mean, std])
        x = tf.random.normal([5], mean=mean, stddev=std, seed=1)
    assert float(tape.gradient(x, mean)) == 5.0
    assert tape.gradient(x, std) is not None


def test_infer():
    shape = Spec(tf.int32, tf.TensorShape([2]), [2, 3])
    spec = random_ops._NORMAL.infer(shape, dtype=tf.float32, seed=0, seed2=0)
    assert spec == Spec(tf.float32, tf.TensorShape([2, 3]))
    traced = Spec(tf.int32, tf.TensorShape([2]), [None, 3])
    spec = random_ops._NORMAL.infer(traced, dtype=tf.float32, seed=0, seed2=0)
    assert spec.shape.as_list() == [None, 3]
    scalar = Spec(tf.int32, tf.TensorShape([]))
    spec = random_ops._UNIFORM_INT.infer(
        Spec(tf.int32, tf.TensorShape([1]), [4]), scalar, scalar, dtype=tf.int32, seed=0, seed2=0
    )
    assert spec.dtype == tf.int32 and spec.shape == (4,)
    spec = random_ops._MULTINOMIAL.infer(
        Spec(tf.float32, tf.TensorShape([None, 5])),
        num_samples=3,
        output_dtype=tf.int64,
        seed=0,
        seed2=0,
    )
    assert spec.dtype == tf.int64 and spec.shape.as_list() == [None, 3]
    spec = random_ops._SHUFFLE.infer(Spec(tf.float32, tf.TensorShape([None, 2])), seed=0, seed2=0)
    assert spec.shape.as_list() == [None, 2]


def test_ops_are_not_differentiable():
    for op in (
        random_ops._NORMAL,
        random_ops._UNIFORM,
        random_ops._UNIFORM_INT,
        random_ops._TRUNCATED_NORMAL,
        random_ops._MULTINOMIAL,
        random_ops._SHUFFLE,
    ):
        assert op.grad is None


ERRORS = [
    (
        lambda: tf.random.uniform([2], dtype=tf.int32),
        ValueError,
        "Must specify maxval for integer dtype tf.int32",
    ),
    (
        lambda: tf.random.uniform([2], maxval=0, dtype=tf.int32),
        InvalidArgumentError,
        "Need minval < maxval, got 0 >= 0",
    ),
    (
        lambda: tf.random.uniform([2], maxval=5, dtype=tf.bool),
        ValueError,
        "Argument `dtype` got invalid value",
    ),
    (
        lambda: tf.random.normal([2], dtype=tf.int32),
        TypeError,
        "Cannot convert 0.0 to EagerTensor of dtype int32",
    ),
    (lambda: tf.random.truncated_normal([2], dtype=tf.int32), TypeError, "dtype int32"),
    (
        lambda: tf.random.categorical([[0.0, 1.0]], 3, dtype=tf.float32),
        ValueError,
        r"Accepted dtypes are \(tf.int32, tf.int64\)",
    ),
    (
        lambda: tf.random.categorical([0.0, 1.0], 3),
        InvalidArgumentError,
        r"logits should be a matrix, got shape \[2\]",
    ),
]


@pytest.mark.parametrize("fn,exc,msg", ERRORS)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()
