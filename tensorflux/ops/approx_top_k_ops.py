"""``tf.approx_top_k``: TF's ApproxTopK op. TF's CPU kernel is exact (the approximation
is an accelerator technique): the ``k`` largest entries of the last axis, as
``tf.math.top_k``; on CPU TF has no kernel for other reduction dimensions or for the
smallest entries, and neither has tensorflux."""

from __future__ import annotations

from collections import namedtuple

from tensorflux.engine.registry import Spec, execute, register
from tensorflux.framework import context, dtypes
from tensorflux.framework.errors import InvalidArgumentError, NotFoundError
from tensorflux.framework.shape import TensorShape
from tensorflux.ops.common import to_tensor

__all__ = ["approx_top_k"]

ApproxTopK = namedtuple("ApproxTopK", ["values", "indices"])

_ATTRS = (
    "k",
    "reduction_dimension",
    "recall_target",
    "is_max_k",
    "reduction_input_size_override",
    "aggregate_to_topk",
)


def _approx_top_k_kernel(x, **attrs):
    from tensorflux.ops.nn_ops import _top_k_kernel

    k = attrs["k"]
    if x.ndim == 0:
        raise InvalidArgumentError(
            None, "ApproxTopK", "operand must be at least rank 1, got [] [Op:ApproxTopK]"
        )
    if x.shape[-1] < k:
        raise InvalidArgumentError(
            None,
            "ApproxTopK",
            f"input must have at least k columns. Had {x.shape[-1]}, needed {k} [Op:ApproxTopK]",
        )
    return _top_k_kernel(x, k)


def _approx_top_k_infer(x: Spec, **attrs) -> tuple:
    if x.shape.rank is None:
        shape = TensorShape(None)
    else:
        shape = TensorShape(x.shape.as_list()[:-1] + [attrs["k"]])
    return Spec(x.dtype, shape), Spec(dtypes.int32, shape)


def _approx_top_k_grad(call, dvalues, dindices):
    """d x = dvalues put back at the positions named by the indices."""
    from tensorflux.ops.nn_ops import _PUT_ALONG_LAST

    (x,) = call.inputs
    return (execute(_PUT_ALONG_LAST, (dvalues, call.outputs[1], x)),)


_APPROX_TOP_K = register(
    "ApproxTopK",
    kernel=_approx_top_k_kernel,
    grad=_approx_top_k_grad,
    infer=_approx_top_k_infer,
    num_outputs=2,
    allowed=frozenset({dtypes.float16, dtypes.bfloat16, dtypes.float32}),
)


def approx_top_k(
    input,  # noqa: A002
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    is_max_k=True,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
) -> ApproxTopK:
    """The ``k`` largest entries of the last axis and their int32 indices, as TF's CPU
    kernel returns them: exactly (``recall_target`` and the aggregation arguments only
    matter on accelerators), in descending order, ties keeping the lower index first.

    Args:
        input: a float16, bfloat16 or float32 tensor of rank >= 1.
        k: how many entries to keep.
        reduction_dimension: -1 (TF's CPU kernel supports no other).
        is_max_k: True (TF's CPU kernel has no min-k).

    Returns:
        ``ApproxTopK(values, indices)``.

    Raises:
        NotFoundError: another reduction dimension or ``is_max_k=False``, as TF on CPU.
        InvalidArgumentError: ``k`` larger than the last dimension, or another dtype.

    >>> import tensorflux as tf
    >>> tf.approx_top_k(tf.constant([[1.0, 5.0, 3.0, 2.0]]), 2).indices.numpy()
    array([[1, 2]], dtype=int32)
    """
    x = to_tensor(input)
    tracing = context.state.graph is not None
    if x.dtype not in (dtypes.float16, dtypes.bfloat16, dtypes.float32):
        if tracing:
            raise TypeError(
                f"Value passed to parameter 'input' has DataType {x.dtype.name} not in list "
                f"of allowed values: float16, bfloat16, float32"
            )
        raise InvalidArgumentError(
            None,
            "ApproxTopK",
            f"Value for attr 'T' of {x.dtype.name} is not in the list of allowed values: half, "
            f"bfloat16, float [Op:ApproxTopK]. Cast the input to float32.",
        )
    attrs = dict(
        zip(
            _ATTRS,
            (
                int(k),
                int(reduction_dimension),
                float(recall_target),
                bool(is_max_k),
                int(reduction_input_size_override),
                bool(aggregate_to_topk),
            ),
        )
    )
    if attrs["reduction_dimension"] != -1 or not attrs["is_max_k"]:
        node = ", ".join(
            f"{key}={str(attrs[key]).lower() if isinstance(attrs[key], bool) else attrs[key]}"
            for key in sorted(attrs)
        )
        if tracing:
            # A graph finds no kernel when it runs: TF reports it as an invalid argument.
            error = InvalidArgumentError(
                None,
                "ApproxTopK",
                f"No OpKernel was registered to support Op 'ApproxTopK' used by "
                f"{{{{node ApproxTopK}}}} with these attrs: [{node}, T={_tf_type(x.dtype)}]\n"
                f"Registered devices: [CPU] [Op:ApproxTopK]. On CPU, use reduction_dimension=-1 "
                f"and is_max_k=True (transpose or negate the input).",
            )
            error._depends_on_values = True
            raise error
        raise NotFoundError(
            None,
            "ApproxTopK",
            f"Could not find device for node: {{{{node ApproxTopK}}}} = ApproxTopK["
            f"T={_tf_type(x.dtype)}, {node}]\nAll kernels registered for op ApproxTopK:\n"
            f"  device='CPU'; T in [{_tf_type(x.dtype)}]; reduction_dimension in [-1]; "
            f"is_max_k in [true]\n [Op:ApproxTopK]",
        )
    values, indices = execute(_APPROX_TOP_K, (x,), attrs)
    return ApproxTopK(values, indices)


def _tf_type(d: dtypes.DType) -> str:
    names = {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}
    return "DT_" + names.get(d.name, d.name.upper())
