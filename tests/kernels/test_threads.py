"""One thread budget for BLAS and oneDNN's OpenMP, set by tf.config.threading, and
lowered while a tf.data prefetch thread computes."""

import ctypes
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.kernels import threads


@pytest.fixture
def budget():
    yield
    tf.config.threading.set_intra_op_parallelism_threads(0)


def _openblas_threads():
    for path in threads._loaded_openblas():
        lib = ctypes.CDLL(path)
        for name in ("openblas_get_num_threads", "scipy_openblas_get_num_threads64_"):
            if hasattr(lib, name):
                return getattr(lib, name)()
    return None


def test_intra_op_threads_size_blas(budget):
    tf.config.threading.set_intra_op_parallelism_threads(1)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    assert threads.get_intra_op_threads() == 1
    if _openblas_threads() is not None:
        assert _openblas_threads() == 1
    tf.config.threading.set_intra_op_parallelism_threads(0)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 0
    assert threads.get_intra_op_threads() == threads._cpu_count()


def test_a_busy_background_thread_takes_one_cpu_from_the_budget(budget):
    total = threads._cpu_count()
    seen = []

    def work():
        with threads.background_thread():
            seen.append(threads.get_intra_op_threads())

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [max(1, total - 1)]
    assert threads.get_intra_op_threads() == total
    tf.config.threading.set_intra_op_parallelism_threads(3)
    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen[-1] == 3  # an explicit budget is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libgomp is Linux's OpenMP")
def test_openmp_follows_the_budget_in_the_thread_running_onednn(budget):
    from tensorflux.kernels.onednn import _library

    if _library.library() is None:
        pytest.skip(f"oneDNN is not installed here: {_library.load_error()}")
    from tensorflux.kernels.onednn import conv

    gomp = ctypes.CDLL("libgomp.so.1")
    x = np.ones((1, 4, 4, 2), np.float32)
    w = np.ones((3, 3, 2, 2), np.float32)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    conv.conv(x, w, strides=[1, 1, 1, 1], padding="SAME")
    assert gomp.omp_get_max_threads() == 1
    seen = []

    def work():
        with threads.background_thread():
            conv.conv(x, w, strides=[1, 1, 1, 1], padding="SAME")
            seen.append(gomp.omp_get_max_threads())

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libgomp is Linux's OpenMP")
def test_default_openmp_pool_is_one_thread_for_tiny_kernels_and_the_budget_otherwise(budget):
    from tensorflux.kernels.onednn import _library

    if _library.library() is None:
        pytest.skip(f"oneDNN is not installed here: {_library.load_error()}")
    from tensorflux.kernels.onednn import conv

    gomp = ctypes.CDLL("libgomp.so.1")
    tf.config.threading.set_intra_op_parallelism_threads(0)
    conv.conv(
        np.ones((1, 4, 4, 2), np.float32),
        np.ones((3, 3, 2, 2), np.float32),
        strides=[1, 1, 1, 1],
        padding="SAME",
    )
    assert threads.openmp_threads(32) == 1
    assert gomp.omp_get_max_threads() == 1
    assert threads.openmp_threads(1 << 20) == threads.get_intra_op_threads()
    # A convolution's multiply-adds count: small arrays, much work.
    assert threads.kernel_size(1000, 512 * (64 << 10)) == 64 << 10
    tf.config.threading.set_intra_op_parallelism_threads(3)
    assert threads.openmp_threads(32) == threads.openmp_threads(8 << 20) == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libgomp is Linux's OpenMP")
def test_onednn_plans_are_built_for_the_thread_count_they_run_with(budget):
    from tensorflux.kernels.onednn import _library

    if _library.library() is None:
        pytest.skip(f"oneDNN is not installed here: {_library.load_error()}")
    from tensorflux.kernels.onednn import conv, plans

    # A primitive keeps the team size it was made with, so each count needs its own plan.
    x = np.ones((1, 5, 7, 3), np.float32)
    w = np.ones((3, 3, 3, 2), np.float32)
    for n in (1, 2):
        tf.config.threading.set_intra_op_parallelism_threads(n)
        conv.conv(x, w, strides=[1, 1, 1, 1], padding="VALID")
    counts = {count for key, count in plans._cache if key[0] == "conv" and key[1] == x.shape}
    assert counts == {1, 2}


