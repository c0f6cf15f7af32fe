"""GPUs through JAX: ``tf.config`` lists them, ``tf.function`` graphs run there through
XLA, variables stay in the card's memory between calls, and ``tf.device('/CPU:0')``
keeps a graph on the host executor.

No GPU is needed: the ``gpu`` fixture makes ``tensorflux.kernels.xla.devices`` take
JAX's host CPU device for an accelerator, so every path a GPU takes (placement, the
device-resident variables, the configuration calls) runs on the host's XLA.
"""

import warnings

import numpy as np
import pytest

pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")

import tensorflux as tf  # noqa: E402
from tensorflux import config as tf_config  # noqa: E402
from tensorflux.kernels.xla import devices, lowering  # noqa: E402

GPU_NAME = "/job:localhost/replica:0/task:0/device:GPU:0"
CPU_NAME = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.fixture
def gpu(monkeypatch):
    """JAX's CPU device standing in for one GPU."""
    monkeypatch.setattr(devices, "ACCELERATOR_PLATFORMS", ("cpu",))
    monkeypatch.setitem(tf_config._state, "visible", None)
    devices.forget()
    yield tf.config.list_physical_devices("GPU")[0]
    devices.forget()


def _runs_compiled(function) -> bool:
    """Whether every graph ``function`` traced (at least one) runs through XLA."""
    traced = list(function._cache.values())
    assert traced, "the function has not been traced"
    return all(isinstance(c._run, lowering._JitRunner) and c._run._lowered for c in traced)


def test_the_gpu_is_listed(gpu):
    assert gpu == tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    assert tf.config.list_physical_devices()[-1] == gpu
    assert tf.config.list_logical_devices("GPU") == [
        tf.config.LogicalDevice("/device:GPU:0", "GPU")
    ]
    assert tf.config.get_visible_devices("GPU") == [gpu]
    assert tf.test.gpu_device_name() == "/device:GPU:0"
    assert tf.test.is_gpu_available()
    # JAX's CPU device has no CUDA compute capability.
    assert not tf.test.is_gpu_available(cuda_only=True)
    assert tf.config.experimental.get_device_details(gpu) == {"device_name": "cpu"}
    assert tf.test.is_built_with_xla()


def test_gpu_memory_settings(gpu):
    assert tf.config.experimental.get_memory_growth(gpu) is None
    tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.get_memory_growth(gpu) is True
    cpu = tf.config.list_physical_devices("CPU")[0]
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(cpu)
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.set_memory_growth(cpu, True)
    with pytest.raises(ValueError, match="memory limit is required"):
        tf.config.set_logical_device_configuration(gpu, [tf.config.LogicalDeviceConfiguration()])
    with pytest.raises(ValueError, match="one logical device per GPU"):
        tf.config.set_logical_device_configuration(
            gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=64)] * 2
        )
    info = tf.config.experimental.get_memory_info("GPU:0")
    assert set(info) == {"current", "peak"} and info["peak"] >= info["current"] >= 0
    tf.config.experimental.reset_memory_stats("GPU:0")
    assert tf.config.experimental.get_memory_usage("/device:GPU:0") == info["current"]
    with pytest.raises(ValueError, match="No matching devices found for 'GPU:1'"):
        tf.config.experimental.get_memory_info("GPU:1")
    with pytest.raises(ValueError, match="Allocator stats not available for device 'CPU:0'"):
        tf.config.experimental.get_memory_info("CPU:0")
    with pytest.raises(ValueError, match="Failed parsing device name: 'GPU'"):
        tf.config.experimental.get_memory_info("GPU")


def test_variables_stay_on_the_gpu_between_calls(gpu):
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x):
        v.assign_add(x * 2.0)
        return tf.reduce_sum(v)

    assert float(step(tf.constant([1.0, 1.0]))) == 7.0
    assert _runs_compiled(step)
    assert v.device == GPU_NAME
    assert v._host_value is None and v._device_value is not None
    assert float(step(tf.constant([1.0, 1.0]))) == 11.0
    assert v._host_value is None
    # The host's read copies the value back; the variable is then the host's again.
    np.testing.assert_array_equal(v.numpy(), [5.0, 6.0])
    assert v.device == CPU_NAME
    v.assign([0.0, 0.0])
    assert float(step(tf.constant([1.0, 2.0]))) == 6.0
    np.testing.assert_array_equal(v.numpy(), [2.0, 4.0])


def test_a_cpu_scope_keeps_the_graph_on_the_executor(gpu):
    v = tf.Variable(1.0)

    @tf.function
    def step():
        return v.assign_add(1.0)

    with tf.device("/CPU:0"):
        step()
        assert not _runs_compiled(step)
        assert v._device_value is None
    with tf.device("/GPU:0"):
        step()
    # One graph for each device scope, as TF traces one for each.
    assert len(step._cache) == 2
    assert v._device_value is not None
    assert float(v.numpy()) == 3.0


