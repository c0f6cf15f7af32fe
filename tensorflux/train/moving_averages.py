"""``tf.train.ExponentialMovingAverage``: shadow variables that track the exponential
moving average of variables (or tensors) as training changes them."""

from __future__ import annotations

from tensorflux.framework import dtypes
from tensorflux.framework.tensor import convert_to_tensor
from tensorflux.framework.variables import Variable
from tensorflux.ops import math_ops

__all__ = ["ExponentialMovingAverage"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
# Variables averaged by any ExponentialMovingAverage, as TF's MOVING_AVERAGE_VARIABLES
# collection: the default of ``variables_to_restore``.
_MOVING_AVERAGE_VARIABLES: list = []
# Names given to averages so far: TF makes each average's name unique in the program
# ("v/ExponentialMovingAverage", then "..._1"), and checkpoints restore by those names.
_USED_NAMES: set = set()


def _base_name(name: str) -> str:
    return name[:-2] if name.endswith(":0") else name


class ExponentialMovingAverage:
    """Maintains moving averages: ``average -= (1 - decay) * (average - value)`` on each
    ``apply``.

    With ``num_updates`` the decay used is ``min(decay, (1 + n) / (10 + n))``, so early
    averages follow the values closely. An average starts at the variable's value. As
    in TF 2, only variables can be averaged (``zero_debias`` concerns tensors, so it has
    no effect).

    >>> import tensorflux as tf
    >>> v = tf.Variable(1.0)
    >>> ema = tf.train.ExponentialMovingAverage(decay=0.9)
    >>> ema.apply([v])
    >>> _ = v.assign(2.0)
    >>> ema.apply([v])
    >>> round(float(ema.average(v)), 4)
    1.1
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self) -> str:
        """The name, the suffix of the averages' names."""
        return self._name

    def _key(self, value):
        return id(value)

    def _create_average(self, var):
        name = self.average_name(var)
        _USED_NAMES.add(name)
        average = Variable(var.read_value(), trainable=False, name=name)
        _MOVING_AVERAGE_VARIABLES.append(var)
        self._averages[self._key(var)] = (var, average)

    def apply(self, var_list=None):
        """Creates the averages of ``var_list`` (on the first call for each) and moves
        them one step towards the current values.

        Raises:
            TypeError: a value that is not float16, float32 or float64.
            ValueError: the same value listed twice.
        """
        if var_list is None:
            raise ValueError(
                "ExponentialMovingAverage.apply needs var_list: TF 2 has no collection of "
                "trainable variables to default to."
            )
        var_list = list(var_list)
        if len({id(v) for v in var_list}) != len(var_list):
            raise ValueError(f"Duplicate values in var_list: {var_list}")
        for value in var_list:
            if not isinstance(value, Variable):
                raise TypeError(
                    "tf.train.ExponentialMovingAverage does not support non-Variable tensors "
                    "when eager execution is enabled."
                )
            if value.dtype.base_dtype not in _FLOATS:
                raise TypeError(
                    f"The variables must be half, float, or double: {getattr(value, 'name', value)}"
                )
            if self._key(value) not in self._averages:
                self._create_average(value)
        decay = convert_to_tensor(self._decay, dtypes.float32)
        if self._num_updates is not None:
            steps = math_ops.cast(self._num_updates, dtypes.float32)
            decay = math_ops.minimum(decay, (1.0 + steps) / (10.0 + steps))
        for value in var_list:
            _, average = self._averages[self._key(value)]
            self._update(average, value, decay)

    def _update(self, average, var, decay):
        rate = math_ops.cast(1.0 - decay, average.dtype)
        average.assign_sub((average.read_value() - var.read_value()) * rate)

    def average(self, var):
        """The Variable holding ``var``'s moving average, or None if ``var`` was never
        applied."""
        entry = self._averages.get(self._key(var))
        return None if entry is None else entry[1]

    def average_name(self, var) -> str:
        """The name of ``var``'s average: ``<var name>/<this name>``, with a ``_<n>``
        suffix when another average already has that name.

        Raises:
            AttributeError: ``var`` has no name (an eager tensor).
        """
        if not isinstance(var, Variable):
            raise AttributeError("Tensor.name is undefined when eager execution is enabled.")
        entry = self._averages.get(self._key(var))
        if entry is not None:
            return _base_name(entry[1].name)
        name = base = f"{_base_name(var.name)}/{self._name}"
        count = 0
        while name in _USED_NAMES:
            count += 1
            name = f"{base}_{count}"
        return name

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """Name -> variable for restoring a checkpoint's averages into the variables
        themselves: ``{average_name(v): v}`` for ``moving_avg_variables`` (by default
        every variable any ExponentialMovingAverage has averaged)."""
        if moving_avg_variables is None:
            moving_avg_variables = _MOVING_AVERAGE_VARIABLES
        return {self.average_name(v): v for v in moving_avg_variables}
