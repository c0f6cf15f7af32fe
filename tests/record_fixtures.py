"""Records reference results from real TensorFlow into ``tests/fixtures/tf_reference.json``.

Run it where TensorFlow is installed (the test suite itself never imports TF)::

    /path/to/tf-venv/bin/python tests/record_fixtures.py

Every case is a Python expression written in the subset of the API that
TensorFlow and tensorflux share, evaluated with ``tf`` bound to the library
under test (see ``namespace``). ``tests/test_tf_reference.py`` evaluates the same
strings with ``tf = tensorflux`` and compares against what is recorded here.

Three kinds of case:
    VALUES  -> the result's values, dtype and shape (tensors, lists/tuples of
               tensors, TensorShapes, strings such as reprs, None).
    ERRORS  -> the class name of the exception TF raises.
    SPECS   -> only dtype and shape (for random ops, whose values differ).

Everything recorded is deterministic: random ops appear only in SPECS, or
inside expressions whose result does not depend on the random draw.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "tf_reference.json"


def namespace(tf) -> dict:
    """The names case expressions may use, for the library bound to ``tf``."""

    def grad(f, *args):
        """Gradients of ``f(*args)`` w.r.t. each argument (Python values become tensors)."""
        xs = [tf.convert_to_tensor(a) for a in args]
        with tf.GradientTape() as tape:
            for x in xs:
                tape.watch(x)
            y = f(*xs)
        return [None if g is None else tf.convert_to_tensor(g) for g in tape.gradient(y, xs)]

    def grad2(f, x):
        """Second derivative of a scalar function of one scalar, through nested tapes."""
        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = f(x)
            dy = inner.gradient(y, x)
        return outer.gradient(dy, x)

    def var_grad(init, f):
        """Gradient of ``f(v)`` w.r.t. a trainable Variable ``v`` (watched automatically)."""
        v = tf.Variable(init)
        with tf.GradientTape() as tape:
            y = f(v)
        return tf.convert_to_tensor(tape.gradient(y, v))

    def updated(init, method, *args):
        """The value of ``tf.Variable(init)`` after calling ``method(*args)`` on it."""
        v = tf.Variable(init)
        getattr(v, method)(*args)
        return tf.convert_to_tensor(v)

    return {
        "tf": tf,
        "np": np,
        "grad": grad,
        "grad2": grad2,
        "var_grad": var_grad,
        "updated": updated,
    }


# Inputs reused by many cases are spelled out inline so that each case string
# is self-contained (it is the test id).
M23 = "tf.constant([[1., 2., 3.], [4., 5., 6.]])"
I23 = "tf.constant([[1, 2, 3], [4, 5, 6]])"
R234 = "tf.reshape(tf.range(24), [2, 3, 4])"
ACT = "tf.constant([-3., -0.5, 0., 0.5, 3.])"

VALUES = [
    # -- creation -----------------------------------------------------------
    "tf.constant(3)",
    "tf.constant(2.5)",
    "tf.constant(2, tf.float32)",
    "tf.constant([[1, 2], [3, 4]])",
    "tf.constant([1.5, 2.5], dtype=tf.float64)",
    "tf.constant([1, 2], dtype=tf.float32)",
    "tf.constant(True)",
    "tf.constant(0.0, shape=[2, 3])",
    "tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])",
    "tf.constant(np.array([1, 2], dtype=np.int64))",
    "tf.constant(np.array([1.0, 2.0]))",
    "tf.constant(np.array([1.0, 2.0]), dtype=tf.float32)",
    "tf.constant(2 ** 40)",
    "tf.constant([])",
    "tf.convert_to_tensor([1, 2])",
    "tf.convert_to_tensor([[1.0], [2.0]], dtype=tf.float64)",
    "tf.convert_to_tensor(np.arange(4, dtype=np.int16))",
    "tf.zeros([2, 3])",
    "tf.zeros([2], tf.int32)",
    "tf.zeros([])",
    "tf.ones([3, 1], dtype=tf.float64)",
    "tf.zeros_like(tf.constant([[1, 2]]))",
    "tf.ones_like(tf.constant([1.5, 2.5]))",
    "tf.ones_like(tf.constant([1, 2]), dtype=tf.float32)",
    "tf.fill([2, 2], 7)",
    "tf.fill([2], 0.5)",
    "tf.eye(3)",
    "tf.eye(2, num_columns=3, dtype=tf.int32)",
    "tf.eye(2, batch_shape=[2])",
    "tf.range(5)",
    "tf.range(1, 10, 3)",
    "tf.range(0.0, 1.0, 0.25)",
    "tf.range(5, 0, -2)",
    "tf.range(3, dtype=tf.float32)",
    "tf.range(2, dtype=tf.int64)",
    "tf.linspace(0.0, 1.0, 5)",
    "tf.linspace(-1.0, 1.0, 3)",
    "tf.one_hot([0, 2, 1], 3)",
    "tf.one_hot([0, 2, -1], 3, on_value=5, off_value=-1)",
    "tf.one_hot([1, 0], 3, axis=0)",
    "tf.one_hot([[0, 1], [2, 0]], 3)",
    "tf.one_hot([1], 2, dtype=tf.int64)",
    "tf.identity(tf.constant([1, 2]))",
    "tf.cast(tf.constant([1.7, -1.7, 2.5]), tf.int32)",
    "tf.cast(tf.constant([True, False]), tf.int32)",
    "tf.cast(tf.constant([True, False]), tf.float32)",
    "tf.cast(tf.constant([0, 2, -1]), tf.bool)",
    "tf.cast(tf.constant([1, 2]), tf.float64)",
    "tf.cast(tf.constant([1.5, 2.5]), tf.float16)",
    "tf.cast(tf.constant([300, -1]), tf.uint8)",
    "tf.cast([1, 2], tf.float32)",
    # -- the lecture's basics ---------------------------------------------------
    "tf.multiply(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 1], [1, 1]]))",
    "tf.matmul(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 1], [1, 1]]))",
    "tf.constant([[1, 2], [3, 4]]) + 1",
    "tf.constant([[1, 2], [3, 4]]) + tf.constant([10, 20])",
    "tf.greater([1, 2, 3], [2])",
    "tf.reduce_sum(tf.cast(tf.constant([[1., 2.], [3., 4.]]) > 1, tf.float32))",
    "tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0)",
    "tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=1)",
    "tf.argmax(tf.constant([[1, 2], [3, 4]]))",
    # -- elementwise arithmetic ------------------------------------------------
    "tf.add(tf.constant([1, 2]), tf.constant([3, 4]))",
    "tf.add(tf.constant([1.5, 2.5]), 2)",
    "tf.subtract(tf.constant([5., 1.]), tf.constant([[1.], [2.]]))",
    "tf.multiply(tf.constant([2, 3], tf.int64), 4)",
    "tf.divide(tf.constant([7, -7]), 2)",
    "tf.divide(tf.constant([1., 2.]), tf.constant([4., 0.]))",
    "tf.truediv(tf.constant([1, 2], tf.int16), tf.constant([2, 2], tf.int16))",
    "tf.truediv(tf.constant([1, 2], tf.int64), tf.constant([4, 4], tf.int64))",
    "tf.truediv(tf.constant([3, 4], tf.uint8), tf.constant([2, 2], tf.uint8))",
    "tf.constant([1, 2]) / 2",
    "tf.constant(3) / tf.constant(2)",
    "tf.math.floordiv(tf.constant([-7, 7, -8, 8]), 2)",
    "tf.math.floordiv(tf.constant([-7, 7]), tf.constant([-2, -2]))",
    "tf.math.floordiv(tf.constant([-7.5, 7.5]), 2.0)",
    "tf.math.floormod(tf.constant([-7, 7, -7, 7]), tf.constant([2, 2, -2, -2]))",
    "tf.math.floormod(tf.constant([-7.5, 7.5]), 2.0)",
    "tf.math.mod(tf.constant([-5, 5]), 3)",
    "tf.truncatediv(tf.constant([-7, 7]), 2)",
    "tf.truncatemod(tf.constant([-7, 7]), 2)",
    "tf.constant([-7, 7]) // 2",
    "tf.constant([-7, 7]) % 3",
    "tf.constant([-7.5, 2.5]) % 2.0",
    "tf.constant([-7.5, 2.5]) // 2.0",
    "tf.math.round(tf.constant([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6]))",
    "tf.round(tf.constant([0.5, 1.5], tf.float64))",
    "tf.math.rint(tf.constant([0.5, 1.5, -2.5]))",
    "tf.math.floor(tf.constant([-1.5, 1.5]))",
    "tf.math.ceil(tf.constant([-1.5, 1.5]))",
    "tf.math.divide_no_nan(tf.constant([1., 2., 0.]), tf.constant([0., 4., 0.]))",
    "tf.math.multiply_no_nan(tf.constant([np.inf, 2.]), tf.constant([0., 3.]))",
    "tf.math.xlogy(tf.constant([0., 1., 2.]), tf.constant([0., 2., 3.]))",
    "tf.math.xdivy(tf.constant([0., 1., 2.]), tf.constant([0., 2., 4.]))",
    "tf.math.squared_difference(tf.constant([1., 5.]), tf.constant([3., 2.]))",
    "tf.pow(tf.constant([2., 3.]), 2.0)",
    "tf.pow(tf.constant([2, 3]), 2)",
    "tf.pow(tf.constant([4., 9.]), tf.constant([0.5, -1.]))",
    "tf.constant([1., 2.]) ** 2",
    "2 ** tf.constant([1., 2.])",
    "tf.square(tf.constant([-2, 3]))",
    "tf.sqrt(tf.constant([4., 2.]))",
    "tf.math.rsqrt(tf.constant([4., 0.25]))",
    "tf.exp(tf.constant([0., 1., -1.]))",
    "tf.math.expm1(tf.constant([1e-6, 1.]))",
    "tf.math.log(tf.constant([1., 10., 0.]))",
    "tf.math.log1p(tf.constant([1e-6, 1.]))",
    "tf.abs(tf.constant([-2, 3]))",
    "tf.abs(tf.constant([-2.5, 3.]))",
    "tf.negative(tf.constant([1, -2]))",
    "-tf.constant([1., -2.])",
    "tf.sign(tf.constant([-3., 0., 2.]))",
    "tf.sign(tf.constant([-3, 0, 2]))",
    "tf.math.reciprocal(tf.constant([2., 4.]))",
    "tf.sin(tf.constant([0., 1., 2.]))",
    "tf.cos(tf.constant([0., 1., 2.]))",
    "tf.tan(tf.constant([0., 1.]))",
    "tf.math.asin(tf.constant([0., 0.5]))",
    "tf.math.acos(tf.constant([0., 0.5]))",
    "tf.math.atan(tf.constant([0., 2.]))",
    "tf.math.atan2(tf.constant([1., -1.]), tf.constant([-1., -1.]))",
    "tf.math.sinh(tf.constant([0., 1.]))",
    "tf.math.cosh(tf.constant([0., 1.]))",
    "tf.tanh(tf.constant([-1., 0., 20.]))",
    "tf.math.asinh(tf.constant([1.]))",
    "tf.math.acosh(tf.constant([2.]))",
    "tf.math.atanh(tf.constant([0.5]))",
    "tf.math.erf(tf.constant([-1., 0., 0.5]))",
    "tf.math.erfc(tf.constant([-1., 0., 0.5]))",
    "tf.math.lgamma(tf.constant([0.5, 3., 10.]))",
    "tf.math.digamma(tf.constant([1., 2.5]))",
    "tf.maximum(tf.constant([1., 5.]), tf.constant([3., 2.]))",
    "tf.minimum(tf.constant([[1, 5], [4, 0]]), 2)",
    "tf.maximum(tf.constant([1., np.nan]), 0.)",
    "tf.math.add_n([tf.constant([1, 2]), tf.constant([3, 4]), tf.constant([5, 6])])",
    "tf.math.sigmoid(tf.constant([-100., 0., 100.]))",
    "tf.math.log_sigmoid(tf.constant([-100., 0., 2.]))",
    "tf.math.softplus(tf.constant([-100., 0., 100.]))",
    # -- the same ops under their tf.math / tf.linalg / tf.nn names ------------
    "tf.math.add(tf.constant([1, 2]), 3)",
    "tf.math.subtract(tf.constant([1., 2.]), 3.)",
    "tf.math.multiply(tf.constant([1., 2.]), tf.constant([3., 4.]))",
    "tf.math.divide(tf.constant([1., 2.]), 4.)",
    "tf.math.square(tf.constant([3.]))",
    "tf.math.sqrt(tf.constant([9.]))",
    "tf.math.exp(tf.constant([0.]))",
    "tf.math.abs(tf.constant([-3.]))",
    "tf.math.pow(tf.constant([2.]), 3.)",
    "tf.math.tanh(tf.constant([0.5]))",
    "tf.math.maximum(tf.constant([1, 4]), 2)",
    "tf.math.greater(tf.constant([1, 4]), 2)",
    "tf.math.reduce_sum(" + M23 + ", axis=0)",
    "tf.math.reduce_mean(" + M23 + ", axis=1)",
    "tf.math.reduce_max(" + M23 + ")",
    "tf.math.reduce_prod(" + M23 + ")",
    "tf.math.reduce_any(tf.constant([False, True]))",
    "tf.math.argmax(" + M23 + ", axis=1)",
    "tf.math.softmax(tf.constant([1., 2.]))",
    "tf.math.cumsum(" + M23 + ", axis=0)",
    "tf.nn.sigmoid(tf.constant([0.]))",
    "tf.math.reduce_logsumexp(tf.constant([0., 0.]))",
    # -- dtypes of operators with Python scalars and NumPy values -------------
    "tf.constant([1., 2.]) + 1",
    "tf.constant([1., 2.], tf.float64) + 1",
    "tf.constant([1, 2], tf.int64) * 3",
    "tf.constant([1, 2], tf.uint8) + 200",
    "1 - tf.constant([1, 2])",
    "2.5 * tf.constant([1., 2.])",
    "tf.constant([1., 2.]) * np.array([2., 3.], dtype=np.float32)",
    "np.array([2., 3.], dtype=np.float32) * tf.constant([1., 2.])",
    "tf.constant([1, 2]) + np.array([1, 1], dtype=np.int32)",
    "tf.constant([1., 2.], tf.float64) * np.float64(2.0)",
    "tf.constant([1, 2]) * True",
    "tf.ones([2, 2]).numpy()[0] + tf.constant([1, 2])",
    "tf.constant([1, 2]) + np.array([1.5, 2.5])",
    # -- matmul, tensordot, einsum ---------------------------------------------
    "tf.matmul(" + M23 + ", tf.constant([[1., 0.], [0., 1.], [1., 1.]]))",
    "tf.matmul(" + M23 + ", " + M23 + ", transpose_b=True)",
    "tf.matmul(" + M23 + ", " + M23 + ", transpose_a=True)",
    "tf.linalg.matmul(" + M23 + ", " + M23 + ", adjoint_b=True)",
    "tf.matmul(tf.reshape(tf.range(12.), [2, 2, 3]), tf.reshape(tf.range(12.), [2, 3, 2]))",
    "tf.matmul(tf.reshape(tf.range(12.), [2, 2, 3]), tf.ones([3, 2]))",
    "tf.matmul(tf.ones([1, 2, 3]), tf.ones([4, 3, 2]))",
    "tf.constant([[1., 2.]]) @ tf.constant([[3.], [4.]])",
    "tf.matmul(tf.constant([[1, 2]], tf.int64), tf.constant([[3], [4]], tf.int64))",
    "tf.linalg.matvec(tf.constant([[1., 2.], [3., 4.]]), tf.constant([1., 1.]))",
    "tf.tensordot(" + M23 + ", tf.constant([1., 0., -1.]), axes=1)",
    "tf.tensordot(" + M23 + ", " + M23 + ", axes=[[1], [1]])",
    "tf.tensordot(tf.constant([1., 2.]), tf.constant([3., 4., 5.]), axes=0)",
    "tf.tensordot(" + M23 + ", " + M23 + ", axes=2)",
    "tf.einsum('ij,jk->ik', " + M23 + ", tf.ones([3, 2]))",
    "tf.einsum('ii->', tf.constant([[1., 2.], [3., 4.]]))",
    "tf.einsum('ij->ji', " + M23 + ")",
    "tf.einsum('bij,bjk->bik', tf.ones([2, 2, 3]), tf.ones([2, 3, 1]))",
    "tf.einsum('i,i->', tf.constant([1., 2.]), tf.constant([3., 4.]))",
    "tf.einsum('i,j->ij', tf.constant([1., 2.]), tf.constant([3., 4., 5.]))",
    "tf.einsum('ij->j', " + M23 + ")",
    "tf.einsum('...ij,...jk->...ik', tf.ones([2, 2, 3]), tf.ones([2, 3, 2]))",
    # -- reductions ---------------------------------------------------------
    "tf.reduce_sum(" + M23 + ")",
    "tf.reduce_sum(" + M23 + ", axis=0)",
    "tf.reduce_sum(" + M23 + ", axis=-1)",
    "tf.reduce_sum(" + M23 + ", axis=1, keepdims=True)",
    "tf.reduce_sum(" + M23 + ", axis=[0, 1])",
    "tf.reduce_sum(" + I23 + ")",
    "tf.reduce_sum(tf.constant([1, 2], tf.int8))",
    "tf.reduce_sum(tf.zeros([0, 3]), axis=0)",
    "tf.reduce_mean(" + M23 + ")",
    "tf.reduce_mean(" + M23 + ", axis=0)",
    "tf.reduce_mean(tf.constant([1, 2]))",
    "tf.reduce_mean(tf.constant([[1, 2], [4, 4]]), axis=1)",
    "tf.reduce_max(" + M23 + ")",
    "tf.reduce_max(" + M23 + ", axis=1, keepdims=True)",
    "tf.reduce_min(" + I23 + ", axis=0)",
    "tf.reduce_prod(" + M23 + ", axis=1)",
    "tf.reduce_prod(" + I23 + ")",
    "tf.math.reduce_std(" + M23 + ")",
    "tf.math.reduce_std(" + M23 + ", axis=0, keepdims=True)",
    "tf.math.reduce_variance(" + M23 + ", axis=1)",
    "tf.reduce_logsumexp(" + M23 + ", axis=1)",
    "tf.reduce_logsumexp(tf.constant([1000., 1000.]))",
    "tf.reduce_any(tf.constant([[True, False], [False, False]]), axis=1)",
    "tf.reduce_all(tf.constant([[True, False], [True, True]]), axis=0)",
    "tf.reduce_any(tf.constant([False, False]))",
    "tf.math.reduce_euclidean_norm(tf.constant([3., 4.]))",
    "tf.argmax(" + M23 + ", axis=1)",
    "tf.argmax(tf.constant([1, 3, 3, 2]))",
    "tf.argmin(" + M23 + ")",
    "tf.argmax(tf.constant([1., 5., 2.]), output_type=tf.int32)",
    "tf.math.cumsum(tf.constant([1, 2, 3]))",
    "tf.cumsum(tf.constant([1., 2., 3.]), exclusive=True)",
    "tf.cumsum(tf.constant([1., 2., 3.]), reverse=True)",
    "tf.cumsum(tf.constant([1., 2., 3.]), exclusive=True, reverse=True)",
    "tf.cumsum(" + M23 + ", axis=1)",
    "tf.math.cumprod(tf.constant([1., 2., 3.]))",
    "tf.math.cumprod(tf.constant([1., 2., 3.]), exclusive=True)",
    "tf.math.cumprod(tf.constant([1, 2, 3]), reverse=True)",
    "tf.math.top_k(tf.constant([1., 3., 2., 5.]), k=2)",
    "tf.math.top_k(tf.constant([[1, 3, 2], [6, 5, 4]]), k=1)",
    "tf.math.top_k(tf.constant([2., 2., 1.]), k=2)",
    "tf.sort(tf.constant([3, 1, 2]))",
    "tf.sort(tf.constant([[3., 1.], [2., 5.]]), axis=0, direction='DESCENDING')",
    "tf.argsort(tf.constant([3., 1., 2.]))",
    "tf.argsort(tf.constant([3., 1., 2.]), direction='DESCENDING')",
    "tf.math.count_nonzero(tf.constant([[0, 1], [2, 0]]))",
    "tf.math.count_nonzero(tf.constant([[0., 1.], [2., 3.]]), axis=1)",
    "tf.math.count_nonzero(tf.constant([True, False, True]))",
    # -- comparisons, logic, nan/inf -------------------------------------------
    "tf.equal(tf.constant([1, 2, 3]), 2)",
    "tf.not_equal(tf.constant([1., 2.]), tf.constant([1., 3.]))",
    "tf.less(tf.constant([1, 5]), tf.constant([[2], [6]]))",
    "tf.less_equal(tf.constant([1, 2]), 1)",
    "tf.greater_equal(tf.constant([1., 2.]), 2.)",
    "tf.constant([1, 2, 3]) >= 2",
    "tf.constant([1., 2.]) < tf.constant([2., 2.])",
    "tf.logical_and(tf.constant([True, True]), tf.constant([True, False]))",
    "tf.logical_or(tf.constant([True, False]), False)",
    "tf.logical_not(tf.constant([True, False]))",
    "tf.math.logical_xor(tf.constant([True, False]), tf.constant([True, True]))",
    "tf.constant([True, False]) & tf.constant([True, True])",
    "tf.constant([True, False]) | tf.constant([False, False])",
    "tf.constant([True, False]) ^ tf.constant([True, True])",
    "~tf.constant([True, False])",
    "tf.math.is_nan(tf.constant([1., np.nan, np.inf]))",
    "tf.math.is_inf(tf.constant([1., np.nan, np.inf, -np.inf]))",
    "tf.math.is_finite(tf.constant([1., np.nan, np.inf]))",
    "tf.math.equal(tf.constant([np.nan]), tf.constant([np.nan]))",
    # -- clipping and normalisation --------------------------------------------
    "tf.clip_by_value(tf.constant([-1., 0.5, 3.]), 0., 2.)",
    "tf.clip_by_value(tf.constant([-1, 5, 3]), 0, 4)",
    "tf.clip_by_value(" + M23 + ", tf.constant([2., 2., 2.]), 5.)",
    "tf.clip_by_norm(tf.constant([3., 4.]), 1.0)",
    "tf.clip_by_norm(tf.constant([3., 4.]), 10.0)",
    "tf.clip_by_norm(tf.constant([[3., 4.], [6., 8.]]), 5.0, axes=[1])",
    "tf.clip_by_global_norm([tf.constant([3., 4.]), tf.constant([12.])], 6.5)",
    "tf.linalg.global_norm([tf.constant([3., 4.]), tf.constant([12.])])",
    "tf.math.l2_normalize(tf.constant([3., 4.]))",
    "tf.nn.l2_normalize(tf.constant([[3., 4.], [0., 2.]]), axis=0)",
    "tf.nn.l2_normalize(tf.constant([0., 0.]))",
    # -- linear algebra ----------------------------------------------------------
    "tf.norm(tf.constant([3., 4.]))",
    "tf.norm(" + M23 + ", axis=1)",
    "tf.norm(tf.constant([3., -4.]), ord=1)",
    "tf.norm(tf.constant([3., -4.]), ord=np.inf)",
    "tf.linalg.norm(" + M23 + ", ord='euclidean')",
    "tf.linalg.norm(" + M23 + ", ord='fro', axis=[0, 1])",
    "tf.linalg.norm(tf.constant([[1., 2.], [3., 4.]]), ord=1, axis=[-2, -1])",
    "tf.linalg.inv(tf.constant([[4., 7.], [2., 6.]]))",
    "tf.linalg.inv(tf.constant([[[2., 0.], [0., 4.]], [[1., 1.], [0., 1.]]]))",
    "tf.linalg.det(tf.constant([[4., 7.], [2., 6.]]))",
    "tf.linalg.det(tf.constant([[[2., 0.], [0., 4.]], [[1., 2.], [3., 4.]]]))",
    "tf.linalg.diag_part(tf.constant([[1, 2], [3, 4]]))",
    "tf.linalg.diag(tf.constant([1., 2.]))",
    "tf.linalg.trace(tf.constant([[1., 2.], [3., 4.]]))",
    "tf.linalg.matrix_transpose(tf.ones([2, 1, 3]))",
    "tf.linalg.solve(tf.constant([[2., 0.], [0., 4.]]), tf.constant([[2.], [8.]]))",
    # -- shapes, reshaping, joining --------------------------------------------
    "tf.reshape(tf.range(6), [2, 3])",
    "tf.reshape(tf.range(6), [-1, 2])",
    "tf.reshape(tf.range(6), [3, -1])",
    "tf.reshape(tf.constant([7]), [])",
    "tf.transpose(" + I23 + ")",
    "tf.transpose(" + R234 + ", perm=[2, 0, 1])",
    "tf.transpose(" + R234 + ", [1, 0, 2])",
    "tf.expand_dims(tf.constant([1, 2]), 0)",
    "tf.expand_dims(tf.constant([1, 2]), -1)",
    "tf.expand_dims(tf.constant(5.), axis=0)",
    "tf.squeeze(tf.zeros([1, 2, 1]))",
    "tf.squeeze(tf.zeros([1, 2, 1]), axis=[2])",
    "tf.squeeze(tf.zeros([1, 2, 1]), axis=0)",
    "tf.concat([tf.constant([[1, 2]]), tf.constant([[3, 4]])], 0)",
    "tf.concat([tf.constant([[1, 2]]), tf.constant([[3, 4]])], axis=1)",
    "tf.concat([tf.ones([2, 1]), tf.zeros([2, 2])], axis=-1)",
    "tf.stack([tf.constant([1, 2]), tf.constant([3, 4])])",
    "tf.stack([tf.constant([1, 2]), tf.constant([3, 4])], axis=1)",
    "tf.stack([1., 2., 3.])",
    "tf.unstack(" + I23 + ")",
    "tf.unstack(" + I23 + ", axis=1)",
    "tf.split(tf.range(6), 3)",
    "tf.split(" + I23 + ", [1, 2], axis=1)",
    "tf.split(tf.range(6), num_or_size_splits=[2, -1])",
    "tf.tile(tf.constant([[1, 2]]), [2, 1])",
    "tf.tile(tf.constant([1, 2]), [3])",
    "tf.pad(tf.constant([[1, 2], [3, 4]]), [[1, 0], [0, 2]])",
    "tf.pad(tf.constant([[1, 2], [3, 4]]), [[1, 1], [0, 0]], constant_values=9)",
    "tf.pad(tf.constant([[1, 2, 3], [4, 5, 6]]), [[1, 1], [2, 2]], mode='REFLECT')",
    "tf.pad(tf.constant([[1, 2, 3], [4, 5, 6]]), [[1, 1], [2, 2]], mode='SYMMETRIC')",
    "tf.slice(" + I23 + ", [0, 1], [2, 1])",
    "tf.slice(" + I23 + ", [1, 0], [-1, 2])",
    "tf.gather(tf.constant([10, 20, 30]), [2, 0, 2])",
    "tf.gather(" + I23 + ", [2, 0], axis=1)",
    "tf.gather(" + I23 + ", [[1], [0]])",
    "tf.gather(" + I23 + ", [[0, 2], [1, 1]], axis=1, batch_dims=1)",
    "tf.gather_nd(" + I23 + ", [[0, 1], [1, 0]])",
    "tf.gather_nd(" + I23 + ", [[1]])",
    "tf.gather_nd(" + R234 + ", [[0, 1], [1, 2]])",
    "tf.gather_nd(" + I23 + ", [[1], [0]], batch_dims=1)",
    "tf.scatter_nd([[0], [2]], [5, 7], [4])",
    "tf.scatter_nd([[0, 1], [1, 0]], [1., 2.], [2, 2])",
    "tf.scatter_nd([[1], [1]], [1, 2], [3])",
    "tf.scatter_nd([[1]], [[1., 2.]], [2, 2])",
    "tf.tensor_scatter_nd_update(tf.zeros([4]), [[1], [3]], [1., 2.])",
    "tf.tensor_scatter_nd_update(" + I23 + ", [[0]], [[7, 8, 9]])",
    "tf.tensor_scatter_nd_add(tf.ones([4]), [[1], [1]], [1., 2.])",
    "tf.where(tf.constant([True, False, True]))",
    "tf.where(tf.constant([[1, 0], [0, 3]]) > 0)",
    "tf.where(tf.constant([True, False]), tf.constant([1, 2]), tf.constant([10, 20]))",
    "tf.where(tf.constant([[True], [False]]), tf.constant([1., 2.]), 0.)",
    "tf.boolean_mask(tf.constant([1, 2, 3]), [True, False, True])",
    "tf.boolean_mask(" + I23 + ", [False, True])",
    "tf.boolean_mask(" + I23 + ", [True, False, True], axis=1)",
    "tf.reverse(" + I23 + ", [0])",
    "tf.reverse(" + I23 + ", axis=[-1])",
    "tf.reverse(" + I23 + ", [0, 1])",
    "tf.shape(" + I23 + ")",
    "tf.shape(tf.zeros([2, 0, 3]), out_type=tf.int64)",
    "tf.size(" + I23 + ")",
    "tf.rank(" + R234 + ")",
    "tf.rank(tf.constant(1.))",
    "tf.constant([[1, 2]]).shape",
    "tf.zeros([2, 3]).shape.as_list()",
    "tf.broadcast_to(tf.constant([1, 2]), [3, 2])",
    "tf.broadcast_to(tf.constant([[1.], [2.]]), [2, 3])",
    "tf.repeat(tf.constant([1, 2]), 2)",
    "tf.repeat(tf.constant([[1, 2], [3, 4]]), [1, 2], axis=0)",
    "tf.repeat(tf.constant([[1, 2], [3, 4]]), 2, axis=1)",
    "tf.sequence_mask([1, 3], 4)",
    "tf.sequence_mask([1, 3, 2])",
    "tf.sequence_mask([[1], [2]], 3, dtype=tf.float32)",
    "tf.meshgrid(tf.constant([1, 2]), tf.constant([3, 4, 5]))",
    "tf.meshgrid(tf.constant([1, 2]), tf.constant([3, 4, 5]), indexing='ij')",
    "tf.unique(tf.constant([1, 2, 1, 3, 2]))",
    "tf.unique(tf.constant([3., 3.]))",
    # -- indexing --------------------------------------------------------------------
    R234 + "[0]",
    R234 + "[-1]",
    R234 + "[0, 1]",
    R234 + "[1, 2, 3]",
    R234 + "[:, 1]",
    R234 + "[..., 1]",
    R234 + "[..., ::2]",
    R234 + "[:, ::-1]",
    R234 + "[:, tf.newaxis]",
    R234 + "[None]",
    R234 + "[1:, -2:]",
    R234 + "[0, :, 1:3]",
    R234 + "[::2, ::-1, 1]",
    R234 + "[tf.newaxis, ..., 0]",
    R234 + "[0][1][2]",
    R234 + "[:, 5:]",
    R234 + "[1, ..., tf.newaxis]",
    "tf.range(10)[::3]",
    "tf.range(10)[-3:]",
    "tf.range(10)[8:2:-2]",
    "tf.range(10)[::-1]",
    "tf.range(5)[tf.constant(2)]",
    "tf.range(5)[1:tf.constant(3)]",
    "tf.constant(5.)[tf.newaxis]",
    # -- neural-network ops --------------------------------------------------------
    "tf.nn.relu(" + ACT + ")",
    "tf.nn.relu(tf.constant([-2, 3]))",
    "tf.nn.relu6(tf.constant([-1., 3., 7.]))",
    "tf.nn.leaky_relu(" + ACT + ")",
    "tf.nn.leaky_relu(" + ACT + ", alpha=0.1)",
    "tf.nn.elu(" + ACT + ")",
    "tf.nn.selu(" + ACT + ")",
    "tf.nn.gelu(" + ACT + ")",
    "tf.nn.gelu(" + ACT + ", approximate=True)",
    "tf.nn.silu(" + ACT + ")",
    "tf.nn.swish(" + ACT + ")",
    "tf.nn.softplus(" + ACT + ")",
    "tf.nn.softsign(" + ACT + ")",
    "tf.nn.sigmoid(" + ACT + ")",
    "tf.sigmoid(" + ACT + ")",
    "tf.nn.tanh(" + ACT + ")",
    "tf.nn.softmax(tf.constant([[1., 2., 3.]]))",
    "tf.nn.softmax(tf.constant([[1., 2.], [3., 5.]]), axis=0)",
    "tf.nn.softmax(tf.constant([1000., 1001.]))",
    "tf.nn.log_softmax(tf.constant([[1., 2., 3.]]))",
    "tf.nn.log_softmax(tf.constant([1000., 0.]))",
    "tf.nn.bias_add(" + M23 + ", tf.constant([1., 0., -1.]))",
    "tf.nn.moments(" + M23 + ", axes=[0])",
    "tf.nn.moments(" + M23 + ", axes=[0, 1], keepdims=True)",
    "tf.nn.batch_normalization(" + M23 + ", tf.constant([2.5, 3.5, 4.5]), "
    "tf.constant([2.25, 2.25, 2.25]), tf.constant([0., 1., 0.]), tf.constant([1., 1., 2.]), "
    "1e-3)",
    "tf.nn.batch_normalization(" + M23 + ", 3.5, 2.9, None, None, 1e-5)",
    "tf.nn.l2_loss(tf.constant([1., 2., 3.]))",
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([[0., 1., 0.], "
    "[0.5, 0.5, 0.]]), logits=tf.constant([[1., 2., 3.], [1., 1., 1.]]))",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1, 2]), "
    "logits=tf.constant([[1., 2., 3.], [1., 1., 1.]]))",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([0., 1., 1.]), "
    "logits=tf.constant([-2., 0.5, 100.]))",
    # -- Variables -------------------------------------------------------------------
    "tf.convert_to_tensor(tf.Variable([[1., 2.]]))",
    "tf.Variable(3, dtype=tf.float32).dtype.name",
    "updated([1., 2.], 'assign', [5., 6.])",
    "updated([1., 2.], 'assign_add', [1., 1.])",
    "updated(1.0, 'assign_sub', 0.5)",
    "updated(1.0, 'assign', 3)",
    "tf.Variable([1., 2.]) * 2",
    "tf.Variable([[1., 2.]]) @ tf.constant([[1.], [1.]])",
    "tf.Variable([1, 2])[1]",
    # -- reprs and strs -------------------------------------------------------------
    "repr(tf.constant(1))",
    "repr(tf.constant(2.5))",
    "repr(tf.constant([1., 2.]))",
    "repr(tf.constant([[1, 2], [3, 4]]))",
    "repr(tf.constant(True))",
    "repr(tf.constant([True, False]))",
    "repr(tf.constant([1, 2], tf.int64))",
    "repr(tf.constant(np.float64(1.5)))",
    "repr(tf.zeros([0]))",
    "repr(tf.zeros([2, 0]))",
    "repr(tf.constant('hi'))",
    "str(tf.constant([[1, 2], [3, 4]]))",
    "str(tf.constant(3.0))",
    "str(tf.constant([1.5, 2.25]))",
    "repr(tf.Variable(1.0))",
    "repr(tf.Variable([[1, 2]]))",
    "repr(tf.float32)",
    "repr(tf.constant([[1, 2]]).shape)",
    "str(tf.TensorShape([None, 3]))",
    "repr(tf.TensorShape([None, 3]))",
    "repr(tf.TensorShape(None))",
    "tf.constant([1., 2.]).numpy().dtype.name",
    "tf.constant(2.5).numpy().dtype.name",
    "tf.constant([1.5]).dtype.name",
    "float(tf.constant(2.5))",
    "int(tf.constant(7))",
    "len(tf.zeros([3, 2]))",
    # -- gradients (GradientTape) -----------------------------------------------------
    "grad(lambda x: tf.pow(x, 2.0), 3.0)",
    "grad(lambda x, y: tf.pow(x, 2.0) * 3.0 + y, 4.0, 2.0)",
    "grad(lambda x: tf.pow(x, 3.0), 4.0)",
    "grad(lambda x, y: x * 2.0, 1.0, 1.0)",
    "var_grad(3.0, lambda v: v * v)",
    "var_grad([1., 2.], lambda v: tf.reduce_sum(tf.exp(v)))",
    "grad(lambda x: tf.reduce_sum(tf.square(x)), [1., 2.])",
    "grad(lambda a, b: tf.reduce_sum(tf.matmul(a, b)), [[1., 2.], [3., 4.]], [[1., 0.], [2., 1.]])",
    "grad(lambda a, b: tf.reduce_sum(tf.matmul(a, b, transpose_b=True)), [[1., 2.]], [[3., 4.]])",
    "grad(lambda a, b: tf.reduce_sum(a + b), [[1., 2.], [3., 4.]], [10., 20.])",
    "grad(lambda a, b: tf.reduce_sum(a * b), [[1., 2.], [3., 4.]], [[10.], [20.]])",
    "grad(lambda a, b: tf.reduce_sum(a / b), [1., 2.], [4., 8.])",
    "grad(lambda a, b: tf.reduce_sum(a - b), [1., 2.], 3.)",
    "grad(lambda x: tf.reduce_sum(tf.nn.sigmoid(x)), [-1., 0., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.tanh(x)), [-1., 0., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.relu(x)), [-1., 0.5, 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.softmax(x) * [1., 2., 3.]), [1., 2., 3.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.log_softmax(x) * [1., 0., 0.]), [1., 2., 3.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.softplus(x)), [-1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.elu(x)), [-1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.selu(x)), [-1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.leaky_relu(x)), [-1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.gelu(x)), [-1., 0.5])",
    "grad(lambda x: tf.reduce_sum(tf.nn.gelu(x, approximate=True)), [-1., 0.5])",
    "grad(lambda x: tf.reduce_sum(tf.nn.silu(x)), [-1., 0.5])",
    "grad(lambda x: tf.reduce_sum(tf.nn.softsign(x)), [-1., 0.5])",
    "grad(lambda x: tf.reduce_sum(tf.nn.relu6(x)), [-1., 3., 7.])",
    "grad(lambda x: tf.reduce_sum(tf.exp(x) + tf.math.log(x)), [1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.sqrt(x)), [1., 4.])",
    "grad(lambda x: tf.reduce_sum(tf.abs(x)), [-1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.sin(x) * tf.cos(x)), [0.5, 1.])",
    "grad(lambda x, y: tf.reduce_sum(tf.maximum(x, y)), [1., 5.], [3., 2.])",
    "grad(lambda x, y: tf.reduce_sum(tf.minimum(x, y)), [1., 5.], [3., 2.])",
    "grad(lambda x: tf.reduce_mean(x), [[1., 2.], [3., 4.]])",
    "grad(lambda x: tf.reduce_mean(x, axis=0), [[1., 2.], [3., 4.]])",
    "grad(lambda x: tf.reduce_max(x), [1., 5., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.reduce_max(x, axis=1)), [[1., 5.], [4., 2.]])",
    "grad(lambda x: tf.reduce_prod(x), [2., 3., 4.])",
    "grad(lambda x: tf.reduce_logsumexp(x), [1., 2., 3.])",
    "grad(lambda x: tf.math.reduce_std(x), [1., 2., 4.])",
    "grad(lambda x: tf.reduce_sum(tf.cumsum(x) * [1., 2., 3.]), [1., 1., 1.])",
    "grad(lambda x: tf.reduce_sum(tf.transpose(x) * [[1., 2.], [3., 4.]]), [[1., 1.], [1., 1.]])",
    "grad(lambda x: tf.reduce_sum(tf.reshape(x, [4]) * [1., 2., 3., 4.]), [[0., 0.], [0., 0.]])",
    "grad(lambda a, b: tf.reduce_sum(tf.concat([a, b], 0) * [1., 2., 3.]), [0.], [0., 0.])",
    "grad(lambda a, b: tf.reduce_sum(tf.stack([a, b]) * [[1.], [2.]]), [0., 0.], [0., 0.])",
    "grad(lambda x: tf.reduce_sum(tf.gather(x, [0, 2, 0])), [1., 2., 3.])",
    "grad(lambda x: tf.reduce_sum(tf.gather_nd(x, [[0, 1], [1, 0]])), [[1., 2.], [3., 4.]])",
    "grad(lambda x: tf.reduce_sum(tf.tile(x, [3])), [1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.pad(x, [[1, 1]]) * [1., 2., 3., 4.]), [0., 0.])",
    "grad(lambda x: tf.reduce_sum(x[1:, ::2]), tf.ones([3, 3]))",
    "grad(lambda x: tf.reduce_sum(x[..., 0] * 2.), tf.ones([2, 2]))",
    "grad(lambda x, y: tf.reduce_sum(tf.where([True, False], x, y)), [1., 2.], [3., 4.])",
    "grad(lambda x: tf.reduce_sum(tf.clip_by_value(x, 0., 1.)), [-1., 0.5, 2.])",
    "grad(lambda x: tf.norm(x), [3., 4.])",
    "grad(lambda x: tf.reduce_sum(tf.math.l2_normalize(x) * [1., 0.]), [3., 4.])",
    "grad(lambda x: tf.einsum('ij,j->', x, tf.constant([1., 2.])), [[1., 1.], [1., 1.]])",
    "grad(lambda a, b: tf.tensordot(a, b, axes=1), [1., 2.], [3., 4.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits("
    "labels=[0., 1.], logits=x)), [0.5, -1.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits("
    "labels=[[0., 1., 0.]], logits=x)), [[1., 2., 3.]])",
    "grad(lambda x: tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits("
    "labels=[2], logits=x)), [[1., 2., 3.]])",
    "grad(lambda x: tf.reduce_sum(tf.nn.moments(x, axes=[0])[1]), [1., 2., 4.])",
    "grad(lambda x: tf.nn.l2_loss(x), [1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.nn.bias_add(x, [1., 2.]) ** 2), [[1., 1.]])",
    "grad(lambda x: tf.reduce_sum(tf.cast(x, tf.float64) * 2.), [1., 2.])",
    "grad(lambda x: tf.reduce_sum(tf.linalg.inv(x)), [[4., 7.], [2., 6.]])",
    "grad(lambda x: tf.linalg.det(x), [[4., 7.], [2., 6.]])",
    "grad(lambda x: tf.reduce_sum(tf.math.xlogy(x, 2.)), [1., 3.])",
    "grad(lambda x: tf.reduce_sum(tf.math.divide_no_nan(1., x)), [2., 0.])",
    "grad(lambda x: tf.reduce_sum(tf.math.erf(x)), [0.5])",
    "grad(lambda x: tf.reduce_sum(x * x), tf.constant([1., 2.], tf.float64))",
    "grad(lambda x: tf.reduce_sum(tf.matmul(x, x)), tf.constant([[1., 2.], [3., 4.]], tf.float64))",
    "grad2(lambda x: x ** 3, 2.0)",
    "grad2(lambda x: tf.sin(x), 1.0)",
    "grad2(lambda x: tf.nn.sigmoid(x), 0.5)",
    "grad2(lambda x: tf.tanh(x), 0.5)",
    "grad2(lambda x: tf.exp(x) * x, 1.0)",
    "grad2(lambda x: tf.nn.softplus(x), 1.0)",
]

ERRORS = [
    "tf.constant([1.0]) + tf.constant([1.0], tf.float64)",
    "tf.constant(1) + tf.constant(1.0)",
    "tf.add(tf.constant([1]), tf.constant([1.5]))",
    "tf.matmul(tf.constant([[1, 2]]), tf.constant([[1.], [2.]]))",
    "tf.multiply(tf.constant([1, 2]), tf.constant([1, 2], tf.int64))",
    "tf.constant([1, 2]) + 1.5",
    "tf.constant([1, 2]) * 2.0",
    "tf.constant([1, 2]) + tf.constant([1, 2, 3])",
    "tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))",
    "tf.reshape(tf.range(6), [4, 2])",
    "tf.reshape(tf.range(6), [-1, -1])",
    "tf.math.log(tf.constant([1, 2]))",
    "tf.sqrt(tf.constant(4))",
    "tf.nn.softmax(tf.constant([1, 2]))",
    "tf.constant([1.5], dtype=tf.int32)",
    "tf.constant([[1, 2], [3]])",
    "tf.constant(None)",
    "tf.concat([tf.ones([2, 1]), tf.ones([3, 2])], axis=1)",
    "tf.concat([tf.ones([2]), tf.ones([2], tf.int32)], 0)",
    "tf.stack([tf.ones([2]), tf.ones([3])])",
    "tf.squeeze(tf.zeros([1, 2]), axis=1)",
    "tf.gather(tf.constant([1, 2, 3]), [5])",
    "tf.transpose(tf.ones([2, 3]), perm=[0, 0])",
    "tf.range(0, 1, 0)",
    "tf.reduce_sum(tf.constant([1., 2.]), axis=1)",
    "tf.split(tf.range(5), 2)",
    "tf.linalg.inv(tf.constant([[1., 2.], [2., 4.]]))",
    "tf.tile(tf.ones([2, 2]), [2])",
    "tf.broadcast_to(tf.constant([1, 2, 3]), [2, 2])",
    "tf.constant([1, 2])[5]",
    "tf.zeros([2])[0, 0]",
    "tf.pad(tf.ones([2, 2]), [[3, 3], [0, 0]], mode='REFLECT')",
    "tf.math.floordiv(tf.constant([1]), tf.constant([0]))",
    "tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([2, 3]), logits=tf.ones([2, 4]))",
    "tf.Variable(1.0).assign(tf.constant([1.0, 2.0]))",
    "tf.Variable(1.0).assign_add(tf.constant(1, tf.int32))",
    "tf.one_hot(tf.constant([0.5]), 2)",
    "tf.cast(tf.constant([1, 2]), 'notatype')",
    "bool(tf.constant([1, 2]))",
    "hash(tf.constant(1))",
    "len(tf.constant(1))",
    "tf.constant([1., 2.]).name",
    "tf.zeros([-1])",
    "tf.reduce_sum(tf.constant([True, False]))",
    "tf.constant([1, 2]) + 'a'",
    "tf.matmul(tf.ones([3]), tf.ones([3]))",
]

SPECS = [
    "tf.random.uniform([2, 3])",
    "tf.random.uniform([2], maxval=10, dtype=tf.int32)",
    "tf.random.uniform([3], minval=-1., maxval=1., dtype=tf.float64)",
    "tf.random.normal([3])",
    "tf.random.normal([2, 2], mean=1., stddev=2., dtype=tf.float64)",
    "tf.random.truncated_normal([2, 2], stddev=0.1)",
    "tf.random.shuffle(tf.range(5))",
    "tf.random.categorical(tf.math.log([[0.5, 0.5]]), 4)",
    "tf.random.uniform([])",
]

# Properties of random draws that hold for every draw, so values can be compared.
VALUES += [
    "(lambda r: tf.reduce_all((r >= 0.) & (r < 1.)))(tf.random.uniform([1000]))",
    "(lambda r: tf.reduce_all((r >= 3) & (r < 7)))"
    "(tf.random.uniform([1000], 3, 7, dtype=tf.int32))",
    "(lambda r: tf.reduce_all(tf.abs(r) <= 0.2))(tf.random.truncated_normal([1000], stddev=0.1))",
    "tf.sort(tf.random.shuffle(tf.range(6)))",
    "tf.random.categorical(tf.math.log([[0., 1.]]), 5)",
]


def encode(value):
    """A JSON form of an expression's result that ``test_tf_reference`` can compare."""
    if value is None:
        return {"none": True}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, (bool, int, float)):
        return {"py": value, "type": type(value).__name__}
    if isinstance(value, (list, tuple)):
        return {"seq": [encode(v) for v in value]}
    if type(value).__name__ == "TensorShape":
        return {"tensor_shape": None if value.rank is None else value.as_list()}
    if hasattr(value, "dtype") and hasattr(value, "shape") and hasattr(value, "numpy"):
        arr = np.asarray(value.numpy())
        return {"value": arr.tolist(), "dtype": value.dtype.name, "shape": list(arr.shape)}
    raise TypeError(f"cannot record a result of type {type(value)}: {value!r}")


