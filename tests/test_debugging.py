"""tf.debugging assertions and numeric checks; outcomes and messages checked against TF 2.21."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework.errors import InvalidArgumentError

d = tf.debugging


@pytest.mark.parametrize(
    "call",
    [
        lambda: d.assert_equal(tf.constant([1, 2]), [1, 2]),
        lambda: d.assert_equal(tf.constant([1, 1]), 1),
        lambda: d.assert_equal(1, 1),
        lambda: d.assert_equal(tf.constant("a"), "a"),
        lambda: d.assert_none_equal(tf.constant([1, 2]), [2, 1]),
        lambda: d.assert_less(tf.constant([1, 2]), [2, 3]),
        lambda: d.assert_less_equal(tf.constant([1, 2]), [1, 3]),
        lambda: d.assert_greater(tf.constant([3, 4]), [2, 3]),
        lambda: d.assert_greater_equal(tf.constant([1, 2]), [0, 2]),
        lambda: d.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.0000001]),
        lambda: d.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.1], atol=0.2),
        lambda: d.assert_near(tf.constant([100.0]), [101.0], rtol=0.05),
        lambda: d.assert_non_negative(tf.constant([0, 2])),
        lambda: d.assert_positive(tf.constant([1.0, 2.0])),
        lambda: d.assert_negative(tf.constant([-1, -2])),
        lambda: d.assert_non_positive(tf.constant([-1, 0])),
        lambda: d.assert_rank(tf.constant([1, 2]), 1),
        lambda: d.assert_rank_at_least(tf.constant([[1]]), 1),
        lambda: d.assert_rank_in(tf.constant([1]), [0, 1]),
        lambda: d.assert_type(tf.constant(1.0), tf.float32),
        lambda: d.assert_integer(tf.constant(1)),
        lambda: d.assert_shapes([(tf.ones([2, 3]), ("N", "D")), (tf.ones([2]), ("N",))]),
        lambda: d.assert_shapes([(tf.ones([]), ())]),
        lambda: d.assert_shapes([(tf.ones([5, 2, 3]), ("...", "N", 3)), (tf.ones([2]), ["N"])]),
        lambda: d.Assert(True, ["x"]),
        lambda: d.Assert(tf.constant([True, True]), ["x"]),
    ],
)
def test_passing_assertions_return_none(call):
    assert call() is None


def test_top_level_aliases():
    assert tf.assert_equal is d.assert_equal
    assert tf.assert_less is d.assert_less
    assert tf.assert_greater is d.assert_greater
    assert tf.assert_rank is d.assert_rank
    assert tf.Assert is d.Assert


def test_assert_equal_message():
    with pytest.raises(InvalidArgumentError) as info:
        d.assert_equal(tf.constant([1, 2]), [1, 3], message="custom")
    assert str(info.value) == (
        "custom\nCondition x == y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
        "Corresponding x values:\n[2]\nCorresponding y values:\n[3]\n"
        "First 2 elements of x:\n[1 2]\nFirst 2 elements of y:\n[1 3]"
    )


def test_assert_equal_summarize():
    with pytest.raises(InvalidArgumentError) as info:
        d.assert_equal(tf.range(10), tf.range(10) + 1, summarize=2)
    assert str(info.value) == (
        "Condition x == y did not hold.\nIndices of first 2 different values:\n[[0]\n [1]]\n"
        "Corresponding x values:\n[0 1]\nCorresponding y values:\n[1 2]\n"
        "First 2 elements of x:\n[0 1]\nFirst 2 elements of y:\n[1 2]"
    )


@pytest.mark.parametrize(
    "call,fragment",
    [
        (lambda: d.assert_equal(tf.constant([1.5]), [2.5]), "Condition x == y did not hold"),
        (lambda: d.assert_none_equal(tf.constant([1, 2]), [1, 3]), "Condition x != y"),
        (lambda: d.assert_less(tf.constant([1, 2]), [2, 2]), "Condition x < y did not hold."),
        (lambda: d.assert_less_equal(tf.constant([1, 3]), [2, 2]), "Condition x <= y"),
        (lambda: d.assert_greater(tf.constant([1, 2]), [0, 2]), "Condition x > y"),
        (lambda: d.assert_greater_equal(tf.constant([1, 2]), [2, 2]), "Condition x >= y"),
        (
            lambda: d.assert_equal(tf.constant([1, 2]), tf.constant([1.0, 2.0])),
            "cannot compute Equal as input #1(zero-based) was expected to be a int32 tensor",
        ),
        (lambda: d.assert_less(tf.constant([1.0]), tf.constant([2])), "cannot compute Less"),
        (lambda: d.assert_equal(tf.constant([1, 2]), [1, 2, 3]), "Equal"),
        (
            lambda: d.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.1]),
            "x and y not equal to tolerance rtol = 1.19209e-06, atol = 1.19209e-06",
        ),
        (
            lambda: d.assert_non_negative(tf.constant([1, -2])),
            "Condition x >= 0 did not hold element-wise:\nx (shape=(2,) dtype=int32) = \n[1 -2]",
        ),
        (lambda: d.assert_positive(tf.constant([1, 0])), "Condition x > 0 did not hold"),
        (lambda: d.assert_negative(tf.constant([1, 0])), "Condition x < 0 did not hold"),
        (lambda: d.assert_non_positive(tf.constant([1])), "Condition x <= 0 did not hold"),
        (
            lambda: d.Assert(False, ["x is", tf.constant([1, 2])]),
            "Expected 'False' to be true. Summarized data: x is\n[1 2]",
        ),
        (lambda: tf.Assert(tf.constant(False), ["bad", 3]), "Summarized data: bad\n3"),
    ],
)
def test_failing_value_assertions(call, fragment):
    with pytest.raises(InvalidArgumentError) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (
            lambda: d.assert_rank(tf.constant([1, 2]), 2),
            ValueError,
            "must have rank 2.  Received rank 1, shape (2,)",
        ),
        (lambda: d.assert_rank(tf.constant([1, 2]), 2, message="msg"), ValueError, "msg.  Tensor"),
        (
            lambda: d.assert_rank_at_least(tf.constant([1, 2]), 2),
            ValueError,
            "must have rank at least 2.  Received rank 1",
        ),
        (
            lambda: d.assert_rank_in(tf.constant([1, 2]), [0, 2]),
            ValueError,
            "must have rank in (0, 2).  Received rank 1",
        ),
        (
            lambda: d.assert_scalar(tf.constant([1.0])),
            ValueError,
            "Expected scalar shape, saw shape: (1,).",
        ),
        (
            lambda: d.assert_shapes([(tf.ones([2, 3]), ("N", "D")), (tf.ones([3]), ("N",))]),
            ValueError,
            "Specified by tensor shape=(2, 3) dtype=float32 dimension 0.  Tensor "
            "shape=(3,) dtype=float32 dimension 0 must have size 2.  Received size 3, "
            "shape (3,)",
        ),
        (
            lambda: d.assert_shapes([(tf.ones([2, 3]), (2, 4))]),
            ValueError,
            "Specified explicitly.  Tensor shape=(2, 3) dtype=float32 dimension 1 must have size 4.",  # noqa: E501
        ),
        (lambda: d.assert_shapes([(tf.ones([2, 3]), ("N",))]), ValueError, "must have rank 1"),
        (
            lambda: d.assert_shapes([(tf.ones([3]), ("...", "A", "B"))]),
            ValueError,
            "must have rank at least 2",
        ),
        (
            lambda: d.assert_type(tf.constant(1.0), tf.int32),
            TypeError,
            "tensor must be of type tf.int32; got tf.float32",
        ),
        (
            lambda: d.assert_type(tf.constant(1.0), tf.int32, message="custom"),
            TypeError,
            "custom.  tensor must be of type",
        ),
        (lambda: d.assert_integer(tf.constant(1.0)), TypeError, 'Expected "x" to be integer type'),
        (lambda: d.assert_positive(tf.constant("a")), TypeError, "real numeric tensor"),
    ],
)
def test_static_assertions(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)


def test_assertions_accept_variables():
    v = tf.Variable([1.0, 2.0])
    d.assert_equal(v, [1.0, 2.0])
    d.assert_rank(v, 1)
    d.assert_shapes([(v, ("N",))])
    d.assert_type(v, tf.float32)
    d.assert_positive(v)


def test_check_numerics():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(d.check_numerics(x, "my msg").numpy(), x.numpy())
    np.testing.assert_array_equal(d.assert_all_finite(x, "m").numpy(), x.numpy())
    with pytest.raises(InvalidArgumentError) as info:
        d.check_numerics(tf.constant([1.0, np.nan]), "my msg")
    assert "my msg : Tensor had NaN values [Op:CheckNumerics]" in str(info.value)
    with pytest.raises(InvalidArgumentError, match="bad values : Tensor had Inf values"):
        d.assert_all_finite(tf.constant([1.0, np.inf]), "bad values")
    with pytest.raises(InvalidArgumentError, match="Tensor had Inf and NaN values"):
        d.check_numerics(tf.constant([np.inf, np.nan], tf.float64), "m")
    with pytest.raises(
        InvalidArgumentError,
        match="Value for attr 'T' of int32 is not in the list of allowed values: "
        "bfloat16, half, float, double",
    ):
        d.check_numerics(tf.constant([1]), "m")


def test_check_numerics_checks_on_every_call_of_a_function():
    checked = tf.function(lambda v: d.check_numerics(1.0 / v, "bad"))
    assert float(checked(tf.constant(2.0))) == 0.5
    with pytest.raises(InvalidArgumentError, match="bad : Tensor had Inf values"):
        checked(tf.constant(0.0))


def test_check_numerics_gradient_passes_through():
    from tensorflux.testing import check_gradients

    check_gradients(lambda v: d.check_numerics(v * v, "m"), [np.array([0.5, -2.0])], order=2)


def test_check_numerics_keeps_gradients():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = d.check_numerics(x * x, "y")
    assert tape.gradient(y, x).numpy() == 6.0


def test_is_numeric_tensor():
    assert d.is_numeric_tensor(tf.constant(1))
    assert d.is_numeric_tensor(tf.constant(1.0))
    assert not d.is_numeric_tensor(tf.constant("a"))
    assert not d.is_numeric_tensor(tf.constant(True))
    assert not d.is_numeric_tensor(1)


def test_switches():
    assert d.is_traceback_filtering_enabled()
    d.disable_traceback_filtering()
    assert not d.is_traceback_filtering_enabled()
    d.enable_traceback_filtering()
    assert d.is_traceback_filtering_enabled()
    assert not d.get_log_device_placement()
    d.set_log_device_placement(True)
    assert d.get_log_device_placement()
    d.set_log_device_placement(False)
