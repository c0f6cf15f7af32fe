"""``tf.check_pinned``: whether a tensor sits in host memory pinned for GPU transfers.

tensorflux is a CPU-only build, where TF's CheckPinned kernel reports that it needs
CUDA; the check runs the same way here.
"""

from __future__ import annotations

from tensorflux.framework.errors import FailedPreconditionError
from tensorflux.framework.tensor import convert_to_tensor

__all__ = ["check_pinned"]


def check_pinned(tensor, name=None):
    """Checks that ``tensor`` is in host memory pinned for GPU use.

    Raises:
        FailedPreconditionError: always, as in TF builds without CUDA: no memory is
            pinned for a GPU on a CPU-only build.

    >>> import tensorflux as tf
    >>> try:
    ...     tf.check_pinned(tf.constant(1.0))
    ... except tf.errors.FailedPreconditionError as e:
    ...     print("CUDA" in str(e))
    True
    """
    convert_to_tensor(tensor)
    raise FailedPreconditionError(
        None,
        "CheckPinned",
        "CheckPinned needs a build with CUDA: tensorflux runs on the CPU only, where no "
        "memory is pinned for a GPU. [Op:CheckPinned]",
    )
