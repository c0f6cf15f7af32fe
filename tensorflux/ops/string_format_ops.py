"""``tf.strings.format``: tensors formatted into a template, as ``tf.print`` shows them."""

from __future__ import annotations

import numpy as np

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import dtypes
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.tensor_format import format_value

__all__ = ["format"]


def _string_format_kernel(*arrays, template="", placeholder="{}", summarize=3, T=()):  # noqa: N803
    pieces = template.split(placeholder)
    # TF quotes strings here, scalars too (tf.print does not).
    texts = [format_value(Tensor(a, d), summarize, top=False) for a, d in zip(arrays, T)]
    out = pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:]))
    return np.array(out.encode(), dtype=object)


def _string_format_infer(*specs, **attrs) -> Spec:
    return Spec(dtypes.string, TensorShape([]))


_FORMAT = register(
    "StringFormat", kernel=_string_format_kernel, grad=None, infer=_string_format_infer
)


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001 - TF's name
    """``template`` with each ``placeholder`` replaced by the next input, formatted as
    ``tf.print`` formats it (``summarize`` entries at each end of every dimension).

    >>> import tensorflux as tf
    >>> tf.strings.format("x={}", [tf.constant([1, 2])]).numpy()
    b'x=[1 2]'

    Raises:
        ValueError: a number of placeholders that differs from the number of inputs.
    """
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    tensors = [convert_to_tensor(x) for x in inputs]
    count = template.count(placeholder)
    if count != len(tensors):
        raise ValueError(
            f"The template expects {count} tensors, but the inputs only has {len(tensors)}. "
            "Give one input per placeholder."
        )
    if summarize is None or summarize < 0:
        summarize = -1 if summarize is not None else 3
    attrs = {
        "template": template,
        "placeholder": placeholder,
        "summarize": summarize,
        "T": tuple(t.dtype for t in tensors),
    }
    return execute(_FORMAT, tensors, attrs)
