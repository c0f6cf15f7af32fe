"""Gradient descent on ``y = x^2 - 4x + 4`` with a ``@tf.function`` update step.

The lecture's loop computes the derivative with a GradientTape and updates
``x`` with ``assign``; putting tape and update in one decorated function turns
each step into a single traced graph. From ``x = 10`` with learning rate 0.1,
``x`` reaches the minimum at 2.

Run:  python3 examples/function_gradient_descent.py
"""

from __future__ import annotations

import tensorflux as tf

ETA = 0.1


def f(x):
    return x * x - 4.0 * x + 4.0


@tf.function
def do_update(x):
    """One gradient-descent step on the Variable ``x``; returns y before the step."""
    with tf.GradientTape() as tape:
        y = f(x)
    dydx = tape.gradient(y, x)
    x.assign(x - ETA * dydx)
    return y


def descend(steps: int = 50, start: float = 10.0, log=print) -> float:
    x = tf.Variable(start, dtype=tf.float32)
    for i in range(steps):
        y = do_update(x)
        if i % 10 == 0:
            log(f"iteration {i:2d}  x {x.numpy():.4f}  y {y.numpy():.4f}")
    return float(x.numpy())


def main() -> None:
    x = descend()
    print(f"minimum found at x = {x:.3f} ({do_update.experimental_get_tracing_count()} trace)")


if __name__ == "__main__":
    main()
