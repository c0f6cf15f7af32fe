"""Reduction keys and the weighting/reduction shared by every loss (and by metrics).

Ranks are known in eager mode and while tracing, so the rank fix-ups below are
plain Python decisions; inside a trace, sizes may be known only when the graph runs.
"""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.ops.math_ops import cast, divide_no_nan, multiply
from tensorflux.ops.reduction_ops import reduce_sum
from tensorflux.ops.shape_ops import expand_dims, size, squeeze

__all__ = ["element_count"]


def element_count(t):
    """How many entries ``t`` has: a float, or (sizes known only when a traced graph runs)
    a tensor of ``t``'s dtype."""
    n = t.shape.num_elements()
    return float(n) if n is not None else cast(size(t), t.dtype)


def epsilon() -> float:
    """The fuzz factor that keeps logs of probabilities finite (``keras.backend.epsilon()``)."""
    from tensorflux.keras import backend

    return backend.epsilon()


def prepare(y_true, y_pred):
    """Converts ``y_pred`` to a tensor and casts ``y_true`` to its dtype, as Keras losses do."""
    y_pred = convert_to_tensor(y_pred)
    return cast(y_true, y_pred.dtype), y_pred


class Reduction:
    """How a loss reduces its per-sample values (``keras.losses.Reduction``).

    ``AUTO`` means ``SUM_OVER_BATCH_SIZE`` here (Keras 2 only differs under
    distribution strategies): the weighted sum divided by the number of elements.
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls) -> tuple:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key) -> None:
        """Raises ValueError unless ``key`` is one of :meth:`all`."""
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def _rank(x) -> int:
    return len(x.shape)


def squeeze_or_expand_dimensions(y_pred, y_true=None, sample_weight=None):
    """Aligns ranks the way Keras does before computing a loss or metric.

    A trailing size-1 axis is dropped from whichever of ``y_true``/``y_pred`` has
    one rank more (so labels ``(batch,)`` meet predictions ``(batch, 1)``);
    ``sample_weight`` loses a trailing axis or gains one to be one rank closer to
    ``y_pred``. Returns ``(y_pred, y_true)`` or ``(y_pred, y_true, sample_weight)``
    when a weight is given.
    """
    if y_true is not None:
        diff = _rank(y_pred) - _rank(y_true)
        if diff == 1 and y_pred.shape[-1] == 1:
            y_pred = squeeze(y_pred, [-1])
        elif diff == -1 and y_true.shape[-1] == 1:
            y_true = squeeze(y_true, [-1])
    if sample_weight is None:
        return y_pred, y_true
    sample_weight = convert_to_tensor(sample_weight)
    weight_rank = _rank(sample_weight)
    if weight_rank:
        if weight_rank - _rank(y_pred) == 1:
            sample_weight = squeeze(sample_weight, [-1])
        elif _rank(y_pred) - weight_rank == 1:
            sample_weight = expand_dims(sample_weight, -1)
    return y_pred, y_true, sample_weight


def compute_weighted_loss(
    losses, sample_weight=None, reduction=Reduction.SUM_OVER_BATCH_SIZE, mask=None
):
    """Weights per-sample ``losses`` and reduces them.

    Args:
        losses: per-sample (or per-element) loss values.
        sample_weight: optional weights broadcastable to ``losses`` after the rank
            fix-up of :func:`squeeze_or_expand_dimensions`.
        reduction: a :class:`Reduction` key.
        mask: optional boolean tensor of the entries that count (e.g. labels not equal
            to ``ignore_class``); with ``SUM_OVER_BATCH_SIZE`` the mean is over those.

    Returns:
        A scalar, or ``losses``' shape for ``Reduction.NONE``.
    """
    losses = convert_to_tensor(losses)
    input_dtype = losses.dtype
    if not input_dtype.is_floating:
        losses = cast(losses, dtypes.float32)
    if mask is not None:
        mask = cast(mask, losses.dtype)
        if reduction in (Reduction.AUTO, Reduction.SUM_OVER_BATCH_SIZE):
            # Valid entries weigh total/valid so the batch mean is over valid entries.
            mask = multiply(mask, divide_no_nan(element_count(mask), reduce_sum(mask)))
        sample_weight = (
            mask if sample_weight is None else multiply(mask, cast(sample_weight, losses.dtype))
        )
    if sample_weight is not None:
        sample_weight = cast(sample_weight, losses.dtype)
        losses, _, sample_weight = squeeze_or_expand_dimensions(losses, None, sample_weight)
        losses = multiply(losses, sample_weight)
    if reduction == Reduction.NONE:
        return losses
    total = reduce_sum(losses)
    if reduction in (Reduction.AUTO, Reduction.SUM_OVER_BATCH_SIZE):
        total = divide_no_nan(total, element_count(losses))
    return total
