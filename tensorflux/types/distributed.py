"""``tf.types.experimental.distributed``: the abstract types of distributed values."""

from __future__ import annotations

import abc

__all__ = ["Mirrored", "PerReplica"]


class PerReplica(abc.ABC):  # noqa: B024 - a marker type, as in TF
    """A value holding one component per replica of a distribution strategy."""


class Mirrored(abc.ABC):  # noqa: B024 - a marker type, as in TF
    """A value kept identical on every replica of a distribution strategy."""
