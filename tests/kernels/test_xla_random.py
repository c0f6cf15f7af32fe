"""Random draws under ``jit_compile=True``: the XLA random kernels
(``tensorflux.kernels.xla.random``) give the executor's numbers, call after call, for
the legacy stateful ops (their streams' counters passed in and out), for
``tf.random.Generator`` (its state variable moved on) and for the stateless ops."""

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")

import tensorflux as tf  # noqa: E402
from tensorflux.kernels.xla import lowering  # noqa: E402


def _draws(jit_compile, make):
    """Three calls of a fresh ``tf.function`` of ``make``, after ``set_seed(7)``."""
    tf.random.set_seed(7)
    f = tf.function(make, jit_compile=jit_compile)
    return f, [[np.asarray(v) for v in f()] for _ in range(3)]


def _assert_same_calls(jitted, expected):
    for got, want in zip(jitted, expected):
        for a, b in zip(got, want):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def _assert_compiled(f):
    assert all(isinstance(c._run, lowering._JitRunner) for c in f._cache.values())


def _check_lowered_draws(make):
    """``make``'s draws compile (no fallback) and equal the executor's, call by call."""
    _, expected = _draws(False, make)
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        f, jitted = _draws(True, make)
    _assert_compiled(f)
    # Call after call the executor's numbers: each call moves the stream on.
    _assert_same_calls(jitted, expected)
    assert not np.array_equal(jitted[0][0], jitted[1][0])
    # set_seed restarts the streams of the compiled function too.
    tf.random.set_seed(7)
    np.testing.assert_array_equal(np.asarray(f()[0]), expected[0][0])


@pytest.mark.parametrize(
    "make",
    [
        lambda: [tf.random.uniform([5]), tf.random.uniform([2, 3], seed=4)],
        lambda: [
            tf.random.uniform([3], dtype=tf.float64),
            tf.random.uniform([9], dtype=tf.float16),
        ],
        lambda: [tf.random.uniform([7], dtype=tf.bfloat16, seed=1)],
        lambda: [
            tf.random.uniform([6], -5, 9, dtype=tf.int32),
            tf.random.uniform([5], -(2**40), 2**41, dtype=tf.int64, seed=2),
        ],
    ],
    ids=["float32", "float64_float16", "bfloat16", "int32_int64"],
)
def test_uniform_draws_lower_with_their_streams_counters(make):
    _check_lowered_draws(make)


@pytest.mark.parametrize(
    "make",
    [
        # 4099 normals: the last Philox call used in part; two ops, two streams.
        lambda: [tf.random.normal([4099]), tf.random.normal([3, 5], seed=2)],
        lambda: [tf.random.normal([7], dtype=tf.float16), tf.random.normal([6], dtype=tf.bfloat16)],
    ],
    ids=["float32", "float16_bfloat16"],
)
def test_normal_draws_lower_with_glibcs_rounding(make):
    _check_lowered_draws(make)


def _check_generator_draws(draws_of):
    """``draws_of(generator)`` compiles (no fallback) and gives the executor's numbers,
    call by call, with the generator's state moved on as the executor moves it."""

    def run(jit_compile):
        g = tf.random.Generator.from_seed(5)
        f = tf.function(lambda: draws_of(g), jit_compile=jit_compile)
        return f, [[np.asarray(v) for v in f()] for _ in range(3)], g.state.numpy()

    _, expected, expected_state = run(False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", lowering.XlaFallbackWarning)
        f, jitted, state = run(True)
    _assert_compiled(f)
    _assert_same_calls(jitted, expected)
    np.testing.assert_array_equal(state, expected_state)


def test_generator_and_stateless_uniform_draws_compile_with_the_executors_numbers():
    _check_generator_draws(
        lambda g: [
            g.uniform([4]),
            g.uniform([3], 0, 10, dtype=tf.int64),
            g.uniform_full_int([2], dtype=tf.int32),
            tf.random.stateless_uniform([5], seed=tf.constant([-3, 9], tf.int32)),
            tf.random.stateless_uniform(
                [3], seed=g.make_seeds()[:, 0], minval=2, maxval=50, dtype=tf.int32
            ),
        ]
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: [tf.random.normal([4099], dtype=tf.float64), tf.random.normal([3], seed=3)],
        # 20001 float32 outputs: 5001 groups of four, some needing three or more calls.
        lambda: [tf.random.truncated_normal([20001]), tf.random.truncated_normal([2, 3], seed=2)],
        lambda: [
            tf.random.truncated_normal([5], dtype=tf.float64),
            tf.random.truncated_normal([7], dtype=tf.float16),
            tf.random.truncated_normal([6], dtype=tf.bfloat16),
            tf.random.truncated_normal([0]),
        ],
    ],
    ids=["normal_float64", "truncated_float32", "truncated_other_dtypes"],
)
def test_float64_and_truncated_normals_lower_with_their_streams(make):
    _check_lowered_draws(make)


