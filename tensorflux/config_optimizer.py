"""``tf.config.optimizer``: the graph optimizer's settings.

tensorflux's executor applies its own graph optimizations; the settings are kept and
reported back in TF's form so that programs that tune Grappler or XLA run unchanged.
``set_jit`` turns XLA on for every ``tf.function`` (see ``tensorflux.kernels.xla.devices``).
"""

from __future__ import annotations

from tensorflux.kernels.xla import devices as _xla_devices

__all__ = ["get_jit", "set_jit", "get_experimental_options", "set_experimental_options"]

# Grappler's on/off passes and its two plain flags, in the order TF reports them.
_TOGGLES = (
    "layout_optimizer",
    "constant_folding",
    "shape_optimization",
    "remapping",
    "arithmetic_optimization",
    "dependency_optimization",
    "loop_optimization",
    "function_optimization",
    "debug_stripper",
    "disable_model_pruning",
    "scoped_allocator_optimization",
    "pin_to_host_optimization",
    "implementation_selector",
    "auto_mixed_precision",
    "use_plugin_optimizers",
    "disable_meta_optimizer",
    "auto_mixed_precision_onednn_bfloat16",
    "auto_mixed_precision_mkl",
)
_FLAGS = ("disable_model_pruning", "disable_meta_optimizer")

_state = {"jit": False, "options": {}}


def get_jit() -> str:
    """``"autoclustering"`` when XLA auto-clustering was asked for, else ``""``.

    >>> import tensorflux as tf
    >>> tf.config.optimizer.get_jit()
    ''
    """
    return "autoclustering" if _state["jit"] else ""


def set_jit(enabled) -> None:
    """Asks for XLA auto-clustering (``"autoclustering"``, or the older ``True``); any
    other value turns it off. On, every ``tf.function`` traced afterwards compiles with
    XLA (through JAX, the ``xla`` extra) where its graph lowers, and runs on the
    executor, quietly, where it does not."""
    _state["jit"] = enabled in (True, "autoclustering")
    _xla_devices.set_autoclustering(_state["jit"])


def get_experimental_options() -> dict:
    """The optimizer options set so far, as TF reports them: the passes given, the two
    ``disable_*`` flags always, and ``min_graph_nodes`` when not 0.

    >>> import tensorflux as tf
    >>> tf.config.optimizer.get_experimental_options()
    {'disable_model_pruning': False, 'disable_meta_optimizer': False}
    """
    options = _state["options"]
    result = {}
    for name in _TOGGLES:
        if name in _FLAGS:
            result[name] = bool(options.get(name, False))
        elif options.get(name) is not None:
            result[name] = bool(options[name])
    if options.get("min_graph_nodes"):
        result["min_graph_nodes"] = options["min_graph_nodes"]
    return result


def set_experimental_options(options) -> None:
    """Updates the optimizer options (names TF does not know are ignored, as in TF)."""
    _state["options"].update(options)
