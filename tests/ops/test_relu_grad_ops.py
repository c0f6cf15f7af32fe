"""ReluGrad / Relu6Grad / LeakyReluGrad and the rectifiers' gradients through them, against values
recorded from TensorFlow (``record_relu_grad_fixtures.py``: NaN, signed zeros, both
kinks, every dtype TF allows), finite differences, and in traced functions."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.framework import dtypes
from tensorflux.framework.tensor import SymbolicTensor
from tensorflux.ops.activation_grad_ops import leaky_relu_grad, relu6_grad, relu_grad
from tensorflux.testing import check_gradients, check_one_graph

FIXTURES = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "relu_grad.json").read_text()
)
_OPS = {"ReluGrad": relu_grad, "Relu6Grad": relu6_grad, "LeakyReluGrad": leaky_relu_grad}
_TAPE_FNS = {
    "relu": tf.nn.relu,
    "relu6": tf.nn.relu6,
    "leaky_relu": tf.nn.leaky_relu,
}


def decode(d):
    return np.array(d["v"], np.float64 if d["dtype"] == "bfloat16" else None).astype(
        dtypes.as_dtype(d["dtype"]).as_numpy_dtype
    )


def _assert_same(got, want, what):
    """Bit-for-bit as TF: NaN where TF has NaN, and the sign of every zero."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, TF {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape}, TF {want.shape}"
    if got.dtype.kind != "f" and got.dtype.name != "bfloat16":
        np.testing.assert_array_equal(got, want, err_msg=what)
        return
    # Compared widened (exact): NumPy 1.x's NaN matching does not recognise bfloat16.
    wide_got, wide_want = got.astype(np.float64), want.astype(np.float64)
    np.testing.assert_array_equal(wide_got, wide_want, err_msg=what)
    np.testing.assert_array_equal(np.signbit(wide_got), np.signbit(wide_want), what)


def _ids(cases, *keys):
    return [f"{i}-" + "-".join(str(_key(c, k)) for k in keys) for i, c in enumerate(cases)]


def _key(case, key):
    value = case.get(key)
    return value["dtype"] if isinstance(value, dict) else value


# bfloat16 arrays need the optional ml_dtypes package.
_BFLOAT16 = importlib.util.find_spec("ml_dtypes") is not None
GRAD_OPS = [c for c in FIXTURES["grad_ops"] if _BFLOAT16 or c["gradients"]["dtype"] != "bfloat16"]


@pytest.mark.parametrize("case", GRAD_OPS, ids=_ids(GRAD_OPS, "op", "gradients", "alpha"))
def test_gradient_ops_match_tf(case):
    g, f, want = decode(case["gradients"]), decode(case["features"]), decode(case["out"])
    attrs = {"alpha": case["alpha"]} if "alpha" in case else {}
    fn = _OPS[case["op"]]
    _assert_same(fn(g, f, **attrs).numpy(), want, f"{case['op']} eager")
    raw = getattr(tf.raw_ops, case["op"])(gradients=g, features=f, **attrs)
    _assert_same(raw, want, "raw op")
    traced = tf.function(lambda a, b: fn(a, b, **attrs))
    _assert_same(traced(tf.constant(g), tf.constant(f)).numpy(), want, f"{case['op']} traced")


ERRORS = FIXTURES["errors"]


@pytest.mark.parametrize("case", ERRORS, ids=_ids(ERRORS, "op", "error"))
def test_gradient_op_errors_match_tf(case):
    (g_dtype, g_shape), (f_dtype, f_shape) = case["gradients"], case["features"]
    g = tf.ones(g_shape, g_dtype) if g_dtype != "bool" else tf.constant(np.ones(g_shape, bool))
    f = tf.ones(f_shape, f_dtype) if f_dtype != "bool" else tf.constant(np.ones(f_shape, bool))
    error = getattr(tf.errors, case["error"])
    with pytest.raises(error, match=case["op"]):
        _OPS[case["op"]](g, f)


FORWARD = FIXTURES["forward"]


