"""``tf.test``: a ``unittest`` TestCase with TF's assertions, gradient checking by finite
differences, and the build queries (no GPU, CUDA, ROCm or XLA in tensorflux).

TF 1's graph-mode helpers (sessions, ``Benchmark.run_op_benchmark``, local clusters)
are not provided.
"""

from __future__ import annotations

import math
import random
import re
import sys
import tempfile
import types
import unittest

import numpy as np

__all__ = [
    "TestCase",
    "compute_gradient",
    "experimental",
    "disable_with_predicate",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "is_cpu_target_available",
    "is_gpu_available",
    "main",
    "with_eager_op_as_function",
]

# TF's DEFAULT_GRAPH_SEED: each test starts from the same random state.
_TEST_SEED = 87654321


def _to_numpy(value):
    """A tensor, variable, sparse or ragged value (or any nest of them) as NumPy."""
    from tensorflux.framework.tensor import Tensor
    from tensorflux.framework.variables import Variable

    if isinstance(value, (Tensor, Variable)):
        return value.numpy()
    to_list = getattr(value, "to_list", None)
    if callable(to_list) and hasattr(value, "flat_values"):
        return value.to_list()
    if hasattr(value, "indices") and hasattr(value, "dense_shape"):
        import tensorflux.sparse as sparse

        return sparse.to_dense(value).numpy()
    if isinstance(value, dict):
        return type(value)((k, _to_numpy(v)) for k, v in value.items())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_to_numpy(v) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v) for v in value)
    return value


def _as_array(value) -> np.ndarray:
    return np.asarray(_to_numpy(value))


def _is_nested(value) -> bool:
    return isinstance(value, (dict, list, tuple)) and not (
        isinstance(value, tuple) and not hasattr(value, "_fields") and _is_flat_numbers(value)
    )


def _is_flat_numbers(value) -> bool:
    return all(isinstance(v, (int, float, complex, bool, np.generic)) for v in value)


