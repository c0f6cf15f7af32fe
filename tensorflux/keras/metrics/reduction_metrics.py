"""Metrics that reduce values over batches: ``Sum``, ``Mean``, ``MeanMetricWrapper``,
``MeanTensor``."""

from __future__ import annotations

from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.losses.loss_utils import element_count, squeeze_or_expand_dimensions
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.creation_ops import ones_like
from tensorflux.ops.math_ops import cast, divide_no_nan, multiply
from tensorflux.ops.reduction_ops import reduce_mean, reduce_sum
from tensorflux.ops.shape_ops import broadcast_to, identity, shape

__all__ = []


def _weighted_values(values, sample_weight, dtype, sum_reduction: bool):
    """``values * sample_weight`` and the weights, broadcast to each other Keras' way.

    Weights broadcastable to the values are broadcast; otherwise the values are
    reduced (sum or mean) over their trailing axes down to the weights' rank.
    """
    sample_weight = cast(sample_weight, dtype)
    values, _, sample_weight = squeeze_or_expand_dimensions(values, None, sample_weight)
    v_shape, w_shape = values.shape.as_list(), sample_weight.shape.as_list()
    fits = len(w_shape) <= len(v_shape) and all(
        w in (1, v) for w, v in zip(reversed(w_shape), reversed(v_shape), strict=False)
    )
    if fits:
        # Sizes known only when a traced graph runs come from tf.shape.
        sample_weight = broadcast_to(
            sample_weight, v_shape if None not in v_shape else shape(values)
        )
    else:
        axes = list(range(len(w_shape), len(v_shape)))
        values = (reduce_sum if sum_reduction else reduce_mean)(values, axis=axes)
    return multiply(values, sample_weight), sample_weight


class Sum(Metric):
    """The (weighted) sum of all values seen.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.Sum()
    >>> float(m([1.0, 3.0, 5.0]))
    9.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total")

    def update_state(self, values, sample_weight=None):
        values = cast(values, self._dtype)
        if sample_weight is not None:
            values, _ = _weighted_values(values, sample_weight, self._dtype, True)
        self.total.assign_add(reduce_sum(values))

    def result(self):
        return identity(self.total)


class Mean(Metric):
    """The (weighted) mean of all values seen: ``sum(w * v) / sum(w)``.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.Mean()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0])
    >>> float(m.result())
    4.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total")
        self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = cast(values, self._dtype)
        if sample_weight is None:
            count = element_count(values)
        else:
            values, sample_weight = _weighted_values(values, sample_weight, self._dtype, False)
            count = reduce_sum(sample_weight)
        self.total.assign_add(reduce_sum(values))
        self.count.assign_add(count)

    def result(self):
        return divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Both inputs are cast to the metric dtype and their ranks aligned before ``fn``.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.MeanMetricWrapper(tf.keras.metrics.mean_squared_error)
    >>> float(m([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5

    Args:
        fn: a function of ``(y_true, y_pred, **kwargs)`` returning per-sample values.
        name: the metric name (default ``mean_metric_wrapper``, made unique).
        dtype: the metric dtype.
        **kwargs: passed to ``fn`` and kept in the config.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(y_true, self._dtype)
        y_pred = cast(y_pred, self._dtype)
        y_pred, y_true = squeeze_or_expand_dimensions(y_pred, y_true)
        values, mask = self._values_and_mask(y_true, y_pred)
        if mask is not None:
            mask = cast(mask, self._dtype)
            sample_weight = (
                mask if sample_weight is None else multiply(mask, cast(sample_weight, self._dtype))
            )
        super().update_state(values, sample_weight=sample_weight)

    def _values_and_mask(self, y_true, y_pred):
        """Per-sample values and the boolean mask of entries that count (or None)."""
        return convert_to_tensor(self._fn(y_true, y_pred, **self._fn_kwargs)), None

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", self._fn)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = config.pop("fn", None)
        if cls is MeanMetricWrapper:
            from tensorflux.keras.metrics.serialization import get

            return cls(get(fn), **config)
        return cls(**config)


class MeanTensor(Metric):
    """The element-wise (weighted) mean of same-shaped tensors.

    The state has the shape of the first values seen (or of ``shape``); the result is
    ``total / count`` per element.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.MeanTensor()
    >>> m.update_state([0.0, 1.0, 2.0])
    >>> m.update_state([4.0, 5.0, 6.0])
    >>> m.result().numpy()
    array([2., 3., 4.], dtype=float32)

    Args:
        shape: the values' shape, to create the state before the first update.

    Raises:
        ValueError: values of another shape than the first ones; ``result()`` before
            any update.
    """

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = None
        self._count = None
        self._built = False
        if shape is not None:
            self._build(shape)

    def _build(self, shape):
        self._shape = TensorShape(shape)
        self._total = self.add_weight("total", shape=self._shape.as_list())
        self._count = self.add_weight("count", shape=self._shape.as_list())
        self._built = True

    @property
    def total(self):
        return self._total if self._built else None

    @property
    def count(self):
        return self._count if self._built else None

    def update_state(self, values, sample_weight=None):
        values = cast(values, self._dtype)
        if not self._built:
            self._build(values.shape)
        elif values.shape != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected "
                f"shape (set during the first call): {self._shape}. Got: {values.shape}."
            )
        counts = ones_like(values)
        if sample_weight is not None:
            values, sample_weight = _weighted_values(values, sample_weight, self._dtype, False)
            counts = sample_weight
        self._total.assign_add(values)
        self._count.assign_add(counts)

    def result(self):
        if not self._built:
            raise ValueError(
                "MeanTensor does not have any value yet. Please call the MeanTensor "
                "instance or use `.update_state(value)` before retrieving the result."
            )
        return divide_no_nan(self._total, self._count)
