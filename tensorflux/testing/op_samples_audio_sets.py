"""Inference-table rows for ``tf.audio`` (EncodeWav, DecodeWav), ``tf.sets`` and
``tf.quantization``."""

from __future__ import annotations

import numpy as np

from tensorflux.ops import (  # noqa: F401  (registers the ops)
    audio_ops,
    fake_quant_ops,
    quantize_dequantize_ops,
    set_ops,
)
from tensorflux.testing.op_samples import add_sample

_IND = np.array([[0, 0], [0, 1], [2, 0]], np.int64)
_VAL = np.array([5, 3, 3], np.int32)
_SHAPE = np.array([3, 4], np.int64)
_DENSE = np.array([[3, 3], [9, 1], [2, 2]], np.int32)


def _rows():
    samples = np.array([[0.5, -0.5], [0.25, 1.0], [0.0, -1.0]], np.float32)
    add_sample("EncodeWav", samples, np.int32(8000))
    wav = audio_ops._encode_wav_kernel(samples, np.int32(8000))
    add_sample("DecodeWav", wav, desired_channels=-1, desired_samples=-1)
    add_sample("DecodeWav", wav, desired_channels=1, desired_samples=5)
    for operation in ("intersection", "union", "a-b", "b-a"):
        attrs = {"set_operation": operation, "validate_indices": True}
        add_sample("DenseToDenseSetOperation", _DENSE, _DENSE[::-1].copy(), **attrs)
        add_sample("DenseToSparseSetOperation", _DENSE, _IND, _VAL, _SHAPE, **attrs)
        add_sample("SparseToSparseSetOperation", _IND, _VAL, _SHAPE, _IND, _VAL, _SHAPE, **attrs)
    add_sample("SetSize", _IND, _VAL, _SHAPE, validate_indices=True)
    _quantization_rows()


def _quantization_rows():
    x = np.array([[-7.0, -0.3, 0.2], [1.1, 4.4, 9.0]], np.float32)
    fake = {"num_bits": 8, "narrow_range": False}
    add_sample("FakeQuantWithMinMaxArgs", x, min=-6.0, max=6.0, **fake)
    add_sample("FakeQuantWithMinMaxArgsGradient", x, x, min=-6.0, max=6.0, **fake)
    low, high = np.float32(-1), np.float32(2)
    add_sample("FakeQuantWithMinMaxVars", x, low, high, **fake)
    add_sample("FakeQuantWithMinMaxVarsGradient", x, x, low, high, **fake)
    lows, highs = np.full(3, -1, np.float32), np.full(3, 2, np.float32)
    add_sample("FakeQuantWithMinMaxVarsPerChannel", x, lows, highs, **fake)
    add_sample("FakeQuantWithMinMaxVarsPerChannelGradient", x, x, lows, highs, **fake)
    qdq = {"signed_input": True, "num_bits": 8, "round_mode": "HALF_TO_EVEN", "narrow_range": False}
    for name in ("QuantizeAndDequantizeV4", "QuantizeAndDequantizeV2"):
        add_sample(name, x, low, high, range_given=True, axis=-1, **qdq)
        add_sample(name, x, lows, highs, range_given=False, axis=1, **qdq)
    add_sample("QuantizeAndDequantizeV4Grad", x, x, low, high, axis=-1)


_rows()
