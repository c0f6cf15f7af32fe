"""``tf.VariableAggregation`` and ``tf.VariableSynchronization``: how a distributed
variable combines its replicas' updates and when its replicas agree.

tensorflux runs on one device, so a variable only records the modes it was given
(Keras and distribution-aware code read them back); the enums and their validation
are TF's.
"""

from __future__ import annotations

import enum

__all__ = [
    "VariableAggregation",
    "VariableSynchronization",
    "validate_modes",
]


class VariableSynchronization(enum.Enum):
    """When a distributed variable's replicas are brought into agreement.

    >>> import tensorflux as tf
    >>> tf.VariableSynchronization.ON_READ
    <VariableSynchronization.ON_READ: 3>
    """

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregationV2(enum.Enum):
    """How updates made on several replicas are combined (``tf.VariableAggregation``).

    >>> import tensorflux as tf
    >>> tf.VariableAggregation.SUM
    <VariableAggregationV2.SUM: 1>
    """

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


VariableAggregation = VariableAggregationV2


def validate_modes(synchronization, aggregation, trainable, name):
    """TF's defaults and checks for a variable's modes.

    Returns:
        ``(synchronization, aggregation, trainable)``: enum members (ints are taken as
        enum values), and ``trainable`` False by default for an ``ON_READ`` variable.

    Raises:
        ValueError: a mode that is neither a member nor the value of one.
    """
    if aggregation is None:
        aggregation = VariableAggregationV2.NONE
    elif not isinstance(aggregation, VariableAggregationV2):
        try:
            aggregation = VariableAggregationV2(aggregation)
        except ValueError:
            raise ValueError(
                f"Invalid variable aggregation mode: {aggregation} for variable: {name}"
            ) from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    else:
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(
                f"Invalid variable synchronization mode: {synchronization} for variable: {name}"
            ) from None
    if trainable is None:
        trainable = synchronization is not VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable
