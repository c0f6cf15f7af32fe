"""Sample inputs for every registered op: the rows of the inference contract table.

``tests/engine/test_inference_contract.py`` runs each op's kernel on its samples and
checks its inference rule against the outputs (``inference_check.check_inference``),
and fails for any registered op without a sample. An op module adds its rows with

    add_sample("MatMul", f32(2, 3), f32(3, 4), transpose_b=False)

(inputs are NumPy arrays or values ``np.asarray`` accepts, attrs are keywords), or,
for ops whose attrs are built by tracing (``If``, ``While``), with a function that
returns Samples, registered by ``@sample_builder("If")``. The rows below cover the ops
defined so far, grouped as ``tensorflux/ops`` groups them; a new op family may keep
its rows in a module of its own that calls ``add_sample`` and is imported at the end
of this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from tensorflux.framework import dtypes

__all__ = [
    "Sample",
    "add_sample",
    "sample_builder",
    "samples",
    "ops_with_samples",
    "captured_samples",
    "f32",
    "f64",
    "i32",
    "i64",
    "boolean",
    "strings",
]


class Sample(NamedTuple):
    """One row: the op's inputs (NumPy arrays) and attrs."""

    inputs: tuple
    attrs: dict


_ROWS: dict[str, list[Sample]] = {}
_BUILDERS: dict[str, list[Callable[[], list]]] = {}


def add_sample(op_name: str, *inputs, **attrs) -> None:
    """Adds a row for ``op_name``: its kernel and rule get ``inputs`` and ``attrs``."""
    _ROWS.setdefault(op_name, []).append(Sample(tuple(np.asarray(x) for x in inputs), attrs))


def sample_builder(op_name: str):
    """Registers a function returning a list of Samples for ``op_name`` (built lazily,
    for attrs that need tracing)."""

    def decorate(fn):
        _BUILDERS.setdefault(op_name, []).append(fn)
        return fn

    return decorate


def samples(op_name: str) -> list[Sample]:
    """Every row for ``op_name``."""
    rows = list(_ROWS.get(op_name, ()))
    for build in _BUILDERS.get(op_name, ()):
        rows.extend(build())
    return rows


def ops_with_samples() -> set[str]:
    return set(_ROWS) | set(_BUILDERS)


def captured_samples(op_name: str, run: Callable[[], object], limit: int = 2) -> list[Sample]:
    """The first ``limit`` calls of ``op_name``'s kernel while ``run()`` runs, as Samples."""
    from tensorflux.engine import registry

    op = registry.get(op_name)
    kernel, seen = op.kernel, []

    def recording(*arrays, **attrs):
        if len(seen) < limit:
            seen.append(Sample(tuple(np.array(a) for a in arrays), dict(attrs)))
        return kernel(*arrays, **attrs)

    op.kernel = recording
    try:
        run()
    finally:
        op.kernel = kernel
    if not seen:
        raise AssertionError(f"running the sample's program never called {op_name}'s kernel")
    return seen


_rng = np.random.default_rng(0)


def f32(*shape, low=-2.0, high=2.0):
    return _rng.uniform(low, high, shape).astype(np.float32)


def f64(*shape, low=-2.0, high=2.0):
    return _rng.uniform(low, high, shape)


def i32(*shape, high=3):
    return _rng.integers(0, high, shape).astype(np.int32)


def i64(*shape, high=3):
    return _rng.integers(0, high, shape).astype(np.int64)


def boolean(*shape):
    return _rng.integers(0, 2, shape).astype(bool)


def strings(*words):
    return np.array([w.encode() for w in words], dtype=object)


def _scalar(value, dtype):
    return np.asarray(value, dtype=dtype)


# -- elementwise --------------------------------------------------------------

for _name in (
    "Abs",
    "Acos",
    "Asin",
    "Asinh",
    "Atan",
    "Atanh",
    "Ceil",
    "Cos",
    "Cosh",
    "Digamma",
    "Elu",
    "Erf",
    "Erfc",
    "Exp",
    "Expm1",
    "Floor",
    "Identity",
    "Lgamma",
    "Log",
    "Log1p",
    "Neg",
    "Reciprocal",
    "Relu",
    "Relu6",
    "Rint",
    "Round",
    "Rsqrt",
    "Selu",
    "Sigmoid",
    "Sign",
    "Sin",
    "Sinh",
    "Softplus",
    "Softsign",
    "Sqrt",
    "Square",
    "StopGradient",
    "Tan",
    "Tanh",
):
    add_sample(_name, f32(2, 3, low=0.1, high=0.9))
    add_sample(_name, f64(4))
