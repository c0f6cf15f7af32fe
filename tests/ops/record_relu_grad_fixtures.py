"""Records TF's values of the rectifiers' gradient ops (ReluGrad, Relu6Grad,
LeakyReluGrad), of relu and relu6 on special values, and of the first- and second-order
tape gradients of relu, relu6 and leaky_relu into tests/fixtures/relu_grad.json, for
tests/ops/test_relu_grad_ops.py.

Run with a Python that has TensorFlow installed (the test suite itself never imports it):

    python tests/ops/record_relu_grad_fixtures.py

Arrays are stored with their dtype; NaN, infinities and -0.0 are kept (Python's json
writes ``NaN`` / ``Infinity`` and ``-0.0``), 16-bit floats as their float32 values.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "relu_grad.json")
NAN, INF = float("nan"), float("inf")

# Features at and around both kinks, signed zeros, NaN and infinities, each against
# positive, negative and NaN gradients.
_SPECIAL = [-1.0, -0.0, 0.0, 1e-30, -1e-30, 0.5, 5.5, 6.0, 6.5, NAN, INF, -INF]
_FEATURES = [f for f in _SPECIAL for _ in range(3)]
_GRADIENTS = [g for _ in _SPECIAL for g in (1.5, -2.0, NAN)]


def encode(a):
    a = np.asarray(a)
    values = a.astype(np.float32) if a.dtype.name in ("bfloat16", "float16") else a
    return {"dtype": a.dtype.name, "shape": list(a.shape), "v": values.tolist()}


def _grad_op_cases():
    cases = []
    for op in ("ReluGrad", "Relu6Grad"):
        fn = getattr(tf.raw_ops, op)
        inputs = [(np.array(_GRADIENTS, np.float32), np.array(_FEATURES, np.float32))]
        for dtype in ("float64", "float16", "bfloat16"):
            inputs.append(
                (
                    tf.constant(_GRADIENTS, dtype).numpy(),
                    tf.constant(_FEATURES, dtype).numpy(),
                )
            )
        ints = [-7, -1, 0, 1, 3, 5, 6, 7, 100]
        for dtype in ("int32", "int8", "uint8", "int64", "uint16"):
            f = np.array([abs(v) if dtype.startswith("u") else v for v in ints], dtype)
            inputs.append((np.arange(1, 10).astype(dtype), f))
        inputs.append((np.arange(12, dtype=np.float32).reshape(3, 4) - 5, np.eye(3, 4) * 3 - 1))
        for g, f in inputs:
            f = np.asarray(f, g.dtype)
            out = fn(gradients=tf.constant(g), features=tf.constant(f)).numpy()
            cases.append(
                {"op": op, "gradients": encode(g), "features": encode(f), "out": encode(out)}
            )
    for dtype in ("float32", "float64", "float16", "bfloat16"):
        g = tf.constant(_GRADIENTS, dtype)
        f = tf.constant(_FEATURES, dtype)
        for alpha in (0.2, 0.0, 1.5, -0.3, 1e30):
            out = tf.raw_ops.LeakyReluGrad(gradients=g, features=f, alpha=alpha).numpy()
            cases.append(
                {
                    "op": "LeakyReluGrad",
                    "alpha": alpha,
                    "gradients": encode(g.numpy()),
                    "features": encode(f.numpy()),
                    "out": encode(out),
                }
            )
    return cases


def _error_cases():
    """Inputs of ones, stored as ``[dtype, shape]``; the error's type is recorded."""
    cases = []
    bad = [
        (np.ones(2, np.float32), np.ones(3, np.float32)),
        (np.ones((2, 3), np.float32), np.ones((3, 2), np.float32)),
        (np.ones(2, np.float32), np.ones(2, np.float64)),
        (np.ones(2, bool), np.ones(2, bool)),
        (np.ones(2, np.complex64), np.ones(2, np.complex64)),
    ]
    for op in ("ReluGrad", "Relu6Grad", "LeakyReluGrad"):
        for g, f in bad + [(np.ones(2, np.int32), np.ones(2, np.int32))] * (op == "LeakyReluGrad"):
            try:
                getattr(tf.raw_ops, op)(gradients=tf.constant(g), features=tf.constant(f))
                error = None
            except Exception as e:  # noqa: BLE001 - the type is what is recorded
                error = type(e).__name__
            cases.append(
                {
                    "op": op,
                    "gradients": [g.dtype.name, list(g.shape)],
                    "features": [f.dtype.name, list(f.shape)],
                    "error": error,
                }
            )
    return cases


def _forward_cases():
    cases = []
    for name in ("relu", "relu6"):
        for dtype in ("float32", "float64", "float16", "int32", "int8"):
            values = _SPECIAL if dtype.startswith("float") else [-7, -1, 0, 1, 5, 6, 7, 100]
            x = tf.constant(values, dtype)
            out = getattr(tf.nn, name)(x).numpy()
            cases.append({"fn": name, "x": encode(x.numpy()), "out": encode(out)})
    for dtype in ("float32", "float64", "float16"):
        x = tf.constant(_SPECIAL, dtype)
        for alpha in (0.2, 1.5, -0.3):
            out = tf.nn.leaky_relu(x, alpha=alpha).numpy()
            name = f"leaky_relu(alpha={alpha})"
            cases.append({"fn": name, "x": encode(x.numpy()), "out": encode(out)})
    return cases


def _tape_cases():
    """relu / relu6 of x times weights u: the gradient in x (first order), then the
    gradients of ``sum(v * dx)`` in x and u (second order, through the gradient op)."""
    cases = []
    xs = {
        "float32": np.array([-2.0, -0.0, 0.0, 0.25, 3.0, 6.0, 7.5, NAN, INF], np.float32),
        "float64": np.array([[-1.0, 0.5, 6.0], [5.5, -0.0, 8.0]]),
    }
    fns = {
        "relu": tf.nn.relu,
        "relu6": tf.nn.relu6,
        "leaky_relu": tf.nn.leaky_relu,
        "leaky_relu(alpha=0.3)": lambda x: tf.nn.leaky_relu(x, alpha=0.3),
    }
    for name, fn in fns.items():
        for dtype, x in xs.items():
            u = np.linspace(-1.5, 2.0, x.size).reshape(x.shape).astype(dtype)
            u.flat[0] = NAN  # a NaN gradient where the mask is closed
            v = np.linspace(0.5, 1.5, x.size).reshape(x.shape).astype(dtype)
            tx, tu, tv = tf.constant(x), tf.constant(u), tf.constant(v)
            with tf.GradientTape(persistent=True) as outer:
                outer.watch([tx, tu])
                with tf.GradientTape() as inner:
                    inner.watch(tx)
                    y = fn(tx)
                dx = inner.gradient(y, tx, output_gradients=tu)
            ddx, ddu = outer.gradient(dx, [tx, tu], output_gradients=tv)
            cases.append(
                {
                    "fn": name,
                    "x": encode(x),
                    "u": encode(u),
                    "v": encode(v),
                    "dx": encode(dx.numpy()),
                    "ddx": None if ddx is None else encode(ddx.numpy()),
                    "ddu": None if ddu is None else encode(ddu.numpy()),
                }
            )
    return cases


def main():
    fixtures = {
        "grad_ops": _grad_op_cases(),
        "errors": _error_cases(),
        "forward": _forward_cases(),
        "tape": _tape_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
