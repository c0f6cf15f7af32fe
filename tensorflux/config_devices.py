"""``tf.config``'s logical devices and cluster connection.

The host CPU may be split into several logical CPUs, as TF allows, so that programs
that place work on ``/CPU:1`` or build a ``MirroredStrategy`` over logical CPUs run;
every logical CPU runs ops on the same host. A GPU keeps one logical device. There is
no remote execution: connecting to a cluster fails as TF fails without one.
"""

from __future__ import annotations

import collections

from tensorflux.config_gpus import check_gpu_configuration
from tensorflux.framework import context
from tensorflux.framework.errors import UnavailableError

__all__ = [
    "LogicalDeviceConfiguration",
    "get_logical_device_configuration",
    "set_logical_device_configuration",
    "logical_cpus",
    "mark_initialized",
    "experimental_connect_to_cluster",
    "experimental_connect_to_host",
]

LogicalDeviceConfiguration = collections.namedtuple(
    "LogicalDeviceConfiguration",
    ["memory_limit", "experimental_priority", "experimental_device_ordinal"],
    defaults=(None, None, None),
)
LogicalDeviceConfiguration.__doc__ = """How one logical device is carved from a physical
one (``tf.config.LogicalDeviceConfiguration``): a CPU takes no options.

>>> import tensorflux as tf
>>> tf.config.LogicalDeviceConfiguration()
LogicalDeviceConfiguration(memory_limit=None, experimental_priority=None, \
experimental_device_ordinal=None)
"""

# physical device -> its logical device configurations; "initialized": whether the
# logical devices were listed, after which (as in TF) they can no longer change.
_state = {"virtual": {}, "initialized": False}


def _check_device(device, physical_devices) -> None:
    if device not in physical_devices:
        raise ValueError(f"Unrecognized device: {device!r}")


def get_logical_device_configuration(device, physical_devices=()):
    """The logical device configurations set for ``device``, or None.

    Raises:
        ValueError: a device ``list_physical_devices`` does not list.
    """
    _check_device(device, physical_devices)
    return _state["virtual"].get(device)


def set_logical_device_configuration(device, logical_devices, physical_devices=()) -> None:
    """Splits ``device`` into one logical device per entry of ``logical_devices``.

    Raises:
        ValueError: an unknown device, or a CPU configuration with a memory limit,
            priority or device ordinal (TF supports none of them on CPUs).
        RuntimeError: the logical devices were already initialized (listed).
    """
    _check_device(device, physical_devices)
    if device.device_type == "GPU":
        check_gpu_configuration(logical_devices)
    else:
        _check_cpu_configuration(logical_devices)
    if _state["virtual"].get(device) == logical_devices:
        return
    if _state["initialized"]:
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    _state["virtual"][device] = logical_devices


def _check_cpu_configuration(logical_devices) -> None:
    for logical in logical_devices:
        if logical.memory_limit is not None:
            raise ValueError(
                "Setting memory limit on CPU virtual devices is currently not supported"
            )
        if logical.experimental_priority is not None:
            raise ValueError(
                "Setting experimental_priority on CPU virtual  devices is currently not supported"
            )
        if logical.experimental_device_ordinal is not None:
            raise ValueError(
                "Setting experimental_device_ordinal on CPU virtual  devices is currently not "
                "supported"
            )


def logical_cpus(cpu) -> int:
    """How many logical CPUs the host CPU ``cpu`` is split into (1 unless configured)."""
    return len(_state["virtual"].get(cpu) or ()) or 1


def mark_initialized() -> None:
    """Freezes the logical device configuration (the logical devices were listed)."""
    _state["initialized"] = True


def experimental_connect_to_cluster(
    cluster_spec_or_resolver,
    job_name="localhost",
    task_index=0,
    protocol=None,
    make_master_device_default=True,
    cluster_device_filters=None,
) -> None:
    """Connecting to remote TF servers; there is no cluster support, so every value is
    refused as TF refuses a value that is neither a ClusterSpec nor a ClusterResolver.

    Raises:
        ValueError: always (inside a function: because it is not eager).
    """
    if context.state.graph is not None:
        raise ValueError(
            "`tf.config.experimental_connect_to_cluster` can only be called in eager mode."
        )
    raise ValueError("`cluster_spec_or_resolver` must be a `ClusterSpec` or a `ClusterResolver`.")


def experimental_connect_to_host(remote_host=None, job_name="worker") -> None:
    """Connecting to a remote TF server at ``remote_host`` ("host:port").

    Raises:
        ValueError: no host given, as in TF.
        tf.errors.UnavailableError: a host given: tensorflux has no remote execution.
    """
    if not remote_host:
        raise ValueError("Must provide at least one remote_host")
    raise UnavailableError(
        None,
        None,
        f"Cannot connect to {remote_host!r}: tensorflux runs ops in this process only and "
        "has no remote (gRPC) execution.",
    )
