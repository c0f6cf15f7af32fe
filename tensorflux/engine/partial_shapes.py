"""Partly known shapes inside a trace, and catching code that depends on an example's.

A ``tf.function`` traced for an ``input_signature`` with ``None`` dimensions (or
generalised by ``reduce_retracing``) gives its inputs partly known static shapes, as
TF does: ``x.shape`` reads ``(None, 3)``, and every op's inference rule carries the
unknown dimensions forward. The trace still computes on example values (see
``tensor.SymbolicTensor``). The examples of tensors whose shape is partly known are
``ExampleArray`` views: reading their ``shape``, ``size`` or ``len`` outside a kernel
means Python code (an op wrapper, a gradient) computes something from the example's
sizes, which other calls need not share. Such a read marks the trace *specialised*:
its graph then serves only the exact input shapes it was traced with, and other
shapes are traced again. A trace without such reads gives one graph for every shape
the signature admits.
"""

from __future__ import annotations

import traceback

import numpy as np

from tensorflux.framework import context
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import SymbolicTensor

__all__ = [
    "ExampleArray",
    "as_example",
    "as_plain",
    "example_shape",
    "output_shapes",
    "has_unknown_shape",
    "note_example_read",
    "cannot_grow",
]

_ndarray_shape = np.ndarray.shape
_ndarray_size = np.ndarray.size
_ndarray_len = np.ndarray.__len__


def note_example_read() -> None:
    """Marks the trace in progress as specialised to its example shapes (unless a kernel
    or engine bookkeeping is reading), keeping where it happened for error messages."""
    state = context.state
    graph = state.graph
    if graph is None or state.reading_examples:
        return
    while graph.outer is not None:
        graph = graph.outer
    if graph.specialized_at is None:
        graph.specialized_at = "".join(traceback.format_stack(limit=8)[:-2])


class ExampleArray(np.ndarray):
    """The example value of a traced tensor whose shape is only partly known."""

    @property
    def shape(self):
        note_example_read()
        return _ndarray_shape.__get__(self)

    @shape.setter
    def shape(self, value):
        _ndarray_shape.__set__(self, value)

    @property
    def size(self):
        note_example_read()
        return _ndarray_size.__get__(self)

    def __len__(self):
        note_example_read()
        return _ndarray_len(self)


def as_example(value):
    """``value`` as the example of a tensor with a partly known shape."""
    if isinstance(value, np.ndarray):
        return value.view(ExampleArray)
    return value


def as_plain(value):
    """``value`` with any ExampleArray view dropped (kernels may return one)."""
    if isinstance(value, ExampleArray):
        return value.view(np.ndarray)
    return value


def example_shape(value) -> tuple:
    """An example value's shape, read for engine bookkeeping (not marking the trace)."""
    return _ndarray_shape.__get__(value) if isinstance(value, np.ndarray) else ()


def has_unknown_shape(inputs) -> bool:
    """Whether any input is a traced tensor whose shape is partly known or data-dependent."""
    for t in inputs:
        if type(t) is SymbolicTensor and (t._shape is not None or t._dynamic_shape):
            return True
    return False


def output_shapes(op, inputs, attrs, values) -> list:
    """The static shape of each output of ``op`` on ``inputs``, from its inference rule,
    checked against the example ``values``; None for a fully known one.

    Raises:
        RuntimeError: the rule and the kernel disagree (output count or rank): the
            inference contract is broken, a bug in the op.
    """
    from tensorflux.engine.registry import Spec, input_specs

    # A rule that raises here is a bug in the op (tests/engine/test_inference_contract.py
    # checks every rule against its kernel), so its exception surfaces as it is.
    inferred = op.infer(*input_specs(inputs), **attrs)
    if isinstance(inferred, Spec):
        inferred = (inferred,)
    if len(inferred) != len(values):
        raise RuntimeError(
            f"{op.name}'s inference rule gives {len(inferred)} outputs but its "
            f"kernel {len(values)}: the op breaks the inference contract."
        )
    shapes = []
    for spec, value in zip(inferred, values):
        example = example_shape(value)
        known = spec.shape
        if known.rank is None:
            dims = [None] * len(example)
        elif known.rank != len(example):
            raise RuntimeError(
                f"{op.name}'s inference rule gives shape {known} but its kernel an output of "
                f"shape {example}: the op breaks the inference contract."
            )
        else:
            dims = [d if d == e else None for d, e in zip(known.as_list(), example)]
        shapes.append(TensorShape(dims) if None in dims else None)
    return shapes


def cannot_grow(target: tuple, other) -> bool:
    """Whether broadcasting against an operand of static shape ``other`` leaves a value
    of static shape ``target`` (None: unknown dims) at its size on every call."""
    if other is None or len(other) > len(target):
        return False
    for t, o in zip(target[len(target) - len(other) :], other):
        # A known size t admits an operand of size 1 or t only; an unknown one, size 1.
        if not (o == 1 or (t is not None and o in (None, t))):
            return False
    return True
