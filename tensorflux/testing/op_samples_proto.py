"""Inference-table rows for the protocol-buffer ops (``tf.io.decode_proto``,
``tf.io.encode_proto``, ``tf.io.decode_json_example``).

Imported at the end of ``op_samples``; importing ``ops.proto_ops`` registers the ops.
"""

from __future__ import annotations

import numpy as np

from tensorflux.framework import dtypes
from tensorflux.framework.cluster_proto import JobDef
from tensorflux.framework.example_proto import FloatList, Int64List
from tensorflux.ops import proto_ops  # noqa: F401  (registers the ops)
from tensorflux.testing.op_samples import add_sample


def _rows():
    lists = np.array(
        [Int64List(value=[1, 2, 3]).SerializeToString(), Int64List().SerializeToString()],
        dtype=object,
    )
    add_sample(
        "DecodeProtoV2",
        lists,
        message_type="tensorflow.Int64List",
        field_names=["value"],
        output_types=[dtypes.int64],
    )
    jobs = np.array([[JobDef(name="w", tasks={0: "a:1"}).SerializeToString()]], dtype=object)
    add_sample(
        "DecodeProtoV2",
        jobs,
        message_type="tensorflow.JobDef",
        field_names=["tasks", "name"],
        output_types=[dtypes.string, dtypes.string],
    )
    floats = np.array(FloatList(value=[0.5]).SerializeToString(), dtype=object)
    add_sample(
        "DecodeProtoV2",
        floats,
        message_type="tensorflow.FloatList",
        field_names=["value"],
        output_types=[dtypes.float64],
    )
    add_sample(
        "EncodeProto",
        np.array([[2], [0]], np.int32),
        np.array([[1.5, 2.0], [0.0, 0.0]], np.float32),
        field_names=["value"],
        message_type="tensorflow.FloatList",
    )
    add_sample(
        "EncodeProto",
        np.array([[1, 1]], np.int32),
        np.array([[b"\x08\x00\x12\x01a"]], dtype=object),
        np.array([[b"w"]], dtype=object),
        field_names=["tasks", "name"],
        message_type="tensorflow.JobDef",
    )

    texts = np.array(
        [['{"features": {"feature": {"x": {"int64List": {"value": ["1"]}}}}}'], ["{}"]],
        dtype=object,
    )
    add_sample("DecodeJSONExample", texts)


_rows()
