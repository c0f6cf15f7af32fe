"""``tf.distribute.ReduceOp``: how values from several replicas are combined."""

from __future__ import annotations

import enum

__all__ = ["ReduceOp"]


class ReduceOp(enum.Enum):
    """``SUM`` adds the replicas' values; ``MEAN`` averages them.

    >>> ReduceOp("SUM") is ReduceOp.SUM
    True
    """

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation):
        """The ReduceOp of a ``tf.VariableAggregation`` (SUM, MEAN).

        Raises:
            ValueError: an aggregation with no reduction (NONE, ONLY_FIRST_REPLICA).
        """
        name = getattr(aggregation, "name", str(aggregation)).upper()
        if name not in ("SUM", "MEAN"):
            raise ValueError(f"Could not convert from `tf.VariableAggregation` {aggregation}")
        return ReduceOp(name)


def as_reduce_op(reduce_op) -> ReduceOp:
    """``reduce_op`` as a ReduceOp (its name "SUM"/"MEAN" accepted too).

    Raises:
        ValueError: neither a ReduceOp nor the name of one ("'PROD' is not a valid
            ReduceOp", as TF).
    """
    return ReduceOp(reduce_op)
