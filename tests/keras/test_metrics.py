"""keras.metrics: accumulated values against tf_keras fixtures, state, tf.function, lookup."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import losses, metrics

FIXTURES = json.load(
    open(os.path.join(os.path.dirname(__file__), "fixtures", "losses_metrics.json"))
)
DATA = FIXTURES["data"]
SAMPLE_WEIGHT = np.float32(FIXTURES["sample_weight"])


def _case_id(case):
    kw = ",".join(f"{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['cls']}({kw})-{case['data']}-w{int(case['weighted'])}"


def _batches(case):
    y_true, y_pred = (np.float32(a) for a in DATA[case["data"]])
    half = len(y_true) // 2
    for rows in (slice(0, half), slice(half, None)):
        sw = tf.constant(SAMPLE_WEIGHT[rows]) if case["weighted"] else None
        yield tf.constant(y_true[rows]), tf.constant(y_pred[rows]), sw


def _update(metric, case, y_true, y_pred, sw):
    if case["cls"] in ("Mean", "Sum"):
        metric.update_state(y_true, sample_weight=sw)
    else:
        metric.update_state(y_true, y_pred, sample_weight=sw)


@pytest.mark.parametrize("case", FIXTURES["metrics"], ids=_case_id)
def test_metric_matches_tf_keras_after_two_updates(case):
    metric = getattr(metrics, case["cls"])(**case["kwargs"])
    for (y_true, y_pred, sw), expected in zip(_batches(case), case["expected"], strict=True):
        _update(metric, case, y_true, y_pred, sw)
        np.testing.assert_allclose(metric.result().numpy(), expected, rtol=1e-5, atol=1e-6)
    config = {k: v for k, v in metric.get_config().items() if k != "name"}
    assert config == case["config"]
    assert [v.name.split(":")[0] for v in metric.variables] == case["variables"]
    metric.reset_state()
    assert all(not np.any(v.numpy()) for v in metric.variables)


@pytest.mark.parametrize("case", [c for c in FIXTURES["metrics"] if c["weighted"]], ids=_case_id)
def test_metric_update_inside_tf_function(case):
    metric = getattr(metrics, case["cls"])(**case["kwargs"])
    step = tf.function(lambda t, p, w: _update(metric, case, t, p, w))
    for (y_true, y_pred, sw), expected in zip(_batches(case), case["expected"], strict=True):
        step(y_true, y_pred, sw)
        np.testing.assert_allclose(metric.result().numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", FIXTURES["metric_functions"], ids=lambda c: c["fn"])
def test_metric_function_matches_tf_keras(case):
    y_true, y_pred = (np.float32(a) for a in DATA[case["data"]])
    value = getattr(metrics, case["fn"])(y_true, y_pred, **case["kwargs"])
    np.testing.assert_allclose(value.numpy(), case["expected"])


def test_call_updates_and_returns_result_and_reset_states_alias():
    m = metrics.Mean()
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m([5.0])) == 3.0
    m.reset_states()
    assert float(m.result()) == 0.0
    assert m.name == "mean" and m.dtype == "float32"
    assert [v.name for v in m.weights] == ["total:0", "count:0"]
    assert m.trainable_weights == [] and not m.variables[0].trainable


def test_weights_of_lower_rank_reduce_values():
    m = metrics.Mean()
    m.update_state([[1.0, 3.0], [5.0, 7.0]], sample_weight=[[1.0], [0.0]])
    assert float(m.result()) == 2.0


def test_default_names_are_made_unique():
    first, second = metrics.AUC(), metrics.AUC()
    assert second.name != first.name and second.name.startswith("auc")
    assert metrics.MeanSquaredError().name == "mean_squared_error"


def test_custom_metric_subclass():
    class Count(metrics.Metric):
        def __init__(self, name="count", **kwargs):
            super().__init__(name=name, **kwargs)
            self.n = self.add_weight(name="n", initializer="zeros")

        def update_state(self, values, sample_weight=None):
            self.n.assign_add(tf.cast(tf.size(values), self._dtype))

        def result(self):
            return tf.identity(self.n)

    m = Count()
    assert float(m([1, 2, 3])) == 3.0
    assert Count.from_config(m.get_config()).name == "count"


def test_precision_rejects_predictions_outside_unit_interval():
    with pytest.raises(tf.errors.InvalidArgumentError, match="predictions must be <= 1"):
        metrics.Precision().update_state([0, 1], [0.5, 1.5])


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="invalid curve"):
        metrics.AUC(curve="XY")
    with pytest.raises(ValueError, match="thresholds must be in"):
        metrics.Recall(thresholds=[1.5])
    with pytest.raises(ValueError, match="threshold"):
        metrics.BinaryAccuracy(threshold=2.0)


@pytest.mark.parametrize(
    "written,t_shape,p_shape,fn",
    [
        ("accuracy", (32, 1), (32, 1), metrics.binary_accuracy),
        ("acc", (32,), (32, 10), metrics.sparse_categorical_accuracy),
        ("accuracy", (32, 1), (32, 10), metrics.sparse_categorical_accuracy),
        ("accuracy", (32, 10), (32, 10), metrics.categorical_accuracy),
        ("ce", (32, 10), (32, 10), metrics.categorical_crossentropy),
        ("crossentropy", (32,), (32, 10), metrics.sparse_categorical_crossentropy),
        ("mse", (32, 1), (32, 1), metrics.mean_squared_error),
    ],
)
def test_resolve_metric_follows_keras2_shape_rule_and_naming(written, t_shape, p_shape, fn):
    metric = metrics.resolve_metric(written, t_shape, p_shape)
    assert isinstance(metric, metrics.MeanMetricWrapper)
    assert metric.name == written and metric._fn is fn


def test_resolve_metric_objects_and_functions():
    auc = metrics.AUC(name="my_auc")
    assert metrics.resolve_metric(auc, (2,), (2,)) is auc
    assert metrics.resolve_metric(metrics.mae, (2, 1), (2, 1)).name == "mean_absolute_error"
    assert metrics.resolve_metric(None, (2,), (2,)) is None
    assert isinstance(metrics.resolve_metric("AUC", (2, 1), (2, 1)), metrics.AUC)


def test_get_serialize_deserialize():
    assert metrics.get("accuracy") is metrics.accuracy
    assert metrics.get("acc") is metrics.accuracy
    assert metrics.get("mse") is losses.mean_squared_error
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("BinaryAccuracy"), metrics.BinaryAccuracy)
    original = metrics.Precision(thresholds=[0.3, 0.6], name="p")
    rebuilt = metrics.deserialize(metrics.serialize(original))
    assert rebuilt.get_config() == original.get_config()
    wrapper = metrics.MeanMetricWrapper(metrics.mse, name="w")
    assert metrics.MeanMetricWrapper.from_config(wrapper.get_config())._fn is metrics.mse
    with pytest.raises(ValueError, match="Unknown metric function: 'foo'"):
        metrics.get("foo")
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 3"):
        metrics.get(3)
