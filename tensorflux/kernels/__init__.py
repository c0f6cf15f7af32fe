"""Kernel backends: faster kernels for registered ops, chosen at dispatch.

An op's NumPy kernel is its reference. A backend (``kernels/onednn/``) registers, per
op name, a kernel with the reference's exact signature and a ``supports(*arrays,
**attrs)`` test. When the op is registered (before or after the backend, whichever
module loads first), its ``op.kernel`` is replaced by a small dispatcher that runs the
first backend kernel whose library loads and which supports the call, and the
reference kernel otherwise. Eager ``execute`` and compiled ``tf.function`` graphs both
call ``op.kernel``, so both use the backend; ops with no backend kernel keep their
reference kernel untouched and pay nothing.

A backend's library is loaded on the first call that could use it, never at import.
A backend kernel that finds it cannot run a case after all raises ``Unsupported``
and the reference kernel runs instead: a fast path never gives a wrong result.

The reference kernels can be forced with the environment variable
``TENSORFLUX_KERNELS=reference`` (read at import) or
``tf.config.experimental.set_kernel_backend("reference")``; ``"auto"`` (the default)
lets backends run. ``tf.config.experimental.get_op_kernel_backend("Conv2D")`` says
which backend an op's float32 channels-last calls use now.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple

from tensorflux.engine import jit, registry

__all__ = [
    "Backend",
    "Unsupported",
    "register_kernel",
    "set_kernel_backend",
    "get_kernel_backend",
    "get_op_kernel_backend",
    "reference_kernel",
    "backend_runs",
]

ENV_MODE = "TENSORFLUX_KERNELS"
_MODES = ("auto", "reference")


class Unsupported(Exception):
    """Raised by a backend kernel for a case it cannot run; the reference kernel runs."""


class Backend:
    """A kernel library, loaded on first use.

    Args:
        name: how ``get_op_kernel_backend`` names it ("onednn").
        load: called once, on the first dispatch that could use the backend; returns
            whether the library is usable. A library that cannot load leaves the
            reference kernels in place, silently.
    """

    def __init__(self, name: str, load: Callable[[], bool]):
        self.name = name
        self._load = load
        self._available: bool | None = None

    def available(self) -> bool:
        """Whether the library loaded (loading it on the first call)."""
        if self._available is None:
            self._available = bool(self._load())
        return self._available


class BackendKernel(NamedTuple):
    backend: Backend
    supports: Callable[..., bool]
    kernel: Callable


class _State:
    __slots__ = ("mode",)

    def __init__(self):
        mode = os.environ.get(ENV_MODE, "auto").strip().lower()
        self.mode = mode if mode in _MODES else "auto"


_state = _State()
_kernels: dict[str, list[BackendKernel]] = {}


def register_kernel(
    op_name: str, backend: Backend, *, supports: Callable[..., bool], kernel: Callable
) -> None:
    """Registers ``kernel`` as ``backend``'s kernel for the op ``op_name``.

    Args:
        op_name: TF's op name ("Conv2D"). The op may be registered later: the kernel
            attaches when it is.
        backend: the library the kernel needs.
        supports: ``supports(*arrays, **attrs) -> bool`` with the reference kernel's
            signature: whether the kernel runs this call (dtype, layout, attrs). It must
            not load the library and must return False for anything the reference
            kernel would reject, so that the reference raises TF's error.
        kernel: the fast kernel, with the reference kernel's signature and results. It
            may raise ``Unsupported``, and the reference kernel runs instead.
    """
    entries = _kernels.get(op_name)
    if entries is None:
        entries = _kernels[op_name] = []
        registry.when_registered(op_name, _install)
    entries.append(BackendKernel(backend, supports, kernel))


def _install(op: registry.Op) -> None:
    reference = op.kernel
    entries = _kernels[op.name]
    state = _state

    def dispatch(*arrays, **attrs):
        if state.mode == "auto":
            for entry in entries:
                if entry.supports(*arrays, **attrs) and entry.backend.available():
                    try:
                        return entry.kernel(*arrays, **attrs)
                    except Unsupported:
                        pass
        return reference(*arrays, **attrs)

    dispatch.reference = reference
    dispatch.__name__ = f"{op.name}_dispatch"
    dispatch.__doc__ = (
        f"{op.name}: a backend kernel where one supports the call, else "
        f"the reference kernel {getattr(reference, '__name__', reference)}."
    )
    op.kernel = dispatch


def set_kernel_backend(mode: str) -> None:
    """Chooses which kernels ops run: ``"auto"`` (backend kernels where their library
    loads and they support the call; the default) or ``"reference"`` (the NumPy kernels
    only). Takes effect at once, in eager code and in already traced ``tf.function``s.

    Raises:
        ValueError: a mode other than ``"auto"`` or ``"reference"``.

    >>> import tensorflux as tf
    >>> tf.config.experimental.set_kernel_backend("reference")
    >>> tf.config.experimental.get_kernel_backend()
    'reference'
    >>> tf.config.experimental.set_kernel_backend("auto")
    """
    if mode not in _MODES:
        raise ValueError(
            f"set_kernel_backend expects 'auto' or 'reference', got {mode!r}. "
            f"Use 'reference' to run the NumPy kernels only."
        )
    _state.mode = mode


def get_kernel_backend() -> str:
    """The mode last given to ``set_kernel_backend`` (or by ``TENSORFLUX_KERNELS``)."""
    return _state.mode


def get_op_kernel_backend(op_name: str) -> str:
    """Which backend runs the op ``op_name`` for the calls its backends support (float32,
    channels-last for convolutions and pooling; 8-bit images at scales exact in float32
    for ResizeBilinear): a backend's name such as ``"onednn"``,
    or ``"reference"`` (no backend kernel, the reference mode is set, or the library
    cannot load). Loads the backend's library if it was not loaded yet.

    Raises:
        KeyError: no op called ``op_name`` is registered.

    >>> import tensorflux as tf
    >>> tf.config.experimental.get_op_kernel_backend("AddV2")
    'reference'
    """
    registry.get(op_name)
    if _state.mode == "reference":
        return "reference"
    for entry in _kernels.get(op_name, ()):
        if entry.backend.available():
            return entry.backend.name
    return "reference"


def backend_runs(op_name: str, *arrays, **attrs) -> bool:
    """Whether the op ``op_name`` called on ``arrays`` with ``attrs`` goes to a backend
    kernel (which may still find the case ``Unsupported``). May load the library."""
    if _state.mode != "auto":
        return False
    return any(
        e.supports(*arrays, **attrs) and e.backend.available() for e in _kernels.get(op_name, ())
    )


def reference_kernel(op_name: str) -> Callable:
    """The reference (NumPy) kernel of the op ``op_name``, whatever backends it has."""
    kernel = registry.get(op_name).kernel
    return getattr(kernel, "reference", kernel)


def _xla_compile(graph, nodes, output_slots, name, fallback, jit_compile, device):
    """The compiler of ``jit_compile=True`` graphs and of graphs placed on a GPU: the
    XLA lowering, imported on first use; other graphs keep the executor's ``fallback``."""
    from tensorflux.kernels.xla import devices

    placement = devices.placement(jit_compile, device)
    if placement is None:
        return fallback
    from tensorflux.kernels.xla import lowering

    return lowering.jit_runner(graph, nodes, output_slots, name, fallback, placement)


jit.set_compiler(_xla_compile)

from tensorflux.kernels import onednn as _onednn  # noqa: E402, F401 - registers its kernels
