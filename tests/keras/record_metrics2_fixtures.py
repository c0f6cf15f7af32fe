"""Records tf_keras (Keras 2) reference values for the focal losses and the IoU, F-score,
R2, relative-error, mean-tensor and rate-at-rate metrics into
``tests/keras/fixtures/metrics2.json`` (read by ``test_metrics2.py``).

Run it where TensorFlow and tf_keras are installed (the tests never import them)::

    /path/to/tf-venv/bin/python tests/keras/record_metrics2_fixtures.py
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import tf_keras as keras

FIXTURE = Path(__file__).parent / "fixtures" / "metrics2.json"
rng = np.random.default_rng(11)


def rnd(a):
    return np.round(np.asarray(a, np.float64), 3).tolist()


def one_hot(labels, n):
    return np.eye(n)[labels].tolist()


def jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def binary_batches(n=3, rows=6, cols=1, weights=True):
    out = []
    for i in range(n):
        y = rng.integers(0, 2, size=(rows, cols)).astype(float)
        # Scores on a 1/8 grid never sit on a threshold i / 199 of a rate-at-rate metric.
        p = rng.integers(1, 8, size=(rows, cols)) / 8.0
        w = rnd(rng.uniform(0.2, 2.0, size=rows)) if weights and i != 1 else None
        out.append([y.tolist(), p.tolist(), w])
    return out


def class_batches(n=3, rows=8, classes=3, onehot_true=False, scores=False, ignore=None):
    out = []
    for i in range(n):
        yt = rng.integers(0, classes, size=rows)
        if ignore is not None:
            yt[::3] = ignore
        yp = rng.integers(0, classes, size=rows)
        t = one_hot(yt, classes) if onehot_true else yt.tolist()
        p = rnd(rng.uniform(size=(rows, classes))) if scores else yp.tolist()
        w = rnd(rng.uniform(0.2, 2.0, size=rows)) if i != 1 else None
        out.append([t, p, w])
    return out


def multilabel_batches(n=3, rows=6, classes=3, weights=True):
    out = []
    for i in range(n):
        y = rng.integers(0, 2, size=(rows, classes)).astype(float)
        p = rnd(rng.uniform(size=(rows, classes)))
        w = rnd(rng.uniform(0.2, 2.0, size=rows)) if weights and i != 1 else None
        out.append([y.tolist(), p, w])
    return out


def regression_batches(n=3, rows=5, cols=2):
    out = []
    for i in range(n):
        y = rnd(rng.normal(size=(rows, cols)))
        p = rnd(rng.normal(size=(rows, cols)))
        w = rnd(rng.uniform(0.2, 2.0, size=rows)) if i != 1 else None
        out.append([y, p, w])
    return out


METRIC_CASES = [
    ["IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, class_batches()],
    ["IoU", {"num_classes": 3, "target_class_ids": [1], "ignore_class": 0}, class_batches()],
    ["MeanIoU", {"num_classes": 3}, class_batches()],
    ["MeanIoU", {"num_classes": 3, "ignore_class": 255}, class_batches(ignore=255)],
    [
        "MeanIoU",
        {"num_classes": 3, "sparse_y_true": False, "sparse_y_pred": False},
        class_batches(onehot_true=True, scores=True),
    ],
    ["BinaryIoU", {}, binary_batches()],
    ["BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, binary_batches()],
    [
        "OneHotIoU",
        {"num_classes": 3, "target_class_ids": [0, 1]},
        class_batches(onehot_true=True, scores=True),
    ],
    ["OneHotMeanIoU", {"num_classes": 3}, class_batches(onehot_true=True, scores=True)],
    ["FBetaScore", {}, multilabel_batches()],
    ["FBetaScore", {"beta": 2.0, "threshold": 0.5, "average": "micro"}, multilabel_batches()],
    ["FBetaScore", {"beta": 0.3, "average": "macro"}, multilabel_batches()],
    ["FBetaScore", {"beta": 0.5, "threshold": 0.4, "average": "weighted"}, multilabel_batches()],
    ["F1Score", {}, multilabel_batches()],
    ["F1Score", {"average": "macro", "threshold": 0.6}, multilabel_batches()],
    ["R2Score", {}, regression_batches()],
    ["R2Score", {"class_aggregation": None}, regression_batches()],
    ["R2Score", {"class_aggregation": "variance_weighted_average"}, regression_batches()],
    ["R2Score", {"num_regressors": 2}, regression_batches(rows=6)],
    ["MeanRelativeError", {"normalizer": [[1.5, 2.0]]}, regression_batches()],
    ["MeanTensor", {}, [[None, rnd(rng.normal(size=(2, 3))), None] for _ in range(3)]],
    [
        "MeanTensor",
        {},
        [[None, rnd(rng.normal(size=(2, 3))), rnd(rng.uniform(0.1, 2, size=(2, 3)))]]
        + [[None, rnd(rng.normal(size=(2, 3))), rnd(rng.uniform(0.1, 2, size=(2, 1)))]],
    ],
    ["SensitivityAtSpecificity", {"specificity": 0.5}, binary_batches()],
    ["SensitivityAtSpecificity", {"specificity": 0.8, "num_thresholds": 7}, binary_batches()],
    ["SpecificityAtSensitivity", {"sensitivity": 0.6}, binary_batches()],
    ["SpecificityAtSensitivity", {"sensitivity": 0.3, "num_thresholds": 1}, binary_batches()],
    ["PrecisionAtRecall", {"recall": 0.7}, binary_batches()],
    [
        "PrecisionAtRecall",
        {"recall": 0.5, "class_id": 1},
        binary_batches(cols=3),
    ],
    ["RecallAtPrecision", {"precision": 0.6}, binary_batches()],
    ["RecallAtPrecision", {"precision": 0.9, "num_thresholds": 5}, binary_batches()],
]


def run_metric(name, kwargs, batches):
    metric = getattr(keras.metrics, name)(**kwargs)
    results = []
    for y_true, y_pred, weight in batches:
        args = [np.asarray(y_pred, np.float32)] if y_true is None else [y_true, y_pred]
        if y_true is not None:
            args = [np.asarray(y_true, np.float32), np.asarray(y_pred, np.float32)]
        w = None if weight is None else np.asarray(weight, np.float32)
        metric.update_state(*args, sample_weight=w)
        results.append(np.asarray(metric.result()).tolist())
    metric.reset_state()
    y_true, y_pred, weight = batches[-1]
    args = [np.asarray(y_pred, np.float32)]
    if y_true is not None:
        args = [np.asarray(y_true, np.float32)] + args
    metric.update_state(*args, sample_weight=None if weight is None else np.float32(weight))
    return {
        "name": name,
        "kwargs": kwargs,
        "batches": batches,
        "results": results,
        "after_reset": np.asarray(metric.result()).tolist(),
        "config": jsonable(metric.get_config()),
        "variables": [v.name.split(":")[0] for v in metric.variables],
    }


LOSS_DATA = {
    "binary": [
        rng.integers(0, 2, size=(4, 3)).astype(float).tolist(),
        rnd(rng.uniform(0.02, 0.98, size=(4, 3))),
    ],
    "binary_logits": [
        rng.integers(0, 2, size=(4, 3)).astype(float).tolist(),
        rnd(rng.normal(size=(4, 3)) * 2),
    ],
    "categorical": [one_hot(rng.integers(0, 3, size=4), 3), None],
    "categorical_logits": [one_hot(rng.integers(0, 3, size=4), 3), rnd(rng.normal(size=(4, 3)))],
    "categorical_3d": [
        np.eye(3)[rng.integers(0, 3, size=(2, 3))].tolist(),
        rnd(rng.uniform(0.05, 1.0, size=(2, 3, 3))),
    ],
}
_raw = rng.uniform(0.05, 1.0, size=(4, 3))
LOSS_DATA["categorical"][1] = rnd(_raw / _raw.sum(-1, keepdims=True))
LOSS_WEIGHTS = [0.5, 1.0, 2.0, 0.0]

LOSS_CASES = [
    ["BinaryFocalCrossentropy", {}, "binary"],
    ["BinaryFocalCrossentropy", {"gamma": 0.0}, "binary"],
    ["BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4}, "binary"],
    ["BinaryFocalCrossentropy", {"gamma": 1.5, "label_smoothing": 0.2}, "binary"],
    ["BinaryFocalCrossentropy", {"from_logits": True}, "binary_logits"],
    [
        "BinaryFocalCrossentropy",
        {"from_logits": True, "apply_class_balancing": True, "label_smoothing": 0.1, "axis": 0},
        "binary_logits",
    ],
    ["CategoricalFocalCrossentropy", {}, "categorical"],
    ["CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0}, "categorical"],
    ["CategoricalFocalCrossentropy", {"alpha": [0.2, 0.3, 0.5]}, "categorical"],
    ["CategoricalFocalCrossentropy", {"label_smoothing": 0.3}, "categorical"],
    ["CategoricalFocalCrossentropy", {"from_logits": True}, "categorical_logits"],
    ["CategoricalFocalCrossentropy", {"gamma": 3.0}, "categorical_3d"],
]
FUNCTIONS = {
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
}


def run_loss(name, kwargs, data):
    y_true, y_pred = (np.asarray(a, np.float32) for a in LOSS_DATA[data])
    out = {"name": name, "kwargs": kwargs, "data": data, "reductions": {}}
    fn = getattr(keras.losses, FUNCTIONS[name])
    out["function"] = np.asarray(fn(y_true, y_pred, **kwargs)).tolist()
    for reduction in ("auto", "sum", "none", "sum_over_batch_size"):
        loss = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        w = np.asarray(LOSS_WEIGHTS[: len(out["function"])], np.float32)
        out["reductions"][reduction] = [
            np.asarray(loss(y_true, y_pred)).tolist(),
            np.asarray(loss(y_true, y_pred, sample_weight=w)).tolist(),
        ]
    out["config"] = jsonable(getattr(keras.losses, name)(**kwargs).get_config())
    return out


def compile_lookup():
    """History keys and metric classes that ``compile(metrics=[...])`` gives names."""
    names = [
        "f1_score",
        "fbeta_score",
        "r2_score",
        "F1Score",
        "R2Score",
        "binary_focal_crossentropy",
        "categorical_focal_crossentropy",
        "mean_tensor",
        "sensitivity_at_specificity",
        "binary_io_u",
        "BinaryIoU",
    ]
    out = {}
    for name in names:
        inputs = keras.Input((3,))
        model = keras.Model(inputs, keras.layers.Dense(3, activation="sigmoid")(inputs))
        try:
            model.compile("sgd", "mse", metrics=[name])
            x = np.ones((4, 3), np.float32)
            y = np.asarray([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32)
            logs = model.evaluate(x, y, verbose=0, return_dict=True)
            out[name] = {"keys": sorted(logs)}
        except Exception as e:  # noqa: BLE001 - recording what Keras raises
            out[name] = {"error": type(e).__name__}
    return out


def default_names():
    out = {}
    for name, kwargs in [
        ["IoU", {"num_classes": 2, "target_class_ids": [0]}],
        ["BinaryIoU", {}],
        ["MeanIoU", {"num_classes": 2}],
        ["OneHotIoU", {"num_classes": 2, "target_class_ids": [0]}],
        ["OneHotMeanIoU", {"num_classes": 2}],
        ["MeanRelativeError", {"normalizer": 1.0}],
        ["SensitivityAtSpecificity", {"specificity": 0.5}],
        ["SpecificityAtSensitivity", {"sensitivity": 0.5}],
        ["PrecisionAtRecall", {"recall": 0.5}],
        ["RecallAtPrecision", {"precision": 0.5}],
    ]:
        keras.backend.clear_session()
        out[name] = getattr(keras.metrics, name)(**kwargs).name
    return out


def weight_penalties():
    """OrthogonalRegularizer penalties and RadialConstraint projections."""
    import tensorflow as tf

    matrix = rnd(rng.normal(size=(4, 3)))
    kernels = {n: rnd(rng.normal(size=(n, n, 2, 3))) for n in (2, 3, 4, 5)}
    reg = {}
    for factor, mode in [(0.01, "rows"), (0.3, "columns"), (1.5, "rows")]:
        r = keras.regularizers.OrthogonalRegularizer(factor=factor, mode=mode)
        reg[f"{factor}-{mode}"] = float(r(tf.constant(matrix, tf.float32)))
    radial = keras.constraints.RadialConstraint()
    return {
        "matrix": matrix,
        "orthogonal": reg,
        "kernels": {str(n): k for n, k in kernels.items()},
        "radial": {
            str(n): radial(tf.constant(k, tf.float32)).numpy().tolist() for n, k in kernels.items()
        },
    }


def main():
    warnings.simplefilter("ignore")
    fixtures = {
        "metrics": [run_metric(*case) for case in METRIC_CASES],
        "losses": [run_loss(*case) for case in LOSS_CASES],
        "loss_data": LOSS_DATA,
        "loss_weights": LOSS_WEIGHTS,
        "compile": compile_lookup(),
        "default_names": default_names(),
        "weight_penalties": weight_penalties(),
    }
    FIXTURE.write_text(json.dumps(fixtures, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
