"""tf.config: one CPU device, stored settings; checked against TF 2.21 on a CPU machine."""

import os

import pytest

import tensorflux as tf

CPU = "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"


def test_list_physical_devices():
    devices = tf.config.list_physical_devices()
    assert repr(devices) == f"[{CPU}]"
    assert devices[0].name == "/physical_device:CPU:0" and devices[0].device_type == "CPU"
    assert isinstance(devices[0], tuple)
    assert tf.config.list_physical_devices("CPU") == devices
    # Device types match exactly, as in TF.
    assert tf.config.list_physical_devices("cpu") == []
    assert tf.config.list_logical_devices("cpu") == []
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.experimental.list_physical_devices("GPU") == []


def test_list_logical_devices():
    assert repr(tf.config.list_logical_devices()) == (
        "[LogicalDevice(name='/device:CPU:0', device_type='CPU')]"
    )
    assert tf.config.list_logical_devices("GPU") == []


def test_visible_devices():
    cpus = tf.config.list_physical_devices("CPU")
    assert tf.config.get_visible_devices() == cpus
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices() == cpus
    tf.config.set_visible_devices(cpus)
    assert tf.config.get_visible_devices("CPU") == cpus
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices([tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")])


def test_memory_growth_loop_over_gpus_is_a_no_op():
    for gpu in tf.config.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU"):
        tf.config.experimental.set_memory_growth(tf.config.list_physical_devices()[0], True)


def test_threading_settings_are_stored():
    t = tf.config.threading
    assert t.get_intra_op_parallelism_threads() == 0
    assert t.get_inter_op_parallelism_threads() == 0
    t.set_intra_op_parallelism_threads(2)
    t.set_inter_op_parallelism_threads(3)
    assert t.get_intra_op_parallelism_threads() == 2
    assert t.get_inter_op_parallelism_threads() == 3
    t.set_intra_op_parallelism_threads(0)
    t.set_inter_op_parallelism_threads(0)


def test_run_functions_eagerly_flag():
    assert tf.config.functions_run_eagerly() is False
    tf.config.run_functions_eagerly(True)
    assert tf.config.functions_run_eagerly() is True
    tf.config.run_functions_eagerly(False)
    assert tf.config.functions_run_eagerly() is False


def test_soft_device_placement():
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    tf.config.set_soft_device_placement(True)


@pytest.mark.parametrize(
    ("device", "message"),
    [
        ("CPU:0", "Allocator stats not available for device 'CPU:0'"),
        ("/cpu:0", "Allocator stats not available for device '/cpu:0'"),
        (
            "/job:localhost/replica:0/task:0/device:CPU:0",
            "Allocator stats not available for device '/job:localhost/replica:0/task:0/",
        ),
        ("CPU:1", "No matching devices found for 'CPU:1'"),
        ("GPU:0", "No matching devices found for 'GPU:0'"),
        ("GPU:*", "Failed parsing device name: 'GPU:\\*'. Note a valid device string"),
        ("XYZ", "Failed parsing device name: 'XYZ'"),
    ],
)
def test_memory_info_without_a_gpu_fails_as_tf(device, message):
    with pytest.raises(ValueError, match=message):
        tf.config.experimental.get_memory_info(device)
    with pytest.raises(ValueError):
        tf.config.experimental.get_memory_usage(device)


def test_reset_memory_stats_and_device_details_on_the_cpu():
    with pytest.raises(ValueError, match="Cannot reset memory stats for device 'CPU:0'"):
        tf.config.experimental.reset_memory_stats("CPU:0")
    cpu = tf.config.list_physical_devices("CPU")[0]
    assert tf.config.experimental.get_device_details(cpu) == {}
    with pytest.raises(ValueError, match="must be a tf.config.PhysicalDevice, but got: CPU:0"):
        tf.config.experimental.get_device_details("CPU:0")
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(cpu)


def test_execution_switches_behave_as_tf(monkeypatch):
    from tensorflux import config_experimental

    monkeypatch.setattr(config_experimental, "_state", dict(config_experimental._state))
    experimental = tf.config.experimental
    assert experimental.get_device_policy() == "silent"
    for policy in ("warn", "explicit", "silent_for_int32", "silent"):
        experimental.set_device_policy(policy)
        assert experimental.get_device_policy() == policy
    experimental.set_device_policy(None)
    assert experimental.get_device_policy() == "silent"
    with pytest.raises(ValueError, match="Invalid argument `device_policy`: 'bogus'"):
        experimental.set_device_policy("bogus")
    assert experimental.get_synchronous_execution() is True
    experimental.set_synchronous_execution(False)
    assert experimental.get_synchronous_execution() is False
    assert experimental.enable_mlir_bridge() is None
    assert experimental.disable_mlir_bridge() is None
    assert experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration
    assert experimental.get_virtual_device_configuration is (
        tf.config.get_logical_device_configuration
    )
    assert experimental.set_virtual_device_configuration is (
        tf.config.set_logical_device_configuration
    )
    filters = experimental.ClusterDeviceFilters()
    filters.set_device_filters("worker", 0, ["/job:ps"])
    assert filters._device_filters == {"worker": {0: ["/job:ps"]}}
    with pytest.raises(AssertionError):
        filters.set_device_filters("worker", 1, [3])


def test_op_determinism_reaches_xla_flags(monkeypatch):
    from tensorflux import config_experimental

    monkeypatch.setattr(config_experimental, "_state", dict(config_experimental._state))
    monkeypatch.setenv("XLA_FLAGS", "--xla_dump_to=/nowhere")
    assert tf.config.experimental.enable_op_determinism() is None
    tf.config.experimental.enable_op_determinism()
    assert os.environ["XLA_FLAGS"] == "--xla_dump_to=/nowhere --xla_gpu_deterministic_ops=true"


def test_tensor_float_32_sets_jax_matmul_precision(monkeypatch):
    jax = pytest.importorskip("jax", reason="needs the xla extra: pip install tensorflux[xla]")
    from tensorflux.kernels.xla import devices

    monkeypatch.setattr(devices, "_switches", dict(devices._switches))
    assert tf.config.experimental.tensor_float_32_execution_enabled() is True
    try:
        tf.config.experimental.enable_tensor_float_32_execution(False)
        assert tf.config.experimental.tensor_float_32_execution_enabled() is False
        assert jax.config.jax_default_matmul_precision == "highest"
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(True)
    assert jax.config.jax_default_matmul_precision == "default"
