"""Assertions on tensor values, shapes and dtypes (``tf.debugging.assert_*``), eagerly.

Comparisons run through the registered comparison ops (``Equal``, ``Less`` ...), so
operands are converted and dtype-checked exactly as ``tf.equal`` does; a failed
assertion raises ``InvalidArgumentError`` with TF's message layout. Static checks
(rank, shapes, dtype) raise ValueError / TypeError, as TF does.
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.engine.registry import execute
from tensorflux.framework import dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.shape import TensorShape
from tensorflux.framework.tensor import Tensor, convert_to_tensor
from tensorflux.ops.tensor_format import format_tensor, format_value

__all__ = ["Assert", "assert_equal", "assert_greater", "assert_less", "assert_rank"]

_DEFAULT_SUMMARIZE = 3


def _prefix(message) -> str:
    return f"{message}\n" if message else ""


def _compare(x, y, op_name: str, symbol: str, message, summarize) -> None:
    op = registry.get(op_name)
    # Converted as the comparison op converts them, so the message shows what it compared.
    x, y = registry._convert_inputs(op, (x, y))
    ok = np.asarray(execute(op, (x, y))._value)
    if ok.all():
        return None
    n = _DEFAULT_SUMMARIZE if summarize is None else summarize
    xb, yb = np.broadcast_arrays(np.asarray(x._value), np.asarray(y._value))
    bad = np.argwhere(~ok)[:n]
    picks = tuple(bad.T)
    lines = [
        f"{_prefix(message)}Condition x {symbol} y did not hold.",
        f"Indices of first {len(bad)} different values:",
        format_tensor(Tensor(bad, dtypes.int64), -1),
        "Corresponding x values:",
        format_tensor(Tensor(xb[picks], x.dtype), -1),
        "Corresponding y values:",
        format_tensor(Tensor(yb[picks], y.dtype), -1),
        f"First {min(n, xb.size)} elements of x:",
        format_tensor(Tensor(xb.reshape(-1)[:n], x.dtype), -1),
        f"First {min(n, yb.size)} elements of y:",
        format_tensor(Tensor(yb.reshape(-1)[:n], y.dtype), -1),
    ]
    # TF's assertion messages end with the summarised values, naming no op.
    raise InvalidArgumentError(None, None, "\n".join(lines))


def assert_equal(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x == y`` element-wise, with broadcasting (``tf.debugging.assert_equal``).

    Raises:
        InvalidArgumentError: some elements differ (the message lists the first
            ``summarize`` of them), or shapes that do not broadcast / dtypes that differ.
    """
    return _compare(x, y, "Equal", "==", message, summarize)


