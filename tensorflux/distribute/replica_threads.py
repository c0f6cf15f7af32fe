"""Runs a function once per local replica, one replica after the other.

Each local replica runs in its own thread (TF's MirroredStrategy does the same) so that
it can stop at a synchronisation point -- ``ReplicaContext.all_reduce`` or
``merge_call`` -- until every replica has reached it. The threads take turns: only one
runs at a time, in replica order, so the engine's per-thread state (the function
being traced, the recording tapes) is shared safely and results are deterministic.
"""

from __future__ import annotations

import threading

from tensorflux.framework import context, variable_creator

__all__ = ["run_replicas"]


class _Turns:
    """The turn-taking of ``size`` replica threads and their synchronisation points."""

    def __init__(self, size: int):
        self.size = size
        self.turn = 0
        self.generation = 0
        self.deposits = [None] * size
        self.result = None
        self.error = None
        self.failed = False
        self.waiting = 0
        self.condition = threading.Condition()

    def wait_turn(self, replica: int) -> None:
        with self.condition:
            self.condition.wait_for(lambda: self.turn == replica or self.failed)
            if self.failed:
                raise _Aborted()

    def _pass(self, replica: int) -> None:
        self.turn = replica + 1
        self.condition.notify_all()

    def synchronise(self, replica: int, value, combine):
        """Deposits ``value``; the last replica calls ``combine(deposits)``; every
        replica returns that result once its turn comes again."""
        with self.condition:
            self.deposits[replica] = value
            generation = self.generation
            if replica == self.size - 1:
                try:
                    self.result, self.error = combine(list(self.deposits)), None
                except BaseException as error:  # noqa: BLE001 - re-raised in every replica
                    self.result, self.error = None, error
                self.generation += 1
                self.turn = 0
                self.condition.notify_all()
            else:
                self._pass(replica)
                self.waiting += 1
                self.condition.wait_for(lambda: self.generation != generation or self.failed)
                self.waiting -= 1
            self.condition.wait_for(lambda: self.turn == replica or self.failed)
            if self.failed:
                raise _Aborted()
            result, error = self.result, self.error
        if error is not None:
            raise error
        return result

    def finish(self, replica: int, failed: bool) -> None:
        with self.condition:
            # The last replica returning while others wait at a synchronisation point:
            # the replicas did not all reach the same points, and would wait forever.
            if failed or (replica == self.size - 1 and self.waiting):
                self.failed = True
                if not failed:
                    self.error = RuntimeError(
                        "The replicas of `strategy.run` did not all call the same "
                        "synchronising operations (`all_reduce`, `merge_call`): every "
                        "replica must make the same calls, in the same order."
                    )
            self._pass(replica)
            self.condition.notify_all()


class _Aborted(Exception):
    """Another replica failed; this one stops without an error of its own."""


_current = threading.local()


def current_turns():
    """``(turns, replica index)`` of the replica thread running now, or None."""
    return getattr(_current, "position", None)


def run_replicas(size: int, replica_fn) -> list:
    """``[replica_fn(0), ..., replica_fn(size - 1)]``; with several replicas each call
    runs in a thread of its own, taking turns, and may call ``synchronise``."""
    if size == 1:
        return [replica_fn(0)]
    turns = _Turns(size)
    results = [None] * size
    errors = [None] * size
    state = context.state
    inherited = (state.graph, list(state.recording_tapes), list(state.training_stack))
    creators = list(variable_creator._stack.creators)
    from tensorflux.distribute import distribute_lib

    scopes = distribute_lib.scope_stack()

    def replica_thread(replica: int) -> None:
        thread_state = context.state
        thread_state.graph, tapes, training = inherited
        thread_state.recording_tapes[:] = tapes
        thread_state.training_stack[:] = training
        variable_creator._stack.creators[:] = creators
        distribute_lib.scope_stack()[:] = scopes
        _current.position = (turns, replica)
        failed = False
        try:
            turns.wait_turn(replica)
            results[replica] = replica_fn(replica)
        except _Aborted:
            failed = True
        except BaseException as error:  # noqa: BLE001 - re-raised by the caller
            errors[replica] = error
            failed = True
        finally:
            turns.finish(replica, failed)

    threads = [
        threading.Thread(target=replica_thread, args=(i,), name=f"replica_{i}", daemon=True)
        for i in range(size)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    if turns.failed:
        raise turns.error
    return results
