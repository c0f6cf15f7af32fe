"""``tf.print``, and the top-level names of TF's assertions (``tf.assert_equal`` ...).

The assertions live in ``check_ops``; they are listed here because TF exposes these
few at the top level. Value formatting is in ``tensor_format``.
"""

from __future__ import annotations

import sys

from tensorflux.ops.check_ops import Assert, assert_equal, assert_greater, assert_less, assert_rank
from tensorflux.ops.tensor_format import format_value

__all__ = ["print", "Assert", "assert_equal", "assert_greater", "assert_less", "assert_rank"]


_STREAM_ERROR = ("Unsupported output stream, logging level, or file.{}. Supported streams are "
                 "sys.stdout, sys.stderr, or a file in the form of 'file://<filepath>'.")


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
    text = sep.join(format_value(x, summarize) for x in inputs) + end
    stream = sys.stderr if output_stream is None else output_stream
    if isinstance(stream, str):
        if not stream.startswith("file://"):
            raise ValueError(_STREAM_ERROR.format(stream))
        with open(stream[len("file://"):], "a", encoding="utf-8") as f:
            f.write(text)
        return None
    if not hasattr(stream, "write"):
        raise ValueError(_STREAM_ERROR.format(stream))
    stream.write(text)
    flush = getattr(stream, "flush", None)
    if flush is not None:
        flush()
    return None
