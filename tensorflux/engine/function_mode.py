"""``tf.config.run_functions_eagerly``: the switch that makes every ``tf.function`` run
its Python function eagerly. A module of its own, so that ``tf.config`` sets it without
loading the tracing machinery of ``engine.function``.
"""

from __future__ import annotations

__all__ = ["run_functions_eagerly", "functions_run_eagerly"]

# Read by ``Function.__call__`` on every call.
enabled = False


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Makes every ``tf.function`` run its Python function eagerly (for debugging)."""
    global enabled
    enabled = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """Whether ``tf.config.run_functions_eagerly(True)`` is in effect."""
    return enabled
