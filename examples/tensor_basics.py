"""Tensor basics: dtypes and casting, broadcasting, reductions, Variables, autodiff.

Each function returns what it computes (the tests check the numbers) and
``main`` prints it. The last part minimises ``y = x^2 - 4x + 4`` by gradient
descent from ``x = 10``; it reaches the minimum at ``x = 2``.

Run:  python3 examples/tensor_basics.py
"""

from __future__ import annotations

import tensorflux as tf


def products() -> dict:
    """Elementwise (Hadamard) product versus matrix product."""
    a = tf.constant([[1, 2], [3, 4]])
    b = tf.constant([[1, 1], [1, 1]])
    return {"hadamard": tf.multiply(a, b).numpy(), "matmul": tf.matmul(a, b).numpy()}


def dtypes_and_casting() -> dict:
    """Mixed dtypes are refused, as in TensorFlow; ``tf.cast`` converts one side."""
    ints = tf.constant([1, 2], tf.int32)
    floats = tf.constant([0.5, 0.25], tf.float32)
    try:
        ints + floats
        refused = False
    except tf.errors.InvalidArgumentError:
        refused = True
    return {
        "int32_plus_float32_refused": refused,
        "after_cast": (tf.cast(ints, tf.float32) + floats).numpy(),
        "bools_as_int32": tf.cast(tf.constant([True, False, True]), tf.int32).numpy(),
        "float_to_int_truncates": tf.cast(tf.constant([1.9, -1.9]), tf.int32).numpy(),
    }


def broadcasting() -> dict:
    a = tf.constant([[1, 2], [3, 4]])
    return {
        "plus_scalar": (a + 1).numpy(),
        "plus_row": (a + tf.constant([10, 20])).numpy(),
        "greater": tf.greater([1, 2, 3], [2]).numpy(),
    }


def reductions() -> dict:
    a = tf.constant([[1, 2], [3, 4]])
    floats = tf.cast(a, tf.float32)
    return {
        "sum": tf.reduce_sum(a).numpy(),
        "mean": tf.reduce_mean(floats).numpy(),
        "max": tf.reduce_max(a).numpy(),
        "argmax_axis0": tf.argmax(a).numpy(),
        "sum_axis0": tf.reduce_sum(a, axis=0).numpy(),
        "sum_axis1": tf.reduce_sum(a, axis=1).numpy(),
        # True -> 1.0 and False -> 0.0, so the sum counts the entries above 1.
        "count_above_1": tf.reduce_sum(tf.cast(floats > 1, tf.float32)).numpy(),
    }


def variables() -> dict:
    v = tf.Variable([0.5, 1.5], dtype=tf.float32)
    v.assign_add([1.0, 1.0])
    after_add = v.numpy().copy()
    v.assign_sub([0.25, 0.25])
    after_sub = v.numpy().copy()
    v.assign([-1.0, -1.0])
    return {"after_add": after_add, "after_sub": after_sub, "after_assign": v.numpy()}


def gradients() -> dict:
    """Three derivatives: of x^2 at 3, of 3x^2 + y at (4, 2), of a watched constant's x^3 at 4."""
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.pow(x, 2.0)
    square_slope = tape.gradient(y, x)

    u, w = tf.Variable(4.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        f = 3.0 * tf.pow(u, 2.0) + w
    df_du, df_dw = tape.gradient(f, [u, w])

    c = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(c)  # constants are not watched automatically
        cube = tf.pow(c, 3.0)
    cube_slope = tape.gradient(cube, c)
    return {
        "d(x^2)/dx": square_slope.numpy(),
        "df/du": df_du.numpy(),
        "df/dw": df_dw.numpy(),
        "d(c^3)/dc": cube_slope.numpy(),
    }


def descend(start: float = 10.0, learning_rate: float = 0.1, steps: int = 50, log=None) -> float:
    """Gradient descent on y = x^2 - 4x + 4 = (x - 2)^2; returns the final x."""
    x = tf.Variable(start)
    for i in range(steps):
        with tf.GradientTape() as tape:
            y = x * x - 4.0 * x + 4.0
        slope = tape.gradient(y, x)
        x.assign_sub(learning_rate * slope)
        if log is not None and (i % 10 == 0 or i == steps - 1):
            log(f"  iteration {i:2d}  x {x.numpy():.5f}  y {y.numpy():.6f}")
    return float(x.numpy())


def main() -> None:
    for title, part in [
        ("products", products),
        ("dtypes and casting", dtypes_and_casting),
        ("broadcasting", broadcasting),
        ("reductions", reductions),
        ("variables", variables),
        ("gradients", gradients),
    ]:
        print(f"-- {title}")
        for name, value in part().items():
            text = str(value).replace("\n", "\n" + " " * (len(name) + 4))
            print(f"  {name}: {text}")
    print("-- gradient descent on y = x^2 - 4x + 4 from x = 10")
    print(f"  minimum found at x = {descend(log=print):.3f}")


if __name__ == "__main__":
    main()
