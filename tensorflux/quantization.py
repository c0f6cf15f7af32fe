"""``tf.quantization``: simulated quantisation (fake-quant ops and quantize-dequantize)
for quantisation-aware training.

The ops on quantised integer tensors (``quantize``, ``dequantize``,
``quantized_concat``) are not provided: tensorflux has no quantised dtypes.
"""

from tensorflux.ops.fake_quant_ops import (  # noqa: F401
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel,
    fake_quant_with_min_max_vars_per_channel_gradient,
)
from tensorflux.ops.quantize_dequantize_ops import (  # noqa: F401
    quantize_and_dequantize,
    quantize_and_dequantize_v2,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.quantization", __name__, name)
