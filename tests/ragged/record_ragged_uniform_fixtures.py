# ruff: noqa: E501 - the case table holds one expression per line
"""Records what TensorFlow gives for uniform row lengths and multi-ragged reductions.

Run with a Python that has TensorFlow 2.21:
    python tests/ragged/record_ragged_uniform_fixtures.py
It writes tests/fixtures/ragged_uniform.json: for every expression in CASES, the value
(nested lists, dtype, static shape, printed form, uniform row length) or the error class
and message TF raised. test_ragged_uniform.py evaluates the same expressions with
tensorflux, eagerly and where marked inside a ``tf.function``.
"""

from __future__ import annotations

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "fixtures" / "ragged_uniform.json"

U = "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2)"
U2 = "tf.RaggedTensor.from_uniform_row_length(tf.ragged.constant([[1], [2, 3], [], [4]]), 2)"
R3 = "tf.ragged.constant([[[1.0, 2.0], [3.0]], [[4.0]], [], [[5.0, 6.0, 7.0], [], [8.0]]])"
B3 = "tf.ragged.constant([[[True, False], [True]], [[False]], [], [[True, True, False], [], [True]]])"

CASES = [
    U,
    f"{U}.uniform_row_length",
    f"{U}.row_splits",
    f"{U}.row_lengths()",
    f"{U}.nrows()",
    f"{U}.value_rowids()",
    f"{U}.bounding_shape()",
    f"{U}.to_tensor()",
    f"{U}.to_tensor(shape=[2, 3])",
    f"str({U}.shape)",
    f"repr({U})",
    f"str({U})",
    f"{U}.ragged_rank",
    f"{U}.numpy()",
    f"{U} + 1",
    f"str(({U} * 2).shape)",
    f"tf.reduce_sum({U}, axis=1)",
    f"{U}.with_row_splits_dtype(tf.int32).uniform_row_length",
    f"{U}.with_values(tf.constant([6, 5, 4, 3, 2, 1])).uniform_row_length",
    f"repr(tf.RaggedTensorSpec.from_value({U}))",
    U2,
    f"repr({U2})",
    f"str({U2}.shape)",
    f"{U2}.to_tensor()",
    f"{U2}.uniform_row_length",
    f"{U2}.values.uniform_row_length",
    f"{U2}.nested_row_lengths()",
    f"{U2}.row_lengths(axis=2)",
    "tf.RaggedTensor.from_uniform_row_length([[1, 2], [3, 4], [5, 6]], 3)",
    "str(tf.RaggedTensor.from_uniform_row_length([[1, 2], [3, 4], [5, 6]], 3).shape)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2, nrows=2)",
    "tf.RaggedTensor.from_uniform_row_length([1.0, 2.0, 3.0, 4.0], tf.constant(2, tf.int32)).row_splits",
    "tf.RaggedTensor.from_uniform_row_length(tf.constant([], tf.int32), 0, nrows=3)",
    "str(tf.RaggedTensor.from_uniform_row_length(tf.constant([], tf.int32), 0, nrows=3).shape)",
    "repr(tf.RaggedTensor.from_uniform_row_length(tf.constant([], tf.int32), 0, nrows=3))",
    "str(tf.RaggedTensor.from_uniform_row_length(tf.constant([], tf.int32), 2).shape)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3], 2)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2, nrows=3)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], -1)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], [2])",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2.0)",
    "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 0)",
    "tf.ragged.constant([[1, 2]]).uniform_row_length",
    # from_tensor keeps the dense sizes as uniform row lengths
    "tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]).uniform_row_length",
    "str(tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]).shape)",
    "repr(tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]))",
    "str(tf.RaggedTensor.from_tensor(tf.zeros([2, 3, 2]), ragged_rank=2).shape)",
    "tf.RaggedTensor.from_tensor([[[1, 0], [2, 3]], [[0, 0], [4, 0]]], padding=0, ragged_rank=2)",
    "str(tf.RaggedTensor.from_tensor([[[1, 0], [2, 3]], [[0, 0], [4, 0]]], padding=0, ragged_rank=2).shape)",
    "tf.RaggedTensor.from_tensor([[[1, 0], [2, 3]], [[0, 0], [4, 0]]], lengths=[1, 2, 0, 1], ragged_rank=2)",
    "str(tf.RaggedTensor.from_tensor([[1, 0], [2, 3]], lengths=[1, 2]).shape)",
    # printing of ragged tensors whose rows happen to have one length
    "repr(tf.ragged.constant([[1, 2], [3, 4]]))",
    "repr(tf.ragged.constant([[1.5, 2.0], [3.0, 4.25]]))",
    "repr(tf.ragged.constant([[[1], [2, 3]], [[], [4]]]))",
    "repr(tf.ragged.constant([[], []]))",
    # reductions over the outer axes of tensors with two ragged dimensions
    *[
        f"tf.reduce_{k}({R3}, axis={a})"
        for k in ("sum", "mean", "max", "min", "prod")
        for a in (0, 1, -2, -3)
    ],
    *[f"tf.reduce_{k}({B3}, axis={a})" for k in ("any", "all") for a in (0, 1)],
    *[f"tf.reduce_{k}({R3}, axis={a}, keepdims=True)" for k in ("sum", "mean") for a in (0, 1)],
    f"repr(tf.reduce_sum({R3}, axis=1, keepdims=True))",
    f"tf.reduce_sum({R3}, axis=[0, 1])",
    f"tf.reduce_max({R3}, axis=[0, 2])",
    f"tf.reduce_mean({R3}, axis=[1, 2])",
    "tf.reduce_max(tf.ragged.constant([[[1], [2, 3]], [[4]]]), axis=1)",
    "tf.reduce_min(tf.ragged.constant([[[1], [2, 3]], [[4]]]), axis=0)",
    "tf.reduce_mean(tf.ragged.constant([[[1], [2, 3]], [[4]]]), axis=0)",
    "tf.reduce_sum(tf.ragged.constant([[[[1, 2], [3]], [[4]]], [[[5]], []]]), axis=0)",
    "tf.reduce_sum(tf.ragged.constant([[[[1, 2], [3]], [[4]]], [[[5]], []]]), axis=1)",
    "tf.reduce_sum(tf.ragged.constant([[[[1, 2], [3]], [[4]]], [[[5]], []]]), axis=2)",
    "tf.reduce_sum(tf.ragged.constant([[[[1, 2]], [[3, 4], [5, 6]]], [[[7, 8]]]], ragged_rank=2), axis=0)",
    "tf.reduce_max(tf.ragged.constant([[[[1, 2]], [[3, 4], [5, 6]]], [[[7, 8]]]], ragged_rank=2), axis=1)",
    f"tf.reduce_sum({R3}, axis=3)",
    f"tf.reduce_sum({U2}, axis=0)",
    f"tf.reduce_sum({U2}, axis=1)",
    f"tf.reduce_mean({U}, axis=0)",
    f"str(({U} + {U}).shape)",
    f"str(({U} + tf.ragged.constant([[1, 1], [1, 1], [1, 1]])).shape)",
    f"str((tf.ragged.constant([[1, 1], [1, 1], [1, 1]]) * {U}).shape)",
    # indexing keeps (or uses) the uniform row length
    *[f"{U}[{k}]" for k in (":, -1", ":, ::-1", ":, 1:", "::2", "1:, 0", ":, 0:5", "-1:", ":, 5")],
    *[f"{U2}[{k}]" for k in (":, 1", ":, 0:1", "1:")],
    f"str(tf.gather({U}, [2, 0]).shape)",
]

