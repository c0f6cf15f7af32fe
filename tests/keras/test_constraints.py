"""keras.constraints: closed-form projections, names, configs."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import constraints

W = np.array([[3.0, 0.1, -1.0], [4.0, 0.2, 2.0]], dtype=np.float32)
EPS = 1e-7


def col_norms(w, axis=0):
    return np.sqrt((w**2).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize(
    "constraint, expected",
    [
        (constraints.MaxNorm(), W * np.clip(col_norms(W), 0, 2) / (EPS + col_norms(W))),
        (
            constraints.MaxNorm(1.0, axis=1),
            W * np.clip(col_norms(W, 1), 0, 1) / (EPS + col_norms(W, 1)),
        ),
        (constraints.NonNeg(), np.maximum(W, 0)),
        (constraints.UnitNorm(), W / (EPS + col_norms(W))),
        (
            constraints.MinMaxNorm(0.5, 2.0, rate=0.5),
            W * (0.5 * np.clip(col_norms(W), 0.5, 2.0) + 0.5 * col_norms(W)) / (EPS + col_norms(W)),
        ),
        (constraints.Constraint(), W),
    ],
    ids=["max_norm", "max_norm_axis1", "non_neg", "unit_norm", "min_max_norm", "base"],
)
def test_projection(constraint, expected):
    out = constraint(tf.Variable(W))
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)


def test_norms_after_projection():
    np.testing.assert_allclose(col_norms(constraints.UnitNorm()(W).numpy()), 1.0, rtol=1e-5)
    norms = col_norms(constraints.MaxNorm(2.0)(W).numpy())
    assert norms.max() <= 2.0 + 1e-5
    np.testing.assert_allclose(norms[0, 1], col_norms(W)[0, 1], rtol=1e-5)  # untouched
    norms = col_norms(constraints.MinMaxNorm(1.0, 2.0)(W).numpy())
    np.testing.assert_allclose(norms, [[2.0, 1.0, 2.0]], rtol=1e-5)
    assert constraints.NonNeg()(np.array([-1.0, 2.0])).dtype == tf.float64


def test_configs_and_get():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.UnitNorm().get_config() == {"axis": 0}
    assert constraints.MinMaxNorm().get_config() == {
        "min_value": 0.0,
        "max_value": 1.0,
        "rate": 1.0,
        "axis": 0,
    }
    assert constraints.NonNeg().get_config() == {}
    for name, cls in [
        ("max_norm", constraints.MaxNorm),
        ("non_neg", constraints.NonNeg),
        ("unit_norm", constraints.UnitNorm),
        ("MinMaxNorm", constraints.MinMaxNorm),
        ("maxnorm", constraints.MaxNorm),
    ]:
        assert type(constraints.get(name)) is cls
    assert constraints.get(None) is None
    c = constraints.MaxNorm(3)
    assert constraints.get(c) is c
    config = constraints.serialize(constraints.MaxNorm())
    assert config == {
        "module": "keras.constraints",
        "class_name": "MaxNorm",
        "config": {"max_value": 2, "axis": 0},
        "registered_name": None,
    }
    restored = constraints.deserialize(
        {
            "class_name": "MinMaxNorm",
            "config": {"min_value": 0.5, "max_value": 3.0, "rate": 0.1, "axis": [0, 1]},
        }
    )
    assert (restored.min_value, restored.max_value, restored.rate, restored.axis) == (
        0.5,
        3.0,
        0.1,
        [0, 1],
    )
    assert constraints.max_norm is constraints.MaxNorm


def test_errors():
    with pytest.raises(ValueError, match="Unknown constraint: 'foo'"):
        constraints.get("foo")
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: 3"):
        constraints.get(3)
