"""String ops: ``tf.strings.*`` (re-exported by ``tensorflux/strings.py``) and ``tf.as_string``.

String tensors hold ``bytes`` objects in NumPy object arrays, so every kernel is a
Python loop over the elements. None of these ops is differentiable.

TF returns a RaggedTensor when it splits a batch of strings; tensorflux has no
RaggedTensor, so ``split`` and ``unicode_split`` take one string (a scalar) and
return a 1-D tensor whose length depends on the value (``dynamic_shape``).

Kernels that can fail on a *value* (``Substr``, ``StringToNumber``) do not fail while a
``tf.function`` or a ``tf.data`` function is being traced: tracing runs them on example
values (``b""`` for a dataset's string element), not on the data. The traced graph runs
them again on the real values, and raises there as TF does.
"""

from __future__ import annotations

import codecs
import functools
import re

import numpy as np

from tensorflux.engine.registry import NUMERIC, Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, OutOfRangeError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor
from tensorflux.ops.common import broadcast_shape, to_tensor

__all__ = ["as_string"]

_STRING = frozenset({dtypes.string})
_UNITS = ("BYTE", "UTF8_CHAR")


def _strings(x) -> Tensor:
    """``x`` as a string tensor; a Python number raises TF's TypeError."""
    return x if isinstance(x, Tensor) else to_tensor(x, dtypes.string)


def _map(fn, x: np.ndarray, dtype=object) -> np.ndarray:
    """``fn`` applied to every element of ``x``, in an array of ``x``'s shape."""
    out = np.empty(x.shape, dtype=dtype)
    flat = out.reshape(-1)
    for i, v in enumerate(x.flat):
        flat[i] = fn(v)
    return out


def _tracing() -> bool:
    return context.state.graph is not None


def _check_choice(op_name: str, attr: str, value, allowed) -> None:
    if value not in allowed:
        raise InvalidArgumentError(
            None,
            op_name,
            f"{op_name}: {attr}={value!r} is not supported; use one of "
            f"{list(allowed)} [Op:{op_name}].",
        )


def _static_str(value, op_name: str, what: str) -> str:
    """A pattern or rewrite argument as a Python str (TF's static regex ops take these)."""
    if isinstance(value, Tensor):
        value = value.numpy()  # a symbolic tensor raises here, with TF's explanation
        if isinstance(value, np.ndarray):
            value = value.item() if value.ndim == 0 else value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    raise TypeError(
        f"{op_name}: {what} must be a Python string (or a scalar string tensor), got {value!r}."
    )


def _string_infer(x: Spec, **attrs) -> Spec:
    return Spec(dtypes.string, x.shape)


def _utf8_starts(s: bytes) -> np.ndarray:
    """Offsets of the bytes that start a UTF-8 character (all but continuation bytes)."""
    return np.flatnonzero((np.frombuffer(s, np.uint8) & 0xC0) != 0x80)


# -- StringLength -----------------------------------------------------------


def _length_kernel(x, unit="BYTE"):
    if unit == "BYTE":
        return _map(len, x, np.int32)
    return _map(lambda s: len(_utf8_starts(s)), x, np.int32)


def _length_infer(x: Spec, unit="BYTE") -> Spec:
    return Spec(dtypes.int32, x.shape)


_LENGTH = register(
    "StringLength", kernel=_length_kernel, grad=None, infer=_length_infer, allowed=_STRING
)