def test_tune_malloc_is_idempotent():
    threads.tune_malloc()
    threads.tune_malloc()
    assert threads._budget.malloc_tuned


def test_blas_stays_on_one_thread_until_the_last_small_blas_block_exits(monkeypatch):
    counts = []
    monkeypatch.setattr(threads, "_cpu_count", lambda: 4)
    monkeypatch.setattr(threads._budget, "requested", 0)
    monkeypatch.setattr(threads._budget, "applied", 4)
    monkeypatch.setattr(threads, "_blas", lambda: counts.append)
    outer, inner = threads.small_blas(10), threads.small_blas(10)
    outer.__enter__()
    inner.__enter__()
    # Blocks on two threads may exit in any order: the first to leave keeps one thread.
    outer.__exit__(None, None, None)
    assert counts == [1]
    inner.__exit__(None, None, None)
    assert counts == [1, 4]
    assert threads._budget.small_blas_calls == 0


@pytest.mark.parametrize("entry", ["small_blas", "parallel_pieces"])
def test_numpy_kernels_tune_malloc_on_first_use(entry, monkeypatch):
    calls = []
    monkeypatch.setattr(threads._budget, "malloc_tuned", False)
    monkeypatch.setattr(threads, "tune_malloc", lambda: calls.append(1))
    if entry == "small_blas":
        with threads.small_blas(10):
            pass
    else:
        threads.parallel_pieces(4, 1, lambda start, stop: None, 1)
    assert calls == [1]


