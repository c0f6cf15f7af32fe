"""Python operators on Tensor and Variable, mapped onto tensorflux ops.

Lives with the ops (not in framework/tensor.py) because operators need the op
library, and the framework must not import it. The hot binary operators call
``execute`` directly to keep eager dispatch lean.
"""

from __future__ import annotations

from tensorflux.engine.registry import execute
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.variables import Variable
from tensorflux.ops import math_ops

_ADD, _SUB, _MUL = math_ops._ADD, math_ops._SUB, math_ops._MUL


def _binary(op):
    def forward(self, other):
        return execute(op, (self, other))

    def reverse(self, other):
        return execute(op, (other, self))

    return forward, reverse


def _wrap(fn):
    def forward(self, other):
        return fn(self, other)

    def reverse(self, other):
        return fn(other, self)

    return forward, reverse


def _install(cls) -> None:
    cls.__add__, cls.__radd__ = _binary(_ADD)
    cls.__sub__, cls.__rsub__ = _binary(_SUB)
    cls.__mul__, cls.__rmul__ = _binary(_MUL)
    cls.__truediv__, cls.__rtruediv__ = _wrap(math_ops.truediv)
    cls.__pow__, cls.__rpow__ = _wrap(math_ops.pow)
    cls.__matmul__, cls.__rmatmul__ = _wrap(math_ops.matmul)
    cls.__neg__ = math_ops.negative


for _cls in (Tensor, Variable):
    _install(_cls)
