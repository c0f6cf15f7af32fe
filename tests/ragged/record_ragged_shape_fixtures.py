# ruff: noqa: E501 - the case table holds one expression per line
"""Records what TensorFlow gives for ``tf.shape`` of ragged tensors
(``tf.experimental.DynamicRaggedShape``) and the ops that take such a shape.

Run with a Python that has TensorFlow 2.21:
    python tests/ragged/record_ragged_shape_fixtures.py
It writes tests/fixtures/ragged_shape.json: for every expression in CASES the value
(a shape's printed form, rank, dtype, static lengths, inner shape and partitions; a
ragged tensor's rows and dtypes) or the error class and message TF raised;
for GRAPH_CASES the same inside a ``tf.function`` taking the ragged tensor as its
argument (``x``), both what tracing sees and what the call returns.
test_ragged_shape.py evaluates the same expressions with tensorflux.
"""

from __future__ import annotations

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "fixtures" / "ragged_shape.json"

R1 = "tf.ragged.constant([[1, 2], [3]])"
R1E = "tf.ragged.constant([[], [1.5], []])"
R1I = "tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)"
R2 = "tf.ragged.constant([[[1], [2, 3]], [[4]], []])"
R3 = "tf.ragged.constant([[[[1, 2], [3, 4]], []], [[[5, 6]]]], ragged_rank=2)"
R4 = "tf.ragged.constant([[[[1], [2, 3]], [[4]]], [[[5]], []]])"
R32 = "tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.int32)"
U = "tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2)"
UR = "tf.RaggedTensor.from_uniform_row_length(tf.ragged.constant([[1], [2, 3], [], [4]]), 2)"
D = "tf.experimental.DynamicRaggedShape"
RP = "tf.experimental.RowPartition"

