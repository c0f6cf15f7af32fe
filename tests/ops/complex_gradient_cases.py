"""Functions of complex tensors whose gradients follow TF's convention
(``dy * conj(f'(z))``), each a function of the ``tf`` module and the input: the
recording script evaluates them with TensorFlow, the tests with tensorflux."""

import numpy as np

INPUT = np.array([[0.6 + 0.2j, 0.5 - 0.4j], [0.3 + 0.1j, 0.7 - 0.3j]])

CASES = {
    "sqrt": lambda tf, z: tf.sqrt(z),
    "rsqrt": lambda tf, z: tf.math.rsqrt(z),
    "exp": lambda tf, z: tf.exp(z),
    "expm1": lambda tf, z: tf.math.expm1(z),
    "log": lambda tf, z: tf.math.log(z),
    "log1p": lambda tf, z: tf.math.log1p(z),
    "sin": lambda tf, z: tf.sin(z),
    "cos": lambda tf, z: tf.cos(z),
    "tan": lambda tf, z: tf.tan(z),
    "asin": lambda tf, z: tf.asin(z),
    "acos": lambda tf, z: tf.acos(z),
    "atan": lambda tf, z: tf.atan(z),
    "sinh": lambda tf, z: tf.sinh(z),
    "cosh": lambda tf, z: tf.cosh(z),
    "tanh": lambda tf, z: tf.tanh(z),
    "asinh": lambda tf, z: tf.asinh(z),
    "acosh": lambda tf, z: tf.acosh(z),
    "atanh": lambda tf, z: tf.atanh(z),
    "reciprocal": lambda tf, z: tf.math.reciprocal(z),
    "square": lambda tf, z: tf.square(z),
    "sigmoid": lambda tf, z: tf.sigmoid(z),
    "abs": lambda tf, z: tf.abs(z),
    "pow": lambda tf, z: tf.pow(z, z + 1),
    "prod": lambda tf, z: tf.reduce_prod(z, 0),
    "cumprod": lambda tf, z: tf.math.cumprod(z, 1),
    "squared_difference": lambda tf, z: tf.math.squared_difference(z, 1 + z * z),
    "xlogy": lambda tf, z: tf.math.xlogy(z, z + 1),
    "divide": lambda tf, z: z / (z + 2),
    "unsorted_segment_prod": lambda tf, z: tf.math.unsorted_segment_prod(z, [0, 0], 2),
    "qr_r": lambda tf, z: tf.linalg.qr(z)[1],
    "qr_q": lambda tf, z: tf.linalg.qr(z)[0],
    # Singular vectors are unique only up to a phase per column: the values are compared.
    "svd_values": lambda tf, z: tf.cast(tf.linalg.svd(z, compute_uv=False), z.dtype),
    "det": lambda tf, z: tf.linalg.det(z),
    "logdet": lambda tf, z: tf.linalg.slogdet(z)[1],
    "inv": lambda tf, z: tf.linalg.inv(z),
    "sqrtm": lambda tf, z: tf.linalg.sqrtm(z),
    "expm": lambda tf, z: tf.linalg.expm(z),
    "matmul": lambda tf, z: z @ z,
}


def value_and_gradient(tf, name):
    """The function's value and the gradient of the sum of its outputs."""
    z = tf.constant(INPUT)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = CASES[name](tf, z)
        total = tf.reduce_sum(y)
    return y.numpy(), tape.gradient(total, z).numpy()
