"""A collective over TCP sockets between the workers that ``TF_CONFIG`` lists: the
zero-dependency transport of ``MultiWorkerMirroredStrategy`` when the workers were
started one by one (each with its own ``TF_CONFIG``) rather than by ``mpiexec``.

Worker 0 (the chief) listens on its address; the others connect to it. Each operation
goes through worker 0, which adds the arrays in worker order and sends the result back.
Every wait is bounded: a worker that died or stopped responding makes the others raise
``UnavailableError``.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import time

import numpy as np

from tensorflux.distribute.collective import DEFAULT_TIMEOUT, Collective
from tensorflux.framework.errors import UnavailableError

__all__ = ["SocketCollective"]

_LENGTH = struct.Struct("!Q")


def _split_address(address: str):
    host, _, port = address.rpartition(":")
    return host or "localhost", int(port)


class SocketCollective(Collective):
    """The workers at ``addresses`` (``"host:port"``, worker 0 first), this one being
    ``rank``.

    Args:
        timeout: seconds to wait for the other workers (connecting included) before
            raising ``UnavailableError`` (default ``TF_COLLECTIVE_TIMEOUT`` or 300).

    Raises:
        UnavailableError: the workers could not connect in time.
    """

    def __init__(self, addresses, rank: int, timeout=None):
        if timeout is None:
            timeout = float(os.environ.get("TF_COLLECTIVE_TIMEOUT", DEFAULT_TIMEOUT))
        self.timeout = timeout
        self.rank = rank
        self.size = len(addresses)
        self._addresses = list(addresses)
        self._peers = {}
        if rank == 0:
            self._accept_workers()
        else:
            self._connect_to_chief()

    def _unavailable(self, what: str, error=None) -> UnavailableError:
        detail = f" ({error})" if error else ""
        return UnavailableError(
            None,
            None,
            f"Collective {what} on worker {self.rank} of {self.size} failed{detail}: another "
            f"worker has failed or stopped responding within {self.timeout:g} seconds. Check "
            "the other workers' output; every worker must run the same collective "
            "operations in the same order, each with its own TF_CONFIG task index.",
        )

    def _accept_workers(self) -> None:
        host, port = _split_address(self._addresses[0])
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(self.size)
        server.settimeout(self.timeout)
        try:
            while len(self._peers) < self.size - 1:
                connection, _ = server.accept()
                connection.settimeout(self.timeout)
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                (rank,) = _LENGTH.unpack(self._receive_exactly(connection, _LENGTH.size))
                self._peers[int(rank)] = connection
        except OSError as error:
            raise self._unavailable("connection", error) from None
        finally:
            server.close()

    def _connect_to_chief(self) -> None:
        # The chief may start after this worker: retry until the deadline.
        deadline = time.monotonic() + self.timeout
        address = _split_address(self._addresses[0])
        while True:
            try:
                connection = socket.create_connection(address, timeout=self.timeout)
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    raise self._unavailable("connection", error) from None
                time.sleep(0.05)
        connection.settimeout(self.timeout)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.sendall(_LENGTH.pack(self.rank))
        self._peers[0] = connection

    # -- framing: one NumPy array per message ----------------------------------------

    def _receive_exactly(self, connection, count: int) -> bytes:
        chunks, left = [], count
        while left:
            chunk = connection.recv(min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("the connection was closed")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _send(self, rank: int, array, what: str) -> None:
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
        data = buffer.getvalue()
        try:
            self._peers[rank].sendall(_LENGTH.pack(len(data)) + data)
        except OSError as error:
            raise self._unavailable(what, error) from None

    def _receive(self, rank: int, what: str) -> np.ndarray:
        try:
            connection = self._peers[rank]
            (length,) = _LENGTH.unpack(self._receive_exactly(connection, _LENGTH.size))
            data = self._receive_exactly(connection, length)
        except OSError as error:
            raise self._unavailable(what, error) from None
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)

    # -- the operations --------------------------------------------------------------

    def allreduce(self, array):
        array = np.asarray(array)
        if self.rank != 0:
            self._send(0, array, "all-reduce")
            return self._receive(0, "all-reduce")
        total = array.copy()
        for rank in range(1, self.size):
            total = total + self._receive(rank, "all-reduce")
        for rank in range(1, self.size):
            self._send(rank, total, "all-reduce")
        return total

    def broadcast(self, array, root=0):
        parts = self.allgather(array)
        return parts[root]

    def allgather(self, array):
        array = np.asarray(array)
        if self.rank != 0:
            self._send(0, array, "all-gather")
            return [self._receive(0, "all-gather") for _ in range(self.size)]
        parts = [array] + [self._receive(rank, "all-gather") for rank in range(1, self.size)]
        for rank in range(1, self.size):
            for part in parts:
                self._send(rank, part, "all-gather")
        return parts

    def barrier(self):
        self.allreduce(np.zeros(1, np.int32))
