"""Inference-table rows for ``tf.audio`` (EncodeWav, DecodeWav) and ``tf.sets``."""

from __future__ import annotations

import numpy as np

from tensorflux.ops import audio_ops, set_ops  # noqa: F401  (registers the ops)
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


_rows()
