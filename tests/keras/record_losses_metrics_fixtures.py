"""Records reference values of keras losses, metrics and activations from tf_keras.

Run with a Python that has TensorFlow and tf_keras (Keras 2):
    /path/to/tf-venv/bin/python tests/keras/record_losses_metrics_fixtures.py
Writes tests/keras/fixtures/losses_metrics.json, read by test_losses.py,
test_metrics.py and test_activations.py (which never import TensorFlow).
"""

import json
import os

import numpy as np
import tensorflow as tf
import tf_keras as keras

rng = np.random.default_rng(7)
ROWS, COLS = 6, 4


def probs(shape):
    return rng.uniform(0.05, 0.95, size=shape)


def softmax_rows(shape):
    e = np.exp(rng.normal(size=shape))
    return e / e.sum(-1, keepdims=True)


def one_hot(labels, n):
    return np.eye(n)[labels]


labels = rng.integers(0, COLS, size=ROWS)
DATA = {
    "regression": (rng.normal(size=(ROWS, COLS)), rng.normal(size=(ROWS, COLS))),
    "positive": (rng.uniform(0.1, 3, size=(ROWS, COLS)), rng.uniform(0.1, 3, size=(ROWS, COLS))),
    "binary": (rng.integers(0, 2, size=(ROWS, COLS)).astype(float), probs((ROWS, COLS))),
    "binary_logits": (
        rng.integers(0, 2, size=(ROWS, COLS)).astype(float),
        rng.normal(size=(ROWS, COLS)) * 2,
    ),
    "binary_column": (rng.integers(0, 2, size=(ROWS, 1)).astype(float), probs((ROWS, 1))),
    "categorical": (one_hot(labels, COLS), softmax_rows((ROWS, COLS))),
    "categorical_unnormalized": (one_hot(labels, COLS), probs((ROWS, COLS))),
    "categorical_logits": (one_hot(labels, COLS), rng.normal(size=(ROWS, COLS)) * 2),
    "sparse": (labels.astype(float), softmax_rows((ROWS, COLS))),
    "sparse_column": (labels.reshape(-1, 1).astype(float), softmax_rows((ROWS, COLS))),
    "sparse_logits": (labels.astype(float), rng.normal(size=(ROWS, COLS)) * 2),
    "signed": (rng.choice([-1.0, 1.0], size=(ROWS, COLS)), rng.normal(size=(ROWS, COLS))),
    "distribution": (softmax_rows((ROWS, COLS)), softmax_rows((ROWS, COLS))),
    "exact": (
        rng.integers(0, 3, size=(ROWS, COLS)).astype(float),
        rng.integers(0, 3, size=(ROWS, COLS)).astype(float),
    ),
}
SAMPLE_WEIGHT = rng.uniform(0.2, 2.0, size=ROWS)

