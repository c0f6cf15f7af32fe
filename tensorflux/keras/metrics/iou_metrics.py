"""Intersection-over-union metrics from an accumulated class confusion matrix.

For a class ``c``, ``IoU = tp / (tp + fp + fn)``: the true positives over the entries
labelled or predicted ``c``. The metrics keep one ``[num_classes, num_classes]`` matrix
(rows labels, columns predictions) and average the IoU of the classes asked for,
leaving out classes that never occurred.
"""

from __future__ import annotations

from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.metrics.metric import Metric
from tensorflux.ops.creation_ops import zeros_like
from tensorflux.ops.gather_ops import gather, where
from tensorflux.ops.logic_ops import greater_equal, not_equal
from tensorflux.ops.math_extra_ops import confusion_matrix
from tensorflux.ops.math_ops import cast, divide_no_nan
from tensorflux.ops.reduction_ops import argmax, reduce_sum
from tensorflux.ops.shape_ops import reshape

__all__ = []


class _IoUBase(Metric):
    """Accumulates the weighted confusion matrix of integer (or one-hot) labels."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_weight("total_confusion_matrix", shape=(num_classes, num_classes))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds a batch of class ids (or one-hot rows / scores with ``sparse_*=False``)."""
        if not self.sparse_y_true:
            y_true = argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = argmax(y_pred, axis=self.axis)
        y_true = reshape(cast(y_true, self._dtype), [-1])
        y_pred = reshape(cast(y_pred, self._dtype), [-1])
        if sample_weight is not None:
            sample_weight = reshape(cast(sample_weight, self._dtype), [-1])
        if self.ignore_class is not None:
            # Ignored entries count with weight 0 (at class 0, so an ignore_class such as
            # 255 outside the classes is fine); the result equals dropping them.
            valid = not_equal(y_true, cast(self.ignore_class, self._dtype))
            y_true = where(valid, y_true, zeros_like(y_true))
            y_pred = where(valid, y_pred, zeros_like(y_pred))
            weight = cast(valid, self._dtype)
            sample_weight = weight if sample_weight is None else weight * sample_weight
        self.total_cm.assign_add(
            confusion_matrix(
                y_true, y_pred, self.num_classes, weights=sample_weight, dtype=self._dtype
            )
        )

    def _class_iou(self):
        """Per-class ``(tp, tp + fp + fn)`` from the accumulated matrix."""
        cm = convert_to_tensor(self.total_cm)
        n = self.num_classes
        tp = gather(reshape(cm, [-1]), [i * (n + 1) for i in range(n)])
        return tp, reduce_sum(cm, axis=0) + reduce_sum(cm, axis=1) - tp


class IoU(_IoUBase):
    """Mean intersection-over-union of the classes ``target_class_ids``.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.IoU(num_classes=2, target_class_ids=[0])
    >>> float(m([0, 0, 1, 1], [0, 1, 0, 1]))
    0.3333333432674408

    Args:
        num_classes: the number of classes (the matrix is ``[num_classes, num_classes]``).
        target_class_ids: the classes whose IoU is averaged.
        ignore_class: a label value whose entries are left out.
        sparse_y_true: labels are class ids (else one-hot along ``axis``).
        sparse_y_pred: predictions are class ids (else scores along ``axis``).
        axis: the class axis of one-hot labels or scores.

    Raises:
        ValueError: a target class id ``>= num_classes``.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        tp, union = self._class_iou()
        tp = gather(tp, self.target_class_ids)
        union = gather(union, self.target_class_ids)
        present = reduce_sum(cast(not_equal(union, 0.0), self._dtype))
        return divide_no_nan(reduce_sum(divide_no_nan(tp, union)), present)

    def get_config(self) -> dict:
        return dict(
            super().get_config(),
            num_classes=self.num_classes,
            target_class_ids=self.target_class_ids,
            ignore_class=self.ignore_class,
            sparse_y_true=self.sparse_y_true,
            sparse_y_pred=self.sparse_y_pred,
            axis=self.axis,
        )


class BinaryIoU(IoU):
    """IoU of 0/1 labels against predictions thresholded at ``threshold``
    (``y_pred >= threshold`` is class 1).

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> float(m([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]))
    0.3333333432674408

    Args:
        target_class_ids: which of the classes 0 and 1 to average.
        threshold: the prediction threshold.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = cast(greater_equal(cast(y_pred, self._dtype), self.threshold), self._dtype)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class MeanIoU(IoU):
    """IoU averaged over every class present.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.MeanIoU(num_classes=2)
    >>> float(m([0, 0, 1, 1], [0, 1, 0, 1]))
    0.3333333432674408
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """:class:`IoU` of one-hot labels and per-class scores (the argmax is the class).

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.OneHotIoU(num_classes=2, target_class_ids=[1])
    >>> float(m([[1, 0], [0, 1]], [[0.2, 0.8], [0.3, 0.7]]))
    0.5
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """:class:`MeanIoU` of one-hot labels and per-class scores.

    >>> import tensorflux as tf
    >>> m = tf.keras.metrics.OneHotMeanIoU(num_classes=2)
    >>> float(m([[1, 0], [0, 1]], [[0.2, 0.8], [0.3, 0.7]]))
    0.25
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
