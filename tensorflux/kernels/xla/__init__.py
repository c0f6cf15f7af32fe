"""XLA kernels through JAX: the second kernel table, used by ``jit_compile=True``.

Each entry is a ``jax.numpy``/``jax.lax`` implementation of one registered op, keyed by
TF's op name, with the NumPy kernel's exact signature (the same inputs, the same attr
keywords) and results. ``tensorflux.kernels.xla.lowering`` calls them while ``jax.jit``
traces a ``tf.function`` graph; ``tests/kernels/test_xla_kernels.py`` runs every entry
against the NumPy kernel on the op's rows of the inference table.

Some inputs set shapes (``Reshape``'s shape, ``Tile``'s multiples): XLA needs their
values while compiling. An entry names them in ``static``; the lowering passes them as
NumPy arrays, and an op whose static input only the running graph knows is not
compiled. A kernel raises ``NotImplementedError`` for attrs it does not cover, and the
function runs on our executor instead.

Nothing here imports JAX until ``load()`` is called: the table modules import it, and
only the first ``jit_compile=True`` trace loads them.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import NamedTuple

__all__ = [
    "RandomKernel",
    "XlaKernel",
    "xla_kernel",
    "kernels",
    "random_kernel",
    "random_kernels",
    "load",
    "available",
    "INSTALL_HINT",
]

INSTALL_HINT = "pip install tensorflux[xla]"

# The modules that fill the tables, each imported by ``load``.
_TABLE_MODULES = (
    "elementwise",
    "reductions",
    "arrays",
    "nn",
    "batch_norm",
    "linalg",
    "rnn",
    "images",
    "quantization",
    "random",
)


class XlaKernel(NamedTuple):
    """One op's JAX implementation, the inputs XLA needs as compile-time values, and
    the function making the lookup table it reads (None if it reads none)."""

    fn: Callable
    static: tuple
    table: Callable | None = None


class RandomKernel(NamedTuple):
    """One stateful random op's JAX implementation, the function making the lookup
    table it reads (None if it reads none), and the function counting the outputs its
    stream moves on by (None: as many as its shape, input 0, holds)."""

    fn: Callable
    table: Callable | None
    outputs: Callable | None = None


_KERNELS: dict[str, XlaKernel] = {}
_RANDOM_KERNELS: dict[str, RandomKernel] = {}
_loaded: list[bool] = []


def xla_kernel(*op_names: str, static: tuple = (), table: Callable | None = None):
    """Registers the decorated function as the JAX kernel of each op in ``op_names``.

    Args:
        static: the indices of the inputs whose values set output shapes; the kernel
            receives them as NumPy arrays.
        table: makes a lookup table the kernel reads, passed as its ``table`` keyword
            (an argument of the compiled function, made once, not compiled into it).
    """

    def decorate(fn):
        for name in op_names:
            if name in _KERNELS:
                raise ValueError(f"Op {name!r} already has an XLA kernel.")
            _KERNELS[name] = XlaKernel(fn, tuple(static), table)
        return fn

    return decorate


def random_kernel(op_name: str, table: Callable | None = None, outputs: Callable | None = None):
    """Registers the decorated function as the JAX kernel of the stateful random op
    ``op_name`` (a legacy op drawing from its own Philox stream).

    The kernel is called as ``fn(args, attrs, key, counter, size, table)``: the op's
    inputs (NumPy arrays where tracing knows them, as the shape and bounds of a draw,
    traced values otherwise), its attrs, the stream's 64-bit key, its 128-bit counter as
    a traced ``[low, high]`` uint64 pair, the number of outputs, and the array
    ``table()`` made (passed to the compiled function as an argument, not compiled into
    it), or None. The lowering moves the stream on by TF's 256 calls an output.

    Args:
        outputs: ``outputs(args, attrs)``, the number of outputs TF reserves calls for
            (the kernel's ``size``), for an op whose input 0 is not the shape of its
            draw; None: the product of input 0, which must be known while compiling.
    """

    def decorate(fn):
        if op_name in _RANDOM_KERNELS:
            raise ValueError(f"Op {op_name!r} already has an XLA random kernel.")
        _RANDOM_KERNELS[op_name] = RandomKernel(fn, table, outputs)
        return fn

    return decorate


def available() -> bool:
    """Whether JAX can be imported (the ``xla`` extra is installed)."""
    return importlib.util.find_spec("jax") is not None


def load():
    """Imports JAX (with 64-bit types on, as TF's int64/float64 need) and the table;
    returns the ``jax`` module.

    Raises:
        ImportError: JAX is not installed.
    """
    try:
        import jax
    except ImportError as e:
        raise ImportError(
            f"jit_compile=True compiles through XLA with JAX, which is not installed: "
            f"{INSTALL_HINT}"
        ) from e
    if not _loaded:
        # Without it JAX silently computes int64 and float64 values in 32 bits.
        jax.config.update("jax_enable_x64", True)
        from tensorflux.kernels.xla import devices

        devices.apply_matmul_precision(jax)
        for module in _TABLE_MODULES:
            importlib.import_module(f"tensorflux.kernels.xla.{module}")
        _loaded.append(True)
    return jax


def kernels() -> dict[str, XlaKernel]:
    """The table: op name -> XlaKernel (after ``load``)."""
    load()
    return dict(_KERNELS)


def random_kernels() -> dict[str, RandomKernel]:
    """The stateful random ops' table: op name -> kernel (after ``load``)."""
    load()
    return dict(_RANDOM_KERNELS)