add_sample("Acosh", f32(2, 3, low=1.0, high=3.0))
add_sample("Abs", i32(3))
add_sample("CheckNumerics", f32(2, 3), message="m")
add_sample("Neg", i64(2, 1))
add_sample("LeakyRelu", f32(2, 3), alpha=0.2)
add_sample("PolygammaOfOrder", f64(3, low=0.5, high=2.0), n=1)
for _name in ("IsFinite", "IsInf", "IsNan"):
    add_sample(_name, f64(2, 3))
add_sample("LogicalNot", boolean(2, 2))
add_sample("Invert", i64(2, 3))
add_sample("Conj", np.array([1 + 2j, 3 - 1j]))
add_sample("Real", np.array([[1 + 2j, 3 - 1j]], dtype=np.complex64))
add_sample("Imag", np.array([1 + 2j, 3 - 1j]))
for _name in (
    "AddV2",
    "Sub",
    "Mul",
    "RealDiv",
    "Maximum",
    "Minimum",
    "Pow",
    "Atan2",
    "DivNoNan",
    "MulNoNan",
    "FloorDiv",
    "FloorMod",
    "TruncateDiv",
    "TruncateMod",
    "Xdivy",
    "Xlogy",
    "Less",
    "LessEqual",
    "Greater",
    "GreaterEqual",
    "Equal",
    "NotEqual",
):
    add_sample(_name, f32(2, 3, low=0.5), f32(3, low=0.5))
    add_sample(_name, f64(2, 1, low=0.5), f64(1, 4, low=0.5))
add_sample("AddV2", i32(3, 1), i32())
for _name in ("BitwiseAnd", "BitwiseOr", "BitwiseXor", "LeftShift", "RightShift"):
    add_sample(_name, i32(2, 3), i32(3))
for _name in ("LogicalAnd", "LogicalOr"):
    add_sample(_name, boolean(2, 2), boolean(2))
add_sample("AddN", f32(2, 3), f32(2, 3), f32(2, 3))
add_sample("Cast", f32(2, 3), dtype=dtypes.int32)
add_sample("Cast", i32(4), dtype=dtypes.float64)
add_sample("SelectV2", boolean(3, 4), f64(3, 4), f64(1, 4))
add_sample("SelectV2", boolean(3), f32(2, 3), f32())
add_sample("BiasAdd", f32(2, 3, 4), f32(4), data_format="NHWC")
add_sample("BiasAdd", f64(2, 3, 4), f64(3), data_format="NCHW")
add_sample("Softmax", f32(2, 3), axis=1)
add_sample("LogSoftmax", f64(2, 3), axis=0)
add_sample("LogSoftmax", f64(2, 3), axis=-1)
add_sample("FitLike", f32(1, 1), f32(2, 5))

# -- reductions and scans ---------------------------------------------------------

for _name in ("Sum", "Mean", "Max", "Min", "Prod"):
    add_sample(_name, f32(2, 3, 4), axis=(1,), keepdims=False)
    add_sample(_name, f64(2, 3), axis=(0, 1), keepdims=True)
    add_sample(_name, f32(2, 3), axis=None, keepdims=False)
for _name in ("All", "Any"):
    add_sample(_name, boolean(2, 3), axis=(1,), keepdims=False)
    add_sample(_name, boolean(2), axis=None, keepdims=True)
for _name in ("ArgMax", "ArgMin"):
    add_sample(_name, f32(2, 3, 4), axis=1, output_type=dtypes.int64)
    add_sample(_name, i32(5), axis=0, output_type=dtypes.int32)
for _name in ("Cumsum", "Cumprod"):
    add_sample(_name, f64(2, 3, 4), axis=1, exclusive=True, reverse=False)
    add_sample(_name, f32(5), axis=0, exclusive=False, reverse=True)
add_sample("MeanGrad", f32(), f32(3), axis=None, keepdims=False)
add_sample("MeanGrad", f32(2, 1), f32(2, 3), axis=(1,), keepdims=True)
add_sample("L2Loss", f32(2, 3))
add_sample("SegmentSum", f32(3, 4), np.array([0, 0, 2], dtype=np.int32))
add_sample("UnsortedSegmentSum", f64(4, 4), np.array([0, 2, 1, 0], dtype=np.int32), num_segments=3)