class TestCase(unittest.TestCase):
    """A ``unittest.TestCase`` with TF's assertions on tensors and nested structures.

    Each test starts with Python's, NumPy's and tensorflux's global seeds set to the
    same value, as TF's TestCase does.

    >>> import os, unittest, tensorflux as tf
    >>> class Squares(tf.test.TestCase):
    ...     def test_square(self):
    ...         self.assertAllClose(tf.square([1.0, 2.0]), [1.0, 4.0])
    >>> result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(
    ...     unittest.defaultTestLoader.loadTestsFromTestCase(Squares))
    >>> result.wasSuccessful()
    True
    """

    def setUp(self):
        super().setUp()
        from tensorflux.ops import random_seed

        random.seed(_TEST_SEED)
        np.random.seed(_TEST_SEED)
        random_seed.set_seed(_TEST_SEED)

    def get_temp_dir(self) -> str:
        """A temporary folder for this test, created on first use."""
        if not getattr(self, "_temp_dir", None):
            self._temp_dir = tempfile.mkdtemp(prefix=f"{self.id().replace('.', '_')}_")
        return self._temp_dir

    def create_tempdir(self) -> str:
        """A new temporary folder."""
        return tempfile.mkdtemp(dir=self.get_temp_dir())

    def evaluate(self, tensors):
        """``tensors`` (any nest of tensors, variables, sparse or ragged tensors) as
        NumPy values."""
        return _to_numpy(tensors)

    def _nested_pairs(self, a, b, path):
        a, b = _to_numpy(a), _to_numpy(b)
        if isinstance(a, dict) or isinstance(b, dict):
            if not (isinstance(a, dict) and isinstance(b, dict)) or set(a) != set(b):
                raise AssertionError(f"mismatched structures at {path or 'top'}: {a!r} vs {b!r}")
            for key in a:
                yield from self._nested_pairs(a[key], b[key], f"{path}[{key!r}]")
            return
        if _is_nested(a) and _is_nested(b) and not _is_flat_numbers(a):
            if len(a) != len(b):
                raise AssertionError(f"mismatched lengths at {path or 'top'}: {len(a)} vs {len(b)}")
            for i, (x, y) in enumerate(zip(a, b)):
                yield from self._nested_pairs(x, y, f"{path}[{i}]")
            return
        yield path, a, b

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """Asserts ``|a - b| <= atol + rtol * |b|`` element-wise, shapes equal, through
        nested lists, tuples, dicts and namedtuples."""
        for path, x, y in self._nested_pairs(a, b, ""):
            x, y = np.asarray(x), np.asarray(y)
            where = f" at {path}" if path else ""
            self.assertEqual(
                x.shape, y.shape, f"Shape mismatch{where}: {x.shape} vs {y.shape}. {msg or ''}"
            )
            if x.dtype == object or y.dtype == object:
                self.assertEqual(x.tolist(), y.tolist(), msg)
                continue
            np.testing.assert_allclose(
                x, y, rtol=rtol, atol=atol, err_msg=f"Not close{where}. {msg or ''}", equal_nan=True
            )

    def assertAllCloseAccordingToType(
        self,
        a,
        b,
        rtol=1e-6,
        atol=1e-6,
        float_rtol=1e-6,
        float_atol=1e-6,
        half_rtol=1e-3,
        half_atol=1e-3,
        bfloat16_rtol=1e-2,
        bfloat16_atol=1e-2,
        msg=None,
    ):
        """``assertAllClose`` with the tolerances widened to the least precise dtype of
        ``a`` and ``b``."""
        names = {_as_array(v).dtype.name for v in (a, b)}
        if "float32" in names or "complex64" in names:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if "float16" in names:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        if "bfloat16" in names:
            rtol, atol = max(rtol, bfloat16_rtol), max(atol, bfloat16_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """Asserts that ``assertAllClose(a, b)`` would fail."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are close at all elements.")

    def assertAllEqual(self, a, b, msg=None):
        """Asserts equal shapes and equal elements."""
        x, y = _as_array(a), _as_array(b)
        self.assertEqual(
            x.shape, y.shape, f"Shape mismatch: expected {x.shape}, got {y.shape}. {msg or ''}"
        )
        if x.dtype.kind == "f" or y.dtype.kind == "f":
            same = np.array_equal(x, y, equal_nan=True)
        else:
            same = np.array_equal(x, y)
        if not same:
            np.testing.assert_array_equal(x, y, err_msg=msg or "")

    def assertNotAllEqual(self, a, b, msg=None):
        """Asserts that at least one element differs."""
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(msg or "Expected unequal inputs but got equal inputs.")

    def _assert_all(self, a, comparison, condition, symbol: str):
        values = _as_array(a)
        failing = ~condition(values, comparison)
        if np.any(failing):
            raise AssertionError(
                f"{values[failing].ravel()[:10].tolist()} are not all {symbol} {comparison}"
            )

    def assertAllGreater(self, a, comparison_target):
        """Asserts every element of ``a`` is greater than ``comparison_target``."""
        self._assert_all(a, comparison_target, np.greater, ">")

    def assertAllGreaterEqual(self, a, comparison_target):
        """Asserts every element of ``a`` is >= ``comparison_target``."""
        self._assert_all(a, comparison_target, np.greater_equal, ">=")

    def assertAllLess(self, a, comparison_target):
        """Asserts every element of ``a`` is less than ``comparison_target``."""
        self._assert_all(a, comparison_target, np.less, "<")

    def assertAllLessEqual(self, a, comparison_target):
        """Asserts every element of ``a`` is <= ``comparison_target``."""
        self._assert_all(a, comparison_target, np.less_equal, "<=")

    def assertAllInRange(
        self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False
    ):
        """Asserts every element of ``target`` lies between the bounds.

        Raises:
            AssertionError: an element outside, or a non-numeric ``target``.
        """
        values = _as_array(target)
        if not np.issubdtype(values.dtype, np.number):
            raise AssertionError(f"The value of {target!r} does not have an ordered numeric type.")
        low = values > lower_bound if open_lower_bound else values >= lower_bound
        high = values < upper_bound if open_upper_bound else values <= upper_bound
        outside = ~(low & high)
        if np.any(outside):
            opening = "(" if open_lower_bound else "["
            closing = ")" if open_upper_bound else "]"
            raise AssertionError(
                f"{np.argwhere(outside).tolist()} of the {values.shape} target are not in "
                f"{opening}{lower_bound}, {upper_bound}{closing}"
            )

    def assertAllInSet(self, target, expected_set):
        """Asserts every element of ``target`` is in ``expected_set``."""
        values = _as_array(target).ravel().tolist()
        extra = set(values) - set(expected_set)
        if extra:
            raise AssertionError(f"{sorted(extra, key=repr)} are not in {expected_set!r}")

    def assertDTypeEqual(self, target, expected_dtype):
        """Asserts ``target``'s elements have ``expected_dtype``."""
        from tensorflux.framework import dtypes

        expected = dtypes.as_dtype(expected_dtype).as_numpy_dtype
        values = target if isinstance(target, list) else [target]
        for value in values:
            self.assertEqual(_as_array(value).dtype, np.dtype(expected))

    def assertNear(self, f1, f2, err, msg=None):
        """Asserts ``|f1 - f2| <= err`` for two floats."""
        self.assertTrue(
            f1 == f2 or math.fabs(f1 - f2) <= err,
            f"{f1} != {f2} +/- {err}{f' ({msg})' if msg else ''}",
        )

    def assertArrayNear(self, farray1, farray2, err, msg=None):
        """Asserts two float lists of the same length are element-wise within ``err``."""
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):
        """Asserts two arrays are element-wise within ``err``."""
        self.assertTrue(np.allclose(ndarray1, ndarray2, atol=err, rtol=0), msg=msg)

    def assertShapeEqual(self, input_a, input_b, msg=None):
        """Asserts a NumPy array and a tensor have the same shape."""
        if not isinstance(input_a, (np.ndarray, np.generic)):
            raise TypeError(
                "input_a must be a Numpy ndarray, Numpy scalar, or a Tensor. Instead "
                f"received {type(input_a)}"
            )
        self.assertEqual(list(np.shape(input_a)), list(input_b.shape), msg=msg)

    def assertStartsWith(self, actual, expected_start, msg=None):
        """Asserts ``actual`` starts with ``expected_start``."""
        if not actual.startswith(expected_start):
            raise AssertionError(msg or f"{actual!r} does not start with {expected_start!r}")

    assertItemsEqual = unittest.TestCase.assertCountEqual

    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):
        """A context asserting an ``exception_type`` whose message matches the regular
        expression, or for which the predicate returns True."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            pattern = expected_err_re_or_predicate

            def predicate(e):
                return re.search(pattern, str(e)) is not None

        return _RaisesWithPredicate(self, exception_type, predicate)

    def assertRaisesOpError(self, expected_err_re_or_predicate):
        """A context asserting a ``tf.errors.OpError`` matching the pattern or predicate."""
        from tensorflux.framework.errors import OpError

        return self.assertRaisesWithPredicateMatch(OpError, expected_err_re_or_predicate)


class _RaisesWithPredicate:
    def __init__(self, case, exception_type, predicate):
        self._case, self._type, self._predicate = case, exception_type, predicate

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            raise AssertionError(f"Exception of type {self._type} not raised")
        if not issubclass(kind, self._type) or not self._predicate(value):
            raise AssertionError(f"Exception of type {kind}: {value}") from value
        return True


def main(argv=None):
    """Runs the tests of ``__main__`` (``unittest.main``), exiting with its status."""
    return unittest.main(argv=sys.argv if argv is None else argv)


def compute_gradient(f, x, delta=None):
    """The theoretical (tape) and numerical (central differences) Jacobians of ``f``
    with respect to each argument in ``x``.

    Args:
        f: a function of the tensors in ``x`` returning one real tensor.
        x: a list or tuple of the arguments (values convertible to tensors).
        delta: the finite-difference step (1/1024 by default, exact in binary).

    Returns:
        ``(theoretical, numerical)``, each a tuple with one ``[y_size, x_size]`` array
        per argument.

    Raises:
        ValueError: ``x`` is not a list or tuple.

    >>> import tensorflux as tf
    >>> theoretical, numerical = tf.test.compute_gradient(lambda v: v * v, [3.0])
    >>> theoretical[0].tolist(), numerical[0].tolist()
    ([[6.0]], [[6.0]])
    """
    from tensorflux.engine.tape import GradientTape
    from tensorflux.framework.tensor import Tensor, convert_to_tensor

    if not isinstance(x, (list, tuple)):
        raise ValueError(
            "`x` must be a list or tuple of values convertible to a Tensor (arguments to "
            f"`f`), not a {type(x)}"
        )
    delta = 1.0 / 1024 if delta is None else delta
    xs = [convert_to_tensor(v) for v in x]
    for i, v in enumerate(xs):
        if not v.dtype.is_floating:
            raise TypeError(
                f"Cannot compute gradient for unsupported type {v.dtype.name} of argument {i}"
            )
    arrays = [np.array(v.numpy()) for v in xs]
    y = f(*xs)
    y_shape, y_dtype = tuple(y.shape), y.dtype
    y_size = int(np.prod(y_shape, dtype=np.int64))
    theoretical, numerical = [], []
    for param, array in enumerate(arrays):
        jacobian_t = np.zeros((y_size, array.size), dtype=array.dtype)
        for row in range(y_size):
            seed = np.zeros(y_size, y_dtype.as_numpy_dtype)
            seed[row] = 1
            inputs = [Tensor(np.array(a), v.dtype) for a, v in zip(arrays, xs)]
            with GradientTape() as tape:
                tape.watch(inputs[param])
                out = f(*inputs)
            grad = tape.gradient(out, inputs[param], output_gradients=seed.reshape(y_shape))
            if grad is not None:
                jacobian_t[row] = np.asarray(convert_to_tensor(grad).numpy()).ravel()
        jacobian_n = np.zeros((y_size, array.size), dtype=array.dtype)
        scale = np.asarray(2 * delta, dtype=y_dtype.as_numpy_dtype)[()]
        for col in range(array.size):
            values = []
            for step in (delta, -delta):
                moved = [np.array(a) for a in arrays]
                moved[param].ravel()[col] += step
                inputs = [Tensor(a, v.dtype) for a, v in zip(moved, xs)]
                values.append(np.asarray(f(*inputs).numpy()))
            jacobian_n[:, col] = ((values[0] - values[1]) / scale).ravel()
        theoretical.append(jacobian_t)
        numerical.append(jacobian_n)
    return tuple(theoretical), tuple(numerical)


def gpu_device_name() -> str:
    """The name of the first visible GPU (``'/device:GPU:0'``), or ``''`` without one."""
    from tensorflux import config

    return "/device:GPU:0" if config.list_logical_devices("GPU") else ""


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None) -> bool:
    """Whether a visible GPU runs graphs (through JAX's GPU plugin), optionally one with
    CUDA compute capability ``(major, minor)`` at least ``min_cuda_compute_capability``."""
    from tensorflux import config

    for gpu in config.get_visible_devices("GPU"):
        details = config.experimental.get_device_details(gpu)
        capability = details.get("compute_capability")
        if cuda_only and capability is None:
            continue
        if min_cuda_compute_capability is None or (
            capability is not None and capability >= tuple(min_cuda_compute_capability)
        ):
            return True
    return False


def _plugin_installed(prefix: str) -> bool:
    """Whether a JAX plugin module ``jax_<prefix>..._plugin`` (``jax_cuda12_plugin``,
    ``jax_rocm7_plugin``) is installed."""
    import pkgutil

    return any(
        m.name.startswith(f"jax_{prefix}") and m.name.endswith("_plugin")
        for m in pkgutil.iter_modules()
    )


def is_built_with_cuda() -> bool:
    """Whether a JAX CUDA plugin (``jax[cuda12]`` or ``jax[cuda13]``) is installed."""
    return _plugin_installed("cuda")


def is_built_with_rocm() -> bool:
    """Whether a JAX ROCm plugin is installed."""
    return _plugin_installed("rocm")


def is_built_with_gpu_support() -> bool:
    """Whether a JAX GPU plugin (CUDA or ROCm) is installed."""
    return is_built_with_cuda() or is_built_with_rocm()


def is_built_with_xla() -> bool:
    """Whether graphs can compile with XLA: JAX (the ``xla`` extra) is installed."""
    from tensorflux.kernels import xla

    return xla.available()


def is_cpu_target_available(target) -> bool:
    """Whether XLA (through JAX, the ``xla`` extra) generates code for the CPU family
    ``target`` names (``"x86"``, ``"aarch64"``, ``"arm"``, ``"ppc"``, ``"s390x"``): the
    host's family, when JAX is installed.

    Raises:
        AssertionError: a target of no family TF knows, as in TF.
    """
    import platform

    from tensorflux.kernels import xla

    families = {
        "arm": ("armv7l", "armv8l"),
        "aarch64": ("aarch64", "arm64"),
        "ppc": ("ppc64le", "ppc64"),
        "powerpc": ("ppc64le", "ppc64"),
        "x86": ("x86_64", "amd64", "i686"),
        "s390x": ("s390x",),
    }
    for prefix, machines in families.items():
        if target.startswith(prefix):
            return xla.available() and platform.machine().lower() in machines
    raise AssertionError(f"Unknown CPU target: {target}")


def _sync_devices() -> None:
    """Blocks until pending work on every device has finished (for timing benchmarks).

    Eager ops run synchronously on the CPU, and a graph run on a GPU returns once its
    outputs are back on the host, so nothing is pending then but JAX's ordered effects,
    which this waits for.

    Raises:
        RuntimeError: called inside a ``tf.function``, as in TF.
    """
    from tensorflux.framework import context

    if context.state.graph is not None:
        raise RuntimeError("sync_devices() must only be called in Eager mode, outside tf.functions")
    if "jax" in sys.modules:
        sys.modules["jax"].effects_barrier()


experimental = types.SimpleNamespace(sync_devices=_sync_devices)


def disable_with_predicate(pred, skip_message):
    """A decorator that skips a test method when ``pred()`` is true."""

    def decorator(func):
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            return func(self, *args, **kwargs)

        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        return wrapper

    return decorator


def with_eager_op_as_function(cls=None, only_as_function=False):
    """Returns ``cls`` unchanged: in TF 2.21 ops already run as functions, so the
    decorator adds no test variants (as TF's)."""
    if cls is None:
        return lambda c: c
    return cls