L = keras.losses
LOSSES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryCrossentropy", {}, "binary_column"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {}, "categorical_unnormalized"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_column"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
    ("Hinge", {}, "signed"),
    ("Hinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "signed"),
    ("CategoricalHinge", {}, "categorical_logits"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
]

M = keras.metrics
METRICS = [
    ("Mean", {}, "values"),
    ("Sum", {}, "values"),
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("BinaryAccuracy", {}, "binary_column"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_column"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {}, "sparse_column"),
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("RootMeanSquaredError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.3, 0.6]}, "binary"),
    ("Precision", {"top_k": 2}, "binary"),
    ("Precision", {"class_id": 1}, "binary"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": 0.7}, "binary"),
    ("TruePositives", {}, "binary"),
    ("FalsePositives", {}, "binary"),
    ("TrueNegatives", {}, "binary"),
    ("FalseNegatives", {}, "binary"),
    ("AUC", {}, "binary"),
    ("AUC", {"num_thresholds": 7}, "binary"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, "binary"),
    ("AUC", {"summation_method": "majoring"}, "binary"),
    ("AUC", {"from_logits": True}, "binary_logits"),
    ("AUC", {"multi_label": True}, "binary"),
    ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, "binary"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
    ("KLDivergence", {}, "distribution"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "signed"),
    ("SquaredHinge", {}, "signed"),
    ("CategoricalHinge", {}, "categorical_logits"),
]

FUNCTIONS = [
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
]
FUNCTION_DATA = {
    "binary_accuracy": "binary",
    "categorical_accuracy": "categorical",
    "sparse_categorical_accuracy": "sparse_column",
    "top_k_categorical_accuracy": "categorical",
    "sparse_top_k_categorical_accuracy": "sparse_column",
}

X = np.linspace(-3.0, 3.0, 12).reshape(2, 6)
ACTIVATIONS = [
    ("relu", {}),
    ("relu", {"alpha": 0.1}),
    ("relu", {"max_value": 1.5}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"alpha": 0.2, "max_value": 2.0, "threshold": -1.0}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("softplus", {}),
    ("softsign", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("swish", {}),
    ("exponential", {}),
    ("hard_sigmoid", {}),
    ("linear", {}),
    ("mish", {}),
]


def f32(a):
    return tf.constant(np.asarray(a, np.float32))


def tolist(x):
    return np.asarray(x, np.float64).tolist()


def main():
    out = {
        "data": {k: [tolist(a), tolist(b)] for k, (a, b) in DATA.items()},
        "sample_weight": tolist(SAMPLE_WEIGHT),
        "losses": [],
        "metrics": [],
        "metric_functions": [],
        "activations": [],
        "x": tolist(X),
    }
    for cls, kwargs, data in LOSSES:
        y_true, y_pred = (f32(a) for a in DATA[data])
        for reduction in ("none", "sum", "sum_over_batch_size"):
            loss = getattr(L, cls)(reduction=reduction, **kwargs)
            for weighted in (False, True):
                if weighted and kwargs.get("axis") == 0:
                    continue  # per-sample weights do not fit losses reduced over the batch
                sw = f32(SAMPLE_WEIGHT) if weighted else None
                value = loss(y_true, y_pred, sample_weight=sw)
                out["losses"].append(
                    {
                        "cls": cls,
                        "kwargs": kwargs,
                        "data": data,
                        "reduction": reduction,
                        "weighted": weighted,
                        "expected": tolist(value),
                    }
                )
        config = getattr(L, cls)(**kwargs).get_config()
        out["losses"][-1]["config"] = config
    values = rng.normal(size=(ROWS, 3))
    out["data"]["values"] = [tolist(values), tolist(values)]
    half = ROWS // 2
    for cls, kwargs, data in METRICS:
        y_true, y_pred = DATA.get(data, (values, values))
        for weighted in (False, True):
            metric = getattr(M, cls)(**kwargs)
            results = []
            for rows in (slice(0, half), slice(half, ROWS)):
                sw = f32(SAMPLE_WEIGHT[rows]) if weighted else None
                if cls in ("Mean", "Sum"):
                    metric.update_state(f32(y_true[rows]), sample_weight=sw)
                else:
                    metric.update_state(f32(y_true[rows]), f32(y_pred[rows]), sample_weight=sw)
                results.append(tolist(metric.result()))
            config = {
                k: (
                    list(v)
                    if isinstance(v, (list, tuple))
                    or hasattr(v, "__len__")
                    and not isinstance(v, str)
                    else v
                )
                for k, v in metric.get_config().items()
                if k != "name"
            }
            out["metrics"].append(
                {
                    "cls": cls,
                    "kwargs": kwargs,
                    "data": data,
                    "weighted": weighted,
                    "expected": results,
                    "config": config,
                    "variables": [v.name.split(":")[0] for v in metric.variables],
                }
            )
    for name in FUNCTIONS:
        y_true, y_pred = DATA[FUNCTION_DATA[name]]
        kw = {"k": 2} if "top_k" in name else {}
        value = getattr(M, name)(f32(y_true), f32(y_pred), **kw)
        out["metric_functions"].append(
            {"fn": name, "data": FUNCTION_DATA[name], "kwargs": kw, "expected": tolist(value)}
        )
    for name, kwargs in ACTIVATIONS:
        value = getattr(keras.activations, name)(tf.constant(X), **kwargs)
        out["activations"].append({"fn": name, "kwargs": kwargs, "expected": tolist(value)})
    path = os.path.join(os.path.dirname(__file__), "fixtures", "losses_metrics.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
