"""Keras symbolic building by abstract evaluation: inference rules only, no kernels."""

import contextlib

import numpy as np

import tensorflux as tf
from tensorflux.engine import registry


@contextlib.contextmanager
def counting_kernels():
    """Counts every kernel call of every registered op while the block runs."""
    calls = []
    ops = list(registry.registered_ops().values())
    saved = [op.kernel for op in ops]

    def counted(op, kernel):
        def run(*arrays, **attrs):
            calls.append(op.name)
            return kernel(*arrays, **attrs)

        return run

    for op, kernel in zip(ops, saved):
        op.kernel = counted(op, kernel)
    try:
        yield calls
    finally:
        for op, kernel in zip(ops, saved):
            op.kernel = kernel


def _built_layers():
    dense = tf.keras.layers.Dense(4, activation="relu")
    dense.build((None, 3))
    norm = tf.keras.layers.BatchNormalization()
    norm.build((None, 4))
    return dense, norm


def test_functional_calls_run_no_kernels():
    dense, norm = _built_layers()
    inputs = tf.keras.Input(shape=(3,))
    with counting_kernels() as calls:
        h = norm(dense(inputs))
        h = tf.keras.layers.Dropout(0.5)(h)
        out = tf.keras.layers.Add()([h, tf.keras.layers.Activation("tanh")(h)])
        out = tf.keras.layers.Reshape((2, 2))(out * 2.0)
    assert calls == []
    assert out.shape.as_list() == [None, 2, 2]
    model = tf.keras.Model(inputs, out)
    assert model(np.ones((5, 3), np.float32)).shape == (5, 2, 2)


def test_compute_output_shape_runs_no_kernels():
    dense, _ = _built_layers()
    with counting_kernels() as calls:
        shape = dense.compute_output_shape((None, 7, 3))
    assert calls == []
    assert shape.as_list() == [None, 7, 4]


def test_unknown_dims_stay_unknown_and_known_ones_flow():
    inputs = tf.keras.Input(shape=(None, 6), dtype="float32")
    out = tf.keras.layers.Dense(2)(inputs)
    assert out.shape.as_list() == [None, None, 2]
    flat = tf.keras.layers.Flatten()(tf.keras.Input(shape=(2, 3)))
    assert flat.shape.as_list() == [None, 6]


def test_sublayers_built_during_abstract_evaluation_get_real_weights():
    class Outer(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = tf.keras.layers.Dense(3, kernel_initializer="ones")

        def call(self, x):
            return self.inner(x) * 2.0

    outer = Outer()
    inputs = tf.keras.Input(shape=(4,))
    model = tf.keras.Model(inputs, outer(inputs))
    np.testing.assert_array_equal(outer.inner.kernel.numpy(), np.ones((4, 3)))
    np.testing.assert_allclose(model(np.ones((1, 4), np.float32)).numpy(), [[8.0] * 3])
    outer.inner.kernel.assign(np.zeros((4, 3), np.float32))
