"""keras.regularizers: closed-form penalties, gradients through a tape, names, configs."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import regularizers

X = np.array([[1.0, -2.0], [0.5, 3.0]])


@pytest.mark.parametrize(
    "reg, expected, grad",
    [
        (regularizers.L1(0.5), 0.5 * np.abs(X).sum(), 0.5 * np.sign(X)),
        (regularizers.L2(0.25), 0.25 * (X**2).sum(), 0.5 * X),
        (
            regularizers.L1L2(0.5, 0.25),
            0.5 * np.abs(X).sum() + 0.25 * (X**2).sum(),
            0.5 * np.sign(X) + 0.5 * X,
        ),
        (regularizers.L1L2(), 0.0, None),
    ],
    ids=["l1", "l2", "l1_l2", "zero"],
)
def test_penalty_and_gradient(reg, expected, grad):
    for dtype in (np.float32, np.float64):
        x = tf.Variable(X.astype(dtype))
        with tf.GradientTape() as tape:
            penalty = reg(x)
        assert penalty.dtype == x.dtype and penalty.shape == ()
        assert float(penalty) == pytest.approx(expected, rel=1e-6)
        g = tape.gradient(penalty, x)
        if grad is None:
            assert g is None
        else:
            np.testing.assert_allclose(g.numpy(), grad, rtol=1e-6)


def test_defaults_and_configs_as_keras2():
    assert regularizers.L1().get_config() == {"l1": 0.009999999776482582}
    assert regularizers.L2().get_config() == {"l2": 0.009999999776482582}
    assert regularizers.L2(None).get_config() == {"l2": 0.009999999776482582}
    assert regularizers.L2(l=0.5).get_config() == {"l2": 0.5}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.l1_l2().get_config() == {
        "l1": 0.009999999776482582,
        "l2": 0.009999999776482582,
    }
    assert regularizers.l2(0.5).get_config() == {"l2": 0.5}
    assert regularizers.l1 is regularizers.L1


def test_get_serialize_deserialize():
    assert regularizers.get("l1").get_config() == {"l1": 0.009999999776482582}
    assert type(regularizers.get("l2")) is regularizers.L2
    assert regularizers.get("l1_l2").get_config() == {
        "l1": 0.009999999776482582,
        "l2": 0.009999999776482582,
    }
    assert type(regularizers.get("L1L2")) is regularizers.L1L2
    assert regularizers.get(None) is None
    reg = regularizers.L2(0.1)
    assert regularizers.get(reg) is reg
    config = regularizers.serialize(regularizers.L2())
    assert config == {
        "module": "keras.regularizers",
        "class_name": "L2",
        "config": {"l2": 0.009999999776482582},
        "registered_name": None,
    }
    assert regularizers.get({"class_name": "L1L2", "config": {"l1": 0.1}}).get_config() == {
        "l1": 0.10000000149011612,
        "l2": 0.0,
    }
    assert regularizers.deserialize(config).l2 == pytest.approx(0.01)


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: regularizers.L1("a"), ValueError, "Value a is not a valid regularization penalty"),
        (lambda: regularizers.L2(float("nan")), ValueError, "an infinite number or NaN"),
        (lambda: regularizers.L2(foo=1), TypeError, "Argument(s) not recognized by L2"),
        (lambda: regularizers.get("foo"), ValueError, "Unknown regularizer: 'foo'"),
        (lambda: regularizers.get(3), ValueError, "Could not interpret regularizer identifier"),
        (
            lambda: regularizers.Regularizer().get_config(),
            NotImplementedError,
            "does not implement get_config",
        ),
    ],
    ids=["type", "nan", "kwarg", "unknown", "identifier", "base-config"],
)
def test_errors(make, error, fragment):
    with pytest.raises(error) as info:
        make()
    assert fragment in str(info.value)