def evaluate(expr: str, ns: dict):
    return eval(expr, dict(ns))  # noqa: S307 - the expressions are this file's own table


def record(tf) -> dict:
    ns = namespace(tf)
    cases, problems = [], []
    for expr in VALUES:
        try:
            cases.append({"expr": expr, "kind": "value", "result": encode(evaluate(expr, ns))})
        except Exception as e:  # noqa: BLE001 - reported below, the table must be fixed
            problems.append(f"value case raised {type(e).__name__}: {expr}\n    {e}")
    for expr in ERRORS:
        try:
            evaluate(expr, ns)
        except Exception as e:  # noqa: BLE001 - the class name is what we record
            cases.append({"expr": expr, "kind": "error", "error": type(e).__name__})
        else:
            problems.append(f"error case did not raise: {expr}")
    for expr in SPECS:
        try:
            r = evaluate(expr, ns)
            cases.append(
                {
                    "expr": expr,
                    "kind": "spec",
                    "result": {"dtype": r.dtype.name, "shape": r.shape.as_list()},
                }
            )
        except Exception as e:  # noqa: BLE001
            problems.append(f"spec case raised {type(e).__name__}: {expr}\n    {e}")
    seen = set()
    for case in cases:
        if case["expr"] in seen:
            problems.append(f"duplicate case: {case['expr']}")
        seen.add(case["expr"])
    return {"tensorflow": tf.__version__, "numpy": np.__version__, "cases": cases}, problems


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    data, problems = record(tf)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    # One case per line keeps re-recordings reviewable as diffs.
    lines = [json.dumps(case) for case in data["cases"]]
    FIXTURE.write_text(
        f'{{"tensorflow": {json.dumps(data["tensorflow"])}, "numpy": {json.dumps(data["numpy"])},'
        ' "cases": [\n' + ",\n".join(lines) + "\n]}\n"
    )
    print(f"recorded {len(data['cases'])} cases from TensorFlow {tf.__version__} into {FIXTURE}")
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
