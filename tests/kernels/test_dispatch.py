"""Kernel backends under the registry: attaching to ops registered before or after the
backend, choosing per call, falling back, the forcing switch, and tf.function graphs."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import kernels
from tensorflux.engine import registry
from tensorflux.engine.registry import execute, register


@pytest.fixture
def scratch():
    """Registers test ops and backend kernels, and removes them afterwards."""
    made = []

    def op(name, kernel):
        made.append(name)
        return register(name, kernel=kernel, grad=None, infer=lambda x, **attrs: x)

    yield op
    for name in made:
        registry._REGISTRY.pop(name, None)
        kernels._kernels.pop(name, None)
    kernels.set_kernel_backend("auto")


def _reference(x, *, scale=2.0):
    return x * np.float32(scale)


class _Fast:
    """A fake backend kernel that counts its calls and may refuse a case."""

    def __init__(self, available=True, refuse=False):
        self.calls = 0
        self.refuse = refuse
        self.backend = kernels.Backend("fake", lambda: available)

    def supports(self, x, *, scale=2.0):
        return x.dtype == np.float32

    def kernel(self, x, *, scale=2.0):
        if self.refuse:
            raise kernels.Unsupported("not this one")
        self.calls += 1
        return (x * np.float32(scale)).astype(np.float32)

    def register(self, name):
        kernels.register_kernel(name, self.backend, supports=self.supports, kernel=self.kernel)


def test_backend_kernel_attaches_to_an_op_registered_later(scratch):
    fast = _Fast()
    fast.register("TestLaterOp")
    op = scratch("TestLaterOp", _reference)
    out = execute(op, (tf.constant([1.0, 2.0]),), {"scale": 3.0})
    assert out.numpy().tolist() == [3.0, 6.0] and fast.calls == 1
    assert kernels.reference_kernel("TestLaterOp") is _reference
    assert tf.config.experimental.get_op_kernel_backend("TestLaterOp") == "fake"


def test_backend_kernel_attaches_to_an_op_registered_earlier(scratch):
    op = scratch("TestEarlierOp", _reference)
    fast = _Fast()
    fast.register("TestEarlierOp")
    execute(op, (tf.constant([1.0]),))
    assert fast.calls == 1


def test_unsupported_dtype_runs_the_reference_kernel(scratch):
    op = scratch("TestDtypeOp", _reference)
    fast = _Fast()
    fast.register("TestDtypeOp")
    out = execute(op, (tf.constant([1.0], tf.float64),))
    assert out.dtype == tf.float64 and fast.calls == 0


def test_refusal_and_missing_library_fall_back_to_the_reference(scratch):
    op = scratch("TestFallbackOp", _reference)
    refusing = _Fast(refuse=True)
    refusing.register("TestFallbackOp")
    assert execute(op, (tf.constant([2.0]),)).numpy().tolist() == [4.0]
    op2 = scratch("TestNoLibraryOp", _reference)
    missing = _Fast(available=False)
    missing.register("TestNoLibraryOp")
    assert execute(op2, (tf.constant([2.0]),)).numpy().tolist() == [4.0]
    assert missing.calls == 0
    assert tf.config.experimental.get_op_kernel_backend("TestNoLibraryOp") == "reference"


def test_forcing_the_reference_kernels_applies_to_traced_functions(scratch):
    op = scratch("TestSwitchOp", _reference)
    fast = _Fast()
    fast.register("TestSwitchOp")

    @tf.function
    def f(x):
        return execute(op, (x,))

    x = tf.constant([1.0, 2.0])
    f(x)
    traced = fast.calls
    f(x)
    assert fast.calls == traced + 1  # the compiled graph calls the backend kernel
    tf.config.experimental.set_kernel_backend("reference")
    assert tf.config.experimental.get_kernel_backend() == "reference"
    assert tf.config.experimental.get_op_kernel_backend("TestSwitchOp") == "reference"
    assert f(x).numpy().tolist() == [2.0, 4.0]
    execute(op, (x,))
    assert fast.calls == traced + 1
    tf.config.experimental.set_kernel_backend("auto")
    f(x)
    assert fast.calls == traced + 2


def test_ops_without_backend_kernels_keep_their_kernel():
    assert registry.get("AddV2").kernel is kernels.reference_kernel("AddV2")
    assert tf.config.experimental.get_op_kernel_backend("AddV2") == "reference"


def test_bad_arguments():
    with pytest.raises(ValueError, match="'auto' or 'reference'"):
        tf.config.experimental.set_kernel_backend("fast")
    with pytest.raises(KeyError, match="NoSuchOp"):
        tf.config.experimental.get_op_kernel_backend("NoSuchOp")


def _run(code, **env):
    full = dict(os.environ, **env)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# A Conv2D with a NumPy kernel, for a process where no conv module registered one.
_CONV2D_IF_MISSING = """
    import numpy as np
    import tensorflux as tf
    from tensorflux.engine import registry
    from tests.kernels import numpy_reference as ref

    if "Conv2D" not in registry.registered_ops():
        def _conv2d(x, w, *, strides, padding, explicit_paddings=(), data_format="NHWC",
                    dilations=None):
            return ref.conv(x, w, strides, padding, explicit_paddings,
                            dilations).astype(x.dtype)
        registry.register("Conv2D", kernel=_conv2d, grad=None, infer=lambda x, w, **a: x)
    conv2d = registry.get("Conv2D")
    x = np.random.default_rng(0).standard_normal((1, 5, 5, 2)).astype(np.float32)
    w = np.ones((3, 3, 2, 1), np.float32)
    attrs = {"strides": [1, 1, 1, 1], "padding": "SAME", "explicit_paddings": [],
             "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    y = registry.execute(conv2d, (x, w), attrs).numpy()
    expected = ref.conv(x, w, attrs["strides"], "SAME")
    assert np.allclose(y, expected, atol=1e-4), np.abs(y - expected).max()
    loaded = any("dnnl" in line for line in open("/proc/self/maps"))
    print(tf.config.experimental.get_op_kernel_backend("Conv2D"), loaded)
"""

_linux_x86 = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and os.uname().machine == "x86_64"),
    reason="the oneDNN backend is installed on Linux x86-64 only",
)


@_linux_x86
def test_conv2d_uses_onednn_when_the_library_loads():
    assert _run(_CONV2D_IF_MISSING) == "onednn True"


@_linux_x86
def test_a_library_that_cannot_load_leaves_the_reference_kernels():
    out = _run(_CONV2D_IF_MISSING, TENSORFLUX_ONEDNN_LIBRARY="/nonexistent/libdnnl.so.3")
    assert out == "reference False"


@_linux_x86
def test_environment_variable_forces_the_reference_kernels():
    assert _run(_CONV2D_IF_MISSING, TENSORFLUX_KERNELS="reference") == "reference False"


def test_import_does_not_load_the_library():
    code = """
        import sys
        import tensorflux
        print(any("dnnl" in m for m in open("/proc/self/maps")) if sys.platform == "linux"
              else False, "tensorflux.kernels.onednn._library" in sys.modules)
    """
    assert _run(code) == "False False"