def length(input, unit="BYTE", name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The length of each string, in bytes or in UTF-8 characters, as int32.

    >>> import tensorflux as tf
    >>> tf.strings.length(["héllo", ""], unit="UTF8_CHAR").numpy()
    array([5, 0], dtype=int32)

    Raises:
        InvalidArgumentError: ``unit`` other than "BYTE" or "UTF8_CHAR".
    """
    _check_choice("StringLength", "unit", unit, _UNITS)
    return execute(_LENGTH, (_strings(input),), {"unit": unit})


# -- StringLower, StringUpper, StringStrip ----------------------------------


def _case_kernel(method: str):
    def kernel(x, encoding=""):
        if encoding:
            return _map(
                lambda s: getattr(s.decode("utf-8", "surrogateescape"), method)().encode(
                    "utf-8", "surrogateescape"
                ),
                x,
            )
        # bytes.lower/upper change ASCII letters only, as TF does without an encoding.
        return _map(getattr(bytes, method), x)

    kernel.__name__ = f"_{method}_kernel"
    return kernel


_LOWER = register(
    "StringLower", kernel=_case_kernel("lower"), grad=None, infer=_string_infer, allowed=_STRING
)
_UPPER = register(
    "StringUpper", kernel=_case_kernel("upper"), grad=None, infer=_string_infer, allowed=_STRING
)


def _check_encoding(op_name: str, encoding: str) -> None:
    if encoding not in ("", "utf-8"):
        raise InvalidArgumentError(
            None,
            op_name,
            f"only utf-8 or '' (no encoding) is supported, received {encoding} [Op:{op_name}].",
        )


def lower(input, encoding="", name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Lowercases each string: ASCII letters only, or all of Unicode with ``encoding="utf-8"``.

    >>> import tensorflux as tf
    >>> tf.strings.lower("Hello World").numpy()
    b'hello world'

    Raises:
        InvalidArgumentError: an encoding other than '' or 'utf-8'.
    """
    _check_encoding("StringLower", encoding)
    return execute(_LOWER, (_strings(input),), {"encoding": encoding})


def upper(input, encoding="", name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Uppercases each string: ASCII letters only, or all of Unicode with ``encoding="utf-8"``.

    Raises:
        InvalidArgumentError: an encoding other than '' or 'utf-8'.
    """
    _check_encoding("StringUpper", encoding)
    return execute(_UPPER, (_strings(input),), {"encoding": encoding})


def _strip_kernel(x):
    return _map(bytes.strip, x)  # ASCII whitespace, as TF strips


_STRIP = register(
    "StringStrip", kernel=_strip_kernel, grad=None, infer=_string_infer, allowed=_STRING
)


def strip(input, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Removes leading and trailing ASCII whitespace from each string."""
    return execute(_STRIP, (_strings(input),))


# -- StaticRegexReplace, StaticRegexFullMatch -------------------------------


@functools.lru_cache(maxsize=256)
def _compile(pattern: str, op_name: str):
    """An RE2 pattern as a Python regex. RE2's ``$`` matches only at the end of the text
    (Python's also before a final newline), and its ``\\w \\d \\s`` are ASCII classes."""
    if not re.search(r"\(\?[a-zA-Z]*m", pattern):
        out, i, in_class = [], 0, False
        while i < len(pattern):
            c = pattern[i]
            if c == "\\":
                out.append(pattern[i : i + 2])
                i += 2
                continue
            if in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
                # A ']' right after '[' or '[^' is a literal member of the class.
                j = i + 1 + (pattern[i + 1 : i + 2] == "^")
                if pattern[j : j + 1] == "]":
                    out.append(pattern[i : j + 1])
                    i = j + 1
                    continue
            elif c == "$":
                c = r"\Z"
            out.append(c)
            i += 1
        pattern_py = "".join(out)
    else:
        pattern_py = pattern
    try:
        return re.compile(pattern_py, re.ASCII)
    except re.error as e:
        raise InvalidArgumentError(
            None, op_name, f"Invalid pattern: {pattern}, error: {e} [Op:{op_name}]"
        ) from None


@functools.lru_cache(maxsize=256)
def _rewriter(rewrite: str, groups: int):
    """RE2's rewrite string as a ``re.sub`` function: ``\\0``..``\\9`` name groups, ``\\\\``
    is a backslash. As in TF, a rewrite naming a missing group replaces nothing, and an
    invalid escape ends the rewrite."""
    pieces, literal, i = [], [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c != "\\":
            literal.append(c)
            i += 1
            continue
        nxt = rewrite[i + 1 : i + 2]
        if nxt == "\\":
            literal.append("\\")
        elif nxt.isdigit() and nxt.isascii():
            if int(nxt) > groups:
                return None
            pieces.append("".join(literal))
            pieces.append(int(nxt))
            literal = []
        else:
            break
        i += 2
    pieces.append("".join(literal))
    if len(pieces) == 1:
        text = pieces[0]
        return lambda m: text
    return lambda m: "".join(p if isinstance(p, str) else (m.group(p) or "") for p in pieces)


def _regex_replace_kernel(x, pattern, rewrite, replace_global=True):
    regex = _compile(pattern, "StaticRegexReplace")
    repl = _rewriter(rewrite, regex.groups)
    if repl is None:
        return x.copy()
    count = 0 if replace_global else 1
    return _map(
        lambda s: regex.sub(repl, s.decode("utf-8", "surrogateescape"), count).encode(
            "utf-8", "surrogateescape"
        ),
        x,
    )


_REGEX_REPLACE = register(
    "StaticRegexReplace",
    kernel=_regex_replace_kernel,
    grad=None,
    infer=_string_infer,
    allowed=_STRING,
)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None) -> Tensor:  # noqa: A002
    """Replaces the matches of a regular expression in each string.

    ``pattern`` uses RE2 syntax (run by Python's ``re``; the common syntax is the same);
    in ``rewrite``, ``\\1`` inserts a group and ``\\0`` the whole match.

    >>> import tensorflux as tf
    >>> tf.strings.regex_replace("Hello, World!", r"[,!]", "").numpy()
    b'Hello World'

    Args:
        input: string tensor.
        pattern: the regular expression (a Python string).
        rewrite: the replacement.
        replace_global: replace every match (True) or the first only.

    Raises:
        InvalidArgumentError: a pattern that does not compile.
    """
    attrs = {
        "pattern": _static_str(pattern, "regex_replace", "pattern"),
        "rewrite": _static_str(rewrite, "regex_replace", "rewrite"),
        "replace_global": bool(replace_global),
    }
    return execute(_REGEX_REPLACE, (_strings(input),), attrs)


def _regex_full_match_kernel(x, pattern):
    match = _compile(pattern, "StaticRegexFullMatch").fullmatch
    return _map(lambda s: match(s.decode("utf-8", "surrogateescape")) is not None, x, bool)


def _regex_full_match_infer(x: Spec, pattern="") -> Spec:
    return Spec(dtypes.bool, x.shape)


_REGEX_FULL_MATCH = register(
    "StaticRegexFullMatch",
    kernel=_regex_full_match_kernel,
    grad=None,
    infer=_regex_full_match_infer,
    allowed=_STRING,
)


def regex_full_match(input, pattern, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Whether each whole string matches ``pattern`` (RE2 syntax), as a bool tensor.

    Raises:
        InvalidArgumentError: a pattern that does not compile.
    """
    attrs = {"pattern": _static_str(pattern, "regex_full_match", "pattern")}
    return execute(_REGEX_FULL_MATCH, (_strings(input),), attrs)


# -- StringJoin, ReduceJoin -------------------------------------------------


def _join_kernel(*inputs, separator=""):
    shapes = [x.shape for x in inputs if x.ndim]
    for s in shapes[1:]:
        if s != shapes[0]:
            raise InvalidArgumentError(
                None,
                "StringJoin",
                f"Input shapes do not match: {list(shapes[0])} vs. "
                f"{list(s)} [Op:StringJoin]. Non-scalar inputs of "
                f"tf.strings.join must all have the same shape.",
            )
    sep = separator.encode("utf-8")
    if not inputs:
        return np.array(b"", dtype=object)
    arrays = np.broadcast_arrays(*inputs)
    out = np.empty(arrays[0].shape, dtype=object)
    flat = out.reshape(-1)
    for i, parts in enumerate(zip(*(a.flat for a in arrays))):
        flat[i] = sep.join(parts)
    return out


def _join_infer(*inputs: Spec, separator="") -> Spec:
    shape = TensorShape([])
    for x in inputs:
        if x.shape.rank != 0:
            shape = x.shape if shape.rank == 0 else shape.merge_with(x.shape)
    return Spec(dtypes.string, shape)


_JOIN = register("StringJoin", kernel=_join_kernel, grad=None, infer=_join_infer, allowed=_STRING)


def join(inputs, separator="", name=None) -> Tensor:
    """Joins a list of string tensors elementwise (scalars broadcast).

    >>> import tensorflux as tf
    >>> tf.strings.join(["a", ["b", "c"]], separator="-").numpy()
    array([b'a-b', b'a-c'], dtype=object)

    Raises:
        InvalidArgumentError: non-scalar inputs of different shapes.
    """
    return execute(_JOIN, [_strings(x) for x in inputs], {"separator": separator})


def _reduce_join_axes(axis, rank: int) -> tuple:
    """The axes in TF's join order: the first one named varies fastest (None: all axes,
    the last fastest, as in C order)."""
    if axis is None:
        return tuple(range(rank - 1, -1, -1))
    axes = []
    for a in (axis,) if isinstance(axis, (int, np.integer)) else axis:
        a = int(a)
        if not -rank <= a < rank:
            raise OutOfRangeError(
                None,
                "ReduceJoin",
                f"Invalid reduction dimension {a} for input with {rank} "
                f"dimension(s) [Op:ReduceJoin]. Use an axis in "
                f"[{-rank}, {rank}).",
            )
        if a % rank in axes:
            raise InvalidArgumentError(
                None, "ReduceJoin", f"Duplicate reduction dimension {a} [Op:ReduceJoin]."
            )
        axes.append(a % rank)
    return tuple(axes)


def _reduce_join_kernel(x, axis=None, keepdims=False, separator=""):
    axes = _reduce_join_axes(axis, x.ndim)
    kept = [d for i, d in enumerate(x.shape) if i not in axes]
    rows = np.moveaxis(x, axes[::-1], range(x.ndim - len(axes), x.ndim)).reshape(
        int(np.prod(kept)), -1 if x.size else 0
    )
    sep = separator.encode("utf-8")
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        out[i] = sep.join(row)
    out = out.reshape(kept)
    return np.expand_dims(out, sorted(axes)) if keepdims else out


def _reduce_join_infer(x: Spec, axis=None, keepdims=False, separator="") -> Spec:
    if x.shape.rank is None:
        return Spec(dtypes.string, TensorShape(None))
    axes = _reduce_join_axes(axis, x.shape.rank)
    dims = x.shape.as_list()
    if keepdims:
        return Spec(dtypes.string, TensorShape([1 if i in axes else d for i, d in enumerate(dims)]))
    return Spec(dtypes.string, TensorShape([d for i, d in enumerate(dims) if i not in axes]))


_REDUCE_JOIN = register(
    "ReduceJoin", kernel=_reduce_join_kernel, grad=None, infer=_reduce_join_infer, allowed=_STRING
)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None) -> Tensor:
    """Joins the strings along ``axis`` (all axes when None).

    >>> import tensorflux as tf
    >>> tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=-1).numpy()
    array([b'ab', b'cd'], dtype=object)

    Raises:
        OutOfRangeError: an axis outside ``[-rank, rank)``, as in TF.
    """
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    return execute(
        _REDUCE_JOIN,
        (_strings(inputs),),
        {"axis": axis, "keepdims": bool(keepdims), "separator": separator},
    )


# -- StringSplitV2, UnicodeSplit --------------------------------------------


def _check_scalar(x: Tensor, fn_name: str) -> None:
    rank = x.shape.rank
    if rank is not None and rank != 0:
        raise NotImplementedError(
            f"tf.strings.{fn_name} on a tensor of rank {rank} (shape {x.shape}) returns a "
            f"RaggedTensor in TensorFlow, which tensorflux does not have: call it on one "
            f"string at a time (a scalar), e.g. inside Dataset.map or tf.map_fn over the "
            f"elements, and pad or reduce each result."
        )


def _split_kernel(x, sep="", maxsplit=-1):
    # An empty sep splits on runs of whitespace, as sep=None does (TF's rule).
    return np.array(x.item().split(sep.encode("utf-8") or None, maxsplit), dtype=object)


def _unknown_length_infer(x: Spec, **attrs) -> Spec:
    return Spec(dtypes.string, TensorShape([None]))


def _split_infer(x: Spec, sep="", maxsplit=-1) -> Spec:
    return _unknown_length_infer(x)


_SPLIT = register(
    "StringSplitV2",
    kernel=_split_kernel,
    grad=None,
    infer=_split_infer,
    allowed=_STRING,
    dynamic_shape=True,
)


def split(input, sep=None, maxsplit=-1, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Splits one string on ``sep`` (runs of whitespace when None) into a 1-D tensor.

    >>> import tensorflux as tf
    >>> tf.strings.split("a,b,,c", ",").numpy()
    array([b'a', b'b', b'', b'c'], dtype=object)

    Raises:
        NotImplementedError: a batch of strings (TF returns a RaggedTensor for it).
    """
    x = _strings(input)
    _check_scalar(x, "split")
    sep = sep.decode("utf-8") if isinstance(sep, bytes) else sep or ""
    return execute(_SPLIT, (x,), {"sep": sep, "maxsplit": int(maxsplit)})


_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_DECODE_ERRORS = ("replace", "ignore", "strict")
_BAD = "\udfff"  # a lone surrogate: no decoded text contains one, so it marks bad bytes
codecs.register_error("tensorflux_mark", lambda e: (_BAD, e.end))


def _unicode_split_kernel(x, input_encoding="UTF-8", errors="replace", replacement_char=65533):
    codec = _ENCODINGS[input_encoding]
    try:
        text = x.item().decode(codec, "strict" if errors == "strict" else "tensorflux_mark")
    except UnicodeDecodeError:
        raise InvalidArgumentError(
            None,
            "UnicodeSplit",
            "Invalid formatting on input string [Op:UnicodeSplit]. "
            "Pass errors='replace' or 'ignore' to accept it.",
        ) from None
    bad = chr(replacement_char).encode(codec) if errors == "replace" else None
    chars = [c.encode(codec) if c != _BAD else bad for c in text]
    return np.array([c for c in chars if c is not None], dtype=object)


def _unicode_split_infer(
    x: Spec, input_encoding="UTF-8", errors="replace", replacement_char=65533
) -> Spec:
    return _unknown_length_infer(x)


# TF builds unicode_split from UnicodeDecodeWithOffsets and a substr; here it is one op.
_UNICODE_SPLIT = register(
    "UnicodeSplit",
    kernel=_unicode_split_kernel,
    grad=None,
    infer=_unicode_split_infer,
    allowed=_STRING,
    dynamic_shape=True,
)


def unicode_split(
    input,
    input_encoding,
    errors="replace",
    replacement_char=65533,  # noqa: A002
    name=None,
) -> Tensor:
    """Splits one string into its characters, each encoded in ``input_encoding``.

    >>> import tensorflux as tf
    >>> tf.strings.unicode_split("héllo", "UTF-8").numpy()
    array([b'h', b'\\xc3\\xa9', b'l', b'l', b'o'], dtype=object)

    Args:
        input: a scalar string tensor.
        input_encoding: "UTF-8", "UTF-16-BE" or "UTF-32-BE".
        errors: invalid bytes become ``replacement_char`` ("replace"), are dropped
            ("ignore") or raise ("strict").
        replacement_char: the code point that replaces invalid bytes.

    Raises:
        NotImplementedError: a batch of strings (TF returns a RaggedTensor for it).
        InvalidArgumentError: an unsupported encoding, or invalid bytes with errors="strict".
    """
    x = _strings(input)
    _check_scalar(x, "unicode_split")
    _check_choice("UnicodeSplit", "input_encoding", input_encoding, tuple(_ENCODINGS))
    _check_choice("UnicodeSplit", "errors", errors, _DECODE_ERRORS)
    return execute(
        _UNICODE_SPLIT,
        (x,),
        {
            "input_encoding": input_encoding,
            "errors": errors,
            "replacement_char": int(replacement_char),
        },
    )


# -- Substr -----------------------------------------------------------------


def _substr_kernel(x, pos, length, unit="BYTE"):
    if pos.dtype.kind not in "iu" or length.dtype.kind not in "iu":
        raise InvalidArgumentError(
            None,
            "Substr",
            f"Substr: pos and len must be int32 or "
            f"int64, got {pos.dtype} and {length.dtype} "
            f"[Op:Substr].",
        )
    if pos.shape != length.shape:
        raise InvalidArgumentError(
            None,
            "Substr",
            f"pos and len should have the same shape, "
            f"got: {list(pos.shape)} vs. "
            f"{list(length.shape)} [Op:Substr]",
        )
    xs, ps, ls = np.broadcast_arrays(x, pos, length)
    out = np.empty(xs.shape, dtype=object)
    flat = out.reshape(-1)
    for i, (s, p, n) in enumerate(zip(xs.flat, ps.flat, ls.flat)):
        starts = np.append(_utf8_starts(s), len(s)) if unit == "UTF8_CHAR" else None
        size = len(s) if starts is None else len(starts) - 1
        begin = p + size if p < 0 else p
        if not 0 <= begin <= size:
            if _tracing():
                flat[i] = b""
                continue
            raise InvalidArgumentError(
                None, "Substr", f"pos {p} out of range for string {s!r} at index {i} [Op:Substr]"
            )
        end = size if n < 0 else min(begin + n, size)
        flat[i] = s[begin:end] if starts is None else s[starts[begin] : starts[end]]
    return out


def _substr_infer(x: Spec, pos: Spec, length: Spec, unit="BYTE") -> Spec:
    return Spec(dtypes.string, broadcast_shape(x.shape, pos.shape, "Substr"))


_SUBSTR = register("Substr", kernel=_substr_kernel, grad=None, infer=_substr_infer, allowed=_STRING)


def substr(input, pos, len, unit="BYTE", name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """The substring of ``len`` bytes (or UTF-8 characters) from ``pos`` of each string.

    A negative ``pos`` counts from the end; a negative ``len`` takes the rest of the string.

    >>> import tensorflux as tf
    >>> tf.strings.substr("hello", 1, 3).numpy()
    b'ell'

    Raises:
        InvalidArgumentError: ``pos`` past either end of a string, or ``pos`` and ``len``
            of different shapes.
    """
    _check_choice("Substr", "unit", unit, _UNITS)
    return execute(_SUBSTR, (_strings(input), pos, len), {"unit": unit})


# -- AsString, StringToNumber -----------------------------------------------


def _as_string_kernel(x, precision=-1, scientific=False, shortest=False, width=-1, fill=""):
    kind = x.dtype.kind
    if kind == "O":
        return x.copy()
    if kind == "b":
        return _map(lambda v: b"true" if v else b"false", x)
    spec = "%" + fill + (str(width) if width > -1 else "")
    if kind in "iu":
        if precision > -1:
            raise InvalidArgumentError(
                None,
                "AsString",
                f"precision not supported for datatype "
                f"{dtypes.from_numpy(x.dtype).name} "
                f"[Op:AsString]",
            )
        fmt = spec + "d"
        return _map(lambda v: (fmt % int(v)).encode(), x)
    fmt = (
        spec
        + (f".{precision}" if precision > -1 else "")
        + ("g" if shortest else "e" if scientific else "f")
    )
    if kind == "c":
        return _map(lambda v: f"({fmt % v.real},{fmt % v.imag})".encode(), x)
    return _map(lambda v: (fmt % float(v)).encode(), x)


_AS_STRING = register(
    "AsString",
    kernel=_as_string_kernel,
    grad=None,
    infer=_string_infer,
    allowed=NUMERIC | {dtypes.bool, dtypes.string},
)


def as_string(
    input,
    precision=-1,
    scientific=False,
    shortest=False,
    width=-1,
    fill="",  # noqa: A002
    name=None,
) -> Tensor:
    """Formats each number as a string, like C's printf (floats: ``%f``, 6 decimals).

    >>> import tensorflux as tf
    >>> tf.strings.as_string(3.5).numpy()
    b'3.500000'

    Args:
        input: a numeric, bool or string tensor.
        precision: digits after the point (floats only; -1: printf's default).
        scientific: ``%e`` notation. shortest: ``%g`` notation.
        width: minimum width, padded with ``fill`` ('' for spaces on the left, or '0').

    Raises:
        InvalidArgumentError: both ``scientific`` and ``shortest``, a ``precision`` for an
            integer tensor, or an unsupported ``fill``.
    """
    if scientific and shortest:
        raise InvalidArgumentError(
            None, "AsString", "Cannot select both scientific and shortest notation [Op:AsString]"
        )
    if len(fill) > 1:
        raise InvalidArgumentError(
            None, "AsString", "Fill string must be one or fewer characters [Op:AsString]"
        )
    if fill not in ("", " ", "0", "+", "-", "#"):
        raise InvalidArgumentError(
            None,
            "AsString",
            f"Fill argument not supported: \"{fill}\" [Op:AsString]. Use '0' or ' '.",
        )
    for what, v in (("precision", precision), ("width", width)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"Expected int for argument '{what}' not {v!r} (tf.as_string).")
    attrs = {
        "precision": int(precision),
        "scientific": bool(scientific),
        "shortest": bool(shortest),
        "width": int(width),
        "fill": fill,
    }
    return execute(_AS_STRING, (input,), attrs)


_NUMBER_TYPES = (
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint32,
    dtypes.uint64,
)


def _parse_number(s: bytes, integer: bool):
    """The number ``s`` spells (None if none), as strtod/strtol read it."""
    try:
        text = s.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    if "_" in text:  # Python accepts digit separators; C does not
        return None
    try:
        return int(text, 10) if integer else float(text)
    except ValueError:
        pass
    if not integer and "x" in text.lower():
        try:
            return float.fromhex(text)
        except ValueError:
            pass
    return None


def _to_number_kernel(x, out_type=dtypes.float32):
    np_type = out_type.as_numpy_dtype
    integer = out_type.is_integer
    info = np.iinfo(np_type) if integer else None
    out = np.zeros(x.shape, dtype=np_type)
    flat = out.reshape(-1)
    with np.errstate(over="ignore"):  # float32 overflows to inf, as strtof does
        for i, s in enumerate(x.flat):
            v = _parse_number(s, integer)
            if v is None or (integer and not info.min <= v <= info.max):
                if _tracing():
                    continue
                raise InvalidArgumentError(
                    None,
                    "StringToNumber",
                    f"StringToNumberOp could not correctly convert "
                    f"string: {s.decode('utf-8', 'replace')} "
                    f"[Op:StringToNumber]",
                )
            flat[i] = v
    return out


def _to_number_infer(x: Spec, out_type=dtypes.float32) -> Spec:
    return Spec(out_type, x.shape)


_TO_NUMBER = register(
    "StringToNumber", kernel=_to_number_kernel, grad=None, infer=_to_number_infer, allowed=_STRING
)


def to_number(string_tensor, out_type=dtypes.float32, name=None) -> Tensor:
    """Parses each string as a number of ``out_type`` (surrounding whitespace is allowed).

    >>> import tensorflux as tf
    >>> tf.strings.to_number(["3.5", "1e3"]).numpy()
    array([   3.5, 1000. ], dtype=float32)

    Raises:
        InvalidArgumentError: a string that is not a number of ``out_type`` (or does not
            fit it), or an ``out_type`` other than float32/64, int32/64, uint32/64.
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type not in _NUMBER_TYPES:
        raise InvalidArgumentError(
            None,
            "StringToNumber",
            f"Value for attr 'out_type' of {out_type.name} is not in "
            f"the list of allowed values: "
            f"{', '.join(d.name for d in _NUMBER_TYPES)} "
            f"[Op:StringToNumber]",
        )
    return execute(_TO_NUMBER, (_strings(string_tensor),), {"out_type": out_type})
