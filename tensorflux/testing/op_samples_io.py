"""Inference-table rows for the ``tf.io`` decoding, serialization and parsing ops.

Imported at the end of ``op_samples``; it imports the op modules it covers, so their
ops are registered whenever the table is read. Strings are object arrays of bytes.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.example_wire import encode_example_json
from tensorflux.ops import (  # noqa: F401 - registers the ops
    csv_ops,
    file_io_ops,
    io_decode_ops,
    parsing_ops,
    sparse_io_ops,
)
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
    add_sample("DecodeJSONExample", _strings(b'{"features": {}}', b"{}"))
    add_sample("SerializeTensor", np.ones((2, 3), np.float32), T=dtypes.float32)
    serialized = io_decode_ops.serialize_tensor(np.arange(3, dtype=np.int64)).numpy()
    add_sample("ParseTensor", np.asarray(serialized, dtype=object), out_type=dtypes.int64)

    _parsing_rows()
    _sparse_rows()
    add_sample("MatchingFiles", _strings(b"no-such-folder/*.txt"))
    add_sample(
        "DecodeCSV",
        _strings(b"1,2.5,a", b'3,,"b,c"'),
        np.array([0], np.int32),
        np.array([1.0], np.float64),
        _strings(b"z"),
        OUT_TYPE=[dtypes.int32, dtypes.float64, dtypes.string],
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=[],
    )


def _sparse_rows():
    indices = np.array([[0, 1], [2, 0]], np.int64)
    values = np.array([1.5, 2.5], np.float32)
    shape = np.array([3, 4], np.int64)
    for name in ("SerializeSparse", "SerializeManySparse"):
        add_sample(name, indices, values, shape, T=dtypes.float32, out_type=dtypes.string)
    st = sparse_io_ops.serialize_many_sparse(
        sparse_io_ops.SparseTensor(indices, values, shape)
    ).numpy()
    add_sample("DeserializeManySparse", st, dtype=dtypes.float32)


def _parsing_rows():
    record = encode_example_json(
        {
            "features": {
                "feature": {
                    "a": {"floatList": {"value": [1.5, 2.0]}},
                    "v": {"int64List": {"value": [3, 4, 5]}},
                }
            }
        }
    )
    keys = {k: _strings(k.encode()) for k in ("a", "v")}
    none = _strings()
    for serialized in (_strings(record, record), np.asarray(record, dtype=object)):
        add_sample(
            "ParseExampleV2",
            serialized,
            none,
            keys["v"],
            keys["a"],
            none,
            np.zeros(0, np.float32),
            Tdense=[dtypes.float32],
            num_sparse=1,
            sparse_types=[dtypes.int64],
            ragged_value_types=[],
            ragged_split_types=[],
            dense_shapes=[(2,)],
        )
        add_sample(
            "ParseExampleV2",
            serialized,
            none,
            none,
            keys["v"],
            keys["a"],
            np.zeros(0, np.int64),
            Tdense=[dtypes.int64],
            num_sparse=0,
            sparse_types=[],
            ragged_value_types=[dtypes.float32],
            ragged_split_types=[dtypes.int32],
            dense_shapes=[(None,)],
        )
    # A SequenceExample whose feature list "f" has two steps of one int64 each.
    sequence = bytes.fromhex("12150a130a0166120e0a051a030a01010a051a030a0102")
    for serialized in (_strings(sequence), np.asarray(sequence, dtype=object)):
        add_sample(
            "ParseSequenceExampleV2",
            serialized,
            none,
            none,
            none,
            none,
            _strings(b"f"),
            _strings(b"f"),
            _strings(b"f"),
            none,
            Ncontext_sparse=0,
            Tcontext_dense=[],
            context_sparse_types=[],
            context_ragged_value_types=[],
            context_ragged_split_types=[],
            context_dense_shapes=[],
            Nfeature_list_sparse=1,
            Nfeature_list_dense=1,
            feature_list_dense_types=[dtypes.int64],
            feature_list_sparse_types=[dtypes.int64],
            feature_list_ragged_value_types=[dtypes.int64],
            feature_list_ragged_split_types=[dtypes.int64],
            feature_list_dense_shapes=[()],
        )


_rows()
