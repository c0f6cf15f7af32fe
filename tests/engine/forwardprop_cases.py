"""Forward-mode cases shared by the fixture recorder (run with TensorFlow) and the tests
(run with tensorflux): each case takes the library as ``tf`` and returns a dict of
NumPy-convertible results (``None`` where a JVP is unconnected)."""

from __future__ import annotations

import numpy as np

X = np.array([0.5, -1.0, 2.0], np.float32)
V = np.array([1.0, 0.5, -2.0], np.float32)
M = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], np.float32)


def _jvp_of(tf, fn):
    x = tf.constant(X)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(V)) as acc:
        y = fn(tf, x)
    return acc.jvp(y)


UNARY = {
    "sin": lambda tf, x: tf.sin(x),
    "exp_sum": lambda tf, x: tf.reduce_sum(tf.exp(x)),
    "softmax": lambda tf, x: tf.nn.softmax(x),
    "matvec": lambda tf, x: tf.linalg.matvec(tf.constant(M), x),
    "cube_sum": lambda tf, x: tf.reduce_sum(x**3),
    "tanh_outer": lambda tf, x: tf.tanh(x[:, None] * x[None, :]),
    "relu_mul": lambda tf, x: tf.nn.relu(x) * x,
}


def unary(tf):
    return {name: _jvp_of(tf, fn) for name, fn in UNARY.items()}


def several_primals(tf):
    a, b = tf.constant(2.0), tf.constant([1.0, -3.0])
    with tf.autodiff.ForwardAccumulator(
        (a, b), (tf.constant(1.0), tf.constant([10.0, 0.5]))
    ) as acc:
        y = a * b + tf.reduce_sum(b**2)
        z = {"first": a**2, "second": [b * 3.0]}
    return {"y": acc.jvp(y), "z_first": acc.jvp(z)["first"], "z_second": acc.jvp(z)["second"][0]}


def variable_primal(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([0.0, 1.0])) as acc:
        y = v * v
        z = tf.reduce_sum(v.read_value() ** 3)
    return {"y": acc.jvp(y), "z": acc.jvp(z)}


def nested(tf):
    x = tf.constant(X)
    v = tf.constant(V)
    with tf.autodiff.ForwardAccumulator(x, v) as outer:
        with tf.autodiff.ForwardAccumulator(x, v) as inner:
            y = tf.reduce_sum(tf.sin(x) * x)
        first = inner.jvp(y)
    return {"first": first, "second": outer.jvp(first)}


def forward_over_backward(tf):
    x = tf.constant(X)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(V)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.exp(x) * x**2)
        backward = tape.gradient(y, x)
    return {"hvp": acc.jvp(backward)}


def backward_over_forward(tf):
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(V)) as acc:
            y = tf.reduce_sum(tf.exp(x) * x**2)
        directional = acc.jvp(y)
    return {"directional": directional, "hvp": tape.gradient(directional, x)}


def unconnected(tf):
    x = tf.constant(X)
    c = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant(V)) as acc:
        y = c * 2.0
        stopped = tf.stop_gradient(x) * 3.0
        as_int = tf.cast(x, tf.int32)
    after = x * 2.0
    return {
        "none": acc.jvp(y),
        "zero": acc.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO),
        "zero_string": acc.jvp(y, unconnected_gradients="zero"),
        "stopped": acc.jvp(stopped),
        "int": acc.jvp(as_int),
        "int_zero": acc.jvp(as_int, unconnected_gradients="zero"),
        "after_exit": acc.jvp(after),
        "primal": acc.jvp(x),
    }


def in_function(tf):
    @tf.function
    def jvp(x, v):
        with tf.autodiff.ForwardAccumulator(x, v) as acc:
            y = tf.sin(x) * tf.reduce_sum(x)
        return acc.jvp(y)

    return {"jvp": jvp(tf.constant(X), tf.constant(V))}


CASES = {
    "unary": unary,
    "several_primals": several_primals,
    "variable_primal": variable_primal,
    "nested": nested,
    "forward_over_backward": forward_over_backward,
    "backward_over_forward": backward_over_forward,
    "unconnected": unconnected,
    "in_function": in_function,
}


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and message are the result
        return [type(e).__name__, str(e)]
    return None


def errors(tf):
    fa = tf.autodiff.ForwardAccumulator
    x = tf.constant([1.0, 2.0])
    return {
        "int_tangent": _error(lambda: fa(x, tf.constant([1, 2]))),
        "float64_tangent": _error(lambda: fa(x, tf.constant([1.0, 2.0], tf.float64))),
        "duplicate_primal": _error(lambda: fa([x, x], [x, x])),
        "bad_unconnected": _error(lambda: fa(x, x).jvp(x, unconnected_gradients="bogus")),
    }


def to_plain(value):
    """Tensors to nested lists (None stays None) for JSON."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return np.asarray(value).tolist()
