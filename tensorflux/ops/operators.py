"""Python operators on Tensor and Variable, mapped onto tensorflux ops.

Lives with the ops (not in framework/tensor.py) because operators need the op
library, and the framework must not import it. The hot binary operators call
``execute`` directly to keep eager dispatch lean; checks that only matter when
a call fails (TF's TypeError for a Python operand of the wrong kind) run on the
error path. Semantics are TF2's: ``==`` is elementwise, ``t == None`` is False,
``&`` ``|`` ``^`` ``~`` are logical on bools and bitwise on integers.
"""

from __future__ import annotations

from tensorflux.engine.registry import execute
from tensorflux.framework import dtypes
from tensorflux.framework import tensor as tensor_lib
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor
from tensorflux.framework.variables import Variable
from tensorflux.ops import (
    array_ops,
    creation_ops,
    division_ops,
    logic_ops,
    math_ops,
    segment_ops,
    slicing_ops,
    variable_methods,
    variable_slices,
)
from tensorflux.ops.logic_ops import raise_if_unconvertible

_ADD, _SUB, _MUL = math_ops._ADD, math_ops._SUB, math_ops._MUL
_NO_SHAPE_ERROR = {"incompatible_shape_error": False}


def _add(self, other):
    return execute(_ADD, (self, other))


def _radd(self, other):
    return execute(_ADD, (other, self))


def _checked(op):
    """Forward and reflected operators for ``op``, with TF's TypeError on the error path."""

    def forward(self, other):
        try:
            return execute(op, (self, other))
        except InvalidArgumentError:
            raise_if_unconvertible(self, other)
            raise

    def reverse(self, other):
        try:
            return execute(op, (other, self))
        except InvalidArgumentError:
            raise_if_unconvertible(other, self)
            raise

    return forward, reverse


def _wrap(fn):
    def forward(self, other):
        return fn(self, other)

    def reverse(self, other):
        return fn(other, self)

    return forward, reverse


def _logical_or_bitwise(logical, bitwise):
    """``&``-style operators: logical for bool operands, bitwise for integers."""

    def forward(self, other):
        return (logical if self.dtype is dtypes.bool else bitwise)(self, other)

    def reverse(self, other):
        return (logical if self.dtype is dtypes.bool else bitwise)(other, self)

    return forward, reverse


def _eq(self, other):
    if other is None:
        return False
    return logic_ops._binary(logic_ops._EQUAL, self, other, _NO_SHAPE_ERROR)


def _ne(self, other):
    if other is None:
        return True
    return logic_ops._binary(logic_ops._NOT_EQUAL, self, other, _NO_SHAPE_ERROR)


def _invert(self):
    if self.dtype is dtypes.bool:
        return logic_ops.logical_not(self)
    return logic_ops.invert(self)


def _getitem(self, key):
    return slicing_ops.getitem(self, key)


def _install(cls) -> None:
    cls.__add__, cls.__radd__ = _add, _radd
    cls.__sub__, cls.__rsub__ = _checked(_SUB)
    cls.__mul__, cls.__rmul__ = _checked(_MUL)
    cls.__truediv__, cls.__rtruediv__ = _wrap(math_ops.truediv)
    cls.__floordiv__, cls.__rfloordiv__ = _checked(division_ops._FLOORDIV)
    cls.__mod__, cls.__rmod__ = _checked(division_ops._FLOORMOD)
    cls.__pow__, cls.__rpow__ = _checked(math_ops._POW)
    cls.__matmul__, cls.__rmatmul__ = _wrap(math_ops.matmul)
    cls.__neg__ = math_ops.negative
    cls.__abs__ = math_ops.abs
    cls.__lt__ = _checked(logic_ops._LESS)[0]
    cls.__le__ = _checked(logic_ops._LESS_EQUAL)[0]
    cls.__gt__ = _checked(logic_ops._GREATER)[0]
    cls.__ge__ = _checked(logic_ops._GREATER_EQUAL)[0]
    cls.__eq__, cls.__ne__ = _eq, _ne
    cls.__and__, cls.__rand__ = _logical_or_bitwise(logic_ops.logical_and, logic_ops.bitwise_and)
    cls.__or__, cls.__ror__ = _logical_or_bitwise(logic_ops.logical_or, logic_ops.bitwise_or)
    cls.__xor__, cls.__rxor__ = _logical_or_bitwise(logic_ops.logical_xor, logic_ops.bitwise_xor)
    cls.__invert__ = _invert
    cls.__getitem__ = _getitem


for _cls in (Tensor, Variable):
    _install(_cls)
tensor_lib.op_hooks.update(
    unstack=slicing_ops.unstack,
    stack=array_ops.stack,
    cast=math_ops.cast,
    unsorted_segment_sum=segment_ops.unsorted_segment_sum,
    # AutoGraph's tensor `and`/`or`/`not` and `range`, and the
    # tape's graph loops (the engine sits below the op library).
    logical_and=logic_ops.logical_and,
    logical_or=logic_ops.logical_or,
    logical_not=logic_ops.logical_not,
    range=creation_ops.range,
)


def _tensor_array():
    # TensorArray's module loads when first needed (it is seldom used).
    from tensorflux.ops.tensor_array import TensorArray

    return TensorArray


def _type_spec_from_value():
    from tensorflux.ops.type_specs import type_spec_from_value

    return type_spec_from_value


tensor_lib.op_hooks.loaders.update(
    TensorArray=_tensor_array, type_spec_from_value=_type_spec_from_value
)
Variable.__getitem__ = variable_slices.variable_getitem
variable_methods.install()