# -- linear algebra ---------------------------------------------------------------

add_sample("MatMul", f32(2, 3), f32(3, 4))
add_sample("MatMul", f64(3, 2), f64(4, 3), transpose_a=True, transpose_b=True)
add_sample("MatMul", f32(2, 3, 3), f32(3, 1))
add_sample("Einsum", f64(2, 3), f64(3, 4), equation="ab,bd->ad")
add_sample("Einsum", f32(2, 3), f32(3, 2), equation="ab,ba->")
add_sample("Einsum", f32(2, 3, 4), equation="bij->bji")
add_sample("MatrixDeterminant", f64(2, 3, 3))
add_sample("MatrixInverse", f64(2, 3, 3) + 3 * np.eye(3))
add_sample("MatrixInverse", f32(3, 3) + 3 * np.eye(3, dtype=np.float32), adjoint=True)
add_sample("MatrixSolve", f64(3, 3) + 3 * np.eye(3), f64(3, 2))

# -- shapes, creation and random ------------------------------------------------------

add_sample("Shape", f32(2, 3), out_type=dtypes.int32)
add_sample("Shape", f32(4), out_type=dtypes.int64)
add_sample("Size", f32(2, 3), out_type=dtypes.int32)
add_sample("Rank", f32(2, 3))
add_sample("ZerosLike", f32(2, 3), dtype=dtypes.float32)
add_sample("OnesLike", i32(4), dtype=dtypes.int32)
add_sample("Fill", np.array([2, 3], dtype=np.int32), _scalar(1.5, np.float32))
add_sample("Fill", np.array([2, 1], dtype=np.int64), _scalar(1, np.int32))
add_sample("Range", _scalar(1, np.int32), _scalar(7, np.int32), _scalar(2, np.int32))
add_sample("Range", _scalar(0.0, np.float32), _scalar(1.0, np.float32), _scalar(0.25, np.float32))
add_sample(
    "OneHot",
    i32(4),
    _scalar(3, np.int32),
    _scalar(1.0, np.float32),
    _scalar(0.0, np.float32),
    axis=-1,
)
add_sample(
    "OneHot", i32(2, 3), _scalar(4, np.int32), _scalar(5, np.int32), _scalar(0, np.int32), axis=0
)
_SEEDS = {"seed": 3, "seed2": 1}
for _name in ("RandomStandardNormal", "RandomUniform", "TruncatedNormal"):
    add_sample(_name, np.array([3, 2], dtype=np.int32), dtype=dtypes.float32, **_SEEDS)
    add_sample(_name, np.array([4], dtype=np.int32), dtype=dtypes.float64, **_SEEDS)
add_sample(
    "RandomUniformInt",
    np.array([6], dtype=np.int32),
    _scalar(0, np.int64),
    _scalar(9, np.int64),
    dtype=dtypes.int64,
    **_SEEDS,
)
add_sample(
    "RandomUniformInt",
    np.array([2, 3], dtype=np.int32),
    _scalar(0, np.int32),
    _scalar(9, np.int32),
    dtype=dtypes.int32,
    **_SEEDS,
)
add_sample("Multinomial", f32(3, 4), num_samples=5, output_dtype=dtypes.int64, **_SEEDS)
add_sample("RandomShuffle", i32(6, 2), **_SEEDS)
_CANDIDATES = {"num_true": 2, "num_sampled": 3, "unique": True, "range_max": 5, **_SEEDS}
add_sample("LogUniformCandidateSampler", i64(4, 2), **_CANDIDATES)
add_sample("UniformCandidateSampler", i64(4, 2), **_CANDIDATES)
add_sample(
    "FixedUnigramCandidateSampler",
    i64(4, 2),
    **_CANDIDATES,
    vocab_file="",
    distortion=0.75,
    num_reserved_ids=1,
    num_shards=1,
    shard=0,
    unigrams=(1.0, 2.0, 3.0, 4.0),
)
add_sample("ComputeAccidentalHits", i64(3, 2), np.array([0, 2, 4], np.int64), num_true=2)
add_sample("StatelessRandomGetKeyCounter", np.array([1, 2], dtype=np.int64))
_KEY, _COUNTER = np.array([5], np.uint64), np.array([0, 7], np.uint64)
_ALG = _scalar(1, np.int32)
for _name in ("StatelessRandomNormalV2", "StatelessRandomUniformV2", "StatelessTruncatedNormalV2"):
    add_sample(_name, np.array([3, 2], dtype=np.int32), _KEY, _COUNTER, _ALG, dtype=dtypes.float32)
    add_sample(_name, np.array([5], dtype=np.int32), _KEY, _COUNTER, _ALG, dtype=dtypes.float64)
