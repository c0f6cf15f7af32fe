"""Errors and edges of the binomial ops and of the ``alg`` argument; TF's numbers for
both are checked by ``test_random_streams.py`` (cases ``binomial``, ``seed_utilities``)."""

import numpy as np
import pytest

import tensorflux as tf


def test_binomial_shape_must_end_with_the_broadcast_parameters():
    with pytest.raises(tf.errors.InvalidArgumentError, match="must end with broadcasted shape"):
        tf.random.stateless_binomial([3, 3], [1, 2], [10.0, 20.0], [0.1, 0.2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="compatible batch dimensions"):
        tf.random.stateless_binomial([3, 2], [1, 2], [10.0, 20.0], [0.1, 0.2, 0.3])


def test_binomial_parameters_share_a_float_dtype():
    with pytest.raises(tf.errors.InvalidArgumentError, match="same float dtype"):
        tf.random.stateless_binomial([3], [1, 2], tf.constant([1, 2]), tf.constant([0.1, 0.2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="same float dtype"):
        tf.random.Generator.from_seed(1).binomial([3], tf.constant(10), 0.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'dtype'"):
        tf.random.stateless_binomial([2], [1, 2], 10.0, 0.5, output_dtype=tf.uint8)


def test_binomial_edges():
    ones = tf.random.stateless_binomial([4], [1, 2], 10.0, 1.0)
    np.testing.assert_array_equal(ones.numpy(), [10, 10, 10, 10])
    none = tf.random.stateless_binomial([2, 2], [1, 2], [0.0, -3.0], 0.5, output_dtype=tf.float32)
    np.testing.assert_array_equal(none.numpy(), np.zeros((2, 2), np.float32))
    nan = tf.random.stateless_binomial([2], [1, 2], 10.0, float("nan"), output_dtype=tf.float64)
    assert np.isnan(nan.numpy()).all()
    with pytest.raises(tf.errors.InvalidArgumentError, match="NaN"):
        tf.random.stateless_binomial([2], [1, 2], float("nan"), 0.5)


def test_binomial_samples_have_the_binomial_moments():
    x = tf.random.stateless_binomial([4000, 2], [3, 4], [8.0, 400.0], [0.3, 0.8]).numpy()
    np.testing.assert_allclose(x.mean(axis=0), [2.4, 320.0], rtol=0.03)
    np.testing.assert_allclose(x.var(axis=0), [1.68, 64.0], rtol=0.1)


def test_binomial_state_moves_as_tensorflow():
    g = tf.random.Generator.from_seed(0)
    g.binomial([20, 3], [10.0, 200.0, 4.0], [0.6, 0.1, 0.3])
    assert g.state.numpy().tolist() == [883200, 0, 0]


@pytest.mark.parametrize(
    "alg, value",
    [("philox", 1), ("Auto-Select", 3), ("THREEFRY", 2), (tf.random.Algorithm.PHILOX, 1), (2, 2)],
)
def test_algorithm_names(alg, value):
    assert tf.random.Generator.from_seed(1, alg=alg).algorithm == value


def test_unknown_algorithms_are_refused():
    with pytest.raises(ValueError, match="unsupported value foo"):
        tf.random.stateless_uniform([2], [1, 2], alg="foo")
    with pytest.raises(ValueError, match="unsupported value 7"):
        tf.random.stateless_uniform([2], [1, 2], alg=7)
    with pytest.raises(TypeError, match="Can't convert argument `alg`"):
        tf.random.Generator.from_seed(1, alg=1.5)


def test_threefry_is_refused_by_the_cpu_kernels_as_in_tensorflow():
    g = tf.random.Generator.from_seed(1, alg="threefry")
    assert g.state.numpy().tolist() == [1, 0]
    with pytest.raises(tf.errors.UnimplementedError, match="ThreeFry"):
        g.normal([2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="counter must be a vector"):
        tf.random.stateless_normal([2], [1, 2], alg="threefry")


def test_generator_state_size_follows_the_algorithm():
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \[3\] are incompatible"):
        tf.random.Generator(state=[1, 2], alg="philox")


def test_global_generator():
    g = tf.random.Generator.from_seed(5)
    previous = tf.random.get_global_generator()
    try:
        tf.random.set_global_generator(g)
        assert tf.random.get_global_generator() is g
        assert tf.random.experimental.get_global_generator() is g
    finally:
        tf.random.set_global_generator(previous)


def test_binomial_in_a_traced_function_continues_the_generator():
    g = tf.random.Generator.from_seed(2)

    @tf.function
    def draw():
        return g.binomial([3], 12.0, 0.4)

    first, second = draw().numpy(), draw().numpy()
    assert g.state.numpy()[0] == 2 + 2 * 256 * 300
    assert first.shape == second.shape == (3,)
