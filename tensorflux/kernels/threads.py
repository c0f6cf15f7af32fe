"""One thread budget for every heavy kernel, and malloc settings that keep large
temporaries in the process.

Heavy kernels run in two thread pools: NumPy's BLAS (OpenBLAS, pthreads) and oneDNN's
GNU OpenMP. ``set_intra_op_threads(n)`` sizes both (0: as many as the process may run
on). A thread that runs kernels beside the training step, such as tf.data's prefetch
thread, calls ``use_one_thread()`` so that it adds one thread, not a second pool:
measured under load, a 128x784x128 matmul took 24 ms with 2 BLAS threads and 0.5 ms
with 1 while another pool was busy.

OpenMP's thread count is a per-thread setting, so it is applied lazily in the thread
that runs a oneDNN kernel (``sync_openmp``), and only when the budget changed.

Everything is found through ctypes (OpenBLAS in the process's loaded libraries, libgomp
by its soname); a library that is not there is simply not sized.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

__all__ = ["set_intra_op_threads", "get_intra_op_threads", "use_one_thread", "sync_openmp",
           "tune_malloc"]

_BLAS_SET = ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_",
             "openblas_set_num_threads64_", "scipy_openblas_set_num_threads_64_")
_BLAS_SET_LOCAL = ("openblas_set_num_threads_local",)


class _Budget:
    def __init__(self):
        self.requested = 0
        self.generation = 0
        self.blas = None  # (set_num_threads, set_num_threads_local or None), once found
        self.gomp = None
        self.local = threading.local()
        self.malloc_tuned = False


_budget = _Budget()


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def get_intra_op_threads() -> int:
    """The number of threads each heavy kernel may use now."""
    return _budget.requested or _cpu_count()


def _loaded_openblas() -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (Linux)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def _blas():
    if _budget.blas is None:
        found = (None, None)
        for path in _loaded_openblas():
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            setter = next((getattr(lib, n) for n in _BLAS_SET if hasattr(lib, n)), None)
            local = next((getattr(lib, n) for n in _BLAS_SET_LOCAL if hasattr(lib, n)), None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter.restype = None
                if local is not None:
                    local.argtypes = [ctypes.c_int]
                    local.restype = ctypes.c_int
                found = (setter, local)
                break
        _budget.blas = found
    return _budget.blas


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


def set_intra_op_threads(num_threads: int) -> None:
    """Sizes NumPy's BLAS pool now and oneDNN's OpenMP pool before its next kernel
    (0: as many threads as the process may run on)."""
    _budget.requested = max(int(num_threads), 0)
    _budget.generation += 1
    setter, _ = _blas()
    if setter is not None:
        setter(get_intra_op_threads())


def use_one_thread() -> None:
    """Makes the calling thread's heavy kernels run on itself alone (for threads that run
    beside the main computation, like a prefetch thread)."""
    _budget.local.one_thread = True
    _budget.local.generation = -1
    _, local = _blas()
    if local is not None:
        local(1)


def sync_openmp() -> None:
    """Applies the budget to OpenMP in the calling thread if it changed since its last
    oneDNN kernel (OpenMP's thread count is per thread)."""
    local = _budget.local
    if getattr(local, "generation", None) == _budget.generation:
        return
    fn = _gomp()
    if fn is not None:
        fn(1 if getattr(local, "one_thread", False) else get_intra_op_threads())
    local.generation = _budget.generation


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
    only when more than 1 GB of it is free.
    """
    if _budget.malloc_tuned:
        return
    _budget.malloc_tuned = True
    if not sys.platform.startswith("linux") or any(
            k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")):
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
