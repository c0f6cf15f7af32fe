"""``keras.metrics.get`` / ``serialize`` / ``deserialize`` and how ``compile`` turns a
user's metric (``"accuracy"``, ``"mse"``, a function, a Metric) into a Metric."""

from __future__ import annotations

import inspect

from tensorflux.keras.losses import focal, hinge, probabilistic, regression
from tensorflux.keras.metrics import (
    accuracy_metrics,
    auc,
    confusion_metrics,
    f_score_metrics,
    hinge_metrics,
    iou_metrics,
    probabilistic_metrics,
    py_metric,
    reduction_metrics,
    regression_metrics,
)
from tensorflux.keras.metrics.metric import Metric, snake_case
from tensorflux.keras.utils.serialization import (
    resolve_keras_object,
    serialize_keras_object,
    unknown_object_error,
)

__all__ = []

_FUNCTIONS = {
    name: obj
    for module in (regression, probabilistic, hinge, focal, accuracy_metrics)
    for name, obj in vars(module).items()
    if inspect.isfunction(obj)
    and not name.startswith("_")
    and obj.__module__ == module.__name__
    and not name.endswith(("_matches", "_with_mask"))
    and name not in ("epsilon", "prepare")
}
_FUNCTIONS["acc"] = accuracy_metrics.accuracy
_FUNCTIONS["cosine_similarity"] = regression_metrics.cosine_similarity

_CLASSES = {
    name: obj
    for module in (
        reduction_metrics,
        accuracy_metrics,
        regression_metrics,
        probabilistic_metrics,
        hinge_metrics,
        confusion_metrics,
        auc,
        f_score_metrics,
        iou_metrics,
        py_metric,
    )
    for name, obj in vars(module).items()
    if inspect.isclass(obj) and issubclass(obj, Metric) and not name.startswith("_")
}
_CLASSES["Metric"] = Metric
_UNKNOWN_HINT = (
    "Use a built-in name such as 'accuracy', 'mse' or 'AUC', a Metric instance or "
    "a callable; pass custom metrics with custom_objects={{'{name}': ...}}."
)


def serialize(metric) -> dict:
    """A Metric as ``{"module", "class_name", "config", "registered_name"}``; a metric
    function as its name."""
    if isinstance(metric, Metric):
        return serialize_keras_object(metric, "keras.metrics")
    if callable(metric) and hasattr(metric, "__name__"):
        return metric.__name__
    raise ValueError(
        f"Could not serialize metric {metric!r}: expected a Metric instance or a metric function."
    )


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from :func:`serialize`'s output or a name.

    Function names (``"accuracy"``, ``"mse"``) give the function, class names
    (``"AUC"``, and the snake-case ``"auc"``) a default instance, config dicts the
    configured instance.

    Raises:
        ValueError: an unknown name.
    """
    custom = custom_objects or {}
    if isinstance(config, dict):
        class_name = config.get("class_name")
        if class_name == "function":
            return deserialize(config.get("config"), custom_objects)
        cls = resolve_keras_object(class_name, _CLASSES, custom, "metric function", _UNKNOWN_HINT)
        return cls.from_config(dict(config.get("config", {})))
    obj = custom.get(config) or _FUNCTIONS.get(config) or _CLASSES.get(config)
    if obj is None:
        obj = next((c for n, c in _CLASSES.items() if snake_case(n) == config), None)
    if obj is None:
        raise unknown_object_error("metric function", config, _UNKNOWN_HINT)
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Resolves a metric identifier: a name, a config dict or a callable.

    >>> import tensorflux as tf
    >>> tf.keras.metrics.get("mse").__name__
    'mean_squared_error'

    Raises:
        ValueError: an unknown name or an identifier of another kind.
    """
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def resolve_metric(metric, y_true_shape, y_pred_shape):
    """The Metric that ``compile(metrics=[metric])`` tracks for one output, as Keras 2.

    ``"accuracy"``/``"acc"`` (and ``"crossentropy"``/``"ce"``) are resolved from the
    shapes of the first batch's labels and predictions, not from the loss:

    - predictions with last dimension 1 -> ``binary_accuracy`` (``binary_crossentropy``);
    - labels of lower rank than the predictions, or labels with last dimension 1 against
      predictions with more -> ``sparse_categorical_accuracy`` (``..._crossentropy``);
    - otherwise -> ``categorical_accuracy`` (``categorical_crossentropy``).

    History key naming: a string becomes a ``MeanMetricWrapper`` named exactly as written
    (``"acc"`` -> ``acc``, ``"accuracy"`` -> ``accuracy``, ``"mse"`` -> ``mse``); a
    function is named after its ``__name__``; a Metric object keeps its own ``name``
    (``AUC()`` -> ``auc``, ``auc_1``, ...).

    Args:
        metric: a string, function, Metric or None.
        y_true_shape: the labels' shape (a TensorShape, tuple or list).
        y_pred_shape: the predictions' shape.

    Returns:
        A Metric (None when ``metric`` is None).

    Raises:
        ValueError: an unknown name or an object that is not a metric.
    """
    if metric is None:
        return None
    if isinstance(metric, Metric):
        return metric
    key = str(metric).lower() if isinstance(metric, str) else None
    if key in ("accuracy", "acc", "crossentropy", "ce"):
        t_shape, p_shape = list(y_true_shape), list(y_pred_shape)
        is_binary = p_shape[-1] == 1
        is_sparse = len(t_shape) < len(p_shape) or (t_shape[-1] == 1 and p_shape[-1] > 1)
        kind = "binary" if is_binary else "sparse_categorical" if is_sparse else "categorical"
        suffix = "accuracy" if key in ("accuracy", "acc") else "crossentropy"
        fn = _FUNCTIONS[f"{kind}_{suffix}"]
    else:
        fn = get(metric)
        if isinstance(fn, Metric):
            return fn
    name = (
        metric
        if isinstance(metric, str)
        else getattr(metric, "name", None) or getattr(metric, "__name__", None)
    )
    if name is None or not callable(fn):
        raise ValueError(f"Metric should be a string, a callable or a Metric, received: {metric!r}")
    return reduction_metrics.MeanMetricWrapper(fn, name=name)