CASES = [
    # tf.shape of ragged tensors of 1, 2 and 3 ragged dimensions
    *[f"tf.shape({r})" for r in (R1, R1E, R1I, R2, R3, R4, R32, U, UR)],
    *[f"tf.shape({r}, out_type=tf.int64)" for r in (R1, R3, R32, U)],
    f"tf.shape({R1}, out_type=tf.int32)",
    f"str(tf.shape({R2}))",
    "tf.shape(tf.ragged.constant([[], []]))",
    "tf.shape(tf.ragged.constant([[[]], []]))",
    f"tf.shape({R1}, out_type=tf.float32)",
    f"tf.shape({R1}, out_type=tf.string)",
    # dense tensors keep their shape tensor
    "tf.shape(tf.constant([[1, 2, 3]]))",
    "tf.shape(tf.constant([[1, 2, 3]]), out_type=tf.int64)",
    # properties and methods
    *[
        f"tf.shape({r}).{p}"
        for r in (R1, R3, U)
        for p in (
            "rank",
            "num_row_partitions",
            "inner_rank",
            "dtype",
            "inner_shape",
            "row_partitions",
        )
    ],
    *[f"tf.shape({r}).static_lengths()" for r in (R1, R1E, R1I, R3, U, UR)],
    *[f"tf.shape({r}).static_lengths(ragged_lengths=False)" for r in (R1, R3, U)],
    *[f"tf.shape({R3}).is_uniform({a})" for a in (0, 1, 2, 3, 4, -1)],
    f"tf.shape({U}).is_uniform(1)",
    f"tf.shape({R1}).is_uniform(1.0)",
    f"tf.shape({R1}).with_dtype(tf.int64).dtype",
    f"tf.shape({R1}).with_dtype(tf.int64).row_partitions",
    f"tf.shape({R1}).with_dtype(tf.float32)",
    # indexing: uniform dimensions are scalars, ragged ones raise
    *[f"tf.shape({R1})[{k}]" for k in ("0", "1", "-1", "-2", "-3", "2", "5", "True")],
    *[f"tf.shape({R3})[{k}]" for k in ("0", "1", "2", "3", "-1", "4")],
    *[f"tf.shape({U})[{k}]" for k in ("0", "1", "-1")],
    *[f"tf.shape({UR})[{k}]" for k in ("1", "2")],
    *[f"tf.shape({R1I})[{k}]" for k in ("0", "2", "-1")],
    *[f"tf.shape({R1})[{k}]" for k in ("0:1", ":", "0:0", "1:", "::2", "'a'", "tf.constant(0)")],
    *[f"tf.shape({R1I})[{k}]" for k in ("0:2", ":-1", "2:", "5:", ":1", "-1:")],
    *[f"tf.shape({R3})[{k}]" for k in ("0:2", "0:3", ":", "1:3")],
    *[f"tf.shape({U})[{k}]" for k in ("1:", "0:1", "-1:")],
    f"tf.shape({U})[1:].inner_shape",
    f"len(tf.shape({R1}))",
    f"list(tf.shape({R1}))",
    # factories
    f"{D}.from_lengths([2, (2, 1)])",
    f"{D}.from_lengths([2, (2, 1), 3])",
    f"{D}.from_lengths([2, (2, 1), 3]).inner_shape",
    f"{D}.from_lengths([2, (2, 1), 3]).dtype",
    f"{D}.from_lengths([2, (2, 1), 3], num_row_partitions=2)",
    f"{D}.from_lengths([2, (2, 1), 3], num_row_partitions=2).row_partitions",
    f"{D}.from_lengths([2, (2, 1), (2, 0, 1)])",
    f"{D}.from_lengths([2, (2, 1), (1, 0, 2), 2])",
    f"{D}.from_lengths([3, (0, 2, 1)], dtype=tf.int32)",
    f"{D}.from_lengths([2, 3, 4])",
    f"{D}.from_lengths([2, 3, 4], num_row_partitions=1)",
    f"{D}.from_lengths([2, 3, 4], num_row_partitions=2)",
    f"{D}.from_lengths([2, 3, 4], num_row_partitions=2).row_partitions",
    f"{D}.from_lengths([2, 3, 4], num_row_partitions=2)[2]",
    f"{D}.from_lengths([])",
    f"{D}.from_lengths([2, (2, 1, 3)])",
    f"{D}.from_lengths([(2, 1)])",
    f"{D}.from_lengths([2, (2, 1)], num_row_partitions=0)",
    f"{D}.from_lengths((2, 3))",
    f"{D}.from_lengths([2, None])",
    f"{D}.from_lengths([2, 3], num_row_partitions=1.0)",
    f"{D}.from_lengths([], num_row_partitions=1)",
    f"{D}.from_lengths([2, 3], num_row_partitions=2)",
    f"{D}.from_tensor([[1, 2, 3], [4, 5, 6]])",
    f"{D}.from_tensor([[1, 2, 3], [4, 5, 6]]).dtype",
    f"{D}.from_tensor([[1, 2, 3], [4, 5, 6]], dtype=tf.int64).inner_shape",
    f"{D}.from_tensor({R2})",
    f"{D}.from_tensor({R2}).dtype",
    f"{D}.from_tensor({R32}).dtype",
    f"{D}.from_tensor(5)",
    f"{D}.from_tensor(tf.zeros([0, 3]))",
    f"{D}.from_row_partitions(tf.shape({R2}).row_partitions)",
    f"{D}.from_row_partitions(tf.shape({R2}).row_partitions, dtype=tf.int64).dtype",
    f"{D}.from_row_partitions([])",
    f"{D}([], [2, 3])",
    f"{D}([], [2, 3]).dtype",
    f"{D}(tf.shape({R1}).row_partitions, [3])",
    f"{D}(tf.shape({R1}).row_partitions, [3, 2])",
    f"{D}(tf.shape({R1}).row_partitions, [4])",
    f"{D}(5, [2, 3])",
    f"{D}([5], [2, 3])",
    f"{D}([], [[2, 3]])",
    # comparisons: False when the static sizes differ, else a bool tensor
    f"tf.shape({R1}) == tf.shape({R1})",
    f"tf.shape({R1}) == tf.shape(tf.ragged.constant([[1], [2, 3]]))",
    f"tf.shape({R1}) == tf.shape({R2})",
    f"tf.shape({R1}) == tf.shape({R1}, out_type=tf.int64)",
    f"tf.shape({R1}) == 5",
    f"tf.shape({R1}) != tf.shape({R1})",
    f"tf.shape({R1}) != tf.shape({R2})",
    f"{D}.from_lengths([2, 3]) == {D}.from_lengths([2, 3])",
    f"{D}.from_lengths([2, 3]) == {D}.from_lengths([2, 4])",
    f"hash(tf.shape({R1}))",
    # row partitions
    f"{RP}.from_row_splits([0, 2, 3])",
    f"{RP}.from_row_splits([0, 2, 3], dtype=tf.int32)",
    f"{RP}.from_row_splits([0, 2, 3], dtype_hint=tf.int32)",
    f"{RP}.from_row_splits(tf.constant([0, 1], tf.int64), dtype=tf.int32)",
    f"{RP}.from_row_splits([0.0, 1.0])",
    f"{RP}.from_row_splits([0, 1], dtype=tf.float32)",
    f"{RP}.from_row_splits([[0, 1]])",
    f"{RP}.from_row_splits([])",
    f"{RP}.from_row_splits([1, 2])",
    f"{RP}.from_row_splits([0, 2, 1])",
    f"{RP}.from_row_lengths([2, 0, 3])",
    f"{RP}.from_row_lengths(tf.constant([2, 0, 3], tf.int32))",
    f"{RP}.from_row_lengths([])",
    f"{RP}.from_row_lengths([-1, 2])",
    f"{RP}.from_row_lengths([1.0])",
    f"{RP}.from_row_lengths([[1]])",
    f"{RP}.from_row_lengths(tf.constant([1], tf.int32), dtype=tf.int64)",
    f"{RP}.from_value_rowids([0, 0, 2])",
    f"{RP}.from_value_rowids([0, 0, 2], nrows=4)",
    f"{RP}.from_value_rowids([])",
    f"{RP}.from_value_rowids([1, 0])",
    f"{RP}.from_value_rowids([-1, 0])",
    f"{RP}.from_value_rowids([0, 2], nrows=2)",
    f"{RP}.from_value_rowids([[0]])",
    f"{RP}.from_row_starts([0, 2], nvals=5)",
    f"{RP}.from_row_starts([1, 2], nvals=5)",
    f"{RP}.from_row_starts([0, 3, 2], nvals=5)",
    f"{RP}.from_row_starts([0, 3], nvals=2)",
    f"{RP}.from_row_limits([2, 5])",
    f"{RP}.from_row_limits([])",
    f"{RP}.from_row_limits([2, 1])",
    f"{RP}.from_uniform_row_length(2, 6)",
    f"{RP}.from_uniform_row_length(2, nvals=6, dtype=tf.int32)",
    f"{RP}.from_uniform_row_length(2, nrows=3)",
    f"{RP}.from_uniform_row_length(0, 0, nrows=3)",
    f"{RP}.from_uniform_row_length(0, 0)",
    f"{RP}.from_uniform_row_length(2)",
    f"{RP}.from_uniform_row_length(-1, 0)",
    f"{RP}.from_uniform_row_length(2.0, 4)",
    f"{RP}.from_uniform_row_length([2], 4)",
    f"{RP}.from_uniform_row_length(2, 6, nrows=2)",
    f"{RP}.from_uniform_row_length(4, 6)",
    f"{RP}([0, 1])",
    *[
        f"{RP}.from_row_lengths([2, 0, 3]).{m}()"
        for m in (
            "row_splits",
            "row_starts",
            "row_limits",
            "row_lengths",
            "value_rowids",
            "offsets_in_rows",
            "nrows",
            "nvals",
            "uniform_row_length",
            "is_uniform",
        )
    ],
    *[
        f"{RP}.from_uniform_row_length(2, 6).{m}()"
        for m in (
            "row_lengths",
            "value_rowids",
            "offsets_in_rows",
            "nrows",
            "nvals",
            "uniform_row_length",
            "is_uniform",
        )
    ],
    f"{RP}.from_value_rowids([0, 0, 2], nrows=4).row_lengths()",
    f"{RP}.from_row_lengths([2, 0, 3]).with_dtype(tf.int32)",
    f"{RP}.from_uniform_row_length(2, 4).with_dtype(tf.int32)",
    f"{RP}.from_row_lengths([2, 0, 3]).with_dtype(tf.float32)",
    f"str({RP}.from_uniform_row_length(2, 4))",
    f"{D}([{RP}.from_row_lengths([1, 2])], [3, 2])",
    f"{D}([{RP}.from_uniform_row_length(2, 4)], [3, 2])",
    f"{D}([{RP}.from_uniform_row_length(2, 4), {RP}.from_uniform_row_length(2, 2)], [2])",
    f"{D}([{RP}.from_row_lengths([1, 2], dtype=tf.int32)], tf.constant([3], tf.int64))",
    f"{D}.from_row_partitions([{RP}.from_value_rowids([0, 0, 2])])",
    f"tf.zeros({D}.from_row_partitions([{RP}.from_uniform_row_length(2, 6)]))",
    # shapes used by the ops that accept them
    *[f"tf.zeros(tf.shape({r}))" for r in (R1, R1E, R1I, R2, R3, U, UR)],
    f"tf.zeros(tf.shape({R1}), dtype=tf.int32)",
    f"tf.zeros(tf.shape({R1}, out_type=tf.int64))",
    f"tf.zeros({D}.from_lengths([2, 3]))",
    f"tf.zeros({D}.from_lengths([2, 3], num_row_partitions=1))",
    f"tf.zeros({D}.from_lengths([]))",
    *[f"tf.ones(tf.shape({r}))" for r in (R1, R3, U)],
    f"tf.ones(tf.shape({R2}), dtype=tf.bool)",
    f"tf.ones({D}.from_lengths([2, (2, 1), 2]), tf.int64)",
    f"tf.fill(tf.shape({R1}), 2.5)",
    f"tf.fill(tf.shape({R2}), 'a')",
    f"tf.fill({D}.from_lengths([3, (0, 2, 1)], dtype=tf.int32), 7)",
    *[f"tf.broadcast_to(5, tf.shape({r}))" for r in (R1, R1E, R1I, R2, R3, U, UR)],
    f"tf.broadcast_to([[1], [2]], tf.shape({R1}))",
    "tf.broadcast_to([10, 20], tf.shape(tf.ragged.constant([[1, 2], [3, 4]])))",
    f"tf.broadcast_to([7.0, 8.0], {D}.from_lengths([2, (2, 1), 2]))",
    f"tf.broadcast_to([[[1, 2]], [[3, 4]]], tf.shape({R1I}))",
    f"tf.broadcast_to([[[1]], [[2]], [[3]]], tf.shape({R2}))",
    f"tf.broadcast_to([[[[1]]], [[[2]]]], tf.shape({R3}))",
    f"tf.broadcast_to([1.5], {D}.from_lengths([2, 3]))",
    f"tf.broadcast_to([1, 2, 3], tf.shape({R1}))",
    f"tf.broadcast_to([10, 20], tf.shape({R1}))",
    f"tf.broadcast_to(tf.zeros([3, 1]), tf.shape({R1}))",
    f"tf.broadcast_to(tf.zeros([3]), tf.shape({R1I}))",
    f"tf.broadcast_to(tf.zeros([1, 1, 1]), tf.shape({R1}))",
    # ragged inputs: outer dimensions repeat them, ragged rows must match exactly
    f"tf.broadcast_to({R1}, tf.shape({R1}, out_type=tf.int64))",
    f"tf.broadcast_to({R1}, tf.shape({R1}))",
    f"tf.broadcast_to({R32}, tf.shape({R1}))",
    f"tf.broadcast_to({R1}, {D}.from_lengths([2, 2]))",
    f"tf.broadcast_to({R1}, {D}.from_lengths([3, 2, (2, 1, 2, 1, 2, 1)]))",
    f"tf.broadcast_to(tf.ragged.constant([[[1, 2], [3]]]), {D}.from_lengths([2, 2, (2, 1, 2, 1)]))",
    f"tf.broadcast_to(tf.ragged.constant([[[1], [2]], [[3]]], ragged_rank=1), {D}.from_lengths([2, (2, 1), 3]))",
    f"tf.broadcast_to(tf.ragged.constant([[1, 2]]), {D}.from_lengths([3, (2, 2, 2)]))",
    f"tf.broadcast_to(tf.ragged.constant([[1, 2]]), {D}.from_lengths([3, 2]))",
    f"tf.broadcast_to(tf.ragged.constant([[1], [3]]), {D}.from_lengths([2, (2, 3)]))",
    f"tf.broadcast_to(tf.ragged.constant([[1], [3, 4]]), {D}.from_lengths([2, (2, 2)]))",
    f"tf.broadcast_to({R1}, {D}.from_lengths([2, (1, 2)]))",
    f"tf.broadcast_to(tf.ragged.constant([[[1]]]), {D}.from_lengths([2, (1, 2)]))",
    f"tf.broadcast_to({R2}, tf.shape({R2}, out_type=tf.int64))",
    f"tf.broadcast_to({R2}, {D}.from_lengths([2, 3, (2, 1, 0, 2, 1, 0), (1, 2, 1, 1, 2, 1)]))",
    f"tf.broadcast_to({UR}, tf.shape({UR}, out_type=tf.int64))",
    f"tf.reshape([1, 2, 3], tf.shape({R1}))",
    f"tf.reshape([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], tf.shape({R1I}))",
    f"tf.reshape(tf.ragged.constant([[1], [2, 3]]), tf.shape({R1}))",
    f"tf.reshape({R2}, {D}.from_lengths([2, 2]))",
    f"tf.reshape(tf.range(4), {D}.from_lengths([2, (3, 1)]))",
    "tf.reshape(tf.ragged.constant([[1, 2], [3, 4]]), [4])",
]