# Expressions also run inside a tf.function (the value returned from it).
GRAPH_CASES = [
    f"{U}.to_tensor()",
    f"{U}.row_lengths()",
    f"{U2}.to_tensor()",
    f"tf.reduce_sum({R3}, axis=0)",
    f"tf.reduce_max({R3}, axis=1)",
    f"tf.reduce_any({B3}, axis=0)",
]


def describe(tf, value):
    import numpy as np

    if isinstance(value, tf.RaggedTensor):
        length = value.uniform_row_length
        return {
            "kind": "ragged",
            "dtype": value.dtype.name,
            "splits_dtype": value.row_splits.dtype.name,
            "shape": str(value.shape),
            "uniform": None if length is None else [length.dtype.name, int(length)],
            "value": value.to_list(),
        }
    if isinstance(value, tuple):
        return {"kind": "tuple", "items": [describe(tf, v) for v in value]}
    if tf.is_tensor(value):
        return {
            "kind": "tensor",
            "dtype": value.dtype.name,
            "shape": list(value.shape),
            "value": np.asarray(value.numpy()).tolist(),
        }
    if isinstance(value, np.ndarray):
        return {"kind": "array", "dtype": str(value.dtype), "value": value.tolist()}
    return {"kind": "python", "value": value}


def evaluate(tf, expr: str) -> dict:
    try:
        value = eval(expr, {"tf": tf})  # noqa: S307 - our own case table
    except Exception as e:  # noqa: BLE001 - the class TF raises is what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    return describe(tf, value)


def main() -> None:
    import tensorflow as tf

    cases = [{"expr": e, "tf": evaluate(tf, e)} for e in CASES]
    graph = [
        {"expr": e, "tf": describe(tf, tf.function(lambda e=e: eval(e, {"tf": tf}))())}  # noqa: S307
        for e in GRAPH_CASES
    ]
    OUT.write_text(json.dumps({"eager": cases, "graph": graph}, indent=0) + "\n")
    print(f"wrote {len(cases) + len(graph)} cases to {OUT}")


if __name__ == "__main__":
    main()
