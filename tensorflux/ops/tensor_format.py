"""How ``tf.print`` and assertion messages show values, as TF's print kernel does.

This differs from NumPy: no commas, bools as 1/0, strings inside tensors in double
quotes, floats in the shortest of 6 (float64: 15) or 9 (17) significant digits that
reads back exactly, and at most ``summarize`` leading and trailing entries per dimension.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework.tensor import Tensor

__all__ = ["format_tensor", "format_value"]


def _format_float(x, double: bool) -> str:
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    short, full = (15, 17) if double else (6, 9)
    text = "%.*g" % (short, x)
    cast = float if double else np.float32
    return text if cast(text) == x else "%.*g" % (full, x)


def _format_scalar(x, kind: str, quote: bool) -> str:
    if kind == "f":
        return _format_float(x, x.dtype == np.float64)
    if kind == "b":
        return "1" if x else "0"
    if kind == "O":
        text = x.decode("utf-8", "backslashreplace") if isinstance(x, bytes) else str(x)
        return f'"{text}"' if quote else text
    if kind == "c":
        return str(complex(x))
    return str(x)


def _format_array(arr: np.ndarray, summarize: int, depth: int) -> str:
    kind = arr.dtype.kind
    n = arr.shape[0]
    if 0 <= summarize and 2 * summarize < n:
        index = [*range(summarize), None, *range(n - summarize, n)]
    else:
        index = range(n)
    if arr.ndim == 1:
        parts = ["..." if i is None else _format_scalar(arr[i], kind, True) for i in index]
        return "[" + " ".join(parts) + "]"
    sep = "\n" * (arr.ndim - 1) + " " * depth
    parts = ["..." if i is None else _format_array(arr[i], summarize, depth + 1) for i in index]
    return "[" + sep.join(parts) + "]"


def format_tensor(t, summarize: int = 3, quote_strings: bool = False) -> str:
    """A tensor's value as ``tf.print`` shows it.

    Args:
        t: a Tensor (or Variable).
        summarize: entries shown at each end of every dimension; -1 shows all.
        quote_strings: put a scalar string in double quotes (as inside containers).
    """
    arr = np.asarray(t._value if isinstance(t, Tensor) else t.value()._value)
    if arr.dtype.name == "bfloat16":  # printed through float32, as TF does
        arr = arr.astype(np.float32)
    if arr.ndim == 0:
        return _format_scalar(arr[()], arr.dtype.kind, quote_strings)
    return _format_array(arr, summarize, 1)


def format_value(x, summarize: int = 3, top: bool = True) -> str:
    """Any ``tf.print`` argument as text: tensors by value, containers like Python's.

    ``top`` is False inside containers, where strings are quoted.
    """
    if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
        return format_tensor(x, summarize, quote_strings=not top)
    if isinstance(x, dict):
        items = ", ".join(f"{k!r}: {format_value(v, summarize, False)}" for k, v in x.items())
        return "{" + items + "}"
    if isinstance(x, list):
        return "[" + ", ".join(format_value(v, summarize, False) for v in x) + "]"
    if isinstance(x, tuple):
        inner = ", ".join(format_value(v, summarize, False) for v in x)
        return "(" + inner + ("," if len(x) == 1 else "") + ")"
    if top and not isinstance(x, np.ndarray):
        return str(x)
    return repr(x)
