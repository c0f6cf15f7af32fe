"""The devices XLA can run a compiled graph on: the accelerators JAX sees, and the host.

With ``jax[cuda12]`` (or another JAX GPU plugin) installed on a machine with a GPU,
JAX lists the card; tensorflux names it ``GPU:0`` as TF does. Eager ops always run on
the host CPU through NumPy, where small ops are fastest. Graphs of ``tf.function`` go
to a GPU through XLA (see ``placement``); their variables then stay in the GPU's memory
between calls and come back to the host only when the host reads them.

Nothing here imports JAX unless a GPU plugin is installed, or until a graph compiles:
listing devices on a machine without one stays instant.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import NamedTuple

__all__ = [
    "ACCELERATOR_PLATFORMS",
    "Placement",
    "apply_matmul_precision",
    "set_autoclustering",
    "set_tensor_float_32",
    "tensor_float_32",
    "accelerators",
    "gpu_plugin_installed",
    "host",
    "placement",
    "visible",
    "forget",
    "device_name",
]

# The JAX platforms whose devices tensorflux calls GPUs ("gpu": JAX's CUDA, ROCm or
# oneAPI backend, whichever plugin is installed).
ACCELERATOR_PLATFORMS = ("gpu",)

_found: dict = {}
# "tensor_float_32": TF's switch, on at start. "autoclustering": tf.config.optimizer's
# set_jit, under which every tf.function graph off the GPU compiles with XLA too.
_switches = {"tensor_float_32": True, "autoclustering": False}
# The accelerators that ``tf.config.set_visible_devices`` hides, by index.
hidden: set = set()


class Placement(NamedTuple):
    """Where a traced graph runs: ``device`` is a JAX device (None: the executor, or
    XLA on the host for jit_compile), ``strict`` whether ops that cannot compile are
    errors and warnings (``jit_compile=True``) or quietly run on the host executor."""

    device: object
    strict: bool


def set_autoclustering(on: bool) -> None:
    """Makes XLA compile every ``tf.function`` graph, softly (a graph that does not
    compile runs on the executor), on the host when no GPU takes it
    (``tf.config.optimizer.set_jit(True)``)."""
    _switches["autoclustering"] = bool(on)


def set_tensor_float_32(enabled: bool) -> None:
    """Allows (or forbids) TensorFloat-32 in the float32 matrix products XLA runs on a
    GPU (``tf.config.experimental.enable_tensor_float_32_execution``)."""
    _switches["tensor_float_32"] = bool(enabled)
    if "jax" in sys.modules:
        apply_matmul_precision(sys.modules["jax"])


def tensor_float_32() -> bool:
    """Whether TensorFloat-32 is allowed (True at start, as in TF)."""
    return _switches["tensor_float_32"]


def apply_matmul_precision(jax) -> None:
    """Sets JAX's float32 matrix-product precision from the TensorFloat-32 switch: JAX's
    default (TensorFloat-32 on cards that have it), or full float32."""
    precision = "default" if _switches["tensor_float_32"] else "highest"
    jax.config.update("jax_default_matmul_precision", precision)


def gpu_plugin_installed() -> bool:
    """Whether a JAX GPU plugin (``jax[cuda12]``, ``jax[cuda13]``, ROCm) is installed: a
    module of the ``jax_plugins`` namespace, or an entry point of that group, as JAX
    finds them."""
    if importlib.util.find_spec("jax_plugins") is not None:
        return True
    from importlib.metadata import entry_points

    return bool(entry_points(group="jax_plugins"))


def _discover() -> list:
    if importlib.util.find_spec("jax") is None:
        return []
    if "cpu" not in ACCELERATOR_PLATFORMS and not gpu_plugin_installed():
        return []
    # TF's GPU allocator grows on demand with set_memory_growth; JAX's default takes 75%
    # of the card up front, which would starve a second process (mpiexec -n 2) at once.
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    import jax

    found = []
    for platform in ACCELERATOR_PLATFORMS:
        try:
            found.extend(jax.devices(platform))
        except RuntimeError:  # JAX has no backend for it: no such card, or no driver
            continue
    return found


def accelerators() -> list:
    """Every accelerator JAX sees, as JAX devices (``[]`` without one); found once."""
    if "all" not in _found:
        _found["all"] = _discover()
    return _found["all"]


def visible() -> list:
    """The accelerators not hidden by ``tf.config.set_visible_devices``, in order."""
    return [d for i, d in enumerate(accelerators()) if i not in hidden]


def forget() -> None:
    """Drops what was found, so that the next question looks again (for tests)."""
    _found.clear()
    hidden.clear()


def host():
    """JAX's host CPU device."""
    import jax

    return jax.devices("cpu")[0]


def device_name(device) -> str:
    """TF's full name of the place a JAX device stands for (``.../device:GPU:0``)."""
    gpus = visible()
    if device is not None and device in gpus:
        return f"/job:localhost/replica:0/task:0/device:GPU:{gpus.index(device)}"
    return "/job:localhost/replica:0/task:0/device:CPU:0"


def placement(jit_compile: bool, scope) -> Placement | None:
    """Where a graph traced under the ``tf.device`` scope ``scope`` (``(type, index)``,
    or None) runs, or None for the executor on the host.

    A GPU, when one is visible and the scope does not name the CPU: XLA compiles the
    graph for it, strictly for ``jit_compile=True``, and otherwise softly (a graph that
    does not compile runs on the executor, as TF places ops without GPU kernels on the
    CPU). A scope naming a GPU index that does not exist takes GPU 0, as TF's soft
    placement does. Without a GPU, ``jit_compile=True`` compiles for the host, and so
    do other graphs, softly, once ``set_autoclustering`` turned XLA auto-clustering on.
    """
    kind, index = scope if scope is not None else (None, None)
    gpus = visible() if kind in (None, "GPU") else []
    if gpus:
        chosen = gpus[index] if index is not None and index < len(gpus) else gpus[0]
        return Placement(chosen, bool(jit_compile))
    if jit_compile or _switches["autoclustering"]:
        return Placement(host() if accelerators() else None, bool(jit_compile))
    return None
