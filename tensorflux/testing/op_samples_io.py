"""Inference-table rows for the ``tf.io`` decoding, serialization and parsing ops.

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. Strings are object arrays of bytes.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.ops import io_decode_ops
from tensorflux.testing.op_samples import add_sample


def _strings(*values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _rows():
    add_sample("EncodeBase64", _strings(b"ab", b""), pad=True)
    add_sample("DecodeBase64", _strings(b"YWI", b"YQ=="))
    add_sample("DecodeCompressed", _strings(b"x"), compression_type="")
    for dtype in (dtypes.float32, dtypes.uint8, dtypes.complex64, dtypes.bool):
        add_sample("DecodeRaw", _strings(b"\0" * 8, b"\1" * 8), out_type=dtype, little_endian=True)
    add_sample(
        "DecodePaddedRaw",
        _strings(b"\1\2\3", b""),
        np.int32(4),
        out_type=dtypes.int16,
        little_endian=False,
    )
    add_sample("SerializeTensor", np.ones((2, 3), np.float32), T=dtypes.float32)
    serialized = io_decode_ops.serialize_tensor(np.arange(3, dtype=np.int64)).numpy()
    add_sample("ParseTensor", np.asarray(serialized, dtype=object), out_type=dtypes.int64)


_rows()
