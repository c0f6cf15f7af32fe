"""``tf.print``, and the top-level names of TF's assertions (``tf.assert_equal`` ...).

The assertions live in ``check_ops``; they are listed here because TF exposes these
few at the top level. Value formatting is in ``tensor_format``.
"""

from __future__ import annotations

import sys

from tensorflux.engine.registry import execute, register
from tensorflux.framework import nest
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.check_ops import Assert, assert_equal, assert_greater, assert_less, assert_rank
from tensorflux.ops.common import to_tensor
from tensorflux.ops.tensor_format import format_tensor, format_value

__all__ = ["print", "Assert", "assert_equal", "assert_greater", "assert_less", "assert_rank"]


_STREAM_ERROR = (
    "Unsupported output stream, logging level, or file.{}. Supported streams are "
    "sys.stdout, sys.stderr, or a file in the form of 'file://<filepath>'."
)


# Marks where a tensor stood among print's Python arguments.
_TENSOR_SLOT = object()


def print(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):  # noqa: A001
    """Prints tensors and Python values, formatted like TF's print kernel (``tf.print``).

    Tensors print their values (``[1 2 3]``, not ``tf.Tensor(...)``); Python strings
    print as-is; lists, tuples and dicts print like Python's with tensors inside.

    >>> import tensorflux as tf, sys
    >>> tf.print("x:", tf.constant([1, 2, 3]), output_stream=sys.stdout)
    x: [1 2 3]

    Args:
        *inputs: the values to print, separated by ``sep``.
        output_stream: ``sys.stderr`` (TF's default), ``sys.stdout``, any object with a
            ``write`` method, or ``"file://<path>"`` to append to a file.
        summarize: entries shown at each end of every tensor dimension; ``None`` means 3,
            -1 prints everything.
        sep: the separator between inputs.
        end: written after the last input.

    Raises:
        ValueError: an unsupported ``output_stream``.
    """
    if summarize is None:
        summarize = 3
    # None stays None so that a traced print writes to the sys.stderr of each call.
    stream = output_stream
    if isinstance(stream, str) and not stream.startswith("file://"):
        raise ValueError(_STREAM_ERROR.format(stream))
    if stream is not None and not isinstance(stream, str) and not hasattr(stream, "write"):
        raise ValueError(_STREAM_ERROR.format(stream))
    flat = nest.flatten(list(inputs))
    tensors = [x for x in flat if isinstance(x, Tensor) or hasattr(x, "_as_tensor")]
    tensors = [to_tensor(x) for x in tensors]
    template = [
        _TENSOR_SLOT if isinstance(x, Tensor) or hasattr(x, "_as_tensor") else x for x in flat
    ]
    execute(
        _PRINT,
        tensors,
        {
            "structure": list(inputs),
            "template": template,
            "dtypes": tuple(t.dtype for t in tensors),
            "summarize": summarize,
            "sep": sep,
            "end": end,
            "stream": stream,
        },
    )


def _print_kernel(*arrays, structure, template, dtypes, summarize, sep, end, stream):
    values = iter(Tensor(a, d) for a, d in zip(arrays, dtypes))
    flat = [next(values) if x is _TENSOR_SLOT else x for x in template]
    inputs = nest.pack_sequence_as(structure, flat)
    # TF prints a lone string tensor as it is, and quotes string tensors among others.
    text = (
        sep.join(
            format_tensor(x, summarize, quote_strings=True)
            if len(inputs) > 1 and isinstance(x, Tensor)
            else format_value(x, summarize)
            for x in inputs
        )
        + end
    )
    if stream is None:
        stream = sys.stderr
    if isinstance(stream, str):
        with open(stream[len("file://") :], "a", encoding="utf-8") as f:
            f.write(text)
        return
    stream.write(text)
    flush = getattr(stream, "flush", None)
    if flush is not None:
        flush()


def _print_infer(*specs, **attrs):
    return ()


# Registered so that inside tf.function the print is a graph node run on every call.
_PRINT = register(
    "PrintV2", kernel=_print_kernel, grad=None, infer=_print_infer, num_outputs=0, stateful=True
)