def assert_none_equal(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x != y`` element-wise (``tf.debugging.assert_none_equal``)."""
    return _compare(x, y, "NotEqual", "!=", message, summarize)


def assert_less(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x < y`` element-wise (``tf.debugging.assert_less``).

    >>> import tensorflux as tf
    >>> tf.debugging.assert_less(tf.constant([1, 2]), [2, 3])
    """
    return _compare(x, y, "Less", "<", message, summarize)


def assert_less_equal(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x <= y`` element-wise (``tf.debugging.assert_less_equal``)."""
    return _compare(x, y, "LessEqual", "<=", message, summarize)


def assert_greater(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x > y`` element-wise (``tf.debugging.assert_greater``)."""
    return _compare(x, y, "Greater", ">", message, summarize)


def assert_greater_equal(x, y, message=None, summarize=None, name=None):
    """Raises unless ``x >= y`` element-wise (``tf.debugging.assert_greater_equal``)."""
    return _compare(x, y, "GreaterEqual", ">=", message, summarize)


def _sign_check(x, holds, condition: str, message, summarize):
    x = convert_to_tensor(x)
    if not x.dtype.is_numeric or x.dtype.is_complex:
        raise TypeError(
            f"assert: {condition} needs a real numeric tensor, got dtype {x.dtype.name}."
        )
    if holds(np.asarray(x._value)).all():
        return None
    n = _DEFAULT_SUMMARIZE if summarize is None else summarize
    raise InvalidArgumentError(
        None,
        None,
        f"{_prefix(message)}Condition {condition} did not hold element-wise:\n"
        f"x (shape={x.shape} dtype={x.dtype.name}) = \n{format_tensor(x, n)}",
    )


def assert_non_negative(x, message=None, summarize=None, name=None):
    """Raises unless every element of ``x`` is >= 0 (``tf.debugging.assert_non_negative``)."""
    return _sign_check(x, lambda a: a >= 0, "x >= 0", message, summarize)


def assert_positive(x, message=None, summarize=None, name=None):
    """Raises unless every element of ``x`` is > 0 (``tf.debugging.assert_positive``)."""
    return _sign_check(x, lambda a: a > 0, "x > 0", message, summarize)


def assert_negative(x, message=None, summarize=None, name=None):
    """Raises unless every element of ``x`` is < 0 (``tf.debugging.assert_negative``)."""
    return _sign_check(x, lambda a: a < 0, "x < 0", message, summarize)


def assert_non_positive(x, message=None, summarize=None, name=None):
    """Raises unless every element of ``x`` is <= 0 (``tf.debugging.assert_non_positive``)."""
    return _sign_check(x, lambda a: a <= 0, "x <= 0", message, summarize)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Raises unless ``|x - y| <= atol + rtol * |y|`` element-wise (``tf.debugging.assert_near``).

    ``rtol`` and ``atol`` default to 10 machine epsilons of the dtype.

    Raises:
        InvalidArgumentError: some elements are not close.
    """
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype if not isinstance(y, np.ndarray) else None)
    if y.dtype is not x.dtype:
        raise InvalidArgumentError(
            None,
            "assert_near",
            f"assert_near: x and y must have the "
            f"same dtype, got {x.dtype.name} and {y.dtype.name}.",
        )
    eps = float(np.finfo(x.dtype.as_numpy_dtype).eps) * 10 if x.dtype.is_floating else 0.0
    rtol = eps if rtol is None else float(rtol)
    atol = eps if atol is None else float(atol)
    a, b = np.asarray(x._value), np.asarray(y._value)
    if np.all(np.abs(a - b) <= atol + rtol * np.abs(b)):
        return None
    n = _DEFAULT_SUMMARIZE if summarize is None else summarize
    raise InvalidArgumentError(
        None,
        "assert_near",
        f"{_prefix(message)}x and y not equal to tolerance rtol = {rtol:g}, atol = {atol:g}\n"
        f"x (shape={x.shape} dtype={x.dtype.name}) = \n{format_tensor(x, n)}\n"
        f"y (shape={y.shape} dtype={y.dtype.name}) = \n{format_tensor(y, n)}",
    )


def _static_prefix(message) -> str:
    return f"{message}.  " if message else ""


def _rank_of(x) -> tuple:
    shape = (
        x.shape
        if hasattr(x, "shape") and isinstance(x.shape, TensorShape)
        else (convert_to_tensor(x).shape)
    )
    return shape.rank, shape


def assert_rank(x, rank, message=None, name=None):
    """Raises ValueError unless ``x`` has rank ``rank`` (``tf.debugging.assert_rank``)."""
    got, shape = _rank_of(x)
    if isinstance(rank, (str, bytes, float)):
        raise TypeError(f"tf.debugging.assert_rank: rank must be an integer, got {rank!r}.")
    if got is not None and got != int(rank):
        raise ValueError(
            f"{_static_prefix(message)}Tensor must have rank {int(rank)}.  "
            f"Received rank {got}, shape {shape}"
        )


def assert_rank_at_least(x, rank, message=None, name=None):
    """Raises ValueError unless ``x`` has rank >= ``rank``."""
    got, shape = _rank_of(x)
    if got is not None and got < int(rank):
        raise ValueError(
            f"{_static_prefix(message)}Tensor must have rank at least "
            f"{int(rank)}.  Received rank {got}, shape {shape}"
        )


def assert_rank_in(x, ranks, message=None, name=None):
    """Raises ValueError unless the rank of ``x`` is one of ``ranks``."""
    got, shape = _rank_of(x)
    ranks = tuple(int(r) for r in ranks)
    if got is not None and got not in ranks:
        raise ValueError(
            f"{_static_prefix(message)}Tensor must have rank in {ranks}.  "
            f"Received rank {got}, shape {shape}"
        )


def assert_scalar(tensor, name=None, message=None):
    """Raises ValueError unless ``tensor`` is a scalar; returns it."""
    got, shape = _rank_of(tensor)
    if got not in (None, 0):
        raise ValueError(f"{_static_prefix(message)}Expected scalar shape, saw shape: {shape}.")
    return tensor


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Checks several tensors' shapes against symbolic specs (``tf.debugging.assert_shapes``).

    Each entry pairs a tensor with a spec: a sequence of ints (exact sizes) and
    strings (symbols that must take the same size everywhere they appear); a
    leading ``"..."`` allows any number of leading dimensions.

    >>> import tensorflux as tf
    >>> tf.debugging.assert_shapes([(tf.ones([2, 3]), ("N", "D")), (tf.ones([2]), ("N",))])

    Raises:
        ValueError: a rank or a size that does not match.
    """
    items = shapes.items() if isinstance(shapes, dict) else shapes
    sizes: dict = {}
    for tensor, spec in items:
        spec = list(spec)
        rank, shape = _rank_of(tensor)
        if rank is None:
            continue
        dims = shape.as_list()
        if spec and spec[0] in ("...", Ellipsis):
            spec = spec[1:]
            if rank < len(spec):
                raise ValueError(
                    f"{_static_prefix(message)}Tensor must have rank at least "
                    f"{len(spec)}.  Received rank {rank}, shape {shape}"
                )
            dims = dims[rank - len(spec) :]
        elif rank != len(spec):
            raise ValueError(
                f"{_static_prefix(message)}Tensor must have rank {len(spec)}.  "
                f"Received rank {rank}, shape {shape}"
            )
        offset = rank - len(dims)
        for i, (want, got) in enumerate(zip(spec, dims)):
            if got is None or want in (None, "."):
                continue
            where = f"Tensor shape={shape} dtype={tensor.dtype.name} dimension {i + offset}"
            if isinstance(want, str):
                if want not in sizes:
                    sizes[want] = (
                        got,
                        f"Specified by tensor shape={shape} dtype="
                        f"{tensor.dtype.name} dimension {i + offset}",
                    )
                    continue
                expected, origin = sizes[want]
            else:
                expected, origin = int(want), "Specified explicitly"
            if got != expected:
                raise ValueError(
                    f"{_static_prefix(message)}{origin}.  {where} must have size "
                    f"{expected}.  Received size {got}, shape {shape}"
                )


def assert_type(tensor, tf_type, message=None, name=None):
    """Raises TypeError unless ``tensor`` has dtype ``tf_type`` (``tf.debugging.assert_type``)."""
    expected = dtypes.as_dtype(tf_type)
    if tensor.dtype != expected:
        raise TypeError(
            f"{_static_prefix(message)}tensor must be of type {expected!r}; got {tensor.dtype!r}"
        )


def assert_integer(x, message=None, name=None):
    """Raises TypeError unless ``x`` has an integer dtype."""
    dtype = convert_to_tensor(x).dtype
    if not dtype.is_integer:
        raise TypeError(
            f'{_static_prefix(message)}Expected "x" to be integer type.  Found: '
            f"tensor of dtype {dtype}"
        )


_CHECK_NUMERICS_ALLOWED = frozenset(
    {dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64}
)


def _check_numerics_kernel(tensor, message):
    has_inf, has_nan = bool(np.isinf(tensor).any()), bool(np.isnan(tensor).any())
    if has_inf or has_nan:
        what = " and ".join(w for w, flag in (("Inf", has_inf), ("NaN", has_nan)) if flag)
        raise InvalidArgumentError(
            None, "CheckNumerics", f"{message} : Tensor had {what} values [Op:CheckNumerics]"
        )
    return tensor


def _check_numerics_infer(tensor: registry.Spec, message="") -> registry.Spec:
    return registry.Spec(tensor.dtype, tensor.shape)


def _check_numerics_grad(call, dy):
    """d x = dy, itself checked for NaN and Inf (as TF's gradient checks it)."""
    message = (
        "Not a number (NaN) or infinity (Inf) values detected in gradient. " + call.attrs["message"]
    )
    return (execute(_CHECK_NUMERICS, (dy,), {"message": message}),)


_CHECK_NUMERICS = registry.register(
    "CheckNumerics",
    kernel=_check_numerics_kernel,
    grad=_check_numerics_grad,
    infer=_check_numerics_infer,
    allowed=_CHECK_NUMERICS_ALLOWED,
)


def check_numerics(tensor, message, name=None):
    """Returns ``tensor`` unchanged if it holds no NaN or Inf (``tf.debugging.check_numerics``);
    inside ``tf.function`` the check runs on every call.

    Its gradient passes through, checked the same way.

    Raises:
        InvalidArgumentError: a non-floating tensor, or one with NaN/Inf values.
    """
    t = convert_to_tensor(tensor)
    if t.dtype not in _CHECK_NUMERICS_ALLOWED:
        raise InvalidArgumentError(
            None,
            "CheckNumerics",
            f"Value for attr 'T' of {t.dtype.name} is not in the list of allowed values: "
            f"bfloat16, half, float, double [Op:CheckNumerics]",
        )
    return execute(_CHECK_NUMERICS, (t,), {"message": str(message)})


def assert_all_finite(x, message, name=None):
    """``check_numerics`` under its ``tf.debugging`` alias: returns ``x`` if finite."""
    return check_numerics(x, message)


def is_numeric_tensor(tensor) -> bool:
    """True for a tensor of a numeric dtype (not bool or string)."""
    return (isinstance(tensor, Tensor) or hasattr(tensor, "_as_tensor")) and (
        tensor.dtype.is_numeric
    )


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's public name
    """Raises InvalidArgumentError, showing ``data``, when ``condition`` is false (``tf.Assert``).

    >>> import tensorflux as tf
    >>> tf.debugging.Assert(tf.constant(True), ["never shown"])
    """
    if bool(np.all(np.asarray(convert_to_tensor(condition)._value))):
        return None
    n = _DEFAULT_SUMMARIZE if summarize is None else summarize
    shown = "\n".join(format_value(d, n) for d in data)
    raise InvalidArgumentError(
        None, "Assert", f"Expected '{format_value(condition)}' to be true. Summarized data: {shown}"
    )
