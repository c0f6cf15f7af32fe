"""``import tensorflux`` stays cheap: the namespaces and seldom-used ops load on first use,
and loading late changes nothing a program can see.

Each check that needs a fresh interpreter runs one in a subprocess (no timings: which
modules load is what the tests pin).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import tensorflux as tf

# Loaded on first use, never by ``import tensorflux``.
LAZY_MODULES = [
    "h5py",
    "PIL",
    "tensorflux.keras",
    "tensorflux.data",
    "tensorflux.nn",
    "tensorflux.math",
    "tensorflux.random",
    "tensorflux.strings",
    "tensorflux.linalg",
    "tensorflux.lookup",
    "tensorflux.ragged",
    "tensorflux.ragged.ragged_tensor",
    "tensorflux.autograph",
    "tensorflux.engine.autograph",
    "tensorflux.engine.control_flow",
    "tensorflux.engine.function",
    "tensorflux.engine.tape",
    "tensorflux.engine.graph_gradients",
    "tensorflux.ops.string_ops",
    "tensorflux.ops.fft_ops",
    "tensorflux.ops.functional_ops",
    "tensorflux.ops.random_ops",
    "tensorflux.ops.conv_ops",
    "tensorflux.ops.linalg_ops",
    "tensorflux.ops.segment_reduce_ops",
    "tensorflux.ops.tensor_array",
    "tensorflux.ops.sparse.sparse_tensor",
    "tensorflux.ops.type_specs",
    "tensorflux.engine.gradient_registry",
    "tensorflux.framework.module",
    "tensorflux.config",
    "tensorflux.distribute",
    "mpi4py",
    "logging",
    "jax",
    "tensorflux.kernels.xla",
    "tensorflux.kernels.xla.lowering",
]


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_import_leaves_the_heavy_modules_unloaded():
    code = f"""
        import sys
        import tensorflux
        print([m for m in {LAZY_MODULES!r} if m in sys.modules])
    """
    assert _run(code) == "[]"


# Ops modules whose whole ``__all__`` is top-level ``tf`` (they were star-imported).
WHOLE_MODULES = [
    "array_ops_extra",
    "clip_ops",
    "complex_ops",
    "fft_ops",
    "functional_ops",
    "init_ops",
    "linalg_ops",
    "logging_ops",
    "nn_ops",
    "partition_ops",
    "script_ops",
    "sort_ops",
    "space_batch_ops",
    "string_ops",
]


def test_lazy_names_are_the_modules_exports():
    for module_name in WHOLE_MODULES:
        module = importlib.import_module(f"tensorflux.ops.{module_name}")
        names = tf._LAZY_OPS[module.__name__]
        assert sorted(names) == sorted(module.__all__), module_name
    for module_name, names in tf._LAZY_OPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            value = getattr(tf, name)
            original = getattr(module, tf._RENAMED.get(name, name))
            assert getattr(value, "__wrapped__", value) is original, name


def test_dir_lists_the_lazy_names_before_they_load():
    code = """
        import tensorflux as tf
        names = dir(tf)
        print(all(n in names for n in tf._LISTED), "nn" in vars(tf), "RaggedTensor" in names)
    """
    assert _run(code) == "True False True"


def test_a_function_shared_by_namespaces_stays_one_object():
    code = """
        import tensorflux as tf
        print(tf.sigmoid is tf.math.sigmoid is tf.nn.sigmoid, tf.add is tf.math.add,
              tf.clip_by_value is tf.clip_by_value)
    """
    assert _run(code) == "True True True"


def test_ragged_arguments_dispatch_whichever_loads_first():
    # The ragged package loads after the wrappers exist; a RaggedTensor made by
    # tf.strings (not tf.ragged) reaches the ragged implementations, through names
    # loaded before and after it.
    code = """
        import tensorflux as tf
        add, size = tf.add, tf.size
        rt = tf.strings.split(["a bb", "c"])
        n = tf.strings.length(rt)
        print(add(n, 1).to_list(), int(size(rt)), tf.clip_by_value(n, 0, 1).to_list(),
              (n * 2).to_list(), tf.math.reduce_sum(n, axis=1).numpy().tolist())
    """
    assert _run(code) == "[[2, 3], [2]] 3 [[1, 1], [1]] [[2, 4], [2]] [3, 1]"


def test_an_op_is_found_by_name_before_its_module_loads():
    # A SavedModel's node or a gradient registration may name an op whose module has
    # not loaded: the registry loads every op module then.
    code = """
        import sys
        import tensorflux
        from tensorflux.engine import registry
        before = "tensorflux.ops.fft_ops" in sys.modules
        print(before, registry.get("FFT").name, "tensorflux.ops.fft_ops" in sys.modules)
    """
    assert _run(code) == "False FFT True"


def test_the_registry_loads_every_op_module():
    # After the registry's load, importing every other module registers nothing more.
    code = """
        import importlib, pkgutil
        import tensorflux
        from tensorflux.engine import registry
        from tensorflux.kernels import xla
        complete = set(registry.registered_ops())
        # The XLA kernel table imports JAX, an optional extra (and registers no op).
        skip = ("tensorflux.keras", "tensorflux.testing")
        if not xla.available():
            skip += tuple(f"tensorflux.kernels.xla.{m}" for m in xla._TABLE_MODULES)
        for info in pkgutil.walk_packages(tensorflux.__path__, "tensorflux."):
            if not info.name.startswith(skip):
                importlib.import_module(info.name)
        print(sorted(set(registry.registered_ops(complete=False)) - complete))
    """
    assert _run(code) == "[]"


def test_a_saved_model_loads_ops_whose_modules_have_not_loaded(tmp_path):
    class Model(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([4], tf.float32)])
        def f(self, x):
            return tf.math.real(tf.signal.fft(tf.cast(x, tf.complex64))) + tf.math.cumsum(x)

    model = Model()
    want = model.f(tf.constant([1.0, 2.0, 3.0, 4.0])).numpy().tolist()
    tf.saved_model.save(model, str(tmp_path))
    code = f"""
        import sys
        import tensorflux as tf
        before = "tensorflux.ops.fft_ops" in sys.modules
        loaded = tf.saved_model.load({str(tmp_path)!r})
        print(before, loaded.f(tf.constant([1.0, 2.0, 3.0, 4.0])).numpy().tolist())
    """
    assert _run(code) == f"False {want}"