add_sample("StatelessShuffle", f32(5, 2), _KEY, _COUNTER, _ALG)
add_sample("StatelessShuffle", np.arange(7, dtype=np.int64), _KEY, _COUNTER, _scalar(3, np.int32))
add_sample(
    "StatelessRandomUniformIntV2",
    np.array([2, 3], dtype=np.int32),
    _KEY,
    _COUNTER,
    _ALG,
    _scalar(-4, np.int32),
    _scalar(9, np.int32),
    dtype=dtypes.int32,
)
add_sample(
    "StatelessRandomUniformFullIntV2",
    np.array([3], dtype=np.int32),
    _KEY,
    _COUNTER,
    _ALG,
    dtype=dtypes.int64,
)
add_sample(
    "RandomGamma",
    np.array([3], np.int32),
    f32(2, low=0.2, high=3.0),
    dtype=dtypes.float32,
    **_SEEDS,
)
add_sample(
    "RandomGamma",
    np.array([2, 2], np.int32),
    f64(3, low=0.2, high=3.0),
    dtype=dtypes.float64,
    **_SEEDS,
)
add_sample(
    "StatelessRandomGammaV3",
    np.array([4, 2], np.int32),
    _KEY,
    _COUNTER,
    _ALG,
    f32(2, low=0.2, high=3.0),
    dtype=dtypes.float32,
)
add_sample("RandomGammaGrad", f64(1, 3, low=0.2, high=3.0), f64(2, 3, low=0.1, high=4.0))
add_sample(
    "RandomPoissonV2",
    np.array([3], np.int32),
    f32(2, low=0.0, high=20.0),
    dtype=dtypes.int64,
    **_SEEDS,
)
add_sample(
    "RandomPoissonV2",
    np.array([2], np.int32),
    f64(3, low=0.0, high=20.0),
    dtype=dtypes.float32,
    **_SEEDS,
)
add_sample(
    "StatelessRandomPoisson",
    np.array([4, 2], np.int32),
    np.array([1, 2], np.int64),
    f32(2, low=0.0, high=20.0),
    dtype=dtypes.float64,
)
add_sample("RandomGammaGrad", f32(3, low=0.2, high=3.0), f32(3, low=0.1, high=4.0))
add_sample(
    "StatelessMultinomial",
    f32(3, 4),
    _scalar(5, np.int32),
    np.array([1, 2], np.int64),
    output_dtype=dtypes.int64,
)
_STATE = np.array([1234, 0, 5], np.int64)
for _name in ("StatefulUniform", "StatefulStandardNormalV2", "StatefulTruncatedNormal"):
    add_sample(_name, _STATE, np.array([3, 2], dtype=np.int32), dtype=dtypes.float32)
add_sample(
    "StatefulUniformInt",
    _STATE,
    np.array([4], dtype=np.int32),
    _scalar(0, np.int64),
    _scalar(9, np.int64),
    dtype=dtypes.int64,
)
add_sample("StatefulUniformFullInt", _STATE, np.array([2, 2], dtype=np.int32), dtype=dtypes.int32)
add_sample(
    "StatefulRandomBinomial",
    _STATE,
    np.array([5, 2], dtype=np.int32),
    np.array([10.0, 300.0], np.float32),
    np.array([0.3, 0.8], np.float32),
    dtype=dtypes.int32,
)
add_sample(
    "StatelessRandomBinomial",
    np.array([4, 3], np.int32),
    np.array([1, 2], np.int64),
    np.array([5.0, 50.0, 0.0], np.float64),
    np.array(0.6, np.float64),
    dtype=dtypes.float32,
)

# -- array manipulation -----------------------------------------------------------

