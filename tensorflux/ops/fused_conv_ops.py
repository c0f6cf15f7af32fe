"""``_FusedConv2D``: Conv2D, BiasAdd and an optional Relu as one op, made only by fusing a
compiled graph (as TF's grappler remapper makes it; no public function creates it).

In a Keras ``Conv2D(..., activation="relu")`` the convolution's output and the biased
sum are read by nothing else (the Relu's gradient reads the Relu's output, BiasAdd's
and Conv2D's read dy and the convolution's inputs), so a ``tf.function`` runs the three
as one node: oneDNN adds the bias and applies the ReLU while the convolution's output
is still in cache, instead of two more passes over memory. The reference kernel runs
the three ops' own kernels one after the other, so it gives exactly their values.
"""

from __future__ import annotations

from tensorflux.engine.fusion import register_fusion
from tensorflux.engine.graph import Node
from tensorflux.engine.registry import FLOATING, Spec, register
from tensorflux.ops.conv_ops import _CONV2D, _conv2d_infer
from tensorflux.ops.nn_ops import _BIAS_ADD, _RELU

__all__ = []

# The fused operations this op runs after the convolution, as TF spells them.
BIAS = ("BiasAdd",)
BIAS_RELU = ("BiasAdd", "Relu")


def _fused_conv2d_kernel(
    input,  # noqa: A002
    filter,  # noqa: A002
    *args,
    fused_ops=BIAS,
    num_args=1,
    epsilon=0.0001,
    leakyrelu_alpha=0.2,
    **conv_attrs,
):
    y = _CONV2D.kernel(input, filter, **conv_attrs)
    y = _BIAS_ADD.kernel(y, args[0], data_format=conv_attrs.get("data_format", "NHWC"))
    if tuple(fused_ops) == BIAS_RELU:
        y = _RELU.kernel(y)
    return y


def _fused_conv2d_infer(
    input: Spec,  # noqa: A002
    filter: Spec,  # noqa: A002
    *args: Spec,
    fused_ops=BIAS,
    num_args=1,
    epsilon=0.0001,
    leakyrelu_alpha=0.2,
    **conv_attrs,
) -> Spec:
    return _conv2d_infer(input, filter, **conv_attrs)


# TF registers no gradient for _FusedConv2D: it exists only after gradients are built.
_FUSED_CONV2D = register(
    "_FusedConv2D",
    kernel=_fused_conv2d_kernel,
    grad=None,
    infer=_fused_conv2d_infer,
    allowed=FLOATING,
)


def _fuse_bias(conv: Node, bias_add: Node) -> Node | None:
    """Conv2D -> BiasAdd on channels-last tensors becomes _FusedConv2D(BiasAdd)."""
    if conv.attrs.get("data_format", "NHWC") != "NHWC":
        return None
    if bias_add.attrs.get("data_format", "NHWC") != "NHWC":
        return None
    attrs = {**conv.attrs, "fused_ops": BIAS, "num_args": 1}
    return Node(
        "op",
        _FUSED_CONV2D,
        [*conv.inputs, bias_add.inputs[1]],
        attrs,
        list(bias_add.outputs),
        out_values=bias_add.out_values,
    )


def _fuse_relu(fused: Node, relu: Node) -> Node | None:
    """_FusedConv2D(BiasAdd) -> Relu becomes _FusedConv2D(BiasAdd, Relu)."""
    if tuple(fused.attrs["fused_ops"]) != BIAS:
        return None
    return Node(
        "op",
        _FUSED_CONV2D,
        list(fused.inputs),
        {**fused.attrs, "fused_ops": BIAS_RELU},
        list(relu.outputs),
        out_values=relu.out_values,
    )


register_fusion("Conv2D", "BiasAdd", _fuse_bias)
register_fusion("_FusedConv2D", "Relu", _fuse_relu)