# Errors whose class TF's matches but whose message names TF's own runtime.
TYPE_ONLY = [
    f"tf.reshape([1, 2, 3, 4], tf.shape({R1}))",
    f"tf.reshape({R3}, [2, 6])",
]

# (argument, expression of ``x`` run at trace time, expression of ``x`` returned).
GRAPH_CASES = [
    (R1, "repr(tf.shape(x))", "tf.zeros(tf.shape(x))"),
    (R1, "tf.shape(x).static_lengths()", "tf.shape(x)[0]"),
    (R1, "tf.shape(x).rank", "tf.shape(x).inner_shape"),
    (R1, "tf.shape(x, out_type=tf.int64).dtype", "tf.broadcast_to([[1], [2]], tf.shape(x))"),
    (R1E, "repr(tf.shape(x))", "tf.ones(tf.shape(x), tf.int32)"),
    (R1I, "repr(tf.shape(x))", "tf.shape(x)[2]"),
    (R1I, "tf.shape(x).static_lengths()", "tf.broadcast_to([[1, 2]], tf.shape(x))"),
    (R2, "repr(tf.shape(x))", "tf.fill(tf.shape(x), 4)"),
    (R3, "repr(tf.shape(x))", "tf.broadcast_to(7, tf.shape(x))"),
    (R3, "tf.shape(x).num_row_partitions", "tf.shape(x)[3]"),
    (R3, "tf.shape(x).is_uniform(2)", "tf.reshape(tf.range(6), tf.shape(x))"),
    (R1, "tf.shape(x).dtype", "tf.broadcast_to(x, tf.shape(x, out_type=tf.int64))"),
    (R2, "tf.shape(x).inner_rank", "tf.broadcast_to([[[10]], [[20]], [[30]]], tf.shape(x))"),
    (U, "repr(tf.shape(x))", "tf.zeros(tf.shape(x))"),
    (U, "tf.shape(x).is_uniform(1)", "tf.shape(x)[1]"),
    (R32, "repr(tf.shape(x))", "tf.zeros(tf.shape(x, out_type=tf.int64))"),
    ("tf.constant([[1, 2, 3]])", "str(tf.shape(x).shape)", "tf.shape(x)"),
]


