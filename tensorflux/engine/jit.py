"""Where ``jit_compile=True`` finds its compiler.

The XLA backend (``tensorflux.kernels.xla.lowering``) sits above the engine, beside the
other kernel backends, so the engine does not import it: ``tensorflux.kernels`` installs
it here with ``set_compiler``, and ``tf.function`` asks ``compile_graph`` for a runner.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["set_compiler", "compile_graph"]

_compiler: list = []


def set_compiler(compiler: Callable) -> None:
    """Installs ``compiler(graph, nodes, output_slots, name, fallback) -> run``."""
    _compiler[:] = [compiler]


def compile_graph(graph, nodes, output_slots, name: str, fallback):
    """A run function for a ``jit_compile=True`` graph: the installed compiler's, or the
    executor's ``fallback`` when none is installed."""
    if not _compiler:
        return fallback
    return _compiler[0](graph, nodes, output_slots, name, fallback)
