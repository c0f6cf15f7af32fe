"""``tf.errors``: TensorFlow's exception classes, and one message formatter.

The classes carry TF's names so that users can catch and search for them. As in
TF, they derive from ``OpError`` alone: ``except ValueError`` does not catch an
``InvalidArgumentError``, so code written for TF behaves the same here.
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
    "kernel_failure",
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
]


# TF's error codes (``tf.errors.INVALID_ARGUMENT`` ...), the gRPC status codes.
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """Base class of the errors raised while running an op.

    Args:
        node_def: unused; kept for TF's signature.
        op: the name of the op that failed, or None.
        message: what went wrong.
    """

    def __init__(self, node_def=None, op=None, message="", *args):
        # Every message names its op, in TF's eager form, once.
        if op and isinstance(message, str) and "[Op:" not in message:
            message = f"{message} [Op:{op}]"
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    # TF's code of the error (``tf.errors.UNKNOWN`` for OpError itself).
    error_code = UNKNOWN

    def __str__(self):
        return self.message


_CODES = {
    "CancelledError": CANCELLED,
    "UnknownError": UNKNOWN,
    "InvalidArgumentError": INVALID_ARGUMENT,
    "DeadlineExceededError": DEADLINE_EXCEEDED,
    "NotFoundError": NOT_FOUND,
    "AlreadyExistsError": ALREADY_EXISTS,
    "PermissionDeniedError": PERMISSION_DENIED,
    "UnauthenticatedError": UNAUTHENTICATED,
    "ResourceExhaustedError": RESOURCE_EXHAUSTED,
    "FailedPreconditionError": FAILED_PRECONDITION,
    "AbortedError": ABORTED,
    "OutOfRangeError": OUT_OF_RANGE,
    "UnimplementedError": UNIMPLEMENTED,
    "InternalError": INTERNAL,
    "UnavailableError": UNAVAILABLE,
    "DataLossError": DATA_LOSS,
}


def _subclass(name, doc):
    return type(
        name, (OpError,), {"__doc__": doc, "__module__": __name__, "error_code": _CODES[name]}
    )


CancelledError = _subclass("CancelledError", "An operation was cancelled.")
UnknownError = _subclass("UnknownError", "An unknown error.")
InvalidArgumentError = _subclass(
    "InvalidArgumentError", "An op received an invalid argument (dtype, shape or value)."
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


def kernel_failure(error: BaseException, op: str, context: str) -> OpError:
    """The ``tf.errors`` exception for a Python or NumPy error raised inside a kernel.

    ``context`` says where it ran ("ZerosLike failed on inputs of shapes (2,)"). An
    allocation NumPy refuses is TF's ``ResourceExhaustedError``; a bad value or index is
    an ``InvalidArgumentError``; anything else (an error in a ``py_function``'s code, say)
    is an ``UnknownError``, as in TF.
    """
    text = (
        f"{type(error).__name__}: {error}"
        if not isinstance(error, (ValueError, IndexError))
        else str(error)
    )
    if isinstance(error, MemoryError) or "array is too big" in str(error):
        return ResourceExhaustedError(
            None,
            op,
            f"OOM when allocating a tensor: {context}: {text} [Op:{op}]. Use "
            f"smaller shapes (or a smaller batch_size).",
        )
    cls = InvalidArgumentError if isinstance(error, (ValueError, IndexError)) else UnknownError
    return cls(None, op, f"{context}: {text} [Op:{op}]")


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.errors", __name__, name)