@pytest.mark.parametrize("case", FORWARD, ids=_ids(FORWARD, "fn", "x"))
def test_rectifiers_match_tf_on_special_values(case):
    x, want = decode(case["x"]), decode(case["out"])
    fn = _TAPE_FNS.get(case["fn"]) or _leaky(case["fn"])
    _assert_same(fn(x).numpy(), want, case["fn"])


def _leaky(name):
    alpha = float(name.removeprefix("leaky_relu(alpha=").removesuffix(")"))
    return lambda x: tf.nn.leaky_relu(x, alpha=alpha)


TAPE = FIXTURES["tape"]


def _tape_gradients(fn, x, u, v):
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([x, u])
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = fn(x)
        dx = inner.gradient(y, x, output_gradients=u)
    ddx, ddu = outer.gradient(dx, [x, u], output_gradients=v)
    return dx, ddx, ddu


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])
@pytest.mark.parametrize("case", TAPE, ids=_ids(TAPE, "fn", "x"))
def test_first_and_second_order_tape_gradients_match_tf(case, traced):
    fn = _TAPE_FNS.get(case["fn"]) or _leaky(case["fn"])
    run = tf.function(lambda *a: _tape_gradients(fn, *a)) if traced else _tape_gradients
    args = [tf.constant(decode(case[k])) for k in ("x", "u", "v")]
    got = run(*args) if traced else run(fn, *args)
    for name, value in zip(("dx", "ddx", "ddu"), got):
        if case[name] is None:
            assert value is None, name
        else:
            _assert_same(value.numpy(), decode(case[name]), f"{case['fn']} {name}")


# float64, away from the kinks at 0 and 6 (finite differences step over them otherwise).
_X = np.array([[-1.3, 0.4, 2.2, 5.1], [6.8, -0.2, 3.3, 9.0]])


@pytest.mark.parametrize("fn", ["relu", "relu6", "leaky_relu(alpha=0.3)"])
def test_rectifier_gradients_match_finite_differences(fn):
    check_gradients(lambda x: (_TAPE_FNS.get(fn) or _leaky(fn))(x) * x, [_X], order=2)


@pytest.mark.parametrize("op", sorted(_OPS))
def test_gradient_op_gradients_match_finite_differences(op):
    g = np.linspace(-1.0, 1.0, _X.size).reshape(_X.shape)
    check_gradients(lambda a, b: _OPS[op](a * a, b), [g, _X], order=2)


@pytest.mark.parametrize(
    "fn, grad_op, features",
    [(tf.nn.relu, "ReluGrad", "output"), (tf.nn.relu6, "Relu6Grad", "output"),
     (tf.nn.leaky_relu, "LeakyReluGrad", "input")],
)  # fmt: skip
def test_rectifier_gradient_is_one_gradient_op(fn, grad_op, features):
    """As TF: relu's and relu6's gradients read the op's output, leaky_relu's its input."""

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return tape.gradient(y, x)

    f = check_one_graph(
        step,
        [tf.TensorSpec([None, 3], tf.float32)],
        [(tf.constant(np.arange(n * 3, dtype=np.float32).reshape(n, 3) - 4),) for n in (1, 4)],
    )
    graph = f.get_concrete_function(tf.TensorSpec([None, 3], tf.float32)).graph
    nodes = [n for n in graph.nodes if n.op is not None]
    names = [n.op.name for n in nodes]
    assert grad_op in names and "SelectV2" not in names and "Greater" not in names, names
    rectifier = next(n for n in nodes if n.op.name == grad_op.removesuffix("Grad"))
    gradient = next(n for n in nodes if n.op.name == grad_op)
    read = rectifier.outputs[0] if features == "output" else rectifier.inputs[0]
    assert gradient.inputs[1] == read, f"the features are the op's {features}"


def test_gradient_ops_infer_partial_shapes():
    def both(g, f):
        out = relu_grad(g, f), relu6_grad(g, f)
        for t in out:
            if isinstance(t, SymbolicTensor):
                assert t.shape.as_list() == [None, 2] and t.dtype == tf.float64
        return out

    check_one_graph(
        both,
        [tf.TensorSpec([None, 2], tf.float64), tf.TensorSpec([None, 2], tf.float64)],
        [(np.ones((n, 2)) - 2, np.arange(n * 2.0).reshape(n, 2) - 1) for n in (1, 3)],
    )
