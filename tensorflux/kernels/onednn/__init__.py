"""oneDNN (3.x C API, through ctypes) kernels for convolution (plain and depthwise),
pooling, fused batch norm, the rectifiers (Relu, Relu6 and their gradients), the
fused recurrent ops (LSTM, GRU, SimpleRNN and their gradients) and the bilinear resize
of 8-bit images.

The library comes from the ``onednn-cpu-gomp`` wheel on Linux x86-64 (see
``_library`` for the lookup) and is loaded on the first call that can use it; the
modules that declare its functions are imported then too, so registering costs
``import tensorflux`` nothing. Kernels take NumPy buffers as they are (NHWC
activations, Keras-layout HWIO filters) and cache one plan per shape.
"""

import importlib

import numpy as np

from tensorflux.kernels import Backend, register_kernel
from tensorflux.kernels.onednn import support


def _load() -> bool:
    from tensorflux.kernels import threads
    from tensorflux.kernels.onednn import _library

    threads.tune_malloc()
    return _library.library() is not None


def _lazy(module: str, name: str):
    """The kernel ``name`` of ``tensorflux.kernels.onednn.<module>``, imported on first call."""
    resolved = []

    def kernel(*arrays, **attrs):
        if not resolved:
            resolved.append(
                getattr(importlib.import_module(f"tensorflux.kernels.onednn.{module}"), name)
            )
        return resolved[0](*arrays, **attrs)

    kernel.__name__ = f"onednn_{name}"
    return kernel


ONEDNN = Backend("onednn", _load)

_KERNELS = [
    (("Conv2D", "Conv3D"), support.conv_supports, "conv", "conv"),
    (
        ("Conv2DBackpropInput", "Conv3DBackpropInputV2"),
        support.conv_backprop_input_supports,
        "conv",
        "conv_backprop_input",
    ),
    (
        ("Conv2DBackpropFilter", "Conv3DBackpropFilterV2"),
        support.conv_backprop_filter_supports,
        "conv",
        "conv_backprop_filter",
    ),
    (("DepthwiseConv2dNative",), support.depthwise_supports, "depthwise", "depthwise"),
    (
        ("DepthwiseConv2dNativeBackpropInput",),
        support.depthwise_backprop_input_supports,
        "depthwise",
        "depthwise_backprop_input",
    ),
    (
        ("DepthwiseConv2dNativeBackpropFilter",),
        support.depthwise_backprop_filter_supports,
        "depthwise",
        "depthwise_backprop_filter",
    ),
    (("MaxPool", "MaxPool3D"), support.max_pool_supports, "pool", "max_pool"),
    # Not MaxPool3DGrad: TF sends its gradient to every tied maximum, oneDNN to the first.
    (("MaxPoolGrad",), support.max_pool_grad_supports, "pool", "max_pool_grad"),
    (("AvgPool", "AvgPool3D"), support.avg_pool_supports, "pool", "avg_pool"),
    (("AvgPoolGrad", "AvgPool3DGrad"), support.avg_pool_grad_supports, "pool", "avg_pool_grad"),
]
for _ops, _supports, _module, _name in _KERNELS:
    for _op in _ops:
        register_kernel(_op, ONEDNN, supports=_supports, kernel=_lazy(_module, _name))

# float32 only: a 16-bit _FusedConv2D must round the convolution before adding the bias,
# as the three ops do (widened, oneDNN would round once).
register_kernel(
    "_FusedConv2D",
    ONEDNN,
    supports=support.fused_conv2d_supports,
    kernel=_lazy("conv", "fused_conv2d"),
)