def _plain(x):
    """A static length as JSON: ints, lists for tuples, with the Python type's name."""
    if isinstance(x, tuple):
        return [_plain(v) for v in x]
    if x is None:
        return None
    return [type(x).__name__, int(x)]


def describe(tf, value):
    import numpy as np

    name = type(value).__name__
    if name == "DynamicRaggedShape":
        return {
            "kind": "shape",
            "repr": repr(value),
            "str": str(value),
            "rank": value.rank,
            "num_row_partitions": value.num_row_partitions,
            "dtype": value.dtype.name,
            "static_lengths": [_plain(x) for x in value.static_lengths()],
            "inner_shape": describe(tf, value.inner_shape),
            "row_partitions": [describe(tf, rp) for rp in value.row_partitions],
        }
    if name == "RowPartition":
        return {
            "kind": "row_partition",
            "repr": repr(value),
            "dtype": value.dtype.name,
            "uniform": value.is_uniform(),
            "row_splits": np.asarray(value.row_splits().numpy()).tolist(),
            "row_lengths": np.asarray(value.row_lengths().numpy()).tolist(),
            "static_nrows": _plain(value.static_nrows),
            "static_nvals": _plain(value.static_nvals),
            "static_uniform_row_length": _plain(value.static_uniform_row_length),
        }
    if isinstance(value, tf.RaggedTensor):
        length = value.uniform_row_length
        return {
            "kind": "ragged",
            "dtype": value.dtype.name,
            "splits_dtype": [s.dtype.name for s in value.nested_row_splits],
            "shape": str(value.shape),
            "uniform": None if length is None else [length.dtype.name, int(length)],
            "repr": repr(value),
            "value": value.to_list(),
        }
    if isinstance(value, (tuple, list)) and not all(_is_length(v) for v in value):
        return {"kind": type(value).__name__, "items": [describe(tf, v) for v in value]}
    if tf.is_tensor(value):
        return {
            "kind": "tensor",
            "dtype": value.dtype.name,
            "shape": list(value.shape),
            "value": np.asarray(value.numpy()).tolist(),
        }
    if isinstance(value, tf.DType):
        return {"kind": "dtype", "value": value.name}
    return {"kind": "python", "type": type(value).__name__, "value": _plain_python(value)}