def test_truncated_normals_stay_inside_two_deviations():
    values = tf.function(lambda: tf.random.truncated_normal([4001], seed=1), jit_compile=True)()
    assert np.all(np.abs(values.numpy()) < 2)


def test_generator_and_stateless_normals_compile_with_the_executors_numbers():
    def draws(g):
        seed = g.make_seeds()[:, 0]
        return [
            g.normal([5]),
            g.normal([3], dtype=tf.float64),
            g.truncated_normal([9]),
            g.truncated_normal([3], dtype=tf.float16),
            tf.random.stateless_normal([4099], seed=tf.constant([-3, 9], tf.int32)),
            tf.random.stateless_normal([5], seed=seed, dtype=tf.float64),
            tf.random.stateless_truncated_normal([1001], seed=seed),
            tf.random.stateless_truncated_normal([3, 3], seed=[1, 2], dtype=tf.float64),
            # A normal inside a branch reads the same lookup table.
            tf.cond(
                tf.reduce_sum(g.uniform([2])) > 1,
                lambda: tf.random.stateless_normal([2], seed=[4, 4]),
                lambda: tf.zeros([2]),
            ),
        ]

    _check_generator_draws(draws)


_LOGITS = np.array(
    [[-1.6, -1.2, -0.7, -6.9], [0.0, 0.0, 0.0, 0.0], [-0.36, -np.inf, -np.inf, -1.2]]
)


@pytest.mark.parametrize(
    "make",
    [
        # 13 samples a row: TF reserves calls for 16; -inf logits (zero probabilities).
        lambda: [
            tf.random.categorical(_LOGITS, 13),
            tf.random.categorical(tf.constant(_LOGITS, tf.float64), 6, tf.int32, seed=4),
        ],
        lambda: [
            tf.random.categorical(tf.constant(_LOGITS, tf.float16), 9, tf.int32),
            tf.random.categorical(tf.constant(_LOGITS, tf.bfloat16), 5, seed=2),
            # Nothing drawn: the stream does not move.
            tf.random.categorical(_LOGITS, 0),
            tf.random.categorical(tf.zeros([0, 4]), 3),
            # A row of only -inf logits gives the number of classes, as on the executor.
            tf.random.categorical([[-np.inf, -np.inf], [0.0, 1.0]], 4),
        ],
        # 700 rows of 1000 classes, 50 samples each.
        lambda: [tf.random.categorical(tf.random.normal([700, 1000], seed=1) * 3, 50)],
    ],
    ids=["float32_float64", "half_types_empty_draws", "large"],
)
def test_categorical_draws_lower_with_their_streams_counters(make):
    _check_lowered_draws(make)


def test_stateless_categorical_draws_compile_with_the_executors_numbers():
    def draws(g):
        seed = g.make_seeds()[:, 0]
        return [
            tf.random.stateless_categorical(_LOGITS, 13, seed=seed),
            tf.random.stateless_categorical(
                tf.constant(_LOGITS, tf.bfloat16), 6, seed=tf.cast(seed, tf.int32), dtype=tf.int32
            ),
            tf.random.stateless_categorical(tf.constant(_LOGITS, tf.float16), 5, seed=seed),
            tf.random.stateless_categorical(g.normal([40, 300], dtype=tf.float64), 30, [1, 2]),
            tf.random.stateless_categorical(_LOGITS, 0, seed=seed),
        ]

    _check_generator_draws(draws)


def test_categorical_ops_are_not_refused():
    # TF 2.21 registers XLA kernels for both (tf2xla's categorical_op.cc).
    assert not {"Multinomial", "StatelessMultinomial"} & lowering._REFUSED_BY_TF