def test_a_hidden_gpu_runs_nothing(gpu):
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.list_logical_devices("GPU") == []
    assert tf.test.gpu_device_name() == ""

    @tf.function
    def double(x):
        return x * 2.0

    assert float(double(tf.constant(2.0))) == 4.0
    assert not _runs_compiled(double)


def test_graphs_that_do_not_compile_run_on_the_host_quietly(gpu):
    @tf.function
    def with_python(x):
        return tf.py_function(lambda a: a * 2.0, [x], tf.float32) + 1.0

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(with_python(tf.constant(2.0))) == 5.0
        # A dataset's functions run on the host, as TF's do.
        data = tf.data.Dataset.range(3).map(lambda x: x * 2)
        assert [int(x) for x in data] == [0, 2, 4]
    assert not _runs_compiled(with_python)


def test_jit_compile_on_the_gpu_still_refuses_what_tf_refuses(gpu):
    @tf.function(jit_compile=True)
    def with_python(x):
        return tf.py_function(lambda a: a * 2.0, [x], tf.float32)

    with pytest.raises(tf.errors.InvalidArgumentError, match="PyFunc"):
        with_python(tf.constant(2.0))


def _fit_dense(seed):
    tf.keras.utils.set_random_seed(seed)
    x = np.random.default_rng(0).normal(size=(64, 5)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.Input((5,)),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    return model, history.history


def test_keras_fit_on_the_gpu_gives_the_host_weights(monkeypatch):
    host_model, host_history = _fit_dense(3)
    monkeypatch.setattr(devices, "ACCELERATOR_PLATFORMS", ("cpu",))
    monkeypatch.setitem(tf_config._state, "visible", None)
    devices.forget()
    try:
        model, history = _fit_dense(3)
        assert _runs_compiled(model.train_function)
        assert any(v._device_value is not None for v in model.optimizer.variables)
        for got, want in zip(model.get_weights(), host_model.get_weights()):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(history["loss"], host_history["loss"], rtol=1e-5)
        np.testing.assert_allclose(history["mae"], host_history["mae"], rtol=1e-5)
    finally:
        devices.forget()


def test_mirrored_strategy_defaults_to_the_gpu(gpu):
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.extended.worker_devices == (GPU_NAME,)
    with strategy.scope():
        v = tf.Variable(1.0)

    @tf.function
    def step():
        v.assign_add(1.0)
        return v.read_value()

    result = strategy.run(step)
    assert float(strategy.reduce(tf.distribute.ReduceOp.SUM, result, axis=None)) == 2.0
    assert _runs_compiled(step)


def test_cluster_resolvers_count_the_gpu(gpu):
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert resolver.num_accelerators() == {"GPU": 1}
    assert resolver.num_accelerators("worker", 0) == {}


def test_a_graph_xla_fails_on_runs_on_the_host_with_one_warning(gpu, monkeypatch):
    from tensorflux.kernels import xla

    xla.load()
    # A kernel giving what XLA cannot take as a result: JAX fails after the lowering.
    monkeypatch.setitem(xla._KERNELS, "Sin", xla.XlaKernel(lambda x: "not an array", ()))

    @tf.function
    def wave(x):
        return tf.sin(x)

    with pytest.warns(lowering.XlaFallbackWarning, match="XLA failed on it .TypeError"):
        assert float(wave(tf.constant(0.5))) == pytest.approx(np.sin(0.5))
    assert not _runs_compiled(wave)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(wave(tf.constant(0.25))) == pytest.approx(np.sin(0.25))

    @tf.function(jit_compile=True)
    def strict_wave(x):
        return tf.sin(x)

    with pytest.raises(tf.errors.UnknownError, match="not a valid JAX type"):
        strict_wave(tf.constant(0.5))


def test_set_jit_compiles_every_function_on_the_host(monkeypatch):
    monkeypatch.setattr(devices, "_switches", dict(devices._switches, autoclustering=False))
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x):
        v.assign_add(x)
        return tf.reduce_sum(v * v)

    @tf.function
    def with_python(x):
        return tf.py_function(lambda a: a + 1.0, [x], tf.float32)

    tf.config.optimizer.set_jit(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert float(step(tf.constant([1.0, 1.0]))) == 13.0
            assert float(with_python(tf.constant(1.0))) == 2.0
    finally:
        tf.config.optimizer.set_jit(False)
    assert _runs_compiled(step)
    assert not _runs_compiled(with_python)
    # Off the GPU the variable's value comes back to the host after each call.
    assert v._device_value is None
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])

    @tf.function
    def later(x):
        return x * 2.0

    assert float(later(tf.constant(2.0))) == 4.0
    assert not _runs_compiled(later)