def _is_length(x) -> bool:
    import numpy as np

    return x is None or isinstance(x, (int, np.integer, tuple))


def _plain_python(value):
    import numpy as np

    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return _plain(value)
    return value


def as_json(record):
    """``record`` as it reads back from the fixture (bytes become ``b'...'`` text)."""
    return json.loads(json.dumps(record, default=repr))


def evaluate(tf, expr: str) -> dict:
    try:
        value = eval(expr, {"tf": tf})  # noqa: S307 - our own case table
    except Exception as e:  # noqa: BLE001 - the class TF raises is what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    return as_json(describe(tf, value))


def run_graph_case(tf, arg: str, traced: str, returned: str) -> dict:
    """Runs ``returned`` in a tf.function of the ragged ``arg``; ``traced`` is described
    while tracing."""
    seen = []

    def fn(x):
        seen.append(describe(tf, eval(traced, {"tf": tf, "x": x})))  # noqa: S307
        return eval(returned, {"tf": tf, "x": x})  # noqa: S307

    out = tf.function(fn, autograph=False)(eval(arg, {"tf": tf}))  # noqa: S307
    return as_json({"traced": seen[0], "returned": describe(tf, out)})


def main() -> None:
    import tensorflow as tf

    cases = [{"expr": e, "tf": evaluate(tf, e)} for e in CASES]
    type_only = [{"expr": e, "tf": evaluate(tf, e)} for e in TYPE_ONLY]
    graph = [
        {"arg": a, "traced": t, "returned": r, "tf": run_graph_case(tf, a, t, r)}
        for a, t, r in GRAPH_CASES
    ]
    OUT.write_text(
        json.dumps({"eager": cases, "type_only": type_only, "graph": graph}, indent=0) + "\n"
    )
    print(f"wrote {len(cases) + len(type_only) + len(graph)} cases to {OUT}")


if __name__ == "__main__":
    main()