add_sample("Reshape", f32(6, 4), np.array([2, 3, 4], dtype=np.int32))
add_sample("Reshape", i32(6), np.array([2, -1], dtype=np.int32))
add_sample("Reshape", f32(6, 5), np.array([-1, 10], dtype=np.int32))
add_sample("BroadcastTo", i32(1, 3), np.array([2, 3], dtype=np.int32))
add_sample("BroadcastTo", f32(3, 1), np.array([2, 3, 4], dtype=np.int32))
add_sample("ExpandDims", f64(3, 4), axis=2)
add_sample("ExpandDims", f32(3, 4), axis=1)
add_sample("ExpandDims", f32(), axis=0)
add_sample("Squeeze", f64(1, 2, 1), axis=(0, 2))
add_sample("Squeeze", f64(3, 1, 4), axis=())
add_sample("Transpose", i64(2, 3, 4), perm=(2, 0, 1))
add_sample("ConcatV2", f32(2, 3), f32(2, 1), axis=1)
add_sample("ConcatV2", i32(1), i32(2), i32(3), axis=0)
add_sample("Pack", f32(2, 3), f32(2, 3), axis=1)
add_sample("Pack", i32(), i32(), axis=0)
add_sample("Unpack", f64(3, 4, 2), num=2, axis=2)
add_sample("Unpack", f32(3, 4), num=3, axis=0)
add_sample("Tile", f64(3, 1, 4), np.array([1, 2, 1], dtype=np.int32))
add_sample("Tile", f32(1, 4), np.array([3, 0], dtype=np.int32))
add_sample("PadV2", f64(3, 4), _scalar(0.0, np.float64), paddings=((1, 0), (2, 1)))
add_sample("ReverseV2", f32(3, 4), axis=(0, 1))
add_sample("ReverseV2", i32(2, 3), axis=(1,))
add_sample("Where", boolean(2, 3))
add_sample("Where", f32(4))
add_sample("Unique", np.array([3, 1, 3, 2], dtype=np.int32), out_idx=dtypes.int32)
add_sample("Unique", np.array([0.5, 0.5], dtype=np.float32), out_idx=dtypes.int64)

# -- slicing, gathering, scattering ---------------------------------------------------

_SLICE = {
    "begin_mask": 0,
    "end_mask": 0,
    "ellipsis_mask": 0,
    "new_axis_mask": 0,
    "shrink_axis_mask": 0,
}


def _vec(*values):
    return np.array(values, dtype=np.int32)


add_sample("StridedSlice", f32(4, 5), _vec(1, 0), _vec(3, 5), _vec(1, 2), **_SLICE)
add_sample(
    "StridedSlice", i32(4, 5), _vec(0), _vec(1), _vec(1), **{**_SLICE, "shrink_axis_mask": 1}
)
add_sample(
    "StridedSlice",
    f32(3, 4),
    _vec(0, 0),
    _vec(0, 0),
    _vec(1, 1),
    **{**_SLICE, "begin_mask": 1, "end_mask": 1, "new_axis_mask": 2},
)
add_sample(
    "StridedSlice",
    f32(6, 5),
    np.array([1, 0], np.int64),
    np.array([4, 0], np.int64),
    np.array([2, 1], np.int64),
    **{**_SLICE, "end_mask": 2},
)
add_sample(
    "StridedSliceGrad",
    _vec(3, 4),
    _vec(1, 0),
    _vec(2, 0),
    _vec(1, -2),
    f64(2),
    **{**_SLICE, "begin_mask": 2, "end_mask": 2, "shrink_axis_mask": 1},
)
add_sample(
    "StridedSliceGrad",
    _vec(6, 5),
    _vec(0),
    _vec(0),
    _vec(1),
    f32(6, 5),
    **{**_SLICE, "begin_mask": 1, "end_mask": 1},
)
add_sample("Slice", f32(3, 4), _vec(0, 1), _vec(-1, 2))
add_sample("Slice", i32(5, 4, 2), _vec(1, 0, 1), _vec(2, 4, 1))
add_sample("Split", f32(4, 6), num_split=2, axis=0)
add_sample("Split", f32(4, 6), num_split=3, axis=1)
add_sample("SplitV", f64(3, 6), _vec(4, 2), _scalar(1, np.int32), num_split=2)
add_sample("SplitV", f64(3, 6), _vec(1, -1), _scalar(0, np.int32), num_split=2)
add_sample("SplitV", f32(6, 4), np.array([2, 4], np.int64), _scalar(-2, np.int32), num_split=2)
add_sample("GatherV2", f32(3, 4), np.array([2, 0, 2], dtype=np.int32), axis=0, batch_dims=0)
add_sample("GatherV2", f32(3, 4, 2), np.array([[1], [3]], dtype=np.int64), axis=1, batch_dims=0)
add_sample(
    "GatherV2", f32(2, 4, 3), np.array([[1, 2], [0, 3]], dtype=np.int32), axis=1, batch_dims=1
)
add_sample("GatherNd", f64(3, 4), np.array([[0, 1], [2, 3]], dtype=np.int32))
add_sample("GatherNd", i64(2, 3, 4), np.array([[1], [0]], dtype=np.int32))
add_sample(
    "ScatterNd", np.array([[1], [3]], dtype=np.int32), f32(2, 3), np.array([5, 3], dtype=np.int32)
)
add_sample("ScatterNd", np.array([[0, 1]], dtype=np.int32), f64(1), np.array([2, 5], np.int64))
for _name in ("TensorScatterAdd", "TensorScatterSub", "TensorScatterUpdate"):
    add_sample(_name, f64(3, 4), np.array([[0, 1], [2, 2]], dtype=np.int32), f64(2))
    add_sample(_name, i32(4, 2), np.array([[3]], dtype=np.int32), i32(1, 2))
