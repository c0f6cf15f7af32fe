"""``tf.test``: the TestCase assertions, compute_gradient against TF's recorded
Jacobians (``tests/framework/record_compute_gradient_fixtures.py``), build queries."""

import collections
import importlib.util
import json
import os
import unittest

import numpy as np
import pytest

import tensorflux as tf

with open(
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "compute_gradient.json"),
    encoding="utf-8",
) as _f:
    GRADIENTS = json.load(_f)

FUNCTIONS = {
    "square": lambda x: x * x,
    "sin_times": lambda x, y: tf.sin(x) * y,
    "matmul64": lambda a, b: tf.matmul(a, b),
    "tanh_sum": lambda x: tf.reduce_sum(tf.tanh(x), axis=1),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_compute_gradient_matches_tf(name):
    case = GRADIENTS[name]
    args = [np.array(a, dtype) for a, dtype in zip(case["args"], case["dtypes"])]
    theoretical, numerical = tf.test.compute_gradient(FUNCTIONS[name], args, delta=case["delta"])
    assert theoretical[0].dtype.name == case["theoretical_dtype"]
    for got, want in zip(theoretical, case["theoretical"]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    # A last-ulp difference between two libraries' float32 tanh becomes 1/(2 delta)
    # ulps in a central difference.
    for got, want in zip(numerical, case["numerical"]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_compute_gradient_refuses_a_bare_value():
    with pytest.raises(ValueError, match="list or tuple"):
        tf.test.compute_gradient(lambda x: x, 1.0)


Pair = collections.namedtuple("Pair", ["left", "right"])


class _Assertions(tf.test.TestCase):
    def test_nested_all_close(self):
        self.assertAllClose(
            {"a": tf.constant([1.0, 2.0]), "b": Pair(tf.constant(3.0), [4.0, 5.0])},
            {"a": [1.0, 2.0000001], "b": Pair(3.0, np.array([4.0, 5.0]))},
        )
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0, 2.0], [1.0, 2.1])
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0, 2.0], [[1.0, 2.0]])
        self.assertNotAllClose([1.0], [1.5])
        self.assertAllCloseAccordingToType(np.float16([1.0]), np.float16([1.0005]), float_rtol=1e-6)

    def test_equality_and_ordering(self):
        self.assertAllEqual(tf.constant([[1, 2]]), [[1, 2]])
        with self.assertRaises(AssertionError):
            self.assertAllEqual([1, 2], [[1, 2]])
        self.assertNotAllEqual([1, 2], [1, 3])
        self.assertAllGreater(tf.constant([2, 3]), 1)
        self.assertAllLessEqual([1, 2], 2)
        self.assertAllInRange([0.0, 1.0], 0.0, 1.0)
        with self.assertRaises(AssertionError):
            self.assertAllInRange([0.0, 1.0], 0.0, 1.0, open_upper_bound=True)
        self.assertAllInSet(tf.constant([1, 2, 2]), {1, 2})
        self.assertDTypeEqual(tf.constant([1.0]), tf.float32)
        self.assertNear(1.0, 1.05, 0.1)
        self.assertArrayNear([1.0, 2.0], [1.0, 2.01], 0.1)
        self.assertShapeEqual(np.zeros((2, 3)), tf.zeros([2, 3]))
        self.assertStartsWith("tensorflux", "tensor")

    def test_op_errors_and_predicates(self):
        with self.assertRaisesOpError("shapes"):
            tf.add(tf.ones([2]), tf.ones([3]))
        with self.assertRaisesWithPredicateMatch(ValueError, lambda e: "bad" in str(e)):
            raise ValueError("bad value")

    def test_evaluate_and_temp_dir(self):
        values = self.evaluate({"x": tf.constant([1, 2]), "v": tf.Variable(3.0)})
        assert values["x"].tolist() == [1, 2] and values["v"] == 3.0
        assert os.path.isdir(self.get_temp_dir())

    def test_seeds_are_reset_for_each_test(self):
        first = tf.random.uniform([2]).numpy()
        self.setUp()
        np.testing.assert_array_equal(first, tf.random.uniform([2]).numpy())


def test_test_case_methods_pass_and_fail_as_unittest_reports():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(_Assertions)
    with open(os.devnull, "w") as sink:
        result = unittest.TextTestRunner(stream=sink).run(suite)
    assert result.testsRun == 5
    assert result.wasSuccessful(), result.failures + result.errors


def test_build_queries_report_a_cpu_only_build():
    assert tf.test.gpu_device_name() == ""
    assert not tf.test.is_gpu_available()
    assert not tf.test.is_built_with_cuda()
    assert not tf.test.is_built_with_gpu_support()
    assert not tf.test.is_built_with_rocm()
    # XLA comes with JAX (the xla extra).
    assert tf.test.is_built_with_xla() == (importlib.util.find_spec("jax") is not None)
    with pytest.raises(AssertionError, match="Unknown CPU target: X86"):
        tf.test.is_cpu_target_available("X86")
    assert tf.test.with_eager_op_as_function(_Assertions) is _Assertions


def test_disable_with_predicate_skips():
    class Skipped(tf.test.TestCase):
        @tf.test.disable_with_predicate(lambda: True, "not on this machine")
        def test_never(self):
            raise AssertionError("ran")

    with open(os.devnull, "w") as sink:
        result = unittest.TextTestRunner(stream=sink).run(
            unittest.defaultTestLoader.loadTestsFromTestCase(Skipped)
        )
    assert len(result.skipped) == 1 and result.wasSuccessful()


def test_sync_devices_runs_eagerly_only():
    assert tf.test.experimental.sync_devices() is None

    @tf.function
    def inside():
        tf.test.experimental.sync_devices()
        return tf.constant(1)

    with pytest.raises(RuntimeError, match="must only be called in Eager mode"):
        inside()
