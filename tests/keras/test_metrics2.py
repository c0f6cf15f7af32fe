"""Focal losses and the IoU, F-score, R2, relative-error, mean-tensor, rate-at-rate and
Python metrics against tf_keras fixtures (``record_metrics2_fixtures.py``)."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "metrics2.json").read_text())


def _id(case):
    return case["name"] + "-" + "-".join(case["kwargs"]) if case["kwargs"] else case["name"]


def _args(y_true, y_pred):
    pred = np.asarray(y_pred, np.float32)
    return [pred] if y_true is None else [np.asarray(y_true, np.float32), pred]


def _weight(w):
    return None if w is None else np.asarray(w, np.float32)


@pytest.mark.parametrize("case", FIXTURES["metrics"], ids=_id)
def test_metric_matches_keras(case):
    metric = getattr(tf.keras.metrics, case["name"])(**case["kwargs"])
    for (y_true, y_pred, w), expected in zip(case["batches"], case["results"]):
        metric.update_state(*_args(y_true, y_pred), sample_weight=_weight(w))
        np.testing.assert_allclose(metric.result().numpy(), expected, rtol=2e-6, atol=1e-6)
    metric.reset_state()
    y_true, y_pred, w = case["batches"][-1]
    metric.update_state(*_args(y_true, y_pred), sample_weight=_weight(w))
    np.testing.assert_allclose(metric.result().numpy(), case["after_reset"], rtol=2e-6, atol=1e-6)
    assert [v.name.split(":")[0] for v in metric.variables] == case["variables"]
    config = metric.get_config()
    expected = dict(case["config"], name=config["name"])  # names depend on the session
    assert json.loads(json.dumps(config, default=lambda a: a.tolist())) == expected
    clone = type(metric).from_config(config)
    assert clone.get_config().keys() == config.keys()


@pytest.mark.parametrize("case", FIXTURES["metrics"][::3], ids=_id)
def test_metric_inside_tf_function(case):
    metric = getattr(tf.keras.metrics, case["name"])(**case["kwargs"])
    y_true, y_pred, w = case["batches"][0]
    args = _args(y_true, y_pred)
    metric.update_state(*args)  # creates deferred state eagerly
    metric.reset_state()

    @tf.function
    def step(*a):
        metric.update_state(*a, sample_weight=_weight(w))
        return metric.result()

    np.testing.assert_allclose(step(*args).numpy(), case["results"][0], rtol=2e-6, atol=1e-6)


_NAME_KWARGS = {
    "IoU": {"num_classes": 2, "target_class_ids": [0]},
    "BinaryIoU": {},
    "MeanIoU": {"num_classes": 2},
    "OneHotIoU": {"num_classes": 2, "target_class_ids": [0]},
    "OneHotMeanIoU": {"num_classes": 2},
    "MeanRelativeError": {"normalizer": 1.0},
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
}


def test_default_names():
    for name, expected in FIXTURES["default_names"].items():
        backend.clear_session()
        assert getattr(tf.keras.metrics, name)(**_NAME_KWARGS[name]).name == expected


@pytest.mark.parametrize("case", FIXTURES["losses"], ids=_id)
def test_focal_loss_matches_keras(case):
    y_true, y_pred = (np.asarray(a, np.float32) for a in FIXTURES["loss_data"][case["data"]])
    fn = getattr(
        tf.keras.losses,
        {"B": "binary", "C": "categorical"}[case["name"][0]] + "_focal_crossentropy",
    )
    np.testing.assert_allclose(
        fn(y_true, y_pred, **case["kwargs"]).numpy(), case["function"], rtol=1e-5, atol=1e-7
    )
    weights = np.asarray(FIXTURES["loss_weights"][: len(case["function"])], np.float32)
    for reduction, (plain, weighted) in case["reductions"].items():
        loss = getattr(tf.keras.losses, case["name"])(reduction=reduction, **case["kwargs"])
        np.testing.assert_allclose(loss(y_true, y_pred).numpy(), plain, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(
            loss(y_true, y_pred, sample_weight=weights).numpy(), weighted, rtol=1e-5, atol=1e-7
        )
    loss = getattr(tf.keras.losses, case["name"])(**case["kwargs"])
    config = loss.get_config()
    expected = dict(case["config"])
    expected.setdefault("fn", config.get("fn"))
    assert config == expected
    clone = tf.keras.losses.deserialize(tf.keras.losses.serialize(loss))
    np.testing.assert_allclose(clone(y_true, y_pred).numpy(), loss(y_true, y_pred).numpy())


def test_focal_loss_lookup_and_traced():
    assert (
        tf.keras.losses.get("binary_focal_crossentropy")
        is tf.keras.losses.binary_focal_crossentropy
    )
    assert type(tf.keras.losses.get("CategoricalFocalCrossentropy")).__name__ == (
        "CategoricalFocalCrossentropy"
    )
    assert tf.keras.metrics.binary_focal_crossentropy is tf.keras.losses.binary_focal_crossentropy
    loss = tf.keras.losses.BinaryFocalCrossentropy(from_logits=True)
    y_true, y_pred = (np.asarray(a, np.float32) for a in FIXTURES["loss_data"]["binary_logits"])
    traced = tf.function(lambda a, b: loss(a, b))
    np.testing.assert_allclose(traced(y_true, y_pred).numpy(), loss(y_true, y_pred).numpy())


def test_focal_loss_errors():
    with pytest.raises(ValueError, match="incompatible"):
        tf.keras.losses.categorical_focal_crossentropy([0.0, 1.0], [[0.5, 0.5], [0.2, 0.8]])
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        tf.keras.losses.categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]], axis=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.keras.losses.categorical_focal_crossentropy([[1.0]], [[0.5]])
    assert any(issubclass(w.category, SyntaxWarning) for w in caught)


def test_compile_by_class_name():
    for name, recorded in FIXTURES["compile"].items():
        if "keys" not in recorded:
            continue
        inputs = tf.keras.Input((3,))
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(3, activation="sigmoid")(inputs))
        model.compile("sgd", "mse", metrics=[name])
        x = np.ones((4, 3), np.float32)
        y = np.asarray([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32)
        logs = model.evaluate(x, y, verbose=0, return_dict=True)
        assert sorted(logs) == recorded["keys"]


def test_metric_errors():
    with pytest.raises(ValueError, match=r"Target class id 3 is out of range, which is \[0, 3\)"):
        tf.keras.metrics.IoU(num_classes=3, target_class_ids=[3])
    with pytest.raises(ValueError, match="Invalid `average`"):
        tf.keras.metrics.FBetaScore(average="mean")
    with pytest.raises(ValueError, match="Python float"):
        tf.keras.metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        tf.keras.metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expects 2D inputs"):
        tf.keras.metrics.F1Score()([1.0, 0.0], [0.3, 0.2])
    with pytest.raises(ValueError, match="class_aggregation"):
        tf.keras.metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        tf.keras.metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        tf.keras.metrics.R2Score()([1.0], [1.0])
    with pytest.raises(ValueError, match=r"`specificity` must be in the range \[0, 1\]"):
        tf.keras.metrics.SensitivityAtSpecificity(1.5)
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        tf.keras.metrics.RecallAtPrecision(0.5, num_thresholds=0)
    m = tf.keras.metrics.MeanTensor()
    with pytest.raises(ValueError, match="does not have any value yet"):
        m.result()
    m.update_state([1.0, 2.0])
    with pytest.raises(ValueError, match="must always have the same shape"):
        m.update_state([1.0, 2.0, 3.0])


def test_r2_adjusted_falls_back_with_warning():
    m = tf.keras.metrics.R2Score(num_regressors=5)
    with pytest.warns(UserWarning, match="More independent predictors"):
        value = m([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    plain = tf.keras.metrics.R2Score()([[1.0], [2.0], [4.0]], [[1.5], [2.0], [3.0]])
    np.testing.assert_allclose(value.numpy(), plain.numpy())


class _Largest(tf.keras.metrics.experimental.PyMetric):
    def update_state(self, y_true, y_pred, sample_weight=None):
        self.seen.append(float(np.max(y_pred.numpy())))

    def reset_state(self):
        self.seen = []

    def result(self):
        return max(self.seen, default=0.0)


def test_py_metric_eager_and_traced():
    m = _Largest(name="largest")
    assert m.seen == [] and m.name == "largest"
    m.update_state([0.0], [0.5, 2.5])
    assert float(m.result()) == 2.5
    assert m.result().dtype == tf.float32

    @tf.function
    def step(y):
        m.update_state(y, y)
        return m.result()

    assert float(step(tf.constant([7.0]))) == 7.0
    assert float(step(tf.constant([3.0]))) == 7.0
    # Tracing does not run the Python update: each call updates once.
    assert m.seen == [2.5, 7.0, 3.0]
    m.reset_state()
    assert float(m.result()) == 0.0
    with pytest.raises(NotImplementedError):
        m.merge_state([])


def test_orthogonal_regularizer_matches_keras():
    rec = FIXTURES["weight_penalties"]
    matrix = tf.constant(rec["matrix"], tf.float32)
    for key, expected in rec["orthogonal"].items():
        factor, mode = key.split("-")
        reg = tf.keras.regularizers.OrthogonalRegularizer(factor=float(factor), mode=mode)
        np.testing.assert_allclose(float(reg(matrix)), expected, rtol=1e-6)
        clone = tf.keras.regularizers.deserialize(tf.keras.regularizers.serialize(reg))
        assert clone.get_config() == reg.get_config()
    reg = tf.keras.regularizers.get("orthogonal_regularizer")
    assert reg.get_config() == {"factor": 0.009999999776482582, "mode": "rows"}
    assert (
        tf.keras.regularizers.orthogonal_regularizer is tf.keras.regularizers.OrthogonalRegularizer
    )
    with pytest.raises(ValueError, match="Expected one of"):
        tf.keras.regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="must have rank 2"):
        reg(tf.ones([3]))
    with pytest.raises(ValueError, match="not a valid regularization penalty"):
        tf.keras.regularizers.OrthogonalRegularizer(factor="big")


def test_radial_constraint_matches_keras():
    rec = FIXTURES["weight_penalties"]
    constraint = tf.keras.constraints.get("radial_constraint")
    for n, kernel in rec["kernels"].items():
        out = constraint(tf.constant(kernel, tf.float32))
        np.testing.assert_array_equal(out.numpy(), np.asarray(rec["radial"][n], np.float32))
    traced = tf.function(constraint)
    kernel = tf.constant(rec["kernels"]["4"], tf.float32)
    np.testing.assert_array_equal(traced(kernel).numpy(), constraint(kernel).numpy())
    assert tf.keras.constraints.serialize(constraint)["class_name"] == "RadialConstraint"
    with pytest.raises(ValueError, match="must have rank 4"):
        constraint(tf.ones([3, 3, 1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input to reshape"):
        constraint(tf.ones([3, 2, 1, 1]))
    with tf.GradientTape() as tape:
        tape.watch(kernel)
        total = tf.reduce_sum(constraint(kernel))
    # Each diagonal entry receives one unit per position of its ring.
    grad = tape.gradient(total, kernel).numpy()[:, :, 0, 0]
    np.testing.assert_array_equal(np.diag(grad), [0.0, 4.0, 0.0, 12.0])
