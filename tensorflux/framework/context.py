"""Process-wide execution state shared by the framework and the engine.

Kept in one small module so that variables (framework) can tell the tapes
(engine) about reads without importing the engine.
"""

from __future__ import annotations

# GradientTapes currently recording, innermost last. Checked on every eager op,
# so it is a plain list whose truth value is the fast "any tape?" test.
recording_tapes: list = []

# The FuncGraph being traced by tf.function, or None when running eagerly.
# ``execute`` reads it on every op: a module attribute keeps that read cheap.
graph = None
