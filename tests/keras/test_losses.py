"""keras.losses: values against tf_keras fixtures, gradients, errors, lookup by name."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import losses
from tensorflux.testing import check_gradients

FIXTURES = json.load(
    open(os.path.join(os.path.dirname(__file__), "fixtures", "losses_metrics.json"))
)
DATA = FIXTURES["data"]
SAMPLE_WEIGHT = np.float32(FIXTURES["sample_weight"])


def _case_id(case):
    kw = ",".join(f"{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['cls']}({kw})-{case['data']}-{case['reduction']}-w{int(case['weighted'])}"


@pytest.mark.parametrize("case", FIXTURES["losses"], ids=_case_id)
def test_loss_matches_tf_keras(case):
    y_true, y_pred = (tf.constant(np.float32(a)) for a in DATA[case["data"]])
    loss = getattr(losses, case["cls"])(reduction=case["reduction"], **case["kwargs"])
    sw = tf.constant(SAMPLE_WEIGHT) if case["weighted"] else None
    value = loss(y_true, y_pred, sample_weight=sw)
    assert value.dtype == tf.float32
    np.testing.assert_allclose(value.numpy(), case["expected"], rtol=2e-5, atol=2e-6)
    if "config" in case:
        assert getattr(losses, case["cls"])(**case["kwargs"]).get_config() == case["config"]


GRADIENT_CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {"delta": 0.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "categorical_unnormalized"),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        "categorical_logits",
    ),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
    ("Hinge", {}, "signed"),
    ("SquaredHinge", {}, "signed"),
    ("CategoricalHinge", {}, "categorical_logits"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
]


@pytest.mark.parametrize(
    "cls,kwargs,data", GRADIENT_CASES, ids=[f"{c[0]}{c[1]}" for c in GRADIENT_CASES]
)
def test_loss_gradient_matches_finite_differences(cls, kwargs, data):
    y_true, y_pred = (np.asarray(a)[:3] for a in DATA[data])
    loss = getattr(losses, cls)(**kwargs)
    weights = tf.constant(np.float64(SAMPLE_WEIGHT[:3]))
    check_gradients(lambda p: loss(tf.constant(y_true), p, sample_weight=weights), [y_pred])


def test_second_order_gradient_of_crossentropy_from_logits():
    y_true, logits = (np.asarray(a)[:2] for a in DATA["categorical_logits"])
    loss = losses.CategoricalCrossentropy(from_logits=True)
    check_gradients(lambda p: loss(tf.constant(y_true), p), [logits], order=2)


def test_labels_of_lower_rank_are_aligned_with_column_predictions():
    y_pred = tf.constant([[1.0], [3.0]])
    assert float(losses.MeanSquaredError()([1.0, 2.0], y_pred)) == 0.5
    assert losses.mean_squared_error(tf.constant([[1.0], [2.0]]), y_pred).shape == (2,)


def test_reduction_none_keeps_per_sample_values_and_sum_adds_them():
    y_true, y_pred = [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]
    per_sample = losses.MeanSquaredError(reduction=losses.Reduction.NONE)(y_true, y_pred)
    np.testing.assert_allclose(per_sample.numpy(), [0.5, 0.5])
    assert float(losses.MeanSquaredError(reduction="sum")(y_true, y_pred)) == 1.0
    assert float(losses.MeanSquaredError(reduction="sum_over_batch_size")(y_true, y_pred)) == 0.5


def test_integer_labels_are_cast_to_the_prediction_dtype():
    value = losses.binary_crossentropy(np.array([[1, 0]]), np.array([[0.9, 0.2]]))
    assert value.dtype == tf.float64


def test_loss_inside_tf_function_matches_eager():
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    y_true, logits = (np.float32(a) for a in DATA["sparse_logits"])
    traced = tf.function(lambda t, p: loss(t, p))
    np.testing.assert_allclose(
        traced(y_true, logits).numpy(), loss(y_true, logits).numpy(), rtol=1e-6
    )


def test_custom_loss_subclass_gets_weighting_and_reduction():
    class Absolute(losses.Loss):
        def call(self, y_true, y_pred):
            return tf.abs(y_true - y_pred)

    loss = Absolute(reduction="sum")
    assert float(loss([1.0, 2.0], [1.5, 2.0], sample_weight=[2.0, 1.0])) == 1.0
    assert Absolute().get_config() == {"reduction": "auto", "name": None}


def test_categorical_crossentropy_with_integer_labels_names_the_fix():
    with pytest.raises(ValueError, match=r"y_true shape \(2,\) and y_pred shape \(2, 3\)") as e:
        losses.CategoricalCrossentropy()([0, 2], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    assert "SparseCategoricalCrossentropy" in str(e.value)


def test_sparse_crossentropy_with_one_hot_labels_names_the_fix():
    with pytest.raises(ValueError, match="For one-hot labels use CategoricalCrossentropy"):
        losses.SparseCategoricalCrossentropy()([[0.0, 1.0, 0.0]], [[0.2, 0.5, 0.3]])


def test_sparse_crossentropy_label_out_of_range():
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the valid range"):
        losses.SparseCategoricalCrossentropy()([3], [[0.2, 0.5, 0.3]])


def test_invalid_reduction():
    with pytest.raises(ValueError, match="Invalid Reduction Key: mean"):
        losses.MeanSquaredError(reduction="mean")


@pytest.mark.parametrize(
    "name,expected",
    [
        ("mse", losses.mean_squared_error),
        ("mean_squared_error", losses.mean_squared_error),
        ("mae", losses.mean_absolute_error),
        ("kld", losses.kl_divergence),
        ("logcosh", losses.log_cosh),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
        ("binary_crossentropy", losses.binary_crossentropy),
    ],
)
def test_get_resolves_function_names(name, expected):
    assert losses.get(name) is expected


def test_get_resolves_classes_configs_and_callables():
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    assert losses.get(None) is None
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(fn) is fn
    original = losses.Huber(delta=0.3, reduction="sum", name="h")
    config = losses.serialize(original)
    assert config["class_name"] == "Huber"
    rebuilt = losses.get(config)
    assert isinstance(rebuilt, losses.Huber) and rebuilt.get_config() == original.get_config()
    assert losses.serialize(losses.mse) == "mean_squared_error"
    wrapper = losses.LossFunctionWrapper(losses.mae, name="w")
    assert losses.deserialize(losses.serialize(wrapper)).fn is losses.mean_absolute_error


def test_get_errors():
    with pytest.raises(ValueError, match="Unknown loss function: 'foo'"):
        losses.get("foo")
    with pytest.raises(ValueError, match="Could not interpret loss function identifier: 3"):
        losses.get(3)