@pytest.mark.parametrize(
    "n, piece, balanced, runs",
    [
        (64, 14, False, [(0, 42), (42, 64)]),
        (64, 14, True, [(0, 33), (33, 64)]),
        (10, 20, True, [(0, 5), (5, 10)]),
        (7, 3, True, [(0, 4), (4, 7)]),
    ],
)
def test_parallel_pieces_splits_runs_between_threads(n, piece, balanced, runs, monkeypatch):
    monkeypatch.setattr(threads, "get_intra_op_threads", lambda: 2)
    pieces, lock = [], threading.Lock()

    def record(start, stop):
        with lock:
            pieces.append((start, stop))

    threads.parallel_pieces(n, piece, record, 1, balanced=balanced)
    pieces.sort()
    assert pieces[0][0] == 0 and pieces[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    for lo, hi in runs:
        inside = [p for p in pieces if lo <= p[0] < hi]
        assert inside[-1][1] == hi and max(b - a for a, b in inside) <= piece


_SPIN_PROBE = """
import os
import numpy as np
import tensorflux as tf
tf.nn.conv2d(np.ones((1, 4, 4, 1), np.float32), np.ones((2, 2, 1, 1), np.float32), 1, "SAME")
print(os.environ.get("GOMP_SPINCOUNT"), os.environ.get("OMP_WAIT_POLICY"))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libgomp is Linux's OpenMP")
@pytest.mark.parametrize(
    "env, printed",
    [({}, "10000 None"), ({"OMP_WAIT_POLICY": "active"}, "None active")],
    ids=["default", "user's policy"],
)
def test_openmp_spinning_is_bounded_unless_the_user_chose(env, printed):
    from tensorflux.kernels.onednn import _library

    if _library.library() is None:
        pytest.skip(f"oneDNN is not installed here: {_library.load_error()}")
    clean = {k: v for k, v in os.environ.items() if k not in ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")}
    done = subprocess.run(
        [sys.executable, "-c", _SPIN_PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == printed


def test_products_beside_onednn_kernels_keep_to_one_blas_thread(monkeypatch):
    from tensorflux.kernels.onednn import _library
    from tensorflux.ops import math_ops

    if _library.library() is None:
        pytest.skip(f"oneDNN is not installed here: {_library.load_error()}")
    limits = []
    real = math_ops.small_blas

    def recording(macs, limit):
        limits.append(limit)
        return real(macs, limit)

    monkeypatch.setattr(math_ops, "small_blas", recording)
    a, b = np.ones((64, 600), np.float32), np.ones((600, 8), np.float32)
    monkeypatch.setattr(threads._budget, "openmp_used", False)
    tf.matmul(a, b)
    tf.nn.conv2d(np.ones((1, 4, 4, 1), np.float32), np.ones((2, 2, 1, 1), np.float32), 1, "SAME")
    assert threads.openmp_in_use()
    tf.matmul(a, b)
    assert limits == [
        math_ops._MATMUL_ONE_THREAD_MACS,
        math_ops._MATMUL_ONE_THREAD_MACS_BESIDE_OPENMP,
    ]


@pytest.fixture
def inter_op():
    yield
    tf.config.threading.set_inter_op_parallelism_threads(0)
    tf.config.threading.set_intra_op_parallelism_threads(0)


def _lane_view(tag):
    def call():
        return (
            tag,
            threading.current_thread().name,
            threads.current_lane(),
            (threads.get_intra_op_threads()),
        )

    return call


def test_side_by_side_gives_each_lane_its_share_of_the_budget(inter_op):
    tf.config.threading.set_intra_op_parallelism_threads(4)
    results = threads.side_by_side([_lane_view("a"), _lane_view("b")])
    assert [r[0] for r in results] == ["a", "b"]
    assert [r[2] for r in results] == [0, 1]
    assert [r[3] for r in results] == [2, 2]
    assert results[0][1] == threading.current_thread().name
    assert results[1][1] != results[0][1]
    # Outside the lanes, the whole budget again.
    assert threads.get_intra_op_threads() == 4 and threads.current_lane() == 0


def test_side_by_side_puts_extra_calls_in_the_lanes_in_turn(inter_op):
    tf.config.threading.set_intra_op_parallelism_threads(2)
    results = threads.side_by_side([_lane_view(i) for i in range(5)])
    assert [r[0] for r in results] == [0, 1, 2, 3, 4]
    assert [r[2] for r in results] == [0, 1, 0, 1, 0]
    assert {r[3] for r in results} == {1}


@pytest.mark.parametrize("limit", ["intra", "inter"])
def test_side_by_side_runs_in_turn_here_with_one_thread_allowed(inter_op, limit):
    if limit == "intra":
        tf.config.threading.set_intra_op_parallelism_threads(1)
    else:
        tf.config.threading.set_intra_op_parallelism_threads(2)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    results = threads.side_by_side([_lane_view("a"), _lane_view("b")])
    here = threading.current_thread().name
    assert [(r[1], r[2]) for r in results] == [(here, 0), (here, 0)]
    assert {r[3] for r in results} == {1 if limit == "intra" else 2}


def test_side_by_side_inside_a_lane_runs_in_turn_there(inter_op):
    tf.config.threading.set_intra_op_parallelism_threads(4)

    def nested():
        inner = threads.side_by_side([_lane_view("x"), _lane_view("y")])
        return threading.current_thread().name, inner

    for name, inner in threads.side_by_side([nested, nested]):
        assert [(r[1], r[3]) for r in inner] == [(name, 2), (name, 2)]


def test_side_by_side_raises_the_first_error_after_every_call_is_done(inter_op):
    tf.config.threading.set_intra_op_parallelism_threads(2)
    done = []

    def fail():
        raise ValueError("the first lane failed")

    def slow():
        threading.Event().wait(0.2)
        done.append("slow")

    def fail_too():
        raise KeyError("the second lane failed")

    with pytest.raises(ValueError, match="first lane"):
        threads.side_by_side([fail, slow])
    assert done == ["slow"]
    with pytest.raises(ValueError, match="first lane"):
        threads.side_by_side([fail, fail_too])
    with pytest.raises(KeyError, match="second lane"):
        threads.side_by_side([slow, fail_too])
