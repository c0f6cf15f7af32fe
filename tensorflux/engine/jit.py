"""Where ``jit_compile=True`` and graphs placed on a GPU find their compiler.

The XLA backend (``tensorflux.kernels.xla.lowering``) sits above the engine, beside the
other kernel backends, so the engine does not import it: ``tensorflux.kernels`` installs
it here with ``set_compiler``, and ``tf.function`` asks ``compile_graph`` for a runner.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["set_compiler", "compile_graph"]

_compiler: list = []


def set_compiler(compiler: Callable) -> None:
    """Installs ``compiler(graph, nodes, output_slots, name, fallback, jit_compile,
    device) -> run``."""
    _compiler[:] = [compiler]


def compile_graph(
    graph, nodes, output_slots, name: str, fallback, jit_compile: bool = True, device=None
):
    """A run function for a traced graph: the installed compiler's, for a
    ``jit_compile=True`` graph or one that the ``tf.device`` scope ``device``
    (``(type, index)`` or None) places on a GPU, or the executor's ``fallback``."""
    if not _compiler:
        return fallback
    return _compiler[0](graph, nodes, output_slots, name, fallback, jit_compile, device)