# float32 only, unlike _KERNELS: NumPy's 16-bit rectifiers are faster than widening
# for oneDNN; the reference kernels step 16-bit recurrences in 16 bits, as TF does, and
# a cast of the results would lose the placeholders the saved outputs are.
_FLOAT32_KERNELS = [
    ("Relu", support.rectifier_supports, "eltwise", "relu"),
    ("Relu6", support.rectifier_supports, "eltwise", "relu6"),
    ("ReluGrad", support.rectifier_grad_supports, "eltwise", "relu_grad"),
    ("Relu6Grad", support.rectifier_grad_supports, "eltwise", "relu6_grad"),
    ("FusedLSTM", support.fused_lstm_supports, "rnn", "fused_lstm"),
    ("FusedLSTMGrad", support.fused_lstm_grad_supports, "rnn", "fused_lstm_grad"),
    ("FusedGRU", support.fused_gru_supports, "rnn", "fused_gru"),
    ("FusedGRUGrad", support.fused_gru_grad_supports, "rnn", "fused_gru_grad"),
    ("FusedSimpleRNN", support.fused_simple_rnn_supports, "rnn", "fused_simple_rnn"),
    ("FusedSimpleRNNGrad", support.fused_simple_rnn_grad_supports, "rnn", "fused_simple_rnn_grad"),
    # 8-bit images only, where the result is TF's bit for bit (see the support test).
    ("ResizeBilinear", support.resize_bilinear_supports, "resample", "resize_bilinear"),
]
for _op, _supports, _module, _name in _FLOAT32_KERNELS:
    register_kernel(_op, ONEDNN, supports=_supports, kernel=_lazy(_module, _name))

# (ops, supports, kernel name, leading inputs in the op's T: x, or dy and x)
_BATCH_NORM_KERNELS = [
    (("FusedBatchNormV3",), support.fused_batch_norm_supports, "fused_batch_norm_v3", 1),
    (
        ("FusedBatchNorm", "FusedBatchNormV2"),
        support.fused_batch_norm_supports,
        "fused_batch_norm_v2",
        1,
    ),
    (
        ("FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3"),
        support.fused_batch_norm_grad_supports,
        "fused_batch_norm_grad_v3",
        2,
    ),
]


def _is_half(a) -> bool:
    return isinstance(a, np.ndarray) and a.dtype.name in ("float16", "bfloat16")


def _half(supports, kernel, finite: int | None):
    """A float32 kernel serving float16 / bfloat16 calls (mixed precision): the operands
    are widened (exactly), the float32 kernel runs and its result is rounded once, as
    the reference kernels compute 16-bit convolutions and pooling. ``finite``: the
    operand whose values max pooling needs free of NaN and inf."""

    def half_supports(*arrays, **attrs):
        if not any(_is_half(a) for a in arrays):
            return False
        # The checks read shapes and dtypes; widening here too would double the casts.
        stand_ins = [np.broadcast_to(np.float32(0), a.shape) if _is_half(a) else a for a in arrays]
        if not supports(*stand_ins, **attrs):
            return False
        return finite is None or bool(np.isfinite(np.add.reduce(arrays[finite], None, np.float32)))

    def half_kernel(*arrays, **attrs):
        dtype = next(a.dtype for a in arrays if _is_half(a))
        wide = [a.astype(np.float32) if _is_half(a) else a for a in arrays]
        return kernel(*wide, **attrs).astype(dtype)

    return half_supports, half_kernel


for _ops, _supports, _module, _name in _KERNELS:
    for _op in _ops:
        _check, _kernel = _half(
            _supports, _lazy(_module, _name), 0 if _name.startswith("max_pool") else None
        )
        register_kernel(_op, ONEDNN, supports=_check, kernel=_kernel)


def _half_batch_norm(supports, kernel, leading: int):
    """As ``_half`` for the fused batch norms, whose 16-bit operands are the ``leading``
    inputs (x; dy and x) and whose other inputs and outputs stay float32: only those
    are widened, and only the first result (y; dx) is rounded back."""

    def half_supports(*arrays, **attrs):
        if not all(_is_half(a) for a in arrays[:leading]):
            return False
        stand_ins = [np.broadcast_to(np.float32(0), a.shape) for a in arrays[:leading]]
        return supports(*stand_ins, *arrays[leading:], **attrs)

    def half_kernel(*arrays, **attrs):
        dtype = arrays[0].dtype
        wide = [a.astype(np.float32) for a in arrays[:leading]]
        result = kernel(*wide, *arrays[leading:], **attrs)
        return (result[0].astype(dtype), *result[1:])

    return half_supports, half_kernel


for _ops, _supports, _name, _leading in _BATCH_NORM_KERNELS:
    for _op in _ops:
        _kernel = _lazy("batch_norm", _name)
        register_kernel(_op, ONEDNN, supports=_supports, kernel=_kernel)
        _check, _kernel = _half_batch_norm(_supports, _kernel, _leading)
        register_kernel(_op, ONEDNN, supports=_check, kernel=_kernel)
