"""``keras.optimizers.schedules.PiecewiseConstantDecay``."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from tensorflux.ops import array_ops, logic_ops, math_ops, reduction_ops


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to and including ``boundaries[0]``, ``values[1]`` up to
    ``boundaries[1]``, ..., ``values[-1]`` after the last boundary.

    Args:
        boundaries: increasing step boundaries.
        values: one more value than boundaries.
        name: kept in the config.

    Raises:
        ValueError: ``len(values) != len(boundaries) + 1``.

    >>> import tensorflux as tf
    >>> s = tf.keras.optimizers.schedules.PiecewiseConstantDecay([10], [1.0, 0.5])
    >>> float(s(10)), float(s(11))
    (1.0, 0.5)
    """

    def __init__(self, boundaries, values, name=None):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        values = convert_to_tensor(self.values)
        if not values.dtype.is_floating:
            values = math_ops.cast(values, dtypes.float32)
        boundaries = math_ops.cast(convert_to_tensor(self.boundaries), dtypes.float64)
        # The piece is the number of boundaries strictly below the step: a gather
        # instead of TF's chain of conds, so one graph node serves every step.
        above = logic_ops.greater(math_ops.cast(step, dtypes.float64), boundaries)
        passed = math_ops.cast(above, dtypes.int32)
        return array_ops.gather(values, reduction_ops.reduce_sum(passed))

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