add_sample("TakeAlongLastAxis", f64(2, 3), np.array([[0, 2], [1, 1]], dtype=np.int32))
add_sample("PutAlongLastAxis", f64(2, 2), np.array([[0, 2], [1, 0]], dtype=np.int32), f64(2, 3))
add_sample("TopKV2", f32(2, 5), k=2)
add_sample("InTopKV2", f32(4, 3), np.array([0, 2, 1, 1], dtype=np.int32), k=1)
add_sample(
    "TensorArrayWriteRows", f32(1, 0, 4), np.array([0], dtype=np.int32), f32(1, 1, 4), grow=False
)
add_sample("TensorArrayWriteRows", f32(2, 3), np.array([3], dtype=np.int32), f32(1, 3), grow=True)
add_sample("TensorArrayRowsLike", f32(3, 2, 4), f32(3, 2, 4), np.array([1], dtype=np.int32))

# -- losses -------------------------------------------------------------------------

add_sample("SoftmaxCrossEntropyWithLogits", f32(2, 3, low=0.0, high=1.0), f32(2, 3), axis=1)
add_sample("SoftmaxCrossEntropyWithLogits", f64(3, 2, low=0.0, high=1.0), f64(3, 2), axis=0)
add_sample("SparseSoftmaxCrossEntropyWithLogits", f64(2, 3), np.array([0, 2], dtype=np.int32))

# -- strings --------------------------------------------------------------------------

_WORDS = strings(" Ab c", "déf ", "g,h")
add_sample("AsString", f32(3), precision=-1, scientific=False, shortest=False, width=-1, fill="")
add_sample("AsString", i64(2, 2), precision=-1, scientific=False, shortest=False, width=4, fill="0")
for _name in ("StringLower", "StringUpper"):
    add_sample(_name, _WORDS, encoding="")
add_sample("StringStrip", _WORDS)
add_sample("StringLength", _WORDS, unit="BYTE")
add_sample("StringLength", _WORDS.reshape(3, 1), unit="UTF8_CHAR")
add_sample("StringToNumber", strings("1.5", "-2", "3e1"), out_type=dtypes.float32)
add_sample("StringToNumber", strings("1", "7").reshape(2, 1), out_type=dtypes.int64)


def _byte_lengths(values):
    return np.array([len(v) for v in values.reshape(-1)]).reshape(values.shape)


# The lookup layers' op: the output's static shape is an attribute (None: any size).
add_sample(
    "PreprocessingFunc", strings("a", "bc"), func=_byte_lengths, Tout=dtypes.int64, shape=(2,)
)
add_sample(
    "PreprocessingFunc", strings("a", "bc"), func=_byte_lengths, Tout=dtypes.int64, shape=(None,)
)
add_sample("StringJoin", _WORDS, strings("x")[0], separator="-")
add_sample("StringJoin", _WORDS.reshape(3, 1), _WORDS.reshape(3, 1), separator="")
add_sample("ReduceJoin", _WORDS.reshape(3, 1), axis=0, keepdims=True, separator=",")
add_sample("ReduceJoin", _WORDS, axis=None, keepdims=False, separator="")
add_sample("StringSplitV2", strings("a,b,c")[0], sep=",", maxsplit=-1)
add_sample("StringSplitV2", strings("a b")[0], sep="", maxsplit=1)
add_sample(
    "UnicodeSplit", _WORDS[1], input_encoding="UTF-8", errors="replace", replacement_char=65533
)
add_sample("Substr", _WORDS, _scalar(1, np.int32), _scalar(2, np.int32), unit="BYTE")
add_sample(
    "Substr", _WORDS, np.array([0, 1, 2], dtype=np.int32), np.ones(3, np.int32), unit="UTF8_CHAR"
)
add_sample("StaticRegexFullMatch", _WORDS, pattern=".*b.*")
add_sample(
    "StaticRegexReplace", _WORDS.reshape(1, 3), pattern="[ ,]", rewrite="_", replace_global=True
)


