"""A linear map ``L(x) = A @ x + b`` compiled with ``@tf.function``.

``A`` and ``b`` are closed over: ``A`` is a ``tf.Variable`` (read each time the
graph runs, so assigning it changes later results without a retrace) and ``b``
a constant tensor (baked into the graph). NumPy inputs of one shape and dtype
share a trace with tensors of that shape and dtype.

Run:  python3 examples/function_linear_map.py
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf

N = 20
A = tf.Variable(tf.ones(shape=(N, N)), name="A")
b = tf.ones(shape=(N, 1))


@tf.function
def L(x):
    return A @ x + b


def run() -> dict:
    """Evaluates L on NumPy and tensor inputs, then after changing ``A``."""
    x = np.ones((N, 1), dtype=np.float32)
    first = L(x).numpy()
    same_shape = L(tf.constant(2 * x)).numpy()
    A.assign(2 * tf.eye(N))
    after_assign = L(x).numpy()
    A.assign(tf.ones(shape=(N, N)))
    return {
        "ones": first,
        "twos": same_shape,
        "after_assign": after_assign,
        "traces": L.experimental_get_tracing_count(),
    }


def main() -> None:
    r = run()
    print(f"L(ones)[:3] = {r['ones'][:3, 0]}")
    print(f"L(2 * ones)[:3] = {r['twos'][:3, 0]}")
    print(f"with A = 2I: L(ones)[:3] = {r['after_assign'][:3, 0]}")
    print(f"traces: {r['traces']}")


if __name__ == "__main__":
    main()
