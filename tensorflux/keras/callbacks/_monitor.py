"""Helpers shared by callbacks that watch a metric or change the learning rate."""

import warnings

import numpy as np


def monitor_value(logs, monitor, what):
    """``logs[monitor]``, or None with a warning naming the metrics that exist."""
    value = (logs or {}).get(monitor)
    if value is None:
        warnings.warn(
            f"{what} conditioned on metric `{monitor}` which is not available. "
            f"Available metrics are: {','.join(logs or {})}",
            stacklevel=3,
        )
    return value


def _learning_rate_attribute(optimizer, callback_name):
    for name in ("learning_rate", "lr"):
        if hasattr(optimizer, name):
            return name
    raise ValueError(
        f'{callback_name}: the optimizer must have a "learning_rate" attribute; '
        f"got {type(optimizer).__name__}."
    )


def get_learning_rate(optimizer, callback_name):
    """The optimizer's current learning rate as a NumPy scalar.

    Raises:
        ValueError: if the optimizer has no ``learning_rate`` (or ``lr``).
        TypeError: if the learning rate is a schedule, which a callback cannot set.
    """
    value = getattr(optimizer, _learning_rate_attribute(optimizer, callback_name))
    if callable(value):
        raise TypeError(
            f"{callback_name} cannot control a learning rate given by the schedule "
            f"{type(value).__name__}. Create the optimizer with a float "
            "learning_rate instead."
        )
    value = value.numpy() if hasattr(value, "numpy") else value
    return np.asarray(value)[()]


def set_learning_rate(optimizer, value, callback_name):
    """Assigns the optimizer's learning rate (a variable in place, a float by rebinding)."""
    name = _learning_rate_attribute(optimizer, callback_name)
    current = getattr(optimizer, name)
    if hasattr(current, "assign"):
        current.assign(value)
    else:
        setattr(optimizer, name, value)
