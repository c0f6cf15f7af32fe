"""One thread budget for every heavy kernel, and malloc settings that keep large
temporaries in the process.

Heavy kernels run in two thread pools: NumPy's BLAS (OpenBLAS, pthreads; one global
thread count) and oneDNN's GNU OpenMP (a per-thread count). ``set_intra_op_threads(n)``
sizes both. Left at 0 (the default), the budget is the CPUs this process may run on,
less one for each thread busy beside the main computation (tf.data's prefetch thread
while it computes an element, inside ``background_thread()``), whose own oneDNN
kernels use one thread. A
pool that counts on every core is slowed badly by a busy neighbour: measured under
load, a 128x784x128 matmul took 24 ms with 2 BLAS threads and 0.5 ms with 1 while a
prefetch thread ran.

Left at the default, a oneDNN kernel gets the whole budget unless it is tiny (fewer than
32K elements in its largest array, multiply-adds counted in, see ``kernel_size``), when
one thread beats a team's hand-off; BLAS gets all of it, except inside ``small_blas``.
A oneDNN primitive fixes its team size when it is made, so the count is set before a
plan is built and is part of the plan's key (``plans.cached_plan``): earlier, plans made
while OpenMP was set to two threads ran on two whatever the count said later, which
hid what one thread costs. Measured on 2 cores with that fixed, a 64x13x13x32 -> 64
3x3 convolution's forward, backward-data and backward-weights take 4.7, 6.6 and 8.5 ms
on one thread and 2.7, 3.2 and 4.8 ms on two, and a small CNN's ``fit`` runs at 1,850
samples/s with kernels under 4M elements on one thread against 2,300-2,800 with all on
two (``bench_conv.py --models``). An explicit ``set_intra_op_threads(n)`` gives every
kernel ``n``.

OpenMP's count is per thread: it is applied in the thread that runs a oneDNN kernel
(``sync_openmp``), and only when it changes. Libraries are found through
ctypes (OpenBLAS among the process's loaded libraries, libgomp by its soname); one that
is not there is simply not sized.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading

__all__ = [
    "set_intra_op_threads",
    "set_inter_op_threads",
    "get_intra_op_threads",
    "openmp_threads",
    "background_thread",
    "sync_openmp",
    "tune_malloc",
    "small_blas",
    "parallel_pieces",
    "kernel_size",
    "openmp_in_use",
    "side_by_side",
    "current_lane",
]

_BLAS_SET = (
    "openblas_set_num_threads",
    "scipy_openblas_set_num_threads64_",
    "openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads_64_",
)


class _Budget:
    def __init__(self):
        self.requested = 0
        self.inter_op = 0  # independent kernels that may run at once (0: no limit)
        self.background = 0
        self.applied = 0  # the thread count last given to the libraries (0: none yet)
        self.blas = None  # [openblas_set_num_threads or None], once looked for
        self.gomp = None
        self.local = threading.local()
        self.lock = threading.Lock()
        self.malloc_tuned = False
        self.small_blas_calls = 0  # ``small_blas`` blocks open now, on every thread
        self.openmp_used = False  # whether a oneDNN (OpenMP) kernel has run here yet


_budget = _Budget()


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _whole_budget() -> int:
    return _budget.requested or max(1, _cpu_count() - _budget.background)


def get_intra_op_threads() -> int:
    """The number of threads each heavy kernel of the main computation may use now (in
    a lane of ``side_by_side``, the lane's share)."""
    return getattr(_budget.local, "lane_threads", 0) or _whole_budget()


def _loaded_openblas() -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (Linux)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def _blas():
    """OpenBLAS's ``openblas_set_num_threads`` (under any of its builds' names), or None."""
    if _budget.blas is None:
        found = None
        for path in _loaded_openblas():
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            found = next((getattr(lib, n) for n in _BLAS_SET if hasattr(lib, n)), None)
            if found is not None:
                found.argtypes = [ctypes.c_int]
                found.restype = None
                break
        _budget.blas = [found]
    return _budget.blas[0]


def _gomp():
    """libgomp's ``omp_set_num_threads``, once oneDNN (which needs it) has loaded it."""
    if _budget.gomp is None and sys.platform.startswith("linux"):
        try:
            lib = ctypes.CDLL("libgomp.so.1", mode=getattr(os, "RTLD_NOLOAD", 0))
        except OSError:
            return None
        fn = lib.omp_set_num_threads
        fn.argtypes = [ctypes.c_int]
        fn.restype = None
        _budget.gomp = fn
    return _budget.gomp


def _apply() -> None:
    """Publishes the budget (the caller holds the lock): one thread while a
    ``small_blas`` block is open. Libraries are only called when the number changed."""
    n = 1 if _budget.small_blas_calls else _whole_budget()
    if n == _budget.applied:
        return
    _budget.applied = n
    setter = _blas()
    if setter is not None:
        setter(n)


def set_intra_op_threads(num_threads: int) -> None:
    """Sizes NumPy's BLAS pool now and oneDNN's OpenMP pool before its next kernel
    (0: the CPUs this process may run on, less the background threads)."""
    with _budget.lock:
        _budget.requested = max(int(num_threads), 0)
        _apply()


def set_inter_op_threads(num_threads: int) -> None:
    """How many calls ``side_by_side`` runs at once (0: as many as the budget has
    threads; 1: one after another)."""
    _budget.inter_op = max(int(num_threads), 0)


@contextlib.contextmanager
def background_thread():
    """Marks the calling thread as busy beside the main computation while inside: the
    main computation's budget leaves it a CPU (unless set explicitly), and its own
    oneDNN kernels run on one thread. Costs a few microseconds; a thread enters it per
    unit of work, so the main computation has every CPU while the thread waits."""
    local = _budget.local
    local.one_thread, local.omp = True, None
    with _budget.lock:
        _budget.background += 1
        _apply()
    try:
        yield
    finally:
        with _budget.lock:
            _budget.background -= 1
            _apply()


@contextlib.contextmanager
def openmp_alone():
    """oneDNN kernels called inside run on one OpenMP thread: for a caller that runs
    several of them side by side on its own threads."""
    local = _budget.local
    saved = getattr(local, "one_thread", False)
    local.one_thread = True
    try:
        yield
    finally:
        local.one_thread = saved


def kernels_on_this_thread_only() -> None:
    """From now on, kernels called on the calling thread run on it alone (NumPy pieces,
    ``side_by_side`` and oneDNN's OpenMP team): for the threads of a pool that already
    keeps every CPU busy with one task each, as the image decoding threads do."""
    local = _budget.local
    local.lane_threads, local.one_thread = 1, True


def openmp_in_use() -> bool:
    """Whether this process has run a oneDNN (OpenMP) kernel: from then on OpenBLAS's
    workers, which spin for many milliseconds after each product, compete with OpenMP's
    for the cores (see ``_matmul_kernel``)."""
    return _budget.openmp_used


def sync_openmp(elements: int = 0) -> int:
    """Sizes OpenMP in the calling thread for a oneDNN kernel whose largest array has
    ``elements`` elements, if that differs from its last kernel's count; returns the
    count."""
    local = _budget.local
    n = 1 if getattr(local, "one_thread", False) else openmp_threads(elements)
    _budget.openmp_used = True
    if getattr(local, "omp", None) == n:
        return n
    fn = _gomp()
    if fn is not None:
        fn(n)
    local.omp = n
    return n


_TINY_KERNEL = 32 << 10  # elements (see kernel_size) below which a kernel runs on one thread

# Multiply-adds below which a matrix product runs on one BLAS thread inside
# ``small_blas``. Measured on 2 cores busy with other work (load 6-8): the (2800, 50) @
# (50, 28) products of a SimpleRNN(50) step took 23 ms on 2 OpenBLAS threads and 1.2 ms
# on 1 (its fit: 1,673 samples/s against 6,912); a (6400, 256) @ (256, 64) product
# 13-25 ms against 8-11; a GRU(1024) step's (64, 1024) @ (1024, 3072) 98 ms against 13-19.
_SMALL_PRODUCT = 1 << 28


@contextlib.contextmanager
def small_blas(macs: int, limit: int = _SMALL_PRODUCT):
    """Inside, BLAS runs on one thread when the products to come have fewer than
    ``limit`` (default 256M) multiply-adds each (``macs``) and the budget was left at its
    default: a kernel doing a loop of small products (the recurrent ops) then pays no
    thread hand-offs, which spin badly when the machine is busy. The budget is restored
    when the last of the calls inside one another or on other threads exits."""
    if not _budget.malloc_tuned:
        tune_malloc()
    if macs >= limit or _budget.requested or get_intra_op_threads() == 1:
        yield
        return
    if _blas() is None:
        yield
        return
    with _budget.lock:
        _budget.small_blas_calls += 1
        _apply()
    try:
        yield
    finally:
        with _budget.lock:
            _budget.small_blas_calls -= 1
            _apply()


# Multiply-adds that count as one element when sizing a oneDNN kernel's OpenMP team: a
# convolution's work, not only its arrays, decides whether a team pays for its hand-off.
_MACS_PER_ELEMENT = 512


def kernel_size(elements: int, macs: int = 0) -> int:
    """The size ``openmp_threads`` weighs a kernel by: its largest array's ``elements``,
    or its multiply-adds ``macs`` scaled to elements, whichever is larger."""
    return max(elements, macs // _MACS_PER_ELEMENT)


def openmp_threads(elements: int = 0) -> int:
    """The OpenMP thread count of a oneDNN kernel of the main computation whose size is
    ``elements`` (see ``kernel_size``): an explicit budget, else the whole default budget,
    or one thread for a tiny kernel (see the module docstring)."""
    if _budget.requested or elements >= _TINY_KERNEL:
        return get_intra_op_threads()
    return 1


_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD_MAX = 32 << 20  # glibc's ceiling on 64-bit (HEAP_MAX_SIZE / 2)
_TRIM_THRESHOLD = 1 << 30


def tune_malloc() -> None:
    """Keeps large temporaries in the heap instead of returning them to the OS on every
    step (glibc only; skipped if the user set ``MALLOC_*_THRESHOLD_`` themselves).

    By default glibc serves blocks of a few MB with mmap and unmaps them on free, so every
    convolution temporary costs page faults again; measured 1.45-1.6x on a whole CNN
    training step. Blocks up to 32 MB now come from the heap, and the heap is trimmed
    only when more than 1 GB of it is free. The heavy kernels call it on first use:
    oneDNN's loading, and NumPy kernels' BLAS products (``small_blas``) and pieces
    (``parallel_pieces``). A SimpleRNN(50) over 28 steps of 100 rows, all NumPy, spent
    a third of its training step in page faults without it (4.7 -> 3.1 ms a step).
    """
    if _budget.malloc_tuned:
        return
    _budget.malloc_tuned = True
    if not sys.platform.startswith("linux") or any(
        k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
    ):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return  # not glibc
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
    mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)


_POOL = None
_POOL_LOCK = threading.Lock()
_POOL_PREFIX = "tensorflux-pieces"


def _pool():
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            _POOL = ThreadPoolExecutor(thread_name_prefix=_POOL_PREFIX)
        return _POOL


def parallel_pieces(n: int, piece: int, fn, min_per_thread: int, balanced: bool = False) -> None:
    """Calls ``fn(start, stop)`` over ``[0, n)`` in pieces of ``piece``, each thread of
    the intra-op budget taking one contiguous run of pieces: as many threads as there
    are runs of ``min_per_thread`` items, at most the budget. For NumPy kernels, whose
    ufuncs release the GIL; ``fn`` must write disjoint parts of its output. With
    ``balanced`` the pieces shrink as little as needed for the threads to take equal
    runs (64 items in pieces of 14 on two threads: 3 pieces of 11 each, not 42 and 22).

    A call made from a pool thread (a kernel inside a piece) runs inline, so pool threads
    never wait on the pool.
    """
    if not _budget.malloc_tuned:
        tune_malloc()
    threads = min(get_intra_op_threads(), n // max(1, min_per_thread))

    def run(lo: int, hi: int) -> None:
        for start in range(lo, hi, piece):
            fn(start, min(start + piece, hi))

    if threads <= 1 or threading.current_thread().name.startswith(_POOL_PREFIX):
        run(0, n)
        return
    if balanced:
        share = -(-n // threads)
        piece = -(-share // -(-share // piece))
    per_thread = -(-n // threads // piece) * piece
    bounds = [(t * per_thread, min(n, (t + 1) * per_thread)) for t in range(threads)]
    futures = [_pool().submit(run, lo, hi) for lo, hi in bounds[1:] if lo < hi]
    try:
        run(*bounds[0])
    finally:
        for future in futures:
            future.result()


def current_lane() -> int:
    """The lane of ``side_by_side`` the calling thread runs (0 outside one): kernels that
    keep one set of buffers per slot key them by it too, so that lanes never share."""
    return getattr(_budget.local, "lane", 0)


def _in_lane(lane: int, share: int, calls: list) -> list:
    local = _budget.local
    saved = getattr(local, "lane", 0), getattr(local, "lane_threads", 0)
    local.lane, local.lane_threads = lane, share
    try:
        return [call() for call in calls]
    finally:
        local.lane, local.lane_threads = saved


def side_by_side(calls: list) -> list:
    """``[call() for call in calls]``, the calls run at once in lanes, each lane on its
    own thread with an equal share of the intra-op budget (the kernels inside see that
    share as their budget, and ``current_lane``). For independent kernels that each keep
    fewer threads busy than the budget has, as a recurrent layer's two directions do:
    a time loop's steps cannot be split among threads, only its batch, and a
    one-thread kernel on the whole batch does more per thread than two on halves.

    With one thread in the budget or in the inter-op limit (``set_inter_op_threads``), or
    called from a pool thread or inside a lane, the calls run one after another here. The
    first exception raised is raised once every call is done.
    """
    budget = get_intra_op_threads()
    lanes = min(len(calls), budget, _budget.inter_op or budget)
    if (
        lanes < 2
        or threading.current_thread().name.startswith(_POOL_PREFIX)
        or getattr(_budget.local, "lane_threads", 0)
    ):
        return [call() for call in calls]
    share = budget // lanes
    groups = [calls[i::lanes] for i in range(lanes)]
    futures = [_pool().submit(_in_lane, i, share, group) for i, group in enumerate(groups) if i]
    error = None
    try:
        results = [_in_lane(0, share, groups[0])]
    except Exception as e:  # noqa: BLE001 - raised once the other lanes are done
        error, results = e, [None]
    for future in futures:
        try:
            results.append(future.result())
        except Exception as e:  # noqa: BLE001 - the first one is raised
            error = error or e
            results.append(None)
    if error is not None:
        raise error
    out = [None] * len(calls)
    for i, group_results in enumerate(results):
        out[i::lanes] = group_results
    return out