# -- ops whose attrs come from tracing or carry Python functions --------------------------


@sample_builder("If")
def _if_samples():
    from tensorflux.engine.control_flow import cond
    from tensorflux.engine.function import function
    from tensorflux.framework.tensor import Tensor
    from tensorflux.ops.math_ops import multiply

    def run():
        f = function(lambda p, x: cond(p, lambda: multiply(x, x), lambda: x))
        f(Tensor(np.asarray(True), dtypes.bool), Tensor(f32(2, 3), dtypes.float32))

    return captured_samples("If", run)


@sample_builder("IteratorGetNext")
def _iterator_samples():
    from tensorflux.data.dataset import Dataset
    from tensorflux.framework.shape import TensorShape

    pairs = iter(Dataset.from_tensor_slices((f32(4, 3), i64(4))))
    attrs = {
        "iterator": pairs,
        "output_types": [dtypes.float32, dtypes.int64],
        "output_shapes": [TensorShape([3]), TensorShape([])],
    }
    return [Sample((), attrs)]


def _loop_program():
    from tensorflux.engine.control_flow import while_loop
    from tensorflux.engine.function import function
    from tensorflux.engine.tape import GradientTape
    from tensorflux.framework.tensor import Tensor
    from tensorflux.ops.math_ops import multiply
    from tensorflux.ops.reduction_ops import reduce_sum

    def body(x):
        with GradientTape() as tape:
            tape.watch(x)
            _, y = while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, multiply(v, x)), (0, x))
            total = reduce_sum(y)
        return y, tape.gradient(total, x)

    def run():
        function(body)(Tensor(f32(2, 3), dtypes.float32))

    return run


@sample_builder("While")
def _while_samples():
    return captured_samples("While", _loop_program())


@sample_builder("WhileGrad")
def _while_grad_samples():
    return captured_samples("WhileGrad", _loop_program())


def _py_samples(op_name: str, stateful: bool, eager_values: bool):
    from tensorflux.framework.tensor import Tensor
    from tensorflux.ops import script_ops

    def run():
        x = Tensor(f32(2, 3), dtypes.float32)
        if eager_values:
            script_ops.py_function(lambda v: v * 2, [x], dtypes.float32)
        else:
            script_ops.numpy_function(
                lambda v: (v * 2, v.sum()), [x], [dtypes.float32, dtypes.float32], stateful=stateful
            )

    return captured_samples(op_name, run)


sample_builder("EagerPyFunc")(lambda: _py_samples("EagerPyFunc", True, True))
sample_builder("PyFunc")(lambda: _py_samples("PyFunc", True, False))
sample_builder("PyFuncStateless")(lambda: _py_samples("PyFuncStateless", False, False))


@sample_builder("PrintV2")
def _print_samples():
    import io

    from tensorflux.framework.tensor import Tensor
    from tensorflux.ops import logging_ops

    return captured_samples(
        "PrintV2",
        lambda: logging_ops.print(
            "x:", Tensor(f32(2), dtypes.float32), output_stream=io.StringIO()
        ),
    )


# Rows kept beside the ops they cover (imported last: they use the helpers above).
from tensorflux.ops import iterator_ops, preprocessing_func_ops  # noqa: E402, F401 - registers ops
from tensorflux.testing import (  # noqa: E402, F401
    op_samples_audio_sets,
    op_samples_fused_batch_norm,
    op_samples_image,
    op_samples_image_boxes,
    op_samples_image_sampling,
    op_samples_io,
    op_samples_linalg,
    op_samples_mathx,
    op_samples_nn,
    op_samples_nnx,
    op_samples_optimizer,
    op_samples_proto,
    op_samples_ragged,
    op_samples_relu_grad,
    op_samples_rnn,
    op_samples_signal,
    op_samples_sparse,
    op_samples_summary,
    op_samples_tfops,
)
