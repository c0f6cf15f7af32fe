"""``tf.debugging.enable_check_numerics``: every op's floating outputs are checked for
Inf and NaN, and the first op that makes one raises, naming itself.

Enabling wraps each registered op's kernel in a check and disabling puts the kernels
back, so a program that never enables it pays nothing. Eager ops, traces and the
functions compiled while it is enabled are checked (functions compiled before keep
the kernels they were compiled with, as TF instruments only functions traced after).
"""

from __future__ import annotations

import numpy as np

from tensorflux.engine import registry
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError
from tensorflux.framework.tensor import Tensor

__all__ = ["enable_check_numerics", "disable_check_numerics"]

# Ops that only move values around, which TF skips to save time.
_SAFE_OPS = frozenset(
    {
        "Concat",
        "ConcatV2",
        "ExpandDims",
        "Fill",
        "Gather",
        "GatherV2",
        "Identity",
        "Maximum",
        "Minimum",
        "Reshape",
        "Slice",
        "Squeeze",
        "Pack",
        "StridedSlice",
        "StridedSliceGrad",
        "Transpose",
        "Unpack",
    }
)
# Outputs that hold NaN by design (batch statistics of an empty batch).
_IGNORED_OUTPUTS = {
    name: frozenset(range(1, 6))
    for name in ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3")
}

# op name -> its kernel before wrapping, while enabled.
_originals: dict = {}


def _as_text(array) -> str:
    try:
        return str(Tensor(array, dtypes.from_numpy(np.asarray(array).dtype)))
    except TypeError:
        return repr(array)


def _message(op_name, slot, outputs, value, inputs) -> str:
    where = "eagerly-executing" if context.state.graph is None else "graph"
    dtype = dtypes.from_numpy(value.dtype)
    lines = [
        "",
        "",
        f'!!! Detected Infinity or NaN in output {slot} of {where} op "{op_name}" '
        f"(# of outputs: {outputs}) !!!",
        f"  dtype: {dtype}",
        f"  shape: {tuple(np.shape(value))}",
    ]
    inf = np.isinf(value)
    counts = (
        ("-Inf", int(np.sum(inf & (value < 0)))),
        ("+Inf", int(np.sum(inf & (value > 0)))),
        ("+NaN", int(np.sum(np.isnan(value)))),
    )
    lines += [f"  # of {what} elements: {n}" for what, n in counts if n]
    if len(inputs) > 1:
        lines += ["", f"  Input tensors ({len(inputs)}):"]
        lines += [f"         {i}: {_as_text(a)}" for i, a in enumerate(inputs)]
    elif inputs:
        lines += ["", f"  Input tensor: {_as_text(inputs[0])}"]
    kinds = [what.replace("+NaN", "NaN") for what, n in counts if n]
    lines += ["", f" : Tensor had {' and '.join(kinds)} values [Op:CheckNumericsV2]"]
    return "\n".join(lines)


def _checked(op):
    kernel = op.kernel
    ignored = _IGNORED_OUTPUTS.get(op.name, frozenset())

    def check(*arrays, **attrs):
        out = kernel(*arrays, **attrs)
        outs = out if isinstance(out, tuple) else (out,)
        for slot, value in enumerate(outs):
            if (
                isinstance(value, (np.ndarray, np.generic))
                and value.dtype.kind == "f"
                and slot not in ignored
                and not np.isfinite(value).all()
            ):
                raise InvalidArgumentError(
                    None, op.name, _message(op.name, slot, len(outs), value, arrays)
                )
        return out

    return check


def enable_check_numerics(stack_height_limit=30, path_length_limit=50) -> None:
    """Makes every op check its floating outputs for Inf and NaN from now on.

    Raises (from the op that makes one):
        tf.errors.InvalidArgumentError: naming the op, the output's dtype and shape, how
            many Infs and NaNs it holds, and the op's inputs.

    >>> import tensorflux as tf
    >>> tf.debugging.enable_check_numerics()
    >>> try:
    ...     tf.math.log(tf.constant([0.0, 1.0]))
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(e.message.splitlines()[2])
    !!! Detected Infinity or NaN in output 0 of eagerly-executing op "Log" (# of outputs: 1) !!!
    >>> tf.debugging.disable_check_numerics()
    """
    for name, op in registry.registered_ops().items():
        if name in _originals or name in _SAFE_OPS:
            continue
        _originals[name] = op.kernel
        op.kernel = _checked(op)


def disable_check_numerics() -> None:
    """Stops the checks ``enable_check_numerics`` started (a no-op when not enabled)."""
    for name, kernel in _originals.items():
        registry.get(name).kernel = kernel
    _originals.clear()
