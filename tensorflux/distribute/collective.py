"""The collective operations that join the processes of a multi-worker strategy.

A ``Collective`` knows its process's ``rank``, the number of processes (``size``) and
moves NumPy arrays between them: ``allreduce`` (a sum), ``broadcast``, ``allgather``
and ``barrier``. ``LocalCollective`` is the one-process case; ``MPICollective`` runs on
MPI through ``mpi4py`` (the ``tensorflux[distributed]`` extra, with the ``mpich`` wheel),
when the program was launched by ``mpiexec``. Another backend plugs in by
implementing the same five members.

Every MPI operation is non-blocking and polled against a deadline, so that a worker
that died makes the others fail with ``UnavailableError`` instead of waiting forever.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from tensorflux.framework.errors import UnavailableError

__all__ = ["Collective", "LocalCollective", "MPICollective", "import_mpi", "launched_by_mpi"]

# How long a collective waits for its peers before deciding one is gone (seconds).
# TF_COLLECTIVE_TIMEOUT overrides it, as CommunicationOptions(timeout_seconds=...) does.
DEFAULT_TIMEOUT = 300.0

_INSTALL_MESSAGE = (
    "Multi-process tf.distribute strategies run on MPI through mpi4py, which is not "
    "installed. Install it with `pip install tensorflux[distributed]` (mpi4py and the "
    "mpich wheel), then launch the workers with `mpiexec -n <workers> python train.py`."
)


class Collective:
    """The operations a multi-worker strategy needs from its processes' transport."""

    rank = 0
    size = 1

    def allreduce(self, array: np.ndarray) -> np.ndarray:
        """The element-wise sum of ``array`` over every process."""
        raise NotImplementedError

    def broadcast(self, array: np.ndarray, root: int = 0) -> np.ndarray:
        """Process ``root``'s ``array``, on every process."""
        raise NotImplementedError

    def allgather(self, array: np.ndarray) -> list:
        """Every process's ``array``, in rank order (shapes may differ)."""
        raise NotImplementedError

    def barrier(self) -> None:
        """Returns once every process has called it."""
        raise NotImplementedError


class LocalCollective(Collective):
    """The collective of a single process: every operation is the identity."""

    def allreduce(self, array):
        return np.asarray(array)

    def broadcast(self, array, root=0):
        return np.asarray(array)

    def allgather(self, array):
        return [np.asarray(array)]

    def barrier(self):
        return None


def launched_by_mpi() -> bool:
    """Whether this process is one rank of an ``mpiexec``/``srun`` launch (read from the
    environment those launchers set, without importing MPI)."""
    keys = ("PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")
    return any(key in os.environ for key in keys)


def import_mpi():
    """``mpi4py.MPI``, or an ImportError saying how to install it."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise ImportError(_INSTALL_MESSAGE) from error
    return MPI


class MPICollective(Collective):
    """The processes of ``MPI.COMM_WORLD`` (one per worker), through mpi4py.

    Args:
        timeout: seconds an operation waits for the other processes before raising
            ``UnavailableError`` (default ``TF_COLLECTIVE_TIMEOUT`` or 300).

    Raises:
        ImportError: mpi4py is not installed (names ``tensorflux[distributed]``).
    """

    def __init__(self, timeout=None):
        mpi = import_mpi()
        self._mpi = mpi
        self._comm = mpi.COMM_WORLD
        self.rank = self._comm.Get_rank()
        self.size = self._comm.Get_size()
        if timeout is None:
            timeout = float(os.environ.get("TF_COLLECTIVE_TIMEOUT", DEFAULT_TIMEOUT))
        self.timeout = timeout
        _abort_on_uncaught_error(self._comm)

    def _wait(self, request, what: str) -> None:
        # Polled rather than blocking, with a short sleep once the peers are slow, so a
        # dead peer turns into an error after `timeout` seconds.
        deadline = time.monotonic() + self.timeout
        pause = 0.0
        while not request.Test():
            if time.monotonic() > deadline:
                raise UnavailableError(
                    None,
                    None,
                    f"Collective {what} on worker {self.rank} of {self.size} timed out after "
                    f"{self.timeout:g} seconds: another worker has failed or stopped "
                    "responding. Check the other workers' output; every worker must run "
                    "the same collective operations in the same order.",
                )
            time.sleep(pause)
            pause = min(0.01, pause + 0.0001)

    # np.ascontiguousarray makes 0-d arrays 1-d: results take the input's shape back.

    def allreduce(self, array):
        array = np.asarray(array)
        send = np.ascontiguousarray(array)
        receive = np.empty_like(send)
        self._wait(self._comm.Iallreduce(send, receive, op=self._mpi.SUM), "all-reduce")
        return receive.reshape(array.shape)

    def broadcast(self, array, root=0):
        array = np.asarray(array)
        buffer = np.ascontiguousarray(array).copy()
        self._wait(self._comm.Ibcast(buffer, root=root), "broadcast")
        return buffer.reshape(array.shape)

    def allgather(self, array):
        array = np.asarray(array)
        array = np.ascontiguousarray(array).reshape(array.shape)
        shapes = np.zeros((self.size, max(array.ndim, 1) + 1), np.int64)
        mine = np.zeros(shapes.shape[1], np.int64)
        mine[0] = array.ndim
        mine[1 : 1 + array.ndim] = array.shape
        self._wait(self._comm.Iallgather(mine, shapes), "all-gather")
        counts = [int(np.prod(row[1 : 1 + row[0]])) for row in shapes]
        receive = np.empty(sum(counts), array.dtype)
        self._wait(self._comm.Iallgatherv(array.reshape(-1), [receive, counts]), "all-gather")
        parts, start = [], 0
        for row, count in zip(shapes, counts):
            parts.append(receive[start : start + count].reshape(tuple(row[1 : 1 + row[0]])))
            start += count
        return parts

    def barrier(self):
        self._wait(self._comm.Ibarrier(), "barrier")


# Seconds an aborting worker waits for the launcher to forward its traceback.
_ABORT_GRACE_S = 0.5


def _abort_on_uncaught_error(comm) -> None:
    """Makes an uncaught exception abort every worker of the launch after its traceback
    is printed: otherwise MPI's finalisation at exit waits for workers that wait for this
    one, and the launch hangs (what ``python -m mpi4py`` does too)."""
    if getattr(sys.excepthook, "_aborts_mpi", False):
        return
    previous = sys.excepthook

    def abort(kind, value, traceback):
        previous(kind, value, traceback)
        sys.stderr.flush()
        # The launcher forwards a worker's output through a pipe, and the abort tears the
        # pipes down: on a loaded machine this traceback once arrived cut after its first
        # line. A moment lets the launcher read it first.
        time.sleep(_ABORT_GRACE_S)
        comm.Abort(1)

    abort._aborts_mpi = True
    sys.excepthook = abort
