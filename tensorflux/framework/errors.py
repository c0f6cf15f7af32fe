"""``tf.errors``: TensorFlow's exception classes, and one message formatter.

The classes carry TF's names so that users can catch and search for them;
``InvalidArgumentError`` also subclasses ``ValueError`` so plain Python
handlers still catch it.
"""

from __future__ import annotations

__all__ = [
    "OpError",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "UnauthenticatedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "OperatorNotAllowedInGraphError",
    "format_shape",
]


class OpError(Exception):
    """Base class of the errors raised while running an op.

    Args:
        node_def: unused; kept for TF's signature.
        op: the name of the op that failed, or None.
        message: what went wrong.
    """

    def __init__(self, node_def=None, op=None, message="", *args):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


def _subclass(name, doc, *extra_bases):
    return type(name, (OpError, *extra_bases), {"__doc__": doc, "__module__": __name__})


CancelledError = _subclass("CancelledError", "An operation was cancelled.")
UnknownError = _subclass("UnknownError", "An unknown error.")
InvalidArgumentError = _subclass(
    "InvalidArgumentError", "An op received an invalid argument (dtype, shape or value).",
    ValueError,
)
DeadlineExceededError = _subclass("DeadlineExceededError", "A deadline expired.")
NotFoundError = _subclass("NotFoundError", "A requested entity (a file, say) was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", "An entity already exists.")
PermissionDeniedError = _subclass("PermissionDeniedError", "No permission for the operation.")
UnauthenticatedError = _subclass("UnauthenticatedError", "The request lacks credentials.")
ResourceExhaustedError = _subclass("ResourceExhaustedError", "A resource has been exhausted.")
FailedPreconditionError = _subclass(
    "FailedPreconditionError", "The system is not in a state to run the operation."
)
AbortedError = _subclass("AbortedError", "The operation was aborted.")
OutOfRangeError = _subclass("OutOfRangeError", "An iteration ran past the end of its input.")
UnimplementedError = _subclass("UnimplementedError", "The operation is not implemented.")
InternalError = _subclass("InternalError", "An internal invariant was broken.")
UnavailableError = _subclass("UnavailableError", "The runtime is currently unavailable.")
DataLossError = _subclass("DataLossError", "Unrecoverable data loss or corruption.")


class OperatorNotAllowedInGraphError(TypeError):
    """A symbolic tensor inside ``tf.function`` was used where a Python value is needed."""


def format_shape(shape) -> str:
    """Formats a shape the way messages show it: as a Python tuple, None for unknown."""
    dims = tuple(shape)
    return str(dims)
